"""Restore of crafted backups (issue 12): each refused with its own Vietnamese reason,
nothing changed, nothing left behind; and the signing key travels with a backup."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parapp.models.errors import ParAppError
from parapp.services import unit_keys
from parapp.services.workspace import Workspace
from parapp.storage import backup as backup_mod
from parapp.storage.backup import DB_NAME, backup_workspace, restore_workspace
from tests.services.helpers import setup_ws

PASS = "mat-khau-du-dai"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real backup: answers, one evidence file and an encrypted signing key."""
    root = tmp_path_factory.mktemp("good")
    ws = setup_ws(root / "ws")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARAPP_KDF_PROFILE", "interactive")
        unit_keys.create_key(ws, PASS)
    scan = root / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 bien ban " * 200)
    ws.add_evidence("1.2", scan)
    ws.set_answer("1.2", self_score=1.5, explanation="Đủ 4 báo cáo")
    out = root / "good.parapp-backup"
    backup_workspace(ws.conn, ws.data_dir, out)
    ws.close()
    return out


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A workspace with its own data, which every refused restore must leave untouched."""
    ws = setup_ws(tmp_path / "target")
    ws.set_answer("1.2", self_score=0.5, explanation="bản đang dùng")
    ws.close()
    return tmp_path / "target"


def _state(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(folder.rglob("*"))
        if "tmp" not in p.relative_to(folder).parts[:1]
    }


def _rebuild(
    good: Path,
    out: Path,
    manifest: Callable[[dict[str, Any]], Any] | None = None,
    database: Callable[[sqlite3.Connection], None] | None = None,
    raw_manifest: bytes | None = None,
    extra: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
) -> Path:
    """A copy of ``good`` with its manifest and/or database changed (hashes kept right)."""
    with zipfile.ZipFile(good) as src:
        entries = {i.filename: src.read(i) for i in src.infolist()}
    meta = json.loads(entries["backup.json"])
    if database is not None:
        db = out.with_suffix(".sqlite")
        db.write_bytes(entries[DB_NAME])
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode = DELETE")
        database(conn)
        conn.close()
        entries[DB_NAME] = db.read_bytes()
        meta["database_sha256"] = hashlib.sha256(entries[DB_NAME]).hexdigest()
    if manifest is not None:
        meta = manifest(meta)
    entries["backup.json"] = raw_manifest or json.dumps(meta).encode()
    with zipfile.ZipFile(out, "w") as dst, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate name is the point of one case
        for name, data in [*entries.items(), *extra]:
            dst.writestr(name, data)
    return out


def _without(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda m: {k: v for k, v in m.items() if k != key}


CASES: list[tuple[str, dict[str, Any], str]] = [
    ("manifest-list", {"manifest": lambda m: [m]}, "phải là một đối tượng JSON"),
    (
        "evidence-not-list",
        {"manifest": lambda m: m | {"evidence": "abc"}},
        "“evidence” phải là danh sách",
    ),
    (
        "no-database-sha",
        {"manifest": _without("database_sha256")},
        "thiếu trường “database_sha256”",
    ),
    (
        "bad-database-sha",
        {"manifest": lambda m: m | {"database_sha256": 5}},
        "“database_sha256” không phải mã SHA-256",
    ),
    ("unknown-field", {"manifest": lambda m: m | {"run": "rm -rf"}}, "trường lạ “run”"),
    (
        "evidence-bad-name",
        {"manifest": lambda m: m | {"evidence": ["../../x"]}},
        "tên tài liệu thứ 1",
    ),
    (
        "keys-bad-name",
        {"manifest": lambda m: m | {"keys": {"../unit.key": "0" * 64}}},
        "tệp khóa “../unit.key”",
    ),
    (
        "other-format",
        {"manifest": lambda m: m | {"format": "other/9"}},
        "định dạng 'other/9' không hỗ trợ",
    ),
    ("not-json", {"raw_manifest": b"{not json"}, "thiếu hoặc hỏng backup.json"),
    ("extra-entry", {"extra": [("../../evil.txt", b"x")]}, "danh sách tệp không khớp"),
    ("duplicate-entry", {"extra": [("backup.json", b"{}")]}, "xuất hiện hai lần"),
    (
        "trigger-deletes-links",
        {
            "database": lambda c: c.execute(
                "CREATE TRIGGER wipe AFTER INSERT ON answers BEGIN DELETE FROM evidence_links; END"
            )
        },
        "trigger “wipe” không do ParApp tạo",
    ),
    (
        "trigger-raise-abort",
        {
            "database": lambda c: c.execute(
                "CREATE TRIGGER block BEFORE UPDATE ON settings BEGIN SELECT RAISE(ABORT, 'x'); END"
            )
        },
        "trigger “block” không do ParApp tạo",
    ),
    (
        "missing-table",
        {"database": lambda c: c.execute("DROP TABLE revisions")},
        "thiếu bảng “revisions”",
    ),
    (
        "foreign-view",
        {"database": lambda c: c.execute("CREATE VIEW v AS SELECT 1")},
        "view “v” không do ParApp tạo",
    ),
    (
        "foreign-table",
        {"database": lambda c: c.execute("CREATE TABLE spy (x)")},
        "bảng “spy” không do ParApp tạo",
    ),
    (
        "altered-table",
        {"database": lambda c: c.execute("ALTER TABLE answers ADD COLUMN evil TEXT")},
        "bảng “answers” có cấu trúc khác",
    ),
    (
        "newer-version",
        {
            "database": lambda c: c.execute(
                "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                "VALUES ('parapp', 'm999_future', '2030-01-01')"
            )
        },
        "phiên bản cấu trúc mà phiên bản ParApp này không biết (m999_future)",
    ),
]


@pytest.mark.parametrize(("kwargs", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_crafted_backup_is_refused_and_changes_nothing(
    good: Path, target: Path, tmp_path: Path, kwargs: dict[str, Any], reason: str
) -> None:
    crafted = _rebuild(good, tmp_path / "crafted.parapp-backup", **kwargs)
    before = _state(target)
    with pytest.raises(ParAppError) as err:
        restore_workspace(crafted, target)
    assert reason in str(err.value)
    assert _state(target) == before  # nothing changed, nothing left behind
    assert not list((target / "tmp").iterdir())
    with Workspace.open(target, backup=False) as ws:
        assert ws.answer("1.2").explanation == "bản đang dùng"


def test_corrupted_database_pages_are_refused(good: Path, target: Path, tmp_path: Path) -> None:
    def corrupt(conn: sqlite3.Connection) -> None:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        conn.close()
        path = tmp_path / "crafted.sqlite"
        data = bytearray(path.read_bytes())
        for i in range(page * 2, min(len(data), page * 6)):
            data[i] = 0x5A
        path.write_bytes(bytes(data))

    crafted = _rebuild(good, tmp_path / "crafted.parapp-backup", database=corrupt)
    before = _state(target)
    with pytest.raises(ParAppError, match="cơ sở dữ liệu bị hỏng"):
        restore_workspace(crafted, target)
    assert _state(target) == before


def test_zip_bomb_is_refused_before_writing(good: Path, target: Path, tmp_path: Path) -> None:
    """A ~1 MB backup whose database inflates to 1 GiB: refused from the zip directory."""
    with zipfile.ZipFile(good) as src:
        manifest = json.loads(src.read("backup.json"))
        others = {i.filename: src.read(i) for i in src.infolist() if i.filename != DB_NAME}
    bomb = tmp_path / "bomb.parapp-backup"
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("backup.json", json.dumps(manifest))
        with zf.open(DB_NAME, "w", force_zip64=True) as fh:
            for _ in range(1024):
                fh.write(chunk)
        for name, data in others.items():
            if name != "backup.json":
                zf.writestr(name, data)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    written: list[int] = []
    real_open = Path.open

    def spy(self: Path, mode: str = "r", *args: Any, **kw: Any) -> Any:
        if "w" in mode and "target" in self.parts:
            written.append(1)
        return real_open(self, mode, *args, **kw)

    before = _state(target)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Path, "open", spy)
        with pytest.raises(ParAppError, match="bom zip"):
            restore_workspace(bomb, target)
    assert written == []  # refused before a single file was written
    assert _state(target) == before


def test_not_enough_free_space_names_the_workspace(
    good: Path, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = shutil.disk_usage(target)
    monkeypatch.setattr(
        backup_mod.shutil, "disk_usage", lambda _p: usage._replace(free=1024 * 1024)
    )
    before = _state(target)
    with pytest.raises(ParAppError, match=f"Không đủ chỗ trống để khôi phục vào “{target}”"):
        restore_workspace(good, target)
    assert _state(target) == before


def test_restored_workspace_signs_with_the_same_key(good: Path, tmp_path: Path) -> None:
    counts = restore_workspace(good, tmp_path / "restored")
    assert counts["key_files"] >= 1
    with Workspace.open(tmp_path / "restored", backup=False) as ws:
        status = unit_keys.key_status(ws)
        assert status is not None
        kp = unit_keys.unlock(ws, PASS)  # still protected by the same passphrase
        assert kp.public == status.public
        with pytest.raises(ParAppError, match="Mật khẩu không đúng"):
            unit_keys.unlock(ws, "sai-mat-khau-roi")
        key_file = (tmp_path / "restored" / "keys" / "unit.key").read_text()
        assert "encrypted secret key" in key_file
        assert ws.answer("1.2").explanation == "Đủ 4 báo cáo"
