"""Scoring rules of a leaf criterion, and the pure functions that apply them.

A rule is data (it comes from a province's spreadsheet); the four kinds cover what the seed
frameworks use: a manual score, bands on a measured value, yes/no, and survey-only items
that are not self-assessable.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

from parapp.models.errors import ValidationError
from parapp.models.text import clean, format_number, parse_number


class RuleKind(enum.StrEnum):
    """How a leaf is scored. The values are stable (they are stored and exported)."""

    MANUAL = "manual"
    BANDS = "bands"
    YES_NO = "yes_no"
    SURVEY = "survey"

    @property
    def label(self) -> str:
        """The Vietnamese name shown to users and written in spreadsheets."""
        return RULE_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> RuleKind:
        """Accept the Vietnamese label or the stable value (any case); raise ValueError."""
        key = clean(text).casefold()
        for kind, label in RULE_LABELS.items():
            if key in (kind.value, label.casefold()):
                return kind
        raise ValueError(text)


RULE_LABELS: dict[RuleKind, str] = {
    RuleKind.MANUAL: "Tự chấm",
    RuleKind.BANDS: "Theo thang",
    RuleKind.YES_NO: "Có/Không",
    RuleKind.SURVEY: "Điều tra XHH",
}


@dataclass(frozen=True)
class Band:
    """``value >= threshold`` earns ``points``; ``threshold None`` is the "otherwise" band."""

    threshold: float | None
    points: float


@dataclass(frozen=True)
class ScoringRule:
    """The rule of a leaf. ``bands`` are tried in order, highest threshold first.

    ``measure`` names what is measured for a band rule (e.g. ``"%"``): when it is ``"%"``
    the officer may enter a numerator and a denominator and the percentage is computed.
    """

    kind: RuleKind = RuleKind.MANUAL
    bands: tuple[Band, ...] = field(default_factory=tuple)
    measure: str = ""

    @property
    def self_assessable(self) -> bool:
        return self.kind is not RuleKind.SURVEY


_BAND_RE = re.compile(
    r"^(?:(?P<op>>=|≥|>|=)\s*(?P<thr>[-+]?\d+(?:[.,]\d+)?)\s*(?P<unit>%?)"
    r"|(?P<else>còn lại|khác|else|otherwise))\s*(?:→|->|=>|:)\s*(?P<pts>[-+]?\d+(?:[.,]\d+)?)$",
    re.IGNORECASE,
)


def parse_bands(text: str) -> tuple[tuple[Band, ...], str]:
    """Parse ``">=100% → 1; >=80% → 0,5; còn lại → 0"`` into bands and the measure (``"%"``).

    Raises :class:`ValueError` with a Vietnamese message naming the part it could not read.
    """
    bands: list[Band] = []
    measure = ""
    for part in (clean(p) for p in re.split(r"[;\n]", text)):
        if not part:
            continue
        m = _BAND_RE.match(part)
        if not m:
            raise ValueError(f"không hiểu mức “{part}” (ví dụ đúng: “>=80% → 0,5; còn lại → 0”)")
        pts = parse_number(m["pts"])
        assert pts is not None
        if m["else"]:
            bands.append(Band(None, pts))
        else:
            thr = parse_number(m["thr"])
            assert thr is not None
            bands.append(Band(thr, pts))
            measure = measure or m["unit"]
    if not bands:
        raise ValueError("thang điểm trống")
    return tuple(bands), measure


def format_bands(bands: tuple[Band, ...], measure: str = "") -> str:
    """Inverse of :func:`parse_bands`, in the same human-readable form."""
    parts = []
    for band in bands:
        head = (
            "còn lại" if band.threshold is None else f">={format_number(band.threshold)}{measure}"
        )
        parts.append(f"{head} → {format_number(band.points)}")
    return "; ".join(parts)


def band_score(rule: ScoringRule, value: float) -> float:
    """The points a measured ``value`` earns under a band rule (0 when no band matches)."""
    ordered = sorted(
        (b for b in rule.bands if b.threshold is not None),
        key=lambda b: b.threshold or 0.0,
        reverse=True,
    )
    for band in ordered:
        assert band.threshold is not None
        if value >= band.threshold - 1e-9:
            return band.points
    fallback = [b for b in rule.bands if b.threshold is None]
    return fallback[0].points if fallback else 0.0


def percentage(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` in percent, rounded to 2 decimals; 0 files -> 100 %.

    A commune that received no files has not been late on any: the methodology counts that
    as fully met, so an empty denominator gives 100 rather than an error.
    """
    if denominator < 0 or numerator < 0:
        raise ValidationError("Số liệu không được âm.")
    if numerator > denominator:
        raise ValidationError(
            f"Tử số ({format_number(numerator)}) lớn hơn mẫu số ({format_number(denominator)})."
        )
    if denominator == 0:
        return 100.0
    return round(numerator * 100.0 / denominator, 2)


def check_score(score: float, max_points: float, step: float, code: str = "") -> None:
    """Raise :class:`ValidationError` unless ``0 <= score <= max`` and on the step grid."""
    where = f"Tiêu chí {code}: " if code else ""
    if score < 0:
        raise ValidationError(f"{where}điểm không được âm ({format_number(score)}).")
    if score > max_points + 1e-9:
        raise ValidationError(
            f"{where}điểm {format_number(score)} vượt điểm tối đa {format_number(max_points)}."
        )
    if step > 0:
        units = score / step
        if abs(units - round(units)) > 1e-6:
            raise ValidationError(
                f"{where}điểm {format_number(score)} phải là bội số của {format_number(step)}."
            )
