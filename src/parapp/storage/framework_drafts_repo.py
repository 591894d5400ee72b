"""Frameworks being edited (drafts), stored whole like :mod:`frameworks_repo` with the
number of problems they had when saved: a draft may be invalid, a usable framework never.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from parapp.models.errors import NotFoundError
from parapp.models.framework import Framework, framework_from_dict, framework_to_dict
from parapp.storage.clock import now_iso
from parapp.storage.database import Database


@dataclass(frozen=True)
class DraftRow:
    """One saved draft without its content (for lists)."""

    id: str
    name: str
    base_id: str
    content_hash: str
    problems: int
    saved_at: str


class FrameworkDraftsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, fw: Framework, base_id: str, problems: int) -> None:
        """Insert or replace the draft ``fw.id`` (the caller holds the transaction)."""
        content = json.dumps(framework_to_dict(fw), ensure_ascii=False, sort_keys=True)
        self.db.execute(
            """INSERT INTO framework_drafts (id, name, base_id, content_hash, content,
                   problems, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET name=excluded.name, base_id=excluded.base_id,
               content_hash=excluded.content_hash, content=excluded.content,
               problems=excluded.problems, saved_at=excluded.saved_at""",
            [fw.id, fw.name, base_id, fw.content_hash, content, problems, now_iso()],
        )

    def get(self, draft_id: str) -> Framework:
        rows = list(self.db.query("SELECT content FROM framework_drafts WHERE id = ?", [draft_id]))
        if not rows:
            raise NotFoundError(f"Không có bản soạn thảo bộ chỉ số mã “{draft_id}”.")
        return framework_from_dict(json.loads(str(rows[0]["content"])))

    def row(self, draft_id: str) -> DraftRow | None:
        rows = list(
            self.db.query(
                "SELECT id, name, base_id, content_hash, problems, saved_at "
                "FROM framework_drafts WHERE id = ?",
                [draft_id],
            )
        )
        return _row(rows[0]) if rows else None

    def list(self) -> list[DraftRow]:
        """Every draft, the most recently saved first."""
        return [
            _row(r)
            for r in self.db.query(
                "SELECT id, name, base_id, content_hash, problems, saved_at "
                "FROM framework_drafts ORDER BY saved_at DESC, id"
            )
        ]

    def ids(self) -> set[str]:
        return {str(r["id"]) for r in self.db.query("SELECT id FROM framework_drafts")}

    def delete(self, draft_id: str) -> None:
        self.db.execute("DELETE FROM framework_drafts WHERE id = ?", [draft_id])


def _row(r: dict[str, object]) -> DraftRow:
    return DraftRow(
        id=str(r["id"]),
        name=str(r["name"]),
        base_id=str(r["base_id"]),
        content_hash=str(r["content_hash"]),
        problems=int(str(r["problems"])),
        saved_at=str(r["saved_at"]),
    )
