"""The “Đơn vị cấp dưới” tab: the office's four pages under one period selector, and the
menu entries the main window adds for them.

One period selector serves every page so the officer never ranks one period while looking
at another's inbox; “Tất cả các kỳ” only makes sense for the inbox list, so the other pages
then use the latest period received.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parapp.services.changes import Changes
from parapp.services.office import inbox
from parapp.ui.office.appraisal_view import AppraisalView
from parapp.ui.office.consolidation_view import ConsolidationView
from parapp.ui.office.inbox_view import InboxView
from parapp.ui.office.keys_view import KeysView
from parapp.ui.session import Session

ALL_PERIODS = "Tất cả các kỳ"
PAGE_INBOX, PAGE_KEYS, PAGE_APPRAISAL, PAGE_RANKING = range(4)


def received_periods(session: Session) -> list[str]:
    """Periods with at least one accepted bundle, oldest first."""
    return sorted({e.period for e in inbox.inbox_entries(session.ws) if e.accepted and e.period})


class OfficeView(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 0)
        self.pages = QTabWidget()
        self.inbox_view = InboxView(session)
        self.keys_view = KeysView(session)
        self.appraisal_view = AppraisalView(session)
        self.consolidation_view = ConsolidationView(session)
        self.pages.addTab(self.inbox_view, "Hồ sơ nhận")
        self.pages.addTab(self.keys_view, "Khóa của đơn vị")
        self.pages.addTab(self.appraisal_view, "Thẩm định")
        self.pages.addTab(self.consolidation_view, "Tổng hợp, xếp hạng")
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 4, 0)
        row.addWidget(QLabel("Kỳ:"))
        self.period_combo = QComboBox()
        self.period_combo.setMinimumContentsLength(8)
        row.addWidget(self.period_combo)
        self.pages.setCornerWidget(corner)
        layout.addWidget(self.pages)
        self._fill_periods()
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        session.changed.connect(self._on_changed)

    def _fill_periods(self, keep: str | None = None) -> None:
        periods = received_periods(self.session)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in reversed(periods):
            self.period_combo.addItem(p, p)
        self.period_combo.addItem(ALL_PERIODS, "")
        at = self.period_combo.findData(keep) if keep is not None else 0
        self.period_combo.setCurrentIndex(max(at, 0))
        self.period_combo.blockSignals(False)

    def period(self) -> str | None:
        return str(self.period_combo.currentData() or "") or None

    def _period_chosen(self, _index: int) -> None:
        p = self.period()
        self.inbox_view.set_period(p)
        self.appraisal_view.set_period(p)
        self.consolidation_view.set_period(p)

    def _on_changed(self, changes: Changes) -> None:
        if not changes.inbox:
            return
        before = self.period()
        self._fill_periods(before)
        if self.period() != before:
            self._period_chosen(0)

    def show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)

    def fill_menu(self, menu: QMenu, reveal: Callable[[], None]) -> None:
        """The “Thẩm định” menu: each entry brings this tab forward, then acts."""

        def go(page: int, then: Callable[[], None] | None = None) -> Callable[[], None]:
            def run() -> None:
                reveal()
                self.show_page(page)
                if then is not None:
                    then()

            return run

        entries: tuple[tuple[str, Callable[[], None]], ...] = (
            ("&Nhập hồ sơ…", go(PAGE_INBOX, self.inbox_view.import_files)),
            ("Nhập cả &thư mục hồ sơ…", go(PAGE_INBOX, self.inbox_view.import_folder)),
            ("&Khóa của đơn vị cấp dưới…", go(PAGE_KEYS)),
            ("Thẩm &định…", go(PAGE_APPRAISAL)),
            ("Xuất bảng tổng hợp &Excel…", go(PAGE_RANKING, self.consolidation_view.export_excel)),
            (
                "Tạo bảng nhập điểm điều tra &XHH…",
                go(PAGE_RANKING, self.consolidation_view.export_survey_sheet),
            ),
            (
                "Nhập điểm điều tra XHH từ Exce&l…",
                go(PAGE_RANKING, self.consolidation_view.import_survey_sheet),
            ),
            (
                "Nộp hồ sơ tổng hợp lên &cấp trên…",
                go(PAGE_RANKING, self.consolidation_view.export_upward),
            ),
        )
        for text, slot in entries:
            action = menu.addAction(text)
            action.triggered.connect(lambda _checked=False, s=slot: s())
