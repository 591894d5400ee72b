"""All items of the self-assessment in one spreadsheet-like grid, to fill and review fast.

Officers used to Excel want to see every item at once: code, title, max, measured value,
score, explanation, evidence count and status, sorted and filtered. Cells are edited in
place where the item's rule allows, through the same ``Workspace.set_answer`` and the same
undoable command as the item form, so the grid validates exactly like the form: a refused
entry is never stored and its message stays visible until fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.models.assessment import Answer, AnswerStatus
from parapp.models.collation import vn_sort_key
from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion
from parapp.models.rollup import leaf_status
from parapp.models.scoring import RuleKind
from parapp.models.text import fold, format_number, parse_number
from parapp.services.changes import Changes
from parapp.ui.commune.undo_commands import SetAnswerCommand
from parapp.ui.session import GRID as GRID  # the grid's own undo history (per screen)
from parapp.ui.session import Session

AnyIndex = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int


COLUMNS = (
    Column("code", "Mã", 60),
    Column("title", "Tiêu chí", 360),
    Column("max", "Tối đa", 60),
    Column("rule", "Cách chấm", 110),
    Column("value", "Giá trị", 80),
    Column("numerator", "Tử số", 70),
    Column("denominator", "Mẫu số", 70),
    Column("self_score", "Điểm tự chấm", 90),
    Column("explanation", "Giải trình", 260),
    Column("evidence", "Tài liệu", 60),
    Column("status", "Trạng thái", 140),
)
KEYS = [c.key for c in COLUMNS]
NUMBER_FIELDS = ("value", "numerator", "denominator", "self_score")


def _code_key(code: str) -> tuple[object, ...]:
    return vn_sort_key(code)


def editable_fields(c: Criterion) -> set[str]:
    """The answer fields the officer may type for this item (as the form offers them)."""
    kind = c.rule.kind
    if kind is RuleKind.SURVEY:
        return set()
    fields = {"explanation"}
    if kind is RuleKind.MANUAL:
        fields.add("self_score")
    elif kind is RuleKind.YES_NO:
        fields.add("value")
    elif kind is RuleKind.BANDS:
        fields.add("value")
        if c.rule.measure == "%":
            fields |= {"numerator", "denominator"}
    return fields


class AssessmentGridModel(QAbstractTableModel):
    """One row per scored item of the current framework."""

    failed = Signal(str)  # a refused edit, in Vietnamese

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._items: list[Criterion] = []
        self._answers: dict[str, Answer] = {}
        self.reload()
        session.changed.connect(self._on_changed)

    def reload(self) -> None:
        self.beginResetModel()
        ws = self.session.ws
        if ws.current_assessment() is None:
            self._items, self._answers = [], {}
        else:
            self._items = list(ws.current_framework().leaves())
            self._answers = ws.answers()
        self.endResetModel()

    def _on_changed(self, changes: Changes) -> None:
        if changes.frameworks or changes.assessment or changes.evidence or not changes.codes:
            self.reload()
            return
        answers = self.session.ws.answers()
        for row, c in enumerate(self._items):
            if c.code in changes.codes:
                self._answers[c.code] = answers.get(c.code, Answer(code=c.code))
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # -- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header if 0 <= section < len(COLUMNS) else None
        return None

    def criterion(self, row: int) -> Criterion:
        return self._items[row]

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if KEYS[index.column()] in editable_fields(self._items[index.row()]):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def _cell(self, c: Criterion, a: Answer, key: str) -> tuple[str, object]:
        """(text shown, sort value) of one cell."""
        if key == "code":
            return c.code, _code_key(c.code)
        if key == "title":
            return c.title, vn_sort_key(c.title)
        if key == "max":
            return format_number(c.max_points), c.max_points
        if key == "rule":
            return c.rule.kind.label, c.rule.kind.label
        if key in NUMBER_FIELDS:
            v = getattr(a, key)
            if key == "value" and c.rule.kind is RuleKind.YES_NO and v is not None:
                return ("Có" if v else "Không"), v
            shown = "" if v is None else format_number(v)
            if key == "value" and v is not None and c.rule.measure == "%":
                shown += "%"
            return shown, -1.0 if v is None else v
        if key == "explanation":
            return a.explanation, vn_sort_key(a.explanation)
        if key == "evidence":
            return str(len(a.evidence)), len(a.evidence)
        status = leaf_status(c, a)
        return status.label, status.value

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self._items[index.row()]
        a = self._answers.get(c.code, Answer(code=c.code))
        key = KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            text, _ = self._cell(c, a, key)
            if role == Qt.ItemDataRole.EditRole and key == "value" and text.endswith("%"):
                return text[:-1]
            return text
        if role == SORT_ROLE:
            return self._cell(c, a, key)[1]
        if role == SEARCH_ROLE:
            return fold(f"{c.code} {c.title} {a.explanation}")
        if role == Qt.ItemDataRole.TextAlignmentRole and key in (*NUMBER_FIELDS, "max", "evidence"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "title":
                return c.title
            if key == "value" and c.rule.kind is RuleKind.YES_NO:
                return "Gõ “có” hoặc “không”"
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        c = self._items[index.row()]
        key = KEYS[index.column()]
        if key not in editable_fields(c):
            return False
        text = "" if value is None else str(value)
        try:
            parsed = self._parse(c, key, text)
            return self._apply(c, {key: parsed})
        except (ParAppError, ValueError) as err:
            message = (
                str(err)
                if isinstance(err, ParAppError)
                else (f"Tiêu chí {c.code}: “{text}” không phải là số (ví dụ đúng: 1,5).")
            )
            self.failed.emit(message)
            return False

    @staticmethod
    def _parse(c: Criterion, key: str, text: str) -> object:
        if key == "explanation":
            return text
        if key == "value" and c.rule.kind is RuleKind.YES_NO:
            word = fold(text)
            if not word:
                return None
            if word in ("co", "c", "1", "dat", "yes"):
                return 1.0
            if word in ("khong", "k", "0", "no"):
                return 0.0
            raise ValueError(text)
        return parse_number(text)

    def _apply(self, c: Criterion, fields: dict[str, Any]) -> bool:
        ws = self.session.ws
        old = ws.answer(c.code)
        ws.set_answer(c.code, **fields)  # validates exactly as the item form does
        self.session.stack(GRID).push(
            SetAnswerCommand(self.session, c.code, fields, old, applied=True)
        )
        return True


class GridFilter(QSortFilterProxyModel):
    """Accent-insensitive search over code, title and explanation; "needs work" only."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []
        self._needs_work = False
        self.setSortRole(SORT_ROLE)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_needs_work(self, on: bool) -> None:
        self.beginFilterChange()
        self._needs_work = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: AnyIndex) -> bool:
        model = self.sourceModel()
        idx = model.index(row, 0, parent)
        haystack = str(model.data(idx, SEARCH_ROLE) or "")
        if any(w not in haystack for w in self._words):
            return False
        if self._needs_work and isinstance(model, AssessmentGridModel):
            c = model.criterion(row)
            status = str(model.data(model.index(row, KEYS.index("status"), parent)) or "")
            return c.rule.kind is not RuleKind.SURVEY and status != AnswerStatus.COMPLETE.label
        return True

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)


class GridView(QWidget):
    """The "Bảng" tab: search, a needs-work toggle, the grid and the last refusal."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = AssessmentGridModel(session)
        self.proxy = GridFilter()
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm theo mã, tên tiêu chí, giải trình…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.set_text)
        self.needs_work = QCheckBox("Chỉ mục còn phải làm")
        self.needs_work.toggled.connect(self.proxy.set_needs_work)
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.needs_work)
        top.addWidget(self.count_label)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for i, col in enumerate(COLUMNS):
            self.table.setColumnWidth(i, col.width)
        header.setSectionResizeMode(KEYS.index("title"), QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)

        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.model.failed.connect(self.show_error)
        self.model.dataChanged.connect(lambda *_: self.show_error(""))
        self.proxy.layoutChanged.connect(self._count)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        self._count()

    def show_error(self, message: str) -> None:
        """A refused entry stays explained under the grid until the next good edit."""
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _count(self, *_: object) -> None:
        self.count_label.setText(f"{self.proxy.rowCount()}/{self.model.rowCount()} mục")
