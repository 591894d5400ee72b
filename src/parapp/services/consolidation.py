"""Consolidation ("tổng hợp, xếp hạng") of the child units for one period.

Four queries whatever the number of units (current bundles, their answers, appraisals,
settings); the figures follow the rule of :mod:`parapp.models.consolidation`. The result is
one in-memory structure the screen, the Excel workbook, the printed ranking and the upward
bundle all read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parapp.models.consolidation import (
    DEFAULT_THRESHOLDS,
    Comparison,
    RankedUnit,
    compare,
    parse_thresholds,
    rank_units,
    unit_result,
)
from parapp.models.document_forms import lower_first
from parapp.models.framework import Framework
from parapp.models.print_data import AppraisalLine, AppraisalReport, RankingReport, RankingRow
from parapp.models.text import clean
from parapp.services.appraisal import default_period, framework_of, unit_appraisal
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalsRepo, InboxRepo

THRESHOLDS_KEY = "rating_thresholds"


@dataclass(frozen=True)
class Consolidation:
    period: str
    framework: Framework
    rows: tuple[RankedUnit, ...]
    thresholds: tuple[tuple[str, float], ...]
    previous_period: str | None = None
    comparison: dict[str, Comparison] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)
    other_framework_units: tuple[str, ...] = ()  # submitted against another framework
    details: dict[str, tuple[AppraisalLine, ...]] = field(default_factory=dict)

    @property
    def provisional(self) -> bool:
        return any(r.result.provisional for r in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "framework": {"id": self.framework.id, "name": self.framework.name},
            "areas": [
                {"code": a.code, "title": a.title, "max": a.max_points}
                for a in self.framework.areas
            ],
            "thresholds": [{"label": t, "min_percent": b} for t, b in self.thresholds],
            "provisional": self.provisional,
            "previous_period": self.previous_period,
            "other_framework_units": list(self.other_framework_units),
            "rows": [self._row_dict(r) for r in self.rows],
        }

    def _row_dict(self, r: RankedUnit) -> dict[str, Any]:
        res = r.result
        cmp = self.comparison.get(res.unit_code)
        return {
            "unit_code": res.unit_code,
            "unit_name": res.unit_name,
            "revision": self.revisions.get(res.unit_code, 0),
            "area_totals": list(res.area_totals),
            "total": res.total,
            "self_total": res.self_total,
            "maximum": res.maximum,
            "index_percent": res.index_percent,
            "rank": r.rank,
            "rating": r.rating,
            "provisional": res.provisional,
            "appraised_items": res.appraised_items,
            "appraisable_items": res.appraisable_items,
            "previous_rank": cmp.previous_rank if cmp else None,
            "rank_change": cmp.rank_change(r.rank) if cmp else None,
            "index_change": cmp.index_change(res.index_percent) if cmp else None,
        }


def thresholds(ws: Workspace) -> tuple[tuple[str, float], ...]:
    raw = ws.settings.get(THRESHOLDS_KEY)
    return tuple((str(t), float(b)) for t, b in raw) if raw else DEFAULT_THRESHOLDS


def set_thresholds(ws: Workspace, text: str) -> tuple[tuple[str, float], ...]:
    bands = parse_thresholds(text)
    ws.settings.set(THRESHOLDS_KEY, [list(b) for b in bands])
    return bands


def consolidate(
    ws: Workspace, period: str | None = None, *, with_previous: bool = True
) -> Consolidation:
    """Rank the child units that submitted for ``period`` (default: the latest period).

    The framework is the one most units submitted against; units on another framework are
    listed in ``other_framework_units`` rather than ranked against a different maximum.
    """
    period = clean(period) if period else default_period(ws)
    repo = InboxRepo(ws.db)
    current = repo.current(period)
    if not current:
        from parapp.models.errors import ParAppError

        raise ParAppError(f"Chưa nhận hồ sơ hợp lệ nào cho kỳ {period}.")
    hashes = [str(r["framework_hash"]) for r in current]
    main_hash = max(set(hashes), key=lambda h: (hashes.count(h), h))
    used = [r for r in current if r["framework_hash"] == main_hash]
    fw = framework_of(ws, used[0])
    answers = repo.answers(int(r["id"]) for r in used)
    given = AppraisalsRepo(ws.db).for_period(period)
    results = [
        unit_result(
            fw,
            str(r["unit_code"]),
            str(r["unit_name"]),
            {c: a["self_score"] for c, a in answers[int(r["id"])].items()},
            {c: float(g["score"]) for c, g in given.get(str(r["unit_code"]), {}).items()},
        )
        for r in used
    ]
    details = {
        str(r["unit_code"]): _lines(fw, answers[int(r["id"])], given.get(str(r["unit_code"]), {}))
        for r in used
    }
    bands = thresholds(ws)
    ranked = rank_units(results, bands)
    previous = _previous_period(repo.periods(), period) if with_previous else None
    comparison: dict[str, Comparison] = {}
    if previous is not None:
        before = consolidate(ws, previous, with_previous=False)
        comparison = compare(ranked, before.rows)
    return Consolidation(
        period,
        fw,
        tuple(ranked),
        bands,
        previous,
        comparison,
        {str(r["unit_code"]): int(r["revision"]) for r in used},
        tuple(sorted(str(r["unit_code"]) for r in current if r["framework_hash"] != main_hash)),
        details,
    )


def _lines(
    fw: Framework, answers: dict[str, dict[str, Any]], given: dict[str, dict[str, Any]]
) -> tuple[AppraisalLine, ...]:
    out = []
    for leaf in fw.leaves():
        a, g = answers.get(leaf.code), given.get(leaf.code)
        out.append(
            AppraisalLine(
                leaf.code,
                leaf.title,
                leaf.max_points,
                None if a is None or a["self_score"] is None else float(a["self_score"]),
                None if g is None else float(g["score"]),
                "" if g is None else str(g["comment"]),
            )
        )
    return tuple(out)


PROVISIONAL_NOTE = (
    "Ghi chú: điểm là điểm thẩm định; tiêu chí chưa thẩm định tạm tính bằng điểm tự chấm "
    "(đơn vị có đánh dấu “Tạm tính”). Tiêu chí điều tra XHH chỉ tính khi phòng đã nhập điểm; "
    "chỉ số = tổng điểm ÷ điểm tối đa đơn vị có thể đạt."
)


def export_xlsx(ws: Workspace, path: Path, period: str | None = None) -> Consolidation:
    """Write the consolidated workbook (ranking, per area, per unit) for ``period``."""
    from parapp.interchange.excel_consolidation import write_consolidation_xlsx

    c = consolidate(ws, period)
    own = ws.require_unit()
    write_consolidation_xlsx(
        Path(path),
        title=f"Tổng hợp, xếp hạng {c.framework.name} — {own.name}",
        period=c.period,
        framework=c.framework,
        rows=c.rows,
        comparison=c.comparison,
        details=c.details,
        provisional_note=PROVISIONAL_NOTE,
    )
    return c


def _previous_period(periods: list[str], period: str) -> str | None:
    earlier = [p for p in periods if p < period]
    return earlier[-1] if earlier else None


def area_scores_by_unit(c: Consolidation) -> dict[str, dict[str, float]]:
    """``{unit: {area code: total}}`` for per-area views."""
    codes = [a.code for a in c.framework.areas]
    return {r.result.unit_code: dict(zip(codes, r.result.area_totals, strict=True)) for r in c.rows}


def ranking_report(ws: Workspace, period: str | None = None) -> RankingReport:
    """The printed ranking (``parapp print ranking``) from the consolidation: provisional
    marks, the previous period's rank, and the units that have not submitted."""
    c = consolidate(ws, period)
    own = ws.require_unit()
    title = f"Tổng hợp, xếp hạng {c.framework.name} của các đơn vị thuộc {lower_first(own.name)}"
    ranked = {r.result.unit_code for r in c.rows}
    missing = tuple(u.name for u in ws.child_units() if u.code not in ranked)
    return RankingReport(
        title=title,
        period=c.period,
        area_titles=tuple(a.title for a in c.framework.areas),
        area_max=tuple(a.max_points for a in c.framework.areas),
        rows=tuple(
            RankingRow(
                r.result.unit_code,
                r.result.unit_name,
                r.result.area_totals,
                r.result.total,
                r.result.maximum,
                r.result.index_percent,
                r.rank,
                r.rating,
                provisional=r.result.provisional,
                previous_rank=(
                    cmp.previous_rank
                    if (cmp := c.comparison.get(r.result.unit_code)) is not None
                    else None
                ),
            )
            for r in c.rows
        ),
        missing_units=missing,
        previous_period=c.previous_period or "",
    )


def appraisal_report(ws: Workspace, unit_code: str, period: str | None = None) -> AppraisalReport:
    """The printed appraisal of one unit (``parapp print appraisal UNIT``)."""
    ua = unit_appraisal(ws, unit_code, period)
    lines = tuple(
        AppraisalLine(
            i.code,
            i.title,
            i.max_points,
            i.self_score,
            i.appraised,
            i.comment,
            survey_only=i.survey_only,
            provisional=i.appraised is None and not i.survey_only,
        )
        for i in ua.items
    )
    return AppraisalReport(
        unit_name=ua.unit_name,
        unit_code=ua.unit_code,
        period=ua.period,
        framework_name=ua.framework.name,
        lines=lines,
        self_total=round(sum(i.self_score or 0.0 for i in ua.items if not i.survey_only), 4),
        appraised_total=round(sum(i.appraised or 0.0 for i in ua.items), 4),
        areas=tuple((a.code, a.title, a.max_points) for a in ua.framework.areas),
    )
