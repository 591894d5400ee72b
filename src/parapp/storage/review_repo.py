"""Tables of the appraisal cycle: review states (office), requests received from the parent
(commune) and period locks after a final appraisal (both sides).

Reads return whole structures in one query, like :mod:`parapp.storage.office_repo`.
"""

from __future__ import annotations

from collections.abc import Iterable

from parapp.storage.clock import now_iso
from parapp.storage.database import Database
from parapp.storage.rows import Row, period_by_unit_and_code


class ReviewStatesRepo:
    """Office side: the state the appraisal team gave each item of a unit's assessment."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def put_many(
        self, unit_code: str, period: str, rows: Iterable[tuple[str, str, str, int]], set_by: str
    ) -> None:
        """``(code, state, note, based_on_revision)`` rows, upserted."""
        at = now_iso()
        self.db.conn.executemany(
            """INSERT INTO review_states (unit_code, period, code, state, note,
               based_on_revision, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(unit_code, period, code) DO UPDATE SET state=excluded.state,
               note=excluded.note, based_on_revision=excluded.based_on_revision,
               set_by=excluded.set_by, set_at=excluded.set_at""",
            [(unit_code, period, c, s, n, r, set_by, at) for c, s, n, r in rows],
        )

    def for_unit(self, unit_code: str, period: str) -> dict[str, Row]:
        return {
            str(r["code"]): r
            for r in self.db.query(
                "SELECT * FROM review_states WHERE unit_code = ? AND period = ?",
                [unit_code, period],
            )
        }

    def for_period(self, period: str) -> dict[str, dict[str, Row]]:
        return period_by_unit_and_code(self.db, "review_states", period)


class ReviewRequestsRepo:
    """Commune side: the review states and requests of the parent's latest appraisal."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def replace(
        self,
        period: str,
        framework_id: str,
        rows: Iterable[tuple[str, str, str]],
        office_unit: str,
        revision: int,
        response_deadline: str,
    ) -> None:
        at = now_iso()
        self.db.execute(
            "DELETE FROM review_requests WHERE period = ? AND framework_id = ?",
            [period, framework_id],
        )
        self.db.conn.executemany(
            """INSERT INTO review_requests (period, framework_id, code, state, note,
               office_unit, revision, response_deadline, imported_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                (period, framework_id, c, s, n, office_unit, revision, response_deadline, at)
                for c, s, n in rows
            ],
        )

    def for_assessment(self, period: str, framework_id: str) -> dict[str, Row]:
        return {
            str(r["code"]): r
            for r in self.db.query(
                "SELECT * FROM review_requests WHERE period = ? AND framework_id = ?",
                [period, framework_id],
            )
        }


class PeriodLocksRepo:
    """A unit's period closed by a final appraisal; removed by an office-granted reopening."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, unit_code: str, period: str) -> Row | None:
        rows = list(
            self.db.query(
                "SELECT * FROM period_locks WHERE unit_code = ? AND period = ?",
                [unit_code, period],
            )
        )
        return rows[0] if rows else None

    def lock(self, unit_code: str, period: str, final_created_at: str, locked_by: str) -> None:
        self.db.execute(
            """INSERT INTO period_locks (unit_code, period, locked_at, final_created_at,
               locked_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT(unit_code, period) DO UPDATE SET
               locked_at=excluded.locked_at, final_created_at=excluded.final_created_at,
               locked_by=excluded.locked_by""",
            [unit_code, period, now_iso(), final_created_at, locked_by],
        )

    def unlock(self, unit_code: str, period: str) -> bool:
        cur = self.db.execute(
            "DELETE FROM period_locks WHERE unit_code = ? AND period = ?", [unit_code, period]
        )
        return bool(cur.rowcount)
