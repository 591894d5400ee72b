"""The "Tiêu chí liên quan" dialog of a task: which criteria of the framework it serves.

The dialog only collects the codes; the task screen writes them through the workspace,
which checks them against the current framework, so the dialog is tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from parapp.models.framework import Criterion
from parapp.models.tasks import Task


class TaskCriteriaDialog(QDialog):
    """Asks for the criteria codes of ``task``; read :meth:`codes_text` after ``accept``."""

    def __init__(
        self, task: Task, criteria: Sequence[Criterion], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Tiêu chí liên quan của nhiệm vụ {task.code}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{task.code}</b> — {task.title}")
        title.setWordWrap(True)
        layout.addWidget(title)
        hint = QLabel(
            "Ghi mã các tiêu chí mà nhiệm vụ này phục vụ, cách nhau bằng dấu phẩy "
            "(ví dụ: 1.1, 3.2.1). Để trống nếu nhiệm vụ không gắn với tiêu chí nào."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.codes_edit = QLineEdit(", ".join(task.criteria_codes))
        self.codes_edit.setClearButtonEnabled(True)
        completer = QCompleter([c.code for c in criteria], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.codes_edit.setCompleter(completer)
        hint.setBuddy(self.codes_edit)
        layout.addWidget(self.codes_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def codes_text(self) -> str:
        return self.codes_edit.text()
