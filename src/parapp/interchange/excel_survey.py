"""Survey results (*điều tra xã hội học*) as a sheet: one row per unit, one column per item.

Survey-only items are not self-assessed; the office receives their results from the survey
and enters them. This workbook is how a province hands them over: row 1 holds
``Mã đơn vị``, ``Tên đơn vị`` and then one survey item code per column; each following row
is a unit and its points. Cells are numbers or Vietnamese number text (``2,64``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from parapp.interchange.excel_common import (
    HEADER_FILL,
    cell_text,
    code_text,
    norm_header,
    open_workbook,
    save_workbook,
)
from parapp.models.errors import ImportErrors, ParAppError, SheetError
from parapp.models.framework import Framework
from parapp.models.numbers import read_number

SHEET = "Điều tra XHH"
UNIT_HEADER = "Mã đơn vị"
NAME_HEADER = "Tên đơn vị"
MAX_ROWS = 20_000
MAX_COLUMNS = 500


@dataclass(frozen=True)
class SurveyScore:
    unit_code: str
    code: str
    points: float
    row: int
    column: str


def write_survey_template(fw: Framework, units: list[tuple[str, str]], path: Path) -> None:
    """A sheet with the framework's survey items as columns and ``units`` as rows."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    items = [c for c in fw.leaves() if c.survey_only]
    ws.append([UNIT_HEADER, NAME_HEADER, *(c.code for c in items)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.number_format = "@"
    for code, name in units:
        ws.append([code, name])
        ws.cell(ws.max_row, 1).number_format = "@"
    ws.column_dimensions["B"].width = 30
    ws.freeze_panes = "C2"
    save_workbook(wb, path)


def read_survey_xlsx(path: Path, fw: Framework) -> list[SurveyScore]:
    """Every filled cell of the sheet as a score; all problems at once, nothing partial.

    Checked here: the header names survey-only items of ``fw``, points are finite numbers
    within 0..the item's maximum, no unit appears twice. Raises :class:`ImportErrors`.
    """
    wb = open_workbook(Path(path))
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    name = ws.title
    if (ws.max_row or 0) > MAX_ROWS or (ws.max_column or 0) > MAX_COLUMNS:
        raise ParAppError(f"Trang tính “{name}” quá lớn (tối đa {MAX_ROWS} dòng).")
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise ImportErrors([SheetError(name, 1, None, "trang tính trống")])
    header = [cell_text(v) for v in rows[0]]
    errors: list[SheetError] = []
    if not header or norm_header(header[0]) != norm_header(UNIT_HEADER):
        raise ImportErrors([SheetError(name, 1, "A", f"ô A1 phải là “{UNIT_HEADER}”")])
    columns: dict[int, str] = {}
    for i, text in enumerate(header[1:], start=1):
        if not text or norm_header(text) == norm_header(NAME_HEADER):
            continue
        code = code_text(text)
        leaf = fw.by_code.get(code)
        letter = _letter(i)
        if leaf is None:
            errors.append(SheetError(name, 1, letter, f"không có tiêu chí mã “{code}”"))
        elif not leaf.survey_only:
            errors.append(
                SheetError(name, 1, letter, f"tiêu chí {code} không chấm qua điều tra XHH")
            )
        else:
            columns[i] = code
    out: list[SurveyScore] = []
    seen: set[str] = set()
    for r, values in enumerate(rows[1:], start=2):
        unit = code_text(values[0]) if values else ""
        if not unit:
            continue
        if unit in seen:
            errors.append(SheetError(name, r, "A", f"đơn vị {unit} xuất hiện hai lần"))
            continue
        seen.add(unit)
        for i, code in columns.items():
            raw = values[i] if i < len(values) else None
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            letter = _letter(i)
            try:
                points = read_number(
                    raw if isinstance(raw, int | float) else cell_text(raw), what="Điểm"
                )
            except ParAppError as err:
                errors.append(SheetError(name, r, letter, str(err)))
                continue
            assert points is not None
            top = fw.by_code[code].max_points
            if not 0 <= points <= top + 1e-9:
                errors.append(
                    SheetError(name, r, letter, f"điểm {raw} nằm ngoài 0..{top:g} ({code})")
                )
                continue
            out.append(SurveyScore(unit, code, points, r, letter))
    if errors:
        raise ImportErrors(errors)
    return out


def _letter(index0: int) -> str:
    return str(get_column_letter(index0 + 1))
