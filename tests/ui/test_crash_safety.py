"""Never lose work: kill -9 the app mid-editing, every edit it reported as saved survives.

The child process runs the real MainWindow offscreen and types through the real widgets on
a timer (scores with key presses, explanations as input-method commits), printing
``saved <code> <field> <value>`` whenever the form reports a committed write. The parent
kills it with SIGKILL while it is typing the next edit and then reads the workspace back.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.models.text import parse_number
from parapp.services.defaults import open_demo
from parapp.services.workspace import Workspace
from parapp.ui.main_window import MainWindow
from parapp.ui.session import Session

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from parapp.models.text import format_number
    from parapp.services.workspace import Workspace
    from parapp.ui.main_window import MainWindow
    from parapp.ui.session import Session

    app = QApplication([])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
    ws = Workspace.open(Path(sys.argv[1]), backup=False)
    window = MainWindow(Session(ws))
    window.show()
    leaves = [c for c in ws.current_framework().leaves() if not c.survey_only]
    state = {"i": 0, "expected": None}

    def on_saved(code):
        field, value = state["expected"]
        print(f"saved {code} {field} {value}", flush=True)
        QTimer.singleShot(30, step)

    def step():
        i = state["i"]
        state["i"] += 1
        c = leaves[i % len(leaves)]
        window.select_code(c.code)
        if i % 2 == 0:
            score = min(c.max_points, 0.25 * (1 + i % 4))
            text = format_number(score)
            state["expected"] = ("score", text)
            edit = window.form.score_edit.lineEdit()
            edit.setFocus()
            QTest.keyClicks(edit, text)  # saved by the debounce, no Enter pressed
        else:
            text = f"Giải trình số {i}: đã có văn bản"
            state["expected"] = ("explanation", text.replace(" ", "_"))
            window.form.explanation_edit.setFocus()
            event = QInputMethodEvent()
            event.setCommitString(text)
            QApplication.sendEvent(window.form.explanation_edit, event)

    window.form.saved.connect(on_saved)
    print("ready", flush=True)
    QTimer.singleShot(100, step)
    app.exec()
    """
)


def _read_lines(proc: subprocess.Popen[str], wanted: int, timeout: float) -> list[str]:
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while sum(1 for x in lines if x.startswith("saved ")) < wanted:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"child too slow; got {lines!r}")
        ready, _, _ = select.select([proc.stdout], [], [], left)
        if ready:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(f"child exited early ({proc.poll()}); got {lines!r}")
            lines.append(line.strip())
    return lines


@pytest.mark.slow
def test_kill_9_mid_editing_keeps_every_reported_edit(tmp_path: Path) -> None:
    data_dir = tmp_path / "crash-ws"
    open_demo(data_dir).close()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data_dir), str(tmp_path / "qs")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        lines = _read_lines(proc, wanted=7, timeout=90)
        time.sleep(0.12)  # well inside the next edit's typing/debounce window
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.stdout is not None
        lines += [x.strip() for x in proc.stdout.read().splitlines()]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    saved = [x.split(" ", 3) for x in lines if x.startswith("saved ")]
    assert len(saved) >= 7
    with Workspace.open(data_dir, backup=False) as ws:
        for _tag, code, field, value in saved:
            answer = ws.answer(code)
            if field == "score":
                assert answer.self_score == parse_number(value), code
            else:
                assert answer.explanation == value.replace("_", " "), code
        assert not list((data_dir / "evidence").glob(".incoming-*"))


def test_closing_the_window_saves_the_field_being_typed(session: Session, qtbot: QtBot) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    code = window.current_code
    assert code is not None
    window.form.explanation_edit.setFocus()
    event = QInputMethodEvent()
    event.setCommitString("Đang gõ dở thì đóng cửa sổ")
    QApplication.sendEvent(window.form.explanation_edit, event)
    assert window.form.has_pending()
    window.close()  # no debounce wait: closing flushes
    assert session.ws.answer(code).explanation == "Đang gõ dở thì đóng cửa sổ"
