"""“Khóa ký số”: the unit's signing key — see the fingerprint, create, export, rotate.

The fingerprint is what the officer reads out on the phone to the receiving office, so it is
shown big, in a monospace font, in groups of four. Creating and rotating a key run scrypt
(seconds on an old PC) in a :class:`BackgroundTask`; the dialog is modal meanwhile.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.services import unit_keys
from parapp.ui.session import Session
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

RED = "#c5221f"
GREEN = "#188038"


def format_created(iso: str) -> str:
    """``2025-03-01T08:30:00+00:00`` -> ``01/03/2025 15:30`` (local time)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso or "—"
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


class PassphraseDialog(QDialog):
    """Ask for a new passphrase twice (and the current one when rotating)."""

    def __init__(self, title: str, *, ask_old: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout()
        self.old_edit: QLineEdit | None = None
        if ask_old:
            self.old_edit = self._password()
            form.addRow("Mật khẩu khóa &hiện tại:", self.old_edit)
        self.new_edit = self._password()
        self.new_edit.setPlaceholderText(f"ít nhất {unit_keys.MIN_PASSPHRASE} ký tự")
        self.again_edit = self._password()
        form.addRow("Mật khẩu &mới:", self.new_edit)
        form.addRow("&Nhập lại mật khẩu mới:", self.again_edit)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(f"color: {RED};")
        self.error_label.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đồng ý")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel(
            "Hãy ghi nhớ mật khẩu: mất mật khẩu thì không ký được hồ sơ và phải tạo khóa mới."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    @staticmethod
    def _password() -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def problem(self) -> str | None:
        """Why the entries cannot be used yet (None when they can)."""
        if self.old_edit is not None and not self.old_edit.text():
            return "Chưa nhập mật khẩu khóa hiện tại."
        if len(self.new_edit.text()) < unit_keys.MIN_PASSPHRASE:
            return f"Mật khẩu mới phải có ít nhất {unit_keys.MIN_PASSPHRASE} ký tự."
        if self.new_edit.text() != self.again_edit.text():
            return "Hai lần nhập mật khẩu mới không giống nhau."
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error_label.setText(problem)
            return
        super().accept()

    def old_passphrase(self) -> str:
        return self.old_edit.text() if self.old_edit is not None else ""

    def new_passphrase(self) -> str:
        return self.new_edit.text()


class KeysDialog(QDialog):
    """The unit's signing key at a glance, with the three things one does with it."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: BackgroundTask | None = None
        self.last_statement: Path | None = None
        self.setWindowTitle("Khóa ký số của đơn vị")
        self.resize(640, 380)

        intro = QLabel(
            "Khóa ký số dùng để ký hồ sơ nộp. Đơn vị cấp trên đăng ký khóa công khai của đơn vị "
            "(tệp .pub, hoặc đối chiếu <b>dấu vân tay</b> qua điện thoại) để chắc chắn hồ sơ do "
            "chính đơn vị gửi."
        )
        intro.setWordWrap(True)
        self.fingerprint_label = QLabel()
        self.fingerprint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fingerprint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_label.setStyleSheet(
            "font-family: 'DejaVu Sans Mono', 'Consolas', monospace; font-size: 22pt; "
            "font-weight: bold; letter-spacing: 2px; color: #1e4f8a; padding: 10px; "
            "border: 1px solid #c7d3e3; background: #f4f7fb;"
        )
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.create_button = QPushButton("&Tạo khóa…")
        self.export_button = QPushButton("&Xuất khóa công khai…")
        self.rotate_button = QPushButton("Đổ&i khóa…")
        close = QPushButton("Đó&ng")
        self.create_button.clicked.connect(self.create_key)
        self.export_button.clicked.connect(self.export_public)
        self.rotate_button.clicked.connect(self.rotate_key)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.rotate_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Dấu vân tay khóa (đọc cho đơn vị cấp trên):"))
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.message_label, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        status = unit_keys.key_status(self.session.ws)
        working = self.task is not None
        if status is None:
            self.fingerprint_label.setText("Chưa có khóa")
            self.details_label.setText(
                "Đơn vị chưa có khóa ký số. Bấm “Tạo khóa…” để tạo: khóa được lưu trên máy này "
                "và được bảo vệ bằng mật khẩu."
            )
        else:
            self.fingerprint_label.setText(status.fingerprint)
            self.details_label.setText(
                f"Tạo lúc: {format_created(status.created_at)} · Mã khóa: "
                f"{status.public.key_id_hex}"
            )
        self.create_button.setVisible(status is None)
        self.create_button.setEnabled(not working)
        self.export_button.setEnabled(status is not None and not working)
        self.rotate_button.setEnabled(status is not None and not working)

    def fingerprint_text(self) -> str:
        return self.fingerprint_label.text()

    # -- the native and modal dialogs (tests replace these methods) ----------------------------
    def ask_new_passphrase(self) -> str | None:
        dialog = PassphraseDialog("Tạo khóa ký số", ask_old=False, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.new_passphrase()

    def ask_rotation(self) -> tuple[str, str] | None:
        dialog = PassphraseDialog("Đổi khóa ký số", ask_old=True, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.old_passphrase(), dialog.new_passphrase()

    def ask_public_key_path(self) -> Path | None:
        unit = self.session.ws.own_unit()
        suggested = f"khoa-cong-khai-{unit.code if unit else 'don-vi'}.pub"
        name, _ = QFileDialog.getSaveFileName(
            self, "Xuất khóa công khai", suggested, "Khóa công khai (*.pub)"
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix == ".pub" else path.with_name(path.name + ".pub")

    # -- actions ---------------------------------------------------------------------------
    def _say(self, text: str, color: str = "") -> None:
        self.message_label.setStyleSheet(f"color: {color};" if color else "")
        self.message_label.setText(text)

    def _run(self, job: BackgroundTask) -> None:
        job.failed.connect(lambda message: self._say(message, RED))
        job.done.connect(self._done)
        self.task = job
        self.refresh()
        job.start()

    def _done(self) -> None:
        self.task = None
        self.refresh()

    def busy(self) -> bool:
        return self.task is not None

    def create_key(self) -> None:
        passphrase = self.ask_new_passphrase()
        if passphrase is None:
            return
        ws = self.session.ws

        def job(_progress: ProgressFn, _cancelled: CancelFn) -> unit_keys.KeyStatus:
            return unit_keys.create_key(ws, passphrase)

        task = BackgroundTask(job, self)
        task.finished.connect(
            lambda status: self._say(
                f"Đã tạo khóa ký số. Dấu vân tay: {status.fingerprint}. Hãy xuất khóa công khai "
                "hoặc đọc dấu vân tay cho đơn vị cấp trên để đăng ký.",
                GREEN,
            )
        )
        self._say("Đang tạo khóa… (có thể mất vài giây)")
        self._run(task)

    def export_public(self) -> None:
        path = self.ask_public_key_path()
        if path is None:
            return
        try:
            status = unit_keys.export_public(self.session.ws, path)
        except ParAppError as err:
            self._say(str(err), RED)
            return
        self._say(
            f"Đã xuất khóa công khai ra {path} (dấu vân tay {status.fingerprint}). Gửi tệp này "
            "cho đơn vị cấp trên.",
            GREEN,
        )

    def rotate_key(self) -> None:
        answer = self.ask_rotation()
        if answer is None:
            return
        old, new = answer
        ws = self.session.ws

        def job(_progress: ProgressFn, _cancelled: CancelFn) -> tuple[unit_keys.KeyStatus, Path]:
            return unit_keys.rotate_key(ws, old, new)

        task = BackgroundTask(job, self)
        task.finished.connect(self._rotated)
        self._say("Đang đổi khóa… (có thể mất vài giây)")
        self._run(task)

    def _rotated(self, outcome: tuple[unit_keys.KeyStatus, Path]) -> None:
        status, statement = outcome
        self._say(
            f"Đã đổi khóa. Dấu vân tay mới: {status.fingerprint}.\nVăn bản chuyển đổi khóa (ký "
            f"bằng khóa cũ) đã lưu tại:\n{statement}\nGửi văn bản này cho đơn vị cấp trên cùng "
            "hồ sơ lần tới để khóa mới được tin cậy.",
            GREEN,
        )
        self.last_statement = statement

    def reject(self) -> None:
        if self.task is not None:
            return  # scrypt cannot be interrupted; it only takes seconds
        super().reject()
