"""Keys dialog: create, the fingerprint shown, export the public key, rotate."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from parapp.interchange import key_rotation, keys
from parapp.services import unit_keys
from parapp.ui.keys_dialog import KeysDialog, PassphraseDialog, format_created
from parapp.ui.session import Session

PASSPHRASE = "mat-khau-cua-phuong"
NEW_PASSPHRASE = "mat-khau-moi-nam-2026"
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def _cheap_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")


@pytest.fixture
def dialog(session: Session, qtbot: QtBot) -> KeysDialog:
    dlg = KeysDialog(session)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_create_shows_fingerprint_and_exports_public_key(
    dialog: KeysDialog, session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    assert dialog.fingerprint_text() == "Chưa có khóa"
    assert dialog.create_button.isVisible()
    assert not dialog.export_button.isEnabled() and not dialog.rotate_button.isEnabled()

    dialog.ask_new_passphrase = lambda: PASSPHRASE  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.create_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    status = unit_keys.key_status(session.ws)
    assert status is not None
    assert dialog.fingerprint_text() == status.fingerprint
    assert status.fingerprint in dialog.message_label.text()
    assert not dialog.create_button.isVisible()
    assert format_created(status.created_at) in dialog.details_label.text()
    assert status.public.key_id_hex in dialog.details_label.text()
    unit_keys.unlock(session.ws, PASSPHRASE)  # the key really opens with that passphrase

    out = tmp_path / "khoa" / "phuong.pub"
    out.parent.mkdir()
    dialog.ask_public_key_path = lambda: out  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.export_button, LEFT)
    assert out.is_file()
    assert keys.read_public_key(out) == status.public
    assert str(out) in dialog.message_label.text()

    # reopening shows the same fingerprint
    again = KeysDialog(session)
    qtbot.addWidget(again)
    assert again.fingerprint_text() == status.fingerprint


def test_rotate_wrong_then_right_passphrase(
    dialog: KeysDialog, session: Session, qtbot: QtBot
) -> None:
    old = unit_keys.create_key(session.ws, PASSPHRASE)
    dialog.refresh()
    assert dialog.fingerprint_text() == old.fingerprint

    dialog.ask_rotation = lambda: ("sai-mat-khau", NEW_PASSPHRASE)  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.rotate_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    assert "Mật khẩu không đúng" in dialog.message_label.text()
    assert dialog.fingerprint_text() == old.fingerprint

    dialog.ask_rotation = lambda: (PASSPHRASE, NEW_PASSPHRASE)  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.rotate_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    new = unit_keys.key_status(session.ws)
    assert new is not None and new.fingerprint != old.fingerprint
    assert dialog.fingerprint_text() == new.fingerprint
    statement = dialog.last_statement
    assert statement is not None and statement.is_file()
    assert str(statement) in dialog.message_label.text()
    assert key_rotation.verify_rotation_statement(statement.read_text(), old.public) == new.public
    unit_keys.unlock(session.ws, NEW_PASSPHRASE)


def test_passphrase_dialog_validates(qtbot: QtBot) -> None:
    dlg = PassphraseDialog("Đổi khóa ký số", ask_old=True)
    qtbot.addWidget(dlg)
    dlg.accept()
    assert dlg.error_label.text() == "Chưa nhập mật khẩu khóa hiện tại."
    assert dlg.result() != PassphraseDialog.DialogCode.Accepted
    assert dlg.old_edit is not None
    dlg.old_edit.setText(PASSPHRASE)
    dlg.new_edit.setText("ngan")
    dlg.accept()
    assert "ít nhất 8 ký tự" in dlg.error_label.text()
    dlg.new_edit.setText(NEW_PASSPHRASE)
    dlg.again_edit.setText(NEW_PASSPHRASE + "!")
    dlg.accept()
    assert "không giống nhau" in dlg.error_label.text()
    dlg.again_edit.setText(NEW_PASSPHRASE)
    dlg.accept()
    assert dlg.result() == PassphraseDialog.DialogCode.Accepted
    assert (dlg.old_passphrase(), dlg.new_passphrase()) == (PASSPHRASE, NEW_PASSPHRASE)
