"""Scoring rules of a leaf criterion, and the pure functions that apply them.

A rule is data (it comes from a province's spreadsheet or from the seed documents) and can
express the methods provinces publish (``docs/scoring-rules.md`` gives a real example of
each kind):

* ``manual`` — the officer enters a score in 0..max on a step;
* ``bands`` — points by explicit comparisons on a measured value (≥, >, ≤, <, "từ … đến
  dưới …"); when no band matches and there is no "còn lại" band the document does not say
  what the value earns, so the officer scores it by hand within 0..max;
* ``count`` — bands on a whole count ("từ 50 TTHC trở lên");
* ``proportional`` — points = rate × max, reaching the full points at ``full_at`` % (the cap)
  and 0 below ``zero_below`` % (the floor);
* ``yes_no`` — the maximum for "Có", 0 for "Không";
* ``deduction`` (*điểm trừ*) — a negative score down to ``floor``;
* ``bonus`` (*điểm thưởng*) — up to ``bonus_max`` above the area's maximum;
* ``survey`` — scored later by the office from the survey results.

Any rule may allow a unit to declare the item *not applicable* (``not_applicable`` names the
condition, e.g. "không tính các xã thuộc huyện đảo"); the reason is then required and the
item leaves the unit's applicable maximum. Every rule keeps its ``source`` text.

All points produced here go through :func:`parapp.models.numbers.round_points`.
"""

from __future__ import annotations

import enum
import math
import re
from dataclasses import dataclass, field, replace

from parapp.models.errors import ValidationError
from parapp.models.numbers import (
    format_decimal,
    rate_percent,
    read_number,
    round_points,
    to_decimal,
)
from parapp.models.text import clean

TOLERANCE = 1e-6


class RuleKind(enum.StrEnum):
    """How a leaf is scored. The values are stable (they are stored and exported)."""

    MANUAL = "manual"
    BANDS = "bands"
    YES_NO = "yes_no"
    SURVEY = "survey"
    PROPORTIONAL = "proportional"
    COUNT = "count"
    DEDUCTION = "deduction"
    BONUS = "bonus"

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
    RuleKind.PROPORTIONAL: "Theo tỷ lệ",
    RuleKind.COUNT: "Theo số lượng",
    RuleKind.DEDUCTION: "Điểm trừ",
    RuleKind.BONUS: "Điểm thưởng",
}

#: Comparisons a band may use; ``range`` is "từ ``threshold`` đến dưới ``upper``".
BAND_OPS = (">=", ">", "<=", "<", "range")


@dataclass(frozen=True)
class Band:
    """``value <op> threshold`` earns ``points``; ``threshold None`` is the "còn lại" band.

    ``op`` defaults to ``>=`` (the only comparison of frameworks made before rules had
    explicit comparisons). For ``range`` the band covers ``threshold <= value < upper``.
    """

    threshold: float | None
    points: float
    op: str = ">="
    upper: float | None = None

    def matches(self, value: float) -> bool:
        if self.threshold is None:
            return True
        t = self.threshold
        if self.op == ">=":
            return value >= t - 1e-9
        if self.op == ">":
            return value > t + 1e-9
        if self.op == "<=":
            return value <= t + 1e-9
        if self.op == "<":
            return value < t - 1e-9
        upper = math.inf if self.upper is None else self.upper
        return t - 1e-9 <= value < upper - 1e-9


@dataclass(frozen=True)
class ScoringRule:
    """The rule of a leaf (see the module docstring for the meaning of each kind).

    ``measure`` names the unit of the measured value: ``"%"`` lets the officer enter a
    numerator and a denominator; for a ``count`` rule it is what is counted ("TTHC").
    ``step`` overrides the framework's step for a manual score. ``floor`` is the lowest
    (negative) points of a deduction, ``bonus_max`` the highest points of a bonus item.
    ``full_at`` / ``zero_below`` are the cap and the floor (in %) of a proportional rule.
    """

    kind: RuleKind = RuleKind.MANUAL
    bands: tuple[Band, ...] = field(default_factory=tuple)
    measure: str = ""
    source: str = ""
    step: float | None = None
    floor: float | None = None
    bonus_max: float | None = None
    full_at: float | None = None
    zero_below: float | None = None
    not_applicable: str = ""

    @property
    def self_assessable(self) -> bool:
        return self.kind is not RuleKind.SURVEY

    @property
    def measured(self) -> bool:
        """True when the score follows from a measured value (the form asks for it)."""
        return self.kind in (RuleKind.BANDS, RuleKind.COUNT, RuleKind.PROPORTIONAL)

    @property
    def percent(self) -> bool:
        """True when the measured value is a rate entered as numerator/denominator or %."""
        return self.kind is RuleKind.PROPORTIONAL or (
            self.kind is RuleKind.BANDS and self.measure == "%"
        )


# -- ranges and computation ------------------------------------------------------------------
def score_range(max_points: float, rule: ScoringRule) -> tuple[float, float]:
    """The lowest and highest score ``rule`` allows on an item worth ``max_points``."""
    if rule.kind is RuleKind.DEDUCTION:
        return (rule.floor if rule.floor is not None else -max_points, 0.0)
    if rule.kind is RuleKind.BONUS:
        return (0.0, rule.bonus_max if rule.bonus_max is not None else max_points)
    return (0.0, max_points)


def ordered_bands(rule: ScoringRule) -> list[Band]:
    """Bands in the order they are tried: legacy ``>=`` bands highest first, else as given.

    The "còn lại" band (no threshold) is always tried last.
    """
    real = [b for b in rule.bands if b.threshold is not None]
    if all(b.op == ">=" for b in real):
        real.sort(key=lambda b: b.threshold or 0.0, reverse=True)
    return real + [b for b in rule.bands if b.threshold is None][:1]


def band_points(rule: ScoringRule, value: float) -> float | None:
    """The points of the first band ``value`` matches; ``None`` when the rule says nothing."""
    for band in ordered_bands(rule):
        if band.matches(value):
            return round_points(band.points)
    return None


def band_score(rule: ScoringRule, value: float) -> float:
    """Legacy helper: the band points, 0 when no band matches."""
    points = band_points(rule, value)
    return 0.0 if points is None else points


def proportional_points(max_points: float, rule: ScoringRule, rate: float) -> float:
    """``rate`` (%) × max, full from ``full_at`` %, 0 below ``zero_below`` %; half-up."""
    if rule.zero_below is not None and rate < rule.zero_below - 1e-9:
        return 0.0
    full_at = rule.full_at if rule.full_at and rule.full_at > 0 else 100.0
    share = min(to_decimal(rate), to_decimal(full_at)) / to_decimal(full_at)
    return round_points(max(share, to_decimal(0)) * to_decimal(max_points))


def computed_score(max_points: float, rule: ScoringRule, value: float | None) -> float | None:
    """The score the rule gives for the measured ``value``; ``None`` when it is entered.

    ``None`` for manual, deduction, bonus and survey items, for a missing value, and for a
    band value no band covers (the officer then scores it by hand within the range).
    """
    if value is None:
        return None
    if rule.kind in (RuleKind.BANDS, RuleKind.COUNT):
        return band_points(rule, value)
    if rule.kind is RuleKind.PROPORTIONAL:
        return proportional_points(max_points, rule, value)
    if rule.kind is RuleKind.YES_NO:
        return round_points(max_points) if value else 0.0
    return None


def percentage(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` in percent, half-up to two places.

    Counts must be whole and non-negative, the numerator cannot exceed the denominator, and
    a denominator of 0 is refused: the rate is undefined when nothing was counted, and the
    methodology then scores the item by its note, not by a made-up 100 %.
    """
    for label, v in (("Tử số", numerator), ("Mẫu số", denominator)):
        if not math.isfinite(v) or v < 0:
            raise ValidationError(f"{label} phải là số không âm ({format_decimal(v)}).")
        if v != int(v):
            raise ValidationError(f"{label} phải là số nguyên ({format_decimal(v)}).")
    if denominator == 0:
        raise ValidationError(
            "Mẫu số bằng 0 nên không tính được tỷ lệ: nếu trong kỳ không phát sinh hồ sơ "
            "nào, hãy để trống tử số và mẫu số, tự chấm điểm và ghi giải trình."
        )
    if numerator > denominator:
        raise ValidationError(
            f"Tử số ({format_decimal(numerator)}) lớn hơn mẫu số ({format_decimal(denominator)})."
        )
    return rate_percent(numerator, denominator)


def check_score(
    score: float,
    max_points: float,
    step: float,
    code: str = "",
    rule: ScoringRule | None = None,
) -> None:
    """Raise :class:`ValidationError` unless ``score`` is finite, in the rule's range and on
    the step grid (``step`` 0 = any two-decimal value)."""
    where = f"Tiêu chí {code}: " if code else ""
    if not math.isfinite(score):
        raise ValidationError(f"{where}điểm không phải là số hữu hạn.")
    lo, hi = score_range(max_points, rule or ScoringRule())
    if score < lo - 1e-9:
        if lo == 0:
            raise ValidationError(f"{where}điểm không được âm ({format_decimal(score)}).")
        raise ValidationError(
            f"{where}điểm {format_decimal(score)} thấp hơn mức trừ tối đa {format_decimal(lo)}."
        )
    if score > hi + 1e-9:
        raise ValidationError(
            f"{where}điểm {format_decimal(score)} vượt điểm tối đa {format_decimal(hi)}."
        )
    if step > 0:
        units = score / step
        if abs(units - round(units)) > 1e-6:
            raise ValidationError(
                f"{where}điểm {format_decimal(score)} phải là bội số của {format_decimal(step)}."
            )


# -- text forms (spreadsheet column "Thang điểm", the item form) -----------------------------
# Pattern texts, compiled (and kept in ``re``'s own cache) on first use: rule texts are read
# when a framework is imported or edited, never at an ordinary start.
_NUM = r"[-+]?\d+(?:[.,]\d+)?"
_BAND_RE = (
    rf"^(?:(?P<op>>=|≥|>|<=|≤|<|=)\s*(?P<thr>{_NUM})\s*(?P<unit>%|[^\d\s→:;=<>≥≤-][^→:;]*?)?"
    rf"|từ\s+(?P<lo>{_NUM})\s*(?P<unit2>%?)\s*đến\s+dưới\s+(?P<hi>{_NUM})\s*%?"
    rf"|từ\s+(?P<thr2>{_NUM})\s*(?P<unit3>%|[^\d\s→:;][^→:;]*?)?\s+trở\s+lên"
    rf"|dưới\s+(?P<thr3>{_NUM})\s*(?P<unit4>%|[^\d\s→:;][^→:;]*?)?"
    r"|(?P<else>còn lại|khác|else|otherwise))\s*(?:→|->|=>|:)\s*(?P<pts>[-+]?\d+(?:[.,]\d+)?)$"
)
_OPS = {"≥": ">=", "≤": "<=", "=": ">=", ">=": ">=", ">": ">", "<=": "<=", "<": "<"}


def _num(text: str) -> float:
    value = read_number(text.replace(".", ","), what="Số")
    assert value is not None
    return value


def parse_bands(text: str) -> tuple[tuple[Band, ...], str]:
    """Parse ``"≥30% → 1; từ 20% đến dưới 30% → 0,5; còn lại → 0"`` into bands and the
    measure (``"%"`` or what is counted, e.g. ``"TTHC"`` in ``"từ 50 TTHC trở lên → 1"``).

    Raises :class:`ValueError` with a Vietnamese message naming the part it could not read.
    """
    bands: list[Band] = []
    measure = ""
    for part in (clean(p) for p in re.split(r"[;\n]", text)):
        if not part:
            continue
        m = re.match(_BAND_RE, part, re.IGNORECASE)
        if not m:
            raise ValueError(
                f"không hiểu mức “{part}” (ví dụ đúng: “>=80% → 0,5; "
                "từ 50% đến dưới 80% → 0,25; còn lại → 0”)"
            )
        pts = _num(m["pts"])
        unit = next((u for u in (m["unit"], m["unit2"], m["unit3"], m["unit4"]) if u), "")
        measure = measure or clean(unit)
        if m["else"]:
            bands.append(Band(None, pts))
        elif m["lo"] is not None:
            bands.append(Band(_num(m["lo"]), pts, "range", _num(m["hi"])))
        elif m["thr2"] is not None:
            bands.append(Band(_num(m["thr2"]), pts))
        elif m["thr3"] is not None:
            bands.append(Band(_num(m["thr3"]), pts, "<"))
        else:
            bands.append(Band(_num(m["thr"]), pts, _OPS[m["op"]]))
    if not bands:
        raise ValueError("thang điểm trống")
    return tuple(bands), measure


def format_bands(bands: tuple[Band, ...], measure: str = "") -> str:
    """Inverse of :func:`parse_bands`, in the same human-readable form."""
    unit = measure if measure in ("", "%") else f" {measure}"
    parts = []
    for band in bands:
        if band.threshold is None:
            head = "còn lại"
        elif band.op == "range":
            upper = "" if band.upper is None else format_decimal(band.upper)
            head = f"từ {format_decimal(band.threshold)}{unit} đến dưới {upper}{unit}"
        else:
            head = f"{band.op}{format_decimal(band.threshold)}{unit}"
        parts.append(f"{head} → {format_decimal(band.points)}")
    return "; ".join(parts)


def describe_band(band: Band, measure: str = "") -> str:
    """One band in words for the item form: ``"Từ 30% trở lên"``."""
    unit = measure if measure in ("", "%") else f" {measure}"
    if band.threshold is None:
        return "Còn lại"
    t = f"{format_decimal(band.threshold)}{unit}"
    if band.op == "range":
        upper = "" if band.upper is None else format_decimal(band.upper)
        return f"Từ {t} đến dưới {upper}{unit}"
    return {
        ">=": f"Từ {t} trở lên",
        ">": f"Trên {t}",
        "<=": f"Từ {t} trở xuống",
        "<": f"Dưới {t}",
    }[band.op]


_PROP_FULL = rf"đủ\s+điểm\s+từ\s+(?P<v>{_NUM})\s*%"
_PROP_ZERO = rf"0\s+điểm\s+dưới\s+(?P<v>{_NUM})\s*%"
_FLOOR = rf"trừ\s+tối\s+đa\s+(?P<v>{_NUM})"
_BONUS = rf"thưởng\s+tối\s+đa\s+(?P<v>{_NUM})"
_STEP = rf"bước\s+(?P<v>{_NUM})"


def format_rule_params(rule: ScoringRule) -> str:
    """The "Thang điểm" text of a rule of any kind (empty when it has no parameters)."""
    if rule.kind in (RuleKind.BANDS, RuleKind.COUNT):
        return format_bands(rule.bands, rule.measure) if rule.bands else ""
    if rule.kind is RuleKind.PROPORTIONAL:
        parts = [f"đủ điểm từ {format_decimal(rule.full_at or 100.0)}%"]
        if rule.zero_below is not None:
            parts.append(f"0 điểm dưới {format_decimal(rule.zero_below)}%")
        return "; ".join(parts)
    if rule.kind is RuleKind.DEDUCTION and rule.floor is not None:
        return f"trừ tối đa {format_decimal(-rule.floor)}"
    if rule.kind is RuleKind.BONUS and rule.bonus_max is not None:
        return f"thưởng tối đa {format_decimal(rule.bonus_max)}"
    if rule.kind is RuleKind.MANUAL and rule.step is not None:
        return f"bước {format_decimal(rule.step)}"
    return ""


def parse_rule_params(
    kind: RuleKind, text: str, *, source: str = "", not_applicable: str = ""
) -> ScoringRule:
    """Build a rule of ``kind`` from its "Thang điểm" text; :class:`ValueError` if unreadable."""
    text = clean(text)
    base = ScoringRule(kind=kind, source=clean(source), not_applicable=clean(not_applicable))

    def need(pattern: str, example: str) -> float:
        m = re.search(pattern, text, re.IGNORECASE)
        if not m:
            raise ValueError(f"cách chấm “{kind.label}” cần ghi “{example}”")
        return abs(_num(m["v"]))

    if kind in (RuleKind.BANDS, RuleKind.COUNT):
        bands, measure = parse_bands(text)
        return replace(base, bands=bands, measure=measure)
    if kind is RuleKind.PROPORTIONAL:
        full = need(_PROP_FULL, "đủ điểm từ 50%") if text else 100.0
        zero = re.search(_PROP_ZERO, text, re.IGNORECASE)
        return replace(
            base, measure="%", full_at=full, zero_below=_num(zero["v"]) if zero else None
        )
    if kind is RuleKind.DEDUCTION:
        return replace(base, floor=-need(_FLOOR, "trừ tối đa 1"))
    if kind is RuleKind.BONUS:
        return replace(base, bonus_max=need(_BONUS, "thưởng tối đa 0,5"))
    if kind is RuleKind.MANUAL and text:
        return replace(base, step=need(_STEP, "bước 0,25"))
    if text:
        raise ValueError(f"cách chấm “{kind.label}” không có thang điểm")
    return base


def describe_rule(max_points: float, rule: ScoringRule) -> str:
    """One line in words for the item form and the PDF: kind, parameters and source."""
    parts = [rule.kind.label]
    params = format_rule_params(rule)
    if params:
        parts.append(params)
    lo, hi = score_range(max_points, rule)
    if rule.kind in (RuleKind.DEDUCTION, RuleKind.BONUS):
        parts.append(f"từ {format_decimal(lo)} đến {format_decimal(hi)} điểm")
    text = " — ".join(parts)
    if rule.source:
        text += f" (theo: {rule.source})"
    return text
