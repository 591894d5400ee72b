"""Frameworks are stored whole as canonical JSON, with their content hash beside it.

A framework is always used whole (the tree, the rules, the guidance), so one row per
framework keeps loading trivial and the hash exactly reproducible.
"""

from __future__ import annotations

import json
from functools import lru_cache

from parapp.models.errors import NotFoundError
from parapp.models.framework import Framework, framework_from_dict, framework_to_dict
from parapp.storage.clock import now_iso
from parapp.storage.database import Database


@lru_cache(maxsize=16)
def _parse(content: str) -> Framework:
    return framework_from_dict(json.loads(content))


class FrameworksRepo:
    def __init__(self, db: Database) -> None:
        self.db = db
        #: id -> (content hash, framework): the window asks for the current framework several
        #: times per item shown; a row's hash changes whenever its content does (:meth:`save`),
        #: so comparing the hash spares reading and hashing the whole JSON each time.
        self._parsed: dict[str, tuple[str, Framework]] = {}

    def save(self, fw: Framework) -> bool:
        """Insert or replace ``fw``; return ``True`` when something changed."""
        content = json.dumps(framework_to_dict(fw), ensure_ascii=False, sort_keys=True)
        rows = list(self.db.query("SELECT content_hash FROM frameworks WHERE id = ?", [fw.id]))
        if rows and rows[0]["content_hash"] == fw.content_hash:
            return False
        self.db.execute(
            """INSERT INTO frameworks (id, name, index_kind, year, content_hash, content,
                   imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET name=excluded.name, index_kind=excluded.index_kind,
               year=excluded.year, content_hash=excluded.content_hash, content=excluded.content,
               imported_at=excluded.imported_at""",
            [fw.id, fw.name, fw.index_kind, fw.year, fw.content_hash, content, now_iso()],
        )
        return True

    def get(self, framework_id: str) -> Framework:
        rows = list(
            self.db.query("SELECT content_hash FROM frameworks WHERE id = ?", [framework_id])
        )
        if not rows:
            raise NotFoundError(f"Không có bộ chỉ số mã “{framework_id}”.")
        stored_hash = str(rows[0]["content_hash"])
        cached = self._parsed.get(framework_id)
        if cached is not None and cached[0] == stored_hash:
            return cached[1]
        content = self.db.query("SELECT content FROM frameworks WHERE id = ?", [framework_id])
        fw = _parse(str(next(content)["content"]))
        self._parsed[framework_id] = (stored_hash, fw)
        return fw

    def list(self) -> list[dict[str, object]]:
        """Id, name, kind, year, hash of every framework (no content)."""
        return list(
            self.db.query(
                "SELECT id, name, index_kind, year, content_hash, imported_at FROM frameworks "
                "ORDER BY year DESC, id"
            )
        )

    def hashes(self) -> set[str]:
        return {
            str(r["content_hash"]) for r in self.db.query("SELECT content_hash FROM frameworks")
        }
