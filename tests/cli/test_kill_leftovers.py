"""kill -9 in the middle of export, backup and restore (issue 12): after the next start
nothing is left where a user would see it, and the workspace is as it was.

Each case runs the real CLI (``python -m parapp …``) on a workspace holding one large
evidence file, waits until the partial output is well under way (a file of more than
16 MB in the workspace's ``tmp/``), kills the process with SIGKILL, then starts ParApp
again (``parapp assess show``) and looks at every place involved.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp.services import unit_keys
from parapp.storage.backup import backup_workspace
from tests.services.helpers import setup_ws

PASS = "mat-khau-du-dai"
BIG = 160 * 1024 * 1024
UNDER_WAY = 16 * 1024 * 1024


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("kill")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARAPP_KDF_PROFILE", "interactive")
        ws = setup_ws(root / "ws")
        unit_keys.create_key(ws, PASS)
    scan = root / "Ban do quy hoach.pdf"
    with scan.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        block = bytes(range(256)) * 4096
        for _ in range(BIG // len(block)):
            fh.write(block)
    ws.set_answer("1.1.1", value=1, explanation="Đã ban hành")
    ws.add_evidence("1.1.1", scan)
    archive = root / "sao-luu.parapp-backup"
    backup_workspace(ws.conn, ws.data_dir, archive)
    ws.close()
    scan.unlink()
    yield {"root": root, "ws": root / "ws", "archive": archive}


def _env(data_dir: Path) -> dict[str, str]:
    return dict(
        os.environ,
        PARAPP_DATA_DIR=str(data_dir),
        PARAPP_PASSPHRASE=PASS,
        PARAPP_KDF_PROFILE="interactive",
        PARAPP_NO_GUI="1",
    )


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def _kill_when_under_way(args: list[str], env: dict[str, str], tmp: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "parapp", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            if any(p.stat().st_size > UNDER_WAY for p in _files(tmp) if p.exists()):
                break
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"finished before it could be killed: {args} {err}")
            time.sleep(0.002)
        else:
            pytest.fail("the partial output never grew")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _next_start(data_dir: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "parapp", "assess", "show", "--json"],
        env=_env(data_dir), capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data: dict[str, object] = json.loads(done.stdout)
    return data


def test_kill_during_export(big: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "Tài liệu"
    out.mkdir()
    args = ["bundle", "export", "--out", str(out), "--approver", "Trần Bình"]
    _kill_when_under_way([*args, "--confirm-all-unscored"], _env(big["ws"]), big["ws"] / "tmp")
    assert _files(big["ws"] / "tmp")  # the partial bundle was in the workspace, not in out/
    assert list(out.iterdir()) == []
    shown = _next_start(big["ws"])
    assert shown["revision"] == 0  # nothing frozen
    assert _files(big["ws"] / "tmp") == [] and list(out.iterdir()) == []


def test_kill_during_backup(big: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "USB"
    out.mkdir()
    target = out / "sao-luu.parapp-backup"
    _kill_when_under_way(["backup", str(target)], _env(big["ws"]), big["ws"] / "tmp")
    names = [p.name for p in _files(big["ws"] / "tmp")]
    assert "parapp.sqlite" in names  # the snapshot is in the workspace, not the system tmp
    assert list(out.iterdir()) == []
    _next_start(big["ws"])
    assert _files(big["ws"] / "tmp") == [] and list(out.iterdir()) == []


def test_kill_during_restore(big: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "ws-dich"
    ws = setup_ws(target)
    ws.set_answer("1.2", self_score=0.5, explanation="bản đang dùng")
    ws.close()
    before = sorted(str(p.relative_to(target)) for p in _files(target))
    _kill_when_under_way(["restore", str(big["archive"])], _env(target), target / "tmp")
    shown = _next_start(target)
    answers = {a["code"]: a for a in shown["answers"]}  # type: ignore[attr-defined]
    assert answers["1.2"]["explanation"] == "bản đang dùng"  # the old workspace is intact
    assert _files(target / "tmp") == []
    after = sorted(str(p.relative_to(target)) for p in _files(target))
    assert [p for p in after if p not in before and not p.startswith("backups/auto-")] == []
    assert not list(target.glob(".restore-*"))
    assert not list((target / "backups").glob("before-restore-*"))
