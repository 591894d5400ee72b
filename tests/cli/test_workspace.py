"""``parapp init``, ``backup``, ``restore``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_init_from_catalogue_installs_defaults(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    code, out, _ = run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    assert code == 0 and "Phường Điện Bàn" in out
    code, out, _ = run(capsys, "units", "list", "--json", "--data-dir", dd)
    units = json.loads(out)
    own = [u for u in units if u["own"]]
    assert own[0]["code"] == "20551" and own[0]["parent_code"] == "48"
    code, out, _ = run(capsys, "framework", "list", "--json", "--data-dir", dd)
    kinds = {r["index_kind"] for r in json.loads(out)}
    assert kinds == {"PAR", "PAPI"}


def test_backup_restore_commands(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)
    run(capsys, "assess", "set", "1.2", "--score", "2", "--data-dir", dd)
    archive = tmp_path / "bk.zip"
    assert run(capsys, "backup", str(archive), "--data-dir", dd)[0] == 0
    other = str(tmp_path / "pc2")
    assert run(capsys, "restore", str(archive), "--data-dir", other)[0] == 0
    _, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", other)
    assert json.loads(out)["total_score"] == 2
