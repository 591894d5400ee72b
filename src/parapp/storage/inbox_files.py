"""The inbox's files on disk and their database rows, kept in step.

A received bundle is stored as ``inbox/<unit>/<period>/r<rev>-<sha12>.zip``; it is renamed
there from ``inbox/.incoming/`` *inside* the transaction that inserts its row, so a crash
can leave at most (a) a copy in ``.incoming/`` or (b) a stored file whose row was never
committed. :func:`sweep_inbox` removes both at the next start. It takes SQLite's write lock
first (``BEGIN IMMEDIATE``): an import in another process holds that lock from its insert
to its commit, so a file being committed right now is never mistaken for an orphan.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import stat
from pathlib import Path

from parapp.storage.database import Database

INBOX_DIR = "inbox"
INCOMING_DIR = ".incoming"


def remove_file(path: Path) -> None:
    """Delete a file even when read-only (Windows refuses to delete those); never raises."""
    with contextlib.suppress(OSError):
        os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


_OWNER = re.compile(r"bundle-(\d+)-")


def _owner_alive(path: Path) -> bool:
    """Whether the process that is copying ``path`` (``bundle-<pid>-….zip``) still runs.

    Only POSIX can tell cheaply; on Windows a copy being written is open, and an open file
    cannot be deleted there anyway.
    """
    match = _OWNER.match(path.name)
    if match is None or os.name != "posix":
        return False
    pid = int(match.group(1))
    if pid == os.getpid():
        return True  # an import of this very process may be running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < (1 << 22)
    return True


def sweep_inbox(data_dir: Path, db: Database) -> list[Path]:
    """Remove stale ``.incoming`` copies (of processes no longer running) and stored
    bundles without a row; return what was removed."""
    root = data_dir / INBOX_DIR
    if not root.is_dir():
        return []
    removed: list[Path] = []
    incoming = root / INCOMING_DIR
    if incoming.is_dir():
        for leftover in incoming.iterdir():
            if leftover.is_file() and not _owner_alive(leftover):
                remove_file(leftover)
                removed.append(leftover)
    if "received_bundles" not in db.table_names():
        return removed
    conn = db.conn
    if conn.in_transaction:  # pragma: no cover - only called at open
        return removed
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # busy for 10 s: another process imports; next start
        return removed
    try:
        known = {
            os.path.normcase(str(data_dir / str(r[0])))
            for r in conn.execute(
                "SELECT stored_path FROM received_bundles WHERE stored_path != ''"
            )
        }
        for path in root.rglob("*.zip"):
            if INCOMING_DIR in path.relative_to(root).parts:
                continue
            if os.path.normcase(str(path)) not in known:
                remove_file(path)
                removed.append(path)
    finally:
        conn.execute("COMMIT")
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if folder.name != INCOMING_DIR:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only empty ones
    return removed
