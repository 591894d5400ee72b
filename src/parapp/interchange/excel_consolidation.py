"""The consolidated Excel workbook of a receiving office: ranking, one sheet per area, and a
detail sheet per unit.

Numbers are stored as numbers with the format ``0.00`` so Excel/LibreOffice in a Vietnamese
locale show the decimal comma and the figures can be summed; headers are Vietnamese, frozen,
and every sheet prints on A4 landscape, fitted to the page width.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parapp.interchange.excel_common import HEADER_FILL, WRAP, save_workbook
from parapp.models.consolidation import Comparison, RankedUnit
from parapp.models.framework import Framework
from parapp.models.print_data import AppraisalLine

NUMBER = "0.00"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
RANKING_SHEET = "Xếp hạng"
NOT_SUBMITTED = "Chưa nộp"


def _sheet_title(text: str, used: set[str]) -> str:
    """Excel sheet names: ≤ 31 characters, none of ``[]:*?/\\``, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Trang"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _setup(ws: Worksheet, title: str, headers: Sequence[str], widths: Sequence[int]) -> None:
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(list(headers))
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=3, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BOX
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "C4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"


def _append(ws: Worksheet, values: Sequence[object], number_from: int) -> None:
    """Append a row; columns from ``number_from`` (1-based) holding numbers get ``0.00``."""
    ws.append(list(values))
    row = ws.max_row
    for col in range(1, len(values) + 1):
        cell = ws.cell(row=row, column=col)
        cell.border = BOX
        if isinstance(cell.value, int | float) and col >= number_from:
            cell.number_format = NUMBER
        elif isinstance(cell.value, str):
            cell.alignment = WRAP


def write_consolidation_xlsx(
    path: Path,
    *,
    title: str,
    period: str,
    framework: Framework,
    rows: Sequence[RankedUnit],
    comparison: Mapping[str, Comparison],
    details: Mapping[str, Sequence[AppraisalLine]],
    provisional_note: str = "",
    not_submitted: Sequence[tuple[str, str]] = (),
) -> None:
    """Write the workbook atomically. ``details`` maps unit code to its appraisal lines;
    ``not_submitted`` (code, name) are listed under the ranking as "Chưa nộp".

    Number formats follow the data: points, indexes and index changes ``0.00``; ranks and
    rank changes ``0``.
    """
    wb = Workbook()
    used: set[str] = set()
    ranking = wb.active
    assert ranking is not None
    ranking.title = _sheet_title(RANKING_SHEET, used)
    areas = framework.areas
    headers = ["Mã đơn vị", "Tên đơn vị"]
    headers += [f"{a.code}. {a.title} (tối đa {a.max_points:g})" for a in areas]
    headers += [
        "Tổng điểm",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Xếp hạng",
        "Xếp loại",
        "Tạm tính",
        "Hạng kỳ trước",
        "Thay đổi hạng",
        "Thay đổi chỉ số (%)",
        "Cần lưu ý",
    ]
    _setup(
        ranking,
        f"{title} — kỳ {period}",
        headers,
        [11, 28] + [14] * len(areas) + [11] * 9 + [40],
    )
    for r in rows:
        res = r.result
        cmp = comparison.get(res.unit_code)
        _append(
            ranking,
            [
                res.unit_code,
                res.unit_name,
                *res.area_totals,
                res.total,
                res.maximum,
                res.index_percent,
                r.rank,
                r.rating,
                "Có" if res.provisional else "",
                cmp.previous_rank if cmp and cmp.previous_rank is not None else "",
                _or_blank(cmp.rank_change(r.rank) if cmp else None),
                _or_blank(cmp.index_change(res.index_percent) if cmp else None),
                "; ".join(res.warnings),
            ],
            number_from=3,
        )
        rank_col = 3 + len(areas) + 3
        for offset in (0, 3, 4):  # rank, previous rank, rank change: whole numbers
            ranking.cell(row=ranking.max_row, column=rank_col + offset).number_format = "0"
    for code, name in not_submitted:
        _append(
            ranking,
            [code, name, *[""] * len(areas), "", "", "", "", NOT_SUBMITTED],
            number_from=3,
        )
    if provisional_note:
        ranking.append([])
        ranking.append([provisional_note])

    for index, area in enumerate(areas):
        sheet = wb.create_sheet(_sheet_title(f"{area.code}. {area.title}", used))
        leaves = list(framework.leaves(area.code))
        head = ["Mã đơn vị", "Tên đơn vị"] + [f"{c.code} (tối đa {c.max_points:g})" for c in leaves]
        head.append(f"Tổng lĩnh vực (tối đa {area.max_points:g})")
        _setup(
            sheet,
            f"{area.code}. {area.title} — kỳ {period}",
            head,
            [11, 28] + [11] * len(leaves) + [16],
        )
        for r in rows:
            by_code = {ln.code: ln for ln in details.get(r.result.unit_code, ())}
            scores = [_official(by_code.get(c.code)) for c in leaves]
            _append(
                sheet,
                [r.result.unit_code, r.result.unit_name, *scores, r.result.area_totals[index]],
                number_from=3,
            )

    for r in rows:
        res = r.result
        sheet = wb.create_sheet(_sheet_title(f"{res.unit_code} {res.unit_name}", used))
        _setup(
            sheet,
            f"Chi tiết thẩm định: {res.unit_name} ({res.unit_code}) — kỳ {period}",
            [
                "Mã tiêu chí",
                "Tiêu chí",
                "Điểm tối đa",
                "Điểm tự chấm",
                "Điểm thẩm định",
                "Chênh lệch",
                "Nhận xét",
            ],
            [11, 48, 11, 11, 11, 11, 40],
        )
        for ln in details.get(res.unit_code, ()):
            diff = (
                round(ln.appraised_score - ln.self_score, 4)
                if ln.appraised_score is not None and ln.self_score is not None
                else None
            )
            _append(
                sheet,
                [
                    ln.code,
                    ln.title,
                    ln.max_points,
                    _or_blank(ln.self_score),
                    _or_blank(ln.appraised_score),
                    _or_blank(diff),
                    ln.comment,
                ],
                number_from=3,
            )
    save_workbook(wb, path)


def _or_blank(value: float | int | None) -> float | int | str:
    return "" if value is None else value


def _official(line: AppraisalLine | None) -> float | str:
    """The score that counts: appraised, else the self score (provisional), else blank."""
    if line is None:
        return ""
    if line.appraised_score is not None:
        return line.appraised_score
    return "" if line.self_score is None else line.self_score
