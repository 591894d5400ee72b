"""The audit trail as an Excel workbook: one row per change, newest last."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from parapp.interchange.excel_common import WRAP, Column, save_workbook, write_header

COLUMNS = (
    Column("at", "Thời điểm", width=18),
    Column("actor", "Người thực hiện", width=22),
    Column("unit_code", "Đơn vị", width=10),
    Column("period", "Kỳ", width=8),
    Column("code", "Tiêu chí", width=10),
    Column("field", "Nội dung thay đổi", width=22),
    Column("before", "Trước", width=36),
    Column("after", "Sau", width=36),
    Column("reason", "Lý do", width=40),
)
SHEET = "Nhật ký thay đổi"


def write_audit_xlsx(rows: Sequence[dict[str, Any]], path: Path) -> None:
    """``rows`` already formatted for people (local time, Vietnamese field names)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_header(ws, COLUMNS)
    for r, row in enumerate(rows, start=2):
        for c, col in enumerate(COLUMNS, start=1):
            cell = ws.cell(r, c, str(row.get(col.key, "")))
            cell.data_type = "s"  # text typed by users: never a formula ("=…")
            cell.alignment = WRAP
    ws.freeze_panes = "A2"
    save_workbook(wb, path)
