"""Carrying answers to another framework by code: what moves and why the rest does not."""

from __future__ import annotations

from dataclasses import replace

from parapp.models.assessment import Answer
from parapp.models.framework import Criterion
from parapp.services.workspace import Workspace, apply_rule
from tests.models.sample_framework import sample_framework
from tests.services.helpers import setup_ws


def test_plan_lists_each_reason() -> None:
    from parapp.models.carry_over import plan_carry_over

    old = sample_framework()
    new = replace(
        sample_framework("moi-2027"),
        criteria=tuple(
            replace(c, max_points=0.5) if c.code == "1.2"
            else replace(c, code="2.1b") if c.code == "2.1"
            else replace(c, title="Chỉ tiêu khác hẳn", rule=replace(c.rule, bands=()))
            if c.code == "1.1.2"
            else replace(c, max_points=4.5) if c.code == "2"
            else replace(c, max_points=2.5) if c.code == "1"
            else c
            for c in old.criteria
        ),
    )  # fmt: skip
    answers = [
        Answer("1.1.1", value=1.0, self_score=1.0),
        Answer("1.1.2", value=90.0, self_score=0.5),  # same code, another item
        Answer("1.2", self_score=0.5),  # other maximum points: to be scored again
        Answer("2.1", value=99.0, self_score=3.0),  # renumbered 2.1b, same title: carried
        Answer("1.1", explanation="tổng hợp"),  # not a leaf
        Answer("1.1.3"),  # untouched: ignored
    ]

    def rule(c: Criterion, a: Answer) -> Answer:
        return apply_rule(c, a, new.score_step, score_given=a.self_score is not None)

    change = plan_carry_over(old, new, "2026", answers, rule)
    assert [a.code for a in change.carried] == ["1.1.1", "2.1b"]
    assert change.moved == (("2.1", "2.1b"),)
    assert all(a.carried_from == "" for a in change.carried)  # same period: no mark
    reasons = dict(change.not_carried)
    assert set(reasons) == {"1.1", "1.1.2", "1.2"}
    assert "tổng hợp" in reasons["1.1"]
    assert reasons["1.2"] == "điểm tối đa đổi từ 2 thành 0,5: cần chấm lại"
    assert reasons["1.1.2"] == "mã này trong bộ chỉ số mới là tiêu chí có nội dung khác"
    text = change.message()
    assert "Không chuyển được 3 câu trả lời" in text and "- 1.2: " in text
    assert "Đổi mã: 2.1 → 2.1b." in text


def test_previous_assessment_is_the_latest_earlier_period() -> None:
    from parapp.models.assessment import Assessment
    from parapp.models.periods import period_key, previous_assessment

    rows = [
        Assessment(1, "U", "a", "h", "2024"),
        Assessment(2, "U", "a", "h", "2025"),
        Assessment(3, "U", "b", "h", "2025", revision=1),
        Assessment(4, "U", "b", "h", "2026"),
        Assessment(5, "V", "b", "h", "2025"),
    ]
    prev = previous_assessment(rows, "U", "2026")
    assert prev is not None and prev.id == 3  # the submitted one of the two 2025 forms
    prev = previous_assessment(rows, "U", "2026", prefer=2)
    assert prev is not None and prev.id == 2
    assert previous_assessment(rows, "U", "2024") is None
    assert period_key("Năm 2025") < period_key("2026")


def test_workspace_preview_and_carry(tmp_path: object) -> None:
    from pathlib import Path

    ws: Workspace = setup_ws(Path(str(tmp_path)) / "ws")
    try:
        assert ws.framework_change("mau-2026", "2026") is None  # same framework
        ws.set_answer("1.2", self_score=1.5, explanation="Đủ 4 báo cáo")
        ws.save_framework(sample_framework("mau-2027"))
        change = ws.framework_change("mau-2027", "2027")
        assert change is not None and [a.code for a in change.carried] == ["1.2"]
        new = ws.start_assessment_carrying_over("mau-2027", "2027")
        assert new.framework_id == "mau-2027"
        assert ws.answer("1.2").self_score == 1.5
        assert ws.answer("1.2").explanation == "Đủ 4 báo cáo"
    finally:
        ws.close()
