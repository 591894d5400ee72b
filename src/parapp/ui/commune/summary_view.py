"""The "Tổng hợp" tab: where the assessment stands, and what is left to fix.

An officer fills the form over weeks; this screen answers the three questions asked before
every meeting with the leader: how many points so far, how much is done, how long until the
deadline, and which items still need work (each row jumps to the item).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.models.rollup import Rollup, days_left
from parapp.models.text import format_number
from parapp.services.changes import Changes
from parapp.services.commune import requests
from parapp.ui.commune.problems_model import (
    COL_CODE,
    COL_KIND,
    COL_MESSAGE,
    COL_TITLE,
    KIND_ORDER,
    CodeRole,
    ProblemsModel,
    kind_label,
)
from parapp.ui.session import Session

BAR_SCALE = 1000  # bars are drawn to 1/1000 of the maximum
OVERDUE_STYLE = "color: #b3261e; font-weight: bold;"


def format_score_line(score: float, maximum: float, percent: float) -> str:
    """``"61,5 / 87 điểm — 70,7%"``: the headline figure, with the decimal comma."""
    return f"{format_number(score)} / {format_number(maximum)} điểm — {format_number(percent, 1)}%"


def format_deadline(deadline: date | None, today: date) -> tuple[str, bool]:
    """The countdown text and whether it is overdue (shown in red)."""
    left = days_left(deadline, today)
    if deadline is None or left is None:
        return "", False
    when = deadline.strftime("%d/%m/%Y")
    if left > 0:
        return f"Còn {left} ngày đến hạn nộp ({when})", False
    if left == 0:
        return f"Hôm nay là hạn nộp ({when})", False
    return f"Đã quá hạn {-left} ngày (hạn nộp {when})", True


class AreaBar(QWidget):
    """One area: its title (elided to one line), its score, and a bar under them.

    Painted by hand so that eight areas fit in a narrow column at 1366×768 without labels
    wrapping into each other; the full title is in the tooltip and the accessible name.
    """

    BAR_HEIGHT = 10

    def __init__(self, title: str, score: float, maximum: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.score = score
        self.maximum = maximum
        self.score_text = f"{format_number(score)} / {format_number(maximum)} điểm"
        self.setToolTip(f"{title} — {self.score_text}")
        self.setAccessibleName(self.toolTip())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self.toolTip()

    def value(self) -> int:
        """The filled share of the bar, in thousandths of the maximum."""
        if self.maximum <= 0:
            return 0
        return max(0, min(BAR_SCALE, round(self.score * BAR_SCALE / self.maximum)))

    def sizeHint(self) -> QSize:
        return QSize(300, self.fontMetrics().height() + self.BAR_HEIGHT + 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.sizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        fm = self.fontMetrics()
        width = self.width()
        bold = QFont(self.font())
        bold.setBold(True)
        score_width = QFontMetrics(bold).horizontalAdvance(self.score_text) + 4
        text_rect = QRect(0, 0, width - score_width - 8, fm.height())
        title = fm.elidedText(self.title, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft), title)
        painter.setFont(bold)
        painter.drawText(
            QRect(width - score_width, 0, score_width, fm.height()),
            int(Qt.AlignmentFlag.AlignRight),
            self.score_text,
        )
        top = fm.height() + 3
        track = QRect(0, top, width - 1, self.BAR_HEIGHT)
        painter.setPen(QColor("#b8c2cc"))
        painter.setBrush(QColor("#eef1f4"))
        painter.drawRoundedRect(track, 3, 3)
        filled = round((width - 1) * self.value() / BAR_SCALE)
        if filled > 0:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#2f6db5"))
            painter.drawRoundedRect(QRect(0, top, filled, self.BAR_HEIGHT), 3, 3)
        painter.end()


class SummaryView(QWidget):
    """Totals, per-area bars, progress, deadline countdown and the list of problems."""

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._today = today
        self.rollup: Rollup | None = None
        self.area_bars: dict[str, AreaBar] = {}
        self._build()
        session.changed.connect(self._on_changed)
        self.refresh()

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QHBoxLayout(self)

        left = QVBoxLayout()
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        left.addWidget(self.title_label)

        caption = QLabel("Tổng điểm tự đánh giá")
        caption.setStyleSheet("color: #555;")
        left.addWidget(caption)
        self.score_label = QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.9)
        big.setBold(True)
        self.score_label.setFont(big)
        self.score_label.setWordWrap(True)
        self.score_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left.addWidget(self.score_label)
        self.score_note = QLabel()
        self.score_note.setWordWrap(True)
        self.score_note.setStyleSheet("color: #555;")
        left.addWidget(self.score_note)

        self.progress_label = QLabel()
        left.addWidget(self.progress_label)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(16)
        left.addWidget(self.progress_bar)

        self.deadline_label = QLabel()
        self.deadline_label.setWordWrap(True)
        left.addWidget(self.deadline_label)
        self.requests_label = QLabel()  # the parent's requests still to answer, if any
        self.requests_label.setWordWrap(True)
        self.requests_label.setStyleSheet(
            "background: #fde7c8; border: 1px solid #e0a040; padding: 4px;"
        )
        left.addWidget(self.requests_label)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        left.addWidget(line)
        areas_caption = QLabel("Điểm theo lĩnh vực")
        areas_caption.setFont(title_font)
        left.addWidget(areas_caption)

        self._areas_host = QWidget()
        self._areas_grid = QGridLayout(self._areas_host)
        self._areas_grid.setContentsMargins(0, 0, 8, 0)
        self._areas_grid.setVerticalSpacing(2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._areas_host)
        left.addWidget(scroll, 1)

        left_host = QWidget()
        left_host.setLayout(left)
        left_host.setMinimumWidth(340)
        outer.addWidget(left_host, 5)

        right = QVBoxLayout()
        head = QHBoxLayout()
        self.problems_caption = QLabel()
        self.problems_caption.setFont(title_font)
        head.addWidget(self.problems_caption, 1)
        filter_label = QLabel("&Lọc theo loại:")
        self.kind_combo = QComboBox()
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        filter_label.setBuddy(self.kind_combo)
        head.addWidget(filter_label)
        head.addWidget(self.kind_combo)
        right.addLayout(head)

        self.problems_model = ProblemsModel(self)
        self.problems_view = QTableView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_view.setAlternatingRowColors(True)
        self.problems_view.setWordWrap(False)
        self.problems_view.verticalHeader().setVisible(False)
        header = self.problems_view.horizontalHeader()
        header.setSectionResizeMode(COL_CODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Stretch)
        # The kind is what the filter combo shows; the message already says it in words.
        self.problems_view.setColumnHidden(COL_KIND, True)
        self.problems_view.setToolTip("Nhấn chuột hoặc Enter để mở tiêu chí")
        self.problems_view.clicked.connect(self._open_problem)
        self.problems_view.activated.connect(self._open_problem)
        right.addWidget(self.problems_view, 1)
        hint = QLabel("Nhấn vào một dòng (hoặc Enter) để mở tiêu chí đó trong biểu mẫu.")
        hint.setStyleSheet("color: #555;")
        right.addWidget(hint)

        right_host = QWidget()
        right_host.setLayout(right)
        outer.addWidget(right_host, 7)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)

    # -- refresh ------------------------------------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        # Every kind of change can move a total (answers, evidence, framework, unit name).
        self.refresh()

    def refresh(self) -> None:
        """Recompute the roll-up once and update every part of the screen from it."""
        ws = self.session.ws
        try:
            fw = ws.current_framework()
            rollup = ws.rollup()
            assessment = ws.require_assessment()
        except ParAppError as err:
            self.rollup = None
            self._show_empty(str(err))
            return
        self.rollup = rollup
        unit = ws.own_unit()
        unit_name = unit.name if unit else ""
        # The main window's header names the unit and framework; here only the period.
        self.title_label.setText(f"Kỳ đánh giá {assessment.period}")
        self.title_label.setToolTip(f"{unit_name} — {fw.name}")

        self.score_label.setText(
            format_score_line(rollup.total_score, rollup.assessable_max, rollup.index_percent)
        )
        survey = rollup.total_max - rollup.assessable_max
        note = "Chỉ số = điểm tự chấm ÷ tổng điểm các tiêu chí đơn vị được tự chấm."
        if survey > 1e-9:
            note += (
                f" {format_number(survey)} điểm còn lại (trên tổng "
                f"{format_number(rollup.total_max)}) chấm qua điều tra xã hội học."
            )
        self.score_note.setText(note)

        self.progress_label.setText(
            f"Tiến độ: đã chấm {rollup.done} / {rollup.leaves} tiêu chí "
            f"({format_number(rollup.progress_percent, 1)}%)"
        )
        self.progress_bar.setRange(0, max(rollup.leaves, 1))
        self.progress_bar.setValue(rollup.done)

        text, overdue = format_deadline(ws.deadline(), self._today())
        self.deadline_label.setText(text)
        self.deadline_label.setVisible(bool(text))
        self.deadline_label.setStyleSheet(OVERDUE_STYLE if overdue else "font-weight: bold;")
        self._show_requests()

        self._fill_areas(
            [
                (
                    a.code,
                    a.title,
                    rollup.nodes[a.code].self_score,
                    rollup.nodes[a.code].assessable_max,
                )
                for a in fw.areas
                if a.code in rollup.nodes
            ]
        )
        titles = {c.code: c.title for c in fw.criteria}
        self.problems_model.set_problems(rollup.problems, titles)
        self._fill_kind_combo()
        self._update_problems_caption()

    def _show_requests(self) -> None:
        """How many of the parent's requests are still unanswered, and the lock, if any."""
        ws = self.session.ws
        found = requests.list_requests(ws, self._today())
        lock = requests.lock_status(ws)
        parts = []
        if found:
            owed = sum(1 for r in found if not r.answered)
            parts.append(
                f"Cấp trên yêu cầu giải trình, bổ sung {len(found)} tiêu chí; còn {owed} chưa "
                "trả lời (đánh dấu “Cấp trên yêu cầu” ở cây tiêu chí để xem)."
            )
            left = next((r.days_left for r in found if r.days_left is not None), None)
            if left is not None:
                parts.append(f"Hạn trả lời: còn {left} ngày." if left >= 0 else
                             f"Đã quá hạn trả lời {-left} ngày.")  # fmt: skip
        if lock["locked"]:
            parts.append(f"Đã có kết quả thẩm định chính thức ({lock['since']}); kỳ này đã khóa.")
        self.requests_label.setText(" ".join(parts))
        self.requests_label.setVisible(bool(parts))

    def _show_empty(self, message: str) -> None:
        self.title_label.setText(message)
        self.score_label.setText("")
        self.score_note.setText("")
        self.progress_label.setText("")
        self.progress_bar.setValue(0)
        self.deadline_label.setVisible(False)
        self.requests_label.setVisible(False)
        self._fill_areas([])
        self.problems_model.set_problems([], {})
        self._fill_kind_combo()
        self._update_problems_caption()

    def _fill_areas(self, areas: list[tuple[str, str, float, float]]) -> None:
        while self._areas_grid.count():
            item = self._areas_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # hide at once: deleteLater only runs on the next event loop pass
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.area_bars.clear()
        for i, (code, title, score, maximum) in enumerate(areas):
            bar = AreaBar(f"{code}. {title}", score, maximum)
            self._areas_grid.addWidget(bar, i, 0)
            self.area_bars[code] = bar
        self._areas_grid.setRowStretch(len(areas), 1)

    def _fill_kind_combo(self) -> None:
        wanted = self.problems_model.kind_filter
        counts = self.problems_model.counts()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        self.kind_combo.addItem(f"Tất cả ({self.problems_model.total()})", None)
        for kind in KIND_ORDER:
            if counts.get(kind):
                self.kind_combo.addItem(f"{kind_label(kind)} ({counts[kind]})", kind)
        pos = self.kind_combo.findData(wanted) if wanted is not None else 0
        self.kind_combo.setCurrentIndex(max(pos, 0))
        self.kind_combo.blockSignals(False)
        if wanted is not None and pos < 0:
            self.problems_model.set_kind_filter(None)

    def _on_kind_changed(self, _index: int) -> None:
        kind = self.kind_combo.currentData()
        self.problems_model.set_kind_filter(kind if isinstance(kind, str) else None)
        self._update_problems_caption()

    def set_kind_filter(self, kind: str | None) -> None:
        """Show only one kind of problem (``None`` = all); same as choosing it in the combo."""
        pos = self.kind_combo.findData(kind) if kind is not None else 0
        self.kind_combo.setCurrentIndex(max(pos, 0))

    def _update_problems_caption(self) -> None:
        total = self.problems_model.total()
        shown = self.problems_model.rowCount()
        if total == 0:
            self.problems_caption.setText("Không còn vấn đề cần xử lý")
        elif shown == total:
            self.problems_caption.setText(f"Vấn đề cần xử lý: {total}")
        else:
            self.problems_caption.setText(f"Vấn đề cần xử lý: {shown} / {total}")

    def _open_problem(self, index: QModelIndex | QPersistentModelIndex) -> None:
        code = index.data(CodeRole)
        if isinstance(code, str) and code:
            self.session.select_item(code)
