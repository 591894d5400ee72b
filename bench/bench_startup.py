"""Cold start of the desktop app to a painted main window, against a bare PySide6 window.

Both are whole processes (interpreter start, imports, a window shown *and painted*, quit),
timed from spawn to exit over interleaved runs, offscreen. ParApp is started as a user
starts it, by its installed ``parapp`` script. Each quits from the queue behind its window's
first paint (``PARAPP_EXIT_WHEN_SHOWN``, :class:`parapp.app.AfterFirstPaint`): ParApp's frame
holds the demo workspace's criteria tree and its first item's form and evidence
(``tests/ui/test_start_path.py`` checks they were drawn). The baseline is the least any
PySide6 app can do; the target is ParApp within 2× of it — heavy modules (reportlab,
openpyxl, sqlite-utils, the signature libraries, the other screens) load only when first
used.

The ratio is of the medians of 21 interleaved runs; the ratio of each program's fastest run
is reported beside it. Both programs are CPU-bound and do the same work every time (their
CPU time equals their wall time), so the spread is the machine's: on the shared machine
these figures were measured on, the bare window alone took from 0,12 s to 0,23 s within one
minute, and either ratio moved by ±0,1 from one bench run to the next.

A warm-up run creates the demo workspace and the compiled bytecode, so the figure is a
normal start, not a first installation: the installed app ships compiled bytecode
(PyInstaller) and a source checkout writes ``__pycache__`` on its first run, so a
``PYTHONDONTWRITEBYTECODE`` environment (which recompiles every module on every start) is
overridden for both processes, with the bytecode kept in the run's temp folder. That
recompiling start is still reported, for information.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNS = 21
TARGET_RATIO = 2.0

BARE = (
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "class QuitAfterFirstPaint(QObject):\n"
    "    def eventFilter(self, watched, event):\n"
    "        if event.type() == QEvent.Type.Paint:\n"
    "            watched.removeEventFilter(self)\n"
    "            QTimer.singleShot(0, app.quit)\n"
    "        return False\n"
    "app = QApplication([])\n"
    "w = QMainWindow()\n"
    "w.resize(1280, 720)\n"
    "painted = QuitAfterFirstPaint()\n"
    "w.installEventFilter(painted)\n"
    "w.show()\n"
    "app.exec()\n"
)


def _parapp_script() -> str:
    """The installed ``parapp`` script, as a user starts it (the Windows build's launcher
    likewise runs ``parapp/__main__.py`` straight, with no ``runpy``, as ``-m`` would add)."""
    script = shutil.which("parapp", path=str(Path(sys.executable).parent))
    if script is None:
        raise SystemExit("bench_startup: no `parapp` script beside Python; run `make bench`.")
    return script


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def _times(env: dict[str, str], tmp: Path) -> tuple[list[float], list[float]]:
    """Seconds of (ParApp, bare) over RUNS interleaved runs, after a warm-up."""
    app = [_parapp_script(), "--demo", "--data-dir", str(tmp / "demo")]
    bare = [sys.executable, "-c", BARE]
    _timed(app, env)  # warm-up: creates the demo workspace, the bytecode, the OS file cache
    _timed(bare, env)
    app_times, bare_times = [], []
    for _ in range(RUNS):  # interleaved, so machine load hits both alike
        bare_times.append(_timed(bare, env))
        app_times.append(_timed(app, env))
    return app_times, bare_times


def run(argv: list[str] | None = None) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        base = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PARAPP_EXIT_WHEN_SHOWN": "1",
            "HOME": str(tmp),
            "XDG_CONFIG_HOME": str(tmp / "config"),
        }
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base.pop("PYTHONPYCACHEPREFIX", None)
        cached = {**base, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        app_times, bare_times = _times(cached, tmp)
        compiling = {
            **base,
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPYCACHEPREFIX": str(tmp / "none"),
        }
        app_c, bare_c = _times(compiling, tmp)
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    ratio = app_s / bare_s
    app_f, bare_f = min(app_times), min(bare_times)
    return [
        {"name": "startup: bare PySide6 window", "value": round(bare_s, 3), "unit": "s"},
        {"name": "startup: ParApp main window (demo)", "value": round(app_s, 3), "unit": "s"},
        {
            "name": "startup ratio ParApp / bare",
            "value": round(ratio, 2),
            "unit": "×",
            "target": f"<= {TARGET_RATIO}",
            "ok": ratio <= TARGET_RATIO,
        },
        {
            "name": f"startup fastest runs: {bare_f:.3f} s bare, {app_f:.3f} s ParApp (info)",
            "value": round(app_f / bare_f, 2),
            "unit": "×",
        },
        {
            "name": "startup ratio, every module recompiled (info)",
            "value": round(statistics.median(app_c) / statistics.median(bare_c), 2),
            "unit": "×",
        },
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
