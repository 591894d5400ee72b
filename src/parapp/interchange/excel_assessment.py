"""The self-assessment as an Excel workbook, for review and for offices that still collect Excel.

One sheet, the whole tree in the framework's order: areas and criteria with their subtotals
(bold), items with the measured figures, the self score, the explanation and the number of
evidence files; a total row. Every figure is the roll-up the screen shows (the same
``rollup``), written as a number so the reviewer's formulas work.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from parapp.interchange.excel_common import HEADER_FILL, WRAP, save_workbook
from parapp.models.assessment import Answer
from parapp.models.framework import Framework
from parapp.models.rollup import Rollup

HEADERS = (
    ("Mã", 8),
    ("Tiêu chí", 60),
    ("Điểm tối đa", 10),
    ("Cách chấm", 14),
    ("Giá trị đo", 10),
    ("Tử số", 9),
    ("Mẫu số", 9),
    ("Điểm tự chấm", 11),
    ("Giải trình", 50),
    ("Số tài liệu kiểm chứng", 11),
)
SCORE_FORMAT = "0.##"
BOLD = Font(bold=True)


def write_assessment_xlsx(
    fw: Framework,
    answers: dict[str, Answer],
    totals: Rollup,
    out: Path,
    *,
    unit_name: str,
    period: str,
) -> Path:
    """Write the workbook atomically to ``out`` and return it."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tự đánh giá"
    ws.append([f"KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM — {unit_name}"])
    ws.append([f"Bộ chỉ số: {fw.name} · Kỳ đánh giá: {period}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append([h for h, _ in HEADERS])
    header_row = ws.max_row
    for col, (_, width) in enumerate(HEADERS, start=1):
        cell = ws.cell(header_row, col)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    for c in fw.criteria:
        node = totals.nodes.get(c.code)
        if fw.is_leaf(c.code):
            a = answers.get(c.code, Answer(code=c.code))
            row: list[object] = [
                c.code,
                c.title,
                c.max_points,
                c.rule.kind.label,
                a.value,
                a.numerator,
                a.denominator,
                a.self_score,
                a.explanation,
                len(a.evidence),
            ]
            ws.append(row)
        else:
            ws.append(
                [c.code, c.title, c.max_points, "", None, None, None,
                 node.self_score if node else None, "", None]
            )  # fmt: skip
            for col in range(1, len(HEADERS) + 1):
                ws.cell(ws.max_row, col).font = BOLD
        r = ws.max_row
        ws.cell(r, 2).alignment = WRAP
        ws.cell(r, 9).alignment = WRAP
        for col in (3, 5, 6, 7, 8):
            ws.cell(r, col).number_format = SCORE_FORMAT
    ws.append(
        ["", "TỔNG CỘNG", totals.total_max, "", None, None, None, totals.total_score, "", None]
    )
    for col in range(1, len(HEADERS) + 1):
        ws.cell(ws.max_row, col).font = BOLD
    for col in (3, 8):
        ws.cell(ws.max_row, col).number_format = SCORE_FORMAT
    ws.freeze_panes = ws.cell(header_row + 1, 3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(HEADERS))}{ws.max_row - 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    save_workbook(wb, out)
    return out
