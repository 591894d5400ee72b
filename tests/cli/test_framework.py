"""``parapp framework list|show|import|export|template``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_framework_show_json_lists_8_areas_totalling_100(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    _, out, _ = run(capsys, "framework", "list", "--json", "--data-dir", dd)
    par = next(r["id"] for r in json.loads(out) if r["index_kind"] == "PAR")
    code, out, _ = run(capsys, "framework", "show", par, "--json", "--data-dir", dd)
    tree = json.loads(out)
    assert code == 0
    assert len(tree["areas"]) == 8
    assert sum(a["max_points"] for a in tree["areas"]) == pytest.approx(100)
    assert all("code" in a and "title" in a for a in tree["areas"])


def test_json_framework_export_import_round_trip(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    out_file = tmp_path / "par.json"
    code, _, _ = run(
        capsys, "framework", "export", "par-tinh-2018", str(out_file), "--data-dir", dd
    )
    assert code == 0
    other = str(tmp_path / "other")
    code, out, _ = run(capsys, "framework", "import", str(out_file), "--json", "--data-dir", other)
    assert code == 0
    _, shown, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    assert json.loads(out)["content_hash"] == json.loads(shown)["content_hash"]


def test_a_sheet_with_an_error_changes_nothing_and_names_the_cell(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    good = tmp_path / "par.xlsx"
    assert run(capsys, "framework", "export", "par-tinh-2018", str(good), "--data-dir", dd)[0] == 0
    wb = load_workbook(good)
    sheet = wb["Tiêu chí"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "3.4.1")
    sheet.cell(row, 3).value = "một điểm"
    sheet.cell(row, 2).value = "Tên đã sửa"
    bad = tmp_path / "par-loi.xlsx"
    wb.save(bad)
    _, before, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    code, _, err = run(capsys, "framework", "import", str(bad), "--data-dir", dd)
    assert code == 1
    assert f"Trang tính “Tiêu chí”, dòng {row}, cột C" in err and "một điểm" in err
    _, after, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    assert after == before


def test_framework_diff_lists_changes_and_writes_xlsx(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    out_file = tmp_path / "so-sanh.xlsx"
    code, out, err = run(
        capsys, "framework", "diff", "par-tinh-2018", "papi-quangnam-2020", "--xlsx",
        str(out_file), "--json", "--data-dir", dd,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["counts"]["added"] == 8  # the eight PAPI dimensions are new
    assert all(r["changes"] for r in data["changes"])
    sheet = load_workbook(out_file).active
    assert sheet is not None and sheet.max_row > 8
    code, _, err = run(capsys, "framework", "diff", "khong-co", "par-tinh-2018", "--data-dir", dd)
    assert code == 1 and "khong-co" in err and "Traceback" not in err
