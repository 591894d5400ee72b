"""Pieces the receiving office's views share: colours, the inline message line, the unit
search and filter of a list or table, the modal progress dialog of a background job, and the
sign-and-write dialog (approver + passphrase).

Messages are shown inline (never a blocking box) so an officer keeps the table in view and
tests can read them; the long jobs (importing, signing) run in a :class:`BackgroundTask`
behind a *modal* dialog, so nothing else uses the workspace's connection meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import Cancelled, WrongPassphrase
from parapp.models.text import matches
from parapp.services import unit_keys
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

if TYPE_CHECKING:  # annotations only: the UI reaches these layers through services
    from parapp.interchange.keys import KeyPair

RED = "#c5221f"
GREEN = "#188038"
AMBER = "#b06000"
GREY = "#5f6368"
OK_BG = QColor("#e6f4ea")
WARN_BG = QColor("#fef7e0")
BAD_BG = QColor("#fce8e6")
MUTED_BG = QColor("#f1f3f4")
DIFF_BG = QColor("#ffe0a3")  # amber: appraised score differs from the self score
WRONG_PASSPHRASE_TEXT = "Mật khẩu khóa ký không đúng."


def vn_datetime(iso: str) -> str:
    """ISO 8601 (UTC or local) -> ``dd/mm/yyyy HH:MM`` in local time; blank stays blank."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


SEARCH_PLACEHOLDER = "Tìm đơn vị (gõ không dấu cũng được)…"
#: one row as a filter sees it: the texts the search looks in, the filter keys it matches
RowKeys = tuple[Sequence[str], Collection[str]]


def search_edit(on_change: Callable[[], None], placeholder: str = SEARCH_PLACEHOLDER) -> QLineEdit:
    """The search box of a unit list: clear button, filters as the officer types."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    edit.textChanged.connect(on_change)
    return edit


def filter_combo(filters: Sequence[tuple[str, str]], on_change: Callable[[], None]) -> QComboBox:
    """A choice of ``(label, key)`` filters; the empty key shows every row."""
    combo = QComboBox()
    for label, key in filters:
        combo.addItem(label, key)
    combo.currentIndexChanged.connect(on_change)
    return combo


def filter_rows(
    search: QLineEdit,
    combo: QComboBox,
    count: int,
    row: Callable[[int], RowKeys],
    hide: Callable[[int, bool], None],
) -> int:
    """Hide the rows the search text (accent-insensitive, every word) or the chosen filter
    leave out, in place: nothing is rebuilt, so at 200 units a keystroke stays instant.
    Returns how many rows stay shown."""
    query = search.text()
    key = str(combo.currentData() or "")
    shown = 0
    for n in range(count):
        texts, keys = row(n)
        visible = matches(query, *texts) and (not key or key in keys)
        hide(n, not visible)
        shown += visible
    return shown


def shown_text(shown: int, total: int, noun: str = "đơn vị") -> str:
    """``"Hiện 3/12 đơn vị"`` while a filter hides some rows, else ``"12 đơn vị"``."""
    return f"Hiện {shown}/{total} {noun}" if shown < total else f"{total} {noun}"


class MessageLine(QLabel):
    """One line under a view's buttons saying what just happened (or what went wrong)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def say(self, text: str, colour: str = GREEN) -> None:
        self.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.setText(text)
        self.setVisible(bool(text))

    def error(self, text: str) -> None:
        self.say(text, RED)


class SignDialog(QDialog):
    """Approver, position and the signing passphrase, then a signed file is written.

    ``write(keypair, approver, position)`` runs in the background after the key is unlocked;
    a wrong passphrase keeps the dialog open with the reason. :attr:`result_value` holds what
    ``write`` returned.
    """

    def __init__(
        self,
        ws: Any,
        title: str,
        intro: str,
        write: Callable[[KeyPair, str, str], object],
        default_position: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(460)
        self._ws = ws
        self._write = write
        self.result_value: object = None
        self.task: BackgroundTask | None = None
        layout = QVBoxLayout(self)
        info = QLabel(intro)
        info.setWordWrap(True)
        layout.addWidget(info)
        form = QFormLayout()
        officer = ws.officer()
        self.approver_edit = QLineEdit(officer.get("name", ""))
        self.position_edit = QLineEdit(default_position)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("&Người ký duyệt:", self.approver_edit)
        form.addRow("&Chức vụ:", self.position_edit)
        form.addRow("&Mật khẩu khóa ký:", self.passphrase_edit)
        layout.addLayout(form)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.hide()
        layout.addWidget(self.bar)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Ký và ghi tệp")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Đóng")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if unit_keys.key_status(ws) is None:
            self.message.error("Đơn vị chưa có khóa ký số: vào Tệp → Khóa ký số… để tạo khóa.")
            ok.setEnabled(False)

    def start(self) -> None:
        approver = self.approver_edit.text().strip()
        if not approver:
            self.message.error("Hãy nhập họ tên người ký duyệt.")
            return
        if not self.passphrase_edit.text():
            self.message.error("Hãy nhập mật khẩu khóa ký.")
            return
        ws, passphrase, position = self._ws, self.passphrase_edit.text(), self.position_edit.text()

        def job(_progress: ProgressFn, cancelled: CancelFn) -> object:
            try:
                keypair = unit_keys.unlock(ws, passphrase)
            except WrongPassphrase:
                return _WRONG
            if cancelled():
                raise Cancelled("Đã hủy.")
            try:
                return self._write(keypair, approver, position)
            except Cancelled:
                raise

        self.message.say("Đang mở khóa ký số và ghi tệp…", GREY)
        self.bar.show()
        self.buttons.setEnabled(False)
        task = BackgroundTask(job, self)
        task.finished.connect(self._finished)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self._failed("Đã hủy. Chưa ghi tệp nào."))
        task.done.connect(self._done)
        self.task = task
        task.start()

    def busy(self) -> bool:
        return self.task is not None

    def _finished(self, outcome: object) -> None:
        if outcome is _WRONG:
            self.message.error(WRONG_PASSPHRASE_TEXT)
            self.passphrase_edit.selectAll()
            self.passphrase_edit.setFocus()
            return
        self.result_value = outcome
        self.accept()

    def _failed(self, message: str) -> None:
        self.message.error(message)

    def _done(self) -> None:
        self.task = None
        self.bar.hide()
        self.buttons.setEnabled(True)

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            return
        super().reject()


class _Wrong:
    """Marker result: the passphrase did not open the key (not an error of the job)."""


_WRONG = _Wrong()
