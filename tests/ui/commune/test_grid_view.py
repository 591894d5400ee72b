"""The grid of all items: edits and validates like the item form, sorts, filters, undoes."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.ui.commune.grid_view import GRID, KEYS, GridView
from parapp.ui.session import Session


def _view(session: Session, qtbot: QtBot) -> GridView:
    view = GridView(session)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    return view


def _row(view: GridView, code: str) -> int:
    for row in range(view.model.rowCount()):
        if view.model.criterion(row).code == code:
            return row
    raise AssertionError(code)


def _set(view: GridView, code: str, key: str, text: str) -> bool:
    index = view.model.index(_row(view, code), KEYS.index(key))
    return view.model.setData(index, text, Qt.ItemDataRole.EditRole)


def _text(view: GridView, code: str, key: str) -> str:
    return str(view.model.index(_row(view, code), KEYS.index(key)).data())


def test_the_model_is_a_sound_qt_model(
    rules_session: Session, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    view = _view(rules_session, qtbot)
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    assert view.model.rowCount() == 6  # every leaf, survey included (read-only)


def test_editing_validates_like_the_form(rules_session: Session, qtbot: QtBot) -> None:
    view = _view(rules_session, qtbot)
    ws = rules_session.ws
    assert _set(view, "1.4", "self_score", "1,5")
    assert ws.answer("1.4").self_score == 1.5
    assert _text(view, "1.4", "self_score") == "1,5"

    assert not _set(view, "1.4", "self_score", "9")  # above the maximum of 2
    assert ws.answer("1.4").self_score == 1.5  # nothing stored
    assert view.error_label.isVisible()
    assert "vượt điểm tối đa" in view.error_label.text()
    assert not _set(view, "1.4", "self_score", "abc")
    assert "không phải là số" in view.error_label.text()

    assert _set(view, "1.1", "numerator", "19")
    assert _set(view, "1.1", "denominator", "20")
    answer = ws.answer("1.1")
    assert answer.value == 95.0 and answer.self_score == 0.5  # same band rule as the form
    assert _text(view, "1.1", "value") == "95%"
    assert not view.error_label.isVisible()

    assert _set(view, "1.3", "value", "có")
    assert ws.answer("1.3").self_score == 1.0
    assert _text(view, "1.3", "value") == "Có"


def test_survey_and_totals_are_not_editable(rules_session: Session, qtbot: QtBot) -> None:
    view = _view(rules_session, qtbot)
    survey = view.model.index(_row(view, "1.5"), KEYS.index("self_score"))
    assert not view.model.flags(survey) & Qt.ItemFlag.ItemIsEditable
    manual_value = view.model.index(_row(view, "1.4"), KEYS.index("value"))
    assert not view.model.flags(manual_value) & Qt.ItemFlag.ItemIsEditable
    assert not _set(view, "1.5", "self_score", "1")


def test_search_needs_work_and_sort(rules_session: Session, qtbot: QtBot) -> None:
    view = _view(rules_session, qtbot)
    qtbot.keyClicks(view.search_edit, "thu tuc")  # accent-insensitive
    codes = {view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount(QModelIndex()))}
    assert codes == {"1.1", "1.3", "1.4"}
    view.search_edit.clear()
    view.needs_work.setChecked(True)
    assert view.proxy.rowCount() == 5  # the survey item needs nothing from the commune
    view.needs_work.setChecked(False)
    view.table.sortByColumn(KEYS.index("max"), Qt.SortOrder.DescendingOrder)
    assert view.proxy.index(0, KEYS.index("max")).data() == "2"


def test_grid_edits_undo_on_the_grid_stack(rules_session: Session, qtbot: QtBot) -> None:
    view = _view(rules_session, qtbot)
    assert _set(view, "1.4", "self_score", "1")
    assert _set(view, "1.4", "explanation", "Đã ban hành kế hoạch")
    stack = rules_session.stack(GRID)
    assert stack.count() == 2
    assert not rules_session.undo_stack.canUndo()  # the form's stack is untouched
    stack.undo()
    assert rules_session.ws.answer("1.4").explanation == ""
    assert _text(view, "1.4", "explanation") == ""
    stack.undo()
    assert rules_session.ws.answer("1.4").self_score is None
