"""Units of the workspace: its own unit, its children, hand-entered units."""

from __future__ import annotations

from parapp.models.collation import vn_sort_key
from parapp.models.errors import NotFoundError
from parapp.models.units import Unit, UnitLevel
from parapp.storage.database import Database


def _row_to_unit(row: dict[str, object]) -> Unit:
    return Unit(
        code=str(row["code"]),
        name=str(row["name"]),
        level=UnitLevel(str(row["level"])),
        parent_code=str(row["parent_code"]) if row["parent_code"] else None,
        province=str(row["province"] or ""),
    )


class UnitsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def upsert(self, unit: Unit) -> None:
        """Insert or replace ``unit``; an empty parent code means no parent (storing ``""``
        would break the foreign key to ``units(code)``)."""
        self.db.execute(
            """INSERT INTO units (code, name, level, parent_code, province)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(code) DO UPDATE SET name=excluded.name, level=excluded.level,
               parent_code=excluded.parent_code, province=excluded.province""",
            [unit.code, unit.name, unit.level.value, unit.parent_code or None, unit.province],
        )

    def get(self, code: str) -> Unit:
        rows = list(self.db.query("SELECT * FROM units WHERE code = ?", [code]))
        if not rows:
            raise NotFoundError(f"Không có đơn vị mã “{code}” trong dữ liệu.")
        return _row_to_unit(rows[0])

    def find(self, code: str) -> Unit | None:
        rows = list(self.db.query("SELECT * FROM units WHERE code = ?", [code]))
        return _row_to_unit(rows[0]) if rows else None

    def all(self) -> list[Unit]:
        return [_row_to_unit(r) for r in self.db.query("SELECT * FROM units ORDER BY code")]

    def children(self, parent_code: str) -> list[Unit]:
        """The child units in Vietnamese name order ("Xã Đông Hà" before "Xã Vĩnh Phúc",
        "Xã Số 2" before "Xã Số 10"), which SQLite's code-point ORDER BY cannot give."""
        rows = self.db.query("SELECT * FROM units WHERE parent_code = ?", [parent_code])
        return sorted((_row_to_unit(r) for r in rows), key=lambda u: vn_sort_key(u.name))
