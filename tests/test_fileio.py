import errno
import os
from pathlib import Path

import pytest

from parapp.fileio import DiskFullError, atomic_write, atomic_write_bytes


def test_atomic_write_replaces_whole_file_with_normal_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_failure_midway_keeps_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_full_disk_is_reported_in_vietnamese_and_nothing_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(DiskFullError, match=r"Ổ đĩa đã đầy.*report\.pdf"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_parent_that_is_a_file_gives_a_parapp_error(tmp_path: Path) -> None:
    from parapp.models.errors import ParAppError

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(ParAppError, match="not-a-dir"):
        atomic_write_bytes(blocker / "out.pdf", b"data")
