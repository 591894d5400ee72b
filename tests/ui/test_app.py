"""The app entry point end to end: ``--demo`` opens the demo workspace and the main window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from parapp.app import DesktopArgs, needs_setup
from parapp.models.units import Unit, UnitLevel
from parapp.services.workspace import Workspace
from parapp.ui.main_window import MainWindow
from parapp.ui.session import Session


def test_demo_starts_and_draws_main_window(tmp_path: Path) -> None:
    shot = tmp_path / "cua-so.png"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PARAPP_DATA_DIR=str(tmp_path / "demo"),
        PARAPP_SCREENSHOT=str(shot),
        HOME=str(tmp_path),  # QSettings of this run stay in the temp dir
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "parapp", "--demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert not image.isNull()
    assert image.width() >= 1000 and image.height() >= 600
    with Workspace.open(tmp_path / "demo", backup=False) as ws:
        unit = ws.own_unit()
        assert unit is not None and unit.name == "Phường Điện Bàn"
        assert ws.last_item() is not None  # the window opened on an item and remembered it


def test_office_demo_opens_on_the_office_screens(tmp_path: Path) -> None:
    """``make run-office``: the office demo is built on first start and the window drawn."""
    shot = tmp_path / "co-quan.png"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PARAPP_DATA_DIR=str(tmp_path / "demo-office"),
        PARAPP_SCREENSHOT=str(shot),
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "parapp", "--demo-office"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 1000
    with Workspace.open(tmp_path / "demo-office", backup=False) as ws:
        unit = ws.own_unit()
        assert unit is not None and unit.name == "Thành phố Đà Nẵng"
        assert len(ws.child_units()) == 12
        assert not needs_setup(ws)


def test_an_office_set_up_from_the_command_line_skips_the_wizard(tmp_path: Path) -> None:
    """docs/receiving-office.md: `init` + `units add`, no own assessment: straight to work."""
    with Workspace.open(tmp_path / "office", backup=False) as ws:
        assert needs_setup(ws)  # nothing yet
        ws.set_own_unit(Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE))
        assert needs_setup(ws)  # a unit with no assessment and no children: the wizard
        ws.add_unit(Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48"))
        assert not needs_setup(ws)  # an office: its screens open at once


def test_the_office_window_opens_on_its_office_screens(tmp_path: Path, qtbot: QtBot) -> None:
    ws = Workspace.open(tmp_path / "office", backup=False)
    ws.set_own_unit(Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE))
    ws.add_unit(Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48"))
    window = MainWindow(Session(ws))
    qtbot.addWidget(window)
    assert window.office_view is not None
    assert window.tabs.currentWidget() is window.office_view
    assert "Cơ quan tiếp nhận · 1 đơn vị cấp dưới" in window.header_label.text()
    assert window.left_pane.isHidden()  # no own form: the office screens get the full width
    window.tabs.setCurrentIndex(0)
    assert not window.left_pane.isHidden()
    window.close()
    ws.close()


def test_the_desktop_arguments_are_read_as_argparse_read_them() -> None:
    """``--demo``, ``--demo-office``, ``--data-dir DIR``/``=DIR``, ``--open FILE`` (a bundle
    double-clicked in Explorer); unknown words are ignored, a missing value is no value."""
    args = DesktopArgs(["--demo", "--data-dir", "D:/ParApp dữ liệu", "--open=hồ sơ.zip", "-x"])
    assert (args.demo, args.demo_office) == (True, False)
    assert (args.data_dir, args.open) == ("D:/ParApp dữ liệu", "hồ sơ.zip")
    args = DesktopArgs(["--demo-office", "--data-dir=E:/van phong", "--open"])
    assert (args.demo, args.demo_office, args.data_dir, args.open) == (
        False,
        True,
        "E:/van phong",
        None,
    )
    assert DesktopArgs([]).data_dir is None
