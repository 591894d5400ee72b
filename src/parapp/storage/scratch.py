"""Temporary files the app can always find again: the workspace's ``tmp/`` folder and a
journal of the few temporary files written beside a user's chosen destination.

Every temporary name starts with :data:`TMP_PREFIX`, so a leftover is recognisable at a
glance. Work files (backup snapshots, restore staging, bundles being written) live in
``<workspace>/tmp/``, emptied at every start (:func:`clean_leftovers`, called by
``Workspace.open``). When the finished file must cross to another disk, it is copied to
``<destination folder>/.parapp-tmp-<name>-….part`` whose full path is first recorded in
``<workspace>/tmp-outside.json``; the next start removes exactly the recorded files (and
only names with the prefix), never anything else in a user's folder. A kill -9 at any
moment therefore leaves nothing a user would see after the next start.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from parapp.fileio import TMP_PREFIX, DiskFullError, describe_os_error
from parapp.models.errors import ParAppError

TMP_DIR = "tmp"
JOURNAL = "tmp-outside.json"
_LOCK = threading.Lock()


def tmp_root(data_dir: Path) -> Path:
    """``<workspace>/tmp``, created if needed."""
    root = Path(data_dir) / TMP_DIR
    root.mkdir(parents=True, exist_ok=True)
    return root


def scratch_dir(data_dir: Path, purpose: str) -> Path:
    """A fresh private folder ``<workspace>/tmp/.parapp-tmp-<purpose>-<pid>-…``.

    The process id in the name lets the next start tell a leftover of a dead run from the
    work of another ParApp window still running on the same workspace.
    """
    prefix = f"{TMP_PREFIX}{purpose}-{os.getpid()}-"
    return Path(tempfile.mkdtemp(prefix=prefix, dir=tmp_root(data_dir)))


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (never signals or stops it)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _owner(name: str) -> int | None:
    """The pid written in a scratch name, if any."""
    for part in name.removeprefix(TMP_PREFIX).split("-"):
        if part.isdigit() and len(part) < 10:
            return int(part)
    return None


def _journal(data_dir: Path) -> Path:
    return Path(data_dir) / JOURNAL


def _read_journal(data_dir: Path) -> list[list[Any]]:
    """``[[path, pid], …]``; anything malformed is ignored."""
    try:
        data = json.loads(_journal(data_dir).read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    if not isinstance(data, list):
        return []
    return [
        e
        for e in data
        if isinstance(e, list) and len(e) == 2 and isinstance(e[0], str) and isinstance(e[1], int)
    ]


def _write_journal(data_dir: Path, paths: list[list[Any]]) -> None:
    target = _journal(data_dir)
    if not paths:
        target.unlink(missing_ok=True)
        return
    tmp = tmp_root(data_dir) / f"{TMP_PREFIX}journal-{os.getpid()}.json"
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(paths, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def _record(data_dir: Path, path: Path, add: bool) -> None:
    with _LOCK:
        paths = [e for e in _read_journal(data_dir) if e[0] != str(path)]
        _write_journal(data_dir, [*paths, [str(path), os.getpid()]] if add else paths)


def clean_leftovers(data_dir: Path) -> list[Path]:
    """Remove what an interrupted run left: ``tmp/`` and the journalled outside files.

    Returns the outside files removed. Only names starting with :data:`TMP_PREFIX` are
    ever removed outside the workspace, so a damaged journal cannot delete a user's file.
    """
    data_dir = Path(data_dir)
    root = data_dir / TMP_DIR
    stale = [*data_dir.glob(".restore-*")]  # staging folders of ParApp before 0.2
    if root.is_dir():
        for child in root.iterdir():
            pid = _owner(child.name)
            if pid is None or not _alive(pid):
                stale.append(child)
    for child in stale:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
    removed = []
    with _LOCK:
        keep = []
        for raw, pid in _read_journal(data_dir):
            path = Path(raw)
            if _alive(pid):
                keep.append([raw, pid])
            elif path.name.startswith(TMP_PREFIX) and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
        _write_journal(data_dir, keep)
    return removed


def publish(data_dir: Path, source: Path, dest: Path) -> Path:
    """Move the finished ``source`` (in the workspace's ``tmp/``) to ``dest`` atomically.

    Same disk: one rename, nothing ever appears half-written at ``dest``. Another disk:
    copy to a journalled ``.parapp-tmp-…part`` beside ``dest``, fsync, rename. A full or
    read-only destination is reported naming ``dest``; ``source`` is removed either way.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, dest)
            return dest
        except OSError as err:
            if err.errno != errno.EXDEV:
                raise
        fd, name = tempfile.mkstemp(
            prefix=f"{TMP_PREFIX}{dest.name[:60]}-", suffix=".part", dir=dest.parent
        )
        part = Path(name)
        _record(data_dir, part, add=True)
        try:
            os.chmod(part, source.stat().st_mode & 0o777)
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out, 1024 * 1024)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, dest)
        finally:
            part.unlink(missing_ok=True)
            _record(data_dir, part, add=False)
        return dest
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(describe_os_error(err, dest)) from err
        raise ParAppError(describe_os_error(err, dest)) from err
    finally:
        source.unlink(missing_ok=True)
