"""What the user sees when a command fails in a way nobody planned for: a Vietnamese sentence
naming a log file, never a Python traceback. The traceback goes into that file.

The log goes to the workspace's ``logs/`` folder (where the desktop app writes its crash logs
too) when the workspace exists, else to the per-user log folder
(``platformdirs.user_log_dir("ParApp")``), so a failing ``--data-dir`` never gets a stray
folder created in it.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import platformdirs

from parapp import APP_NAME, __version__
from parapp.fileio import atomic_write_text
from parapp.models.errors import ParAppError


def log_dirs(data_dir: Path) -> list[Path]:
    """Where to try writing the log, best first."""
    user_logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    if (data_dir / "parapp.sqlite").is_file():
        return [data_dir / "logs", user_logs]
    return [user_logs]


def write_log(exc: BaseException, argv: Sequence[str], data_dir: Path) -> Path | None:
    """Write the traceback of ``exc`` to a new log file; its path, or None if none could be
    written (read-only disk, no home folder...)."""
    stamp = datetime.now()
    text = (
        f"{APP_NAME} {__version__} — {stamp.isoformat(timespec='seconds')}\n"
        f"Lệnh: parapp {' '.join(argv)}\n\n"
        + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    )
    name = f"loi-{stamp.strftime('%Y%m%d-%H%M%S-%f')}.txt"
    for folder in log_dirs(data_dir):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(folder / name, text)
        except (OSError, ParAppError):
            continue
        return folder / name
    return None


def report(exc: BaseException, argv: Sequence[str], data_dir: Path) -> None:
    """Log ``exc`` and tell the user, in Vietnamese, on stderr."""
    log = write_log(exc, argv, data_dir)
    where = (
        f"Chi tiết đã ghi vào {log} — hãy gửi tệp này cho bộ phận hỗ trợ nếu lỗi lặp lại."
        if log
        else "Không ghi được tệp nhật ký lỗi."
    )
    say(
        "Lỗi không mong đợi: ParApp chưa thực hiện xong lệnh này. "
        f"Dữ liệu đã lưu trước đó vẫn an toàn. {where}"
    )


def say(text: str) -> None:
    """Write a line on stderr, silently giving up if stderr itself is gone (closed pipe)."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr, flush=True)
