"""“Kiểm tra hồ sơ”: verify a bundle (picked or dropped) and show every check.

The verifier never trusts the file; this dialog only presents its report: one row per check
(ĐẠT/LỖI) saying in plain words what it means, a verdict line, who signed it and whether that
key was compared with the one the office enrolled. The verifier's own wording (file paths
inside the bag, BagIt terms, hashes, the check's code such as ``framework_hash_mismatch``)
is for a support person: it sits under the "Chi tiết kỹ thuật" expansion, folded by default.
Verification hashes every evidence file, so it runs in a :class:`BackgroundTask`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.models.assessment import AnswerStatus
from parapp.models.errors import Cancelled, ParAppError
from parapp.services import trusted_keys
from parapp.services.bundle_check import fingerprint, verify_bundle
from parapp.ui.icons import status_icon
from parapp.ui.session import Session
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

if TYPE_CHECKING:  # annotations only: the UI reaches these layers through services
    from parapp.interchange.bagzip import Check
    from parapp.interchange.bundle import VerifyReport
    from parapp.interchange.keys import PublicKey

RED = "#c5221f"
GREEN = "#188038"
VALID_TEXT = "Hồ sơ hợp lệ"
REJECTED_TEXT = "Hồ sơ bị từ chối"
NOT_PINNED_TEXT = "chưa đối chiếu khóa đã đăng ký"
COL_RESULT, COL_STEP, COL_MESSAGE = range(3)
DETAIL_SHOW_TEXT = "Chi tiết kỹ thuật ▸"
DETAIL_HIDE_TEXT = "Chi tiết kỹ thuật ▾"

#: what a passed check means, in an officer's words (``None``: the verifier's sentence is
#: already plain and carries the number that matters)
PLAIN_PASSED: dict[str, str | None] = {
    "file": "Đọc được tệp.",
    "zip": "Tệp nén nguyên vẹn, không chứa gì nguy hiểm.",
    "bagit": "Hồ sơ đúng cấu trúc hồ sơ ParApp.",
    "signature": "Có chữ ký số hợp lệ; nội dung không bị sửa sau khi ký.",
    "x509": "Chữ ký số của người có thẩm quyền hợp lệ.",
    "key": "Đúng khóa ký đã đăng ký của đơn vị.",
    "manifest": "Danh sách tài liệu khớp với các tài liệu có trong hồ sơ.",
    "payload": "Không tài liệu nào bị sửa hay hỏng sau khi ký.",
    "oxum": "Đủ số lượng và dung lượng tài liệu như lúc ký.",
    "assessment": "Bản tự đánh giá đọc được và đúng mẫu.",
    "framework": "Bộ tiêu chí trong hồ sơ nguyên vẹn.",
    "scores": None,
    "revision": None,
    "children": None,
}
#: what a failed check means, and what to do
PLAIN_FAILED: dict[str, str | None] = {
    "file": "Không đọc được tệp: tệp hỏng, không phải hồ sơ ParApp, hoặc đang được mở ở "
    "chương trình khác.",
    "zip": "Tệp nén bị hỏng hoặc có nội dung không an toàn; hồ sơ không được mở. Hãy xin đơn "
    "vị gửi lại tệp.",
    "extract": "Không giải nén được hồ sơ; hãy xin đơn vị gửi lại tệp.",
    "bagit": "Cấu trúc hồ sơ không đúng: tệp đã bị sửa hoặc không do ParApp tạo ra.",
    "signature": "Chữ ký số không hợp lệ: hồ sơ đã bị sửa sau khi ký, hoặc không do đơn vị ký.",
    "x509": "Chữ ký số của người có thẩm quyền không hợp lệ hoặc chưa được tin cậy.",
    "key": "Hồ sơ được ký bằng khóa khác với khóa đã đăng ký của đơn vị; hãy hỏi lại đơn vị "
    "trước khi dùng hồ sơ này.",
    "manifest": "Danh sách tài liệu không khớp với các tài liệu có trong hồ sơ: hồ sơ đã bị sửa.",
    "payload": "Có tài liệu bị sửa hoặc hỏng sau khi ký; hãy xin đơn vị gửi lại hồ sơ.",
    "oxum": "Số lượng hoặc dung lượng tài liệu khác với lúc ký: hồ sơ đã bị thêm hoặc bớt "
    "tài liệu.",
    "assessment": "Bản tự đánh giá trong hồ sơ không đọc được hoặc không khớp với hồ sơ.",
    "framework": "Bộ tiêu chí trong hồ sơ không đúng hoặc đã bị sửa.",
    "scores": None,
    "revision": None,
    "children": "Có hồ sơ của đơn vị cấp dưới không hợp lệ.",
}
#: a few refusals deserve their own plain sentence
PLAIN_BY_CODE = {
    "framework_unknown": "Hồ sơ dùng bộ tiêu chí mà cơ quan chưa có; hãy nhập bộ tiêu chí đó "
    "(Tệp → Nhập bộ chỉ số) rồi kiểm tra lại.",
    "unreadable": "Không đọc được tệp: tệp không còn ở đó, hoặc máy không cho phép đọc.",
}

_fail_icon: QIcon | None = None


def fail_icon() -> QIcon:
    """A red cross, drawn once (the app ships no icon files)."""
    global _fail_icon
    if _fail_icon is None:
        icon = QIcon()
        for size in (16, 24, 32):
            pix = QPixmap(size, size)
            pix.fill(Qt.GlobalColor.transparent)
            p = QPainter(pix)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.scale(size / 16.0, size / 16.0)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(RED))
            p.drawEllipse(QRectF(1.5, 1.5, 13, 13))
            pen = QPen(QColor("white"), 2.0)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawLine(QPointF(5.5, 5.5), QPointF(10.5, 10.5))
            p.drawLine(QPointF(10.5, 5.5), QPointF(5.5, 10.5))
            p.end()
            icon.addPixmap(pix)
        _fail_icon = icon
    return _fail_icon


def _expected_key(session: Session, path: Path) -> PublicKey | None:
    """The key the office enrolled for the unit the bundle claims (None if no registry)."""
    try:
        return trusted_keys.expected_key_for_bundle(session.ws, path)
    except ParAppError:
        return None  # an unreadable claim: the verifier reports the real problem


def plain_text(check: Check) -> str:
    """What a check means to an officer, without the verifier's technical wording."""
    if not check.ok and check.code in PLAIN_BY_CODE:
        return PLAIN_BY_CODE[check.code]
    plain = (PLAIN_PASSED if check.ok else PLAIN_FAILED).get(check.step)
    return plain if plain is not None else check.message_vi


def technical_text(check: Check) -> str:
    """The verifier's own sentence and the check's code: for "Chi tiết kỹ thuật"."""
    return f"{check.message_vi} [{check.code}]"


def report_rows(report: VerifyReport, prefix: str = "") -> list[tuple[bool, str, str, str]]:
    """(ok, step name, plain meaning, technical detail) for the report and, indented, each
    child report."""
    rows = [(c.ok, f"{prefix}{c.name}", plain_text(c), technical_text(c)) for c in report.checks]
    for child in report.children:
        name = child.info.unit_name if child.info else child.path.name
        verdict = VALID_TEXT.lower() if child.ok else REJECTED_TEXT.lower()
        rows.append((child.ok, f"{prefix}Đơn vị cấp dưới: {name}", verdict, child.path.name))
        rows.extend(report_rows(child, prefix + "    "))
    return rows


class VerifyDialog(QDialog):
    """Pick or drop a ``.zip``; see whether the bundle can be trusted, and why not."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: BackgroundTask | None = None
        self.report: VerifyReport | None = None
        self.setWindowTitle("Kiểm tra hồ sơ")
        self.setAcceptDrops(True)
        self.resize(820, 600)

        intro = QLabel(
            "Chọn tệp hồ sơ (.zip) hoặc kéo thả tệp vào cửa sổ này. ParApp kiểm tra chữ ký số, "
            "từng tài liệu kiểm chứng và nội dung bản tự đánh giá; không sửa gì trong tệp."
        )
        intro.setWordWrap(True)
        self.open_button = QPushButton("&Chọn tệp hồ sơ…")
        self.open_button.clicked.connect(self.choose_file)
        self.recursive_check = QCheckBox("Kiểm tra cả hồ sơ cấp &dưới")
        self.recursive_check.setToolTip(
            "Hồ sơ tổng hợp của đơn vị cấp trên chứa hồ sơ của các đơn vị cấp dưới."
        )
        top = QHBoxLayout()
        top.addWidget(self.open_button)
        top.addWidget(self.recursive_check)
        top.addStretch(1)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setVisible(False)
        self.cancel_button = QPushButton("&Hủy")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress_bar, 1)
        progress_row.addWidget(self.cancel_button)

        self.verdict_label = QLabel()
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QFormLayout()
        self.unit_label = self._value()
        self.period_label = self._value()
        self.revision_label = self._value()
        self.approver_label = self._value()
        self.signer_label = self._value()
        self.details.addRow("Đơn vị:", self.unit_label)
        self.details.addRow("Kỳ đánh giá:", self.period_label)
        self.details.addRow("Lần nộp:", self.revision_label)
        self.details.addRow("Người phê duyệt:", self.approver_label)
        self.details.addRow("Khóa ký:", self.signer_label)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Kết quả", "Bước kiểm tra", "Ý nghĩa"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_RESULT, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STEP, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Stretch)

        self.detail_button = QPushButton(DETAIL_SHOW_TEXT)
        self.detail_button.setCheckable(True)
        self.detail_button.setToolTip(
            "Lời của bộ kiểm tra (đường dẫn trong hồ sơ, mã băm, mã lỗi) cho người hỗ trợ kỹ thuật"
        )
        self.detail_button.toggled.connect(self._toggle_detail)
        self.detail_button.setEnabled(False)
        self.detail_view = QPlainTextEdit()
        self.detail_view.setReadOnly(True)
        self.detail_view.setMaximumHeight(140)
        self.detail_view.hide()
        close = QPushButton("Đó&ng")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.detail_button)
        bottom.addStretch(1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.file_label)
        layout.addLayout(progress_row)
        layout.addWidget(self.verdict_label)
        layout.addLayout(self.details)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_view)
        layout.addLayout(bottom)
        self._clear_details()

    @staticmethod
    def _value() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- choosing the file ------------------------------------------------------------------
    def ask_file(self) -> Path | None:
        """The native file picker (tests replace this method)."""
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp hồ sơ", "", "Hồ sơ ParApp (*.zip);;Tất cả tệp (*)"
        )
        return Path(name) if name else None

    def choose_file(self) -> None:
        path = self.ask_file()
        if path is not None:
            self.verify(path)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_file(event) is not None and self.task is None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_file(event)
        if path is None or self.task is not None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.verify(path)

    @staticmethod
    def _dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
        urls = event.mimeData().urls() if event.mimeData() else []
        for url in urls:
            if url.isLocalFile():
                return Path(url.toLocalFile())
        return None

    # -- verifying --------------------------------------------------------------------------
    def verify(self, path: Path) -> None:
        """Verify ``path`` in the background; the result fills the dialog."""
        if self.task is not None:
            return
        self.report = None
        self.table.setRowCount(0)
        self.detail_view.clear()
        self.detail_button.setChecked(False)
        self.detail_button.setEnabled(False)
        self._clear_details()
        self.file_label.setText(f"Tệp: <b>{path.name}</b> — {path.parent}")
        self.verdict_label.setText("Đang kiểm tra…")
        self.verdict_label.setStyleSheet("font-size: 13pt; color: #5f6368;")
        expected = _expected_key(self.session, path)
        known = self.session.ws.frameworks.hashes() or None
        recursive = self.recursive_check.isChecked()

        def job(progress: ProgressFn, cancelled: CancelFn) -> VerifyReport:
            try:
                return verify_bundle(
                    path,
                    expected,
                    known,
                    recursive=recursive,
                    progress=progress,
                    cancel=cancelled,
                )
            except Cancelled:
                raise

        task = BackgroundTask(job, self)
        task.progress.connect(self._progress)
        task.finished.connect(self.show_report)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._cancelled)
        task.done.connect(self._done)
        self.task = task
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(True)
        self.cancel_button.setVisible(True)
        self.open_button.setEnabled(False)
        task.start()

    def busy(self) -> bool:
        return self.task is not None

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000)
            self.progress_bar.setRange(0, total // scale)
            self.progress_bar.setValue(done // scale)

    def _failed(self, message: str) -> None:
        self.verdict_label.setText(message)
        self.verdict_label.setStyleSheet(f"font-size: 13pt; color: {RED};")

    def _cancelled(self) -> None:
        self.verdict_label.setText("Đã hủy kiểm tra.")
        self.verdict_label.setStyleSheet("font-size: 13pt; color: #5f6368;")

    def _done(self) -> None:
        self.task = None
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)
        self.open_button.setEnabled(True)

    def show_report(self, report: VerifyReport) -> None:
        self.report = report
        if report.ok:
            self.verdict_label.setText(f"✔ {VALID_TEXT}")
            self.verdict_label.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {GREEN};")
        else:
            failure = report.failure
            plain = plain_text(failure) if failure is not None else ""
            self.verdict_label.setText(f"✘ {REJECTED_TEXT}: {plain}")
            self.verdict_label.setStyleSheet(f"font-size: 15pt; font-weight: bold; color: {RED};")
        info = report.info
        if info is not None:
            self.unit_label.setText(f"{info.unit_name} (mã {info.unit_code})")
            self.period_label.setText(info.period)
            self.revision_label.setText(f"Lần thứ {info.revision}")
            approver = ", ".join(x for x in (info.approver_position, info.approver) if x)
            self.approver_label.setText(approver or "—")
        if report.signer is not None:
            if report.key_pinned:
                note = "<span style='color: #188038'>đã đối chiếu với khóa đã đăng ký</span>"
            else:
                note = f"<span style='color: #b06000'>{NOT_PINNED_TEXT}</span>"
            self.signer_label.setText(
                f"<span style='font-family: monospace; font-size: 11pt'><b>"
                f"{fingerprint(report.signer)}</b></span> — {note}"
            )
        rows = report_rows(report)
        self.table.setRowCount(len(rows))
        self.detail_view.setPlainText(
            "\n".join(
                f"{'ĐẠT' if ok else 'LỖI'} · {step.strip()}: {technical}"
                for ok, step, _plain, technical in rows
            )
        )
        self.detail_button.setEnabled(True)
        for i, (ok, step, message, _technical) in enumerate(rows):
            result = QTableWidgetItem(
                status_icon(AnswerStatus.COMPLETE) if ok else fail_icon(),
                "ĐẠT" if ok else "LỖI",
            )
            result.setForeground(QColor(GREEN if ok else RED))
            self.table.setItem(i, COL_RESULT, result)
            self.table.setItem(i, COL_STEP, QTableWidgetItem(step))
            detail = QTableWidgetItem(message)
            detail.setToolTip(message)
            if not ok:
                detail.setForeground(QColor(RED))
            self.table.setItem(i, COL_MESSAGE, detail)
        self.table.resizeRowsToContents()

    def _clear_details(self) -> None:
        for label in (
            self.unit_label,
            self.period_label,
            self.revision_label,
            self.approver_label,
            self.signer_label,
        ):
            label.setText("—")

    def _toggle_detail(self, shown: bool) -> None:
        self.detail_view.setVisible(shown)
        self.detail_button.setText(DETAIL_HIDE_TEXT if shown else DETAIL_SHOW_TEXT)

    def check_rows(self) -> list[tuple[str, str, str]]:
        """The table as text (result, step, message): what the officer reads."""

        def text(row: int, col: int) -> str:
            item = self.table.item(row, col)
            return item.text() if item is not None else ""

        return [
            (text(r, COL_RESULT), text(r, COL_STEP), text(r, COL_MESSAGE))
            for r in range(self.table.rowCount())
        ]

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            return
        super().reject()
