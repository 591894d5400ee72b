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

from parapp.models.answer_check import check_answers
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
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework
from parapp.models.print_data import AppraisalLine, AppraisalReport, RankingReport, RankingRow
from parapp.models.text import clean
from parapp.services.framework_package import published_by_period
from parapp.services.office.appraisal import (
    REAPPRAISE_LABEL,
    default_period,
    framework_of,
    stale_items,
    unit_appraisal,
)
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalsRepo, InboxRepo, Row

THRESHOLDS_KEY = "rating_thresholds"
REFERENCE_NOTE = (
    "Đơn vị mới từ 01/07/2025: kết quả kỳ trước là của các đơn vị cũ hình thành nên đơn vị, "
    "chỉ để tham khảo, không dùng để so sánh thứ hạng."
)


@dataclass(frozen=True)
class PredecessorResult:
    """A pre-2025 unit's result of the previous period, shown for a new unit for reference."""

    code: str  # the code it submitted under
    name: str
    how: str  # "toàn bộ" / "một phần" of it went into the new unit
    rank: int
    index_percent: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "how": self.how,
            "rank": self.rank,
            "index_percent": self.index_percent,
            "reference_only": True,
        }


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
    #: New units (1 July 2025): their predecessors' previous results, for reference only.
    predecessor_results: dict[str, tuple[PredecessorResult, ...]] = field(default_factory=dict)
    #: child units with no valid bundle for the period: (code, name)
    not_submitted: tuple[tuple[str, str], ...] = ()
    #: office bundles of child offices: their own consolidation, not a self-assessment
    offices: tuple[dict[str, Any], ...] = ()

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
            "not_submitted": [
                {"unit_code": code, "unit_name": name, "status": NOT_SUBMITTED}
                for code, name in self.not_submitted
            ],
            "offices": list(self.offices),
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
            "area_maxima": list(res.area_maxima),
            "index_percent": res.index_percent,
            "rank": r.rank,
            "rating": r.rating,
            "provisional": res.provisional,
            "appraised_items": res.appraised_items,
            "appraisable_items": res.appraisable_items,
            "previous_rank": cmp.previous_rank if cmp else None,
            "rank_change": cmp.rank_change(r.rank) if cmp else None,
            "index_change": cmp.index_change(res.index_percent) if cmp else None,
            "previous_of_predecessors": [
                p.as_dict() for p in self.predecessor_results.get(res.unit_code, ())
            ],
            "previous_note": REFERENCE_NOTE if res.unit_code in self.predecessor_results else "",
            "warnings": list(res.warnings),
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

    The framework is the one the office published for the period (a framework package), else
    the one most units submitted against; units on another framework are listed in
    ``other_framework_units`` rather than ranked against a different maximum.
    """
    period = clean(period) if period else default_period(ws)
    repo = InboxRepo(ws.db)
    children = {u.code: u for u in ws.child_units()}
    received = [r for r in repo.current(period) if r["unit_code"] in children]
    documents = {int(r["id"]): repo.document(int(r["id"])) for r in received}
    office_rows = [r for r in received if _is_office_bundle(documents[int(r["id"])])]
    current = [r for r in received if r not in office_rows]
    if not current:
        raise ParAppError(f"Chưa nhận hồ sơ tự đánh giá hợp lệ nào cho kỳ {period}.")
    hashes = [str(r["framework_hash"]) for r in current]
    # the framework the office published for the period ranks; else the most used one
    published = published_by_period(ws).get(period, frozenset())
    main_hash = max(set(hashes), key=lambda h: (h in published, hashes.count(h), h))
    used = [r for r in current if r["framework_hash"] == main_hash]
    fw = framework_of(ws, used[0])
    answers = repo.answers(int(r["id"]) for r in used)
    given = AppraisalsRepo(ws.db).for_period(period)
    results = []
    details = {}
    for r in used:
        unit = str(r["unit_code"])
        got = answers[int(r["id"])]
        mine = given.get(unit, {})
        stale = stale_items(ws, unit, period, got, mine, int(r["revision"]))
        flags = check_answers(fw, got.values()).flags
        notes = [f"{code}: {msg}" for code, msg in sorted(flags.items())]
        notes += [f"{code}: {REAPPRAISE_LABEL}" for code in sorted(stale)]
        results.append(
            unit_result(
                fw,
                unit,
                str(r["unit_name"]),
                {c: a["self_score"] for c, a in got.items()},
                {c: float(g["score"]) for c, g in mine.items()},
                stale=stale,
                not_applicable={c for c, a in got.items() if a.get("not_applicable")},
                warnings=notes,
            )
        )
        details[unit] = _lines(fw, got, mine, flags, stale)
    bands = thresholds(ws)
    ranked = rank_units(results, bands)
    previous = _previous_period(repo.periods(), period) if with_previous else None
    comparison: dict[str, Comparison] = {}
    references: dict[str, tuple[PredecessorResult, ...]] = {}
    if previous is not None:
        try:
            before = consolidate(ws, previous, with_previous=False)
        except ParAppError:
            before = None
        if before is not None:
            comparison = compare(ranked, before.rows)
            comparison, references = lineage_references(ranked, before.rows, comparison)
    submitted = {str(r["unit_code"]) for r in received}
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
        references,
        tuple((c, u.name) for c, u in sorted(children.items()) if c not in submitted),
        tuple(_office_summary(r, documents[int(r["id"])]) for r in office_rows),
    )


NOT_SUBMITTED = "Chưa nộp"


def _is_office_bundle(doc: dict[str, Any]) -> bool:
    """An office's upward bundle carries its consolidation and its children's bundles."""
    extra = doc.get("extra") or {}
    return bool(doc.get("children")) or "consolidation" in extra


def _office_summary(row: Row, doc: dict[str, Any]) -> dict[str, Any]:
    """What a child office's bundle says about its own units (its consolidated result)."""
    cons = (doc.get("extra") or {}).get("consolidation") or {}
    rows = cons.get("rows") or []
    return {
        "unit_code": str(row["unit_code"]),
        "unit_name": str(row["unit_name"]),
        "revision": int(row["revision"]),
        "kind": "consolidation",
        "provisional": bool(cons.get("provisional")),
        "units_ranked": len(rows),
        "not_submitted": len(cons.get("not_submitted") or []),
        "rows": [
            {k: x.get(k) for k in ("unit_code", "unit_name", "index_percent", "rank", "rating")}
            for x in rows
            if isinstance(x, dict)
        ],
    }


def lineage_references(
    ranked: list[RankedUnit],
    previous: tuple[RankedUnit, ...],
    comparison: dict[str, Comparison],
) -> tuple[dict[str, Comparison], dict[str, tuple[PredecessorResult, ...]]]:
    """For units formed on 1 July 2025: the previous results of the units they came from.

    A unit is new when the catalogue gives it predecessors and the previous period has no
    result of *that* unit — absent, or the same code used by the old unit (the GSO re-used
    codes: new Phường Ba Đình 00004 vs old Phường Trúc Bạch 00004), which must then not be
    compared as if it were the same unit. Before the reform units submitted under the bare
    old code or, in workspaces of this version, ``old-`` + code; a result counts only when
    its unit name is the predecessor's.
    """
    from parapp.models.catalogue import same_place
    from parapp.services import unit_catalogue

    before = {p.result.unit_code: p for p in previous}
    fixed = dict(comparison)
    references: dict[str, tuple[PredecessorResult, ...]] = {}
    for r in ranked:
        code = r.result.unit_code
        entry = unit_catalogue.lookup(code)
        if entry is None or entry.historical or not entry.predecessors:
            continue
        same = before.get(code)
        if same is not None and same_place(same.result.unit_name, entry.name):
            continue  # the same unit in both periods: an ordinary comparison
        found: list[PredecessorResult] = []
        for link in entry.predecessors:
            for key in (link.code, link.code.removeprefix("old-")):
                p = before.get(key)
                if p is not None and same_place(p.result.unit_name, link.name):
                    found.append(
                        PredecessorResult(
                            key, p.result.unit_name, link.how, p.rank, p.result.index_percent
                        )
                    )
                    break
        if same is not None:
            fixed[code] = Comparison(None, None)
        if found:
            references[code] = tuple(found)
    return fixed, references


def _lines(
    fw: Framework,
    answers: dict[str, dict[str, Any]],
    given: dict[str, dict[str, Any]],
    flags: dict[str, str],
    stale: set[str],
) -> tuple[AppraisalLine, ...]:
    out = []
    for leaf in fw.leaves():
        a = answers.get(leaf.code)
        g = None if leaf.code in stale else given.get(leaf.code)
        out.append(
            AppraisalLine(
                leaf.code,
                leaf.title,
                leaf.max_points,
                None if a is None or a["self_score"] is None else float(a["self_score"]),
                None if g is None else float(g["score"]),
                "" if g is None else str(g["comment"]),
                _flag_text(leaf.code, flags, stale),
            )
        )
    return tuple(out)


def _flag_text(code: str, flags: dict[str, str], stale: set[str]) -> str:
    parts = [flags[code]] if code in flags else []
    if code in stale:
        parts.append(REAPPRAISE_LABEL)
    return "; ".join(parts)


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
        not_submitted=c.not_submitted,
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
                (("Tạm tính",) if r.result.provisional else ()) + r.result.warnings,
                provisional=r.result.provisional,
                previous_rank=(
                    cmp.previous_rank
                    if (cmp := c.comparison.get(r.result.unit_code)) is not None
                    else None
                ),
            )
            for r in c.rows
        ),
        not_submitted=c.not_submitted,
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
            None if i.reappraise else i.appraised,
            i.comment,
            "; ".join(x for x in (i.flag, REAPPRAISE_LABEL if i.reappraise else "") if x),
            survey_only=i.survey_only,
            provisional=(i.appraised is None or i.reappraise) and not i.survey_only,
        )
        for i in ua.items
    )
    # the total as the ranking computes it: unappraised items count their self score
    result = unit_result(
        ua.framework,
        ua.unit_code,
        ua.unit_name,
        {i.code: i.self_score for i in ua.items},
        {i.code: i.appraised for i in ua.items if i.appraised is not None},
        stale={i.code for i in ua.items if i.reappraise},
        not_applicable={i.code for i in ua.items if i.not_applicable},
    )
    return AppraisalReport(
        unit_name=ua.unit_name,
        unit_code=ua.unit_code,
        period=ua.period,
        framework_name=ua.framework.name,
        lines=lines,
        self_total=result.self_total,
        appraised_total=result.total,
        provisional=result.provisional,
        areas=tuple((a.code, a.title, a.max_points) for a in ua.framework.areas),
    )
