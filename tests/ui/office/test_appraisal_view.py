"""Appraisal page: edit through the table (autosave), refusal above max, accept, evidence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.interchange.appraisal_doc import read_cycle
from parapp.interchange.bundle import verify_bundle
from parapp.models.review import ReviewState
from parapp.services.changes import Changes
from parapp.services.office import appraisal, consolidation
from parapp.services.office.inbox import import_bundle
from parapp.ui.office.appraisal_view import COL_COMMENT, COL_SCORE, COL_STATE, AppraisalView
from parapp.ui.office.common import SignDialog
from parapp.ui.session import OFFICE
from tests.ui.office.conftest import PASS, SCAN, SCORES, Office, make_bundle


def _view(office: Office, qtbot: QtBot, unit: str = "X1") -> AppraisalView:
    view = AppraisalView(office.session)
    qtbot.addWidget(view)
    view.select_unit(unit)
    assert view.model.ua is not None and view.model.ua.unit_code == unit
    return view


def _index(view: AppraisalView, code: str, col: int):  # type: ignore[no-untyped-def]
    row = view.model.row_of(code)
    assert row is not None
    return view.model.index(row, col)


def test_edit_score_and_comment_autosaves(
    imported: Office, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    view = _view(imported, qtbot)
    qtmodeltester.check(view.model)
    assert view.unit_list.count() == 3
    notes: list[Changes] = []
    imported.session.changed.connect(notes.append)
    assert view.model.setData(_index(view, "1.2", COL_SCORE), "1,5")
    assert view.model.setData(_index(view, "1.2", COL_COMMENT), "Thiếu báo cáo quý IV")
    item = next(i for i in appraisal.unit_appraisal(imported.ws, "X1", "2026").items
                if i.code == "1.2")  # fmt: skip
    assert (item.appraised, item.comment) == (1.5, "Thiếu báo cáo quý IV")
    assert notes and notes[-1].appraisal
    assert view.model.data(_index(view, "1.2", COL_SCORE)) == "1,5"
    assert view.model.data(_index(view, "1.2", COL_SCORE), 8) is not None  # amber difference
    assert view.progress_bar.value() == 1 and view.progress_bar.maximum() == 4
    assert view.unit_list.currentItem().text().endswith("1/4")

    # above the maximum: refused with the reason, nothing saved
    assert not view.model.setData(_index(view, "1.2", COL_SCORE), "2,5")
    assert view.message.text() and "1.2" in view.message.text()
    assert not view.model.setData(_index(view, "1.1.1", COL_SCORE), "nhiều")
    assert "không phải là số" in view.message.text()
    assert not view.model.setData(_index(view, "2.1", COL_COMMENT), "chưa chấm")
    assert "trước khi ghi nhận xét" in view.message.text()
    given = {i.code: i.appraised for i in appraisal.unit_appraisal(imported.ws, "X1").items}
    assert given == {"1.1.1": None, "1.1.2": None, "1.2": 1.5, "2.1": None, "2.2": None}

    # the survey item may be scored by the office
    assert view.model.setData(_index(view, "2.2", COL_SCORE), "2")
    # an emptied score clears the appraisal
    assert view.model.setData(_index(view, "1.2", COL_SCORE), "")
    given = {i.code: i.appraised for i in appraisal.unit_appraisal(imported.ws, "X1").items}
    assert given["1.2"] is None and given["2.2"] == 2.0


def test_edit_through_the_table_editor(imported: Office, qtbot: QtBot) -> None:
    view = _view(imported, qtbot, "X2")
    view.show()
    index = _index(view, "2.1", COL_SCORE)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editors = view.table.viewport().findChildren(QLineEdit)
    assert len(editors) == 1
    editors[0].selectAll()
    qtbot.keyClicks(editors[0], "2,5")
    qtbot.keyClick(editors[0], Qt.Key.Key_Return)

    def saved() -> bool:  # the delegate commits through a queued call
        items = appraisal.unit_appraisal(imported.ws, "X2").items
        return {i.code: i.appraised for i in items}["2.1"] == 2.5

    qtbot.waitUntil(saved, timeout=3000)
    assert view.model.data(index) == "2,5" and "Đã lưu" in view.message.text()


def test_accept_item_area_and_whole_unit(imported: Office, qtbot: QtBot) -> None:
    view = _view(imported, qtbot, "X2")
    view.model.setData(_index(view, "1.2", COL_SCORE), "1")
    view.select_item("2.1")
    view.accept_item()
    view.select_item("1.1.1")
    view.accept_area()  # area 1: 1.1.1 and 1.1.2 set, 1.2 (already appraised) kept
    given = {i.code: i.appraised for i in appraisal.unit_appraisal(imported.ws, "X2").items}
    assert given == {"1.1.1": 1.0, "1.1.2": 0.5, "1.2": 1.0, "2.1": 1.5, "2.2": None}
    assert "2 tiêu chí" in view.message.text()
    view.select_unit("X3")
    view.accept_unit()
    done, todo = appraisal.unit_appraisal(imported.ws, "X3").progress
    assert done == todo == 4
    assert view.progress_bar.value() == 4
    assert view.unit_list.currentItem().text().startswith("✔ ")


def test_open_evidence_extracts_a_real_file(
    imported: Office, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True)
    )
    view = _view(imported, qtbot, "X1")
    view.select_item("1.1.1")
    assert view.evidence_table.rowCount() == 1
    assert view.evidence_table.item(0, 0).text() == "Biên bản kiểm tra.pdf"
    assert view.evidence_table.item(0, 1).text() == "trang 3"
    assert "Giải trình 1.1.1 của X1" in view.explanation.toPlainText()
    view.open_evidence()
    assert len(opened) == 1
    path = Path(opened[0].toLocalFile())
    assert path.is_file() and path.read_bytes() == SCAN
    assert "trang 3" in view.message.text()
    view.select_item("1.2")
    assert view.evidence_table.rowCount() == 0 and not view.open_button.isEnabled()


def test_accepting_over_an_appraisal_asks_first(
    imported: Office, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(imported, qtbot, "X2")
    view.model.setData(_index(view, "1.2", COL_SCORE), "1")
    view.select_item("1.2")
    asked: list[str] = []
    monkeypatch.setattr(view, "ask_overwrite", lambda item: asked.append(item.code) or False)
    view.accept_item()
    items = {i.code: i for i in appraisal.unit_appraisal(imported.ws, "X2").items}
    assert asked == ["1.2"] and items["1.2"].appraised == 1.0  # kept
    monkeypatch.setattr(view, "ask_overwrite", lambda item: True)
    view.accept_item()
    items = {i.code: i for i in appraisal.unit_appraisal(imported.ws, "X2").items}
    assert items["1.2"].appraised == items["1.2"].self_score == 1.5


def test_new_revision_marks_changed_items_for_reappraisal(imported: Office, qtbot: QtBot) -> None:
    appraisal.accept_self_scores(imported.ws, "X2")
    changed = dict(SCORES["X2"]) | {"1.2": 2.0}  # the unit revised 1.2 after appraisal
    (imported.root / "r2").mkdir()
    path = make_bundle(imported.root / "r2", "X2", imported.keypairs["X2"], changed, revision=2)
    assert import_bundle(imported.ws, path).status == "ok"
    view = _view(imported, qtbot, "X2")
    score = _index(view, "1.2", COL_SCORE)
    assert view.model.data(score).endswith(" ↻")
    assert "Cần thẩm định lại" in view.model.data(score, Qt.ItemDataRole.ToolTipRole)
    assert not view.model.data(_index(view, "2.1", COL_SCORE)).endswith("↻")
    done, todo = appraisal.unit_appraisal(imported.ws, "X2").progress
    assert (done, todo) == (3, 4)


def test_review_state_column_filters_and_setting_a_state(
    imported: Office, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    view = _view(imported, qtbot)
    view.select_item("1.2")
    view.state_combo.setCurrentIndex(view.state_combo.findData(ReviewState.EXPLAIN))
    view.set_state()  # a request needs its text: refused, nothing saved
    assert "phải có ghi chú" in view.message.text()
    assert view.model.data(_index(view, "1.2", COL_STATE)) == "Chưa thẩm định"
    view.state_note.setText("Giải trình số buổi tuyên truyền")
    view.set_state()
    assert view.model.data(_index(view, "1.2", COL_STATE)) == "Yêu cầu giải trình — Chưa trả lời"
    assert view.unit_list.currentItem().text().endswith("· chờ trả lời 1")  # at a glance
    assert view.model.data(_index(view, "1.2", COL_STATE), Qt.ItemDataRole.ToolTipRole) == (
        "Giải trình số buổi tuyên truyền"
    )
    qtmodeltester.check(view.model)

    view.filter_combo.setCurrentIndex(view.filter_combo.findData(ReviewState.EXPLAIN))
    assert [i.code for i in view.model.items] == ["1.2"]
    view.filter_combo.setCurrentIndex(0)
    assert len(view.model.items) == 5
    view.select_item("2.1")  # bulk: the whole area 2 (its survey item is left to the office)
    view.state_combo.setCurrentIndex(view.state_combo.findData(ReviewState.PASSED))
    view.set_state_area()
    assert view.message.text() == "Đã đặt trạng thái “Đạt” cho 1 tiêu chí (lĩnh vực 2)."
    assert view.model.data(_index(view, "2.1", COL_STATE)) == "Đạt"
    assert view.model.data(_index(view, "2.2", COL_STATE)) == "Chưa thẩm định"

    # X1 answers in revision 2: the column shows it, "changed" keeps only that item
    later = tmp_path / "r2"
    later.mkdir()
    answered = dict(SCORES["X1"])
    answered["1.2"] = 1.5
    path = make_bundle(later, "X1", imported.keypairs["X1"], answered, revision=2)
    assert import_bundle(imported.ws, path).status == "ok"
    view.show_unit("X1")
    view.changed_check.setChecked(True)
    assert [i.code for i in view.model.items] == ["1.1.1", "1.2"]  # scan gone, score changed
    assert view.model.data(_index(view, "1.2", COL_STATE)) == "Yêu cầu giải trình — Chưa trả lời"


def test_sending_preliminary_and_final_results(
    imported: Office, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _view(imported, qtbot)
    appraisal.accept_self_scores(imported.ws, "X1")
    view.show_unit("X1")
    view.select_item("1.2")
    view.state_combo.setCurrentIndex(view.state_combo.findData(ReviewState.SUPPLEMENT))
    view.state_note.setText("Bổ sung ảnh hội nghị")
    view.set_state()
    view.deadline_edit.setDate(QDate(2026, 3, 31))
    target = imported.root / "so-bo.zip"
    monkeypatch.setattr(view, "ask_save_path", lambda caption, suggested: target)

    def sign(dialog: SignDialog) -> bool:
        dialog.approver_edit.setText("Lê Thị Hoa")
        dialog.passphrase_edit.setText(PASS)
        dialog.start()
        qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
        return dialog.result_value is not None

    monkeypatch.setattr(view, "run_sign_dialog", sign)
    view.final_action.trigger()  # a request is still open: refused before any dialog
    assert "còn 1 tiêu chí đang chờ đơn vị trả lời (1.2)" in view.message.text()
    assert not target.exists()
    view.preliminary_action.trigger()
    assert view.message.text() == f"Đã ghi kết quả thẩm định sơ bộ: {target}"
    report = verify_bundle(target)
    section = read_cycle(report.assessment["extra"]["appraisal"])  # type: ignore[index]
    assert section is not None and section.kind == "preliminary"
    assert section.response_deadline == date(2026, 3, 31)
    assert [(s.code, s.note) for s in section.states] == [("1.2", "Bổ sung ảnh hội nghị")]

    view.state_combo.setCurrentIndex(view.state_combo.findData(ReviewState.PASSED))
    view.set_state()
    target = imported.root / "chinh-thuc.zip"
    view.final_action.trigger()
    assert view.message.text() == f"Đã ghi kết quả thẩm định chính thức: {target}"
    view.select_item("2.1")
    view.set_state()  # locked now
    assert "đã có kết quả thẩm định chính thức" in view.message.text()

    log = imported.root / "nhat-ky.xlsx"
    monkeypatch.setattr(view, "ask_save_path", lambda caption, suggested, pattern: log)
    view.audit_button.click()
    rows = list(load_workbook(log).active.iter_rows(values_only=True))[1:]
    assert view.message.text() == f"Đã ghi {len(rows)} thay đổi vào {log}"
    states = [(r[4], r[6], r[7], r[8]) for r in rows if r[5] == "Trạng thái thẩm định"]
    assert states == [
        ("1.2", None, "Yêu cầu bổ sung tài liệu", "Bổ sung ảnh hội nghị"),  # empty cells
        ("1.2", "Yêu cầu bổ sung tài liệu", "Đạt", None),
    ]
    assert rows[-1][5] == "Khóa kỳ đánh giá"


def _shown(view: AppraisalView) -> list[str]:
    items = [view.unit_list.item(n) for n in range(view.unit_list.count())]
    return [str(i.data(Qt.ItemDataRole.UserRole)) for i in items if not i.isHidden()]


def test_unit_search_and_filters(imported: Office, qtbot: QtBot, tmp_path: Path) -> None:
    """Issue 18: at 200 units the list needs a search (accents optional) and filters."""
    view = _view(imported, qtbot, "X1")
    assert _shown(view) == ["X1", "X2", "X3"]
    view.unit_search.setText("xa hai")  # "Xã Hai", typed without accents
    assert _shown(view) == ["X2"]
    assert view.unit_count.text() == "Hiện 1/3 đơn vị"
    view.unit_search.setText("")
    view.unit_filter.setCurrentIndex(view.unit_filter.findData("provisional"))
    assert _shown(view) == ["X1", "X2", "X3"]  # nothing appraised yet
    view.select_unit("X3")
    view.accept_unit()  # X3 fully appraised: it leaves the "not finished" filter at once
    assert _shown(view) == ["X1", "X2"]
    view.unit_filter.setCurrentIndex(view.unit_filter.findData("flagged"))
    assert _shown(view) == []
    # X3 sends revision 2 with another 1.2: its appraisal of 1.2 must be redone (a warning)
    later = tmp_path / "r2"
    later.mkdir()
    changed = dict(SCORES["X3"], **{"1.2": 1.0})
    path = make_bundle(later, "X3", imported.keypairs["X3"], changed, revision=2)
    assert import_bundle(imported.ws, path).status == "unverified_key"  # X3 is not enrolled
    imported.session.notify(Changes(inbox=True))
    c = consolidation.consolidate(imported.ws, None, with_previous=False)
    assert [r.result.unit_code for r in c.rows if r.result.warnings] == ["X3"]
    assert _shown(view) == ["X3"]
    view.unit_filter.setCurrentIndex(0)
    assert _shown(view) == ["X1", "X2", "X3"] and view.unit_count.text() == "3 đơn vị"


def test_appraisal_edits_undo_and_redo_on_the_office_stack(imported: Office, qtbot: QtBot) -> None:
    """Issue 18: appraisal edits are undoable, on the office screen's own stack, and the
    status text says what is undone."""
    view = _view(imported, qtbot, "X2")
    stack = imported.session.stack(OFFICE)

    def given(code: str) -> tuple[float | None, str]:
        item = next(i for i in appraisal.unit_appraisal(imported.ws, "X2").items if i.code == code)
        return item.appraised, item.comment

    assert view.model.setData(_index(view, "1.2", COL_SCORE), "1")
    assert view.model.setData(_index(view, "1.2", COL_COMMENT), "Thiếu một báo cáo quý")
    assert given("1.2") == (1.0, "Thiếu một báo cáo quý")
    assert stack.count() == 2 and imported.session.undo_stack.count() == 0
    assert stack.undoText() == "nhận xét tiêu chí 1.2 (X2): 1 → 1"
    stack.undo()
    assert given("1.2") == (1.0, "")
    assert stack.undoText() == "điểm thẩm định tiêu chí 1.2 (X2): trống → 1"
    stack.undo()
    assert given("1.2") == (None, "")
    shown = next(i for i in view.model.items if i.code == "1.2")  # the table shows it too
    assert shown.appraised is None
    view.select_unit("X1")  # redo from another unit: the view goes back to X2's item
    stack.redo()
    assert given("1.2") == (1.0, "")
    assert view.unit_code == "X2" and view.current_item() is not None
    assert view.current_item().code == "1.2"  # type: ignore[union-attr]
    stack.redo()
    assert given("1.2") == (1.0, "Thiếu một báo cáo quý")
    assert appraisal.unit_appraisal(imported.ws, "X1").items[0].appraised is None  # untouched
