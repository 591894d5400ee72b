"""The office screens at 200 units stay readable at 1366×768."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from parapp.ui.main_window import MainWindow
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
