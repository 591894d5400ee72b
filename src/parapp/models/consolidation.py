"""Consolidation of child units' scores: totals, index, ranking with ties, rating bands.

Pure functions, so the office's screen, the Excel workbook, the printed ranking and the
upward bundle all show the same figures.

The rule (documented in ``docs/receiving-office.md``): a unit's official score for an item
is the appraised score when the office has appraised it; until then the unit's self score
stands in and the unit's result is marked *provisional*. Survey-only items count neither in
the total nor in the maximum unless the office entered a score for them (the office holds
the survey results); then they count in both. The index is total ÷ that maximum, in percent,
and the ranking orders units by index; equal indexes share a rank ("1, 2, 2, 4").
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from parapp.models import numbers
from parapp.models.errors import ValidationError
from parapp.models.framework import Framework
from parapp.models.scoring import RuleKind, score_range
from parapp.models.text import clean, format_number, parse_number

#: Default rating bands: label and the lowest index (%) that earns it, best first.
DEFAULT_THRESHOLDS: tuple[tuple[str, float], ...] = (
    ("Xuất sắc", 90.0),
    ("Tốt", 80.0),
    ("Khá", 70.0),
    ("Trung bình", 50.0),
    ("Yếu", 0.0),
)

_EPS = 1e-9


@dataclass(frozen=True)
class UnitResult:
    """One unit's consolidated figures; ``area_totals`` follow ``Framework.areas``."""

    unit_code: str
    unit_name: str
    area_totals: tuple[float, ...]
    total: float
    maximum: float
    self_total: float
    appraised_items: int
    appraisable_items: int
    #: per area, the points this unit could reach (survey items once entered, not-applicable
    #: items excluded); same order as ``area_totals``
    area_maxima: tuple[float, ...] = ()
    #: items whose self score contradicts the rule or cannot count, with the message
    warnings: tuple[str, ...] = ()

    @property
    def index_percent(self) -> float:
        return index_percent(self.total, self.maximum)

    @property
    def provisional(self) -> bool:
        """True while some self-assessable item has not been appraised."""
        return self.appraised_items < self.appraisable_items

    @property
    def appraisal_percent(self) -> float:
        if not self.appraisable_items:
            return 100.0
        return round(self.appraised_items * 100 / self.appraisable_items, 1)


@dataclass(frozen=True)
class RankedUnit:
    result: UnitResult
    rank: int
    rating: str


@dataclass(frozen=True)
class Comparison:
    """Change against the previous period; ``None`` where the unit was not ranked then."""

    previous_rank: int | None
    previous_index: float | None

    def rank_change(self, rank: int) -> int | None:
        """Positive when the unit moved up (a smaller rank number)."""
        return None if self.previous_rank is None else self.previous_rank - rank

    def index_change(self, index: float) -> float | None:
        return None if self.previous_index is None else round(index - self.previous_index, 2)


def index_percent(total: float, maximum: float) -> float:
    """Total ÷ applicable maximum in percent, half-up to two places (the one rounding rule)."""
    return numbers.index_percent(total, maximum)


def unit_result(
    fw: Framework,
    unit_code: str,
    unit_name: str,
    self_scores: Mapping[str, float | None],
    appraised: Mapping[str, float],
    *,
    stale: Collection[str] = (),
    not_applicable: Collection[str] = (),
    warnings: Sequence[str] = (),
) -> UnitResult:
    """Apply the consolidation rule (module docstring) to one unit.

    ``stale``: items whose appraisal was made on an older revision and whose answer changed
    since ("cần thẩm định lại"): the new self score stands in and the item counts as not
    appraised. ``not_applicable``: items the unit declared not applicable, out of the
    maximum. A self score outside the item's rule range never counts (0, with a warning).
    """
    area_totals: list[float] = []
    area_maxima: list[float] = []
    notes = list(warnings)
    maximum = 0.0
    self_total = 0.0
    done = 0
    appraisable = 0
    bonus_left = math.inf if fw.bonus_cap is None else fw.bonus_cap
    for area in fw.areas:
        area_total = 0.0
        area_max = 0.0
        for leaf in fw.leaves(area.code):
            own = self_scores.get(leaf.code)
            lo, hi = score_range(leaf.max_points, leaf.rule)
            if own is not None and not lo - _EPS <= own <= hi + _EPS:
                notes.append(
                    f"{leaf.code}: điểm tự chấm {format_number(own)} không hợp lệ, không tính"
                )
                own = None
            given = appraised.get(leaf.code) if leaf.code not in stale else None
            if leaf.code in not_applicable:
                continue
            if leaf.survey_only:
                if given is not None:
                    area_total += given
                    area_max += leaf.max_points
                continue
            appraisable += 1
            area_max += leaf.max_points
            self_total += own or 0.0
            official = given if given is not None else (own or 0.0)
            if given is not None:
                done += 1
            if leaf.rule.kind is RuleKind.BONUS:  # within the framework's bonus cap
                official = min(official, bonus_left)
                bonus_left -= official
            area_total += official
        area_totals.append(round(area_total, 4))
        area_maxima.append(round(area_max, 4))
        maximum += area_max
    return UnitResult(
        unit_code=unit_code,
        unit_name=unit_name,
        area_totals=tuple(area_totals),
        total=round(sum(area_totals), 4),
        maximum=round(maximum, 4),
        self_total=round(self_total, 4),
        appraised_items=done,
        appraisable_items=appraisable,
        area_maxima=tuple(area_maxima),
        warnings=tuple(notes),
    )


def competition_ranks(values: Sequence[float]) -> list[int]:
    """Standard competition ranking, highest first: ``[9, 8, 8, 7]`` -> ``[1, 2, 2, 4]``."""
    keyed = [round(v, 2) for v in values]
    return [1 + sum(1 for other in keyed if other > v + _EPS) for v in keyed]


def rating_for(index: float, thresholds: Sequence[tuple[str, float]]) -> str:
    """The first band (best first) whose lower bound ``index`` reaches; ``""`` if none."""
    for label, lowest in sorted(thresholds, key=lambda t: -t[1]):
        if index + _EPS >= lowest:
            return label
    return ""


def rank_units(
    results: Sequence[UnitResult], thresholds: Sequence[tuple[str, float]] = DEFAULT_THRESHOLDS
) -> list[RankedUnit]:
    """Rank by index (ties share a rank), best first; equal ranks keep unit-code order."""
    ranks = competition_ranks([r.index_percent for r in results])
    ranked = [
        RankedUnit(r, rank, rating_for(r.index_percent, thresholds))
        for r, rank in zip(results, ranks, strict=True)
    ]
    return sorted(ranked, key=lambda x: (x.rank, x.result.unit_code))


def compare(current: Sequence[RankedUnit], previous: Sequence[RankedUnit]) -> dict[str, Comparison]:
    """Per unit of ``current``: its rank and index in ``previous`` (if it was ranked there)."""
    before = {p.result.unit_code: p for p in previous}
    out: dict[str, Comparison] = {}
    for c in current:
        p = before.get(c.result.unit_code)
        out[c.result.unit_code] = Comparison(
            p.rank if p else None, p.result.index_percent if p else None
        )
    return out


def parse_thresholds(text: str) -> tuple[tuple[str, float], ...]:
    """``"Xuất sắc=90, Tốt=80, Khá=70, Trung bình=50, Yếu=0"`` -> bands, best first.

    Bands are separated by ``,`` or, when a bound has a decimal comma, by ``;``. The last of
    several bands may omit ``=`` (``"…, Yếu"``): "everything below", bound 0. Any other band
    without a bound is refused by name — a lone word such as ``"không phải ngưỡng"`` is a
    typing slip, not a scale with one band. Labels must be distinct, bounds distinct and
    within 0..100.
    """
    bands: list[tuple[str, float]] = []
    problems: list[str] = []
    text = clean(text)
    parts = [p for p in text.split(";" if ";" in text else ",") if p.strip()]
    for n, part in enumerate(parts):
        label, sep, raw = part.partition("=")
        label = clean(label)
        if not sep and (len(parts) == 1 or n < len(parts) - 1):
            problems.append(
                f"Mức xếp loại “{clean(part)}” thiếu ngưỡng phần trăm (dạng: Tên=phần trăm, ví "
                "dụ “Tốt=80”; chỉ mức cuối cùng được bỏ ngưỡng, hiểu là từ 0)."
            )
            continue
        try:
            bound = parse_number(raw) if sep else 0.0
        except ValueError:
            bound = None
        if not label or bound is None or not 0 <= bound <= 100:
            problems.append(f"Mức xếp loại “{clean(part)}” không hợp lệ (dạng: Tên=phần trăm).")
            continue
        bands.append((label, bound))
    if not bands and not problems:
        problems.append("Chưa nhập mức xếp loại nào.")
    if len({b[0] for b in bands}) != len(bands) or len({b[1] for b in bands}) != len(bands):
        problems.append("Các mức xếp loại phải có tên và ngưỡng khác nhau.")
    if bands and min(b[1] for b in bands) > 0:
        problems.append(
            "Mức xếp loại thấp nhất phải bắt đầu từ 0 (ví dụ “…, Yếu=0”), để đơn vị nào cũng "
            "được xếp loại."
        )
    if problems:
        raise ValidationError(problems)
    return tuple(sorted(bands, key=lambda b: -b[1]))


def format_thresholds(bands: Sequence[tuple[str, float]]) -> str:
    """Inverse of :func:`parse_thresholds` (decimal comma, so bands are separated by ``;``)."""
    return "; ".join(f"{label}={format_number(bound)}" for label, bound in bands)
