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
            else c
            for c in old.criteria
        ),
    )  # fmt: skip
    answers = [
        Answer("1.1.1", value=1.0, self_score=1.0),
        Answer("1.2", self_score=1.5),  # over the new maximum 0,5
        Answer("2.1", value=99.0, self_score=3.0),  # code gone
        Answer("1.1", explanation="tổng hợp"),  # not a leaf
        Answer("1.1.2"),  # untouched: ignored
    ]

    def rule(c: Criterion, a: Answer) -> Answer:
        return apply_rule(c, a, new.score_step, score_given=a.self_score is not None)

    change = plan_carry_over(old, new, "2027", answers, rule)
    assert [a.code for a in change.carried] == ["1.1.1"]
    reasons = dict(change.not_carried)
    assert set(reasons) == {"1.1", "1.2", "2.1"}
    assert "tổng hợp" in reasons["1.1"]
    assert "không hợp với cách chấm mới" in reasons["1.2"]
    assert "không có tiêu chí mã này" in reasons["2.1"]
    text = change.message()
    assert "Không chuyển được 3 câu trả lời" in text and "- 2.1: " in text


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
