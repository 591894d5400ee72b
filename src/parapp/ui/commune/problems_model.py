"""Table model of the open problems of an assessment, filterable by kind.

The summary screen lists what is left to fix before the bundle can be handed in; grouping by
kind lets an officer work through one sort of problem at a time (all missing evidence, then
all missing explanations...). Filtering happens inside the model because the list is small
(at most a few problems per item) and a proxy would add nothing but indirection.
"""

from __future__ import annotations

from collections.abc import Sized

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from parapp.models.rollup import Problem, ProblemKind
from parapp.ui.table_model import ListTableModel

KIND_LABELS: dict[str, str] = {
    ProblemKind.NOT_STARTED: "Chưa chấm",
    ProblemKind.NO_SCORE: "Chưa có điểm",
    ProblemKind.NO_EVIDENCE: "Thiếu tài liệu kiểm chứng",
    ProblemKind.NO_EXPLANATION: "Thiếu giải trình",
    ProblemKind.CONTRADICTION: "Giá trị mâu thuẫn với điểm",
    ProblemKind.OVER_MAX: "Điểm ngoài khoảng cho phép",
    ProblemKind.CARRIED_OVER: "Chưa xem lại: lấy từ kỳ trước",
}

# Display order of the kinds in the filter: what blocks or misleads first.
KIND_ORDER: tuple[str, ...] = (
    ProblemKind.OVER_MAX,
    ProblemKind.CONTRADICTION,
    ProblemKind.NO_EVIDENCE,
    ProblemKind.NO_EXPLANATION,
    ProblemKind.NO_SCORE,
    ProblemKind.NOT_STARTED,
    ProblemKind.CARRIED_OVER,
)

HEADERS = ("Mã", "Tiêu chí", "Loại", "Vấn đề")
COL_CODE, COL_TITLE, COL_KIND, COL_MESSAGE = range(4)

CodeRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


class ProblemsModel(ListTableModel):
    """Rows = problems (code, criterion title, kind, message) in framework order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[Problem] = []
        self._titles: dict[str, str] = {}
        self._kind: str | None = None
        self._rows: list[Problem] = []

    # -- data in ---------------------------------------------------------------------------
    def set_problems(self, problems: list[Problem], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self._all = list(problems)
        self._titles = dict(titles)
        self._apply_filter()
        self.endResetModel()

    def set_kind_filter(self, kind: str | None) -> None:
        """Show only problems of ``kind`` (``None`` = all kinds)."""
        self.beginResetModel()
        self._kind = kind
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        self._rows = [p for p in self._all if self._kind is None or p.kind == self._kind]

    @property
    def kind_filter(self) -> str | None:
        return self._kind

    def counts(self) -> dict[str, int]:
        """Number of problems per kind, over all problems (not only the filtered ones)."""
        out: dict[str, int] = {}
        for p in self._all:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out

    def total(self) -> int:
        return len(self._all)

    def problem(self, row: int) -> Problem:
        return self._rows[row]

    # -- Qt model API ------------------------------------------------------------------------
    def row_list(self) -> Sized:
        return self._rows

    def column_headers(self) -> tuple[str, ...]:
        return tuple(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == COL_CODE:
                return p.code
            if col == COL_TITLE:
                return self._titles.get(p.code, "")
            if col == COL_KIND:
                return kind_label(p.kind)
            if col == COL_MESSAGE:
                return p.message
        if role == CodeRole:
            return p.code
        if role == KindRole:
            return p.kind
        if role == Qt.ItemDataRole.ForegroundRole and p.blocking:
            return QBrush(QColor("#b3261e"))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
