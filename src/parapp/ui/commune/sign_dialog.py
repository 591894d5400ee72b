"""“Ký số báo cáo bằng chữ ký số (USB token)”: sign the printed report PDF with the official's
certificate without leaving ParApp.

The PKCS#11 library (the token driver's DLL) is chosen once and remembered in the settings;
the PIN is typed each time, passed to the token and forgotten (the field is cleared after
every attempt). Signing runs in a :class:`BackgroundTask`: a token can take seconds.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from parapp.services.x509_sign import (
    Pkcs11Source,
    Pkcs12Source,
    SignerDetails,
    SignerSource,
    SignRequest,
    sign_pdf_file,
)
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

TITLE = "Ký số báo cáo bằng chữ ký số (USB token)"
LIBRARY_KEY = "x509/pkcs11_library"
TOKEN_KEY = "x509/token_label"
RED = "#c5221f"
GREEN = "#188038"


def signed_name(pdf: Path) -> Path:
    """``bao-cao.pdf`` -> ``bao-cao-da-ky.pdf`` next to it."""
    return pdf.with_name(f"{pdf.stem}-da-ky{pdf.suffix or '.pdf'}")


class SignDialog(QDialog):
    """Sign ``pdf`` into ``signed_name(pdf)`` (or a chosen file)."""

    def __init__(
        self,
        pdf: Path,
        details: SignerDetails = SignerDetails(),  # noqa: B008 - frozen, never mutated
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.pdf = Path(pdf)
        self.settings = settings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ParApp", "ParApp"
        )
        self.task: BackgroundTask | None = None
        self.signers: list[str] = []

        self.token_radio = QRadioButton("&USB token")
        self.file_radio = QRadioButton("&Tệp chứng thư số (.p12, .pfx)")
        group = QButtonGroup(self)
        group.addButton(self.token_radio)
        group.addButton(self.file_radio)
        self.token_radio.setChecked(True)
        self.token_radio.toggled.connect(self._refresh)

        self.library_edit = QLineEdit(str(self.settings.value(LIBRARY_KEY, "") or ""))
        self.library_edit.setPlaceholderText(r"C:\Windows\System32\eTPKCS11.dll")
        self.token_edit = QLineEdit(str(self.settings.value(TOKEN_KEY, "") or ""))
        self.token_edit.setPlaceholderText("để trống nếu chỉ cắm một token")
        self.p12_edit = QLineEdit()
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.position_edit = QLineEdit(details.position)
        self.unit_edit = QLineEdit(details.unit)
        self.seal_edit = QLineEdit()
        self.seal_edit.setPlaceholderText("không bắt buộc: ảnh PNG con dấu")
        self.out_edit = QLineEdit(str(signed_name(self.pdf)))

        form = QFormLayout()
        form.addRow("Tệp cần ký:", QLabel(self.pdf.name))
        form.addRow("Ký bằng:", self.token_radio)
        form.addRow("", self.file_radio)
        self.library_box = self._with_browse(self.library_edit, "dll")
        self.p12_box = self._with_browse(self.p12_edit, "p12")
        form.addRow("Thư viện &PKCS#11:", self.library_box)
        form.addRow("&Nhãn token:", self.token_edit)
        form.addRow("Tệp &chứng thư:", self.p12_box)
        self.pin_label = QLabel("&Mã PIN:")
        self.pin_label.setBuddy(self.pin_edit)
        form.addRow(self.pin_label, self.pin_edit)
        form.addRow("Chức &vụ:", self.position_edit)
        form.addRow("Cơ &quan:", self.unit_edit)
        form.addRow("Ảnh con &dấu:", self._with_browse(self.seal_edit, "png"))
        form.addRow("Lưu tệp đã ký &vào:", self.out_edit)
        self.form = form

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.sign_button = QPushButton("&Ký số")
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.sign)
        self.close_button = QPushButton("Đó&ng")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        note = QLabel(
            "Cắm USB token vào máy và nhập mã PIN. Mã PIN chỉ dùng cho lần ký này, ParApp "
            "không lưu lại."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)
        self._refresh()

    def _with_browse(self, edit: QLineEdit, kind: str) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Chọn…")
        filters = {
            "dll": "Thư viện PKCS#11 (*.dll *.so *.dylib)",
            "p12": "Chứng thư số (*.p12 *.pfx)",
            "png": "Ảnh (*.png *.jpg)",
        }

        def browse() -> None:
            path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp", edit.text(), filters[kind])
            if path:
                edit.setText(path)

        button.clicked.connect(browse)
        row.addWidget(button)
        return box

    def _refresh(self) -> None:
        token = self.token_radio.isChecked()
        self.library_box.setEnabled(token)
        self.token_edit.setEnabled(token)
        self.p12_box.setEnabled(not token)
        self.pin_label.setText("&Mã PIN:" if token else "&Mật khẩu tệp:")
        self.sign_button.setEnabled(self.task is None)

    def _say(self, text: str, color: str = "") -> None:
        self.message_label.setStyleSheet(f"color: {color};" if color else "")
        self.message_label.setText(text)

    def busy(self) -> bool:
        return self.task is not None

    def _source(self) -> SignerSource | None:
        if self.token_radio.isChecked():
            library = self.library_edit.text().strip()
            if not library:
                self._say("Chưa chọn thư viện PKCS#11 của USB token.", RED)
                return None
            return Pkcs11Source(library, self.token_edit.text().strip() or None)
        p12 = self.p12_edit.text().strip()
        if not p12:
            self._say("Chưa chọn tệp chứng thư số.", RED)
            return None
        return Pkcs12Source(Path(p12))

    def sign(self) -> None:
        source = self._source()
        if source is None:
            return
        secret = self.pin_edit.text()
        self.pin_edit.clear()  # the PIN is not kept, not even in the widget
        if isinstance(source, Pkcs11Source):
            self.settings.setValue(LIBRARY_KEY, source.library)
            self.settings.setValue(TOKEN_KEY, source.token_label or "")
        seal = self.seal_edit.text().strip()
        request = SignRequest(
            source=source,
            details=SignerDetails(self.position_edit.text().strip(), self.unit_edit.text().strip()),
            seal_image=Path(seal) if seal else None,
        )
        out = Path(self.out_edit.text().strip() or signed_name(self.pdf))
        src = self.pdf

        def job(_progress: ProgressFn, _cancelled: CancelFn) -> list[str]:
            return sign_pdf_file(src, out, request, secret)

        task = BackgroundTask(job, self)
        task.finished.connect(lambda names: self._signed(names, out))
        task.failed.connect(lambda message: self._say(message, RED))
        task.done.connect(self._done)
        self.task = task
        self._say("Đang ký… (token có thể mất vài giây)")
        self._refresh()
        task.start()

    def _signed(self, names: list[str], out: Path) -> None:
        self.signers = list(names)
        self._say(f"Đã ký số bởi {', '.join(names)}. Tệp đã ký: {out}", GREEN)

    def _done(self) -> None:
        self.task = None
        self._refresh()
