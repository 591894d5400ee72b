"""The main window shows the office tab and menu only when the unit has child units."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from parapp.ui.main_window import MainWindow
from parapp.ui.office.office_view import ALL_PERIODS, OfficeView
from parapp.ui.session import Session
from tests.ui.office.conftest import Office


def _tabs(w: MainWindow) -> list[str]:
    return [w.tabs.tabText(i) for i in range(w.tabs.count())]


def _menus(w: MainWindow) -> list[str]:
    return [a.text() for a in w.menuBar().actions()]


def test_office_tab_and_menu(imported: Office, qtbot: QtBot) -> None:
    w = MainWindow(imported.session)
    qtbot.addWidget(w)
    assert "Đơn vị cấp dưới" in _tabs(w) and "Thẩ&m định" in _menus(w)
    office = w.office_view
    assert isinstance(office, OfficeView)
    assert [office.period_combo.itemText(i) for i in range(office.period_combo.count())] == [
        "2026", ALL_PERIODS]  # fmt: skip
    menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "Thẩ&m định")
    keys_entry = next(a for a in menu.actions() if a.text().startswith("&Khóa"))
    keys_entry.trigger()
    assert w.tabs.currentWidget() is office and office.pages.currentWidget() is office.keys_view


def test_commune_never_sees_it(session: Session, qtbot: QtBot) -> None:
    w = MainWindow(session)
    qtbot.addWidget(w)
    assert "Đơn vị cấp dưới" not in _tabs(w) and "Thẩ&m định" not in _menus(w)
