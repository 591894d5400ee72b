"""The criteria tree: a ``QAbstractItemModel`` over the framework and the current roll-up.

The model holds one :class:`Rollup` and recomputes it once per change notification (never
per cell); only rows whose figures changed are announced, so the tree never collapses or
loses its selection while the officer types. A full reset happens only when the framework
or the assessment itself changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from parapp.models.assessment import AnswerStatus
from parapp.models.framework import Criterion, Framework
from parapp.models.numbers import format_fixed
from parapp.models.rollup import NodeTotal, ProblemKind, Rollup
from parapp.models.scoring import score_range
from parapp.models.text import format_number, matches
from parapp.services.changes import Changes
from parapp.ui.icons import status_icon
from parapp.ui.session import Session

AnyIndex = QModelIndex | QPersistentModelIndex

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
NEEDS_WORK_ROLE = Qt.ItemDataRole.UserRole + 3

#: the roles :meth:`CriteriaModel.data` answers
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        CODE_ROLE,
        STATUS_ROLE,
        NEEDS_WORK_ROLE,
    }
)

HEADERS = ("Mã", "Tiêu chí", "Điểm")
COL_CODE, COL_TITLE, COL_SCORE = range(3)
CARRIED_COLOR = "#1a4f9c"  # leaves carried over from the last period, until reviewed
_ROOT_ID = 0  # internal id of the invisible root; node ids are 1 + position in criteria
_NO_PARENT = QModelIndex()


def score_text(total: NodeTotal | None, c: Criterion, leaf: bool) -> str:
    """``"1,5 / 2"``; ``"— / 2"`` for a leaf without a score; ``"XHH / 1"`` for survey items."""
    if c.survey_only:
        return f"XHH / {format_number(c.max_points)}"
    scored = total is not None and (not leaf or total.done > 0)
    shown = format_number(total.self_score) if total is not None and scored else "—"
    return f"{shown} / {format_number(c.max_points)}"


def widest_score_texts(fw: Framework) -> list[str]:
    """For every shape of node (maximum, range, survey or not), the widest text its score
    cell can ever show (see :func:`score_text`).

    A score lies in the rule's range (:func:`score_range`; a parent's in the sum of its
    leaves' ranges) and has at most two decimals, so its widest forms are the largest
    magnitude itself and the two-decimal number just below it, signed. The tree sizes its
    score column from these instead of measuring every row on every layout, which was a
    sixth of a start.
    """
    lows: dict[str, float] = {}
    highs: dict[str, float] = {}
    for c in reversed(fw.criteria):  # children come after their parent
        kids = fw.children(c.code)
        if kids:
            lows[c.code] = sum(lows[k.code] for k in kids)
            highs[c.code] = sum(highs[k.code] for k in kids)
        else:
            lows[c.code], highs[c.code] = score_range(c.max_points, c.rule)
    texts = []
    for shape in {(c.max_points, lows[c.code], highs[c.code], c.survey_only) for c in fw.criteria}:
        top_points, low, high, survey = shape
        top = format_number(top_points)
        if survey:
            texts.append(f"XHH / {top}")
            continue
        magnitude = max(abs(low), abs(high), top_points)
        sign = "-" if low < 0 else ""
        texts.append(f"{sign}{format_number(magnitude)} / {top}")
        if magnitude >= 0.01:  # the longest number below it: 10 -> 9,99, 2,5 -> 2,49
            texts.append(f"{sign}{format_fixed(magnitude - 0.01)} / {top}")
    return texts


class CriteriaModel(QAbstractItemModel):
    """Framework tree with a status icon, the code, the title and "score / max" per node."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.fw: Framework | None = None
        self.rollup = Rollup()
        self._ids: dict[str, int] = {}
        self._rows: dict[str, int] = {}
        self._kids: dict[int, list[int]] = {}  # node id -> its children's ids (root: 0)
        self.needs_work: set[str] = set()
        #: leaves carried over from the last period and not reviewed: code -> reminder
        self.carried: dict[str, str] = {}
        self._load()
        session.changed.connect(self._on_changed)

    # -- data loading ---------------------------------------------------------------------
    def _load(self) -> None:
        ws = self.session.ws
        if ws.current_assessment() is None:
            self.fw, self.rollup = None, Rollup()
            self._ids, self._rows, self._kids = {}, {}, {}
            self.needs_work = set()
            self.carried = {}
            return
        fw = ws.current_framework()
        self.fw = fw
        self._ids = {c.code: i + 1 for i, c in enumerate(fw.criteria)}
        self._rows = {}
        self._kids = {}
        for parent in [None, *[c.code for c in fw.criteria]]:
            kids = fw.children(parent)
            for row, kid in enumerate(kids):
                self._rows[kid.code] = row
            self._kids[self._ids[parent] if parent else _ROOT_ID] = [
                self._ids[k.code] for k in kids
            ]
        self._set_rollup(ws.rollup())

    def _set_rollup(self, r: Rollup) -> None:
        self.rollup = r
        problem_codes = {p.code for p in r.problems}
        self.needs_work = {
            code
            for code, t in r.nodes.items()
            if code in problem_codes
            or t.status in (AnswerStatus.IN_PROGRESS, AnswerStatus.EVIDENCE_MISSING)
        }
        self.carried = {p.code: p.message for p in r.problems if p.kind == ProblemKind.CARRIED_OVER}

    def reload(self) -> None:
        """Full reset: only when the framework or the current assessment changed."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def _same_tree(self) -> bool:
        """True when the current assessment still uses the framework already shown."""
        a = self.session.ws.current_assessment()
        return a is not None and self.fw is not None and a.framework_hash == self.fw.content_hash

    def _on_changed(self, changes: Changes) -> None:
        if changes.frameworks or changes.assessment or changes.unit:
            if not self._same_tree():
                self.reload()  # another framework: the rows themselves change
                return
            changes = Changes(codes=frozenset(self._ids), evidence=True)  # totals only
        if self.fw is None or not (changes.codes or changes.evidence):
            return
        old_nodes, old_needs, old_carried = self.rollup.nodes, self.needs_work, self.carried
        self._set_rollup(self.session.ws.rollup())
        for code, total in self.rollup.nodes.items():
            if (
                old_nodes.get(code) != total
                or (code in old_needs) != (code in self.needs_work)
                or old_carried.get(code) != self.carried.get(code)
            ):
                left = self.index_for(code)
                right = self.index_for(code, COL_SCORE)
                self.dataChanged.emit(left, right)

    # -- lookups --------------------------------------------------------------------------
    def criterion(self, index: AnyIndex) -> Criterion | None:
        if not index.isValid() or self.fw is None:
            return None
        return self.fw.criteria[index.internalId() - 1]

    def index_for(self, code: str, column: int = 0) -> QModelIndex:
        if self.fw is None or code not in self._ids:
            return QModelIndex()
        return self.createIndex(self._rows[code], column, self._ids[code])

    # -- QAbstractItemModel ---------------------------------------------------------------
    def _kid_ids(self, parent: AnyIndex) -> list[int]:
        if self.fw is None or parent.column() > 0:
            return []
        return self._kids.get(parent.internalId() if parent.isValid() else _ROOT_ID, [])

    def index(self, row: int, column: int, parent: AnyIndex = _NO_PARENT) -> QModelIndex:
        # no hasIndex(): it calls rowCount and columnCount back in Python, and the tree and
        # its filter ask for thousands of indexes while the window first shows
        kids = self._kid_ids(parent)
        if not (0 <= row < len(kids) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, index: AnyIndex = _NO_PARENT) -> QModelIndex:  # type: ignore[override]
        c = self.criterion(index)
        if c is None or c.parent_code is None:
            return QModelIndex()
        return self.index_for(c.parent_code)

    def rowCount(self, parent: AnyIndex = _NO_PARENT) -> int:
        return len(self._kid_ids(parent))

    def columnCount(self, parent: AnyIndex = _NO_PARENT) -> int:
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:  # the view asks about eight roles per cell; most are not ours
            return None
        c = self.criterion(index)
        if c is None:
            return None
        total = self.rollup.nodes.get(c.code)
        status = total.status if total else AnswerStatus.NOT_STARTED
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_SCORE:
                assert self.fw is not None
                return score_text(total, c, self.fw.is_leaf(c.code))
            return c.label if col == COL_CODE else c.title
        if role == Qt.ItemDataRole.DecorationRole and col == COL_CODE:
            return status_icon(status)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{c.code}. {c.title}\nTrạng thái: {status.label}"
            if total is not None and total.leaves > 1:
                tip += f"\nĐã làm {total.done}/{total.leaves} tiêu chí"
            if c.code in self.carried:
                tip += f"\n{self.carried[c.code]}"
            return tip
        if role == Qt.ItemDataRole.FontRole and c.parent_code is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.FontRole and c.code in self.carried:
            font = QFont()
            font.setItalic(True)  # carried over from the last period, not reviewed yet
            return font
        if role == Qt.ItemDataRole.ForegroundRole and c.survey_only:
            return QBrush(QColor("#5f6368"))
        if role == Qt.ItemDataRole.ForegroundRole and c.code in self.carried:
            return QBrush(QColor(CARRIED_COLOR))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == CODE_ROLE:
            return c.code
        if role == STATUS_ROLE:
            return status.value
        if role == NEEDS_WORK_ROLE:
            return c.code in self.needs_work
        return None


class CriteriaFilterProxy(QSortFilterProxyModel):
    """Accent-insensitive search and the "only what needs work" toggle.

    A row matches when its code or title, or an ancestor's, contains every word of the query
    ("thu tuc" finds "thủ tục"); ancestors of matches stay visible (recursive filtering).
    With the toggle, only leaves that still need work are kept. ``pinned`` keeps the item
    being edited visible even once it is complete, so it does not vanish under the cursor.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.query = ""
        self.only_needs_work = False
        self.pinned = ""
        self.requested: frozenset[str] | None = None  # "Cấp trên yêu cầu": items asked about

    def _refilter(self, change: Any) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_query(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "query", text.strip()))

    def set_only_needs_work(self, on: bool) -> None:
        self._refilter(lambda: setattr(self, "only_needs_work", bool(on)))

    def set_requested(self, codes: frozenset[str] | None) -> None:
        """Keep only the items the parent's appraisal asks about (``None``: no such filter)."""
        self._refilter(lambda: setattr(self, "requested", codes))

    def filtering(self) -> bool:
        """Whether any row can be hidden (a query, the toggle or the requests filter)."""
        return bool(self.query) or self.only_needs_work or self.requested is not None

    def set_pinned(self, code: str) -> None:
        if code == self.pinned:
            return
        if not self.filtering():  # nothing is hidden: no row to re-check (every item change)
            self.pinned = code
            return
        self._refilter(lambda: setattr(self, "pinned", code))

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self.filtering():
            return True
        model = self.sourceModel()
        if not isinstance(model, CriteriaModel) or model.fw is None:
            return True
        index = model.index(source_row, 0, source_parent)
        c = model.criterion(index)
        if c is None:
            return False
        if self.pinned and c.code == self.pinned:
            return True
        return self.accepts(model.fw, c)

    def accepts(self, fw: Framework, c: Criterion) -> bool:
        """Whether ``c`` passes the query and the toggle (ignoring the pinned item)."""
        if self.query and not self._text_matches(fw, c):
            return False
        if self.requested is not None and not (fw.is_leaf(c.code) and c.code in self.requested):
            return False
        if self.only_needs_work:
            model = self.sourceModel()
            needs = model.needs_work if isinstance(model, CriteriaModel) else set()
            return fw.is_leaf(c.code) and c.code in needs
        return True

    def _text_matches(self, fw: Framework, c: Criterion) -> bool:
        node: Criterion | None = c
        while node is not None:
            if matches(self.query, node.code, node.label, node.title):
                return True
            node = fw.by_code.get(node.parent_code) if node.parent_code else None
        return False
