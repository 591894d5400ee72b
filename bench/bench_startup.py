"""Cold start of the desktop app to a shown main window, against a bare PySide6 window.

Both are whole processes (interpreter start, imports, a window shown, quit), timed from
spawn to exit, median of several runs, offscreen. The baseline is the least any PySide6 app
can do; the target is ParApp within 2× of it — heavy modules (reportlab, openpyxl, the
office screens) load only when first used. The demo workspace is created by a warm-up run
so the figure is a normal start, not a first installation.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUNS = 5
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


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def run(argv: list[str] | None = None) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PARAPP_EXIT_WHEN_SHOWN": "1",
            "HOME": tmp,
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
        }
        app = [sys.executable, "-m", "parapp", "--demo", "--data-dir", str(Path(tmp) / "demo")]
        bare = [sys.executable, "-c", BARE]
        _timed(app, env)  # warm-up: creates the demo workspace, fills the OS file cache
        _timed(bare, env)
        app_times, bare_times = [], []
        for _ in range(RUNS):  # interleaved, so machine load hits both alike
            bare_times.append(_timed(bare, env))
            app_times.append(_timed(app, env))
    app_s, bare_s = statistics.median(app_times), statistics.median(bare_times)
    ratio = app_s / bare_s
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
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
