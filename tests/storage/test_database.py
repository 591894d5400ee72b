import sqlite3
from pathlib import Path

import pytest

from parapp.models.errors import WorkspaceError
from parapp.storage.database import connect, known_migrations


def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = connect(tmp_path / "w.sqlite")
    assert {"units", "frameworks", "answers", "evidence_links"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
    assert applied == known_migrations()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    connect(tmp_path / "w.sqlite").conn.close()
    db = connect(tmp_path / "w.sqlite")
    count = db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    assert count == len(known_migrations())


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "w.sqlite"
    db = connect(path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('parapp', 'm999_from_the_future', 'x')"
    )
    db.conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="phiên bản ParApp mới hơn"):
        connect(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceError, match="không phải là cơ sở dữ liệu của ParApp"):
        connect(path)


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorkspaceError, match="bị hỏng"):
        connect(path)


def test_child_units_come_in_vietnamese_order(tmp_path: Path) -> None:
    from parapp.models.units import Unit, UnitLevel
    from parapp.storage.units_repo import UnitsRepo

    db = connect(tmp_path / "w.sqlite")
    repo = UnitsRepo(db)
    repo.upsert(Unit("H1", "Huyện Một", UnitLevel.DISTRICT))
    names = ["Xã Vĩnh Phúc", "Xã Số 10", "Xã Đông Hà", "Xã Số 2", "Xã An Hòa"]
    for i, name in enumerate(names):
        repo.upsert(Unit(f"X{i}", name, UnitLevel.COMMUNE, "H1"))
    assert [u.name for u in repo.children("H1")] == [
        "Xã An Hòa",
        "Xã Đông Hà",
        "Xã Số 2",
        "Xã Số 10",
        "Xã Vĩnh Phúc",
    ]
    db.close()
