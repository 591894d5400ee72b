"""``parapp units search|add|list``."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import run


def test_hand_entered_units(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    code, _, err = run(capsys, "init", "--unit", "H-DB", "--data-dir", dd)
    assert code == 1 and "--name" in err
    code, _, _ = run(
        capsys,
        "init",
        "--unit",
        "H-DB",
        "--name",
        "UBND huyện Điện Bàn",
        "--level",
        "huyện",
        "--data-dir",
        dd,
    )
    assert code == 0
    code, _, _ = run(
        capsys,
        "units",
        "add",
        "X-01",
        "--name",
        "Xã Điện Hòa",
        "--parent",
        "H-DB",
        "--data-dir",
        dd,
    )
    assert code == 0
    code, _, err = run(
        capsys, "units", "add", "X-02", "--name", "Xã Lạc", "--parent", "NOPE", "--data-dir", dd
    )
    assert code == 1 and "NOPE" in err
    _, out, _ = run(capsys, "units", "list", "--json", "--data-dir", dd)
    by_code = {u["code"]: u for u in json.loads(out)}
    assert by_code["H-DB"]["level"] == "district" and by_code["X-01"]["parent_code"] == "H-DB"


def test_units_search_accent_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "units", "search", "dien ban", "--json")
    assert code == 0
    assert json.loads(out)[0]["name"] == "Phường Điện Bàn"


def test_units_search_shows_an_old_commune_and_where_it_is_now(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "units", "search", "dien thang bac")
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("Phường Điện Thắng Bắc, Thị xã Điện Bàn, Tỉnh Quảng Nam — mã old-20560")
    assert "nay thuộc Phường Điện Bàn Bắc (toàn bộ)" in first
    _, out, _ = run(capsys, "units", "search", "dien thang bac", "--json")
    hit = json.loads(out)[0]
    assert hit["historical"] and hit["valid_until"] == "30/06/2025"
    assert hit["successors"] == [
        {"code": "20557", "name": "Phường Điện Bàn Bắc", "how": "toàn bộ", "note": ""}
    ]


def test_units_add_takes_name_and_level_from_the_catalogue(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    run(capsys, "init", "--unit", "48", "--data-dir", dd)
    code, _, err = run(capsys, "units", "add", "20551", "--data-dir", dd)
    assert code == 0, err
    code, _, err = run(capsys, "units", "add", "X-9", "--data-dir", dd)
    assert code == 1 and "--name" in err
    _, out, _ = run(capsys, "units", "list", "--json", "--data-dir", dd)
    by_code = {u["code"]: u for u in json.loads(out)}
    assert by_code["20551"] == {
        "code": "20551", "name": "Phường Điện Bàn", "level": "commune", "parent_code": "48",
        "province": "Thành phố Đà Nẵng", "own": False,
    }  # fmt: skip


def test_init_with_an_unknown_parent_needs_its_name(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    code, _, err = run(capsys, "init", "--unit", "X-1", "--name", "Xã Một", "--parent", "P01",
                       "--data-dir", dd)  # fmt: skip
    assert code == 1 and "P01" in err and "--parent-name" in err and "Traceback" not in err
    code, _, _ = run(capsys, "init", "--unit", "X-1", "--name", "Xã Một", "--parent", "P01",
                     "--parent-name", "UBND huyện Mẫu", "--data-dir", dd)  # fmt: skip
    assert code == 0
    _, out, _ = run(capsys, "units", "list", "--json", "--data-dir", dd)
    names = {u["code"]: u["name"] for u in json.loads(out)}
    assert names == {"P01": "UBND huyện Mẫu", "X-1": "Xã Một"}


def test_lineage_prints_both_directions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "units", "lineage", "old-20560")
    assert code == 0
    assert "Phường Điện Thắng Bắc, Thị xã Điện Bàn, Tỉnh Quảng Nam — mã old-20560" in out
    assert "(đến 30/06/2025)" in out
    assert "Nay thuộc:\n  - Phường Điện Bàn Bắc (mã 20557): toàn bộ" in out
    code, out, _ = run(capsys, "units", "lineage", "20557")
    assert code == 0 and "Hình thành từ:" in out
    assert "  - Phường Điện Thắng Bắc (mã old-20560): toàn bộ" in out
    _, out, _ = run(capsys, "units", "lineage", "48", "--json")
    data = json.loads(out)
    assert data["unit"]["name"] == "Thành phố Đà Nẵng"
    assert data["unit"]["valid_from"] == "01/07/2025"
    assert [p["code"] for p in data["predecessors"]] == ["old-48", "old-49"]
    assert data["successors"] == []


def test_lineage_of_an_unknown_code_is_a_vietnamese_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "units", "lineage", "99999")
    assert code == 1
    assert "Mã “99999” không có trong danh mục" in err
    assert "Traceback" not in err


def test_edit_corrects_the_parent_placeholder(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    code, _, _ = run(capsys, "init", "--unit", "H-X1", "--name", "Xã Mẫu", "--parent", "P01",
                     "--data-dir", dd)  # fmt: skip
    assert code == 1
    code, _, _ = run(capsys, "init", "--unit", "H-X1", "--name", "Xã Mẫu", "--parent", "P01",
                     "--parent-name", "UBND huyện Mẫu", "--data-dir", dd)  # fmt: skip
    assert code == 0
    code, out, err = run(capsys, "units", "edit", "P01", "--name", "UBND huyện Điện Bàn",
                         "--level", "huyện", "--parent", "", "--data-dir", dd,
                         "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "code": "P01", "name": "UBND huyện Điện Bàn", "level": "district",
        "parent_code": None, "province": "",
    }  # fmt: skip
    code, _, err = run(capsys, "units", "edit", "H-X1", "--parent", "H-X1", "--data-dir", dd)
    assert code == 1 and "chính nó" in err and "Traceback" not in err
