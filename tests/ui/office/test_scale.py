"""The office screens at 200 units stay readable at 1366×768."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QTableView
from pytestqt.qtbot import QtBot

from parapp.ui.main_window import MainWindow
from parapp.ui.office.appraisal_view import COL_TITLE
from parapp.ui.session import Session
from tests.ui.office.big_office import build_office, synthetic_framework


def test_200_units_keep_ten_ranking_rows_and_readable_charts(tmp_path: Path, qtbot: QtBot) -> None:
    ws = build_office(tmp_path, 200, synthetic_framework(4, 5))
    window = MainWindow(Session(ws))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    office = window.office_view
    assert office is not None and window.tabs.currentWidget() is office
    office.show_page(office.pages.indexOf(office.consolidation_view))
    view = office.consolidation_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 200, timeout=10000)
    table = view.table
    visible = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    assert visible >= 10, f"only {visible} ranking rows visible"
    chart = view.bar_chart
    scroll = chart.parentWidget().parentWidget()
    assert isinstance(scroll, QScrollArea)
    assert chart.height() >= 200 * 20  # one readable row per unit: the chart scrolls
    assert scroll.viewport().height() < chart.height()
    window.close()
    ws.close()


def _rows_in_view(table: QTableView) -> int:
    return table.viewport().height() // table.verticalHeader().defaultSectionSize()


@pytest.mark.parametrize(
    ("size", "rows"),
    [
        ((1366, 768), 14),
        # 1366×768 at 125 % scaling: the window's logical size (what QT_SCALE_FACTOR=1.25 gives;
        # the screenshots are taken that way too)
        ((round(1366 / 1.25), round(768 / 1.25)), 8),
    ],
)
def test_appraisal_table_keeps_its_rows_and_title_column(
    tmp_path: Path, qtbot: QtBot, size: tuple[int, int], rows: int
) -> None:
    ws = build_office(tmp_path, 12, synthetic_framework(4, 10))
    window = MainWindow(Session(ws))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    office = window.office_view
    assert office is not None and window.tabs.currentWidget() is office
    view = office.appraisal_view
    office.show_page(office.pages.indexOf(view))
    qtbot.waitUntil(lambda: view.model.rowCount() == 40, timeout=10000)
    QApplication.processEvents()
    table = view.table
    visible = _rows_in_view(table)
    assert visible >= rows, f"only {visible} appraisal rows visible at {size}"
    title = table.columnWidth(COL_TITLE)
    assert title >= table.viewport().width() // 4, f"“Tiêu chí” only {title} px wide"
    # every action is reachable without the window growing: buttons keep their whole text
    for button in (view.accept_button, view.send_button, view.audit_button, view.state_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width(), button.text()
    # folding the unit list away gives the table its width
    before = table.viewport().width()
    view.units_toggle.click()
    QApplication.processEvents()
    assert not view.units_panel.isVisible() and table.viewport().width() > before
    view.units_toggle.click()
    QApplication.processEvents()
    assert view.units_panel.isVisible()
    window.close()
    ws.close()
