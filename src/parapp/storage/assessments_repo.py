"""Assessments, answers and evidence links.

Answers are written one field at a time as the officer types (autosave), so ``save_answer``
is an upsert of the whole answer row in one statement: at most the field being typed is lost.
"""

from __future__ import annotations

from parapp.models.assessment import Answer, Assessment, EvidenceLink
from parapp.models.errors import NotFoundError
from parapp.storage.clock import now_iso
from parapp.storage.database import Database


def _row_to_assessment(r: dict[str, object]) -> Assessment:
    return Assessment(
        id=int(str(r["id"])),
        unit_code=str(r["unit_code"]),
        framework_id=str(r["framework_id"]),
        framework_hash=str(r["framework_hash"]),
        period=str(r["period"]),
        revision=int(str(r["revision"])),
        created_at=str(r["created_at"]),
    )


def _opt_float(v: object) -> float | None:
    return None if v is None else float(str(v))


class AssessmentsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- assessments ----------------------------------------------------------------------
    def create(self, unit_code: str, framework_id: str, framework_hash: str, period: str) -> int:
        existing = self.find(unit_code, framework_id, period)
        if existing is not None:
            return existing.id
        cur = self.db.execute(
            """INSERT INTO assessments (unit_code, framework_id, framework_hash, period,
               created_at) VALUES (?, ?, ?, ?, ?)""",
            [unit_code, framework_id, framework_hash, period, now_iso()],
        )
        return int(cur.lastrowid or 0)

    def find(self, unit_code: str, framework_id: str, period: str) -> Assessment | None:
        rows = list(
            self.db.query(
                "SELECT * FROM assessments WHERE unit_code = ? AND framework_id = ? AND period = ?",
                [unit_code, framework_id, period],
            )
        )
        return _row_to_assessment(rows[0]) if rows else None

    def get(self, assessment_id: int) -> Assessment:
        rows = list(self.db.query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
        if not rows:
            raise NotFoundError(f"Không có bản tự đánh giá số {assessment_id}.")
        return _row_to_assessment(rows[0])

    def all(self) -> list[Assessment]:
        return [
            _row_to_assessment(r)
            for r in self.db.query("SELECT * FROM assessments ORDER BY period DESC, id")
        ]

    def set_revision(self, assessment_id: int, revision: int) -> None:
        self.db.execute(
            "UPDATE assessments SET revision = ? WHERE id = ?", [revision, assessment_id]
        )

    # -- answers --------------------------------------------------------------------------
    def answers(self, assessment_id: int) -> dict[str, Answer]:
        links: dict[str, list[EvidenceLink]] = {}
        for r in self.db.query(
            "SELECT l.*, f.size FROM evidence_links l JOIN evidence_files f USING (sha256) "
            "WHERE assessment_id = ? ORDER BY l.id",
            [assessment_id],
        ):
            links.setdefault(str(r["code"]), []).append(
                EvidenceLink(
                    sha256=str(r["sha256"]),
                    file_name=str(r["file_name"]),
                    size=int(str(r["size"])),
                    ref=str(r["ref"]),
                    note=str(r["note"]),
                    id=int(str(r["id"])),
                )
            )
        out: dict[str, Answer] = {}
        for r in self.db.query("SELECT * FROM answers WHERE assessment_id = ?", [assessment_id]):
            code = str(r["code"])
            out[code] = Answer(
                code=code,
                value=_opt_float(r["value"]),
                numerator=_opt_float(r["numerator"]),
                denominator=_opt_float(r["denominator"]),
                self_score=_opt_float(r["self_score"]),
                explanation=str(r["explanation"]),
                evidence=tuple(links.pop(code, [])),
                updated_at=str(r["updated_at"]),
                not_applicable=bool(r["not_applicable"]),
                carried_from=str(r["carried_from"]),
            )
        for code, items in links.items():  # evidence attached before any value was typed
            out[code] = Answer(code=code, evidence=tuple(items))
        return out

    def save_answer(self, assessment_id: int, a: Answer) -> None:
        self.db.execute(
            """INSERT INTO answers (assessment_id, code, value, numerator, denominator,
                   self_score, explanation, updated_at, not_applicable, carried_from)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(assessment_id, code) DO UPDATE SET value=excluded.value,
               numerator=excluded.numerator, denominator=excluded.denominator,
               self_score=excluded.self_score, explanation=excluded.explanation,
               updated_at=excluded.updated_at, not_applicable=excluded.not_applicable,
               carried_from=excluded.carried_from""",
            [
                assessment_id,
                a.code,
                a.value,
                a.numerator,
                a.denominator,
                a.self_score,
                a.explanation,
                now_iso(),
                1 if a.not_applicable else 0,
                a.carried_from,
            ],
        )

    def set_carried_from(self, assessment_id: int, code: str, period: str) -> None:
        """Set or clear (``""``) the "from the last period" mark of one answer."""
        self.db.execute(
            "UPDATE answers SET carried_from = ? WHERE assessment_id = ? AND code = ?",
            [period, assessment_id, code],
        )

    # -- evidence -------------------------------------------------------------------------
    def register_file(self, sha256: str, size: int) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO evidence_files (sha256, size, stored_at) VALUES (?, ?, ?)",
            [sha256, size, now_iso()],
        )

    def link(
        self, assessment_id: int, code: str, sha256: str, file_name: str, ref: str, note: str
    ) -> int:
        existing = list(
            self.db.query(
                "SELECT id FROM evidence_links WHERE assessment_id = ? AND code = ? AND sha256 = ?",
                [assessment_id, code, sha256],
            )
        )
        if existing:
            return int(str(existing[0]["id"]))
        cur = self.db.execute(
            """INSERT INTO evidence_links (assessment_id, code, sha256, file_name, ref, note,
               added_at) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [assessment_id, code, sha256, file_name, ref, note, now_iso()],
        )
        return int(cur.lastrowid or 0)

    def get_link(self, link_id: int) -> dict[str, object]:
        rows = list(self.db.query("SELECT * FROM evidence_links WHERE id = ?", [link_id]))
        if not rows:
            raise NotFoundError(f"Không có tài liệu kiểm chứng số {link_id}.")
        return rows[0]

    def update_link(self, link_id: int, ref: str, note: str) -> None:
        self.db.execute(
            "UPDATE evidence_links SET ref = ?, note = ? WHERE id = ?", [ref, note, link_id]
        )

    def restore_link(self, row: dict[str, object]) -> None:
        """Re-insert a link removed earlier (undo), with its original id."""
        self.db.execute(
            """INSERT OR REPLACE INTO evidence_links (id, assessment_id, code, sha256,
               file_name, ref, note, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                row["id"],
                row["assessment_id"],
                row["code"],
                row["sha256"],
                row["file_name"],
                row["ref"],
                row["note"],
                row["added_at"],
            ],
        )

    def unlink(self, link_id: int) -> None:
        self.db.execute("DELETE FROM evidence_links WHERE id = ?", [link_id])

    def file_in_use(self, sha256: str) -> bool:
        rows = list(
            self.db.query(
                "SELECT 1 FROM evidence_links WHERE sha256 = ? UNION ALL "
                "SELECT 1 FROM task_events WHERE evidence_sha256 = ? LIMIT 1",
                [sha256, sha256],
            )
        )
        return bool(rows)

    def all_files(self) -> list[tuple[str, int]]:
        return [
            (str(r["sha256"]), int(str(r["size"])))
            for r in self.db.query("SELECT sha256, size FROM evidence_files")
        ]
