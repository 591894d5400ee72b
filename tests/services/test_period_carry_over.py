"""Starting a new period carries last period's answers and evidence links where the items
still match (by code and title), marks them "từ kỳ trước" until reviewed, and stores the
mark in the database (it survives closing and reopening the workspace)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from parapp.models.rollup import ProblemKind, leaf_status, rollup
from parapp.services.workspace import Workspace
from parapp.storage.audit_repo import AuditRepo
from tests.services.helpers import setup_ws
from tests.services.year_frameworks import fill_2026, next_year


def _stored_files(ws: Workspace) -> list[Path]:
    return sorted(p for p in ws.evidence.root.rglob("*") if p.is_file())


def test_new_period_carries_matching_answers_and_links_marked_until_reviewed(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "ws"
    ws = setup_ws(data_dir)
    try:
        fill_2026(ws, tmp_path)
        old_id = ws.require_assessment().id
        ws.save_framework(next_year())
        files_before = _stored_files(ws)
        assert len(files_before) == 2

        change = ws.framework_change("mau-2027", "2027")
        assert change is not None and change.new_period and change.from_period == "2026"
        assert sorted(a.code for a in change.carried) == ["1.1.1", "1.1.5"]
        reasons = dict(change.not_carried)
        assert set(reasons) == {"1.2", "2.1"}
        assert reasons["1.2"] == "điểm tối đa đổi từ 2 thành 3: cần chấm lại"
        assert "nội dung khác" in reasons["2.1"]
        text = change.message()
        assert "Có thể lấy 2 câu trả lời cùng 2 tài liệu kiểm chứng của kỳ 2026" in text
        assert "Đổi mã: 1.1.2 → 1.1.5." in text
        assert change.title == "Kỳ đánh giá mới" and "kỳ 2026 sang kỳ 2027" in change.question

        new = ws.start_assessment_carrying_over("mau-2027", "2027")
        assert (new.framework_id, new.period) == ("mau-2027", "2027")
        answers = ws.answers()
        assert set(answers) == {"1.1.1", "1.1.5"}
        a = answers["1.1.1"]
        assert (a.value, a.self_score, a.carried_from) == (1.0, 1.0, "2026")
        assert a.explanation == "Đã ban hành Quyết định 12/QĐ-UBND."
        assert [(e.file_name, e.ref) for e in a.evidence] == [("qd-ke-hoach.pdf", "12/QĐ-UBND")]
        moved = answers["1.1.5"]  # renumbered: carried under its new code
        assert (moved.numerator, moved.denominator, moved.self_score) == (18, 20, 0.5)
        assert [e.file_name for e in moved.evidence] == ["bao-cao.pdf"]
        assert moved.carried_from == "2026"
        # the files are linked, not stored again (the store is content-addressed)
        assert _stored_files(ws) == files_before
        old_answers = ws.assessments.answers(old_id)
        assert a.evidence[0].sha256 == old_answers["1.1.1"].evidence[0].sha256
        # last period's assessment is untouched and unmarked
        assert set(old_answers) == {"1.1.1", "1.1.2", "1.2", "2.1"}
        assert all(not x.carried_from for x in old_answers.values())

        # a reminder the tree, the problems list and F8 find; it blocks nothing
        r = ws.rollup()
        carried = [p for p in r.problems if p.kind == ProblemKind.CARRIED_OVER]
        assert [(p.code, p.message, p.blocking) for p in carried] == [
            ("1.1.1", "Chưa xem lại: lấy từ kỳ trước (2026).", False),
            ("1.1.5", "Chưa xem lại: lấy từ kỳ trước (2026).", False),
        ]
        fw = ws.current_framework()
        c = fw.by_code["1.1.1"]
        assert leaf_status(c, a) == leaf_status(c, replace(a, carried_from=""))
        assert rollup(fw, answers).done == 2
    finally:
        ws.close()

    # stored: closing and reopening keeps the marks (read straight from the file, too)
    with sqlite3.connect(data_dir / "parapp.sqlite") as conn:
        rows = dict(
            conn.execute(
                "SELECT code, carried_from FROM answers WHERE assessment_id = ?", [new.id]
            ).fetchall()
        )
    assert rows == {"1.1.1": "2026", "1.1.5": "2026"}
    ws = Workspace.open(data_dir, backup=False)
    try:
        assert ws.answer("1.1.1").carried_from == "2026"
        # editing clears the mark; confirming clears it without changing the answer
        ws.set_answer("1.1.1", explanation="Quyết định 15/QĐ-UBND năm 2027.")
        assert ws.answer("1.1.1").carried_from == ""
        before = ws.answer("1.1.5")
        after = ws.confirm_carried("1.1.5")
        assert after.carried_from == ""
        assert (after.numerator, after.denominator, after.self_score) == (
            before.numerator,
            before.denominator,
            before.self_score,
        )
        assert not [p for p in ws.rollup().problems if p.kind == ProblemKind.CARRIED_OVER]
        log = [
            (r["code"], r["field"], r["before"], r["after"])
            for r in AuditRepo(ws.db).entries(unit_code="20551", period="2027")
            if r["field"] == "carried_over"
        ]
        assert ("1.1.5", "carried_over", "từ kỳ 2026", "đã xem lại") in log
        assert ("1.1.1", "carried_over", "", "từ kỳ 2026") in log
    finally:
        ws.close()


def test_adding_evidence_reviews_and_a_begun_period_is_not_offered(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "ws")
    try:
        scans = fill_2026(ws, tmp_path)
        ws.start_assessment_carrying_over("mau-2026", "2027")  # same framework, next year
        assert {c for c, a in ws.answers().items() if a.carried_from == "2026"} == {
            "1.1.1",
            "1.1.2",
            "1.2",
            "2.1",
        }
        ws.add_evidence("1.2", scans["qd-ke-hoach.pdf"])
        assert ws.answer("1.2").carried_from == ""
        # 2027 holds answers now: starting it again offers nothing, changes nothing
        assert ws.framework_change("mau-2026", "2027") is None
        # a framework change within 2027 carries from 2027's assessment, unmarked
        ws.save_framework(next_year("mau-2027b"))
        change = ws.framework_change("mau-2027b", "2027")
        assert change is not None and not change.new_period
        assert change.title == "Đổi bộ chỉ số"
        assert all(a.carried_from == "" for a in change.carried)
    finally:
        ws.close()
