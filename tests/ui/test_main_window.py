"""The main window on the demo workspace, driven from the keyboard only."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from parapp.models.scoring import score_range
from parapp.models.tasks import TaskStatus
from parapp.services.changes import Changes
from parapp.ui.commune.criteria_model import CODE_ROLE, COL_SCORE
from parapp.ui.commune.item_form import first_input
from parapp.ui.commune.task_status_dialog import StatusUpdate
from parapp.ui.main_window import SHORTCUTS, MainWindow
from parapp.ui.session import Session

CTRL = Qt.KeyboardModifier.ControlModifier


def _said(box: QMessageBox) -> str:
    """A message box as the tests read it: warnings marked with "!"."""
    return ("!" if box.icon() == QMessageBox.Icon.Warning else "") + box.text()


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
    assert w.windowTitle() == "Phường Điện Bàn"  # Qt adds " — ParApp", the display name
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


def test_the_score_column_fits_every_score_and_never_moves(
    make_window: Callable[[], MainWindow], session: Session
) -> None:
    """The score column is sized from the framework, not by measuring each row: the widest
    scores the items can take (just under each maximum, on the step grid) fit without
    clipping, and the column keeps its width while they are entered."""
    w = make_window()
    width = w.tree.columnWidth(COL_SCORE)
    w.tree.expandAll()
    fw = session.ws.current_framework()
    step = fw.score_step or 0.01
    scored = [c for c in fw.leaves() if not c.survey_only]
    for c in scored:
        low, high = score_range(c.max_points, c.rule)
        session.ws.set_answer(c.code, self_score=high - step if high >= step else low)
    session.notify(Changes(codes=frozenset(c.code for c in scored)))
    shown = w.model.data(w.model.index_for(scored[0].code, COL_SCORE))
    assert shown.endswith(f" / {scored[0].max_points:g}".replace(".", ","))
    assert not shown.startswith("—")  # the scores did reach the tree
    assert w.tree.sizeHintForColumn(COL_SCORE) <= width
    assert w.tree.columnWidth(COL_SCORE) == width


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


def test_undo_acts_on_the_current_tab_only(
    make_window: Callable[[], MainWindow], session: Session, qtbot: QtBot
) -> None:
    """Ctrl+Z on the Tasks tab undoes the task status change made there, never the score
    typed on the self-assessment tab; back on that tab, Ctrl+Z undoes the score."""
    w = make_window()
    code = w.current_code
    assert code is not None
    w.form.score_edit.setFocus()
    qtbot.keyClick(w.form.score_edit, Qt.Key.Key_Up)
    assert session.ws.answer(code).self_score == 0.25

    w.tabs.setCurrentWidget(w.tasks_scroll)
    assert not w.undo_action.isEnabled()  # nothing was done on this tab yet
    qtbot.keyClick(w.tasks_view, Qt.Key.Key_Z, CTRL)
    assert session.ws.answer(code).self_score == 0.25  # the other tab is untouched

    plan = session.ws.current_plan_id()
    assert plan is not None
    task = session.ws.tasks.get_plan(plan).tasks[1]
    assert w.tasks_view.update_status(task.code, StatusUpdate(TaskStatus.DONE, "xong", None))
    assert session.ws.task(plan, task.code).status is TaskStatus.DONE
    assert w.undo_action.text().startswith(f"&Hoàn tác: trạng thái nhiệm vụ {task.code}")
    qtbot.keyClick(w.tasks_view, Qt.Key.Key_Z, CTRL)
    assert session.ws.task(plan, task.code).status is task.status
    assert session.ws.answer(code).self_score == 0.25
    assert w.statusBar().currentMessage().startswith("Đã hoàn tác: trạng thái nhiệm vụ")

    w.tabs.setCurrentWidget(w.item_scroll)
    qtbot.keyClick(w.tree, Qt.Key.Key_Z, CTRL)
    assert session.ws.answer(code).self_score is None
    assert session.ws.task(plan, task.code).status is task.status


def test_export_the_self_assessment_to_excel_from_the_menu(
    make_window: Callable[[], MainWindow],
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    w = make_window()
    out = tmp_path / "xuat" / "tu-danh-gia.xlsx"
    out.parent.mkdir()
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "")
    )
    texts = [a.text() for a in w.menuBar().actions()[0].menu().actions()]  # type: ignore[union-attr]
    assert "&Xuất bảng tự đánh giá ra Excel…" in texts
    w.export_assessment()
    sheet = load_workbook(out).active
    assert sheet is not None
    assert "Phường Điện Bàn" in str(sheet["A1"].value)
    assert w.statusBar().currentMessage().startswith("Đã xuất bảng tự đánh giá")


def test_f1_opens_the_guide_at_the_current_screen(
    make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    w = make_window()
    qtbot.keyClick(w.tree, Qt.Key.Key_F1)
    guide = w._guide
    assert guide is not None and guide.isVisible()
    text = guide.browser.toPlainText()
    assert "Hướng dẫn sử dụng ParApp" in text and "Tự đánh giá từng tiêu chí" in text
    images = guide.browser.document().allFormats()
    assert any(f.isImageFormat() for f in images)  # the pictures are there
    first = guide.browser.verticalScrollBar().value()
    w.tabs.setCurrentWidget(w.tasks_scroll)
    assert w.guide_section() == "nhiem-vu"
    w.show_guide()
    assert guide.browser.verticalScrollBar().value() > first  # scrolled to the Tasks part
    guide.close()


def test_one_tab_from_the_tree_reaches_the_first_input(
    make_window: Callable[[], MainWindow], session: Session, qtbot: QtBot
) -> None:
    w = make_window()
    fw = session.ws.current_framework()
    manual = next(c for c in fw.leaves() if c.rule.kind.value == "manual")
    w.select_code(manual.code)
    w.tree.setFocus()
    qtbot.keyClick(w.tree, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is w.form.score_edit.lineEdit() or (
        QApplication.focusWidget() is w.form.score_edit
    )
    survey = next(c for c in fw.leaves() if c.survey_only)
    w.select_code(survey.code)
    w.tree.setFocus()
    assert not w.form.explanation_edit.isVisible()  # nothing to write on a survey item
    assert first_input(w.form) is None


def test_status_bar_shows_submission_state(
    make_window: Callable[[], MainWindow],
    session: Session,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
) -> None:
    """Never submitted → submitted revision 1 (time and date) → an edit is "not submitted"."""
    import re
    from pathlib import Path

    from parapp.interchange.keys import generate_keypair
    from parapp.services.changes import Changes
    from parapp.services.commune.submission import export_bundle

    w = make_window()
    # filled just after the window shows (it loads the bundle libraries)
    qtbot.waitUntil(lambda: w.submission_label.text() == "Chưa nộp hồ sơ lần nào")
    first = _leaves(session)[0]
    session.ws.set_answer(first, explanation="Đã ban hành kế hoạch.")
    out = Path(str(tmp_path)) / "nop"
    out.mkdir()
    export_bundle(session.ws, out, generate_keypair(), "Trần Bình", confirm_all_unscored=True)
    session.notify(Changes(assessment=True))
    assert re.fullmatch(
        r"Đã nộp lần 1 lúc \d\d:\d\d ngày \d\d/\d\d/\d{4} · không có thay đổi mới",
        w.submission_label.text(),
    )
    session.ws.set_answer(first, explanation="Đã ban hành kế hoạch, có bổ sung.")
    session.notify(Changes(codes=frozenset({first})))
    assert w.submission_label.text().endswith("· có thay đổi chưa nộp")
    assert w.submission_label.isVisible()


def test_backup_runs_in_the_background_and_restore_brings_the_data_back(
    make_window: Callable[[], MainWindow],
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    w = make_window()
    code = _leaves(session)[0]
    session.ws.set_answer(code, explanation="Trước khi sao lưu")
    said: list[str] = []
    box = "PySide6.QtWidgets.QMessageBox"
    monkeypatch.setattr("parapp.ui.messages.present", lambda b: said.append(_said(b)) or 0)
    archive = tmp_path / "sao-luu.parapp-backup"
    dialogs = "PySide6.QtWidgets.QFileDialog"
    monkeypatch.setattr(f"{dialogs}.getSaveFileName", lambda *a, **k: (str(archive), ""))
    w.backup()
    assert w._job is not None
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert archive.is_file() and said[0].startswith("Đã sao lưu toàn bộ dữ liệu")

    session.ws.set_answer(code, explanation="Sửa sau khi sao lưu")
    monkeypatch.setattr(f"{dialogs}.getOpenFileName", lambda *a, **k: (str(archive), ""))
    monkeypatch.setattr(f"{box}.question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    texts = [a.text() for a in w.menuBar().actions()[0].menu().actions()]  # type: ignore[union-attr]
    assert "&Khôi phục từ bản sao lưu…" in texts
    said.clear()
    w.restore()
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert said[0].startswith("Đã khôi phục dữ liệu"), said
    assert session.ws.answer(code).explanation == "Trước khi sao lưu"
    assert w.form.explanation_edit.toPlainText() == "Trước khi sao lưu"  # the views reloaded
    aside = list((session.ws.data_dir / "backups").glob("before-restore-*"))
    assert aside, "the data replaced by the restore are kept aside"


def test_a_cancelled_backup_leaves_no_file(
    make_window: Callable[[], MainWindow],
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    w = make_window()
    archive = tmp_path / "huy.parapp-backup"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(archive), "")
    )
    real_backup = session.ws.backup

    def slow_backup(out: Path, progress: object, cancel: object) -> dict[str, int]:
        assert callable(cancel)
        for _ in range(1000):  # wait (in the worker thread) for the user's Hủy, at most 10 s
            if cancel():
                break
            time.sleep(0.01)
        return real_backup(out, None, cancel)

    monkeypatch.setattr(session.ws, "backup", slow_backup)
    w.backup()
    assert w._job is not None
    w._job.cancel_button.click()
    qtbot.waitUntil(lambda: "Đã hủy sao lưu" in w.statusBar().currentMessage(), timeout=30000)
    assert not archive.exists()
    assert not list((session.ws.data_dir / "tmp").glob("*backup*"))


def test_excel_imports_run_in_the_background(
    make_window: Callable[[], MainWindow],
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    from tests.interchange.province_sheets import build_province_framework, build_province_plan

    w = make_window()
    said: list[str] = []
    monkeypatch.setattr("parapp.ui.messages.present", lambda b: said.append(_said(b)) or 0)
    sheet = build_province_framework(tmp_path / "bo-chi-so.xlsx")
    monkeypatch.setattr(w, "_ask_open", lambda caption: sheet)
    before = {f["id"] for f in session.ws.frameworks.list()}
    w.import_framework()
    assert w._job is not None  # a progress dialog with Hủy while the sheet is read
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert said[0].startswith("Đã nhập “"), said
    assert len({f["id"] for f in session.ws.frameworks.list()} - before) == 1

    said.clear()
    plan = build_province_plan(tmp_path / "ke-hoach.xlsx")
    monkeypatch.setattr(w, "_ask_open", lambda caption: plan)
    w.import_tasks()
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert said[0].startswith("Đã nhập kế hoạch"), said

    said.clear()
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setattr(w, "_ask_open", lambda caption: broken)
    w.import_framework()
    qtbot.waitUntil(lambda: bool(said), timeout=30000)
    assert said[0].startswith("!") and "hong.xlsx" in said[0]


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
