"""The year-to-year comparison of two frameworks as a spreadsheet an officer can circulate.

One row per item of either year, the change named in Vietnamese, both codes, titles and
points side by side; a summary sheet counts the changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from parapp.interchange.excel_common import (
    WRAP,
    Column,
    save_workbook,
    write_header,
    write_info,
)
from parapp.models.framework import Framework
from parapp.models.framework_diff import Change, FrameworkDiff

SHEET_SUMMARY = "Tóm tắt"
SHEET_ITEMS = "So sánh"

DIFF_COLUMNS: tuple[Column, ...] = (
    Column("change", "Thay đổi", width=22),
    Column("old_code", "Mã cũ", width=10),
    Column("new_code", "Mã mới", width=10),
    Column("old_title", "Nội dung (kỳ trước)", width=50),
    Column("new_title", "Nội dung (kỳ này)", width=50),
    Column("old_points", "Điểm tối đa cũ", width=10),
    Column("new_points", "Điểm tối đa mới", width=10),
)
# Rows that need attention are shaded: additions green, removals red, other changes yellow.
_FILLS = {
    Change.ADDED: PatternFill("solid", fgColor="E2EFDA"),
    Change.REMOVED: PatternFill("solid", fgColor="FBE3E1"),
}
_CHANGED_FILL = PatternFill("solid", fgColor="FFF2CC")


def _describe(fw: Framework) -> str:
    year = f" ({fw.year})" if fw.year else ""
    return f"{fw.name}{year}"


def write_framework_diff_xlsx(diff: FrameworkDiff, path: Path) -> None:
    """Write ``diff`` to ``path`` atomically (a summary sheet and one row per item)."""
    wb = Workbook()
    summary = wb.active
    summary.title = SHEET_SUMMARY
    counts = diff.counts()
    pairs: list[tuple[str, Any]] = [
        ("Kỳ trước", _describe(diff.old)),
        ("Kỳ này", _describe(diff.new)),
        ("Tổng điểm kỳ trước", diff.old.total_points),
        ("Tổng điểm kỳ này", diff.new.total_points),
    ]
    pairs += [(f"Số tiêu chí: {c.label.lower()}", counts[c]) for c in Change]
    write_info(summary, pairs)

    ws = wb.create_sheet(SHEET_ITEMS)
    write_header(ws, DIFF_COLUMNS)
    for r, e in enumerate(diff.entries, start=2):
        values: list[Any] = [
            "; ".join(c.label for c in e.changes),
            e.old.code if e.old else None,
            e.new.code if e.new else None,
            e.old.title if e.old else None,
            e.new.title if e.new else None,
            e.old.max_points if e.old else None,
            e.new.max_points if e.new else None,
        ]
        fill = _FILLS.get(e.main, None if e.main is Change.UNCHANGED else _CHANGED_FILL)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, value)
            cell.alignment = WRAP
            if fill is not None:
                cell.fill = fill
            if col in (6, 7):
                cell.number_format = "0.##"
        for col in (2, 3):
            ws.cell(r, col).number_format = "@"
        top = e.new if e.new is not None else e.old
        if top is not None and top.parent_code is None:
            for col in range(1, len(values) + 1):
                ws.cell(r, col).font = Font(bold=True)
    ws.auto_filter.ref = f"A1:G{max(len(diff.entries) + 1, 2)}"
    save_workbook(wb, path)
