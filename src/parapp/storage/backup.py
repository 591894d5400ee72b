"""Whole-workspace backup and restore (one ``.parapp-backup`` zip), and automatic DB backups.

The database is copied with SQLite's online backup API, so a backup taken while the app is
open (and writing) is still a consistent snapshot. Evidence files are immutable (named by
their hash), so copying them while the app runs is safe too.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from parapp.fileio import atomic_write, describe_os_error
from parapp.models.errors import ParAppError, WorkspaceError
from parapp.storage.database import connect
from parapp.storage.evidence_store import CHUNK

DB_NAME = "parapp.sqlite"
BACKUP_FORMAT = "parapp.backup/1"
AUTO_KEEP = 10


def snapshot_database(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the live database to ``dest`` consistently (online backup API)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    target = sqlite3.connect(str(dest))
    try:
        conn.backup(target)
    finally:
        target.close()


def backup_workspace(conn: sqlite3.Connection, data_dir: Path, out: Path) -> dict[str, int]:
    """Write database + evidence to the zip ``out`` atomically; return counts for the user."""
    evidence_root = data_dir / "evidence"
    with tempfile.TemporaryDirectory(prefix="parapp-backup-") as tmp:
        snap = Path(tmp) / DB_NAME
        snapshot_database(conn, snap)
        files = sorted(p for p in evidence_root.glob("??/*") if p.is_file())
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database_sha256": _sha256(snap),
            "evidence": [p.name for p in files],
        }
        with atomic_write(out) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf:
            zf.writestr("backup.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            zf.write(snap, DB_NAME, compress_type=zipfile.ZIP_DEFLATED)
            for p in files:
                zf.write(p, f"evidence/{p.parent.name}/{p.name}")
    return {"evidence_files": len(files)}


def restore_workspace(archive: Path, data_dir: Path) -> dict[str, int]:
    """Replace the workspace in ``data_dir`` by the backup ``archive``.

    The archive is checked whole first (format, names, hashes, database readable and not
    newer than this version); only then is the current workspace moved aside to
    ``backups/before-restore-<time>/`` and the restored one moved in. The workspace must
    not be open in another window.
    """
    if not archive.is_file():
        raise ParAppError(f"Không tìm thấy tệp sao lưu “{archive}”.")
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        count = _extract_checked(archive, staging)
        connect(staging / DB_NAME).close()  # refuses a newer or foreign database
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = data_dir / "backups" / f"before-restore-{stamp}"
        aside.mkdir(parents=True, exist_ok=True)
        for name in (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "evidence"):
            if (data_dir / name).exists():
                shutil.move(str(data_dir / name), str(aside / name))
        shutil.move(str(staging / DB_NAME), str(data_dir / DB_NAME))
        shutil.move(str(staging / "evidence"), str(data_dir / "evidence"))
        return {"evidence_files": count}
    except OSError as err:
        raise ParAppError(describe_os_error(err, data_dir)) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extract_checked(archive: Path, staging: Path) -> int:
    bad = f"“{archive.name}” không phải là tệp sao lưu ParApp hợp lệ"
    try:
        with zipfile.ZipFile(archive) as zf:
            try:
                manifest = json.loads(zf.read("backup.json"))
            except (KeyError, ValueError) as err:
                raise WorkspaceError(f"{bad}: thiếu hoặc hỏng backup.json.") from err
            if manifest.get("format") != BACKUP_FORMAT:
                raise WorkspaceError(f"{bad}: định dạng {manifest.get('format')!r} không hỗ trợ.")
            expected = {f"evidence/{n[:2]}/{n}" for n in manifest.get("evidence", [])}
            names = {i.filename for i in zf.infolist()}
            if names != expected | {"backup.json", DB_NAME}:
                raise WorkspaceError(f"{bad}: danh sách tệp không khớp.")
            (staging / "evidence").mkdir()
            for info in zf.infolist():
                if info.filename == "backup.json":
                    continue
                rel = PurePosixPath(info.filename)
                if rel.is_absolute() or ".." in rel.parts:
                    raise WorkspaceError(f"{bad}: đường dẫn không an toàn {info.filename!r}.")
                dest = staging.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with zf.open(info) as src, dest.open("wb") as out:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                want = manifest["database_sha256"] if info.filename == DB_NAME else rel.name
                if digest.hexdigest() != want:
                    raise WorkspaceError(f"{bad}: tệp {info.filename} bị hỏng.")
            return len(expected)
    except zipfile.BadZipFile as err:
        raise WorkspaceError(f"{bad}: tệp zip bị hỏng.") from err


def auto_backup(conn: sqlite3.Connection, backups_dir: Path, keep: int = AUTO_KEEP) -> Path:
    """Snapshot the database into ``backups_dir`` and keep only the newest ``keep``."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    dest = backups_dir / f"auto-{stamp}.sqlite"
    tmp = dest.with_suffix(".part")
    snapshot_database(conn, tmp)
    tmp.replace(dest)
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
