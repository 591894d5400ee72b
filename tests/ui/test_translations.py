"""Qt's own strings read Vietnamese: buttons, message boxes, file dialogs, text menus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWizard,
)
from pytestqt.qtbot import QtBot

REPO = Path(__file__).resolve().parents[2]


def test_dialog_buttons_read_vietnamese(qtbot: QtBot) -> None:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Close
    )
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Đồng ý", "Hủy", "Lưu", "Đóng"}


def test_message_box_buttons_read_vietnamese(qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Tiếp tục?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert {"Có", "Không"} <= texts
    assert "Xem chi tiết…" in texts


def test_text_field_menu_reads_vietnamese(qtbot: QtBot) -> None:
    edit = QLineEdit("abc")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    labels = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert {"Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"} <= set(labels)


def test_qt_file_dialog_reads_vietnamese(qtbot: QtBot) -> None:
    dialog = QFileDialog(None, "Chọn tệp")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = {w.text().replace("&", "") for w in dialog.findChildren(QLabel)}
    assert {"Tìm trong:", "Tên tệp:", "Loại tệp:"} <= labels


def test_wizard_buttons_read_vietnamese(qtbot: QtBot) -> None:
    wizard = QWizard()
    qtbot.addWidget(wizard)
    texts = {
        wizard.buttonText(b).replace("&", "")
        for b in (QWizard.WizardButton.CancelButton, QWizard.WizardButton.FinishButton)
    }
    assert texts == {"Hủy", "Hoàn tất"}


def test_the_committed_catalogue_is_built_from_its_source(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_translations.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    built = tmp_path / "qtbase_vi.qm"
    committed = REPO / "resources" / "translations" / "qtbase_vi.qm"
    assert built.read_bytes() == committed.read_bytes()
