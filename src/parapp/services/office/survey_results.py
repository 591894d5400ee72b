"""Import survey results (unit × survey item → points) into the office's appraisal.

Survey-only items count in a unit's total and maximum once the office has entered them
(:mod:`parapp.models.consolidation`); this enters a whole province's sheet at once. All or
nothing: any problem (unknown unit, a unit that is not a child or has not submitted, an item
already appraised with another score) refuses the whole sheet, naming row and column.
"""

from __future__ import annotations

from pathlib import Path

from parapp.interchange.excel_survey import read_survey_xlsx, write_survey_template
from parapp.models.errors import ImportErrors, NotFoundError, SheetError
from parapp.models.text import clean, format_number
from parapp.services.office.appraisal import current_bundle, default_period, framework_of
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalsRepo, InboxRepo

SURVEY_COMMENT = "Kết quả điều tra XHH (nhập từ tệp “{name}”)."


def write_survey_sheet(ws: Workspace, path: Path, period: str | None = None) -> int:
    """Write the sheet the survey team fills: one row per unit that submitted for
    ``period``, one column per survey item of their framework; return how many units.

    Only units with a current bundle are listed, because only they can receive survey points
    (:func:`import_survey_results` refuses the others), and the sheet names the framework the
    units actually used rather than the office's own.
    """
    period = clean(period) if period else default_period(ws)
    current = InboxRepo(ws.db).current(period)
    if not current:
        raise NotFoundError(f"Chưa nhận hồ sơ hợp lệ nào cho kỳ {period}.")
    fw = framework_of(ws, current[0])
    if not any(c.survey_only for c in fw.leaves()):
        raise NotFoundError(f"Bộ chỉ số “{fw.name}” không có tiêu chí nào chấm qua điều tra XHH.")
    names = {u.code: u.name for u in ws.child_units()}
    submitted = sorted({str(r["unit_code"]) for r in current} & names.keys())
    write_survey_template(fw, [(code, names[code]) for code in submitted], Path(path))
    return len(submitted)


def import_survey_results(
    ws: Workspace, path: Path, period: str | None = None, *, overwrite: bool = False
) -> int:
    """Enter every score of the sheet at ``path`` for ``period``; return how many."""
    period = clean(period) if period else default_period(ws)
    current = InboxRepo(ws.db).current(period)
    if not current:
        raise NotFoundError(f"Chưa nhận hồ sơ hợp lệ nào cho kỳ {period}.")
    fw = framework_of(ws, current[0])
    scores = read_survey_xlsx(Path(path), fw)
    children = {u.code for u in ws.child_units()}
    given = AppraisalsRepo(ws.db).for_period(period)
    errors: list[SheetError] = []
    rows: dict[str, list[tuple[str, float, str, int]]] = {}
    note = SURVEY_COMMENT.format(name=Path(path).name)
    for s in scores:
        if s.unit_code not in children:
            errors.append(SheetError("Điều tra XHH", s.row, "A",
                                     f"{s.unit_code} không phải đơn vị cấp dưới"))  # fmt: skip
            continue
        try:
            bundle = current_bundle(ws, s.unit_code, period)
        except NotFoundError as err:
            errors.append(SheetError("Điều tra XHH", s.row, "A", str(err)))
            continue
        old = given.get(s.unit_code, {}).get(s.code)
        if old is not None and float(old["score"]) != s.points and not overwrite:
            errors.append(
                SheetError(
                    "Điều tra XHH",
                    s.row,
                    s.column,
                    f"{s.unit_code} tiêu chí {s.code} đã có điểm "
                    f"{format_number(float(old['score']))}; chọn ghi đè để thay",
                )
            )
            continue
        rows.setdefault(s.unit_code, []).append((s.code, s.points, note, int(bundle["revision"])))
    if errors:
        raise ImportErrors(errors)
    repo = AppraisalsRepo(ws.db)
    with ws.db.atomic():
        for unit, items in rows.items():
            repo.put_many(unit, period, items)
    return sum(len(v) for v in rows.values())
