"""The office's framework editor: edit, see the check, undo, save, read back from SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from parapp.models.framework import Framework, framework_from_dict
from parapp.models.scoring import RuleKind
from parapp.services.office import framework_editing
from parapp.ui.main_window import MainWindow
from parapp.ui.office.common import BAD_BG
from parapp.ui.office.framework_editor import (
    COL_MAX,
    DISCARD,
    KEEP_EDITING,
    SAVE,
    FrameworkChooser,
    FrameworkEditor,
)
from parapp.ui.session import Session
from tests.models.sample_framework import sample_framework
from tests.ui.office.conftest import Office


def stored(session: Session, table: str, fw_id: str) -> Framework | None:
    """The framework as the workspace's SQLite file holds it (another connection)."""
    conn = sqlite3.connect(session.ws.data_dir / "parapp.sqlite")
    try:
        rows = list(conn.execute(f"SELECT content FROM {table} WHERE id = ?", [fw_id]))
    finally:
        conn.close()
    return framework_from_dict(json.loads(rows[0][0])) if rows else None


@pytest.fixture
def editor(session: Session, qtbot: QtBot) -> Iterator[FrameworkEditor]:
    session.ws.save_framework(sample_framework())
    fw = framework_editing.start_edit(session.ws, "mau-2026", 2027)
    dialog = FrameworkEditor(session, fw, "mau-2026")
    dialog.ask_unsaved = lambda: DISCARD
    qtbot.addWidget(dialog)
    dialog.show()
    yield dialog
    dialog.stack.clear()


def problem_texts(editor: FrameworkEditor) -> list[str]:
    return [editor.problem_list.item(i).text() for i in range(editor.problem_list.count())]


def row_background(editor: FrameworkEditor, code: str) -> QColor:
    index = editor.index_for(code)
    return editor.model.itemFromIndex(index).background().color()


def type_into(qtbot: QtBot, widget: QLineEdit, text: str) -> None:
    """Type ``text`` and press Enter (QTest types ASCII only: the rest is pasted)."""
    widget.setFocus()
    widget.selectAll()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_add_points_problem_undo_fix_save(editor: FrameworkEditor, qtbot: QtBot) -> None:
    session = editor.session
    assert editor.problem_list.isHidden()
    assert editor.check_label.text().startswith("✓ Bộ chỉ số hợp lệ: 8 mục")
    editor.select_code("1.1")
    qtbot.mouseClick(editor.add_child_button, Qt.MouseButton.LeftButton)
    assert editor.current_code == "1.1.3"
    assert editor.title_edit.toPlainText() == "Tiêu chí mới"
    assert editor.problem_list.isHidden()  # a new item starts at 0 points
    assert editor.dirty and editor.windowTitle().endswith(" *")

    type_into(qtbot, editor.max_edit, "0,5")
    assert editor.fw.by_code["1.1.3"].max_points == 0.5
    assert problem_texts(editor) == [
        "Tiêu chí 1.1: điểm tối đa 2 khác tổng điểm các tiêu chí con 2,5."
    ]
    assert editor.problem_list.isVisible()
    assert row_background(editor, "1.1") == BAD_BG
    assert row_background(editor, "1.1.3") != BAD_BG
    max_cell = editor.index_for("1.1.3").siblingAtColumn(COL_MAX)
    assert editor.model.itemFromIndex(max_cell).text() == "0,5"

    # a click on the problem goes to the item it names
    item = editor.problem_list.item(0)
    rect = editor.problem_list.visualItemRect(item)
    qtbot.mouseClick(editor.problem_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.current_code == "1.1"
    assert editor.tree.currentIndex() == editor.index_for("1.1")

    # undo: the points go back to 0 and the problem disappears; redo brings it back
    assert editor.undo_button.defaultAction().text() == "Hoàn tác sửa điểm tối đa mục 1.1.3"
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)
    assert editor.fw.by_code["1.1.3"].max_points == 0
    assert editor.problem_list.isHidden() and row_background(editor, "1.1") != BAD_BG
    assert editor.current_code == "1.1.3"
    editor.stack.redo()
    assert len(problem_texts(editor)) == 1

    # fixed by summing up from the parent: the problem disappears for good
    editor.select_code("1.1")
    qtbot.mouseClick(editor.sum_button, Qt.MouseButton.LeftButton)
    assert (editor.fw.by_code["1.1"].max_points, editor.fw.by_code["1"].max_points) == (2.5, 4.5)
    assert editor.problem_list.isHidden()
    assert "tổng 10,5 điểm" in editor.check_label.text()

    with qtbot.waitSignal(editor.saved) as signal:
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["mau-2026-sua-2027"]
    assert not editor.dirty and not editor.windowTitle().endswith("*")
    assert editor.message.text().endswith("bộ chỉ số hợp lệ và dùng được.")
    assert stored(session, "frameworks", "mau-2026-sua-2027") == editor.fw
    assert stored(session, "framework_drafts", "mau-2026-sua-2027") == editor.fw
    assert session.ws.framework("mau-2026") == sample_framework()  # the base is untouched
    # saved and valid: it can be published from here
    assert editor.publish_button.isEnabled()
    with qtbot.waitSignal(editor.publish_requested) as asked:
        qtbot.mouseClick(editor.publish_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["mau-2026-sua-2027"]


def test_invalid_framework_is_saved_as_a_draft_only(editor: FrameworkEditor, qtbot: QtBot) -> None:
    editor.select_code("2.1")
    type_into(qtbot, editor.max_edit, "4")
    assert problem_texts(editor) == ["Tiêu chí 2: điểm tối đa 6 khác tổng điểm các tiêu chí con 7."]
    assert editor.save()
    assert editor.last_result is not None and not editor.last_result.usable
    assert not editor.publish_button.isEnabled()  # a draft with problems is never published
    assert "còn 1 vấn đề" in editor.message.text()
    assert stored(editor.session, "frameworks", editor.fw.id) is None
    assert stored(editor.session, "framework_drafts", editor.fw.id) == editor.fw


def test_structure_buttons(editor: FrameworkEditor, qtbot: QtBot) -> None:
    editor.select_code("1.1")
    assert not editor.up_button.isEnabled() and editor.down_button.isEnabled()
    assert not editor.indent_button.isEnabled() and editor.outdent_button.isEnabled()
    qtbot.mouseClick(editor.down_button, Qt.MouseButton.LeftButton)
    assert editor.current_code == "1.2"
    assert editor.fw.by_code["1.2.1"].title == "Ban hành kế hoạch CCHC"
    assert editor.fw.by_code["1.1"].title == "Công tác tuyên truyền CCHC"
    qtbot.mouseClick(editor.indent_button, Qt.MouseButton.LeftButton)
    assert editor.current_code == "1.1.1"
    assert editor.fw.by_code["1.1.1"].title == "Kế hoạch CCHC"
    assert problem_texts(editor) == ["Tiêu chí 1: điểm tối đa 4 khác tổng điểm các tiêu chí con 2."]
    qtbot.mouseClick(editor.outdent_button, Qt.MouseButton.LeftButton)
    assert editor.current_code == "1.2"
    editor.select_code("2.2")
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert editor.current_code == "2.1" and "2.2" not in editor.fw.by_code
    assert "Tiêu chí 2: điểm tối đa 6 khác tổng điểm các tiêu chí con 3." in problem_texts(editor)
    assert "Đã xóa mục 2.2" in editor.message.text()
    qtbot.mouseClick(editor.add_sibling_button, Qt.MouseButton.LeftButton)
    assert editor.current_code == "2.2" and editor.fw.by_code["2.2"].title == "Tiêu chí mới"
    # every step undoes back to the copy as it was opened
    while editor.stack.canUndo():
        editor.stack.undo()
    assert editor.fw.criteria == sample_framework().criteria
    assert editor.model.rowCount() == 2 and not editor.dirty


def test_rule_and_guidance_fields(editor: FrameworkEditor, qtbot: QtBot) -> None:
    editor.select_code("1.2")
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findText("Theo thang"))
    editor.kind_combo.activated.emit(editor.kind_combo.currentIndex())
    assert editor.fw.by_code["1.2"].rule.kind is RuleKind.BANDS
    assert problem_texts(editor) == ["Tiêu chí 1.2: chấm theo thang nhưng chưa có thang điểm."]
    type_into(qtbot, editor.params_edit, ">=90% → 3; còn lại → 0")
    assert problem_texts(editor) == ["Tiêu chí 1.2: mức 3 điểm nằm ngoài 0..2."]
    type_into(qtbot, editor.params_edit, "nhiều thì 2 điểm")
    assert "thang điểm không đọc được" in editor.field_error.text()
    assert editor.field_error.isVisible()
    type_into(qtbot, editor.params_edit, ">=90% → 2; còn lại → 0")
    assert editor.problem_list.isHidden() and editor.field_error.isHidden()
    assert editor.params_edit.text() == ">=90% → 2; còn lại → 0"

    editor.survey_check.setChecked(True)
    assert editor.fw.by_code["1.2"].rule.kind is RuleKind.SURVEY
    assert editor.kind_combo.currentText() == "Điều tra XHH"
    assert not editor.params_edit.text()

    editor.evidence_edit.setFocus()
    editor.evidence_edit.insertPlainText("Kế hoạch tuyên truyền")
    editor.title_edit.setFocus()  # leaving the field applies it
    QApplication.processEvents()
    assert editor.fw.by_code["1.2"].guidance.evidence == "Kế hoạch tuyên truyền"
    editor.title_edit.setPlainText("Tuyên truyền cải cách hành chính")
    editor.select_code("1.1")  # moving on through the tree applies the title too
    assert editor.fw.by_code["1.2"].title == "Công tác tuyên truyền CCHC"  # select_code alone: no
    editor.select_code("1.2")
    editor.title_edit.setPlainText("Tuyên truyền cải cách hành chính")
    editor.tree.setCurrentIndex(editor.index_for("1.1"))  # as a click in the tree does
    assert editor.fw.by_code["1.2"].title == "Tuyên truyền cải cách hành chính"
    assert editor.current_code == "1.1"
    editor.select_code("1")  # a parent: its rule is its children's business
    assert not editor.kind_combo.isEnabled() and editor.parent_note.isVisible()


def test_closing_with_unsaved_edits_asks(editor: FrameworkEditor, qtbot: QtBot) -> None:
    editor.select_code("1.2")
    type_into(qtbot, editor.max_edit, "1")
    editor.ask_unsaved = lambda: KEEP_EDITING
    editor.close()
    assert editor.isVisible()
    editor.ask_unsaved = lambda: SAVE
    editor.close()
    assert not editor.isVisible()
    assert stored(editor.session, "framework_drafts", editor.fw.id) == editor.fw


def test_closing_without_saving_stores_nothing(editor: FrameworkEditor) -> None:
    editor.select_code("1.2")
    editor.max_edit.setText("1")
    asked: list[bool] = []

    def discard() -> str:
        asked.append(True)
        return DISCARD

    editor.ask_unsaved = discard
    editor.close()  # the pending field is applied, then the question is asked
    assert asked == [True] and not editor.isVisible()
    assert stored(editor.session, "framework_drafts", editor.fw.id) is None


def test_chooser_copies_or_carries_on(session: Session, qtbot: QtBot) -> None:
    session.ws.save_framework(sample_framework())
    draft = framework_editing.start_edit(session.ws, "mau-2026", 2026)
    framework_editing.save(session.ws, draft, "mau-2026")
    chooser = FrameworkChooser(session)
    qtbot.addWidget(chooser)
    texts = [chooser.list.item(i).text() for i in range(chooser.list.count())]
    assert texts[0].startswith("Bản soạn thảo: Bộ chỉ số mẫu (bản sửa 2026) — hợp lệ, lưu ")
    assert "Bộ chỉ số mẫu — năm 2026" in texts
    chooser.list.setCurrentRow(0)
    chooser.open_selected()
    assert chooser.choice is not None and chooser.choice == (draft, "mau-2026")
    chooser.list.setCurrentRow(texts.index("Bộ chỉ số mẫu — năm 2026"))
    chooser.year_spin.setValue(2028)
    chooser.open_selected()
    assert chooser.choice is not None
    assert chooser.choice[0].name == "Bộ chỉ số mẫu (bản sửa 2028)"
    assert chooser.choice[1] == "mau-2026"
    chooser.new_framework()
    assert chooser.choice[0].name == "Bộ chỉ số năm 2028" and chooser.choice[1] == ""


def test_undo_takes_back_the_text_being_typed(editor: FrameworkEditor, qtbot: QtBot) -> None:
    editor.select_code("1.2")
    type_into(qtbot, editor.max_edit, "1")  # a first step: the undo button is enabled
    editor.title_edit.setFocus()
    editor.title_edit.selectAll()
    editor.title_edit.insertPlainText("Tuyên truyền")
    qtbot.mouseClick(editor.undo_button, Qt.MouseButton.LeftButton)  # focus stays in the box
    assert editor.fw.by_code["1.2"].title == "Công tác tuyên truyền CCHC"
    assert editor.title_edit.toPlainText() == "Công tác tuyên truyền CCHC"
    assert editor.redo_button.defaultAction().text() == "Làm lại sửa nội dung mục 1.2"
    qtbot.mouseClick(editor.redo_button, Qt.MouseButton.LeftButton)
    assert editor.title_edit.toPlainText() == "Tuyên truyền"
    assert editor.fw.by_code["1.2"].max_points == 1


def test_office_menu_opens_the_editor(
    office: Office, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(office.session)
    qtbot.addWidget(window)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Thẩ&m định")
    entry = next(a for a in menu.actions() if a.text() == "Soạn/sửa &bộ chỉ số…")

    def choose_first(chooser: FrameworkChooser) -> int:
        chooser.open_selected()  # the first framework of the list, copied
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(FrameworkChooser, "exec", choose_first)
    entry.trigger()
    editors = [w for w in window.findChildren(FrameworkEditor) if w.isVisible()]
    assert len(editors) == 1
    assert editors[0].fw.name.endswith(f"(bản sửa {date.today().year})")
    editors[0].ask_unsaved = lambda: DISCARD
    editors[0].close()
