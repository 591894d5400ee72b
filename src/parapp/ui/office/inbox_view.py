"""“Hồ sơ nhận”: import the child units' bundles and see at a glance who has submitted.

Files or whole folders (picked or dropped) are imported by
:func:`parapp.services.office.inbox.import_bundles` in a background task behind a modal progress
dialog (bytes, cancel), since 200 bundles of 20 MB take minutes. The table shows every
received file of the period with its verdict, colour-coded; the completeness panel lists
who submitted on time, late, or not at all against the period's deadline. One search box and
one filter ("Chưa nộp", "Nộp muộn", "Có cảnh báo", "Chưa xác minh khóa") act on both tables,
so at 200 units the officer finds a unit, a signer or a file by typing.
"""

from __future__ import annotations

from collections.abc import Sized
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.services import x509_trust
from parapp.services.changes import Changes
from parapp.services.office import inbox, supplements
from parapp.services.office.completeness_export import export_completeness_csv
from parapp.services.office.inbox import Completeness, ImportReport, InboxEntry, UnitSubmission
from parapp.ui.office.common import (
    AMBER,
    BAD_BG,
    GREY,
    MUTED_BG,
    OK_BG,
    RED,
    WARN_BG,
    MessageLine,
    RowKeys,
    filter_combo,
    filter_rows,
    search_edit,
    vn_datetime,
)
from parapp.ui.progress_dialog import ProgressDialog
from parapp.ui.session import Session
from parapp.ui.table_model import ListTableModel
from parapp.ui.workers import CancelFn, ProgressFn

_Index = QModelIndex | QPersistentModelIndex
# InboxEntry.status values (see parapp.services.office.inbox.STATUS_LABELS)
OK, UNVERIFIED, CONFLICT, REFUSED = "ok", "unverified_key", "conflict", "refused"
SUPERSEDED_TEXT = "Đã có lần nộp mới hơn"
INBOX_HEADERS = ("Đơn vị", "Kỳ", "Lần nộp", "Nhận lúc", "Tình trạng", "Người ký số", "Tệp")
COMPLETENESS_HEADERS = ("Mã", "Đơn vị", "Tình trạng", "Lần nộp", "Nhận lần đầu")
#: the filters of both tables (label, key): a file matches through its unit's state too
INBOX_FILTERS = (
    ("Tất cả", ""),
    ("Chưa nộp", "missing"),
    ("Nộp muộn", "late"),
    ("Có cảnh báo", "flagged"),
    ("Chưa xác minh khóa", "unverified"),
)
INBOX_SEARCH_PLACEHOLDER = "Tìm đơn vị, mã, người ký, tên tệp (gõ không dấu cũng được)…"
STATE_COLOURS = {
    inbox.SUBMITTED: OK_BG,
    inbox.RECEIVED: OK_BG,
    inbox.LATE: WARN_BG,
    inbox.MISSING: MUTED_BG,
    inbox.OVERDUE: BAD_BG,
}


def entry_status_text(e: InboxEntry) -> str:
    """What the status column says: the label, the refusal reason, superseded or not, and
    the flag of a bundle made against a framework this office did not publish."""
    if e.status == REFUSED:
        return f"{e.status_label}: {e.reason}" if e.reason else e.status_label
    text = e.status_label
    if e.superseded:
        text = f"{text} — {SUPERSEDED_TEXT}"
    if e.framework_warning:
        text = f"{text} — {e.framework_warning}"
    return text


def entry_colour(e: InboxEntry) -> QColor:
    if e.status == REFUSED or e.status == CONFLICT:
        return BAD_BG
    if e.superseded or e.status == inbox.STATUS_DUPLICATE:
        return MUTED_BG
    if e.status == UNVERIFIED or e.framework_warning:
        return WARN_BG
    return OK_BG


class InboxModel(ListTableModel):
    """The received files of a period, fed from one :func:`inbox.inbox_entries` call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[InboxEntry] = []
        self.officials: list[str] = []

    def set_entries(self, entries: list[InboxEntry], officials: list[str] | None = None) -> None:
        """``officials``: who signed each bundle with a certificate ("" when nobody did)."""
        self.beginResetModel()
        self.entries = list(entries)
        self.officials = list(officials or [""] * len(self.entries))
        self.endResetModel()

    def row_list(self) -> Sized:
        return self.entries

    def column_headers(self) -> tuple[str, ...]:
        return tuple(INBOX_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        e = self.entries[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return f"{e.unit_code} — {e.unit_name}" if e.unit_name else e.unit_code or "?"
            if col == 1:
                return e.period
            if col == 2:
                return str(e.revision) if e.revision else ""
            if col == 3:
                return vn_datetime(e.received_at)
            if col == 4:
                return entry_status_text(e)
            if col == 5:
                return self.officials[index.row()] if index.row() < len(self.officials) else ""
            if col == 6:
                return e.file
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return entry_colour(e)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            if e.status == REFUSED:
                return QColor(RED)
            if e.superseded:
                return QColor(GREY)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = [entry_status_text(e)]
            if e.key_fingerprint:
                tip.append(f"Dấu vân tay khóa ký: {e.key_fingerprint}")
            if e.file_sha256:
                tip.append(f"Mã băm (12 ký tự đầu): {e.file_sha256[:12]}")
            return "\n".join(tip)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class CompletenessModel(ListTableModel):
    """One row per child unit: submitted on time, late, missing or overdue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.units: list[UnitSubmission] = []

    def set_completeness(self, c: Completeness | None) -> None:
        self.beginResetModel()
        self.units = list(c.units) if c else []
        self.endResetModel()

    def row_list(self) -> Sized:
        return self.units

    def column_headers(self) -> tuple[str, ...]:
        return tuple(COMPLETENESS_HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.units):
            return None
        u = self.units[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                u.unit_code,
                u.unit_name,
                u.state_label,
                str(u.revision) if u.revision else "",
                vn_datetime(u.first_received_at),
            )
            return values[index.column()] if 0 <= index.column() < len(values) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATE_COLOURS.get(u.state)
        return None


def parse_vn_date(text: str) -> date | None:
    """``"15/01/2026"`` -> date; blank -> ``None``; anything else -> :class:`ParAppError`."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as err:
        raise ParAppError(f"Ngày “{text}” không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.") from err


class InboxView(QWidget):
    """The inbox page. ``imported`` carries the :class:`ImportReport` of each finished import."""

    imported = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.period: str | None = None
        self.progress_dialog: ProgressDialog | None = None
        self.last_report: ImportReport | None = None
        self._unit_states: dict[str, str] = {}  # unit code -> completeness state (filters)
        self._warned_units: set[str] = set()
        self.setAcceptDrops(True)
        self._build()
        self.refresh()
        session.changed.connect(self._on_changed)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        buttons = QHBoxLayout()
        self.import_files_button = QPushButton("Nhập &hồ sơ…")
        self.import_files_button.setToolTip("Chọn một hoặc nhiều tệp hồ sơ .zip của đơn vị")
        self.import_files_button.clicked.connect(self.import_files)
        self.import_folder_button = QPushButton("Nhập cả &thư mục…")
        self.import_folder_button.setToolTip("Nhập mọi tệp .zip trong thư mục (kể cả thư mục con)")
        self.import_folder_button.clicked.connect(self.import_folder)
        hint = QLabel("hoặc kéo thả tệp, thư mục vào đây")
        hint.setStyleSheet(f"color: {GREY};")
        buttons.addWidget(self.import_files_button)
        buttons.addWidget(self.import_folder_button)
        buttons.addWidget(hint)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        find = QHBoxLayout()
        self.search_edit = search_edit(self.apply_filter, INBOX_SEARCH_PLACEHOLDER)
        self.filter_combo = filter_combo(INBOX_FILTERS, self.apply_filter)
        self.shown_label = QLabel("")
        self.shown_label.setStyleSheet(f"color: {GREY};")
        find.addWidget(self.search_edit, 1)
        find.addWidget(QLabel("Hiện:"))
        find.addWidget(self.filter_combo)
        find.addWidget(self.shown_label)
        outer.addLayout(find)
        self.message = MessageLine()
        outer.addWidget(self.message)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = InboxModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        # the status is read whole (a stretched column shrank to "h tra…" at 125 %); the
        # signer and the file name come after it and scroll if the screen is narrow
        for col in (0, 1, 2, 3, 4):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        head.resizeSection(5, 160)
        head.setStretchLastSection(True)
        split.addWidget(self.table)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        title = QLabel("Tình hình nộp hồ sơ")
        title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        deadline_row = QHBoxLayout()
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setPlaceholderText("dd/mm/yyyy")
        self.deadline_edit.setMaximumWidth(110)
        self.deadline_edit.returnPressed.connect(self.save_deadline)
        self.deadline_button = QPushButton("Đặt &hạn")
        self.deadline_button.clicked.connect(self.save_deadline)
        deadline_row.addWidget(QLabel("Hạn nộp của kỳ:"))
        deadline_row.addWidget(self.deadline_edit)
        deadline_row.addWidget(self.deadline_button)
        deadline_row.addStretch(1)
        self.completeness_model = CompletenessModel(self)
        self.completeness_table = QTableView()
        self.completeness_table.setModel(self.completeness_model)
        self.completeness_table.verticalHeader().hide()
        self.completeness_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        chead = self.completeness_table.horizontalHeader()
        chead.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        chead.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.export_button = QPushButton("&Xuất danh sách…")
        self.export_button.setToolTip("Ghi tình hình nộp hồ sơ ra tệp CSV (mở được bằng Excel)")
        self.export_button.clicked.connect(self.export_list)
        side_layout.addWidget(title)
        side_layout.addWidget(self.summary_label)
        side_layout.addLayout(deadline_row)
        side_layout.addWidget(self.completeness_table, 1)
        side_layout.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignRight)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)

    # -- data -----------------------------------------------------------------------------
    def set_period(self, period: str | None) -> None:
        self.period = period
        self.refresh()

    def completeness_period(self) -> str:
        """The period the completeness panel speaks of: the chosen one, else the latest."""
        if self.period:
            return self.period
        periods = sorted({e.period for e in self.model.entries if e.accepted and e.period})
        if periods:
            return periods[-1]
        a = self.session.ws.current_assessment()
        return a.period if a else str(date.today().year)

    def refresh(self) -> None:
        ws = self.session.ws
        entries = inbox.inbox_entries(ws, self.period)
        officials = [
            x509_trust.official_name(ws.data_dir, ws.data_dir / e.stored_path)
            if e.stored_path
            else ""
            for e in entries
        ]
        self.model.set_entries(entries, officials)
        period = self.completeness_period()
        c = inbox.completeness(ws, period)
        self.completeness = c
        self.completeness_model.set_completeness(c)
        self.deadline_edit.setText(c.deadline.strftime("%d/%m/%Y") if c.deadline else "")
        self.summary_label.setText(self._summary(c))
        self.apply_filter()

    # -- search and filter ----------------------------------------------------------------
    def _entry_keys(self, n: int) -> RowKeys:
        e = self.model.entries[n]
        official = self.model.officials[n] if n < len(self.model.officials) else ""
        keys: set[str] = set()
        if e.warned:
            keys.add("flagged")
        if e.status == UNVERIFIED:
            keys.add("unverified")
        if e.period == self.completeness.period and self._unit_states.get(e.unit_code) == (
            inbox.LATE
        ):
            keys.add("late")
        return (e.unit_code, e.unit_name, official, e.file), keys

    def _unit_keys(self, n: int) -> RowKeys:
        u = self.completeness_model.units[n]
        keys: set[str] = set()
        if u.state in (inbox.MISSING, inbox.OVERDUE):
            keys.add("missing")
        elif u.state == inbox.LATE:
            keys.add("late")
        if u.revision and not u.key_verified:
            keys.add("unverified")
        if u.unit_code in self._warned_units:
            keys.add("flagged")
        return (u.unit_code, u.unit_name), keys

    def apply_filter(self) -> None:
        """Hide the files and the units the search text or the filter leave out, in both
        tables; the count says how many of each stay shown."""
        if not hasattr(self, "completeness"):
            return  # the controls fire while the page is being built
        period = self.completeness.period
        self._unit_states = {u.unit_code: u.state for u in self.completeness.units}
        self._warned_units = {
            e.unit_code for e in self.model.entries if e.warned and e.period == period
        }
        files = self.model.rowCount()
        units = self.completeness_model.rowCount()
        shown = filter_rows(
            self.search_edit, self.filter_combo, files, self._entry_keys, self.table.setRowHidden
        )
        shown_units = filter_rows(
            self.search_edit,
            self.filter_combo,
            units,
            self._unit_keys,
            self.completeness_table.setRowHidden,
        )
        if shown < files or shown_units < units:
            text = f"Hiện {shown}/{files} tệp hồ sơ, {shown_units}/{units} đơn vị"
        else:
            text = f"{files} tệp hồ sơ, {units} đơn vị"
        self.shown_label.setText(text)

    @staticmethod
    def _summary(c: Completeness) -> str:
        total = len(c.units)
        done = c.count(inbox.SUBMITTED) + c.count(inbox.RECEIVED) + c.count(inbox.LATE)
        missing = [u for u in c.units if u.state in (inbox.MISSING, inbox.OVERDUE)]
        deadline = c.deadline.strftime("%d/%m/%Y") if c.deadline else "chưa đặt"
        text = (
            f"Kỳ <b>{c.period}</b> · hạn nộp {deadline}<br>"
            f"Đã nộp <b>{done}/{total}</b> đơn vị "
            f"(<span style='color:{AMBER}'>{c.count(inbox.LATE)} nộp muộn</span>) · "
            f"<span style='color:{RED}'>chưa nộp {len(missing)}</span>"
        )
        if missing:
            names = ", ".join(u.unit_name for u in missing[:12])
            more = f" và {len(missing) - 12} đơn vị khác" if len(missing) > 12 else ""
            text += f"<br>Chưa nộp: {names}{more}"
        return text

    def _on_changed(self, changes: Changes) -> None:
        if changes.inbox or changes.unit:
            self.refresh()

    # -- native dialogs (tests replace these) ---------------------------------------------
    def ask_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Chọn hồ sơ cần nhập", "", "Hồ sơ ParApp (*.zip);;Tất cả tệp (*)"
        )
        return [Path(n) for n in names]

    def ask_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa hồ sơ")
        return Path(name) if name else None

    def ask_export_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Xuất tình hình nộp hồ sơ", suggested, "Tệp CSV (*.csv)"
        )
        return Path(name) if name else None

    # -- import ---------------------------------------------------------------------------
    def import_files(self) -> None:
        files = self.ask_files()
        if files:
            self.import_paths(files)

    def import_folder(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.import_paths([folder])

    def busy(self) -> bool:
        return self.progress_dialog is not None

    def import_paths(self, paths: list[Path]) -> None:
        """Import files and folders in the background, behind a modal progress dialog."""
        if self.busy():
            return
        try:
            files = inbox.collect_bundle_files(paths)
        except ParAppError as err:
            self.message.error(str(err))
            return
        if not files:
            self.message.error("Không có tệp hồ sơ .zip nào trong những gì đã chọn.")
            return
        ws = self.session.ws

        def job(progress: ProgressFn, cancelled: CancelFn) -> ImportReport:
            return supplements.import_paths(ws, files, progress, cancelled)  # + supplements

        dialog = ProgressDialog("Nhập hồ sơ", f"Đang nhập {len(files)} tệp hồ sơ…", self)
        dialog.outcome.connect(self._import_done)
        self.progress_dialog = dialog
        dialog.run(job)

    def _import_done(self, kind: str, payload: object) -> None:
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.deleteLater()
        if kind == "failed":
            self.message.error(str(payload))
        elif isinstance(payload, ImportReport):
            self.last_report = payload
            self.message.say(*self._report_text(payload))
            self.imported.emit(payload)
        self.session.notify(Changes(inbox=True, appraisal=True))

    @staticmethod
    def _report_text(r: ImportReport) -> tuple[str, str]:
        ok = r.count(OK)
        unverified = r.count(UNVERIFIED)
        refused = r.count(REFUSED)
        parts = [f"Đã xử lý {len(r.entries)} tệp: {ok} hợp lệ"]
        if unverified:
            parts.append(f"{unverified} chưa xác minh khóa")
        if r.count(CONFLICT):
            parts.append(f"{r.count(CONFLICT)} xung đột")
        foreign = sum(1 for e in r.entries if e.framework_warning)
        if foreign:
            parts.append(f"{foreign} dùng bộ chỉ số không phải do cơ quan tiếp nhận ban hành")
        if r.count(inbox.STATUS_DUPLICATE):
            parts.append(f"{r.count(inbox.STATUS_DUPLICATE)} đã nhận trước đó")
        if refused:
            parts.append(f"{refused} bị từ chối (xem lý do trong bảng)")
        retry = [e for e in r.entries if e.status == inbox.STATUS_RETRY]
        if retry:  # not recorded in the table: say why here
            parts.append(f"{len(retry)} chưa nhập được — thử lại ({retry[0].reason})")
        text = ", ".join(parts) + "."
        if r.cancelled:
            text += " Đã dừng theo yêu cầu; các tệp đã xử lý vẫn được giữ."
        colour = (
            RED
            if refused or retry
            else AMBER
            if unverified or foreign or r.cancelled
            else "#188038"
        )
        return text, colour

    # -- drag and drop --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- completeness ---------------------------------------------------------------------
    def save_deadline(self) -> None:
        try:
            when = parse_vn_date(self.deadline_edit.text())
            inbox.set_deadline_for(self.session.ws, self.completeness_period(), when)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.refresh()
        shown = when.strftime("%d/%m/%Y") if when else "hạn chung của đơn vị"
        self.message.say(f"Đã đặt hạn nộp kỳ {self.completeness_period()}: {shown}.")

    def export_list(self) -> None:
        period = self.completeness_period()
        path = self.ask_export_path(f"tinh-hinh-nop-ho-so-{period}.csv")
        if path is None:
            return
        try:
            export_completeness_csv(self.session.ws, path, period)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.message.say(f"Đã ghi danh sách: {path}")
