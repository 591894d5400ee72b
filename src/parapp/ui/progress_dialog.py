"""A modal progress dialog for a background job: a label, a bar (bytes) and “Hủy”.

Shared by both sides of the app (backup and restore in the main window, the office's inbox
import): the job runs off the GUI thread through :class:`BackgroundTask`; the dialog only
shows progress and offers Cancel, and reports how it ended.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn


class ProgressDialog(QDialog):
    """Modal while a background job runs: a label, a progress bar (bytes) and “Hủy”.

    ``run(job)`` starts the job; ``finished``/``failed``/``cancelled`` of the task are
    re-emitted as :attr:`outcome` ``(kind, payload)`` and the dialog closes itself.
    """

    outcome = Signal(str, object)  # "finished" | "failed" | "cancelled", result or Failure

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("&Hủy")
        self.cancel_button.clicked.connect(self._cancel)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        self.task: BackgroundTask | None = None

    def run(self, job: Callable[[ProgressFn, CancelFn], Any]) -> BackgroundTask:
        task = BackgroundTask(job, self)
        task.progress.connect(self._progress)
        task.finished.connect(lambda result: self._end("finished", result))
        # the payload of a failure is its Failure (plain text, and the detail for "Chi tiết")
        task.failed.connect(lambda message: self._end("failed", task.failure or message))
        task.cancelled.connect(lambda: self._end("cancelled", None))
        self.task = task
        self.open()
        task.start()
        return task

    def busy(self) -> bool:
        return self.task is not None

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000)  # keep within a QProgressBar's int range
            self.bar.setRange(0, total // scale)
            self.bar.setValue(done // scale)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Đang dừng sau tệp đang xử lý…")

    def reject(self) -> None:
        """Escape or closing the window cancels the job instead of hiding the dialog."""
        if self.task is not None:
            self._cancel()
            return
        super().reject()

    def _end(self, kind: str, payload: object) -> None:
        self.task = None
        self.accept()
        self.outcome.emit(kind, payload)
