"""``parapp inbox``: a refused file is reported with its reason, and the batch goes on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_refused_files_are_reported_and_the_batch_goes_on(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    assert run(capsys, "init", "--unit", "48", "--data-dir", dd)[0] == 0
    junk = tmp_path / "a.zip"
    junk.write_text("không phải zip")
    empty = tmp_path / "b.parapp"
    empty.write_bytes(b"")

    code, out, err = run(
        capsys, "inbox", "import", str(junk), str(empty), "--json", "--data-dir", dd
    )

    assert code == 1 and err == ""
    entries = json.loads(out)["entries"]
    assert [(e["file"], e["status"]) for e in entries] == [
        ("a.zip", "refused"),
        ("b.parapp", "refused"),
    ]
    assert all(e["reason"] for e in entries)
    code, out, _ = run(capsys, "--json", "--data-dir", dd, "inbox", "list")
    assert code == 0 and {e["file"] for e in json.loads(out)} == {"a.zip", "b.parapp"}


def test_status_of_an_empty_inbox_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    run(capsys, "init", "--unit", "48", "--data-dir", dd)
    code, out, err = run(capsys, "inbox", "status", "--data-dir", dd)
    assert (code, out) == (1, "")
    assert err.startswith("Lỗi: Chưa nhận hồ sơ nào")
