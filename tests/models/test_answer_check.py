"""The pure checker the office, ``bundle verify`` and the pre-flight share."""

from __future__ import annotations

from typing import Any

import pytest

from parapp.models.answer_check import check_answers
from tests.models.sample_framework import sample_framework


def ans(code: str, **fields: Any) -> dict[str, Any]:
    return {"code": code, "value": None, "numerator": None, "denominator": None,
            "self_score": None} | fields  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "kind", "words"),
    [
        (ans("1.2", self_score=60), "out_of_range", "tiêu chí 1.2: điểm tự chấm 60 nằm ngoài 0..2"),
        (ans("1.2", self_score=-50), "out_of_range", "nằm ngoài 0..2"),
        (ans("1.2", self_score=1e308), "not_a_number", "tiêu chí 1.2: điểm tự chấm quá lớn"),
        (ans("1.2", self_score=10**30), "not_a_number", "quá lớn"),
        (ans("1.2", self_score=float("nan")), "not_a_number", "không phải là số hữu hạn"),
        (ans("1.2", self_score=float("inf")), "not_a_number", "không phải là số hữu hạn"),
        (ans("1.2", self_score="2"), "not_a_number", "không phải là số"),
        (ans("9.9", self_score=1), "unknown_code", "tiêu chí 9.9 không có trong bộ tiêu chí"),
        (ans("1", self_score=1), "not_leaf", "tiêu chí 1 là tiêu chí tổng hợp"),
        (ans("2.2", self_score=1), "survey_scored", "điều tra XHH"),
        (ans("2.1", numerator=5, denominator=4, self_score=3), "rate_over_100", "tử số lớn hơn"),
        (ans("2.1", numerator=19.5, denominator=40, self_score=0), "fraction", "không nguyên"),
        (ans("2.1", value=-3, self_score=0), "negative", "giá trị đo âm"),
        (ans("1.1.1", value=0.5, self_score=1), "not_yes_no", "Có/Không"),
    ],
)
def test_impossible_values_are_fatal_and_name_the_item(
    answer: dict[str, Any], kind: str, words: str
) -> None:
    check = check_answers(sample_framework(), [answer])
    assert [f.kind for f in check.impossible] == [kind]
    refusal = check.refusal()
    assert refusal is not None and words in refusal


def test_duplicate_code_is_fatal() -> None:
    check = check_answers(sample_framework(), [ans("1.2", self_score=1), ans("1.2", self_score=2)])
    assert check.refusal() == "Điểm không hợp lệ: tiêu chí 1.2 xuất hiện hai lần."


def test_contradicting_self_score_is_flagged_with_the_recomputed_score() -> None:
    # 1.1.2: ">=100% → 1; >=80% → 0,5; còn lại → 0" — 85 % gives 0,5, the unit claims 1
    check = check_answers(sample_framework(), [ans("1.1.2", value=85, self_score=1)])
    assert check.refusal() is None
    assert check.flags == {"1.1.2": "điểm tự chấm không khớp quy tắc: tính lại được 0,5"}
    assert check.contradictions[0].recomputed == 0.5
    # figures behind a rate are recomputed too: 90/100 = 90 % → 1,5 on 2.1, not 3
    check = check_answers(
        sample_framework(), [ans("2.1", value=99, numerator=90, denominator=100, self_score=3)]
    )
    assert check.flags == {"2.1": "điểm tự chấm không khớp quy tắc: tính lại được 1,5"}


def test_consistent_answers_pass() -> None:
    answers = [
        ans("1.1.1", value=1, self_score=1),
        ans("1.1.2", value=85, self_score=0.5),
        ans("1.2", self_score=1.25),
        ans("2.1", value=98, numerator=98, denominator=100, self_score=3),
        ans("2.2"),
    ]
    assert check_answers(sample_framework(), answers).findings == ()
