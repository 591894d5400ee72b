"""The one "open evidence" action of the UI: open only real documents, else offer to save.

The decision is :func:`parapp.services.evidence_opening.decide` (content sniffed from the
bytes, never from the name); this module only adds the Qt calls, so every button that opens
an evidence file (the commune's evidence panel, the office's appraisal view) behaves alike.
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets  # dialogs' classes built on first use (parapp.ui.messages)
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from parapp.services import evidence_opening
from parapp.ui import messages

TITLE = "Không mở tệp này"


def open_evidence_file(parent: QWidget | None, source: Path, shown_name: str) -> tuple[bool, str]:
    """Open ``source`` with the system viewer when allowed; otherwise warn and offer to save
    a copy elsewhere. Returns (opened, Vietnamese message for the status line).

    Raises :class:`~parapp.models.errors.ParAppError` when a copy cannot be written.
    """
    target, decision = evidence_opening.viewer_copy(source, shown_name)
    if target is not None:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            return True, f"Đã mở “{decision.name}”"
        return False, (
            f"Không mở được “{decision.name}”: máy chưa có chương trình xem loại tệp này."
        )
    answer = messages.ask(
        parent,
        TITLE,
        f"{decision.warning}\n\nLưu tệp ra thư mục khác?",
        QtWidgets.QMessageBox.StandardButton.Save | QtWidgets.QMessageBox.StandardButton.Cancel,
        QtWidgets.QMessageBox.StandardButton.Cancel,
        QtWidgets.QMessageBox.Icon.Warning,
    )
    if answer != QtWidgets.QMessageBox.StandardButton.Save:
        return False, decision.warning
    chosen, _ = QtWidgets.QFileDialog.getSaveFileName(
        parent, "Lưu tài liệu", str(Path.home() / decision.name)
    )
    if not chosen:
        return False, decision.warning
    evidence_opening.save_copy(source, Path(chosen))
    return False, f"Đã lưu “{decision.name}” vào “{chosen}” (ParApp không mở tệp này)."
