"""“Thẩm định”: appraise one child unit item by item, beside what the unit claimed.

The unit list shows each unit's appraisal progress; the item table puts the unit's self
score and measured value next to the editable appraised score and comment (saved at once
through :func:`parapp.services.office.appraisal.set_appraisal`; a refused value saves nothing and
says why). Differences are amber so the officer sees at a glance where the office disagrees.
Below: the selected item's explanation and evidence, which opens from the received bundle.
The appraisal cycle adds a state column (with the unit's answer to a request), filters by
state and by "changed since the previous revision", and setting a state with its note.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sized
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.models.file_names import clean_file_name
from parapp.models.review import (
    KIND_FINAL,
    KIND_LABELS,
    KIND_PARTIAL,
    KIND_PRELIMINARY,
    ReviewState,
)
from parapp.models.text import format_number, parse_number
from parapp.services import audit
from parapp.services.changes import Changes
from parapp.services.office import appraisal, consolidation, inbox, review
from parapp.services.office.appraisal import AppraisalItem, UnitAppraisal
from parapp.services.office.review import ReviewItem
from parapp.ui.evidence_open import open_evidence_file
from parapp.ui.office.common import (
    DIFF_BG,
    GREY,
    MUTED_BG,
    OK_BG,
    MessageLine,
    RowKeys,
    SignDialog,
    filter_combo,
    filter_rows,
    search_edit,
    shown_text,
)
from parapp.ui.office.merge_dialog import MergeDialog
from parapp.ui.office.undo_commands import Appraised, SetAppraisalCommand
from parapp.ui.session import OFFICE, Session
from parapp.ui.table_model import ListTableModel

if TYPE_CHECKING:  # annotations only: the UI reaches data through services
    from parapp.interchange.bundle import BundleResult
    from parapp.interchange.keys import KeyPair

FLAG_BG = QColor("#f8c4c4")  # red: the self score contradicts the item's rule

_Index = QModelIndex | QPersistentModelIndex
COL_CODE, COL_TITLE, COL_MAX, COL_SELF, COL_VALUE, COL_SCORE, COL_COMMENT, COL_STATE = range(8)
ITEM_HEADERS = (
    "Mã",
    "Tiêu chí",
    "Tối đa",
    "Tự chấm",
    "Giá trị",
    "Thẩm định",
    "Nhận xét",
    "Trạng thái",
)
#: the short headers' full meaning, as the header's tooltip
ITEM_HEADER_TIPS = {
    COL_MAX: "Điểm tối đa của tiêu chí",
    COL_SELF: "Điểm đơn vị tự chấm",
    COL_VALUE: "Giá trị đơn vị kê khai (số liệu, tỷ lệ)",
    COL_SCORE: "Điểm thẩm định (gõ số để chấm)",
    COL_STATE: "Trạng thái thẩm định của tiêu chí",
}
ALL_STATES = "Mọi trạng thái"
REQUEST_BG = QColor("#fde7c8")
SURVEY_TEXT = "điều tra XHH"
COMMENT_NEEDS_SCORE = "Hãy nhập điểm thẩm định của tiêu chí {code} trước khi ghi nhận xét."


class AppraisalItemsModel(ListTableModel):
    """The items of one unit's appraisal; edits of score and comment are saved at once.

    ``refused(message)`` reports a value the service refused (nothing was saved);
    ``saved(code)`` an accepted edit.
    """

    refused = Signal(str)
    saved = Signal(str)
    #: (item code, (score, comment) before, after) of a saved edit, for the undo stack
    edited = Signal(str, object, object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.ua: UnitAppraisal | None = None
        self.reviews: dict[str, ReviewItem] = {}
        self.state_filter: ReviewState | None = None
        self.only_changed = False
        self._visible: tuple[AppraisalItem, ...] = ()

    @property
    def items(self) -> tuple[AppraisalItem, ...]:
        """The items shown: all of the unit's, or those the filters let through."""
        return self._visible

    def _filter(self) -> None:
        out = []
        for i in self.ua.items if self.ua else ():
            r = self.reviews.get(i.code)
            if self.state_filter is not None and (r is None or r.state is not self.state_filter):
                continue
            if self.only_changed and (r is None or not r.changed):
                continue
            out.append(i)
        self._visible = tuple(out)

    def _load_reviews(self) -> None:
        self.reviews = {}
        if self.ua is not None:
            try:
                found = review.review_items(self.session.ws, self.ua.unit_code, self.ua.period)
            except ParAppError:
                found = []
            self.reviews = {r.code: r for r in found}

    def set_appraisal(self, ua: UnitAppraisal | None) -> None:
        self.beginResetModel()
        self.ua = ua
        self._load_reviews()
        self._filter()
        self.endResetModel()

    def set_filters(self, state: ReviewState | None, only_changed: bool) -> None:
        self.beginResetModel()
        self.state_filter, self.only_changed = state, only_changed
        self._filter()
        self.endResetModel()

    def state_text(self, code: str) -> str:
        r = self.reviews.get(code)
        if r is None:
            return ""
        return r.state_label + (f" — {r.response}" if r.response else "")

    def row_of(self, code: str) -> int | None:
        return next((n for n, i in enumerate(self.items) if i.code == code), None)

    def row_list(self) -> Sized:
        return self.items

    def column_headers(self) -> tuple[str, ...]:
        return tuple(ITEM_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return ITEM_HEADER_TIPS.get(section)
        return super().headerData(section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() in (COL_SCORE, COL_COMMENT):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        i = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_CODE:
                return i.code
            if col == COL_TITLE:
                return i.title
            if col == COL_MAX:
                return format_number(i.max_points)
            if col == COL_SELF:
                if i.survey_only:
                    return SURVEY_TEXT
                return (format_number(i.self_score) or "—") + (" ⚠" if i.flag else "")
            if col == COL_VALUE:
                return format_number(i.value)
            if col == COL_SCORE:
                return format_number(i.appraised) + (" ↻" if i.reappraise else "")
            if col == COL_COMMENT:
                return i.comment
            if col == COL_STATE:
                return self.state_text(i.code)
            return None
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_SCORE:
                return format_number(i.appraised)
            if col == COL_COMMENT:
                return i.comment
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.BackgroundRole:
            if i.flag and col == COL_SELF:
                return FLAG_BG
            if i.reappraise and col == COL_SCORE:
                return FLAG_BG
            r = self.reviews.get(i.code)
            if col == COL_STATE and r is not None and r.state.is_request:
                return REQUEST_BG
            if i.difference not in (None, 0) and col in (COL_SELF, COL_SCORE):
                return DIFF_BG
            if col == COL_SCORE and i.appraised is not None:
                return OK_BG
            if i.survey_only and col == COL_SELF:
                return MUTED_BG
            return None
        if role == Qt.ItemDataRole.ForegroundRole and i.survey_only and col == COL_SELF:
            return QColor(GREY)
        if role == Qt.ItemDataRole.FontRole and col == COL_SCORE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            COL_MAX,
            COL_SELF,
            COL_VALUE,
            COL_SCORE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_TITLE:
                return i.title
            if col == COL_SELF and i.flag:
                return i.flag[:1].upper() + i.flag[1:]
            if col == COL_SCORE and i.reappraise:
                return "Cần thẩm định lại: đơn vị đã sửa tiêu chí này ở lần nộp mới."
            if col == COL_STATE and (r := self.reviews.get(i.code)) is not None:
                return r.note or r.state_label
            if col == COL_SCORE:
                diff = i.difference
                extra = f" (chênh {format_number(diff)} so với tự chấm)" if diff else ""
                return f"Từ 0 đến {format_number(i.max_points)} điểm{extra}"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.ua is None or not index.isValid():
            return False
        i = self.items[index.row()]
        ws, ua = self.session.ws, self.ua
        before = (i.appraised, i.comment)
        after: tuple[float | None, str]
        try:
            if index.column() == COL_SCORE:
                text = str(value or "").strip()
                try:
                    score = parse_number(text)
                except ValueError:
                    self.refused.emit(f"Điểm “{text}” của tiêu chí {i.code} không phải là số.")
                    return False
                if score is None:
                    if i.appraised is None:
                        return False
                    appraisal.clear_appraisal(ws, ua.unit_code, i.code, ua.period)
                    after = (None, "")
                else:
                    appraisal.set_appraisal(ws, ua.unit_code, i.code, score, i.comment, ua.period)
                    after = (score, i.comment)
            elif index.column() == COL_COMMENT:
                comment = str(value or "")
                if comment == i.comment:
                    return False
                if i.appraised is None:
                    self.refused.emit(COMMENT_NEEDS_SCORE.format(code=i.code))
                    return False
                appraisal.set_appraisal(ws, ua.unit_code, i.code, i.appraised, comment, ua.period)
                after = (i.appraised, comment)
            else:
                return False
        except ParAppError as err:
            self.refused.emit(str(err))
            return False
        self._reload_keep_rows()
        self.saved.emit(i.code)
        if after != before:
            self.edited.emit(i.code, before, after)
        return True

    def _reload_keep_rows(self) -> None:
        """Re-read the unit (one service call) without resetting the view mid-edit."""
        assert self.ua is not None
        self.ua = appraisal.unit_appraisal(self.session.ws, self.ua.unit_code, self.ua.period)
        self._load_reviews()
        by_code = {i.code: i for i in self.ua.items}
        self._visible = tuple(by_code[i.code] for i in self._visible if i.code in by_code)
        if self.items:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.items) - 1, len(ITEM_HEADERS) - 1)
            )


#: the unit list's filters (label, key); a unit's keys are kept on its list item
UNIT_FILTERS = (
    ("Tất cả đơn vị", ""),
    ("Chưa thẩm định xong", "provisional"),
    ("Có cảnh báo (sai quy tắc, cần thẩm định lại)", "flagged"),
    ("Đang chờ đơn vị trả lời", "waiting"),
)
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 1


def unit_flags(provisional: bool, flagged: bool, waiting: int) -> str:
    """The filter keys a unit matches, space-separated (kept on its list item)."""
    keys = (("provisional", provisional), ("flagged", flagged), ("waiting", waiting > 0))
    return " ".join(k for k, on in keys if on)


def unit_label(code: str, name: str, done: int, todo: int, waiting: int = 0) -> str:
    mark = "✔ " if todo and done >= todo else ""
    owed = f" · chờ trả lời {waiting}" if waiting else ""
    return f"{mark}{name} ({code}) — {done}/{todo}{owed}"


class AppraisalView(QWidget):
    """Units on the left, the chosen unit's items on the right, its evidence below."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.period: str | None = None
        self.unit_code: str | None = None
        self._own_edit = False  # this view saved: only the edited unit is relabelled
        self._build()
        self.refresh_units()
        session.changed.connect(self._on_changed)

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Đơn vị (đã thẩm định/số tiêu chí):"))
        self.unit_search = search_edit(self._filter_units)
        left_layout.addWidget(self.unit_search)
        self.unit_filter = filter_combo(UNIT_FILTERS, self._filter_units)
        # the longest filter's label would set the panel's width: it is cut instead
        self.unit_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.unit_filter.setMinimumContentsLength(12)
        left_layout.addWidget(self.unit_filter)
        self.unit_list = QListWidget()
        # a long name is cut in its middle: the "done/todo" count at the end stays in view
        self.unit_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.unit_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.unit_list.currentItemChanged.connect(self._unit_chosen)
        left_layout.addWidget(self.unit_list, 1)
        self.unit_count = QLabel("")
        self.unit_count.setStyleSheet(f"color: {GREY};")
        left_layout.addWidget(self.unit_count)
        split.addWidget(left)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(4, 0, 0, 0)
        rl.setSpacing(3)
        # one header line and two tool rows above the items table: at 1366×768 and 125 %
        # five rows of buttons left the table four rows; the rarer actions sit in menus
        head = QHBoxLayout()
        self.units_toggle = QToolButton()
        self.units_toggle.setArrowType(Qt.ArrowType.LeftArrow)
        self.units_toggle.setCheckable(True)
        self.units_toggle.setToolTip("Ẩn hoặc hiện danh sách đơn vị (để bảng tiêu chí rộng hơn)")
        self.units_toggle.toggled.connect(self.set_units_hidden)
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        # a long unit name is cut, not allowed to push the progress bar off the screen
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress_bar = QProgressBar()
        self.progress_bar.setFixedWidth(200)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("Đã thẩm định %v/%m")
        head.addWidget(self.units_toggle)
        head.addWidget(self.title_label, 1)
        head.addWidget(self.progress_bar)
        rl.addLayout(head)
        rl.addLayout(self._build_review_row())
        self.message = MessageLine()
        rl.addWidget(self.message)

        vsplit = QSplitter(Qt.Orientation.Vertical)
        self.model = AppraisalItemsModel(self.session, self)
        self.model.refused.connect(self.message.error)
        self.model.saved.connect(self._saved)
        self.model.edited.connect(self._push_undo)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        # rows as tall as the text needs (the style's default is a third taller)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the title takes what is left; comment and state keep a set width (their text is
        # in the tooltip and the detail below) so they never squeeze the title to "Ban …"
        h.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(COL_COMMENT, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.Interactive)
        em = self.fontMetrics().horizontalAdvance("M")
        h.resizeSection(COL_COMMENT, 12 * em)
        h.resizeSection(COL_STATE, 11 * em)
        self.table.selectionModel().currentRowChanged.connect(self._item_changed)
        vsplit.addWidget(self.table)

        detail = QWidget()  # the unit's explanation beside its evidence: one short band
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.setSpacing(2)
        self.detail_label = QLabel("Giải trình của đơn vị:")
        self.explanation = QPlainTextEdit()
        self.explanation.setReadOnly(True)
        self.explanation.setMinimumHeight(40)
        ev_row = QHBoxLayout()
        self.evidence_table = QTableWidget(0, 4)
        self.evidence_table.setHorizontalHeaderLabels(
            ["Tài liệu kiểm chứng", "Trang", "Cỡ", "Ghi chú"]
        )
        self.evidence_table.verticalHeader().hide()
        self.evidence_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.evidence_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.evidence_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.evidence_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        eh = self.evidence_table.horizontalHeader()
        eh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        eh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.evidence_table.cellDoubleClicked.connect(lambda _r, _c: self.open_evidence())
        self.open_button = QPushButton("&Mở")
        self.open_button.setToolTip("Mở tài liệu kiểm chứng đã chọn bằng chương trình của máy")
        self.open_button.clicked.connect(self.open_evidence)
        ev_row.addWidget(self.explanation, 1)
        ev_row.addWidget(self.evidence_table, 1)
        ev_row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        dl.addWidget(self.detail_label)
        dl.addLayout(ev_row, 1)
        vsplit.addWidget(detail)
        vsplit.setStretchFactor(0, 4)
        vsplit.setStretchFactor(1, 1)
        vsplit.setSizes([700, 110])  # the items table first
        rl.addWidget(vsplit, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 4)
        split.setSizes([250, 900])
        left.setMaximumWidth(280)  # names fit; the rest goes to the items table
        self.units_panel = left
        outer.addWidget(split, 1)

    def set_units_hidden(self, hidden: bool) -> None:
        """Fold the unit list away (the table gets the whole width) or bring it back."""
        self.units_panel.setVisible(not hidden)
        self.units_toggle.setArrowType(
            Qt.ArrowType.RightArrow if hidden else Qt.ArrowType.LeftArrow
        )
        if self.units_toggle.isChecked() != hidden:
            self.units_toggle.setChecked(hidden)

    def _action(self, menu: QMenu, text: str, tip: str, slot: Callable[[], object]) -> QAction:
        action = menu.addAction(text)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    @staticmethod
    def _menu_button(text: str, menu: QMenu, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setMenu(menu)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        return button

    def _build_review_row(self) -> QVBoxLayout:
        """Two rows: the filters and the menus of actions (accepting self scores, the
        results sent down with their answer deadline, the council's merge, the audit trail);
        below, setting an item's review state."""
        row = QHBoxLayout()
        row.addWidget(QLabel("Lọc:"))
        self.filter_combo = QComboBox()
        self.filter_combo.addItem(ALL_STATES, None)
        for st in ReviewState:
            self.filter_combo.addItem(st.label, st)
        self.filter_combo.currentIndexChanged.connect(self._filters_changed)
        self.filter_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.filter_combo.setMinimumContentsLength(12)
        self.changed_check = QCheckBox("Đã thay đổi")
        self.changed_check.setToolTip("Chỉ các tiêu chí thay đổi so với lần nộp trước")
        self.changed_check.toggled.connect(self._filters_changed)
        row.addWidget(self.filter_combo)
        row.addWidget(self.changed_check)
        row.addStretch(1)

        accept_menu = QMenu(self)
        self.accept_item_action = self._action(
            accept_menu,
            "Chấp nhận điểm tự chấm của &tiêu chí đang chọn",
            "Điểm thẩm định của tiêu chí đang chọn bằng điểm đơn vị tự chấm",
            self.accept_item,
        )
        self.accept_area_action = self._action(
            accept_menu,
            "… của cả &lĩnh vực",
            "Chấp nhận điểm tự chấm của các tiêu chí chưa thẩm định trong lĩnh vực đang chọn",
            self.accept_area,
        )
        self.accept_unit_action = self._action(
            accept_menu,
            "… của cả đơn &vị",
            "Chấp nhận điểm tự chấm của mọi tiêu chí chưa thẩm định (không ghi đè điểm đã chấm)",
            self.accept_unit,
        )
        self.accept_button = self._menu_button(
            "Chấp &nhận tự chấm", accept_menu, "Chấp nhận điểm đơn vị tự chấm làm điểm thẩm định"
        )

        send_menu = QMenu(self)
        self.preliminary_action = self._action(
            send_menu,
            "Gửi kết quả sơ &bộ…",
            "Ký và ghi kết quả sơ bộ kèm các yêu cầu giải trình, bổ sung để gửi đơn vị",
            lambda: self.send_result(KIND_PRELIMINARY),
        )
        self.final_action = self._action(
            send_menu,
            "Gửi kết quả chính thứ&c…",
            "Ký kết quả chính thức; sau đó kỳ đánh giá bị khóa",
            lambda: self.send_result(KIND_FINAL),
        )
        send_menu.addSeparator()
        self.partial_action = self._action(
            send_menu,
            "Tổ thẩm định: ghi &kết quả thành viên…",
            "Thành viên tổ thẩm định: ký và ghi kết quả của mình để thư ký hợp nhất",
            lambda: self.send_result(KIND_PARTIAL),
        )
        self.merge_action = self._action(
            send_menu,
            "Tổ thẩm định: &hợp nhất kết quả thành viên…",
            "Thư ký: hợp nhất kết quả của các thành viên tổ thẩm định",
            self.merge_members,
        )
        self.send_button = self._menu_button(
            "Gửi kết &quả", send_menu, "Gửi kết quả thẩm định cho đơn vị; tổ thẩm định"
        )
        self.deadline_edit = QDateEdit(QDate.currentDate().addDays(10))
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setToolTip(
            "Hạn đơn vị trả lời các yêu cầu trong kết quả sơ bộ gửi xuống"
        )
        self.audit_button = QPushButton("Nhật &ký…")
        self.audit_button.setToolTip(
            "Nhật ký thay đổi: xuất ra Excel mọi thay đổi điểm, trạng thái, nhận xét của đơn vị "
            "đang chọn (ai, khi nào, trước, sau, lý do)"
        )
        self.audit_button.clicked.connect(self.export_audit)
        row.addWidget(self.accept_button)
        row.addWidget(QLabel("Hạn trả lời:"))
        row.addWidget(self.deadline_edit)
        row.addWidget(self.send_button)
        row.addWidget(self.audit_button)

        state_row = QHBoxLayout()
        state_row.addWidget(QLabel("Trạng thái:"))
        self.state_combo = QComboBox()
        for st in ReviewState:
            self.state_combo.addItem(st.label, st)
        self.state_note = QLineEdit()
        self.state_note.setPlaceholderText("Lý do / nội dung yêu cầu (bắt buộc khi điều chỉnh, "
                                           "không chấp nhận, yêu cầu)")  # fmt: skip
        self.state_button = QPushButton("Đặt trạn&g thái")
        self.state_button.setToolTip("Đặt trạng thái cho tiêu chí đang chọn")
        self.state_button.clicked.connect(self.set_state)
        self.state_area_button = QPushButton("… cả lĩnh vực")
        self.state_area_button.setToolTip(
            "Đặt trạng thái cho mọi tiêu chí tự chấm của lĩnh vực đang chọn"
        )
        self.state_area_button.clicked.connect(self.set_state_area)
        state_row.addWidget(self.state_combo)
        state_row.addWidget(self.state_note, 1)
        state_row.addWidget(self.state_button)
        state_row.addWidget(self.state_area_button)
        rows = QVBoxLayout()
        rows.setSpacing(3)
        for layout in (row, state_row):
            rows.addLayout(layout)
        return rows

    # -- native dialogs (tests replace these) ---------------------------------------------
    def ask_save_path(
        self, caption: str, suggested: str, pattern: str = "Tệp kết quả thẩm định (*.zip)"
    ) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
        return Path(name) if name else None

    def run_sign_dialog(self, dialog: SignDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_open_paths(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Chọn các tệp kết quả của thành viên", "", "Tệp kết quả thẩm định (*.zip)"
        )
        return [Path(n) for n in names]

    def run_merge_dialog(self, dialog: MergeDialog) -> None:
        dialog.exec()

    def export_audit(self) -> None:
        """The audit trail of the selected unit (this period) as an Excel workbook."""
        ua = self.model.ua
        if ua is None:
            self.message.error("Hãy chọn đơn vị.")
            return
        path = self.ask_save_path(
            f"Xuất nhật ký thay đổi của {ua.unit_name}",
            f"nhat-ky-{ua.unit_code}-{ua.period}.xlsx",
            "Bảng tính Excel (*.xlsx)",
        )
        if path is None:
            return
        try:
            count = audit.export_xlsx(self.session.ws, path, ua.unit_code, ua.period)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.message.say(f"Đã ghi {count} thay đổi vào {path}")

    def merge_members(self) -> None:
        files = self.ask_open_paths()
        if not files:
            return
        dialog = MergeDialog(self.session, files, self)
        self.run_merge_dialog(dialog)
        dialog.deleteLater()
        if self.unit_code is not None:
            self.show_unit(self.unit_code)

    def send_result(self, kind: str) -> None:
        """Sign and write the preliminary (with requests) or final result of the unit."""
        ua = self.model.ua
        if ua is None:
            self.message.error("Hãy chọn đơn vị.")
            return
        ws, code, period = self.session.ws, ua.unit_code, ua.period
        if kind == KIND_FINAL:
            try:
                problems = review.final_problems(ws, code, period)
            except ParAppError as err:
                self.message.error(str(err))
                return
            if problems:
                self.message.error(
                    f"Chưa ra kết quả chính thức được: {'; '.join(problems)}. Hãy chọn trạng "
                    "thái cuối cùng cho các tiêu chí này."
                )
                return
        label = KIND_LABELS[kind]
        path = self.ask_save_path(
            f"Lưu {label.lower()} của {ua.unit_name}", f"thamdinh-{kind}-{code}-{period}.zip"
        )
        if path is None:
            return
        chosen = self.deadline_edit.date()
        deadline = (
            date(chosen.year(), chosen.month(), chosen.day()) if kind == KIND_PRELIMINARY else None
        )

        def write(kp: KeyPair, approver: str, position: str) -> BundleResult:
            return review.export_result(ws, code, path, kp, approver, kind, deadline, period)

        intro = f"Ghi {label.lower()} kỳ {period} của {ua.unit_name}, ký bằng khóa của đơn vị."
        if kind == KIND_FINAL:
            intro += " Sau khi ghi, kỳ đánh giá của đơn vị bị khóa ở cả hai phía."
        dialog = SignDialog(ws, label, intro, write, "Trưởng phòng Nội vụ", self)
        accepted = self.run_sign_dialog(dialog)
        result = dialog.result_value
        dialog.deleteLater()
        if accepted and result is not None:
            self.message.say(f"Đã ghi {label.lower()}: {getattr(result, 'path', '')}")
            self.session.notify(Changes(appraisal=True))

    def _filters_changed(self) -> None:
        current = self.current_item()
        data = self.filter_combo.currentData()  # Qt hands the StrEnum back as str
        state = ReviewState(data) if data else None
        self.model.set_filters(state, self.changed_check.isChecked())
        if current is not None and self.model.row_of(current.code) is not None:
            self.select_item(current.code)
        elif self.model.items:
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def set_state(self) -> None:
        """Give the current item the chosen state (the note is required where it must be)."""
        item = self.current_item()
        if item is None:
            self.message.error("Hãy chọn một tiêu chí.")
            return
        self._set_states(item.code, f"tiêu chí {item.code}")

    def set_state_area(self) -> None:
        """The chosen state for every self-assessed item of the current item's area."""
        item, ua = self.current_item(), self.model.ua
        if item is None or ua is None:
            self.message.error("Hãy chọn một tiêu chí thuộc lĩnh vực.")
            return
        area = next(
            (a for a in ua.framework.areas if ua.framework.is_under(item.code, a.code)), None
        )
        if area is not None:
            self._set_states(area.code, f"lĩnh vực {area.code}")

    def _set_states(self, code: str, what: str) -> None:
        item, ua = self.current_item(), self.model.ua
        if ua is None:
            return
        state = ReviewState(self.state_combo.currentData())
        note = self.state_note.text()
        try:
            count = review.set_states(
                self.session.ws, ua.unit_code, state, note, [code], None, ua.period
            )
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.show_unit(ua.unit_code)
        if item is not None:
            self.select_item(item.code)
        self.state_note.clear()
        self.message.say(f"Đã đặt trạng thái “{state.label}” cho {count} tiêu chí ({what}).")
        self.session.notify(Changes(appraisal=True))

    # -- data -----------------------------------------------------------------------------
    def set_period(self, period: str | None) -> None:
        self.period = period
        self.refresh_units()

    def refresh_units(self) -> None:
        """The unit list with each unit's progress (one consolidation: four queries)."""
        keep = self.unit_code
        self.unit_list.blockSignals(True)
        self.unit_list.clear()
        try:
            c = consolidation.consolidate(self.session.ws, self.period, with_previous=False)
        except ParAppError:
            c = None
        rows = sorted(c.rows, key=lambda r: r.result.unit_code) if c else []
        waiting = review.waiting_counts(self.session.ws, c.period) if c else {}
        for r in rows:
            res = r.result
            item = QListWidgetItem(
                unit_label(
                    res.unit_code,
                    res.unit_name,
                    res.appraised_items,
                    res.appraisable_items,
                    waiting.get(res.unit_code, 0),
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, res.unit_code)
            flags = unit_flags(res.provisional, bool(res.warnings), waiting.get(res.unit_code, 0))
            item.setData(FLAGS_ROLE, flags)
            if res.provisional:
                item.setForeground(QColor("#b06000"))
            self.unit_list.addItem(item)
        self.unit_list.blockSignals(False)
        self._filter_units()
        codes = [r.result.unit_code for r in rows]
        if not codes:
            self.show_unit(None)
            return
        self.select_unit(keep if keep in codes else codes[0])

    def _filter_units(self) -> None:
        """Hide the units the search text or the filter leave out (the list is not rebuilt:
        at 200 units a keystroke stays instant). The unit on show stays on show."""
        units = self.unit_list

        def row(n: int) -> RowKeys:
            item = units.item(n)
            return (item.text(),), str(item.data(FLAGS_ROLE) or "").split()

        total = units.count()
        shown = filter_rows(
            self.unit_search, self.unit_filter, total, row, lambda n, h: units.item(n).setHidden(h)
        )
        self.unit_count.setText(shown_text(shown, total))

    def select_unit(self, code: str) -> None:
        for n in range(self.unit_list.count()):
            if self.unit_list.item(n).data(Qt.ItemDataRole.UserRole) == code:
                self.unit_list.setCurrentRow(n)
                if self.unit_code != code or self.model.ua is None:
                    self.show_unit(code)
                return

    def _unit_chosen(self, current: QListWidgetItem | None, _prev: object) -> None:
        if current is not None:
            self.show_unit(str(current.data(Qt.ItemDataRole.UserRole)))

    def show_unit(self, code: str | None) -> None:
        self.unit_code = code
        ua = None
        if code is not None:
            try:
                ua = appraisal.unit_appraisal(self.session.ws, code, self.period)
            except ParAppError as err:
                self.message.error(str(err))
        self.model.set_appraisal(ua)
        self._refresh_head()
        if ua is not None and ua.items:
            self.table.selectRow(0)
        else:
            self._show_detail(None)

    def _refresh_head(self) -> None:
        ua = self.model.ua
        if ua is None:
            self.title_label.setText("Chưa có hồ sơ hợp lệ để thẩm định")
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(0)
            return
        done, todo = ua.progress
        diffs = len(ua.differences)
        self.title_label.setText(
            f"{ua.unit_name} ({ua.unit_code}) · kỳ {ua.period} · lần nộp {ua.revision}"
            + (f" · {diffs} tiêu chí khác điểm tự chấm" if diffs else "")
        )
        self.title_label.setToolTip(self.title_label.text())  # the label may be cut
        self.progress_bar.setRange(0, max(todo, 1))
        self.progress_bar.setValue(done)

    def _on_changed(self, changes: Changes) -> None:
        if changes.inbox:
            self.refresh_units()
        elif changes.appraisal and not self._own_edit:
            self._refresh_unit_labels()

    def _refresh_unit_labels(self) -> None:
        """Only the counts change after an edit: relabel the list, keep the table as is."""
        try:
            c = consolidation.consolidate(self.session.ws, self.period, with_previous=False)
        except ParAppError:
            return
        by_code = {r.result.unit_code: r.result for r in c.rows}
        waiting = review.waiting_counts(self.session.ws, c.period)
        for n in range(self.unit_list.count()):
            item = self.unit_list.item(n)
            res = by_code.get(str(item.data(Qt.ItemDataRole.UserRole)))
            if res is not None:
                item.setText(
                    unit_label(
                        res.unit_code,
                        res.unit_name,
                        res.appraised_items,
                        res.appraisable_items,
                        waiting.get(res.unit_code, 0),
                    )
                )
                item.setForeground(QColor("#b06000" if res.provisional else "#202124"))
                item.setData(
                    FLAGS_ROLE,
                    unit_flags(res.provisional, bool(res.warnings), waiting.get(res.unit_code, 0)),
                )
        self._filter_units()
        self._refresh_head()

    def _saved(self, code: str) -> None:
        """One score of the unit on show changed: only its own label and head change here (a
        whole relabel recomputes every unit: about a second at 200 units)."""
        self.message.say(f"Đã lưu điểm thẩm định tiêu chí {code}.")
        self._relabel_current()
        self._own_edit = True
        try:
            self.session.notify(Changes(appraisal=True))
        finally:
            self._own_edit = False

    def _push_undo(self, code: str, before: Appraised, after: Appraised) -> None:
        """Put the edit on the office screen's undo stack (Ctrl+Z, Sửa → Hoàn tác)."""
        ua = self.model.ua
        if ua is None:
            return
        unit, period = ua.unit_code, ua.period

        def apply(value: Appraised) -> None:
            self._apply_appraisal(unit, period, code, value)

        self.session.stack(OFFICE).push(SetAppraisalCommand(apply, unit, code, before, after))

    def _apply_appraisal(self, unit: str, period: str, code: str, value: Appraised) -> None:
        """Write ``value`` back (undo or redo) and show the unit and item it concerns."""
        score, comment = value
        try:
            if score is None:
                appraisal.clear_appraisal(self.session.ws, unit, code, period)
            else:
                appraisal.set_appraisal(self.session.ws, unit, code, score, comment, period)
        except ParAppError as err:  # e.g. the period was locked by a final result since
            self.message.error(f"Không hoàn tác được: {err}")
            return
        if self.unit_code != unit:
            self.select_unit(unit)  # shows it (the list follows)
        else:
            self.show_unit(unit)  # same unit: reload its items
        self.select_item(code)
        self._relabel_current()
        self._own_edit = True
        try:
            self.session.notify(Changes(appraisal=True))
        finally:
            self._own_edit = False

    def _relabel_current(self) -> None:
        ua = self.model.ua
        item = self.unit_list.currentItem()
        if ua is None or item is None:
            return
        done, todo = ua.progress
        waiting = review.waiting_counts(self.session.ws, ua.period).get(ua.unit_code, 0)
        item.setText(unit_label(ua.unit_code, ua.unit_name, done, todo, waiting))
        item.setForeground(QColor("#b06000" if done < todo else "#202124"))
        flagged = "flagged" in str(item.data(FLAGS_ROLE) or "").split()
        item.setData(FLAGS_ROLE, unit_flags(done < todo, flagged, waiting))
        self._refresh_head()

    # -- selected item ----------------------------------------------------------------------
    def current_item(self) -> AppraisalItem | None:
        index = self.table.currentIndex()
        items = self.model.items
        return items[index.row()] if index.isValid() and index.row() < len(items) else None

    def select_item(self, code: str) -> None:
        row = self.model.row_of(code)
        if row is not None:
            self.table.selectRow(row)

    def _item_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        items = self.model.items
        self._show_detail(items[current.row()] if current.isValid() else None)

    def _show_detail(self, item: AppraisalItem | None) -> None:
        self.evidence_table.setRowCount(0)
        if item is None:
            self.detail_label.setText("Giải trình của đơn vị:")
            self.explanation.setPlainText("")
            return
        self.detail_label.setText(f"Giải trình của đơn vị — tiêu chí {item.code}:")
        self.explanation.setPlainText(item.explanation or "(Đơn vị không ghi giải trình.)")
        for e in item.evidence:
            n = self.evidence_table.rowCount()
            self.evidence_table.insertRow(n)
            size = int(e.get("size", 0) or 0)
            cells = (
                clean_file_name(str(e.get("file_name", ""))),  # rows stored before cleaning
                str(e.get("ref", "")),
                f"{format_number(size / 1024, 0)} KB" if size else "",
                str(e.get("note", "")),
            )
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.evidence_table.setItem(n, col, cell)
        if item.evidence:
            self.evidence_table.selectRow(0)
        self.open_button.setEnabled(bool(item.evidence))

    def open_evidence(self) -> None:
        """Extract the chosen evidence file from the received bundle and open it."""
        item, ua = self.current_item(), self.model.ua
        row = self.evidence_table.currentRow()
        if item is None or ua is None or not 0 <= row < len(item.evidence):
            self.message.error("Hãy chọn một tài liệu kiểm chứng.")
            return
        e = item.evidence[row]
        try:
            path = evidence_path(self.session, ua.bundle_id, str(e["sha256"]), str(e["file_name"]))
        except ParAppError as err:
            self.message.error(str(err))
            return
        try:
            opened, text = open_evidence_file(self, path, str(e["file_name"]))
        except ParAppError as err:
            self.message.error(str(err))
            return
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)  # the extracted copy
        if not opened:
            self.message.error(text)
            return
        ref = str(e.get("ref", ""))
        self.message.say(text + (f" — xem {ref}." if ref else "."))

    # -- accepting self scores --------------------------------------------------------------
    def _accept(self, code: str | None, what: str, overwrite: bool = False) -> None:
        ua = self.model.ua
        if ua is None:
            return
        try:
            count = appraisal.accept_self_scores(
                self.session.ws, ua.unit_code, code, ua.period, overwrite=overwrite
            )
        except ParAppError as err:
            self.message.error(str(err))
            return
        current = self.current_item()
        self.show_unit(ua.unit_code)
        if current is not None:
            self.select_item(current.code)
        self.message.say(f"Đã chấp nhận điểm tự chấm của {count} tiêu chí ({what}).")
        self.session.notify(Changes(appraisal=True))

    def accept_item(self) -> None:
        item = self.current_item()
        if item is None:
            self.message.error("Hãy chọn một tiêu chí.")
            return
        overwrite = False
        if item.appraised is not None or item.comment:
            if not self.ask_overwrite(item):
                return
            overwrite = True
        self._accept(item.code, f"tiêu chí {item.code}", overwrite)

    def ask_overwrite(self, item: AppraisalItem) -> bool:
        """Ask before replacing an appraised score or comment by the self score."""
        answer = QMessageBox.question(
            self,
            "Ghi đè thẩm định",
            f"Tiêu chí {item.code} đã có điểm thẩm định {format_number(item.appraised) or '—'}"
            + (f" và nhận xét “{item.comment}”" if item.comment else "")
            + ". Thay bằng điểm tự chấm?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def accept_area(self) -> None:
        item, ua = self.current_item(), self.model.ua
        if item is None or ua is None:
            self.message.error("Hãy chọn một tiêu chí thuộc lĩnh vực cần chấp nhận.")
            return
        area = next(
            (a for a in ua.framework.areas if ua.framework.is_under(item.code, a.code)), None
        )
        if area is None:
            return
        self._accept(area.code, f"lĩnh vực {area.code}")

    def accept_unit(self) -> None:
        ua = self.model.ua
        if ua is not None:
            self._accept(None, f"cả đơn vị {ua.unit_name}")


def evidence_path(session: Session, bundle_id: int, sha256: str, file_name: str) -> Path:
    """A readable copy of one evidence file of a received bundle (extracted on demand: the
    inbox keeps received evidence inside the stored bundle)."""
    return inbox.received_evidence_file(session.ws, bundle_id, sha256, file_name)
