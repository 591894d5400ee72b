"""“Đơn vị cấp dưới”: a province office lists its communes from the catalogue, corrects a
name, takes a unit off the list, and gets its office tab without restarting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from parapp.interchange import keys
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys, unit_catalogue
from parapp.services.workspace import Workspace
from parapp.ui.main_window import MainWindow
from parapp.ui.office.units_dialog import UnitsDialog
from parapp.ui.session import Session

DA_NANG = "48"


@pytest.fixture
def office(tmp_path: Path, qapp: QApplication) -> Iterator[Session]:
    ws = Workspace.open(tmp_path / "so-noi-vu", backup=False)
    ws.set_own_unit(Unit(DA_NANG, "Thành phố Đà Nẵng", UnitLevel.PROVINCE))
    session = Session(ws)
    try:
        yield session
    finally:
        ws.close()


def test_add_all_then_search_rename_and_remove(
    office: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = MainWindow(office)
    qtbot.addWidget(window)
    tab_names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Đơn vị cấp dưới" not in tab_names  # no children yet: no office tab

    dlg = UnitsDialog(office)
    qtbot.addWidget(dlg)
    expected = unit_catalogue.communes(DA_NANG)
    assert "Thành phố Đà Nẵng" in dlg.add_all_button.text()
    dlg.add_all_button.click()
    children = office.ws.child_units()
    assert len(children) == len(expected) == dlg.table.rowCount() > 50
    assert f"{len(expected)}" in dlg.count_label.text()
    assert f"Đã thêm {len(expected)} đơn vị." == dlg.message.text()
    assert not dlg.add_all_button.isEnabled()  # nothing left to add
    tab_names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert "Đơn vị cấp dưới" in tab_names  # the office tab came with the units

    # remove one, then find it again accent-insensitively and add it back
    target = next(u for u in children if u.name == "Phường Điện Bàn")
    row = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == target.code)
    dlg.table.selectRow(row)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dlg.remove_button.click()
    assert target.code not in {u.code for u in office.ws.child_units()}
    dlg.search_edit.setText("dien ban")
    names = [dlg.results.item(i).text() for i in range(dlg.results.count())]
    assert f"Phường Điện Bàn ({target.code})" in names
    dlg.results.item(names.index(f"Phường Điện Bàn ({target.code})")).setSelected(True)
    dlg.add_button.click()
    assert target.code in {u.code for u in office.ws.child_units()}

    # a name corrected
    row = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == target.code)
    dlg.table.selectRow(row)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Phường Điện Bàn (mới)", True))
    dlg.rename_button.click()
    assert office.ws.unit(target.code).name == "Phường Điện Bàn (mới)"

    # a unit whose key the office trusts cannot be taken off the list
    kp = keys.generate_keypair()
    keys.write_public_key(kp.public, tmp_path / "x.pub")
    trusted_keys.enrol_key_file(office.ws, target.code, tmp_path / "x.pub")
    dlg.refresh()
    row = next(r for r in range(dlg.table.rowCount()) if dlg.table.item(r, 0).text() == target.code)
    dlg.table.selectRow(row)
    dlg.remove_button.click()
    assert target.code in {u.code for u in office.ws.child_units()}
    assert "đã có khóa đã tin cậy" in dlg.message.text()
