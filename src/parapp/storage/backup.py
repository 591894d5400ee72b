"""Whole-workspace backup and restore (one ``.parapp-backup`` zip), and automatic DB backups.

The database is copied with SQLite's online backup API, so a backup taken while the app is
open (and writing) is still a consistent snapshot. Evidence files are immutable (named by
their hash), so copying them while the app runs is safe too. The unit's signing key travels
too, still encrypted with its passphrase (``keys/``), so a restored workspace signs with the
same key the office already trusts.

A backup file is untrusted input. Restore checks it whole before anything is swapped in:
``backup.json`` against a strict schema (:func:`check_manifest`), names, counts, sizes and
compression ratios before a byte is written, free space, every hash, then the database
itself (:func:`parapp.storage.database.check_restorable`: integrity, exactly this app's
schema, a known version). Work happens in the workspace's ``tmp/`` folder, emptied at the
next start, so a crash leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from parapp.fileio import DiskFullError, describe_os_error
from parapp.models.errors import ParAppError, WorkspaceError
from parapp.storage.database import check_restorable, connect
from parapp.storage.evidence_store import CHUNK, CancelFn, CancelledError, ProgressFn
from parapp.storage.scratch import publish, scratch_dir

DB_NAME = "parapp.sqlite"
BACKUP_FORMAT = "parapp.backup/1"
AUTO_KEEP = 10
KEYS_DIR = "keys"

# Bounds checked before anything is written (a backup is untrusted input).
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_ENTRIES = 200_000
MAX_RATIO = 50  # uncompressed / compressed, for entries over RATIO_FLOOR bytes
RATIO_FLOOR = 1024 * 1024
MAX_KEY_FILE_BYTES = 64 * 1024
FREE_MARGIN = 64 * 1024 * 1024

_HEX64 = re.compile(r"[0-9a-f]{64}")
_KEY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_MANIFEST_REQUIRED = ("format", "created_at", "database_sha256", "evidence")
_MANIFEST_OPTIONAL = ("keys",)


def snapshot_database(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the live database to ``dest`` consistently (online backup API)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        conn.backup(target)
    finally:
        target.close()


def _key_files(data_dir: Path) -> list[Path]:
    folder = data_dir / KEYS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and _KEY_NAME.fullmatch(p.name))


def backup_workspace(
    conn: sqlite3.Connection,
    data_dir: Path,
    out: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> dict[str, int]:
    """Write database + evidence + encrypted keys to the zip ``out`` atomically.

    Everything is built in the workspace's ``tmp/`` folder and then moved to ``out``
    (:func:`parapp.storage.scratch.publish`). Returns counts for the user. ``progress``
    gets (bytes done, bytes total); ``cancel`` is checked between files and stops with
    :class:`CancelledError`, leaving nothing behind.
    """
    evidence_root = data_dir / "evidence"
    work = scratch_dir(data_dir, "backup")
    try:
        snap = work / DB_NAME
        snapshot_database(conn, snap)
        files = sorted(p for p in evidence_root.glob("??/*") if p.is_file())
        key_files = _key_files(data_dir)
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_sha256": _sha256(snap),
            "evidence": [p.name for p in files],
            "keys": {p.name: _sha256(p) for p in key_files},
        }
        part = work / "backup.zip"
        total = snap.stat().st_size + sum(p.stat().st_size for p in files)
        done = 0

        def step(size: int) -> None:
            nonlocal done
            done += size
            if progress is not None:
                progress(done, total)
            if cancel is not None and cancel():
                raise CancelledError("Sao lưu")

        with part.open("wb") as fh:
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
                zf.writestr("backup.json", json.dumps(manifest, ensure_ascii=False, indent=1))
                zf.write(snap, DB_NAME, compress_type=zipfile.ZIP_DEFLATED)
                step(snap.stat().st_size)
                for p in key_files:
                    zf.write(p, f"{KEYS_DIR}/{p.name}")
                for p in files:
                    zf.write(p, f"evidence/{p.parent.name}/{p.name}")
                    step(p.stat().st_size)
            fh.flush()
            os.fsync(fh.fileno())
        publish(data_dir, part, out)
    except OSError as err:
        raise ParAppError(describe_os_error(err, out)) from err
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"evidence_files": len(files), "key_files": len(key_files)}


def check_manifest(data: Any, bad: str) -> dict[str, Any]:
    """The strict schema of ``backup.json``; raises :class:`WorkspaceError` naming the field.

    Hand-written rather than ``jsonschema``: the library is not a dependency of the app
    (it would add ``jsonschema`` + ``referencing`` + the native ``rpds-py`` to the installer
    for one five-field object), and storage cannot use the bundle's schema checker
    (``interchange`` sits above ``storage``). The rules: an object with exactly the fields
    format (= ``parapp.backup/1``), created_at (text), database_sha256 (64 hex digits),
    evidence (list of distinct SHA-256 names) and, optionally, keys (object: key file name →
    SHA-256).
    """
    if not isinstance(data, dict):
        raise WorkspaceError(
            f"{bad}: backup.json phải là một đối tượng JSON, không phải danh sách hay giá trị đơn."
        )
    for key in data:
        if key not in _MANIFEST_REQUIRED + _MANIFEST_OPTIONAL:
            raise WorkspaceError(f"{bad}: backup.json có trường lạ “{str(key)[:40]}”.")
    for key in _MANIFEST_REQUIRED:
        if key not in data:
            raise WorkspaceError(f"{bad}: backup.json thiếu trường “{key}”.")
    if data["format"] != BACKUP_FORMAT:
        raise WorkspaceError(f"{bad}: định dạng {str(data['format'])[:40]!r} không hỗ trợ.")
    if not isinstance(data["created_at"], str):
        raise WorkspaceError(f"{bad}: trường “created_at” phải là văn bản.")
    if not isinstance(data["database_sha256"], str) or not _HEX64.fullmatch(
        data["database_sha256"]
    ):
        raise WorkspaceError(f"{bad}: trường “database_sha256” không phải mã SHA-256.")
    evidence = data["evidence"]
    if not isinstance(evidence, list):
        raise WorkspaceError(f"{bad}: trường “evidence” phải là danh sách tên tệp.")
    if len(evidence) > MAX_ENTRIES:
        raise WorkspaceError(f"{bad}: quá nhiều tài liệu ({len(evidence)}).")
    for i, name in enumerate(evidence):
        if not isinstance(name, str) or not _HEX64.fullmatch(name):
            raise WorkspaceError(f"{bad}: tên tài liệu thứ {i + 1} trong “evidence” không hợp lệ.")
    if len(set(evidence)) != len(evidence):
        raise WorkspaceError(f"{bad}: “evidence” có tài liệu lặp lại.")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or len(keys) > 100:
        raise WorkspaceError(f"{bad}: trường “keys” phải là bảng tên tệp khóa → mã băm.")
    for name, digest in keys.items():
        if (
            not _KEY_NAME.fullmatch(name)
            or not isinstance(digest, str)
            or not _HEX64.fullmatch(digest)
        ):
            raise WorkspaceError(f"{bad}: tệp khóa “{str(name)[:40]}” trong “keys” không hợp lệ.")
    return data


def restore_workspace(
    archive: Path,
    data_dir: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> dict[str, int]:
    """Replace the workspace in ``data_dir`` by the backup ``archive``.

    The archive is checked whole first (see the module docstring); only then is the
    current workspace moved aside to ``backups/before-restore-<time>/`` and the restored
    one moved in (rolled back if a move fails). A refused backup changes nothing and
    leaves nothing behind. The workspace must not be open in another window.
    """
    if not archive.is_file():
        raise ParAppError(f"Không tìm thấy tệp sao lưu “{archive}”.")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        staging = scratch_dir(data_dir, "restore")
    except OSError as err:
        raise ParAppError(describe_os_error(err, data_dir)) from err
    try:
        counts = _extract_checked(archive, staging, data_dir, progress, cancel)
        bad = f"“{archive.name}” không phải là tệp sao lưu ParApp hợp lệ"
        check_restorable(staging / DB_NAME, bad)
        connect(staging / DB_NAME).close()  # brings an older schema up to date
        _swap_in(staging, data_dir)
        return counts
    except OSError as err:
        raise ParAppError(describe_os_error(err, data_dir)) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, data_dir: Path) -> None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = data_dir / "backups" / f"before-restore-{stamp}"
    aside.mkdir(parents=True, exist_ok=True)
    names = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "evidence", KEYS_DIR)
    moved_aside: list[str] = []
    moved_in: list[str] = []
    try:
        for name in names:
            if (data_dir / name).exists():
                os.replace(data_dir / name, aside / name)
                moved_aside.append(name)
        for name in (DB_NAME, "evidence", KEYS_DIR):
            if (staging / name).exists():
                os.replace(staging / name, data_dir / name)
                moved_in.append(name)
    except OSError:
        for name in moved_in:  # put everything back as it was
            os.replace(data_dir / name, staging / name)
        for name in moved_aside:
            os.replace(aside / name, data_dir / name)
        shutil.rmtree(aside, ignore_errors=True)
        raise


def _extract_checked(
    archive: Path,
    staging: Path,
    data_dir: Path,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> dict[str, int]:
    bad = f"“{archive.name}” không phải là tệp sao lưu ParApp hợp lệ"
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ENTRIES + 200:
                raise WorkspaceError(f"{bad}: quá nhiều tệp ({len(infos)}).")
            by_name: dict[str, zipfile.ZipInfo] = {}
            for info in infos:
                if info.filename in by_name:
                    raise WorkspaceError(f"{bad}: tệp {info.filename[:80]!r} xuất hiện hai lần.")
                by_name[info.filename] = info
            head = by_name.get("backup.json")
            if head is None:
                raise WorkspaceError(f"{bad}: thiếu hoặc hỏng backup.json.")
            if head.file_size > MAX_MANIFEST_BYTES:
                raise WorkspaceError(f"{bad}: backup.json quá lớn.")
            try:
                raw = json.loads(zf.read(head))
            except (ValueError, RecursionError) as err:
                raise WorkspaceError(f"{bad}: thiếu hoặc hỏng backup.json.") from err
            manifest = check_manifest(raw, bad)
            key_names: dict[str, str] = manifest.get("keys", {})
            expected = {f"evidence/{n[:2]}/{n}": n for n in manifest["evidence"]}
            expected[DB_NAME] = manifest["database_sha256"]
            expected |= {f"{KEYS_DIR}/{n}": d for n, d in key_names.items()}
            if set(by_name) != set(expected) | {"backup.json"}:
                raise WorkspaceError(f"{bad}: danh sách tệp không khớp với backup.json.")
            _check_sizes(by_name, bad, data_dir)
            total = sum(by_name[name].file_size for name in expected)
            done = 0
            for name, want in expected.items():
                if cancel is not None and cancel():
                    raise CancelledError("Khôi phục")
                rel = PurePosixPath(name)
                if rel.is_absolute() or ".." in rel.parts:
                    raise WorkspaceError(f"{bad}: đường dẫn không an toàn {name!r}.")
                dest = staging.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with zf.open(by_name[name]) as src, dest.open("wb") as out:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != want:
                    raise WorkspaceError(f"{bad}: tệp {name} bị hỏng.")
                done += by_name[name].file_size
                if progress is not None:
                    progress(done, total)
            (staging / "evidence").mkdir(exist_ok=True)
            return {"evidence_files": len(manifest["evidence"]), "key_files": len(key_names)}
    except zipfile.BadZipFile as err:
        raise WorkspaceError(f"{bad}: tệp zip bị hỏng.") from err
    except (zipfile.LargeZipFile, NotImplementedError, EOFError) as err:
        raise WorkspaceError(f"{bad}: tệp zip dùng định dạng không hỗ trợ.") from err
    except OSError as err:
        if err.errno is not None:
            raise
        raise WorkspaceError(f"{bad}: tệp zip bị hỏng ({err}).") from err


def _check_sizes(by_name: dict[str, zipfile.ZipInfo], bad: str, data_dir: Path) -> None:
    """Sizes, methods and ratios from the zip's directory, before a byte is written."""
    total = 0
    for name, info in by_name.items():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WorkspaceError(f"{bad}: tệp {name} dùng kiểu nén không hỗ trợ.")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise WorkspaceError(
                f"{bad}: tệp {name} có tỉ lệ nén bất thường ({info.compress_size} byte giải nén "
                f"thành {info.file_size} byte) — có thể là “bom zip”."
            )
        if name.startswith(f"{KEYS_DIR}/") and info.file_size > MAX_KEY_FILE_BYTES:
            raise WorkspaceError(f"{bad}: tệp khóa {name} quá lớn.")
        total += info.file_size
    free = shutil.disk_usage(data_dir).free
    if total + FREE_MARGIN > free:
        raise DiskFullError(
            f"Không đủ chỗ trống để khôi phục vào “{data_dir}”: cần "
            f"{total // (1024 * 1024) + 1} MB, còn {free // (1024 * 1024)} MB. Hãy giải phóng "
            "dung lượng rồi thử lại; dữ liệu hiện tại không thay đổi."
        )


def auto_backup(conn: sqlite3.Connection, backups_dir: Path, keep: int = AUTO_KEEP) -> Path:
    """Snapshot the database into ``backups_dir`` and keep only the newest ``keep``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = backups_dir / f"auto-{stamp}.sqlite"
    work = scratch_dir(backups_dir.parent, "auto-backup")
    try:
        snapshot_database(conn, work / DB_NAME)
        backups_dir.mkdir(parents=True, exist_ok=True)
        os.replace(work / DB_NAME, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in sorted(backups_dir.glob("auto-*.sqlite"))[:-keep]:
        old.unlink(missing_ok=True)
    return dest


def latest_auto_backup(backups_dir: Path) -> Path | None:
    found = sorted(backups_dir.glob("auto-*.sqlite"))
    return found[-1] if found else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
