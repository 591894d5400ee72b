"""The "Cập nhật trạng thái" dialog of a task: new status, a note, optionally a proof file.

The dialog only collects the officer's input; the task screen stores the file and writes the
status through the workspace, so the dialog can be tested without a workspace and without a
native file dialog (``choose_file`` is the one place that opens it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.models.tasks import Task, TaskStatus


@dataclass(frozen=True)
class StatusUpdate:
    status: TaskStatus
    note: str
    evidence_path: Path | None


class TaskStatusDialog(QDialog):
    """Asks for the new status of ``task``; read :meth:`result_update` after ``accept``."""

    def __init__(self, task: Task, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Cập nhật trạng thái nhiệm vụ {task.code}")
        self.setMinimumWidth(520)
        self._evidence: Path | None = None

        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{task.code}</b> — {task.title}")
        title.setWordWrap(True)
        layout.addWidget(title)

        form = QFormLayout()
        self.status_combo = QComboBox()
        for status in TaskStatus:
            self.status_combo.addItem(status.label, status.value)
        self.status_combo.setCurrentIndex(self.status_combo.findData(task.status.value))
        form.addRow("&Trạng thái:", self.status_combo)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("Kết quả đã đạt, văn bản đã ban hành, vướng mắc…")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlainText(task.note)
        self.note_edit.setMinimumHeight(90)
        form.addRow("&Ghi chú:", self.note_edit)

        file_row = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText("(không bắt buộc)")
        self.choose_button = QPushButton("&Chọn tệp…")
        self.choose_button.clicked.connect(self._on_choose)
        self.clear_button = QPushButton("&Bỏ tệp")
        self.clear_button.clicked.connect(lambda: self.set_evidence(None))
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.clear_button)
        form.addRow("Tệp &kết quả:", file_row)
        layout.addLayout(form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Lưu")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.set_evidence(None)

    def choose_file(self) -> Path | None:
        """Open the native file dialog (monkeypatched in tests)."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Chọn tệp kết quả",
            "",
            "Tài liệu (*.pdf *.jpg *.jpeg *.png *.doc *.docx *.xls *.xlsx);;Mọi tệp (*)",
        )
        return Path(name) if name else None

    def _on_choose(self) -> None:
        path = self.choose_file()
        if path is not None:
            self.set_evidence(path)

    def set_evidence(self, path: Path | None) -> None:
        self._evidence = path
        self.file_edit.setText(path.name if path else "")
        self.file_edit.setToolTip(str(path) if path else "")
        self.clear_button.setEnabled(path is not None)

    def result_update(self) -> StatusUpdate:
        status = TaskStatus(str(self.status_combo.currentData()))
        return StatusUpdate(status, self.note_edit.toPlainText().strip(), self._evidence)
