"""``parapp appraise survey-template`` / ``survey-import``: the survey team's sheet round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from parapp.services.office_demo import open_office_demo
from tests.cli.helpers import run


@pytest.fixture(scope="module")
def office_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("office")
    open_office_demo(path).close()
    return str(path)


def test_the_sheet_lists_submitted_units_and_the_survey_items(
    capsys: pytest.CaptureFixture[str], office_dir: str, tmp_path: Path
) -> None:
    out = tmp_path / "xhh.xlsx"
    code, text, err = run(
        capsys, "appraise", "survey-template", "--out", str(out), "--json", "--data-dir", office_dir
    )
    assert (code, err) == (0, "")
    assert json.loads(text)["units"] == 10  # ten bundles received, two units sent nothing
    sheet = load_workbook(out)["Điều tra XHH"]
    head = [c.value for c in sheet[1]]
    assert head[:2] == ["Mã đơn vị", "Tên đơn vị"] and len(head) > 2
    assert sheet.max_row == 11 and all(sheet.cell(r, 1).value for r in range(2, 12))


def test_filled_sheet_is_entered_and_a_bad_cell_refuses_it_all(
    capsys: pytest.CaptureFixture[str], office_dir: str, tmp_path: Path
) -> None:
    path = tmp_path / "xhh.xlsx"
    run(capsys, "appraise", "survey-template", "--out", str(path), "--data-dir", office_dir)
    book = load_workbook(path)
    sheet = book["Điều tra XHH"]
    unit = str(sheet["A2"].value)
    sheet["C2"] = "0,5"
    sheet["C3"] = "99"  # above any survey item's maximum
    book.save(path)

    code, out, err = run(capsys, "appraise", "survey-import", str(path), "--data-dir", office_dir)
    assert (code, out) == (1, "")
    assert err.startswith("Lỗi:") and "dòng 3, cột C" in err

    sheet["C3"] = None
    book.save(path)
    code, out, _ = run(
        capsys, "appraise", "survey-import", str(path), "--json", "--data-dir", office_dir
    )
    assert code == 0 and json.loads(out) == {"entered": 1}
    survey_code = str(sheet["C1"].value)
    code, out, _ = run(capsys, "appraise", "show", unit, "--json", "--data-dir", office_dir)
    item = next(i for i in json.loads(out)["items"] if i["code"] == survey_code)
    assert item["appraised"] == 0.5 and "điều tra XHH" in item["comment"]
