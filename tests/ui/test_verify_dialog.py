"""Verify dialog: a valid bundle, a tampered one naming the file, a dropped file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from parapp.interchange.bundle import evidence_path
from parapp.services import unit_keys
from parapp.services.commune.submission import export_bundle
from parapp.ui.session import Session
from parapp.ui.verify_dialog import (
    NOT_PINNED_TEXT,
    PLAIN_FAILED,
    REJECTED_TEXT,
    VALID_TEXT,
    VerifyDialog,
)

PASSPHRASE = "mat-khau-cua-phuong"
EVIDENCE_NAME = "Báo cáo quý III.pdf"
#: the verifier's words an officer should not have to read (they stay under "Chi tiết")
TECHNICAL = ("BagIt", "SHA-256", "mã băm", "manifest", "Payload-Oxum", "data/", ".txt", "_")
NO_MODIFIER = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def bundle(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real signed bundle of the demo commune with one evidence file."""
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    ws = session.ws
    code = next(c.code for c in ws.current_framework().leaves() if not c.survey_only)
    ws.set_answer(code, self_score=0.5, explanation="Đã thực hiện đầy đủ.")
    scan = tmp_path / EVIDENCE_NAME
    scan.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    ws.add_evidence(code, scan)
    unit_keys.create_key(ws, PASSPHRASE)
    out = tmp_path / "nop"
    out.mkdir()
    _rev, result = export_bundle(
        ws,
        out,
        unit_keys.unlock(ws, PASSPHRASE),
        "Trần Thị Bình",
        "Chủ tịch UBND",
        confirm_all_unscored=True,
    )
    return result.path


def _tampered(bundle: Path, session: Session, tmp_path: Path) -> tuple[Path, str]:
    """A copy of ``bundle`` with one byte of the evidence file flipped (zip rewritten)."""
    link = next(a for a in session.ws.answers().values() if a.evidence).evidence[0]
    target = evidence_path(link.sha256, link.file_name)
    bad = tmp_path / "hoso-bi-sua.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        assert any(n.endswith(target) for n in names), names
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(target):
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            dst.writestr(info, data)
    return bad, target


def _verified(dlg: VerifyDialog, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=20000)
    assert dlg.report is not None


@pytest.fixture
def dialog(session: Session, qtbot: QtBot) -> VerifyDialog:
    dlg = VerifyDialog(session)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_valid_bundle_is_accepted_with_details(
    dialog: VerifyDialog, bundle: Path, session: Session, qtbot: QtBot
) -> None:
    dialog.ask_file = lambda: bundle  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    _verified(dialog, qtbot)
    assert dialog.verdict_label.text().endswith(VALID_TEXT)
    rows = dialog.check_rows()
    assert rows and all(result == "ĐẠT" for result, _step, _msg in rows)
    assert ("ĐẠT", "Chữ ký số") in [(r, s) for r, s, _m in rows]
    visible = " ".join(" ".join(row) for row in rows)
    assert not [t for t in TECHNICAL if t in visible], visible
    status = unit_keys.key_status(session.ws)
    assert status is not None
    assert status.fingerprint in dialog.signer_label.text()
    assert NOT_PINNED_TEXT in dialog.signer_label.text()  # the commune enrolled no key
    assert dialog.unit_label.text().startswith("Phường Điện Bàn")
    assert dialog.period_label.text() == session.ws.require_assessment().period
    assert dialog.revision_label.text() == "Lần thứ 1"
    assert "Trần Thị Bình" in dialog.approver_label.text()


def test_tampered_evidence_is_rejected_in_plain_words_with_the_file_in_the_detail(
    dialog: VerifyDialog, bundle: Path, session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    bad, target = _tampered(bundle, session, tmp_path)
    dialog.verify(bad)
    _verified(dialog, qtbot)
    assert dialog.report is not None and not dialog.report.ok
    verdict = dialog.verdict_label.text()
    assert verdict == f"✘ {REJECTED_TEXT}: {PLAIN_FAILED['payload']}"
    failing = [row for row in dialog.check_rows() if row[0] == "LỖI"]
    assert failing == [("LỖI", "Tài liệu không bị sửa đổi", PLAIN_FAILED["payload"])]
    visible = " ".join(" ".join(row) for row in dialog.check_rows()) + verdict
    assert not [t for t in TECHNICAL if t in visible], visible
    # the technical detail (path inside the bag, the check's code) is folded away
    assert not dialog.detail_view.isVisible() and dialog.detail_button.isEnabled()
    qtbot.mouseClick(dialog.detail_button, Qt.MouseButton.LeftButton)
    assert dialog.detail_view.isVisible()
    detail = dialog.detail_view.toPlainText()
    assert target in detail and f"[{dialog.report.failure_code}]" in detail
    assert "SHA-256" in detail  # the passed payload/bagit checks keep their own words there


def test_dropping_a_file_verifies_it(dialog: VerifyDialog, bundle: Path, qtbot: QtBot) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bundle))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, NO_MODIFIER)
    # QWidget.event delivers straight to the handlers; QApplication.sendEvent would drop a
    # Drop that no real drag (QDrag) started.
    text_only = QMimeData()
    text_only.setText("không phải tệp")
    refused = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, text_only, *args[2:])
    dialog.event(refused)
    assert not refused.isAccepted() and not dialog.busy()
    event = QDropEvent(QPointF(20, 20), *args)
    assert dialog.event(event) and event.isAccepted()
    assert bundle.name in dialog.file_label.text()
    _verified(dialog, qtbot)
    assert dialog.report is not None and dialog.report.ok
    assert dialog.report.path == bundle


def test_a_bundle_passed_on_the_command_line_is_checked_at_once(
    bundle: Path, session: Session, qtbot: QtBot
) -> None:
    """Explorer's double-click runs ``ParApp.exe FILE``: the CLI hands it to the app, which
    opens the check dialog on it."""
    from PySide6.QtWidgets import QApplication, QWidget

    from parapp.app import _open_bundle
    from parapp.cli import gui, main

    seen: list[list[str]] = []
    original = gui.launch
    gui.launch = lambda argv: seen.append(argv) or 0  # type: ignore[assignment]
    try:
        assert main([str(bundle)]) == 0
    finally:
        gui.launch = original
    assert seen == [["--open", str(bundle)]]

    window = QWidget()
    qtbot.addWidget(window)
    _open_bundle(session, window, bundle)
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, VerifyDialog)]
    assert dialogs
    _verified(dialogs[-1], qtbot)
    assert dialogs[-1].report is not None and dialogs[-1].report.ok
    dialogs[-1].close()
