import hashlib
from pathlib import Path

import pytest

from parapp.models.errors import ParAppError
from parapp.storage.evidence_store import CancelledError, EvidenceStore


def test_add_stores_once_by_hash(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    src = tmp_path / "Quyết định.pdf"
    src.write_bytes(b"%PDF-1.4 test" * 1000)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    first = store.add(src)
    assert first.sha256 == sha and not first.already_present
    assert first.path == tmp_path / "evidence" / sha[:2] / sha
    assert first.path.read_bytes() == src.read_bytes()
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(src.read_bytes())
    second = store.add(copy)
    assert second.already_present and second.path == first.path
    assert len(list((tmp_path / "evidence").rglob("*"))) == 2  # one folder, one file


def test_progress_and_cancel_leave_no_partial_file(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    src = tmp_path / "big.bin"
    src.write_bytes(b"x" * (5 * 1024 * 1024))
    seen: list[int] = []

    def cancel() -> bool:
        return len(seen) >= 2

    with pytest.raises(CancelledError, match="huỷ"):
        store.add(src, progress=lambda done, total: seen.append(done), cancel=cancel)
    assert seen[:2] == [1024 * 1024, 2 * 1024 * 1024]
    assert [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()] == []


def test_check_detects_missing_and_corrupted(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    stored = store.add_bytes(b"evidence content")
    assert store.check(stored.sha256, stored.size) is None
    stored.path.write_bytes(b"evidence c0ntent")
    assert store.check(stored.sha256) == "tệp đã lưu bị hỏng (mã băm không khớp)"
    stored.path.unlink()
    assert store.check(stored.sha256) == "tệp đã lưu bị mất"


def test_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ParAppError, match="Không tìm thấy"):
        EvidenceStore(tmp_path / "e").add(tmp_path / "nope.pdf")


def test_bad_hash_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParAppError, match="không hợp lệ"):
        EvidenceStore(tmp_path).path_for("../../etc/passwd")


def test_full_disk_names_the_store_not_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from parapp.fileio import DiskFullError
    from parapp.storage import evidence_store

    store = evidence_store.EvidenceStore(tmp_path / "evidence")
    source = tmp_path / "usb" / "Quyết định.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 " * 1000)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence_store.os, "fsync", full)
    with pytest.raises(DiskFullError) as info:
        store.add(source)
    assert str(tmp_path / "evidence") in str(info.value) and "Quyết định" not in str(info.value)
    assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]  # no leftover
