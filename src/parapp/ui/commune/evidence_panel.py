"""Evidence files of the selected item: attach (picker or drag-and-drop), open, unlink.

Copying a 50 MB scan must not freeze the window, so the copy and hash run in a background
task that only calls ``ws.store_evidence_file`` (no database); the link is written in the
GUI thread when the copy is done, as an undoable command. A file whose stored copy is
missing or damaged is flagged so the officer re-attaches it before submitting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6 import QtWidgets  # the file dialog's class is built when first shown
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.models.assessment import EvidenceLink
from parapp.models.errors import ParAppError
from parapp.models.text import format_number
from parapp.services import workspace
from parapp.services.changes import Changes
from parapp.ui.commune.undo_commands import (
    EditEvidenceCommand,
    LinkEvidenceCommand,
    UnlinkEvidenceCommand,
)
from parapp.ui.icons import warning_icon
from parapp.ui.session import Session
from parapp.ui.workers import BackgroundTask

FILE_FILTERS = ";;".join(
    [
        "Tài liệu thường dùng (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx *.xls *.xlsx)",
        "PDF (*.pdf)",
        "Ảnh (*.jpg *.jpeg *.png *.tif *.tiff *.bmp)",
        "Tệp Office (*.doc *.docx *.xls *.xlsx *.ppt *.pptx *.odt *.ods)",
        "Tất cả tệp (*)",
    ]
)
BROKEN_TEXT = "Tệp đã lưu bị mất/hỏng — hãy gắn lại"
ALREADY_STORED_TEXT = "Tệp này đã có trong kho, không sao chép lại"
COL_NAME, COL_SIZE, COL_REF, COL_NOTE = range(4)


def format_size(size: int) -> str:
    """``1536`` -> ``"1,5 KB"``; ``5_400_000`` -> ``"5,1 MB"`` (decimal comma)."""
    if size < 1024 * 1024:
        return f"{format_number(max(size, 0) / 1024, 1)} KB"
    if size < 1024**3:
        return f"{format_number(size / 1024**2, 1)} MB"
    return f"{format_number(size / 1024**3, 2)} GB"


@dataclass(frozen=True)
class _Job:
    code: str
    path: Path


class EvidencePanel(QWidget):
    """List, attach, open and unlink the evidence of one leaf criterion."""

    copy_started = Signal(str)  # file name
    copy_done = Signal(str)  # file name, once linked (or cancelled/failed)
    saved = Signal(str)  # code, after a link was written

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.code: str | None = None
        self.links: list[EvidenceLink] = []
        self.broken: dict[int, str] = {}
        self._queue: list[_Job] = []
        self.task: BackgroundTask | None = None
        self._current_job: _Job | None = None
        self._check_task: BackgroundTask | None = None
        self._filling = False
        self.setAcceptDrops(True)
        self._build()
        session.changed.connect(self._on_changed)
        self.show_item(None)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QLabel("<b>Tài liệu kiểm chứng</b> — kéo thả tệp vào đây hoặc bấm “Thêm tệp…”")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Tệp", "Dung lượng", "Trang/mục", "Ghi chú"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SIZE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_REF, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(COL_REF, 110)
        self.table.setColumnWidth(COL_NOTE, 160)
        self.table.setMinimumHeight(96)
        self.table.setMaximumHeight(200)
        self.table.itemChanged.connect(self._item_edited)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(
            lambda item: self.open_selected() if item.column() in (COL_NAME, COL_SIZE) else None
        )
        layout.addWidget(self.table)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Thêm tệp…")
        self.open_button = QPushButton("&Mở")
        self.unlink_button = QPushButton("&Bỏ gắn")
        self.add_button.clicked.connect(self.pick_files)
        self.open_button.clicked.connect(self.open_selected)
        self.unlink_button.clicked.connect(self.unlink_selected)
        for b in (self.add_button, self.open_button, self.unlink_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        progress_row = QHBoxLayout()
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton("&Huỷ sao chép")
        self.cancel_button.clicked.connect(self.cancel)
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_widget = QWidget()
        self.progress_widget.setLayout(progress_row)
        self.progress_widget.hide()
        layout.addWidget(self.progress_widget)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        layout.addWidget(self.message_label)

    # -- showing --------------------------------------------------------------------------
    def show_item(self, code: str | None) -> None:
        """Show the evidence of leaf ``code`` (``None`` disables the panel)."""
        self.code = code
        self.message_label.hide()
        self.refresh(check=True)

    def refresh(self, check: bool = False) -> None:
        ws = self.session.ws
        self.links = list(ws.answer(self.code).evidence) if self.code else []
        survey = False
        if self.code and ws.current_assessment() is not None:
            c = ws.current_framework().by_code.get(self.code)
            survey = c is not None and c.survey_only
        self.setEnabled(self.code is not None and not survey)
        if check:
            self.broken = {}
            for link in self.links:
                problem = None if ws.evidence.has(link.sha256) else "tệp đã lưu bị mất"
                if problem is None and ws.evidence_path(link.sha256).stat().st_size != link.size:
                    problem = "tệp đã lưu bị thay đổi kích thước"
                if problem and link.id is not None:
                    self.broken[link.id] = problem
            self._start_full_check()
        self._fill()

    def _fill(self) -> None:
        self._filling = True
        try:
            self.table.setRowCount(len(self.links))
            for row, link in enumerate(self.links):
                problem = self.broken.get(link.id or -1)
                name = QTableWidgetItem(link.file_name)
                name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
                name.setData(Qt.ItemDataRole.UserRole, link.id)
                if problem:
                    name.setIcon(warning_icon())
                    name.setText(f"{link.file_name} — {BROKEN_TEXT}")
                    name.setToolTip(f"{BROKEN_TEXT} ({problem}).")
                else:
                    name.setToolTip(link.file_name)
                size = QTableWidgetItem(format_size(link.size))
                size.setFlags(size.flags() & ~Qt.ItemFlag.ItemIsEditable)
                size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                ref = QTableWidgetItem(link.ref)
                ref.setToolTip("Trang hoặc mục chứng minh (bấm đúp để sửa)")
                note = QTableWidgetItem(link.note)
                note.setToolTip("Ghi chú (bấm đúp để sửa)")
                for col, item in enumerate((name, size, ref, note)):
                    self.table.setItem(row, col, item)
        finally:
            self._filling = False
        self._update_buttons()

    def _start_full_check(self) -> None:
        """Hash-check this item's stored files in the background (they may be large)."""
        ws, code = self.session.ws, self.code
        todo = [(link.id, link.sha256, link.size) for link in self.links if link.id is not None]
        if not todo or code is None:
            return

        def job(progress: object, cancelled: object) -> dict[int, str]:
            found = {}
            for link_id, sha, size in todo:
                problem = ws.evidence.check(sha, size)
                if problem and link_id is not None:
                    found[link_id] = problem
            return found

        task = BackgroundTask(job)  # no parent: it may outlive the panel

        def apply(found: object) -> None:
            if not shiboken6.isValid(self):
                return
            if self.code == code and isinstance(found, dict) and found:
                self.broken.update(found)
                self._fill()

        task.finished.connect(apply)
        self._check_task = task
        task.start()

    def selected_link(self) -> EvidenceLink | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.links[row] if 0 <= row < len(self.links) else None

    def _update_buttons(self) -> None:
        has = self.selected_link() is not None
        self.open_button.setEnabled(has)
        self.unlink_button.setEnabled(has)

    def _on_changed(self, changes: Changes) -> None:
        if self.code is not None and (self.code in changes.codes or changes.assessment):
            self.refresh(check=changes.evidence)

    # -- adding ---------------------------------------------------------------------------
    def pick_files(self) -> None:
        names, _filter = QtWidgets.QFileDialog.getOpenFileNames(
            self, "Chọn tài liệu kiểm chứng", "", FILE_FILTERS
        )
        self.add_files([Path(n) for n in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if self.isEnabled() and urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.add_files(paths)

    def add_files(self, paths: Iterable[Path]) -> None:
        """Copy ``paths`` into the store one after another and link them to this item."""
        if self.code is None:
            return
        files = [Path(p) for p in paths]
        for p in files:
            if p.is_dir():
                self._message(f"“{p.name}” là thư mục; hãy chọn các tệp bên trong.", error=True)
            else:
                self._queue.append(_Job(self.code, p))
        self._start_next()

    def busy(self) -> bool:
        return self.task is not None

    def _start_next(self) -> None:
        if self.task is not None or not self._queue:
            return
        job = self._queue.pop(0)
        self._current_job = job
        ws = self.session.ws
        task = BackgroundTask(  # no parent: the worker may outlive a closed panel
            lambda progress, cancelled: ws.store_evidence_file(job.path, progress, cancelled)
        )
        task.progress.connect(self._on_progress)
        task.finished.connect(self._on_stored)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        task.done.connect(self._on_task_done)
        self.task = task
        self.progress.setValue(0)
        self.progress_label.setText(f"Đang sao chép “{job.path.name}”…")
        self.progress_widget.show()
        self.copy_started.emit(job.path.name)
        task.start()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(done * 1000 / total) if total else 1000)

    def _on_stored(self, stored: object) -> None:
        job = self._current_job
        assert job is not None and isinstance(stored, workspace.StoredFile)
        ws = self.session.ws
        already_linked = any(e.sha256 == stored.sha256 for e in ws.answer(job.code).evidence)
        if already_linked:
            self._message(f"“{job.path.name}” đã được gắn cho tiêu chí {job.code} từ trước.")
            return
        try:
            self.session.undo_stack.push(
                LinkEvidenceCommand(self.session, job.code, stored, job.path.name)
            )
        except ParAppError as err:
            self._message(str(err), error=True)
            return
        if stored.already_present:
            self._message(ALREADY_STORED_TEXT + ".")
        else:
            self._message(f"Đã gắn “{job.path.name}” ({format_size(stored.size)}).")
        self.saved.emit(job.code)

    def _on_failed(self, message: str) -> None:
        self._message(message, error=True)

    def _on_cancelled(self) -> None:
        job = self._current_job
        name = job.path.name if job else ""
        self._message(f"Đã huỷ sao chép “{name}”; không có gì thay đổi.")

    def _on_task_done(self) -> None:
        job = self._current_job
        self.task, self._current_job = None, None
        if not self._queue:
            self.progress_widget.hide()
        if job is not None:
            self.copy_done.emit(job.path.name)
        self._start_next()

    def cancel(self) -> None:
        """Stop the running copy (its partial file is removed) and drop queued files."""
        self._queue.clear()
        if self.task is not None:
            self.task.cancel()

    def _message(self, text: str, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #b3261e;" if error else "color: #1e6b34;")
        self.message_label.setText(text)
        self.message_label.show()

    # -- editing, opening, unlinking ------------------------------------------------------
    def _item_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in (COL_REF, COL_NOTE) or self.code is None:
            return
        link = self.links[item.row()]
        assert link.id is not None
        ref_item, note_item = (
            self.table.item(item.row(), COL_REF),
            self.table.item(item.row(), COL_NOTE),
        )
        new = (ref_item.text() if ref_item else "", note_item.text() if note_item else "")
        if new != (link.ref, link.note):
            self.session.undo_stack.push(
                EditEvidenceCommand(self.session, self.code, link.id, (link.ref, link.note), new)
            )
            self.saved.emit(self.code)

    def unlink_selected(self) -> None:
        link = self.selected_link()
        if link is None or link.id is None or self.code is None:
            return
        self.session.undo_stack.push(
            UnlinkEvidenceCommand(self.session, self.code, link.id, link.file_name)
        )
        self._message(f"Đã bỏ gắn “{link.file_name}” (có thể hoàn tác bằng Ctrl+Z).")
        self.saved.emit(self.code)

    def open_selected(self) -> None:
        """Open a read-only temp copy, only when its content is a real document type."""
        link = self.selected_link()
        if link is None:
            return
        source = self.session.ws.evidence_path(link.sha256)
        if not source.is_file():
            self._message(f"“{link.file_name}”: {BROKEN_TEXT}.", error=True)
            return
        from parapp.ui.evidence_open import open_evidence_file  # content sniffing: on first use

        try:
            opened, text = open_evidence_file(self, source, link.file_name)
        except ParAppError as err:
            self._message(str(err), error=True)
            return
        self._message(text if not opened else f"{text}.", error=not opened)
