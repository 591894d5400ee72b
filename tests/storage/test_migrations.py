"""Every earlier schema, holding data in every table, upgrades to the current one intact.

For each migration ``k`` a workspace is created at the schema just before it (migrations
``1..k-1``), a row is written into every table that exists then, and the current ``connect``
upgrades it; every value written must read back unchanged. A new table gets a generic row
automatically, so the test keeps covering migrations added later; a column that needs a
particular value (a foreign key) is named in ``VALUES``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from parapp.storage.database import Database, apply_migrations, connect, known_migrations

#: columns whose value must agree across tables (foreign keys) or be meaningful
VALUES: dict[str, Any] = {
    "unit_code": "U1",
    "code": "1.1",
    "parent_code": None,
    "plan_id": "P1",
    "framework_id": "F1",
    "assessment_id": 1,
    "bundle_id": 1,
    "sha256": "e" * 64,
    "evidence_sha256": None,
    "file_sha256": "f" * 64,
    "revision": 1,
}
#: primary keys of the parent tables, matching ``VALUES``
TABLE_VALUES: dict[str, dict[str, Any]] = {
    "units": {"code": "U1"},
    "frameworks": {"id": "F1"},
    "task_plans": {"id": "P1"},
    "assessments": {"id": 1},
    "received_bundles": {"id": 1},
}


def _value(table: str, column: str, col_type: str) -> Any:
    if column in TABLE_VALUES.get(table, {}):
        return TABLE_VALUES[table][column]
    if column in VALUES:
        return VALUES[column]
    kind = col_type.upper()
    if "INT" in kind:
        return 7
    if "REAL" in kind or "FLOA" in kind or "DOUB" in kind:
        return 2.5
    return f"{table}.{column} — dữ liệu cũ"


def _fill(db: Database) -> dict[str, dict[str, Any]]:
    """One row in every table (in creation order, so parents come first)."""
    written: dict[str, dict[str, Any]] = {}
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name != '_sqlite_migrations' ORDER BY rowid"
        )
    ]
    for table in tables:
        columns = db.execute(f"PRAGMA table_info([{table}])").fetchall()
        row = {str(c[1]): _value(table, str(c[1]), str(c[2])) for c in columns}
        db.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{k}]' for k in row)}) "
            f"VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
        written[table] = row
    return written


def _at_version(path: Path, before: str | None) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    if before is not None:
        apply_migrations(conn, stop_before=before)
    written = _fill(Database(conn))
    conn.close()
    return written


@pytest.mark.parametrize("stop_before", known_migrations()[1:])
def test_an_earlier_schema_with_data_upgrades_intact(tmp_path: Path, stop_before: str) -> None:
    path = tmp_path / "old.sqlite"
    written = _at_version(path, stop_before)
    assert written, "the earlier schema has tables"
    db = connect(path)
    try:
        applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
        assert applied == known_migrations()
        for table, row in written.items():
            rows = list(db.query(f"SELECT * FROM [{table}]"))
            assert len(rows) == 1, table
            assert {k: rows[0][k] for k in row} == row, table
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


def test_the_current_schema_takes_a_row_in_every_table(tmp_path: Path) -> None:
    """The filler itself works on the newest schema (so every table of every version does)."""
    db = connect(tmp_path / "new.sqlite")
    try:
        written = _fill(db)
        assert set(written) == set(db.table_names()) - {"_sqlite_migrations"}
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
