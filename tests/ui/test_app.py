"""The app entry point end to end: ``--demo`` opens the demo workspace and the main window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from parapp.services.workspace import Workspace


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
