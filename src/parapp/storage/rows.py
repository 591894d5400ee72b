"""Row shapes shared by the repositories, and the one per-period grouping they all need.

The office's appraisals and review states are both read a whole period at a time for the
consolidation screens; grouping them by unit and item code in one place keeps the two
repositories from drifting apart (one of them once grouped by a different key).
"""

from __future__ import annotations

from typing import Any

from parapp.storage.database import Database

Row = dict[str, Any]


def period_by_unit_and_code(db: Database, table: str, period: str) -> dict[str, dict[str, Row]]:
    """``{unit_code: {code: row}}`` of one period of ``table``, in one query.

    ``table`` is always one of the repositories' own constant names, never user input.
    """
    out: dict[str, dict[str, Row]] = {}
    for r in db.query(f"SELECT * FROM [{table}] WHERE period = ?", [period]):
        out.setdefault(str(r["unit_code"]), {})[str(r["code"])] = r
    return out
