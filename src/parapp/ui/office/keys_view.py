"""“Khóa của đơn vị cấp dưới”: which child unit's signing key the office trusts, and how.

A bundle from a unit whose key is not enrolled is accepted but marked “chưa xác minh khóa”;
the officer enrols the key from the unit's ``.pub`` file or a key list, or phones the unit
and types the fingerprint it reads out (the program compares it with the key that actually
signed the received bundles and refuses a mismatch), or applies a rotation statement.
"""

from __future__ import annotations

from collections.abc import Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.services import trusted_keys
from parapp.services.changes import Changes
from parapp.services.office import inbox
from parapp.services.trusted_keys import TrustedKey
from parapp.ui.office.common import BAD_BG, OK_BG, WARN_BG, MessageLine, vn_datetime
from parapp.ui.session import Session
from parapp.ui.table_model import ListTableModel

_Index = QModelIndex | QPersistentModelIndex
VERIFIED_TEXT = "đã xác minh"
UNVERIFIED_TEXT = trusted_keys.UNVERIFIED_LABEL
NO_KEY_TEXT = "chưa có khóa"
KEY_HEADERS = ("Mã", "Đơn vị", "Dấu vân tay", "Trạng thái", "Cách đăng ký", "Ngày đăng ký")


@dataclass(frozen=True)
class KeyRow:
    """One child unit as the keys table shows it."""

    unit_code: str
    unit_name: str
    key: TrustedKey | None
    pending_fingerprints: tuple[str, ...]  # keys that signed received bundles, not enrolled

    @property
    def state(self) -> str:
        if self.key is not None:
            return VERIFIED_TEXT
        return UNVERIFIED_TEXT if self.pending_fingerprints else NO_KEY_TEXT


def key_rows(session: Session) -> list[KeyRow]:
    """Child units beside their enrolled key and the keys seen on their bundles (3 queries)."""
    ws = session.ws
    enrolled = {k.unit_code: k for k in trusted_keys.list_keys(ws)}
    seen: dict[str, list[str]] = {}
    for e in inbox.inbox_entries(ws):
        if e.key_fingerprint and e.unit_code:
            fps = seen.setdefault(e.unit_code, [])
            if e.key_fingerprint not in fps:
                fps.append(e.key_fingerprint)
    rows = []
    for u in ws.child_units():
        key = enrolled.get(u.code)
        pending = tuple(fp for fp in seen.get(u.code, []) if key is None or fp != key.fingerprint)
        rows.append(KeyRow(u.code, u.name, key, pending if key is None else ()))
    return rows


class KeysModel(ListTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[KeyRow] = []

    def set_rows(self, rows: list[KeyRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_list(self) -> Sized:
        return self.rows

    def column_headers(self) -> tuple[str, ...]:
        return tuple(KEY_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        k = r.key
        if role == Qt.ItemDataRole.DisplayRole:
            fingerprint = k.fingerprint if k else ", ".join(r.pending_fingerprints)
            values = (
                r.unit_code,
                r.unit_name,
                fingerprint,
                r.state,
                k.source_label if k else "",
                vn_datetime(k.enrolled_at)[:10] if k else "",
            )
            return values[index.column()] if 0 <= index.column() < len(values) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if k is not None:
                return OK_BG
            return WARN_BG if r.pending_fingerprints else BAD_BG
        if role == Qt.ItemDataRole.FontRole and index.column() == 2:
            from PySide6.QtGui import QFont, QFontDatabase

            font: QFont = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            return font
        tip_cell = role == Qt.ItemDataRole.ToolTipRole and index.column() == 2
        if tip_cell and k is None and r.pending_fingerprints:
            return "Khóa đã ký hồ sơ nhận được, chưa đối chiếu với đơn vị"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and k is None:
            return QColor("#b06000")
        return None


class FingerprintDialog(QDialog):
    """Type the fingerprint the unit reads out on the phone; a mismatch is refused."""

    def __init__(
        self, session: Session, unit_code: str, unit_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.unit_code = unit_code
        self.trusted: TrustedKey | None = None
        self.setWindowTitle("Xác nhận dấu vân tay khóa")
        self.setModal(True)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Gọi điện cho <b>{unit_name}</b> ({unit_code}) và đề nghị cán bộ đọc dấu vân tay "
            "khóa ký số của đơn vị (Tệp → Khóa ký số… trên máy của đơn vị). Gõ đúng những gì "
            "nghe được; chương trình so với khóa đã ký hồ sơ nhận được."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.fingerprint_edit = QLineEdit()
        self.fingerprint_edit.setPlaceholderText("VD: K7QM-3XPA-9D2F-HW4N")
        form.addRow("&Dấu vân tay đơn vị đọc:", self.fingerprint_edit)
        layout.addLayout(form)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Xác nhận và tin khóa")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Đóng")
        buttons.accepted.connect(self.confirm)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def confirm(self) -> None:
        text = self.fingerprint_edit.text().strip()
        if not text:
            self.message.error("Hãy gõ dấu vân tay mà đơn vị đọc.")
            return
        try:
            self.trusted = trusted_keys.trust_on_first_sight(self.session.ws, self.unit_code, text)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.session.notify(Changes(inbox=True))
        self.accept()


class KeysView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.file_button = QPushButton("Đăng ký từ tệp &.pub…")
        self.file_button.clicked.connect(self.enrol_from_file)
        self.list_button = QPushButton("Nhập &danh sách khóa…")
        self.list_button.clicked.connect(self.enrol_list)
        self.fingerprint_button = QPushButton("Xác nhận dấu &vân tay…")
        self.fingerprint_button.clicked.connect(self.confirm_fingerprint)
        self.rotation_button = QPushButton("Nhận văn bản đổi &khóa…")
        self.rotation_button.clicked.connect(self.apply_rotation)
        for b in (self.file_button, self.list_button, self.fingerprint_button):
            buttons.addWidget(b)
        buttons.addWidget(self.rotation_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.model = KeysModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.refresh()
        session.changed.connect(self._on_changed)

    def refresh(self) -> None:
        code = self.selected_unit()
        self.model.set_rows(key_rows(self.session))
        if code:
            self.select_unit(code)

    def _on_changed(self, changes: Changes) -> None:
        if changes.inbox or changes.unit:
            self.refresh()

    def selected_unit(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()].unit_code

    def select_unit(self, code: str) -> None:
        for n, r in enumerate(self.model.rows):
            if r.unit_code == code:
                self.table.selectRow(n)
                return

    def _require_unit(self) -> KeyRow | None:
        code = self.selected_unit()
        row = next((r for r in self.model.rows if r.unit_code == code), None)
        if row is None:
            self.message.error("Hãy chọn một đơn vị trong bảng trước.")
        return row

    # -- native dialogs (tests replace these) ---------------------------------------------
    def ask_file(self, caption: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, caption, "", pattern)
        return Path(name) if name else None

    def run_fingerprint_dialog(self, dialog: FingerprintDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    # -- actions --------------------------------------------------------------------------
    def _done(self, enrolled: list[TrustedKey]) -> None:
        self.session.notify(Changes(inbox=True))
        self.refresh()
        text = " ".join(
            f"Đã tin khóa của đơn vị {k.unit_code} ({k.source_label}); dấu vân tay {k.fingerprint}."
            for k in enrolled
        )
        warnings = [k.warning for k in enrolled if k.warning]
        if warnings:  # one key for two units: said in the error colour, never silently
            self.message.error(" ".join([text, *warnings]))
        else:
            self.message.say(text)

    def enrol_from_file(self) -> None:
        row = self._require_unit()
        if row is None:
            return
        path = self.ask_file(
            f"Tệp khóa công khai của {row.unit_name}", "Khóa công khai (*.pub);;Tất cả tệp (*)"
        )
        if path is None:
            return
        try:
            self._done([trusted_keys.enrol_key_file(self.session.ws, row.unit_code, path)])
        except ParAppError as err:
            self.message.error(str(err))

    def enrol_list(self) -> None:
        path = self.ask_file("Danh sách khóa công khai", "Danh sách khóa (*.txt);;Tất cả tệp (*)")
        if path is None:
            return
        try:
            self._done(trusted_keys.enrol_key_list(self.session.ws, path))
        except ParAppError as err:
            self.message.error(str(err))

    def confirm_fingerprint(self) -> None:
        row = self._require_unit()
        if row is None:
            return
        dialog = FingerprintDialog(self.session, row.unit_code, row.unit_name, self)
        if self.run_fingerprint_dialog(dialog) and dialog.trusted is not None:
            self._done([dialog.trusted])
        dialog.deleteLater()

    def apply_rotation(self) -> None:
        row = self._require_unit()
        if row is None:
            return
        path = self.ask_file(
            f"Văn bản chuyển đổi khóa của {row.unit_name}", "Văn bản (*.txt);;Tất cả tệp (*)"
        )
        if path is None:
            return
        try:
            self._done([trusted_keys.apply_rotation(self.session.ws, row.unit_code, path)])
        except ParAppError as err:
            self.message.error(str(err))
