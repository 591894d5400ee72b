"""Content-addressed evidence store: each file is kept once, at ``evidence/ab/abcdef…``.

Files are copied into a temporary file beside the store while their SHA-256 is computed,
fsynced, then renamed to their hash: a crash or a cancel leaves no half file under a hash
name, and the same scan attached twice takes the space once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from parapp.fileio import DiskFullError, describe_os_error
from parapp.models.errors import Cancelled, ParAppError

CHUNK = 1024 * 1024
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})
_HASH_RE = re.compile(r"^[0-9a-f]{64}$")

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class CancelledError(Cancelled):
    """The user cancelled a long operation; nothing was changed."""

    def __init__(self, what: str = "Thao tác") -> None:
        super().__init__(f"{what} đã bị huỷ; không có gì thay đổi.")


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    already_present: bool


_DESTINATION_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def _store_error(err: OSError, where: Path) -> ParAppError:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(describe_os_error(err, where))
    return ParAppError(describe_os_error(err, where))


class EvidenceStore:
    """The ``evidence/`` folder of a workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if not _HASH_RE.match(sha256):
            raise ParAppError(f"Mã băm tài liệu không hợp lệ: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def add(
        self,
        source: Path,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> StoredFile:
        """Copy ``source`` into the store; return its hash. Streams: memory stays flat."""
        try:
            total = source.stat().st_size
        except OSError as err:
            raise ParAppError(describe_os_error(err, source)) from err
        if not source.is_file():
            raise ParAppError(f"“{source}” không phải là một tệp.")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        except OSError as err:
            raise _store_error(err, self.root) from err
        tmp = Path(tmp_name)
        digest = hashlib.sha256()
        done = 0
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                while chunk := src.read(CHUNK):
                    if cancel is not None and cancel():
                        raise CancelledError("Việc sao chép tài liệu")
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.is_file() and final.stat().st_size == done:
                tmp.unlink()
                return StoredFile(sha, done, final, True)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            return StoredFile(sha, done, final, False)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            # A full or read-only disk is the store's problem: name the store, not the source.
            where = self.root if err.errno in _DESTINATION_ERRNOS else source
            raise _store_error(err, where) from err
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def add_bytes(self, data: bytes) -> StoredFile:
        """Store small in-memory content (tests, generated files)."""
        sha = hashlib.sha256(data).hexdigest()
        final = self.path_for(sha)
        if final.is_file():
            return StoredFile(sha, len(data), final, True)
        from parapp.fileio import atomic_write_bytes

        atomic_write_bytes(final, data)
        return StoredFile(sha, len(data), final, False)

    def check(self, sha256: str, expected_size: int | None = None) -> str | None:
        """``None`` when the stored file is intact, else a Vietnamese description."""
        path = self.path_for(sha256)
        if not path.is_file():
            return "tệp đã lưu bị mất"
        if expected_size is not None and path.stat().st_size != expected_size:
            return "tệp đã lưu bị thay đổi kích thước"
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        return None if digest.hexdigest() == sha256 else "tệp đã lưu bị hỏng (mã băm không khớp)"

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def clean_incoming(self) -> None:
        """Remove temporary files left by a crash during a copy."""
        if self.root.is_dir():
            for leftover in self.root.glob(".incoming-*"):
                leftover.unlink(missing_ok=True)
