"""“So sánh bộ chỉ số”: what changed from one year's framework to the next, on screen and as
an Excel workbook to circulate.

Provinces reissue their criteria every year; before adopting the new set an officer wants to
see which items were added, dropped, renumbered or moved, and which give other points. The
comparison itself is :mod:`parapp.models.framework_diff` (items matched by title and code);
the workbook is written through :mod:`parapp.services.framework_compare`.
"""

from __future__ import annotations

from collections.abc import Sized
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.models.framework_diff import Change, DiffEntry, FrameworkDiff
from parapp.models.numbers import format_decimal
from parapp.services import framework_compare
from parapp.ui.session import Session
from parapp.ui.table_model import ListTableModel

HEADERS = (
    "Thay đổi",
    "Mã cũ",
    "Mã mới",
    "Nội dung (kỳ trước)",
    "Nội dung (kỳ này)",
    "Điểm tối đa cũ",
    "Điểm tối đa mới",
)
COL_CHANGE, COL_OLD_CODE, COL_NEW_CODE, COL_OLD_TITLE, COL_NEW_TITLE, COL_OLD_PTS, COL_NEW_PTS = (
    range(7)
)
# The workbook's colours: additions green, removals red, other changes yellow.
_BACKGROUNDS = {Change.ADDED: "#e2efda", Change.REMOVED: "#fbe3e1"}
_CHANGED_BACKGROUND = "#fff2cc"
_Index = QModelIndex | QPersistentModelIndex


def entry_cells(e: DiffEntry) -> tuple[str, ...]:
    """One row of the table as text (full codes as in the workbook, decimal comma)."""
    return (
        "; ".join(c.label for c in e.changes),
        e.old.code if e.old else "",
        e.new.code if e.new else "",
        e.old.title if e.old else "",
        e.new.title if e.new else "",
        format_decimal(e.old.max_points) if e.old else "",
        format_decimal(e.new.max_points) if e.new else "",
    )


class DiffModel(ListTableModel):
    """Rows = the entries of a comparison (all, or only those that changed)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DiffEntry] = []

    def set_entries(self, entries: list[DiffEntry]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> DiffEntry:
        return self._rows[row]

    def row_list(self) -> Sized:
        return self._rows

    def column_headers(self) -> tuple[str, ...]:
        return HEADERS

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return entry_cells(e)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and e.main is not Change.UNCHANGED:
            return QBrush(QColor(_BACKGROUNDS.get(e.main, _CHANGED_BACKGROUND)))
        if role == Qt.ItemDataRole.ForegroundRole and e.main is not Change.UNCHANGED:
            return QBrush(QColor("#202124"))  # readable on the light shading in dark themes
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (
            COL_OLD_PTS,
            COL_NEW_PTS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class FrameworkDiffDialog(QDialog):
    """Two frameworks of the workspace, the items that changed between them, Xuất Excel…"""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.diff: FrameworkDiff | None = None
        self.setWindowTitle("So sánh bộ chỉ số")
        self.resize(1100, 620)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Những gì thay đổi từ bộ chỉ số kỳ trước sang bộ chỉ số kỳ này: tiêu chí thêm mới, "
            "bị bỏ, đổi mã hoặc vị trí, đổi điểm tối đa. Tiêu chí được khớp theo nội dung và mã."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.old_combo = QComboBox()
        self.new_combo = QComboBox()
        form.addRow("Bộ chỉ số kỳ &trước:", self.old_combo)
        form.addRow("Bộ chỉ số kỳ &này:", self.new_combo)
        layout.addLayout(form)
        self.changed_only = QCheckBox("Chỉ hiện tiêu chí có &thay đổi")
        self.changed_only.setChecked(True)
        layout.addWidget(self.changed_only)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.model = DiffModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # rows as tall as their wrapped titles, at any width (a few hundred rows at most)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        for col, width in {
            COL_CHANGE: 150,
            COL_OLD_CODE: 70,
            COL_NEW_CODE: 70,
            COL_OLD_PTS: 115,
            COL_NEW_PTS: 115,
        }.items():
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_OLD_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_NEW_TITLE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        self.export_button = QPushButton("Xuất &Excel…")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export_excel)
        layout.addWidget(buttons)
        self._fill_combos()
        self.old_combo.currentIndexChanged.connect(lambda _i: self.compare())
        self.new_combo.currentIndexChanged.connect(lambda _i: self.compare())
        self.changed_only.toggled.connect(lambda _on: self._show_rows())
        self.compare()

    # -- choosing ---------------------------------------------------------------------------
    def _fill_combos(self) -> None:
        ws = self.session.ws
        old_id, new_id = framework_compare.default_pair(ws)
        for row in ws.frameworks.list():
            year = f" ({row['year']})" if row["year"] else ""
            text = f"{row['name']}{year}"
            for combo in (self.old_combo, self.new_combo):
                combo.addItem(text, str(row["id"]))
                combo.setItemData(combo.count() - 1, str(row["id"]), Qt.ItemDataRole.ToolTipRole)
        self.select(old_id, new_id)

    def select(self, old_id: str | None, new_id: str | None) -> None:
        """Choose the two frameworks by id (tests and the defaults)."""
        for combo, wanted in ((self.old_combo, old_id), (self.new_combo, new_id)):
            at = combo.findData(wanted) if wanted is not None else -1
            if at >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(at)
                combo.blockSignals(False)
        self.compare()

    def compare(self) -> None:
        """Compare the two frameworks chosen and show the result."""
        old_id, new_id = self.old_combo.currentData(), self.new_combo.currentData()
        self.diff = None
        self.message_label.setText("")
        if old_id is None or new_id is None:
            self.summary_label.setText(
                "Cần ít nhất hai bộ chỉ số để so sánh. Nhập bộ chỉ số mới từ Excel trong "
                "“Tệp → Nhập bộ chỉ số từ Excel…”."
            )
        elif old_id == new_id:
            self.summary_label.setText("Hãy chọn hai bộ chỉ số khác nhau.")
        else:
            try:
                self.diff = framework_compare.compare_in_workspace(
                    self.session.ws, str(old_id), str(new_id)
                )
            except ParAppError as err:
                self.summary_label.setText(f"Không so sánh được: {err}")
        if self.diff is not None:
            counts = self.diff.counts()
            self.summary_label.setText(
                " · ".join(f"{c.label}: {counts[c]}" for c in Change)
                + f" · Tổng điểm: {format_decimal(self.diff.old.total_points)} → "
                f"{format_decimal(self.diff.new.total_points)}"
            )
        self.export_button.setEnabled(self.diff is not None)
        self._show_rows()

    def _show_rows(self) -> None:
        entries = list(self.diff.entries) if self.diff is not None else []
        if self.changed_only.isChecked():
            entries = [e for e in entries if e.main is not Change.UNCHANGED]
        self.model.set_entries(entries)

    # -- export -------------------------------------------------------------------------------
    def ask_save_path(self, suggested: str) -> Path | None:
        """The native save dialog (tests replace it)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Xuất bảng so sánh bộ chỉ số", suggested, "Bảng tính Excel (*.xlsx)"
        )
        return Path(name) if name else None

    def export_excel(self) -> Path | None:
        """Write the comparison on show as an xlsx the officer chooses; the path or None."""
        diff = self.diff
        if diff is None:
            return None
        suggested = str(Path.home() / f"so-sanh-{diff.old.id}-{diff.new.id}.xlsx")
        path = self.ask_save_path(suggested)
        if path is None:
            return None
        try:
            out = framework_compare.write_diff(diff, path)
        except ParAppError as err:
            self.message_label.setStyleSheet("color: #b3261e;")
            self.message_label.setText(f"Không ghi được bảng so sánh: {err}")
            return None
        self.message_label.setStyleSheet("")
        self.message_label.setText(f"Đã ghi bảng so sánh: {out}")
        return out
