"""Review states set by the office: rules per state, bulk setting, responses, the audit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp.models.errors import ParAppError, ValidationError
from parapp.models.review import ReviewState, parse_state
from parapp.services import audit
from parapp.services.office import appraisal, review
from tests.services.cycle_helpers import Cycle, make_cycle


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def _item(c: Cycle, unit: str, code: str) -> review.ReviewItem:
    return next(i for i in review.review_items(c.office, unit) if i.code == code)


def test_each_state_keeps_its_rule(cycle: Cycle) -> None:
    ws = cycle.office
    passed = review.set_state(ws, "X1", "1.2", ReviewState.PASSED)
    assert (passed.state, passed.appraised) == (ReviewState.PASSED, 2.0)  # self score confirmed

    with pytest.raises(ValidationError, match="“Điều chỉnh điểm” phải có ghi chú"):
        review.set_state(ws, "X1", "1.2", ReviewState.ADJUSTED, score=1.0)
    adjusted = review.set_state(ws, "X1", "1.2", "adjusted", "Thiếu báo cáo quý IV", score=1.0)
    assert (adjusted.appraised, adjusted.comment) == (1.0, "Thiếu báo cáo quý IV")
    with pytest.raises(ParAppError, match="vượt điểm tối đa 2"):
        review.set_state(ws, "X1", "1.2", ReviewState.ADJUSTED, "quá điểm", score=5.0)

    with pytest.raises(ValidationError, match="“Không chấp nhận” phải có ghi chú"):
        review.set_state(ws, "X1", "2.1", ReviewState.REJECTED)
    rejected = review.set_state(ws, "X1", "2.1", ReviewState.REJECTED, "Số liệu không khớp")
    assert rejected.appraised == 0.0

    with pytest.raises(ValidationError, match="“Yêu cầu giải trình” phải có ghi chú"):
        review.set_state(ws, "X1", "1.1.1", ReviewState.EXPLAIN)
    asked = review.set_state(
        ws, "X1", "1.1.1", ReviewState.EXPLAIN, "Giải trình ngày ban hành kế hoạch"
    )
    assert (asked.appraised, asked.response) == (None, "Chưa trả lời")  # score untouched
    assert _item(cycle, "X1", "1.1.2").state is ReviewState.NOT_REVIEWED

    with pytest.raises(ValidationError, match="tiêu chí tổng hợp"):
        review.set_state(ws, "X1", "1", ReviewState.PASSED)


def test_bulk_states_over_a_group_and_the_unit(cycle: Cycle) -> None:
    ws = cycle.office
    assert review.set_states(ws, "X2", ReviewState.PASSED, codes=["1"]) == 3
    items = {i.code: i for i in review.review_items(ws, "X2")}
    assert [items[c].state for c in ("1.1.1", "1.1.2", "1.2")] == [ReviewState.PASSED] * 3
    assert items["2.1"].state is ReviewState.NOT_REVIEWED
    assert (items["1.1.2"].appraised, items["1.2"].appraised) == (0.5, 1.5)
    n = review.set_states(ws, "X2", ReviewState.SUPPLEMENT, "Bổ sung biên bản kiểm tra")
    assert n == 4  # every self-assessed leaf; the survey item 2.2 is left to the office
    assert {i.state for i in review.review_items(ws, "X2") if not i.survey_only} == {
        ReviewState.SUPPLEMENT
    }
    # the scores confirmed before the request stay
    assert _item(cycle, "X2", "1.2").appraised == 1.5


def test_states_parse_from_labels_and_codes() -> None:
    assert parse_state("dieu chinh diem") is ReviewState.ADJUSTED
    assert parse_state("Yêu cầu bổ sung tài liệu") is ReviewState.SUPPLEMENT
    assert parse_state("not_reviewed") is ReviewState.NOT_REVIEWED
    with pytest.raises(ValidationError, match="Trạng thái thẩm định “xong” không hợp lệ"):
        parse_state("xong")


def test_every_office_change_is_audited_with_author_and_reason(cycle: Cycle) -> None:
    ws = cycle.office
    appraisal.set_appraisal(ws, "X3", "1.2", 1.5, "Thiếu ảnh")
    review.set_state(ws, "X3", "1.2", ReviewState.ADJUSTED, "Thiếu ảnh hội nghị", score=1.0)
    appraisal.clear_appraisal(ws, "X3", "1.2")
    rows = audit.entries(ws, "X3")
    assert [(r["field_key"], r["code"]) for r in rows] == [
        ("appraisal", "1.2"),
        ("appraisal", "1.2"),
        ("state", "1.2"),
        ("appraisal", "1.2"),
    ]
    assert {r["actor"] for r in rows} == {"Lê Thị Hoa"}
    assert rows[1]["before"] == "comment: Thiếu ảnh; score: 1.5"
    assert rows[1]["after"] == "comment: Thiếu ảnh hội nghị; score: 1.0"
    assert rows[2]["after"] == "Điều chỉnh điểm" and rows[2]["reason"] == "Thiếu ảnh hội nghị"
    assert rows[3]["after"] == ""
    assert rows[0]["at"][2] == "/" and rows[0]["at"][5] == "/"  # dd/mm/yyyy local time
