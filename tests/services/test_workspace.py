from pathlib import Path

import pytest

from parapp.models.errors import NotFoundError, ParAppError, ValidationError
from parapp.models.units import Unit, UnitLevel
from parapp.services import defaults
from parapp.services.workspace import Workspace
from tests.services.helpers import setup_ws


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = setup_ws(tmp_path / "ws")
    yield w  # type: ignore[misc]
    w.close()


def test_band_rule_computes_percentage_and_score(ws: Workspace) -> None:
    a = ws.set_answer("2.1", numerator=191, denominator=200)
    assert (a.value, a.self_score) == (95.5, 1.5)
    a = ws.set_answer("2.1", numerator=200)
    assert (a.value, a.self_score) == (100.0, 3.0)


def test_band_rule_rejects_impossible_figures_and_keeps_old(ws: Workspace) -> None:
    ws.set_answer("2.1", numerator=191, denominator=200)
    with pytest.raises(ValidationError, match=r"Tử số .* lớn hơn mẫu số"):
        ws.set_answer("2.1", numerator=250)
    assert ws.answer("2.1").numerator == 191


def test_yes_no_gives_max_or_zero(ws: Workspace) -> None:
    assert ws.set_answer("1.1.1", value=1).self_score == 1
    assert ws.set_answer("1.1.1", value=0).self_score == 0
    with pytest.raises(ValidationError, match="Có hoặc Không"):
        ws.set_answer("1.1.1", value=0.5)


def test_manual_score_limits(ws: Workspace) -> None:
    assert ws.set_answer("1.2", self_score=1.75).self_score == 1.75
    with pytest.raises(ValidationError, match="vượt điểm tối đa 2"):
        ws.set_answer("1.2", self_score=2.5)
    with pytest.raises(ValidationError, match="bội số"):
        ws.set_answer("1.2", self_score=1.1)
    assert ws.answer("1.2").self_score == 1.75


def test_survey_and_parent_items_are_not_self_scored(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="điều tra xã hội học"):
        ws.set_answer("2.2", self_score=1)
    with pytest.raises(ValidationError, match="tiêu chí tổng hợp"):
        ws.set_answer("1.1", self_score=1)
    with pytest.raises(NotFoundError, match=r"9\.9"):
        ws.set_answer("9.9", self_score=1)


def test_explanation_is_nfc_and_rollup_follows(ws: Workspace) -> None:
    import unicodedata

    ws.set_answer(
        "1.2", self_score=1, explanation=unicodedata.normalize("NFD", " Đã làm  một phần ")
    )
    assert ws.answer("1.2").explanation == "Đã làm một phần"
    r = ws.rollup()
    assert r.total_score == 1 and r.nodes["1"].self_score == 1


def test_evidence_is_stored_once_and_checked(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "Báo cáo.pdf"
    f.write_bytes(b"%PDF" + b"1" * 5000)
    e1 = ws.add_evidence("1.2", f, ref="tr. 3")
    e2 = ws.add_evidence("1.1.1", f)
    assert e1.sha256 == e2.sha256
    assert len([p for p in (ws.data_dir / "evidence").rglob("*") if p.is_file()]) == 1
    assert ws.check_evidence() == []
    ws.evidence_path(e1.sha256).write_bytes(b"damaged")
    problems = ws.check_evidence()
    assert [(c, n) for c, n, _ in problems] == [("1.1.1", "Báo cáo.pdf"), ("1.2", "Báo cáo.pdf")]
    row = ws.unlink_evidence(e1.id or 0)
    assert ws.answer("1.2").evidence == ()
    ws.relink_evidence(row)
    assert ws.answer("1.2").evidence[0].ref == "tr. 3"


def test_state_survives_reopen(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "w")
    ws.set_answer("1.2", self_score=2, explanation="xong")
    ws.set_last_item("1.2")
    ws.close()
    with Workspace.open(tmp_path / "w") as again:
        assert again.answer("1.2").self_score == 2
        assert again.last_item() == "1.2"
        assert again.require_unit().name == "Phường Điện Bàn"


def test_without_unit_or_assessment_the_message_says_what_to_do(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "empty") as ws:
        with pytest.raises(ParAppError, match="Chưa có bản tự đánh giá"):
            ws.answers()
        with pytest.raises(ParAppError, match="parapp init"):
            ws.require_unit()


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ParAppError):
        Workspace.open(blocker / "sub")


def test_not_applicable_on_the_default_par_framework(tmp_path: Path) -> None:
    """3.3.3 (seed 003: "Không tính các xã thuộc huyện đảo") may be declared not applicable;
    its point leaves the maximum, and the reason is required."""
    ws = Workspace.open(tmp_path / "ws", backup=False)
    try:
        defaults.install_defaults(ws)
        ws.set_own_unit(Unit("20551", "Xã An Hải", UnitLevel.COMMUNE))
        ws.start_assessment("par-tinh-2018", "2026")
        before = ws.rollup().assessable_max
        a = ws.set_answer("3.3.3", not_applicable=True)
        assert a.not_applicable and a.self_score is None
        r = ws.rollup()
        assert r.assessable_max == before - 1
        assert [p.kind for p in r.problems_for("3.3.3")] == ["no_reason"]
        ws.set_answer("3.3.3", explanation="Xã thuộc huyện đảo Lý Sơn")
        assert ws.rollup().problems_for("3.3.3") == []
        assert ws.answer("3.3.3").not_applicable  # stored and read back
        with pytest.raises(ValidationError, match="không có trường hợp “không áp dụng”"):
            ws.set_answer("1.2", not_applicable=True)
    finally:
        ws.close()
