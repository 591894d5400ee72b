"""“Nộp hồ sơ”: pre-flight check, approver, signing passphrase, writing, done.

A stacked dialog rather than a ``QWizard`` because the writing step runs in the background
and may send the officer back (a wrong passphrase returns to the passphrase page). The slow
parts — scrypt when creating or unlocking the key, hashing and zipping the evidence — run in
a :class:`BackgroundTask`; the dialog is modal meanwhile, so nothing else touches the
workspace while the worker uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import Cancelled, ParAppError, WrongPassphrase
from parapp.models.text import format_number
from parapp.services import unit_keys
from parapp.services.changes import Changes
from parapp.services.commune import printing
from parapp.services.commune.submission import (
    PROBLEM_LABELS,
    Preflight,
    Revision,
    bundle_file_name,
    export_bundle,
    next_revision,
    preflight,
    revisions,
)
from parapp.services.commune.supplement import Supplement, appraised_revision, export_supplement
from parapp.services.x509_sign import SignerDetails
from parapp.ui import messages
from parapp.ui.commune.sign_dialog import SignDialog
from parapp.ui.icons import warning_icon
from parapp.ui.session import Session
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

if TYPE_CHECKING:  # annotations only: the UI reaches these layers through services
    from parapp.interchange.bundle import BundleResult

PAGE_CHECK, PAGE_APPROVER, PAGE_KEY, PAGE_WRITE, PAGE_DONE = range(5)
DEFAULT_POSITION = "Chủ tịch UBND"
RED = "#c5221f"
AMBER = "#b06000"
GREEN = "#188038"
WRONG_PASSPHRASE_TEXT = "Mật khẩu không đúng."
CODE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class _WrongPassphrase:
    """What the worker returns instead of raising, so the dialog can go back a page."""


def default_output_folder() -> Path:
    """Documents, else Desktop, else home: where a commune officer looks for a file."""
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.DesktopLocation,
    ):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def short_hash(sha256: str) -> str:
    """The first 16 hex digits in groups of four: enough to compare with the printed seal."""
    head = sha256[:16].upper()
    return " ".join(head[i : i + 4] for i in range(0, len(head), 4))


def _label(text: str = "", *, wrap: bool = True, style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if style:
        label.setStyleSheet(style)
    return label


def _title(text: str) -> QLabel:
    return _label(text, style="font-size: 12pt; font-weight: bold; color: #1e4f8a;")


class _ProblemTree(QTreeWidget):
    """Enter on a row activates it, like a double-click (Qt only does that on some styles)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.itemActivated.emit(item, 0)
            return
        super().keyPressEvent(event)


#: above this a bundle is too big for e-mail and chat apps (Gmail, Zalo: about 25 MB)
EMAIL_LIMIT_BYTES = 20 * 1024 * 1024


class SubmitDialog(QDialog):
    """Check, sign and write the unit's submission bundle (one revision)."""

    submitted = Signal(object)  # BundleResult

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Nộp hồ sơ tự đánh giá")
        self.setModal(True)
        self.resize(760, 560)
        self.check: Preflight = Preflight()
        self.task: BackgroundTask | None = None
        self.revision: Revision | None = None
        self.bundle_result: BundleResult | None = None
        self.output_folder = default_output_folder()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_check_page())
        self.stack.addWidget(self._build_approver_page())
        self.stack.addWidget(self._build_key_page())
        self.stack.addWidget(self._build_write_page())
        self.stack.addWidget(self._build_done_page())

        self.back_button = QPushButton("< &Quay lại")
        self.next_button = QPushButton("&Tiếp tục >")
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton("&Hủy")
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.cancel_button)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addWidget(line)
        layout.addLayout(buttons)
        self.refresh_check()
        self._prefill_approver()
        self._refresh_key_page()
        self.show_page(PAGE_CHECK)

    # -- (a) pre-flight -------------------------------------------------------------------
    def _build_check_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title("Bước 1/3 — Kiểm tra trước khi nộp"))
        self.check_summary = _label()
        layout.addWidget(self.check_summary)
        self.problem_tree = _ProblemTree()
        self.problem_tree.setHeaderHidden(True)
        self.problem_tree.setRootIsDecorated(True)
        self.problem_tree.itemActivated.connect(self._problem_activated)
        layout.addWidget(self.problem_tree, 1)
        self.unscored_box = QFrame()
        self.unscored_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.unscored_layout = QVBoxLayout(self.unscored_box)
        self.unscored_checks: dict[str, QCheckBox] = {}
        layout.addWidget(self.unscored_box)
        layout.addWidget(
            _label(
                "Bấm đúp (hoặc Enter) vào một dòng để mở tiêu chí đó. Lỗi màu đỏ phải sửa trước "
                "khi nộp; tiêu chí chưa chấm điểm chỉ nộp được khi đánh dấu xác nhận từng lĩnh "
                "vực; các cảnh báo khác không chặn việc nộp.",
                style="color: #5f6368;",
            )
        )
        return page

    def _fill_unscored_box(self) -> None:
        """One check box per area that still has unscored items: the officer confirms each."""
        confirmed = {area for area, box in self.unscored_checks.items() if box.isChecked()}
        while self.unscored_layout.count():
            item = self.unscored_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.unscored_checks = {}
        if self.check.unscored:
            self.unscored_layout.addWidget(
                _label(
                    "<b>Còn tiêu chí chưa chấm điểm.</b> Nếu vẫn nộp, hãy xác nhận cho từng "
                    "lĩnh vực (tiêu chí chưa chấm sẽ được tính 0 điểm):",
                    style=f"color: {AMBER};",
                )
            )
        for area, problems in self.check.unscored.items():
            title = self.check.area_titles.get(area, "")
            box = QCheckBox(
                f"Lĩnh vực {area}. {title}: nộp khi còn {len(problems)} tiêu chí chưa chấm điểm"
            )
            box.setChecked(area in confirmed)
            box.toggled.connect(self._confirmation_changed)
            self.unscored_layout.addWidget(box)
            self.unscored_checks[area] = box
        self.unscored_box.setVisible(bool(self.check.unscored))

    def confirmed_areas(self) -> list[str]:
        return [area for area, box in self.unscored_checks.items() if box.isChecked()]

    def _confirmation_changed(self) -> None:
        self.check = self.check.confirm(self.confirmed_areas())
        self._update_buttons()

    def refresh_check(self) -> None:
        """Re-run the pre-flight check (also after the officer fixed something)."""
        ws = self.session.ws
        self.check = preflight(ws)
        self._fill_unscored_box()
        self.check = self.check.confirm(self.confirmed_areas())
        tree = self.problem_tree
        tree.clear()
        titles = {}
        a = ws.current_assessment()
        if a is not None:
            titles = {c.code: c.title for c in ws.framework(a.framework_id).criteria}
        red = QBrush(QColor(RED))
        amber = QBrush(QColor(AMBER))
        first_blocking: QTreeWidgetItem | None = None
        if self.check.blocking:
            group = QTreeWidgetItem([f"Lỗi phải sửa trước khi nộp ({len(self.check.blocking)})"])
            group.setForeground(0, red)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            tree.addTopLevelItem(group)
            for p in self.check.blocking:
                row = QTreeWidgetItem([f"{p.code} — {p.message}"])
                row.setForeground(0, red)
                row.setData(0, CODE_ROLE, p.code)
                row.setToolTip(0, titles.get(p.code, ""))
                group.addChild(row)
                first_blocking = first_blocking or row
            group.setExpanded(True)
        messages: dict[str, list[tuple[str, str]]] = {}
        for p in self.check.warnings:
            messages.setdefault(p.kind, []).append((p.code, p.message))
        for kind, rows in messages.items():
            label = PROBLEM_LABELS.get(kind, kind)
            group = QTreeWidgetItem([f"{len(rows)} mục {label}"])
            group.setForeground(0, amber)
            group.setIcon(0, warning_icon())
            tree.addTopLevelItem(group)
            for code, message in rows:
                title = titles.get(code, "")
                row = QTreeWidgetItem([f"{code} {title} — {message}" if title else message])
                row.setForeground(0, amber)
                row.setData(0, CODE_ROLE, code)
                group.addChild(row)
        if self.check.blocking:
            self.check_summary.setText(
                f"Còn {len(self.check.blocking)} lỗi phải sửa trước khi nộp hồ sơ. Hãy sửa các "
                "mục màu đỏ rồi mở lại chức năng này."
            )
            self.check_summary.setStyleSheet(f"color: {RED}; font-weight: bold;")
            if first_blocking is not None:
                tree.setCurrentItem(first_blocking)
        elif self.check.unscored:
            count = sum(len(g) for g in self.check.unscored.values())
            self.check_summary.setText(
                f"Còn {count} tiêu chí chưa chấm điểm và {len(self.check.warnings)} cảnh báo. "
                "Hãy chấm điểm, hoặc xác nhận từng lĩnh vực bên dưới nếu vẫn nộp."
            )
            self.check_summary.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        elif self.check.warnings:
            self.check_summary.setText(
                f"Không có lỗi chặn việc nộp. Còn {len(self.check.warnings)} cảnh báo nên hoàn "
                "thiện (vẫn có thể nộp)."
            )
            self.check_summary.setStyleSheet(f"color: {AMBER}; font-weight: bold;")
        else:
            self.check_summary.setText("Hồ sơ đầy đủ, không có lỗi hay cảnh báo.")
            self.check_summary.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
        self._update_buttons()

    def _problem_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, CODE_ROLE)
        if isinstance(code, str) and code:
            self.session.select_item(code)
            self.reject()

    # -- (b) approver and output ------------------------------------------------------------
    def _build_approver_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title("Bước 2/3 — Người phê duyệt và nơi lưu hồ sơ"))
        layout.addWidget(
            _label(
                "Hồ sơ nộp ghi tên lãnh đạo phê duyệt. Tên này cũng in trên báo cáo kèm dấu xác "
                "nhận của lần nộp."
            )
        )
        form = QFormLayout()
        self.approver_edit = QLineEdit()
        self.approver_edit.setPlaceholderText("Họ và tên lãnh đạo ký duyệt")
        self.position_edit = QLineEdit(DEFAULT_POSITION)
        self.approver_edit.textChanged.connect(self._approver_changed)
        self.position_edit.textChanged.connect(self._approver_changed)
        form.addRow("Họ và tên người &phê duyệt:", self.approver_edit)
        form.addRow("&Chức vụ:", self.position_edit)
        self.folder_edit = QLineEdit(str(self.output_folder))
        self.folder_edit.setReadOnly(True)
        self.folder_button = QPushButton("Chọn thư &mục…")
        self.folder_button.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.folder_button)
        form.addRow("Lưu vào thư mục:", folder_row)
        self.file_name_label = _label(style="font-family: monospace;")
        form.addRow("Tên tệp:", self.file_name_label)
        layout.addLayout(form)
        self.supplement_check = QCheckBox(
            "Chỉ gửi &phần bổ sung: các tài liệu cấp trên chưa có (tệp nhỏ hơn)"
        )
        self.supplement_check.setToolTip(
            "Cấp trên đã giữ hồ sơ lần họ thẩm định; tệp bổ sung mang toàn bộ bản tự đánh giá "
            "mới nhưng chỉ các tài liệu kiểm chứng mới. Bản đầy đủ vẫn được lưu trong dữ liệu."
        )
        self.supplement_check.toggled.connect(self._approver_changed)
        layout.addWidget(self.supplement_check)
        self.revision_label = _label(style="font-weight: bold; color: #1e4f8a;")
        layout.addWidget(self.revision_label)
        self.approver_error = _label(style=f"color: {RED};")
        layout.addWidget(self.approver_error)
        layout.addStretch(1)
        return page

    def _prefill_approver(self) -> None:
        revs = revisions(self.session.ws) if self.session.ws.current_assessment() else []
        if revs:
            self.approver_edit.setText(revs[-1].approver)
            self.position_edit.setText(revs[-1].approver_position or DEFAULT_POSITION)
        self._approver_changed()

    def ask_folder(self) -> Path | None:
        """The native folder picker (tests replace this method)."""
        name = QFileDialog.getExistingDirectory(
            self, "Chọn thư mục lưu hồ sơ", str(self.output_folder)
        )
        return Path(name) if name else None

    def _choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.output_folder = folder
            self.folder_edit.setText(str(folder))

    def next_revision_number(self) -> tuple[int, bool]:
        """(revision the export will write, whether it re-uses an unchanged revision)."""
        nxt = next_revision(self.session.ws, self.approver_edit.text(), self.position_edit.text())
        return nxt.number, nxt.reuses_last

    def _approver_changed(self) -> None:
        ws = self.session.ws
        a = ws.current_assessment()
        unit = ws.own_unit()
        if a is None or unit is None:
            return
        number, reused = self.next_revision_number()
        base = appraised_revision(ws)
        self.supplement_check.setVisible(base is not None)
        if base is None:
            self.supplement_check.setChecked(False)
        name = bundle_file_name(unit.code, a.period, number)
        if self.supplement_check.isChecked():
            name = name.replace(".zip", f"-bosung-tu-lan-{base}.zip")
        self.file_name_label.setText(name)
        if reused:
            self.revision_label.setText(
                f"Không có thay đổi kể từ lần nộp thứ {number}: hồ sơ lần {number} sẽ được ghi "
                "lại (cùng nội dung)."
            )
        else:
            self.revision_label.setText(
                f"Lần nộp thứ {number}: nội dung tự đánh giá hiện tại sẽ được chốt lại. Sửa sau "
                "khi nộp sẽ thành lần nộp tiếp theo."
            )
        self.approver_error.clear()
        self._update_buttons()

    # -- (c) signing key ---------------------------------------------------------------------
    def _build_key_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title("Bước 3/3 — Ký số hồ sơ"))

        self.create_box = QFrame()
        self.create_box.setFrameShape(QFrame.Shape.StyledPanel)
        create = QVBoxLayout(self.create_box)
        create.addWidget(
            _label(
                "<b>Đơn vị chưa có khóa ký số.</b> Khóa ký số chứng minh hồ sơ do chính đơn vị "
                "gửi và không bị sửa trên đường đi. Khóa được tạo một lần, lưu trên máy này và "
                "được bảo vệ bằng mật khẩu. Sau khi tạo, hãy đọc <b>dấu vân tay</b> của khóa "
                "cho đơn vị cấp trên qua điện thoại để đăng ký. Hãy ghi nhớ mật khẩu: mất mật "
                "khẩu thì phải tạo khóa mới và đăng ký lại."
            )
        )
        create_form = QFormLayout()
        self.new_pass_edit = QLineEdit()
        self.new_pass_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_pass_edit.setPlaceholderText(f"ít nhất {unit_keys.MIN_PASSPHRASE} ký tự")
        self.new_pass2_edit = QLineEdit()
        self.new_pass2_edit.setEchoMode(QLineEdit.EchoMode.Password)
        create_form.addRow("Mật khẩu cho khóa mới:", self.new_pass_edit)
        create_form.addRow("Nhập lại mật khẩu:", self.new_pass2_edit)
        create.addLayout(create_form)
        self.create_button = QPushButton("Tạo &khóa ký số")
        self.create_button.clicked.connect(self.create_key)
        self.create_error = _label(style=f"color: {RED};")
        row = QHBoxLayout()
        row.addWidget(self.create_button)
        row.addWidget(self.create_error, 1)
        create.addLayout(row)
        layout.addWidget(self.create_box)

        self.key_info = _label()
        layout.addWidget(self.key_info)
        form = QFormLayout()
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.textChanged.connect(self._passphrase_typed)
        self.passphrase_edit.returnPressed.connect(self.go_next)
        form.addRow("&Mật khẩu khóa ký:", self.passphrase_edit)
        layout.addLayout(form)
        self.passphrase_error = _label(style=f"color: {RED}; font-weight: bold;")
        layout.addWidget(self.passphrase_error)
        layout.addStretch(1)
        return page

    def _refresh_key_page(self) -> None:
        status = unit_keys.key_status(self.session.ws)
        has_key = status is not None
        self.create_box.setVisible(not has_key)
        self.passphrase_edit.setEnabled(has_key)
        if status is None:
            self.key_info.setText("")
        else:
            self.key_info.setText(
                f"Hồ sơ sẽ được ký bằng khóa của đơn vị, dấu vân tay "
                f"<b style='font-family: monospace; font-size: 11pt'>{status.fingerprint}</b>. "
                "Nhập mật khẩu của khóa để ký."
            )
        self._update_buttons()

    def create_key(self) -> None:
        """Create the unit's key in the background (scrypt takes a few seconds)."""
        first = self.new_pass_edit.text()
        if len(first) < unit_keys.MIN_PASSPHRASE:
            self.create_error.setText(f"Mật khẩu phải có ít nhất {unit_keys.MIN_PASSPHRASE} ký tự.")
            return
        if first != self.new_pass2_edit.text():
            self.create_error.setText("Hai lần nhập mật khẩu không giống nhau.")
            return
        ws = self.session.ws
        self.create_error.setStyleSheet("color: #5f6368;")
        self.create_error.setText("Đang tạo khóa…")
        self.create_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)

        def job(_progress: ProgressFn, _cancelled: CancelFn) -> unit_keys.KeyStatus:
            return unit_keys.create_key(ws, first)

        task = BackgroundTask(job, self)
        task.finished.connect(lambda status: self._key_created(status, first))
        task.failed.connect(self._key_failed)
        task.done.connect(self._task_done)
        self.task = task
        task.start()

    def _key_created(self, status: unit_keys.KeyStatus, passphrase: str) -> None:
        self.new_pass_edit.clear()
        self.new_pass2_edit.clear()
        self.create_error.clear()
        self._refresh_key_page()
        self.key_info.setText(
            "<span style='color: #188038'><b>Đã tạo khóa ký số.</b></span> Dấu vân tay: "
            f"<b style='font-family: monospace; font-size: 11pt'>{status.fingerprint}</b> — "
            "đọc dấu vân tay này cho đơn vị cấp trên khi đăng ký khóa (xem lại ở Tệp → "
            "Khóa ký số)."
        )
        self.passphrase_edit.setText(passphrase)
        self.passphrase_edit.setFocus()

    def _key_failed(self, message: str) -> None:
        self.create_error.setStyleSheet(f"color: {RED};")
        self.create_error.setText(message)

    def _passphrase_typed(self) -> None:
        self.passphrase_error.clear()
        self._update_buttons()

    # -- (d) writing ----------------------------------------------------------------------
    def _build_write_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title("Đang ký và ghi hồ sơ"))
        self.write_label = _label("Đang mở khóa ký số…")
        layout.addWidget(self.write_label)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        layout.addWidget(self.progress_bar)
        layout.addWidget(
            _label(
                "Hồ sơ gồm bản tự đánh giá và mọi tài liệu kiểm chứng; với nhiều tài liệu có thể "
                "mất vài phút. Bấm Hủy để dừng (không tệp nào bị ghi dở).",
                style="color: #5f6368;",
            )
        )
        layout.addStretch(1)
        return page

    def start_export(self) -> None:
        ws = self.session.ws
        approver = self.approver_edit.text()
        position = self.position_edit.text()
        passphrase = self.passphrase_edit.text()
        folder = self.output_folder
        confirmed = self.confirmed_areas()
        supplement = self.supplement_check.isChecked()
        self.progress_bar.setRange(0, 0)
        self.write_label.setText("Đang mở khóa ký số…")
        self.show_page(PAGE_WRITE)

        def job(
            progress: ProgressFn, cancelled: CancelFn
        ) -> tuple[Revision, BundleResult] | Supplement | _WrongPassphrase:
            try:
                keypair = unit_keys.unlock(ws, passphrase)
            except WrongPassphrase:
                return _WrongPassphrase()
            if cancelled():
                raise Cancelled("Đã hủy.")
            if supplement:
                return export_supplement(
                    ws, folder, keypair, approver, position,
                    confirm_unscored=confirmed, progress=progress, cancel=cancelled,
                )  # fmt: skip
            try:
                return export_bundle(
                    ws,
                    folder,
                    keypair,
                    approver,
                    position,
                    progress,
                    cancelled,
                    confirm_unscored=confirmed,
                )
            except Cancelled:
                raise

        task = BackgroundTask(job, self)
        task.progress.connect(self._export_progress)
        task.finished.connect(self._export_finished)
        task.failed.connect(self._export_failed)
        task.cancelled.connect(self._export_cancelled)
        task.done.connect(self._task_done)
        self.task = task
        task.start()

    def _export_progress(self, done: int, total: int) -> None:
        self.write_label.setText("Đang đóng gói và ký hồ sơ…")
        if total > 0:
            scale = max(1, total // 1_000_000)  # keep within a QProgressBar's int range
            self.progress_bar.setRange(0, total // scale)
            self.progress_bar.setValue(done // scale)

    def _export_finished(self, outcome: object) -> None:
        if isinstance(outcome, _WrongPassphrase):
            self.passphrase_error.setText(WRONG_PASSPHRASE_TEXT)
            self.show_page(PAGE_KEY)
            self.passphrase_edit.selectAll()
            self.passphrase_edit.setFocus()
            return
        if isinstance(outcome, Supplement):
            assert outcome.frozen is not None and outcome.sent is not None
            self.revision, self.bundle_result = outcome.frozen, outcome.sent
        else:
            assert isinstance(outcome, tuple)
            self.revision, self.bundle_result = outcome
        self._fill_done_page()
        self.show_page(PAGE_DONE)
        self.session.notify(Changes(assessment=True))
        self.submitted.emit(self.bundle_result)

    def _export_failed(self, message: str) -> None:
        self.passphrase_error.setText(message)
        self.show_page(PAGE_KEY)

    def _export_cancelled(self) -> None:
        self.passphrase_error.setText("Đã hủy ghi hồ sơ. Chưa có tệp nào được ghi.")
        self.show_page(PAGE_KEY)

    def _task_done(self) -> None:
        self.task = None
        self.create_button.setEnabled(True)
        self._update_buttons()

    def busy(self) -> bool:
        return self.task is not None

    # -- (e) done -------------------------------------------------------------------------
    def _build_done_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_title("Đã ghi hồ sơ nộp"))
        self.done_label = _label(style=f"color: {GREEN}; font-weight: bold;")
        layout.addWidget(self.done_label)
        form = QFormLayout()
        self.done_path = _label()
        self.done_revision = _label()
        self.done_hash = _label(style="font-family: monospace;")
        self.done_fingerprint = _label(style="font-family: monospace;")
        form.addRow("Tệp hồ sơ:", self.done_path)
        form.addRow("Lần nộp:", self.done_revision)
        form.addRow("Mã băm SHA-256:", self.done_hash)
        form.addRow("Dấu vân tay khóa:", self.done_fingerprint)
        layout.addLayout(form)
        open_folder = QPushButton("Mở &thư mục")
        open_folder.clicked.connect(self.open_folder)
        self.sign_button = QPushButton("Ký số báo cáo bằng chữ ký số (USB &token)…")
        self.sign_button.setToolTip(
            "In báo cáo của lần nộp này (có dấu xác nhận) rồi ký số bằng chứng thư số của "
            "lãnh đạo: USB token hoặc tệp PKCS#12"
        )
        self.sign_button.clicked.connect(self.sign_report)
        row = QHBoxLayout()
        row.addWidget(open_folder)
        row.addWidget(self.sign_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.size_warning = _label(style=f"color: {RED};")
        self.size_warning.hide()
        layout.addWidget(self.size_warning)
        layout.addWidget(
            _label(
                "Gửi tệp này cho đơn vị cấp trên (thư điện tử, USB…). Tiếp theo: "
                "<b>In báo cáo kèm dấu xác nhận</b> (Tệp → In biểu mẫu, báo cáo…) để lãnh đạo "
                "ký; dấu xác nhận trên báo cáo ghi mã băm của đúng tệp này."
            )
        )
        layout.addStretch(1)
        return page

    def _fill_done_page(self) -> None:
        assert self.bundle_result is not None and self.revision is not None
        r = self.bundle_result
        self.done_label.setText(
            "Hồ sơ bổ sung đã được ký số và ghi: chỉ mang các tài liệu cấp trên chưa có."
            if self.supplement_check.isChecked()
            else "Hồ sơ đã được ký số và ghi thành công."
        )
        self.done_path.setText(str(r.path))
        self.done_revision.setText(
            f"Lần thứ {self.revision.revision} — {format_number(r.size / 1024 / 1024, 1)} MB"
        )
        self.done_hash.setText(short_hash(r.sha256))
        self.done_hash.setToolTip(r.sha256)
        self.done_fingerprint.setText(r.key_fingerprint)
        big = r.size > EMAIL_LIMIT_BYTES
        self.size_warning.setText(
            f"Tệp hồ sơ nặng {format_number(r.size / 1024 / 1024, 1)} MB: quá lớn để gửi kèm thư "
            "điện tử hay tin nhắn (thường tối đa 25 MB). Hãy chép vào USB hoặc gửi qua dịch vụ "
            "lưu trữ của cơ quan."
            if big
            else ""
        )
        self.size_warning.setVisible(big)

    def sign_report(self) -> None:
        """Print this revision's report (with its seal) beside the bundle, then sign it."""
        assert self.bundle_result is not None and self.revision is not None
        folder = self.bundle_result.path.parent
        pdf = folder / f"bao-cao-tu-danh-gia-lan-{self.revision.revision}.pdf"
        try:
            printing.print_report(
                self.session.ws, pdf, self.revision.approver, self.revision.approver_position
            )
        except ParAppError as err:
            messages.show_exception(self, err, "Không in được báo cáo")
            return
        unit = self.session.ws.own_unit()
        details = SignerDetails(self.revision.approver_position, unit.name if unit else "")
        self.run_sign_dialog(SignDialog(pdf, details, parent=self))

    def run_sign_dialog(self, dialog: SignDialog) -> None:
        """Show the signing dialog (replaced in tests)."""
        dialog.exec()
        dialog.deleteLater()

    def open_folder(self) -> None:
        if self.bundle_result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.bundle_result.path.parent)))

    # -- navigation -----------------------------------------------------------------------
    def show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        if page == PAGE_APPROVER:
            self._approver_changed()
            if not self.approver_edit.text():
                self.approver_edit.setFocus()
        elif page == PAGE_KEY:
            self._refresh_key_page()
            if self.passphrase_edit.isEnabled():
                self.passphrase_edit.setFocus()
            else:
                self.new_pass_edit.setFocus()
        self._update_buttons()

    def page(self) -> int:
        return self.stack.currentIndex()

    def _update_buttons(self) -> None:
        page = self.stack.currentIndex()
        working = self.task is not None
        self.back_button.setVisible(page in (PAGE_APPROVER, PAGE_KEY))
        self.back_button.setEnabled(not working)
        self.next_button.setVisible(page != PAGE_WRITE)
        if page == PAGE_CHECK:
            self.next_button.setText("&Tiếp tục >")
            self.next_button.setEnabled(self.check.ok and not working)
        elif page == PAGE_APPROVER:
            self.next_button.setText("&Tiếp tục >")
            self.next_button.setEnabled(bool(self.approver_edit.text().strip()))
        elif page == PAGE_KEY:
            self.next_button.setText("&Ký và ghi hồ sơ")
            self.next_button.setEnabled(
                not working
                and self.passphrase_edit.isEnabled()
                and bool(self.passphrase_edit.text())
            )
        elif page == PAGE_DONE:
            self.next_button.setText("&Xong")
            self.next_button.setEnabled(True)
        self.cancel_button.setVisible(page != PAGE_DONE)
        self.cancel_button.setEnabled(page == PAGE_WRITE or not working)

    def go_next(self) -> None:
        if not self.next_button.isEnabled() or not self.next_button.isVisible():
            return
        page = self.stack.currentIndex()
        if page == PAGE_CHECK:
            self.show_page(PAGE_APPROVER)
        elif page == PAGE_APPROVER:
            if not self.approver_edit.text().strip():
                self.approver_error.setText("Chưa nhập họ tên người phê duyệt.")
                return
            self.show_page(PAGE_KEY)
        elif page == PAGE_KEY:
            self.start_export()
        elif page == PAGE_DONE:
            self.accept()

    def go_back(self) -> None:
        page = self.stack.currentIndex()
        if page in (PAGE_APPROVER, PAGE_KEY) and self.task is None:
            self.show_page(page - 1)

    def _cancel_clicked(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.write_label.setText("Đang dừng…")
            return
        self.reject()

    def reject(self) -> None:
        """Closing while the worker runs only asks it to stop (it must not outlive us)."""
        if self.task is not None:
            self.task.cancel()
            return
        super().reject()
