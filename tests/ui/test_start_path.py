"""The desktop app's cold start loads only what the first screen needs (not a timed test).

``bench/bench_startup.py`` times the start; this guards its cause: a start that imports the
report, spreadsheet, Word or signature libraries, sqlite-utils or the office screens again
fails here on any machine, however fast. The same run proves the exit the bench uses
(``PARAPP_EXIT_WHEN_SHOWN``) happens only once the first page is drawn, and that the start's
objects were frozen out of the garbage collector's way (``parapp.app.settle_start_up``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

#: packages the desktop start must not import (loaded when their feature is first used)
HEAVY = (
    "reportlab",  # PDF reports
    "openpyxl",  # Excel import and export
    "docx",  # Word documents
    "pyhanko",  # certificate signatures
    "cryptography",  # bundle signing and checking (after the first paint, for the status bar)
    "jsonschema",
    "PIL",
    "lxml",
    "sqlite_utils",  # only to change a schema; an up-to-date workspace opens without it
    "click",  # the command line
)
#: parapp modules that belong to other screens or features
NOT_AT_START = (
    "parapp.cli",
    "parapp.ui.office",
    "parapp.ui.commune.grid_view",
    "parapp.ui.commune.summary_view",
    "parapp.ui.commune.tasks_view",
    "parapp.interchange.bundle",
    "parapp.interchange.pdf",
    "parapp.services.office",
    "parapp.models.carry_over",  # with the framework diff: when a period begins
    "parapp.models.framework_diff",
    "parapp.ui.icon_drawing",  # the icons are read from their files
    "parapp.ui.progress_dialog",  # with the first background job
    "parapp.services.commune.previous_period",  # the demo, like a first year, has none
)
#: Qt classes PySide6 must not have built for the first page: each is built, with its
#: enums, on first lookup (message boxes, dialogs, a parent item's list, painting code)
QT_NOT_BUILT = ("QMessageBox", "QFileDialog", "QDialog", "QListWidget", "QPainter", "QPen")

#: runs ``python -m parapp --demo`` as the bench does, recording what was imported and which
#: widgets were painted before the process ended
PROBE = """
import atexit, gc, json, runpy, sys
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QEvent, QObject
from parapp.app import create_application

out, data_dir, watch = sys.argv[1], sys.argv[2], sys.argv[3] == "watch"
painted = []

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            painted.append(type(watched).__name__)
        return False

app = create_application([])
probe = Painted()
if watch:  # wrapping every object that gets an event builds Qt classes the app does not
    app.installEventFilter(probe)

def report():
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "modules": sorted(sys.modules),
                "painted": painted,
                "gc_enabled": gc.isenabled(),
                "frozen": gc.get_freeze_count(),
                "qt_built": sorted(
                    name
                    for module in (QtGui, QtWidgets)
                    for name, value in vars(module).items()
                    if value is not None
                ),
            },
            fh,
        )

atexit.register(report)
sys.argv = ["parapp", "--demo", "--data-dir", data_dir]
runpy.run_module("parapp", run_name="__main__")
"""


def _start(tmp_path: Path, name: str, *, watch: bool = True) -> dict[str, Any]:
    out = tmp_path / f"{name}.json"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PARAPP_EXIT_WHEN_SHOWN="1",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(out), str(tmp_path / "demo"), "watch" if watch else ""],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_the_desktop_start_loads_no_heavy_library_and_draws_the_first_page(
    tmp_path: Path,
) -> None:
    _start(tmp_path, "first")  # creates the demo workspace (a first run may load more)
    run = _start(tmp_path, "second")  # a normal start, as the bench times it
    unwatched = _start(tmp_path, "third", watch=False)  # what Qt classes the start built
    modules = set(run["modules"])
    assert "parapp.ui.main_window" in modules  # the probe did watch a real start
    heavy = {m.split(".")[0] for m in modules} & set(HEAVY)
    loaded = sorted(heavy | {m for m in modules if m.startswith(NOT_AT_START)})
    assert loaded == [], f"imported on the start path: {loaded}"
    painted = set(run["painted"])
    # the first page was drawn before the app quit: the tree, the item form, its evidence
    for widget in ("MainWindow", "QTreeView", "ItemForm", "EvidencePanel"):
        assert widget in painted, f"{widget} was never painted: {sorted(painted)}"
    # no automatic collection (the GUI thread's timer collects), and what the start built
    # (modules, classes, the framework) frozen out of every later collection once painted
    assert run["gc_enabled"] is False
    assert run["frozen"] > 20_000, run["frozen"]
    built = sorted(set(QT_NOT_BUILT) & set(unwatched["qt_built"]))
    assert built == [], f"Qt classes built for the first page: {built}"
