"""“Tổng hợp, xếp hạng”: the ranking of the child units, two charts, and sending results.

Everything on this page reads one :func:`parapp.services.office.consolidation.consolidate` result,
so the table, the charts, the Excel workbook, the printed ranking and the upward bundle
always show the same figures. Units with items not yet appraised are marked “Tạm tính”.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from parapp.models.consolidation import RankedUnit
from parapp.models.errors import ParAppError
from parapp.models.numbers import format_fixed
from parapp.models.text import format_number
from parapp.services.changes import Changes
from parapp.services.office import consolidation
from parapp.services.office import upward_bundle as office_bundle
from parapp.services.office.appraisal_result import export_appraisal
from parapp.services.office.consolidation import Consolidation
from parapp.services.office.survey_results import import_survey_results, write_survey_sheet
from parapp.services.office.upward_bundle import export_office_bundle, upward_warnings
from parapp.ui.office.charts import AreaHeatMap, IndexBarChart
from parapp.ui.office.common import (
    AMBER,
    GREY,
    WARN_BG,
    MessageLine,
    RowKeys,
    SignDialog,
    filter_combo,
    filter_rows,
    search_edit,
    shown_text,
)
from parapp.ui.office.undo_commands import SetThresholdsCommand
from parapp.ui.session import OFFICE, Session

if TYPE_CHECKING:  # annotations only: the UI reaches these layers through services
    from parapp.interchange.bundle import BundleResult
    from parapp.interchange.keys import KeyPair

_Index = QModelIndex | QPersistentModelIndex
PROVISIONAL_TEXT = "Tạm tính"
DEFAULT_POSITION = "Trưởng phòng Nội vụ"


def format_thresholds(bands: tuple[tuple[str, float], ...]) -> str:
    """``(("Xuất sắc", 90.0), …)`` -> ``"Xuất sắc=90; Tốt=80; …"`` (the editor's text)."""
    return "; ".join(f"{label}={format_number(low)}" for label, low in bands)


def change_text(rank_change: int | None, index_change: float | None) -> str:
    if rank_change is None:
        return "mới"
    arrow = f"↑{rank_change}" if rank_change > 0 else f"↓{-rank_change}" if rank_change else "="
    sign = "+" if (index_change or 0) > 0 else ""
    return f"{arrow} hạng, {sign}{format_number(index_change)} điểm %"


NOT_SUBMITTED_TEXT = "Chưa nộp"
#: the ranking's filters (label, key): which rows stay shown
RANKING_FILTERS = (
    ("Tất cả đơn vị", ""),
    ("Chưa nộp", "missing"),
    ("Tạm tính (chưa thẩm định xong)", "provisional"),
    ("Có cảnh báo", "flagged"),
)


class RankingModel(QAbstractTableModel):
    """The ranked units: rank, unit, each area, total, index, rating, change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.c: Consolidation | None = None

    @property
    def rows(self) -> tuple[RankedUnit, ...]:
        return self.c.rows if self.c else ()

    def headers(self) -> list[str]:
        areas = [f"LV {a.code}" for a in self.c.framework.areas] if self.c else []
        change = f"So với kỳ {self.c.previous_period}" if self.c and self.c.previous_period else ""
        return ["Hạng", "Đơn vị", *areas, "Tổng điểm", "Chỉ số (%)", "Xếp loại", change]

    def set_consolidation(self, c: Consolidation | None) -> None:
        self.beginResetModel()
        self.c = c
        self.endResetModel()

    @property
    def not_submitted(self) -> tuple[tuple[str, str], ...]:
        """Child units without a valid bundle: listed under the ranked rows as "Chưa nộp"."""
        return self.c.not_submitted if self.c else ()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows) + len(self.not_submitted)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.c is None else len(self.headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.c is None:
            return None
        heads = self.headers()
        if not 0 <= section < len(heads):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return heads[section]
        if role == Qt.ItemDataRole.ToolTipRole and 2 <= section < 2 + len(self.c.framework.areas):
            a = self.c.framework.areas[section - 2]
            return f"{a.title} (tối đa {format_number(a.max_points)})"
        return None

    def cells(self, r: RankedUnit) -> list[str]:
        assert self.c is not None
        res = r.result
        name = res.unit_name + (f" ({PROVISIONAL_TEXT})" if res.provisional else "")
        cmp = self.c.comparison.get(res.unit_code)
        change = ""
        if self.c.previous_period is not None:
            change = (
                change_text(cmp.rank_change(r.rank), cmp.index_change(res.index_percent))
                if cmp
                else "mới"
            )
        return [
            str(r.rank),
            name,
            *(format_number(t) for t in res.area_totals),
            f"{format_number(res.total)}/{format_number(res.maximum)}",
            format_fixed(res.index_percent),
            r.rating,
            change,
        ]

    def row_keys(self, row: int) -> tuple[str, set[str]]:
        """The row's unit name and the filter keys it matches."""
        if row < len(self.rows):
            res = self.rows[row].result
            keys = {"provisional"} if res.provisional else set()
            return res.unit_name, keys | ({"flagged"} if res.warnings else set())
        _code, name = self.not_submitted[row - len(self.rows)]
        return name, {"missing"}

    def _missing_cell(self, index: _Index, role: int) -> Any:
        _code, name = self.not_submitted[index.row() - len(self.rows)]
        cells = ["—", name] + [""] * (len(self.headers()) - 4) + [NOT_SUBMITTED_TEXT, ""]
        if role == Qt.ItemDataRole.DisplayRole and 0 <= index.column() < len(cells):
            return cells[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(GREY)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        if index.row() >= len(self.rows):
            return self._missing_cell(index, role)
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self.cells(r)
            return cells[index.column()] if 0 <= index.column() < len(cells) else None
        if role == Qt.ItemDataRole.BackgroundRole and r.result.provisional:
            return WARN_BG
        if role == Qt.ItemDataRole.ForegroundRole and r.result.provisional and index.column() == 1:
            return QColor(AMBER)
        if role == Qt.ItemDataRole.FontRole and index.column() in (0, len(self.headers()) - 3):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() != 1:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and (r.result.provisional or r.result.warnings):
            res = r.result
            lines = list(res.warnings)
            if res.provisional:
                lines.insert(
                    0,
                    f"{PROVISIONAL_TEXT}: mới thẩm định {res.appraised_items}/"
                    f"{res.appraisable_items} tiêu chí; tiêu chí chưa thẩm định tính theo điểm "
                    "tự chấm.",
                )
            return "\n".join(lines)
        return None


class ConsolidationView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.period: str | None = None
        self.c: Consolidation | None = None
        self.last_result: BundleResult | None = None
        self._build()
        self.refresh()
        session.changed.connect(self._on_changed)

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.excel_button = QPushButton("Xuất &Excel…")
        self.excel_button.clicked.connect(self.export_excel)
        self.print_button = QPushButton("&In bảng xếp hạng…")
        self.print_button.clicked.connect(self.print_ranking)
        self.send_button = QPushButton("&Gửi kết quả thẩm định cho đơn vị…")
        self.send_button.setToolTip("Ghi tệp kết quả thẩm định (có ký số) của đơn vị đang chọn")
        self.send_button.clicked.connect(self.send_appraisal)
        self.upward_button = QPushButton("Nộp hồ sơ tổng hợp lên cấp &trên…")
        self.upward_button.setStyleSheet("font-weight: bold;")
        self.upward_button.clicked.connect(self.export_upward)
        # survey (điều tra XHH) points come from outside the app: a sheet out, a sheet back in
        self.survey_button = QToolButton()
        self.survey_button.setText("Điều tra &XHH")
        self.survey_button.setToolTip(
            "Điểm các tiêu chí chấm qua điều tra xã hội học: tạo bảng Excel cho tổ điều tra "
            "điền, rồi nhập lại (tất cả hoặc không gì cả)"
        )
        self.survey_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        survey_menu = QMenu(self.survey_button)
        survey_menu.addAction("Tạo bảng nhập điểm điều tra XHH…", self.export_survey_sheet)
        survey_menu.addAction("Nhập điểm điều tra XHH từ Excel…", self.import_survey_sheet)
        self.survey_button.setMenu(survey_menu)
        for b in (self.excel_button, self.print_button, self.send_button, self.upward_button):
            row.addWidget(b)
        row.addWidget(self.survey_button)
        row.addStretch(1)
        outer.addLayout(row)
        find = QHBoxLayout()  # at 200 units a name is found by typing, not by scrolling
        self.search_edit = search_edit(self._apply_filter)
        self.filter_combo = filter_combo(RANKING_FILTERS, self._apply_filter)
        self.shown_label = QLabel("")
        find.addWidget(self.search_edit, 1)
        find.addWidget(QLabel("Hiện:"))
        find.addWidget(self.filter_combo)
        find.addWidget(self.shown_label)
        outer.addLayout(find)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        outer.addWidget(self.status_label)
        self.message = MessageLine()
        outer.addWidget(self.message)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = RankingModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        rows = self.table.verticalHeader().defaultSectionSize()
        # eight rows at least (ten and more at 1366×768, see tests/ui/office/test_scale.py);
        # the charts keep their tab bar and a few bars even at 125 % scaling
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 8 * rows)
        split.addWidget(self.table)
        self.charts = QTabWidget()
        self.bar_chart = IndexBarChart()
        self.heat_map = AreaHeatMap()
        for chart, title in (
            (self.bar_chart, "Biểu đồ chỉ số"),
            (self.heat_map, "Điểm theo lĩnh vực"),
        ):
            scroll = QScrollArea()  # many units: the chart scrolls, its labels stay readable
            scroll.setWidgetResizable(True)
            scroll.setWidget(chart)
            self.charts.addTab(scroll, title)
        self.charts.setMinimumHeight(self.charts.tabBar().sizeHint().height() + 3 * rows)
        split.addWidget(self.charts)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)

        thresholds = QHBoxLayout()
        thresholds.addWidget(QLabel("Ngưỡng xếp loại (%):"))
        self.thresholds_edit = QLineEdit()
        self.thresholds_edit.setToolTip("Ví dụ: Xuất sắc=90; Tốt=80; Khá=70; Trung bình=50; Yếu=0")
        self.thresholds_edit.returnPressed.connect(self.save_thresholds)
        self.thresholds_button = QPushButton("Áp &dụng")
        self.thresholds_button.clicked.connect(self.save_thresholds)
        thresholds.addWidget(self.thresholds_edit, 1)
        thresholds.addWidget(self.thresholds_button)
        outer.addLayout(thresholds)

    # -- data -----------------------------------------------------------------------------
    def set_period(self, period: str | None) -> None:
        self.period = period
        self.refresh()

    def refresh(self) -> None:
        ws = self.session.ws
        keep = self.selected_unit()
        try:
            self.c = consolidation.consolidate(ws, self.period)
        except ParAppError as err:
            self.c = None
            self.status_label.setText(str(err))
        self.model.set_consolidation(self.c)
        self.bar_chart.set_consolidation(self.c)
        self.heat_map.set_consolidation(self.c)
        self.thresholds_edit.setText(format_thresholds(consolidation.thresholds(ws)))
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if self.model.columnCount() > 1:
            head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for b in (self.excel_button, self.print_button, self.send_button, self.upward_button):
            b.setEnabled(self.c is not None)
        self.survey_button.setEnabled(self.c is not None)
        self._apply_filter()
        if self.c is not None:
            self.status_label.setText(self._status(self.c))
            if keep:
                self.select_unit(keep)
            elif self.c.rows:
                self.table.selectRow(0)

    def _apply_filter(self) -> None:
        """Hide the rows the search text or the filter leave out (ranks keep their numbers:
        the rank is the unit's place among all units, not among those shown)."""
        total = self.model.rowCount()

        def row(n: int) -> RowKeys:
            name, keys = self.model.row_keys(n)
            return (name,), keys

        shown = filter_rows(
            self.search_edit, self.filter_combo, total, row, self.table.setRowHidden
        )
        self.shown_label.setText(shown_text(shown, total))

    @staticmethod
    def _status(c: Consolidation) -> str:
        provisional = sum(1 for r in c.rows if r.result.provisional)
        text = f"Kỳ {c.period} · {c.framework.name} · {len(c.rows)} đơn vị được xếp hạng"
        if provisional:
            text += (
                f" · {provisional} đơn vị {PROVISIONAL_TEXT.lower()} (còn tiêu chí chưa thẩm "
                "định, tạm dùng điểm tự chấm)"
            )
        if c.other_framework_units:
            text += " · không xếp hạng (nộp theo bộ chỉ số khác): " + ", ".join(
                c.other_framework_units
            )
        return text

    def _on_changed(self, changes: Changes) -> None:
        """Recomputing the ranking costs about a second at 200 units: done now when the page
        is on show, else the first time it is shown (an appraiser typing scores on the
        appraisal page never waits for it)."""
        if changes.inbox or changes.appraisal or changes.unit:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()
        super().showEvent(event)

    def selected_unit(self) -> str | None:
        index = self.table.currentIndex()
        rows = self.model.rows
        return (
            rows[index.row()].result.unit_code
            if index.isValid() and index.row() < len(rows)
            else None
        )

    def select_unit(self, code: str) -> None:
        for n, r in enumerate(self.model.rows):
            if r.result.unit_code == code:
                self.table.selectRow(n)
                return

    def save_thresholds(self) -> None:
        old = format_thresholds(consolidation.thresholds(self.session.ws))
        try:
            bands = consolidation.set_thresholds(self.session.ws, self.thresholds_edit.text())
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.refresh()
        self.message.say("Đã áp dụng ngưỡng xếp loại mới.")
        new = format_thresholds(bands)
        if new != old:  # Ctrl+Z on the office screens puts the previous ones back
            self.session.stack(OFFICE).push(SetThresholdsCommand(self._apply_thresholds, old, new))

    def _apply_thresholds(self, text: str) -> None:
        """Undo or redo of a thresholds change (the text is one that was accepted before)."""
        try:
            consolidation.set_thresholds(self.session.ws, text)
        except ParAppError as err:
            self.message.error(f"Không hoàn tác được: {err}")
            return
        self.refresh()
        self.message.say(f"Ngưỡng xếp loại: {text}")

    # -- native dialogs (tests replace these) ---------------------------------------------
    def ask_save_path(self, caption: str, suggested: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
        return Path(name) if name else None

    def run_sign_dialog(self, dialog: SignDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    # -- actions --------------------------------------------------------------------------
    def export_excel(self) -> None:
        if self.c is None:
            return
        path = self.ask_save_path(
            "Xuất bảng tổng hợp Excel", f"tong-hop-{self.c.period}.xlsx", "Bảng tính Excel (*.xlsx)"
        )
        if path is None:
            return
        try:
            consolidation.export_xlsx(self.session.ws, path, self.c.period)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.message.say(f"Đã ghi bảng tổng hợp: {path}")

    def print_ranking(self) -> None:
        """The print dialog with the ranking preselected (preview, PDF, printer)."""
        module = importlib.import_module("parapp.ui.print_dialog")
        try:
            dialog = module.PrintDialog(self.session, self)
        except ParAppError as err:
            self.message.error(str(err))
            return
        combo = dialog.doc_combo
        at = combo.findData("ranking")
        if at >= 0:
            combo.setCurrentIndex(at)
        dialog.exec()
        dialog.deleteLater()

    def send_appraisal(self) -> None:
        code, c = self.selected_unit(), self.c
        if code is None or c is None:
            self.message.error("Hãy chọn đơn vị trong bảng xếp hạng.")
            return
        name = next(r.result.unit_name for r in c.rows if r.result.unit_code == code)
        path = self.ask_save_path(
            f"Lưu kết quả thẩm định của {name}",
            f"thamdinh-{code}-{c.period}.zip",
            "Tệp kết quả thẩm định (*.zip)",
        )
        if path is None:
            return
        ws, period = self.session.ws, c.period

        def write(kp: KeyPair, approver: str, position: str) -> BundleResult:
            return export_appraisal(ws, code, path, kp, approver, position, period)

        intro = f"Ghi kết quả thẩm định kỳ {period} của {name}, ký bằng khóa của đơn vị."
        if any(r.result.provisional for r in c.rows if r.result.unit_code == code):
            intro += " Lưu ý: đơn vị này còn tiêu chí chưa thẩm định."
        self._sign("Gửi kết quả thẩm định", intro, write, f"Đã ghi kết quả thẩm định của {name}")

    def export_upward(self) -> None:
        c = self.c
        if c is None:
            return
        own = self.session.ws.require_unit()
        path = self.ask_save_path(
            "Nộp hồ sơ tổng hợp lên cấp trên",
            f"tong-hop-{own.code}-{c.period}.zip",
            "Hồ sơ tổng hợp (*.zip)",
        )
        if path is None:
            return
        ws, period = self.session.ws, c.period

        def write(kp: KeyPair, approver: str, position: str) -> BundleResult:
            return export_office_bundle(ws, path, kp, approver, position, period)

        intro = (
            f"Ghi hồ sơ tổng hợp kỳ {period} của {own.name}: bảng xếp hạng, kết quả thẩm định "
            f"và nguyên vẹn {len(c.rows)} hồ sơ của đơn vị cấp dưới, ký bằng khóa của đơn vị."
        )
        notes = upward_warnings(ws, c)
        if notes:
            intro += " Lưu ý: " + " ".join(notes)
        self._sign("Nộp hồ sơ tổng hợp lên cấp trên", intro, write, "Đã ghi hồ sơ tổng hợp")

    def ask_open_path(self, caption: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, caption, "", pattern)
        return Path(name) if name else None

    def export_survey_sheet(self) -> None:
        """The sheet the survey team fills: a row per unit that submitted, a column per item."""
        if self.c is None:
            return
        path = self.ask_save_path(
            "Tạo bảng nhập điểm điều tra XHH",
            f"diem-dieu-tra-xhh-{self.c.period}.xlsx",
            "Bảng tính Excel (*.xlsx)",
        )
        if path is None:
            return
        try:
            n = write_survey_sheet(self.session.ws, path, self.c.period)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.message.say(f"Đã tạo bảng nhập điểm điều tra XHH cho {n} đơn vị: {path}")

    def import_survey_sheet(self) -> None:
        if self.c is None:
            return
        path = self.ask_open_path("Nhập điểm điều tra XHH", "Bảng tính Excel (*.xlsx)")
        if path is None:
            return
        try:
            n = import_survey_results(self.session.ws, path, self.c.period)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.session.notify(Changes(appraisal=True))
        self.refresh()
        self.message.say(
            f"Đã nhập {n} điểm điều tra XHH từ “{path.name}”; bảng xếp hạng đã tính lại."
        )

    def _sign(self, title: str, intro: str, write: Any, done_text: str) -> None:
        dialog = SignDialog(self.session.ws, title, intro, write, DEFAULT_POSITION, self)
        accepted = self.run_sign_dialog(dialog)
        result = dialog.result_value
        dialog.deleteLater()
        if accepted and isinstance(result, office_bundle.BundleResult):
            self.last_result = result
            self.message.say(
                f"{done_text}: {result.path}\nMã băm SHA-256 (12 ký tự đầu): {result.sha256[:12]}"
            )
