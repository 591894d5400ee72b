"""Untrusted spreadsheets are bounded before parsing: sizes, ratios, parts and rows."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from parapp.interchange.excel_framework import read_framework_xlsx
from parapp.interchange.excel_tasks import read_tasks_xlsx
from parapp.interchange.xlsx_limits import XlsxLimits, check_xlsx_package
from parapp.models.errors import ParAppError
from tests.interchange.hostile_files import (
    SHEET_HEAD,
    SHEET_TAIL,
    million_rows,
    shared_strings_bomb,
    small_workbook,
    write_xlsx,
)


def test_shared_strings_bomb_is_refused_fast(tmp_path: Path) -> None:
    bomb = shared_strings_bomb(tmp_path / "bo-chi-so.xlsx")
    assert bomb.stat().st_size < 2 << 20
    start = time.monotonic()
    with pytest.raises(ParAppError, match=r"sharedStrings.*(tỷ lệ nén|vượt giới hạn)"):
        read_framework_xlsx(bomb)
    assert time.monotonic() - start < 2


def test_million_rows_refused_with_row_limit(tmp_path: Path) -> None:
    sheet = million_rows(tmp_path / "ke-hoach.xlsx")
    start = time.monotonic()
    with pytest.raises(ParAppError, match=r"hơn 20\.000 dòng"):
        read_tasks_xlsx(sheet)
    assert time.monotonic() - start < 5


def test_rows_are_counted_in_the_xml_not_the_dimension(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(1, 60))
    lying = b'<dimension ref="A1:A2"/>'
    path = write_xlsx(
        tmp_path / "a.xlsx",
        small_workbook(),
        {
            "xl/worksheets/sheet1.xml": [
                SHEET_HEAD.replace(b"<sheetData>", lying + b"<sheetData>"),
                rows,
                SHEET_TAIL,
            ]
        },
    )
    check_xlsx_package(path, XlsxLimits(max_rows=59))
    with pytest.raises(ParAppError, match="trang tính “sheet1” có hơn 58 dòng"):
        check_xlsx_package(path, XlsxLimits(max_rows=58))


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (XlsxLimits(max_file_size=1000), "quá lớn"),
        (XlsxLimits(max_parts=3), "thành phần, vượt giới hạn 3"),
        (XlsxLimits(max_part_size=500), "vượt giới hạn"),
        (XlsxLimits(max_total_size=2000), "khi giải nén vượt"),
        (XlsxLimits(max_ratio=2, ratio_min_size=100), "tỷ lệ nén bất thường"),
    ],
    ids=["file", "parts", "part", "total", "ratio"],
)
def test_each_limit_has_its_message(tmp_path: Path, limits: XlsxLimits, message: str) -> None:
    path = write_xlsx(tmp_path / "b.xlsx", small_workbook(), {})
    check_xlsx_package(path)  # fine with the defaults
    with pytest.raises(ParAppError, match=message):
        check_xlsx_package(path, limits)


def test_not_a_zip_and_cut_zip(tmp_path: Path) -> None:
    fake = tmp_path / "c.xlsx"
    fake.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(ParAppError, match="bị hỏng"):
        read_framework_xlsx(fake)
    good = write_xlsx(tmp_path / "d.xlsx", small_workbook(), {})
    cut = tmp_path / "e.xlsx"
    cut.write_bytes(good.read_bytes()[:-200])
    with pytest.raises(ParAppError, match="bị hỏng"):
        read_framework_xlsx(cut)


def test_unsupported_compression_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as zf:
        for name, data in small_workbook().items():
            zf.writestr(name, data)
    check_xlsx_package(path)  # bzip2 is a zip method Python reads; openpyxl reads it too
    with zipfile.ZipFile(path) as zf:
        assert zf.infolist()[0].compress_type == zipfile.ZIP_BZIP2
