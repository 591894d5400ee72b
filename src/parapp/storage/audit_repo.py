"""The audit trail: one row per change (who, when, what, before, after, why), append-only.

Written in the same transaction as the change it records, so a change without its audit row
(or the reverse) cannot be left behind by a crash.
"""

from __future__ import annotations

import json
from typing import Any

from parapp.storage.clock import now_iso
from parapp.storage.database import Database

Row = dict[str, Any]


def as_text(value: Any) -> str:
    """A before/after value as stored: text as is, anything else as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class AuditRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        actor: str,
        unit_code: str,
        period: str,
        code: str,
        field: str,
        before: Any,
        after: Any,
        reason: str = "",
    ) -> None:
        self.db.execute(
            """INSERT INTO audit_log (at, actor, unit_code, period, code, field, before,
               after, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [now_iso(), actor, unit_code, period, code, field, as_text(before),
             as_text(after), reason],
        )  # fmt: skip

    def entries(self, unit_code: str | None = None, period: str | None = None) -> list[Row]:
        where, params = [], []
        if unit_code is not None:
            where.append("unit_code = ?")
            params.append(unit_code)
        if period is not None:
            where.append("period = ?")
            params.append(period)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        return list(self.db.query(f"SELECT * FROM audit_log {clause} ORDER BY id", params))
