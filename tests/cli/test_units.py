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
