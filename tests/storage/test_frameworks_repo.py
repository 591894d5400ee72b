"""The frameworks repository: a framework read back is the one last saved, never a stale
parse (the repository keeps the parsed framework while the row's hash is unchanged)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from parapp.models.errors import NotFoundError
from parapp.models.framework import Criterion, Framework
from parapp.storage.database import connect
from parapp.storage.frameworks_repo import FrameworksRepo

FW = Framework(
    id="khung-thu",
    name="Bộ chỉ số thử",
    index_kind="PAR",
    year=2026,
    criteria=(Criterion("1", "Cải cách thủ tục hành chính", 2.0, order=1),),
)


def test_read_back_follows_every_save_and_rollback(tmp_path: Path) -> None:
    db = connect(tmp_path / "db.sqlite")
    repo = FrameworksRepo(db)
    with pytest.raises(NotFoundError):
        repo.get(FW.id)
    assert repo.save(FW) is True
    first = repo.get(FW.id)
    assert first == FW and repo.get(FW.id) is first  # unchanged row: the same parse
    renamed = replace(FW, criteria=(Criterion("1", "Cải cách TTHC", 2.0, order=1),))
    assert repo.save(renamed) is True
    assert repo.get(FW.id).criteria[0].title == "Cải cách TTHC"
    with pytest.raises(RuntimeError), db.atomic():  # a save undone by a rollback
        repo.save(FW)
        assert repo.get(FW.id).criteria[0].title == "Cải cách thủ tục hành chính"
        raise RuntimeError("hoàn tác")
    assert repo.get(FW.id).criteria[0].title == "Cải cách TTHC"
    # another connection (a background job) saving the framework is seen too
    other = FrameworksRepo(connect(tmp_path / "db.sqlite"))
    other.save(FW)
    assert repo.get(FW.id) == FW
    db.conn.close()
    other.db.conn.close()
