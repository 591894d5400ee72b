"""Frozen revisions of an assessment: what each exported bundle contained.

One row per exported revision. The document is the ``data/assessment.json`` exactly as it
went into the bundle, so every exported revision stays readable after later edits; the
answers digest identifies its content so the next export can tell whether anything changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from parapp.storage.clock import now_iso
from parapp.storage.database import Database


@dataclass(frozen=True)
class Revision:
    """One exported revision (``revision`` counts from 1 per assessment)."""

    assessment_id: int
    revision: int
    frozen_at: str
    approver: str
    approver_position: str
    document: dict[str, Any]
    bundle_file: str
    bundle_sha256: str
    bundle_size: int
    key_fingerprint: str
    answers_digest: str = ""


def _row(r: dict[str, Any]) -> Revision:
    return Revision(
        assessment_id=int(r["assessment_id"]),
        revision=int(r["revision"]),
        frozen_at=str(r["frozen_at"]),
        approver=str(r["approver"]),
        approver_position=str(r["approver_position"]),
        document=json.loads(str(r["document"])),
        bundle_file=str(r["bundle_file"]),
        bundle_sha256=str(r["bundle_sha256"]),
        bundle_size=int(r["bundle_size"]),
        key_fingerprint=str(r["key_fingerprint"]),
        answers_digest=str(r["answers_digest"]),
    )


class RevisionsRepo:
    """The ``revisions`` table. Callers open the transaction (``db.atomic()``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self, assessment_id: int) -> list[Revision]:
        """Every frozen revision of the assessment, oldest first."""
        return [
            _row(r)
            for r in self.db.query(
                "SELECT * FROM revisions WHERE assessment_id = ? ORDER BY revision",
                [assessment_id],
            )
        ]

    def last(self, assessment_id: int) -> Revision | None:
        rows = list(
            self.db.query(
                "SELECT * FROM revisions WHERE assessment_id = ? ORDER BY revision DESC LIMIT 1",
                [assessment_id],
            )
        )
        return _row(rows[0]) if rows else None

    def get(self, assessment_id: int, revision: int) -> Revision | None:
        rows = list(
            self.db.query(
                "SELECT * FROM revisions WHERE assessment_id = ? AND revision = ?",
                [assessment_id, revision],
            )
        )
        return _row(rows[0]) if rows else None

    def save(
        self,
        assessment_id: int,
        revision: int,
        approver: str,
        approver_position: str,
        document: dict[str, Any],
        answers_digest: str,
        bundle_file: str,
        bundle_sha256: str,
        bundle_size: int,
        key_fingerprint: str,
    ) -> None:
        """Insert a new revision, or record a re-export of an existing one (same content:
        only the bundle file columns change)."""
        self.db.execute(
            """INSERT INTO revisions (assessment_id, revision, frozen_at, approver,
                   approver_position, document, answers_digest, bundle_file, bundle_sha256,
                   bundle_size, key_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(assessment_id, revision) DO UPDATE SET
               bundle_file=excluded.bundle_file, bundle_sha256=excluded.bundle_sha256,
               bundle_size=excluded.bundle_size, key_fingerprint=excluded.key_fingerprint""",
            [
                assessment_id,
                revision,
                now_iso(),
                approver,
                approver_position,
                json.dumps(document, ensure_ascii=False),
                answers_digest,
                bundle_file,
                bundle_sha256,
                bundle_size,
                key_fingerprint,
            ],
        )
