"""Sheets are read streamed (read-only); merged ranges are still found, across chunks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from parapp.interchange import excel_common
from parapp.interchange.excel_common import _merged, open_workbook


@pytest.mark.parametrize("chunk", [1 << 20, 97])  # 97 bytes: every tag is cut somewhere
def test_merged_ranges_of_a_streamed_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(excel_common, "MERGE_SCAN_CHUNK", chunk)
    wb = Workbook()
    ws = wb.active
    for r in range(1, 3001 if chunk > 1000 else 50):
        for c in range(5, 45):
            ws.cell(r, c, r * 1000 + c)  # numbers live in the sheet XML itself: ~3 MB of it
    expected = set()
    for r in range(1, 2001, 2):  # a thousand merges, written after 1 MiB of cells
        ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=4)
        expected.add((r, 2, r + 1, 4))
    path = tmp_path / "gop.xlsx"
    wb.save(path)

    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > 2 * chunk  # several chunks
    book = open_workbook(path)
    try:
        sheet = book.worksheets[0]
        assert isinstance(sheet, ReadOnlyWorksheet)
        assert set(_merged(sheet)) == expected
    finally:
        book.close()
