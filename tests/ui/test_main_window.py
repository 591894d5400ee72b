"""The main window on the demo workspace, driven from the keyboard only."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.ui.criteria_model import CODE_ROLE
from parapp.ui.main_window import SHORTCUTS, MainWindow
from parapp.ui.session import Session

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def make_window(session: Session, qtbot: QtBot) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        w = MainWindow(session)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
        qtbot.wait(20)  # let the first-show layout (initial splitter split) settle
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()


def _leaves(session: Session) -> list[str]:
    return [c.code for c in session.ws.current_framework().leaves()]


def test_shows_tree_header_and_first_item(
    make_window: Callable[[], MainWindow], session: Session
) -> None:
    w = make_window()
    assert w.windowTitle() == "ParApp — Phường Điện Bàn"
    assert w.proxy.rowCount(QModelIndex()) == 8
    assert "tối đa 100 điểm" in w.header_label.text()
    assert "Phường Điện Bàn" in w.header_label.text()
    leaves = len([c for c in session.ws.current_framework().leaves() if not c.survey_only])
    assert w.progress_label.text() == f"Đã làm 0/{leaves} tiêu chí — 0/65,5 điểm (0%)"
    first = _leaves(session)[0]
    assert w.current_code == first
    assert w.form.title_label.text().startswith(f"{first}. ")
    assert w.evidence.code == first
    assert w.tabs.tabText(0) == "Tự đánh giá"


def test_selecting_in_tree_shows_form(make_window: Callable[[], MainWindow]) -> None:
    w = make_window()
    area = w.proxy.index(1, 0, QModelIndex())
    w.tree.setCurrentIndex(area)
    code = w.proxy.data(area, CODE_ROLE)
    assert w.current_code == code == "2"
    assert w.form.pages.currentIndex() == 1  # the summary page of an area
    assert not w.evidence.isVisible()
    w.form.children_list.setCurrentRow(0)
    w.form.children_list.itemActivated.emit(w.form.children_list.item(0))
    assert w.current_code == "2.1"


def test_keyboard_navigation_without_mouse(
    make_window: Callable[[], MainWindow], session: Session, qtbot: QtBot
) -> None:
    w = make_window()
    leaves = _leaves(session)
    w.tree.setFocus()
    qtbot.keyClick(w.tree, Qt.Key.Key_Down, CTRL)
    assert w.current_code == leaves[1]
    qtbot.keyClick(w.tree, Qt.Key.Key_Down, CTRL)
    assert w.current_code == leaves[2]
    qtbot.keyClick(w.tree, Qt.Key.Key_Up, CTRL)
    assert w.current_code == leaves[1]

    # typing a score, then Ctrl+Down straight from the field: saved and moved on
    w.form.score_edit.setFocus()
    qtbot.keyClicks(w.form.score_edit.lineEdit(), "0,5")
    qtbot.keyClick(w.form.score_edit.lineEdit(), Qt.Key.Key_Down, CTRL)
    assert session.ws.answer(leaves[1]).self_score == 0.5
    assert w.current_code == leaves[2]
    assert w.progress_label.text().startswith("Đã làm 1/")
    assert w.statusBar().currentMessage().startswith("Đã lưu lúc ")

    # F8 jumps to the next item with a problem (leaves[2] has none answered: "chưa tự chấm")
    qtbot.keyClick(w.tree, Qt.Key.Key_F8)
    problems = [p.code for p in session.ws.rollup().problems]
    assert w.current_code in problems
    order = _leaves(session)
    assert order.index(w.current_code) > order.index(leaves[2])

    # Ctrl+F focuses search; accent-free query; Enter opens the first match in the tree
    qtbot.keyClick(w.tree, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is w.search_edit
    qtbot.keyClicks(w.search_edit, "thu tuc")
    qtbot.keyClick(w.search_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is w.tree
    fw = session.ws.current_framework()
    chain = [fw.by_code[w.current_code]]
    while chain[-1].parent_code:
        chain.append(fw.by_code[chain[-1].parent_code])
    assert any("thủ tục" in c.title.lower() for c in chain)


def test_undo_from_menu_shortcut(
    make_window: Callable[[], MainWindow], session: Session, qtbot: QtBot
) -> None:
    w = make_window()
    code = w.current_code
    assert code is not None
    w.form.score_edit.setFocus()
    qtbot.keyClick(w.form.score_edit, Qt.Key.Key_Up)
    assert session.ws.answer(code).self_score == 0.25
    assert w.undo_action.isEnabled()
    assert w.undo_action.text().startswith("&Hoàn tác: Sửa điểm tự chấm")
    w.tree.setFocus()
    qtbot.keyClick(w.tree, Qt.Key.Key_Z, CTRL)
    assert session.ws.answer(code).self_score is None
    assert w.form.score_edit.text() == ""
    qtbot.keyClick(w.tree, Qt.Key.Key_Y, CTRL)
    assert session.ws.answer(code).self_score == 0.25


def test_reopening_restores_last_item_and_geometry(
    make_window: Callable[[], MainWindow], session: Session
) -> None:
    w = make_window()
    target = _leaves(session)[7]
    w.select_code(target)
    w.resize(1000, 640)
    w.splitter.setSizes([430, 600])
    sizes = w.splitter.sizes()
    w.close()
    again = make_window()
    assert again.current_code == target
    assert again.form.code == target
    # the offscreen screen is 800×600, so Qt clamps restored widths to the minimum 1000
    assert again.height() == 640
    assert again.splitter.sizes()[0] == sizes[0]


def test_fits_small_screen_and_documents_shortcuts(make_window: Callable[[], MainWindow]) -> None:
    w = make_window()
    assert w.width() <= 1366 and w.height() <= 728
    hint = w.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728
    assert w.minimumWidth() <= 1024 and w.minimumHeight() <= 600
    documented = {k for k, _ in SHORTCUTS}
    for action in (w.next_action, w.prev_action, w.problem_action, w.search_action):
        assert action.shortcut().toString() in documented


def test_leaving_an_item_with_an_invalid_entry_asks(
    make_window: Callable[[], MainWindow], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window()
    w.select_code("1.3.1")  # a rate: numerator / denominator
    qtbot.keyClicks(w.form.numerator_edit, "19,5")
    assert w.form.has_invalid()
    asked: list[str] = []
    monkeypatch.setattr(w, "ask_leave_invalid", lambda: asked.append("?") or False)
    w.select_code("1.2")
    qtbot.waitUntil(lambda: w.tree.currentIndex().data(CODE_ROLE) == "1.3.1", timeout=2000)
    assert asked and w.current_code == "1.3.1"
    assert w.form.numerator_edit.text() == "19,5"  # still there, still marked
    monkeypatch.setattr(w, "ask_leave_invalid", lambda: True)
    w.select_code("1.2")
    assert w.current_code == "1.2" and not w.form.has_invalid()
