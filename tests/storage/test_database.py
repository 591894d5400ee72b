import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from parapp.models.errors import WorkspaceError
from parapp.storage.database import Database, connect, known_migrations


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


def _two_connections(path: Path) -> tuple[Database, sqlite3.Connection]:
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    return db, sqlite3.connect(str(path), isolation_level=None)


def _values(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT v FROM t ORDER BY id")]


def test_execute_outside_a_transaction_is_committed_at_once(tmp_path: Path) -> None:
    db, other = _two_connections(tmp_path / "w.sqlite")
    db.execute("INSERT INTO t (v) VALUES (?)", ["một"])
    assert _values(other) == ["một"]  # another connection sees it: nothing left pending
    db.close()
    other.close()


def test_atomic_commits_at_the_end_and_rolls_back_on_error(tmp_path: Path) -> None:
    db, other = _two_connections(tmp_path / "w.sqlite")
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        assert _values(other) == []  # not visible before the block ends
    assert _values(other) == ["a"]
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('b')")
        raise RuntimeError("stop")
    assert _values(other) == ["a"]
    assert not db.conn.in_transaction
    db.close()
    other.close()


def test_nested_atomic_is_a_savepoint(tmp_path: Path) -> None:
    """An inner block that fails undoes only its own writes; the outer one still commits."""
    db, other = _two_connections(tmp_path / "w.sqlite")
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('outer')")
        with pytest.raises(ValueError), db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('inner')")
            raise ValueError("inner fails")
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('inner ok')")
    assert _values(other) == ["outer", "inner ok"]
    db.close()
    other.close()


def test_a_trigger_that_rolls_back_everything_keeps_its_own_error(tmp_path: Path) -> None:
    """RAISE(ROLLBACK) ends the whole transaction: the caller sees the trigger's error, not
    a "no such savepoint" from the cleanup."""
    db, other = _two_connections(tmp_path / "w.sqlite")
    db.execute(
        "CREATE TRIGGER no_x BEFORE INSERT ON t WHEN NEW.v = 'x' "
        "BEGIN SELECT RAISE(ROLLBACK, 'không được ghi x'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="không được ghi x"), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('x')")
    assert _values(other) == []
    assert not db.conn.in_transaction
    db.close()
    other.close()


def test_query_rows_are_dicts_with_unique_keys(tmp_path: Path) -> None:
    db, other = _two_connections(tmp_path / "w.sqlite")
    db.execute("INSERT INTO t (v) VALUES ('a')")
    rows = list(db.query("SELECT t.id, t.v, u.id, u.v AS id_2 FROM t JOIN t AS u"))
    # the second "id" must not overwrite the first, nor the column already named id_2
    assert rows == [{"id": 1, "v": "a", "id_3": 1, "id_2": "a"}]
    with pytest.raises(ValueError, match="execute"):
        db.query("UPDATE t SET v = 'b'")
    db.close()
    other.close()


def test_an_up_to_date_workspace_opens_without_sqlite_utils(tmp_path: Path) -> None:
    """sqlite-utils (with click, pluggy, dateutil) loads only when a schema must change."""
    path = tmp_path / "w.sqlite"
    connect(path).close()  # creates it: that one needs the migrations
    code = (
        "import sys\n"
        "from parapp.storage.database import applied_migrations, connect, known_migrations\n"
        f"db = connect({str(path)!r})\n"
        "assert applied_migrations(db.conn) == known_migrations()\n"
        "db.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlite_utils', 'click', 'pluggy', 'dateutil')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
