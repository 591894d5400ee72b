"""The revisions repository: frozen documents read back, re-export updates only the file."""

from __future__ import annotations

from pathlib import Path

from parapp.storage.database import connect
from parapp.storage.revisions_repo import RevisionsRepo


def test_save_read_back_and_reexport(tmp_path: Path) -> None:
    db = connect(tmp_path / "db.sqlite")
    db.execute("INSERT INTO units VALUES ('1', 'Xã A', 'commune', NULL, '')")
    db.execute("INSERT INTO frameworks VALUES ('f', 'F', 'PAR', 2026, 'h', '{}', '2026-01-01')")
    db.execute(
        "INSERT INTO assessments (id, unit_code, framework_id, framework_hash, period, "
        "created_at) VALUES (7, '1', 'f', 'h', '2026', '2026-01-01')"
    )
    repo = RevisionsRepo(db)
    assert repo.all(7) == [] and repo.last(7) is None
    doc = {"answers": [{"code": "1.1", "note": "Quyết định"}]}
    repo.save(7, 1, "Trần Bình", "Chủ tịch", doc, "d1", "a.zip", "s1", 10, "FP")
    repo.save(7, 2, "Trần Bình", "Chủ tịch", doc, "d2", "b.zip", "s2", 20, "FP")
    repo.save(7, 2, "Trần Bình", "Chủ tịch", {"x": 1}, "zz", "c.zip", "s3", 30, "FP2")
    revs = repo.all(7)
    assert [r.revision for r in revs] == [1, 2]
    last = repo.last(7)
    assert last is not None and last.revision == 2
    # a re-export changes only the file columns, never the frozen content
    assert last.document == doc and last.answers_digest == "d2"
    assert (last.bundle_file, last.bundle_sha256, last.bundle_size) == ("c.zip", "s3", 30)
    assert repo.get(7, 1) is not None and repo.get(7, 3) is None
    db.conn.close()
