"""Atomic file writing: a file is either the old one or the complete new one, never half.

Every write of ParApp (exports, PDFs, bundles, backups, evidence) goes through here: write
to a temporary file in the destination folder, flush and fsync, then ``os.replace``. A full
disk or a crash leaves the destination untouched and the temporary file removed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from parapp.models.errors import ParAppError

TMP_PREFIX = ".parapp-tmp-"
"""Every temporary file of ParApp starts with this, so a leftover is recognisable."""


class DiskFullError(ParAppError):
    """The disk ran out of space while writing; nothing was changed."""


def describe_os_error(err: OSError, path: Path | str) -> str:
    """A Vietnamese sentence for common OS errors, naming the file."""
    name = str(path)
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"Ổ đĩa đã đầy, không ghi được “{name}”. Hãy giải phóng dung lượng rồi thử lại."
    if err.errno in (errno.EACCES, errno.EPERM):
        return f"Không có quyền ghi “{name}”. Hãy chọn thư mục khác."
    if err.errno == errno.ENOENT:
        return f"Không tìm thấy “{name}”."
    if err.errno == errno.EROFS:
        return f"Ổ đĩa chỉ đọc, không ghi được “{name}”."
    return f"Lỗi khi ghi “{name}”: {err.strerror or err}"


def atomic_write(path: Path | str) -> contextlib.AbstractContextManager[IO[bytes]]:
    """Context manager yielding a binary file; it appears at ``path`` only on success."""
    return _atomic_write(Path(path), "wb")  # type: ignore[return-value]


def atomic_write_text_file(path: Path | str) -> contextlib.AbstractContextManager[IO[str]]:
    """Like :func:`atomic_write` for UTF-8 text with ``\\n`` line ends."""
    return _atomic_write(Path(path), "w")  # type: ignore[return-value]


@contextlib.contextmanager
def _atomic_write(path: Path, mode: str) -> Iterator[IO[bytes] | IO[str]]:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f"{TMP_PREFIX}{path.name[:60]}-", suffix=".part", dir=path.parent
        )
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(describe_os_error(err, path)) from err
        raise ParAppError(describe_os_error(err, path)) from err
    tmp = Path(tmp_name)
    try:
        if "b" in mode:
            fh: IO[bytes] | IO[str] = os.fdopen(fd, mode)
        else:
            fh = os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; exports are ordinary files
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(describe_os_error(err, path)) from err
        raise ParAppError(describe_os_error(err, path)) from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_write(path) as fh:
        fh.write(data)


def atomic_write_text(path: Path | str, text: str) -> None:
    with atomic_write_text_file(path) as fh:
        fh.write(text)


def sha256_file(path: Path | str) -> str:
    """The SHA-256 of a file, read in 1 MB chunks (bundles and evidence can be large)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
