"""Tree model of a task plan (objective → task → product), with the filters of the task screen.

Plans (seeds 001 and 004) are hierarchies: headings group tasks, tasks carry products. The
officer filters by status, by lead agency and to overdue tasks; a matching row keeps its
ancestors so it is never shown without its context. Filtering rebuilds the visible tree in
the model: a plan has at most a few hundred rows, so a reset is instant and far simpler than a
recursive proxy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.models.text import fold, matches

HEADERS = (
    "Mã",
    "Nhiệm vụ",
    "Tiến độ",
    "Hạn",
    "Chủ trì",
    "Phối hợp",
    "Kết quả/sản phẩm",
    "Trạng thái",
)
(
    COL_CODE,
    COL_TITLE,
    COL_SCHEDULE,
    COL_DUE,
    COL_LEAD,
    COL_COORD,
    COL_PRODUCT,
    COL_STATUS,
) = range(len(HEADERS))

TaskCodeRole = Qt.ItemDataRole.UserRole + 1
OverdueRole = Qt.ItemDataRole.UserRole + 2

OVERDUE_BACKGROUND = QColor("#fbe3e1")
OVERDUE_TOOLTIP = "Quá hạn"
#: An unfinished task of a plan whose period is over: history, not overdue.
LAPSED_LABEL = "hết kỳ kế hoạch"

_Index = QModelIndex | QPersistentModelIndex


def format_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def is_heading(task: Task, has_children: bool) -> bool:
    """A grouping row ("I. CẢI CÁCH THỂ CHẾ"): it has children and nothing to do by itself."""
    return has_children and not (task.lead or task.product or task.deadline_text or task.due_date)


@dataclass(frozen=True)
class TaskFilter:
    """What the officer filters on; an empty filter shows the whole plan."""

    status: TaskStatus | None = None
    lead: str = ""
    overdue_only: bool = False

    @property
    def active(self) -> bool:
        return self.status is not None or bool(fold(self.lead)) or self.overdue_only

    def accepts(self, task: Task, overdue: bool) -> bool:
        """Whether ``task`` passes; ``overdue`` is judged by the plan (see TaskPlan.is_overdue)."""
        if self.status is not None and task.status is not self.status:
            return False
        if fold(self.lead) and not matches(self.lead, task.lead):
            return False
        return not (self.overdue_only and not overdue)


@dataclass
class _Node:
    task: Task | None  # None for the invisible root
    parent: int  # id of the parent node (0 = root)
    children: list[int] = field(default_factory=list)


class TasksModel(QAbstractItemModel):
    """The visible tree of one plan. Node ids (``internalId``) are stable until the next reset."""

    def __init__(
        self, parent: QObject | None = None, *, today: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self._today = today
        self._plan: TaskPlan | None = None
        self._filter = TaskFilter()
        self._nodes: list[_Node] = [_Node(None, 0)]
        self._parents: set[str] = set()

    # -- data in -----------------------------------------------------------------------------
    def set_plan(self, plan: TaskPlan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self._rebuild()
        self.endResetModel()

    def set_filter(self, flt: TaskFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._rebuild()
        self.endResetModel()

    @property
    def plan(self) -> TaskPlan | None:
        return self._plan

    @property
    def task_filter(self) -> TaskFilter:
        return self._filter

    def _rebuild(self) -> None:
        self._nodes = [_Node(None, 0)]
        self._parents = set()
        if self._plan is None:
            return
        self._parents = {t.parent_code for t in self._plan.tasks if t.parent_code}
        tasks = self._plan.tasks
        known = {t.code for t in tasks}
        kids: dict[str | None, list[Task]] = {}
        for t in tasks:
            parent = t.parent_code if t.parent_code in known and t.parent_code != t.code else None
            kids.setdefault(parent, []).append(t)
        today = self._today()
        flt = self._filter
        plan = self._plan

        def keep(task: Task, seen: frozenset[str]) -> bool:
            """Whether ``task`` or one of its descendants passes the filter."""
            children = [k for k in kids.get(task.code, []) if k.code not in seen]
            if not flt.active:
                return True
            own = not is_heading(task, bool(children)) and flt.accepts(
                task, plan.is_overdue(task, today)
            )
            return own or any(keep(k, seen | {k.code}) for k in children)

        def add(task: Task, parent_id: int, seen: frozenset[str]) -> None:
            node_id = len(self._nodes)
            self._nodes.append(_Node(task, parent_id))
            self._nodes[parent_id].children.append(node_id)
            for k in kids.get(task.code, []):
                if k.code not in seen and keep(k, seen | {k.code}):
                    add(k, node_id, seen | {k.code})

        for t in kids.get(None, []):
            if keep(t, frozenset({t.code})):
                add(t, 0, frozenset({t.code}))

    # -- lookups --------------------------------------------------------------------------------
    def task(self, index: _Index) -> Task | None:
        if not index.isValid():
            return None
        node_id = int(index.internalId())
        return self._nodes[node_id].task if 0 < node_id < len(self._nodes) else None

    def index_of(self, code: str) -> QModelIndex:
        """The index (column 0) of the visible task ``code``, invalid when filtered out."""
        for node_id, node in enumerate(self._nodes):
            if node_id and node.task is not None and node.task.code == code:
                siblings = self._nodes[node.parent].children
                return self.createIndex(siblings.index(node_id), 0, node_id)
        return QModelIndex()

    def visible_codes(self) -> list[str]:
        """Codes of every visible row in display order (tests, exports)."""
        out: list[str] = []

        def walk(node_id: int) -> None:
            for k in self._nodes[node_id].children:
                task = self._nodes[k].task
                if task is not None:
                    out.append(task.code)
                walk(k)

        walk(0)
        return out

    def has_task_children(self, code: str) -> bool:
        """Whether ``code`` has children in the plan (visible or not)."""
        return code in self._parents

    # -- Qt model API ----------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(HEADERS) or row < 0:
            return QModelIndex()
        parent_id = int(parent.internalId()) if parent.isValid() else 0
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if parent_id >= len(self._nodes):
            return QModelIndex()
        children = self._nodes[parent_id].children
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node_id = int(index.internalId())
        if not 0 < node_id < len(self._nodes):
            return QModelIndex()
        parent_id = self._nodes[node_id].parent
        if parent_id == 0:
            return QModelIndex()
        grand = self._nodes[parent_id].parent
        return self.createIndex(self._nodes[grand].children.index(parent_id), 0, parent_id)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            if parent.column() != 0:
                return 0
            node_id = int(parent.internalId())
            return len(self._nodes[node_id].children) if node_id < len(self._nodes) else 0
        return len(self._nodes[0].children)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        task = self.task(index)
        if task is None:
            return None
        node = self._nodes[int(index.internalId())]
        heading = is_heading(task, self.has_task_children(task.code))
        plan = self._plan
        today = self._today()
        overdue = plan is not None and plan.is_overdue(task, today)
        lapsed = plan is not None and not heading and plan.lapsed(task, today)
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._display(task, col, heading)
            return f"{text} ({LAPSED_LABEL})" if lapsed and col == COL_STATUS else text
        if role == Qt.ItemDataRole.ToolTipRole:
            if overdue:
                return f"{OVERDUE_TOOLTIP} (hạn {format_date(task.due_date)})"
            if lapsed and plan is not None:
                return (
                    f"Chưa hoàn thành khi {LAPSED_LABEL} "
                    f"(kỳ kết thúc {format_date(plan.period_end)})"
                )
            text = self._display(task, col, heading)
            return text or None
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole and heading and node.parent == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == TaskCodeRole:
            return task.code
        if role == OverdueRole:
            return overdue
        return None

    @staticmethod
    def _display(task: Task, col: int, heading: bool) -> str:
        if col == COL_CODE:
            return task.code
        if col == COL_TITLE:
            return task.title
        if col == COL_SCHEDULE:
            return task.deadline_text
        if col == COL_DUE:
            return format_date(task.due_date)
        if col == COL_LEAD:
            return task.lead
        if col == COL_COORD:
            return task.coordinators
        if col == COL_PRODUCT:
            return task.product
        if col == COL_STATUS:
            return "" if heading else task.status.label
        return ""

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
