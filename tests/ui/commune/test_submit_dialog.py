"""Submit dialog: create a key, approver, wrong then right passphrase, a verifiable bundle."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.interchange.bundle import verify_bundle
from parapp.services import unit_keys
from parapp.services.changes import Changes
from parapp.services.commune.submission import bundle_file_name, revisions
from parapp.ui.commune.submit_dialog import (
    CODE_ROLE,
    PAGE_APPROVER,
    PAGE_CHECK,
    PAGE_DONE,
    PAGE_KEY,
    WRONG_PASSPHRASE_TEXT,
    SubmitDialog,
)
from parapp.ui.session import Session
from tests.system_tools import tool

PASSPHRASE = "mat-khau-cua-phuong"
APPROVER = "Trần Thị Bình"
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def _cheap_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")


def _leaves(session: Session) -> list[str]:
    return [c.code for c in session.ws.current_framework().leaves() if not c.survey_only]


def _fill(session: Session, evidence: Path) -> str:
    """Score two items and attach one real file; return the item with the file."""
    ws = session.ws
    first, second = _leaves(session)[:2]
    ws.set_answer(first, self_score=0.5, explanation="Đã ban hành đúng hạn.")
    ws.set_answer(second, self_score=0.25, explanation="Còn chậm 01 báo cáo.")
    evidence.write_bytes(b"%PDF-1.4\n" + "Quyết định số 12/QĐ-UBND".encode() * 200)
    ws.add_evidence(first, evidence, ref="Trang 1")
    return first


def _dialog(session: Session, qtbot: QtBot, out: Path) -> SubmitDialog:
    dlg = SubmitDialog(session)
    qtbot.addWidget(dlg)
    dlg.ask_folder = lambda: out  # type: ignore[method-assign]
    dlg.show()
    return dlg


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_create_key_wrong_then_right_passphrase_writes_verifiable_bundle(
    session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    ws = session.ws
    _fill(session, tmp_path / "Quyết định 12.pdf")
    out = tmp_path / "nop"
    out.mkdir()
    changes: list[Changes] = []
    session.changed.connect(changes.append)
    dlg = _dialog(session, qtbot, out)

    # (a) nothing blocks: warnings only, grouped by kind with counts
    assert dlg.page() == PAGE_CHECK
    assert dlg.check.blocking == [] and dlg.check.warnings
    groups = [dlg.problem_tree.topLevelItem(i) for i in range(dlg.problem_tree.topLevelItemCount())]
    assert any(g is not None and g.text(0).endswith("chưa tự chấm") for g in groups)
    # unscored items: one check box per area, Next only when every area is confirmed
    assert dlg.unscored_box.isVisible() and dlg.unscored_checks
    assert set(dlg.unscored_checks) == set(dlg.check.unscored)
    assert not dlg.next_button.isEnabled()
    boxes = list(dlg.unscored_checks.values())
    for box in boxes[:-1]:
        box.setChecked(True)
    assert not dlg.next_button.isEnabled()
    boxes[-1].setChecked(True)
    assert dlg.next_button.isEnabled()
    qtbot.mouseClick(dlg.next_button, LEFT)

    # (b) approver: required; the file name and the revision to be frozen are shown
    assert dlg.page() == PAGE_APPROVER
    assert dlg.position_edit.text() == "Chủ tịch UBND"
    assert not dlg.next_button.isEnabled()
    qtbot.mouseClick(dlg.folder_button, LEFT)
    assert dlg.folder_edit.text() == str(out)
    dlg.approver_edit.setText(APPROVER)  # QTest.keyClicks aborts on non-Latin-1 text
    unit = ws.require_unit()
    period = ws.require_assessment().period
    expected_name = bundle_file_name(unit.code, period, 1)
    assert dlg.file_name_label.text() == expected_name
    assert "Lần nộp thứ 1" in dlg.revision_label.text()
    qtbot.mouseClick(dlg.next_button, LEFT)

    # (c) no key yet: create one here (validated), then its fingerprint is shown
    assert dlg.page() == PAGE_KEY
    assert dlg.create_box.isVisible() and not dlg.passphrase_edit.isEnabled()
    assert not dlg.next_button.isEnabled()
    qtbot.keyClicks(dlg.new_pass_edit, "ngan")
    qtbot.keyClicks(dlg.new_pass2_edit, "ngan")
    qtbot.mouseClick(dlg.create_button, LEFT)
    assert "ít nhất 8 ký tự" in dlg.create_error.text()
    assert unit_keys.key_status(ws) is None
    dlg.new_pass_edit.setText(PASSPHRASE)
    dlg.new_pass2_edit.setText(PASSPHRASE + "x")
    qtbot.mouseClick(dlg.create_button, LEFT)
    assert "không giống nhau" in dlg.create_error.text()
    dlg.new_pass2_edit.setText(PASSPHRASE)
    qtbot.mouseClick(dlg.create_button, LEFT)
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=30000)
    status = unit_keys.key_status(ws)
    assert status is not None
    assert status.fingerprint in dlg.key_info.text()
    assert not dlg.create_box.isVisible() and dlg.passphrase_edit.isEnabled()

    # (d) a wrong passphrase comes back to this page, in red, and writes nothing
    dlg.passphrase_edit.setText("sai-mat-khau")
    qtbot.mouseClick(dlg.next_button, LEFT)
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=30000)
    assert dlg.page() == PAGE_KEY
    assert dlg.passphrase_error.text() == WRONG_PASSPHRASE_TEXT
    assert list(out.iterdir()) == []
    assert revisions(ws) == []

    dlg.passphrase_edit.setText(PASSPHRASE)
    assert dlg.passphrase_error.text() == ""
    qtbot.mouseClick(dlg.next_button, LEFT)
    qtbot.waitUntil(lambda: dlg.page() == PAGE_DONE, timeout=30000)
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=5000)

    # (e) done: the file, revision 1, hash and fingerprint; the views were told
    bundle = out / expected_name
    assert bundle.is_file()
    assert dlg.done_path.text() == str(bundle)
    assert dlg.done_revision.text().startswith("Lần thứ 1")
    assert dlg.done_fingerprint.text() == status.fingerprint
    assert dlg.done_hash.toolTip() == revisions(ws)[0].bundle_sha256
    assert dlg.done_hash.text().replace(" ", "") == revisions(ws)[0].bundle_sha256[:16].upper()
    assert [r.revision for r in revisions(ws)] == [1]
    assert revisions(ws)[0].approver == APPROVER
    assert any(c.assessment for c in changes)
    report = verify_bundle(bundle, status.public, ws.frameworks.hashes())
    assert report.ok, report.first_failure
    assert report.info is not None and report.info.approver == APPROVER
    assert report.info.revision == 1
    assert not dlg.size_warning.isVisible()  # a small bundle: fine for e-mail

    # (f) sign the report without leaving ParApp: printed with this revision's seal, then
    # the signing dialog (token or PKCS#12) opens on it
    opened: list[object] = []
    dlg.run_sign_dialog = opened.append  # type: ignore[method-assign]
    qtbot.mouseClick(dlg.sign_button, LEFT)
    assert len(opened) == 1
    pdf = opened[0].pdf  # type: ignore[attr-defined]
    assert pdf == out / "bao-cao-tu-danh-gia-lan-1.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    assert "DỰ THẢO" not in _pdf_text(pdf)  # the data match revision 1: sealed, not a draft
    opened[0].deleteLater()  # type: ignore[attr-defined]
    qtbot.mouseClick(dlg.next_button, LEFT)
    assert not dlg.isVisible()

    # opening again: approver pre-filled, nothing changed since revision 1
    again = _dialog(session, qtbot, out)
    assert again.approver_edit.text() == APPROVER
    again.show_page(PAGE_APPROVER)
    assert "Không có thay đổi kể từ lần nộp thứ 1" in again.revision_label.text()
    assert again.file_name_label.text() == expected_name
    first = _leaves(session)[0]
    ws.set_answer(first, explanation="Đã ban hành đúng hạn, có bổ sung.")
    again.show_page(PAGE_APPROVER)
    assert "Lần nộp thứ 2" in again.revision_label.text()
    assert again.file_name_label.text() == bundle_file_name(unit.code, period, 2)


def test_blocking_problem_disables_next_and_jumps_to_item(
    session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    code = _fill(session, tmp_path / "Quyết định 12.pdf")
    link = session.ws.answer(code).evidence[0]
    session.ws.evidence_path(link.sha256).unlink()  # the stored copy disappeared

    dlg = _dialog(session, qtbot, tmp_path)
    assert [p.code for p in dlg.check.blocking] == [code]
    assert not dlg.next_button.isEnabled()
    dlg.go_next()
    assert dlg.page() == PAGE_CHECK
    assert "1 lỗi phải sửa" in dlg.check_summary.text()
    row = dlg.problem_tree.currentItem()
    assert row is not None and row.data(0, CODE_ROLE) == code
    assert "Quyết định 12.pdf" in row.text(0)
    assert row.foreground(0).color().name() == "#c5221f"

    selected: list[str] = []
    session.current_item_changed.connect(selected.append)
    dlg.problem_tree.setFocus()
    qtbot.keyClick(dlg.problem_tree, Qt.Key.Key_Return)
    assert selected == [code]
    QApplication.processEvents()
    assert not dlg.isVisible()


def test_main_window_wiring_and_tree_only_on_item_tab(session: Session, qtbot: QtBot) -> None:
    from parapp.ui.main_window import MainWindow

    w = MainWindow(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.submit_action.shortcut().toString() == "Ctrl+Shift+S"
    assert w.print_action.shortcut().toString() == "Ctrl+P"
    file_menu = w.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]  # type: ignore[union-attr]
    for text in ("&Nộp hồ sơ…", "Kiểm &tra hồ sơ…", "Khóa ký s&ố…", "&In biểu mẫu, báo cáo…"):
        assert text in texts
    qtbot.waitUntil(w.key_hint.isVisible)  # filled in just after the window shows
    assert "Khóa ký số" in w.key_hint.text()

    assert w.left_pane.isVisible()
    w.tabs.setCurrentIndex(1)
    assert not w.left_pane.isVisible()
    w.tabs.setCurrentIndex(2)
    assert not w.left_pane.isVisible()
    target = _leaves(session)[5]
    session.select_item(target)  # e.g. from the submit dialog's problem list
    assert w.tabs.currentIndex() == 0 and w.left_pane.isVisible()
    assert w.current_code == target

    unit_keys.create_key(session.ws, PASSPHRASE)
    session.notify(Changes(assessment=True))
    assert not w.key_hint.isVisible()
    w.close()


def test_evidence_buttons_visible_at_1366x768_without_scrolling(
    session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtCore import QPoint

    from parapp.ui.main_window import MainWindow

    code = _fill(session, tmp_path / "Quyết định 12.pdf")
    second = tmp_path / "Báo cáo quý III.pdf"
    second.write_bytes(b"%PDF-1.4\n" + b"bao cao" * 500)
    session.ws.add_evidence(code, second, ref="Mục II")
    w = MainWindow(session)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.select_code(code)
    qtbot.wait(50)
    assert w.height() == 768
    assert w.evidence.table.rowCount() == 2
    viewport = w.item_scroll.viewport()
    bottom = w.evidence.add_button.mapTo(viewport, QPoint(0, w.evidence.add_button.height()))
    assert w.item_scroll.verticalScrollBar().maximum() == 0  # nothing to scroll
    assert bottom.y() <= viewport.height()
    w.close()


def test_after_the_parents_requests_a_supplement_carries_only_new_evidence(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from parapp.models.review import ReviewState
    from parapp.services.commune import requests
    from parapp.services.office import review
    from parapp.services.office.supplements import import_any
    from tests.services.cycle_helpers import PASS, make_cycle

    cycle = make_cycle(tmp_path / "cycle")
    try:
        x2 = cycle.communes["X2"]  # revision 1 carried an inspection scan
        session = Session(x2)
        out = tmp_path / "gui"
        out.mkdir()
        before = _dialog(session, qtbot, out)
        before.show_page(PAGE_APPROVER)
        assert not before.supplement_check.isVisible()  # no requests yet: a whole bundle

        review.set_state(cycle.office, "X2", "1.2", ReviewState.SUPPLEMENT, "Bổ sung ảnh")
        prelim = review.export_result(cycle.office, "X2", cycle.root, cycle.office_key, "Hoa")
        requests.import_result(x2, prelim.path)
        photo = tmp_path / "ảnh hội nghị.jpg"
        photo.write_bytes(b"\xff\xd8" + b"p" * 5000)
        x2.add_evidence("1.2", photo)

        dlg = _dialog(session, qtbot, out)
        dlg.show_page(PAGE_APPROVER)
        assert dlg.supplement_check.isVisible()
        qtbot.mouseClick(dlg.folder_button, LEFT)
        dlg.approver_edit.setText(APPROVER)
        dlg.supplement_check.setChecked(True)
        assert dlg.file_name_label.text().endswith("-r2-bosung-tu-lan-1.zip")
        qtbot.mouseClick(dlg.next_button, LEFT)
        assert dlg.page() == PAGE_KEY
        dlg.passphrase_edit.setText(PASS)
        qtbot.mouseClick(dlg.next_button, LEFT)
        qtbot.waitUntil(lambda: dlg.page() == PAGE_DONE, timeout=30000)
        qtbot.waitUntil(lambda: not dlg.busy(), timeout=5000)

        (sent,) = out.iterdir()
        assert sent.name == dlg.file_name_label.text() and dlg.done_path.text() == str(sent)
        assert "bổ sung" in dlg.done_label.text()
        assert dlg.done_revision.text().startswith("Lần thứ 2")
        full = x2.data_dir / "supplements" / "hoso-X2-2026-r2.zip"
        assert full.is_file() and sent.stat().st_size < full.stat().st_size
        # the office, holding revision 1, completes the supplement and takes revision 2
        entry = import_any(cycle.office, sent)
        assert (entry.status, entry.revision) == ("ok", 2), entry.reason
    finally:
        cycle.close()
