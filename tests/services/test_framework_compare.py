"""Comparing a province's new sheet with the framework in use, written to xlsx."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from parapp.interchange.excel_framework import write_framework_xlsx
from parapp.models.errors import ParAppError
from parapp.services.framework_compare import export_framework_diff
from tests.models.test_framework_diff import NEW, OLD
from tests.services.helpers import setup_ws


def test_a_file_against_a_framework_in_the_workspace(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "data")
    try:
        ws.save_framework(OLD)
        new_file = tmp_path / "bo chi so 2025.xlsx"
        write_framework_xlsx(NEW, new_file)
        out = tmp_path / "so sanh.xlsx"
        diff = export_framework_diff(OLD.id, str(new_file), out, ws)
        assert [e.main.value for e in diff.entries].count("added") == 1
        rows = list(load_workbook(out)["So sánh"].iter_rows(min_row=2, values_only=True))
        assert len(rows) == 7 and rows[-1][:3] == ("Bỏ", "1.2", None)
    finally:
        ws.close()


def test_bad_references_are_named(tmp_path: Path) -> None:
    with pytest.raises(ParAppError, match="“bo-2024” không phải là tệp bộ chỉ số"):
        export_framework_diff("bo-2024", "bo-2025", tmp_path / "x.xlsx")
    with pytest.raises(ParAppError, match=r"phải có đuôi \.xlsx"):
        export_framework_diff("a.json", "b.json", tmp_path / "x.pdf")
    assert not list(tmp_path.iterdir())
