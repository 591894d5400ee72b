"""The item form driven through its real widgets: every rule kind, validation, autosave, undo."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from parapp.ui.commune.item_form import SURVEY_NOTE, ItemForm
from parapp.ui.session import Session


@pytest.fixture
def form(rules_session: Session, qtbot: QtBot) -> Iterator[ItemForm]:
    f = ItemForm(rules_session)
    qtbot.addWidget(f)
    f.resize(700, 800)
    f.show()
    qtbot.waitExposed(f)
    yield f
    f.commit()


def type_vietnamese(widget: QWidget, text: str) -> None:
    """Type like a Vietnamese input method (Unikey/ibus) does: a committed string event.

    QTest.keyClicks only knows ASCII keys; real Vietnamese typing arrives as input-method
    commits, which go through the same signals (textChanged) as key presses.
    """
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _stored(session: Session, code: str) -> tuple[object, ...]:
    a = session.ws.answer(code)
    return (a.value, a.numerator, a.denominator, a.self_score, a.explanation)


def test_guidance_is_labelled_and_empty_rows_hidden(form: ItemForm) -> None:
    form.show_item("1.1")
    assert form.guidance_box.isVisible()
    assert form.guidance_labels["target"].text() == "100% hồ sơ được giải quyết đúng hạn"
    assert form.guidance_labels["lead"].isVisible()
    form.show_item("1.2")  # no guidance at all
    assert not form.guidance_box.isVisible()
    assert "Từ 3 trở lên" in form.band_label.text()


def test_percentage_band_saves_value_and_score(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    form.show_item("1.1")
    assert form.numerator_edit.isVisible() and form.denominator_edit.isVisible()
    assert not form.score_edit.isVisible()
    qtbot.keyClicks(form.numerator_edit, "191")
    qtbot.keyClicks(form.denominator_edit, "200")
    assert form.result_label.text() == "Tỷ lệ: 95,5% → 0,5 điểm"  # live, before saving
    qtbot.waitUntil(lambda: _stored(rules_session, "1.1")[3] == 0.5, timeout=2000)
    assert _stored(rules_session, "1.1")[:4] == (95.5, 191.0, 200.0, 0.5)
    qtbot.keyClicks(form.numerator_edit, "\b\b\b200")
    qtbot.keyClick(form.numerator_edit, Qt.Key.Key_Return)  # Enter saves at once
    assert _stored(rules_session, "1.1")[:4] == (100.0, 200.0, 200.0, 1.0)
    assert form.result_label.text() == "Tỷ lệ: 100% → 1 điểm"


def test_numerator_above_denominator_is_refused(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    form.show_item("1.1")
    qtbot.keyClicks(form.numerator_edit, "12")
    qtbot.keyClicks(form.denominator_edit, "10")
    qtbot.keyClick(form.denominator_edit, Qt.Key.Key_Return)
    assert "lớn hơn mẫu số" in form.error_label.text()
    assert form.error_label.isVisible()
    assert _stored(rules_session, "1.1")[3] is None


def test_value_band_without_percent(form: ItemForm, rules_session: Session, qtbot: QtBot) -> None:
    form.show_item("1.2")
    assert form.value_edit.isVisible() and not form.numerator_edit.isVisible()
    qtbot.keyClicks(form.value_edit, "2")
    qtbot.keyClick(form.value_edit, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: _stored(rules_session, "1.2")[3] == 0.5, timeout=2000)
    assert _stored(rules_session, "1.2")[0] == 2.0


def test_manual_score_above_max_refused_with_message(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    form.show_item("1.4")
    assert form.score_edit.isVisible()
    qtbot.keyClicks(form.score_edit.lineEdit(), "2,5")
    qtbot.keyClick(form.score_edit.lineEdit(), Qt.Key.Key_Return)
    assert "vượt điểm tối đa 2" in form.error_label.text()
    assert _stored(rules_session, "1.4")[3] is None
    qtbot.wait(400)  # the debounce must not sneak it in either
    assert _stored(rules_session, "1.4")[3] is None
    assert rules_session.undo_stack.count() == 0

    form.score_edit.lineEdit().selectAll()
    qtbot.keyClicks(form.score_edit.lineEdit(), "1,5")
    qtbot.keyClick(form.score_edit.lineEdit(), Qt.Key.Key_Return)
    assert _stored(rules_session, "1.4")[3] == 1.5
    assert not form.error_label.isVisible()
    qtbot.keyClick(form.score_edit, Qt.Key.Key_Up)  # arrows step on the grid, saved at once
    assert _stored(rules_session, "1.4")[3] == 1.75
    assert form.score_edit.text() == "1,75"
    for _ in range(3):
        qtbot.keyClick(form.score_edit, Qt.Key.Key_Up)
    assert _stored(rules_session, "1.4")[3] == 2.0  # clamped at the maximum


def test_yes_no(form: ItemForm, rules_session: Session, qtbot: QtBot) -> None:
    form.show_item("1.3")
    assert form.yes_radio.isVisible() and form.no_radio.isVisible()
    qtbot.mouseClick(form.yes_radio, Qt.MouseButton.LeftButton)
    assert _stored(rules_session, "1.3")[0] == 1.0
    assert _stored(rules_session, "1.3")[3] == 1.0
    assert form.result_label.text() == "→ 1 điểm"
    qtbot.mouseClick(form.no_radio, Qt.MouseButton.LeftButton)
    assert _stored(rules_session, "1.3")[3] == 0.0


def test_survey_item_is_read_only(form: ItemForm, rules_session: Session, qtbot: QtBot) -> None:
    form.show_item("1.5")
    assert form.survey_label.isVisible()
    assert form.survey_label.text() == SURVEY_NOTE
    assert not form.score_edit.isVisible()
    assert not form.yes_radio.isVisible()
    assert form.explanation_edit.isReadOnly()
    form.explanation_edit.setFocus()
    type_vietnamese(form.explanation_edit, "không được lưu")
    form.commit()
    assert not rules_session.ws.answer("1.5").touched


def test_explanation_saved_after_pause_and_on_switch(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    form.show_item("2.1")
    form.explanation_edit.setFocus()
    type_vietnamese(form.explanation_edit, "Đã ban hành kế hoạch số 12/KH-UBND")
    qtbot.waitUntil(lambda: bool(_stored(rules_session, "2.1")[4]), timeout=2000)
    assert _stored(rules_session, "2.1")[4] == "Đã ban hành kế hoạch số 12/KH-UBND"
    type_vietnamese(form.explanation_edit, " ngày 10/3")
    form.show_item("1.4")  # switching items flushes immediately, no waiting
    assert _stored(rules_session, "2.1")[4] == "Đã ban hành kế hoạch số 12/KH-UBND ngày 10/3"
    form.show_item("2.1")
    assert form.explanation_edit.toPlainText().endswith("ngày 10/3")


def test_undo_redo_restore_db_and_widgets(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    stack = rules_session.undo_stack
    form.show_item("1.1")
    qtbot.keyClicks(form.numerator_edit, "98")
    qtbot.keyClick(form.numerator_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(form.denominator_edit, "100")
    qtbot.keyClick(form.denominator_edit, Qt.Key.Key_Return)
    assert _stored(rules_session, "1.1")[:4] == (98.0, 98.0, 100.0, 0.5)
    assert stack.count() == 2
    assert "mẫu số" in stack.undoText()

    stack.undo()
    assert _stored(rules_session, "1.1")[:4] == (None, 98.0, None, None)
    assert form.denominator_edit.text() == ""
    assert form.numerator_edit.text() == "98"
    stack.undo()
    assert not rules_session.ws.answer("1.1").touched
    assert form.numerator_edit.text() == ""
    stack.redo()
    stack.redo()
    assert _stored(rules_session, "1.1")[:4] == (98.0, 98.0, 100.0, 0.5)
    assert form.denominator_edit.text() == "100"
    assert form.result_label.text() == "Tỷ lệ: 98% → 0,5 điểm"

    form.show_item("1.3")
    qtbot.mouseClick(form.yes_radio, Qt.MouseButton.LeftButton)
    stack.undo()
    assert not form.yes_radio.isChecked()
    assert rules_session.ws.answer("1.3").self_score is None


def test_parent_node_shows_summary_and_children(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    rules_session.ws.set_answer("1.4", self_score=2.0)
    form.show_item("1")
    assert form.children_list.count() == 5
    assert form.node_progress.value() == 1 and form.node_progress.maximum() == 4
    assert "Điểm tự chấm: 2 / 5" in form.node_score_label.text()
    seen: list[str] = []
    rules_session.current_item_changed.connect(seen.append)
    item = form.children_list.item(3)
    rect = form.children_list.visualItemRect(item)
    qtbot.mouseClick(form.children_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == ["1.4"]


def test_invalid_counts_stay_shown_until_fixed_and_thousands_are_read(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    form.show_item("1.1")
    qtbot.keyClicks(form.numerator_edit, "19,5")  # a fraction of a file
    qtbot.keyClicks(form.denominator_edit, "40")
    qtbot.keyClick(form.denominator_edit, Qt.Key.Key_Return)
    assert form.numerator_edit.text() == "19,5"  # never cleared
    assert "Tử số “19,5” phải là số nguyên" in form.error_label.text()
    assert form.error_label.isVisible()
    assert "phải là số nguyên" in form.numerator_edit.toolTip()
    assert form.has_invalid() and not form.commit()
    qtbot.wait(400)  # the debounced save of the valid denominator must not hide it
    assert "Tử số “19,5”" in form.error_label.text()
    assert _stored(rules_session, "1.1")[1] is None

    form.numerator_edit.selectAll()
    qtbot.keyClicks(form.numerator_edit, "1.1.5")
    assert "không rõ" in form.error_label.text() or "không phải là số" in form.error_label.text()
    form.numerator_edit.selectAll()
    qtbot.keyClicks(form.numerator_edit, "1.234")
    form.denominator_edit.selectAll()
    qtbot.keyClicks(form.denominator_edit, "1.300")
    qtbot.keyClick(form.denominator_edit, Qt.Key.Key_Return)
    assert not form.has_invalid() and not form.error_label.isVisible()
    assert form.numerator_edit.toolTip() == ""
    assert _stored(rules_session, "1.1")[:4] == (94.92, 1234.0, 1300.0, 0.0)


def test_zero_denominator_is_explained(
    form: ItemForm, rules_session: Session, qtbot: QtBot
) -> None:
    form.show_item("1.1")
    qtbot.keyClicks(form.numerator_edit, "0")
    qtbot.keyClicks(form.denominator_edit, "0")
    assert "Mẫu số bằng 0" in form.result_label.text()
    qtbot.keyClick(form.denominator_edit, Qt.Key.Key_Return)
    assert "Mẫu số bằng 0" in form.error_label.text()
    assert _stored(rules_session, "1.1")[3] is None


def test_not_applicable_checkbox_where_the_rule_allows_it(session: Session, qtbot: QtBot) -> None:
    from dataclasses import replace

    from parapp.models.scoring import ScoringRule
    from parapp.services.changes import Changes
    from tests.ui.conftest import RULES_FRAMEWORK

    island = ScoringRule(
        not_applicable="Không tính các xã thuộc huyện đảo",
        source="Theo Kế hoạch 252/KH-UBND: “(Không tính các xã thuộc huyện đảo)”",
    )
    fw = replace(
        RULES_FRAMEWORK,
        id="co-khong-ap-dung",
        criteria=tuple(
            replace(c, rule=island) if c.code == "1.4" else c for c in RULES_FRAMEWORK.criteria
        ),
    )
    session.ws.save_framework(fw)
    session.ws.start_assessment(fw.id, "2024")
    session.notify(Changes(frameworks=True, assessment=True))
    f = ItemForm(session)
    qtbot.addWidget(f)
    f.show()
    f.show_item("1.3")
    assert not f.na_check.isVisible()
    f.show_item("1.4")
    assert f.na_check.isVisible() and "huyện đảo" in f.na_check.text()
    assert "(theo: Theo Kế hoạch 252/KH-UBND: “(Không tính" in f.meta_label.text()
    before = session.ws.rollup().assessable_max
    qtbot.mouseClick(f.na_check, Qt.MouseButton.LeftButton)
    assert session.ws.answer("1.4").not_applicable
    assert session.ws.rollup().assessable_max == before - 2
    assert "Cần nêu lý do không áp dụng" in f.problems_label.text()
    session.undo_stack.undo()
    assert not session.ws.answer("1.4").not_applicable and not f.na_check.isChecked()
