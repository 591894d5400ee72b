"""The framework comparison written to xlsx and read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from parapp.interchange.excel_framework_diff import write_framework_diff_xlsx
from parapp.models.framework_diff import diff_frameworks
from tests.models.test_framework_diff import NEW, OLD


def test_diff_sheet_rows_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "so sanh.xlsx"
    write_framework_diff_xlsx(diff_frameworks(OLD, NEW), out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tóm tắt", "So sánh"]
    ws = wb["So sánh"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert rows[0] == (
        "Thay đổi",
        "Mã cũ",
        "Mã mới",
        "Nội dung (kỳ trước)",
        "Nội dung (kỳ này)",
        "Điểm tối đa cũ",
        "Điểm tối đa mới",
    )
    assert rows[3] == (
        "Đổi mã/vị trí; Đổi điểm",
        "1.3",
        "1.2",
        "Tuyên truyền CCHC",
        "Tuyên truyền CCHC",
        1,
        2,
    )
    assert rows[4][:3] == ("Thêm mới", None, "1.3")
    assert rows[-1][:3] == ("Bỏ", "1.2", None)
    assert ws["B4"].fill.fgColor.rgb.endswith("FFF2CC")  # a changed row is shaded
    assert ws["A2"].font.bold  # areas in bold
    summary = {r[0]: r[1] for r in wb["Tóm tắt"].iter_rows(min_row=2, values_only=True)}
    assert summary["Kỳ trước"] == "Bộ chỉ số 2024 (2024)"
    assert summary["Số tiêu chí: thêm mới"] == 1
    assert summary["Số tiêu chí: bỏ"] == 1
    assert summary["Số tiêu chí: giữ nguyên"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so sanh.xlsx"]
