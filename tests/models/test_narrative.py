"""The draft narrative counts what the data shows; the officer's words win where written."""

from __future__ import annotations

from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.framework import Criterion, Framework
from parapp.models.narrative import (
    PROMPTS,
    SECTIONS,
    draft_narrative,
    merged,
    narrative_from_dict,
    narrative_to_dict,
    running_title,
    unwritten,
)
from parapp.models.print_data import Narrative
from parapp.models.text import format_number
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
    # how the evidence is sent, as a commune's own report says it
    assert text.general.splitlines()[-1] == (
        "Về tài liệu kiểm chứng: 1 tệp cho 1 tiêu chí thành phần, gửi kèm hồ sơ điện tử có "
        "chữ ký số của Ủy ban nhân dân phường Điện Bàn; danh mục theo từng tiêu chí tại Phụ lục."
    )
    lines = text.shortcomings.splitlines()
    at = lines.index("- Lĩnh vực I: 1 tiêu chí thành phần chưa đạt điểm tối đa:")
    title = leaves[1].title.rstrip(" .;:")
    points = format_number(leaves[1].max_points)
    assert lines[at + 1] == f"+ {leaves[1].code}. {title}: đạt 0/{points} điểm."
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


def test_draft_names_at_most_ten_items_per_area() -> None:
    items = [Criterion(f"1.{n}", f"Tiêu chí số {n}.", 1.0, "1", order=n + 1) for n in range(1, 13)]
    fw = Framework(
        id="muoi-hai",
        name="Mười hai tiêu chí",
        index_kind="PAR",
        year=2026,
        score_step=0.25,
        criteria=(Criterion("1", "Lĩnh vực một", 12.0, order=1), *items),
    )
    answers = {c.code: Answer(c.code, self_score=0.5, evidence=EV) for c in items}
    lines = draft_narrative(fw, answers, "Ủy ban nhân dân xã A", "2026").shortcomings.splitlines()
    assert lines[0] == "- Lĩnh vực I: 12 tiêu chí thành phần chưa đạt điểm tối đa:"
    assert lines[1] == "+ 1.1. Tiêu chí số 1: đạt 0,5/1 điểm."
    assert lines[10] == "+ 1.10. Tiêu chí số 10: đạt 0,5/1 điểm."
    assert lines[11] == "+ Và 2 tiêu chí thành phần khác."
    assert "1.11" not in "\n".join(lines)


def test_unwritten_names_the_prompts_left() -> None:
    fw = sample_framework()
    draft = draft_narrative(fw, {}, "Ủy ban nhân dân xã A", "2026")
    assert draft.causes == PROMPTS["causes"]
    assert unwritten(draft) == ["Nguyên nhân", "Kiến nghị, đề xuất"]
    own = Narrative(causes="Cán bộ kiêm nhiệm nhiều việc.")
    assert unwritten(merged(own, draft)) == ["Kiến nghị, đề xuất"]
    assert unwritten(Narrative()) == list(SECTIONS.values())


def test_area_titles_in_capitals_read_as_running_text() -> None:
    assert (
        running_title("TÁC ĐỘNG CỦA CCHC ĐẾN NGƯỜI DÂN, TỔ CHỨC VÀ PHÁT TRIỂN KT-XH")
        == "Tác động của CCHC đến người dân, tổ chức và phát triển KT-XH"
    )
    assert running_title("ÁP DỤNG ISO 9001 TẠI UBND XÃ") == "Áp dụng ISO 9001 tại UBND xã"
    assert running_title("Cải cách thủ tục hành chính") == "Cải cách thủ tục hành chính"
    items = (Criterion("1.1", "Ban hành kế hoạch", 1.0, "1", order=2),)
    fw = Framework(
        id="hoa",
        name="Chữ hoa",
        index_kind="PAR",
        year=2026,
        score_step=0.25,
        criteria=(Criterion("1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 1.0, order=1), *items),
    )
    text = draft_narrative(fw, {"1.1": Answer("1.1", self_score=1.0)}, "Ủy ban nhân dân xã A", "")
    assert text.results.startswith("- Lĩnh vực I (Công tác chỉ đạo, điều hành CCHC): đạt 1/1")


def test_items_are_named_by_the_sheets_own_numbers() -> None:
    """A relative sheet ("II" → "1.", "2.") is stored as "II.1"; the report names the item
    as the appendix prints it, under its area's line, and drafts the opening basis."""
    fw = Framework(
        id="tuong-doi",
        name="Bộ chỉ số cấp xã năm 2026",
        decision="Kèm theo Quyết định số 45/QĐ-UBND ngày 15/01/2026",
        year=2026,
        criteria=(
            Criterion("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 3.0, order=1, label="II"),
            Criterion("II.1", "Công khai thủ tục hành chính", 3.0, "II", order=2, label="1."),
        ),
    )
    draft = draft_narrative(fw, {"II.1": Answer("II.1", self_score=2.0, evidence=EV)}, "X", "2026")
    assert "+ 1. Công khai thủ tục hành chính: đạt 2/3 điểm." in draft.shortcomings.splitlines()
    assert "II.1" not in draft.shortcomings
    assert draft.basis == (
        "Căn cứ Bộ chỉ số cấp xã năm 2026 (Kèm theo Quyết định số 45/QĐ-UBND ngày 15/01/2026);"
    )
