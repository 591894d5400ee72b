"""The draft narrative counts what the data shows; the officer's words win where written."""

from __future__ import annotations

from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.narrative import (
    draft_narrative,
    merged,
    narrative_from_dict,
    narrative_to_dict,
)
from parapp.models.print_data import Narrative
from tests.models.sample_framework import sample_framework

EV = (EvidenceLink("a" * 64, "QĐ 12.pdf", 10),)


def test_draft_counts_by_area() -> None:
    fw = sample_framework()
    leaves = [c for c in fw.leaves() if not c.survey_only]
    answers = {
        leaves[0].code: Answer(leaves[0].code, self_score=leaves[0].max_points, evidence=EV),
        leaves[1].code: Answer(leaves[1].code, self_score=0.0),
    }
    text = draft_narrative(fw, answers, "Ủy ban nhân dân phường Điện Bàn", "Năm 2026")
    assert text.general.startswith("Ủy ban nhân dân phường Điện Bàn đã tổ chức tự đánh giá")
    assert f"1 tiêu chí thành phần chưa đạt điểm tối đa ({leaves[1].code})" in text.shortcomings
    assert "Còn 1 tiêu chí thành phần chưa có tài liệu kiểm chứng" in text.shortcomings
    unscored = len(leaves) - 2
    assert f"Còn {unscored} tiêu chí thành phần chưa tự chấm điểm." in text.shortcomings
    assert text.results.startswith("- Lĩnh vực I (")
    assert "1/" in text.results.splitlines()[0]  # one item of area I at its maximum
    # the checklist messages are not the report's words
    assert "Chưa có tài liệu kiểm chứng." not in text.shortcomings


def test_officer_text_wins_and_roundtrips() -> None:
    own = Narrative(causes="Cán bộ kiêm nhiệm.")
    draft = Narrative(general="Dự thảo chung.", causes="Dự thảo nguyên nhân.")
    both = merged(own, draft)
    assert both.causes == "Cán bộ kiêm nhiệm." and both.general == "Dự thảo chung."
    assert narrative_to_dict(own) == {"causes": "Cán bộ kiêm nhiệm."}
    assert narrative_from_dict({"causes": "x", "unknown": "y", "general": 3}) == Narrative(
        causes="x"
    )
    assert narrative_from_dict(None) == Narrative()
