"""Saving an edited framework: a draft always, a usable framework only when valid."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp.models import framework_edit as fe
from parapp.models.errors import NotFoundError
from parapp.models.framework import framework_from_dict
from parapp.services.office import framework_editing as editing
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework
from tests.services.helpers import setup_ws


def db_rows(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    """Read the workspace's SQLite file directly, as another program would."""
    conn = sqlite3.connect(data_dir / "parapp.sqlite")
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "ws", backup=False)
    workspace.save_framework(sample_framework())
    yield workspace
    workspace.close()


def test_start_edit_is_a_renamed_copy_that_stores_nothing(ws: Workspace) -> None:
    copy = editing.start_edit(ws, "mau-2026", 2027)
    assert (copy.id, copy.name, copy.year) == (
        "mau-2026-sua-2027",
        "Bộ chỉ số mẫu (bản sửa 2027)",
        2027,
    )
    assert copy.criteria == sample_framework().criteria
    with pytest.raises(NotFoundError):
        ws.framework(copy.id)
    assert editing.editable_frameworks(ws) == [
        editing.Editable("mau-2026", "Bộ chỉ số mẫu", 2026, False)
    ]


def test_valid_save_is_usable_and_reads_back_equal(ws: Workspace, tmp_path: Path) -> None:
    copy = editing.start_edit(ws, "mau-2026", 2027)
    edited, code = fe.add_sibling(copy, "2.2", "Chỉ số mới")
    edited = fe.set_max_points(edited, code, "1,5")
    edited = fe.sum_parents(edited, code)
    result = editing.save(ws, edited, base_id="mau-2026")
    assert result.usable and result.problems == () and result.changes.frameworks
    assert result.message == (
        "Đã lưu bộ chỉ số “Bộ chỉ số mẫu (bản sửa 2027)”; bộ chỉ số hợp lệ và dùng được."
    )
    # read back through a fresh connection: the draft and the usable framework are equal
    ws.close()
    again = Workspace.open(tmp_path / "ws", backup=False)
    assert again.framework(copy.id) == edited
    assert editing.open_draft(again, copy.id) == edited
    assert editing.base_of(again, copy.id) == "mau-2026"
    rows = db_rows(
        tmp_path / "ws",
        "SELECT content_hash, content FROM frameworks WHERE id = 'mau-2026-sua-2027'",
    )
    assert rows[0][0] == edited.content_hash != sample_framework().content_hash
    assert framework_from_dict(json.loads(str(rows[0][1]))).by_code["2.3"].max_points == 1.5
    listed = editing.editable_frameworks(again)
    assert [(e.id, e.draft, e.problems) for e in listed] == [
        ("mau-2026-sua-2027", True, 0),
        ("mau-2026", False, 0),
    ]
    # a second copy of the same year gets its own id, never the first one's
    assert editing.start_edit(again, "mau-2026-sua-2027", 2027).id == "mau-2026-sua-2027-2"
    again.close()


def test_invalid_save_is_a_draft_only(ws: Workspace, tmp_path: Path) -> None:
    copy = editing.start_edit(ws, "mau-2026", 2027)
    broken = fe.set_max_points(copy, "1.1.1", "3")
    result = editing.save(ws, broken)
    assert not result.usable and not result.changes.frameworks
    assert result.problems == ("Tiêu chí 1.1: điểm tối đa 2 khác tổng điểm các tiêu chí con 4.",)
    assert "còn 1 vấn đề" in result.message
    with pytest.raises(NotFoundError):
        ws.framework(copy.id)  # nothing can assess or publish against it
    assert db_rows(tmp_path / "ws", "SELECT id, problems FROM framework_drafts") == [
        ("mau-2026-sua-2027", 1)
    ]
    assert editing.is_publishable(editing.open_draft(ws, copy.id)) == list(result.problems)
    # fixed and saved again: now usable, and the draft row is updated in place
    fixed = fe.sum_parents(broken)
    assert editing.save(ws, fixed).usable
    assert ws.framework(copy.id) == fixed
    assert db_rows(tmp_path / "ws", "SELECT id, problems FROM framework_drafts") == [
        ("mau-2026-sua-2027", 0)
    ]
    # a later invalid save keeps the last valid framework usable, unchanged
    editing.save(ws, fe.set_title(fixed, "1.2", ""))
    assert ws.framework(copy.id) == fixed
    editing.delete_draft(ws, copy.id)
    assert editing.editable_frameworks(ws)[0].id == copy.id  # still usable, no longer a draft
    assert not editing.editable_frameworks(ws)[0].draft


def test_a_framework_in_use_is_not_changed_under_it(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "ws")  # an assessment names "mau-2026"
    assert editing.in_use(ws, "mau-2026") == "1 bản tự đánh giá"
    changed = fe.set_title(ws.framework("mau-2026"), "1.2", "Tuyên truyền")
    result = editing.save(ws, changed)
    assert not result.usable and "đã được dùng ở 1 bản tự đánh giá" in result.message
    assert ws.framework("mau-2026") == sample_framework()
    assert editing.open_draft(ws, "mau-2026") == changed  # the work is not lost
    assert editing.save(ws, sample_framework()).usable  # same content: nothing changes
    ws.close()


def test_new_framework_from_scratch(ws: Workspace) -> None:
    fw = editing.new_framework(ws, "Bộ chỉ số Sở Nội vụ", 2026)
    assert fw.id == "bo-chi-so-so-noi-vu-2026"
    assert [c.title for c in fw.criteria] == ["Lĩnh vực mới"]
    result = editing.save(ws, fw)
    assert not result.usable and result.problems == ("Tổng điểm tối đa của bộ chỉ số bằng 0.",)
    assert editing.new_framework(ws, "Bộ chỉ số Sở Nội vụ", 2026).id.endswith("-2")
