"""``parapp keys trust|list``: the office's trusted keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_trust_needs_a_unit_or_a_list(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    run(capsys, "init", "--unit", "48", "--data-dir", dd)
    code, _, err = run(capsys, "keys", "trust", "--data-dir", dd)
    assert code == 2 and "parapp: lỗi cú pháp: cần MÃ_ĐƠN_VỊ (hoặc --list TỆP)" in err
    code, _, err = run(capsys, "keys", "trust", "20551", "--data-dir", dd)
    assert code == 2 and "cần TỆP.pub, --fingerprint, --rotation hoặc --list" in err
    assert run(capsys, "keys", "list", "--json", "--data-dir", dd)[:2] == (0, "[]\n")


def test_trust_a_public_key_file_then_list_it(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARAPP_PASSPHRASE", "mat-khau-1234")
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    commune = str(tmp_path / "xa")
    run(capsys, "init", "--unit", "20551", "--data-dir", commune)
    assert run(capsys, "keys", "init", "--data-dir", commune)[0] == 0
    pub = tmp_path / "xa.pub"
    assert run(capsys, "keys", "export-public", str(pub), "--data-dir", commune)[0] == 0
    _, shown, _ = run(capsys, "keys", "show", "--json", "--data-dir", commune)

    run(capsys, "init", "--unit", "48", "--data-dir", dd)
    code, _, err = run(capsys, "keys", "trust", "20551", str(pub), "--data-dir", dd)
    assert code == 1 and "Chưa có đơn vị mã “20551”" in err  # a unit of the office's own list
    unit = ("units", "add", "20551", "--name", "Phường Điện Bàn", "--parent", "48")
    assert run(capsys, *unit, "--data-dir", dd)[0] == 0
    code, out, _ = run(capsys, "keys", "trust", "20551", str(pub), "--json", "--data-dir", dd)
    assert code == 0
    assert json.loads(out)[0]["fingerprint"] == json.loads(shown)["fingerprint"]
    _, listed, _ = run(capsys, "keys", "list", "--json", "--data-dir", dd)
    assert [(k["unit_code"], k["fingerprint"]) for k in json.loads(listed)] == [
        ("20551", json.loads(shown)["fingerprint"])
    ]
