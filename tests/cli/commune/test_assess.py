"""``parapp assess`` and ``parapp evidence``: scripted filling, as a user scripts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_scripted_filling_and_show(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    assert (
        run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "assess",
        "set",
        "1.1.1",
        "--score",
        "0,5",
        "--note",
        "Có QĐ",
        "--json",
        "--data-dir",
        dd,
    )
    assert code == 0 and json.loads(out)["self_score"] == 0.5
    code, _, err = run(capsys, "assess", "set", "1.1.1", "--score", "3", "--data-dir", dd)
    assert code == 1 and "vượt điểm tối đa" in err
    code, _, err = run(capsys, "assess", "set", "1.1.1", "--data-dir", dd)
    assert code == 2
    ev = tmp_path / "QĐ 123.pdf"
    ev.write_bytes(b"%PDF-1.4 quyet dinh")
    code, out, _ = run(
        capsys, "evidence", "add", "1.1.1", str(ev), "--ref", "trang 1", "--json", "--data-dir", dd
    )
    assert code == 0 and json.loads(out)["file_name"] == "QĐ 123.pdf"
    code, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    shown = json.loads(out)
    assert shown["total_score"] == 0.5 and shown["period"] == "2026"
    assert shown["answers"][0]["evidence"][0]["ref"] == "trang 1"
    assert run(capsys, "evidence", "check", "--data-dir", dd)[0] == 0
