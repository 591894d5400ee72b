"""Temporary files are recognisable, live where the next start finds them, and only they
are removed; full disks name the destination; a full disk is not "corrupt"."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from parapp.fileio import TMP_PREFIX
from parapp.models.errors import ParAppError, WorkspaceError
from parapp.storage import scratch
from parapp.storage.database import connect
from parapp.storage.evidence_store import EvidenceStore


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_clean_leftovers_removes_only_journalled_prefixed_files(tmp_path: Path) -> None:
    ws, user = tmp_path / "ws", tmp_path / "Tài liệu"
    ws.mkdir()
    user.mkdir()
    dead = _dead_pid()
    stale_dir = scratch.tmp_root(ws) / f"{TMP_PREFIX}export-{dead}-abc"
    stale_dir.mkdir()
    (stale_dir / "hoso.zip").write_bytes(b"x" * 1000)
    live_dir = scratch.scratch_dir(ws, "export")  # this process: still working
    part = user / f"{TMP_PREFIX}hoso.zip-1234.part"
    part.write_bytes(b"half")
    precious = user / "bao-cao.pdf"  # a user's file listed by a damaged journal
    precious.write_bytes(b"%PDF")
    (ws / scratch.JOURNAL).write_text(
        f'[["{part}", {dead}], ["{precious}", {dead}], ["{user / "x.part"}", {os.getpid()}]]'
    )
    removed = scratch.clean_leftovers(ws)
    assert removed == [part] and not part.exists() and precious.exists()
    assert not stale_dir.exists() and live_dir.is_dir()
    assert f'"{user / "x.part"}"' in (ws / scratch.JOURNAL).read_text()  # a live run's entry


def test_publish_across_disks_uses_a_journalled_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, out = tmp_path / "ws", tmp_path / "out"
    out.mkdir()
    src = scratch.scratch_dir(ws, "export") / "hoso.zip"
    src.write_bytes(b"bundle" * 1000)
    real_replace = os.replace
    seen: list[str] = []

    def replace(a: object, b: object) -> None:
        if Path(str(a)) == src:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        if Path(str(b)).parent == out:  # the part becoming the final file
            seen.append(scratch.JOURNAL if (ws / scratch.JOURNAL).exists() else "")
        real_replace(a, b)  # type: ignore[arg-type]

    monkeypatch.setattr(scratch.os, "replace", replace)
    scratch.publish(ws, src, out / "hoso.zip")
    assert (out / "hoso.zip").read_bytes() == b"bundle" * 1000
    assert seen and seen[0] == scratch.JOURNAL  # the part was journalled while it existed
    assert sorted(p.name for p in out.iterdir()) == ["hoso.zip"]
    assert not (ws / scratch.JOURNAL).exists() and not src.exists()


def test_publish_on_a_full_destination_names_the_destination(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = tmp_path / "ws"
    src = scratch.scratch_dir(ws, "export") / "hoso.zip"
    src.write_bytes(b"x")

    def full(*_a: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(scratch.os, "replace", full)
    dest = tmp_path / "USB" / "hoso.zip"
    with pytest.raises(ParAppError, match=f"Ổ đĩa đã đầy, không ghi được “{dest}”"):
        scratch.publish(ws, src, dest)
    assert not src.exists()


def test_evidence_add_on_a_full_disk_names_the_store_not_the_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parapp.storage import evidence_store

    scan = tmp_path / "Quyết định.pdf"
    scan.write_bytes(b"%PDF" * 1000)
    store = EvidenceStore(tmp_path / "ws" / "evidence")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence_store.os, "fsync", full)
    with pytest.raises(ParAppError) as err:
        store.add(scan)
    assert f"“{store.root}”" in str(err.value) and "Ổ đĩa đã đầy" in str(err.value)
    assert str(scan) not in str(err.value)
    assert not [p for p in store.root.iterdir() if p.is_file()]


def test_opening_the_database_on_a_full_disk_is_not_called_corrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parapp.storage import database

    def full(*_a: object, **_k: object) -> sqlite3.Connection:
        err = sqlite3.OperationalError("database or disk is full")
        err.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
        raise err

    monkeypatch.setattr(database.sqlite3, "connect", full)
    with pytest.raises(WorkspaceError) as err:
        connect(tmp_path / "parapp.sqlite")
    assert "ổ đĩa đã đầy" in str(err.value) and "hỏng" not in str(err.value).replace(
        "không hỏng", ""
    )


def test_a_real_corrupt_file_is_still_called_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "parapp.sqlite"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(WorkspaceError, match="tệp bị hỏng hoặc không phải SQLite"):
        connect(path)
