"""Message boxes: plain Vietnamese on their face, the technical detail behind "Chi tiết"."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QTextEdit
from pytestqt.qtbot import QtBot

import parapp
from parapp.models.errors import ParAppError
from parapp.ui import messages
from parapp.ui.main_window import MainWindow
from parapp.ui.session import Session
from parapp.ui.workers import UNEXPECTED_TEXT, BackgroundTask, failure_of

SRC = Path(parapp.__file__).parent
DIRECT = {"critical", "warning", "information"}


def _direct_calls(path: Path, base: Path = SRC) -> list[str]:
    """``QMessageBox.warning(...)`` and the like: a box whose detail cannot be set."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
        if name == "QMessageBox" and node.func.attr in DIRECT:
            found.append(f"{path.relative_to(base)}:{node.lineno} QMessageBox.{node.func.attr}")
    return found


def test_no_view_builds_its_own_warning_box() -> None:
    files = [*sorted((SRC / "ui").rglob("*.py")), SRC / "app.py"]
    assert len(files) > 30  # the scan sees the whole user interface
    offenders = [hit for f in files if f.name != "messages.py" for hit in _direct_calls(f)]
    assert offenders == []


def test_the_scan_finds_a_direct_call(tmp_path: Path) -> None:
    sample = tmp_path / "view.py"
    sample.write_text(
        "from PySide6 import QtWidgets\n"
        "from PySide6.QtWidgets import QMessageBox\n"
        "def f(w, e):\n"
        "    QMessageBox.warning(w, 'Lỗi', str(e))\n"
        "    QtWidgets.QMessageBox.critical(w, 'Lỗi', str(e))\n"
        "    QMessageBox.question(w, 'Hỏi', 'Tiếp tục?')\n",
        encoding="utf-8",
    )
    assert _direct_calls(sample, tmp_path) == [
        "view.py:4 QMessageBox.warning",
        "view.py:5 QMessageBox.critical",
    ]


def _details(box: QMessageBox) -> tuple[QPushButton, QTextEdit]:
    """Qt's own "Show Details..." button and the text it unfolds."""
    buttons = [
        b
        for b in box.buttons()
        if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole and isinstance(b, QPushButton)
    ]
    assert len(buttons) == 1, [b.text() for b in box.buttons()]
    edits = box.findChildren(QTextEdit)
    assert len(edits) == 1
    return buttons[0], edits[0]


def test_failed_import_says_plain_words_with_the_cause_behind_chi_tiet(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(messages, "present", lambda box: boxes.append(box) or 0)
    window = MainWindow(session)
    qtbot.addWidget(window)
    broken = tmp_path / "bo-chi-so-hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    monkeypatch.setattr(window, "_ask_open", lambda caption: broken)
    window.import_framework()
    qtbot.waitUntil(lambda: bool(boxes), timeout=30000)
    box = boxes[0]
    assert box.icon() == QMessageBox.Icon.Warning
    text, detail = box.text(), box.detailedText()
    assert "bo-chi-so-hong.xlsx" in text  # where
    assert "Error" not in text and "Traceback" not in text and "zipfile" not in text
    assert "zipfile.BadZipFile" in detail  # what a support person needs

    box.show()
    button, pane = _details(box)
    assert button.text() == "Xem chi tiết…"  # Qt's own button, in Vietnamese
    assert not pane.isVisible()  # folded until asked for
    button.click()
    assert pane.isVisible() and "BadZipFile" in pane.toPlainText()
    assert button.text() == "Ẩn chi tiết…"
    box.close()
    window.close()


def test_a_bug_in_a_background_job_shows_one_plain_sentence(qtbot: QtBot) -> None:
    def job(_progress: object, _cancelled: object) -> None:
        raise KeyError("framework_hash_mismatch")

    task = BackgroundTask(job)
    with qtbot.waitSignal(task.failed, timeout=10000) as blocker:
        task.start()
    assert blocker.args == [UNEXPECTED_TEXT]
    assert task.failure is not None and task.failure.text == UNEXPECTED_TEXT
    assert task.failure.detail is not None
    assert "KeyError" in task.failure.detail and "framework_hash_mismatch" in task.failure.detail
    assert "framework_hash_mismatch" not in UNEXPECTED_TEXT


def test_a_domain_error_keeps_its_message_and_shows_its_cause_as_detail() -> None:
    try:
        try:
            Path("/khong/co/tep.xlsx").read_bytes()
        except OSError as err:
            raise ParAppError("Không đọc được tệp “tep.xlsx”.") from err
    except ParAppError as err:
        failure = failure_of(err)
    assert failure.text == "Không đọc được tệp “tep.xlsx”."
    assert failure.detail is not None and "FileNotFoundError" in failure.detail
    assert str(failure) == failure.text
    assert failure_of(ParAppError("Chỉ một câu.")).detail is None  # nothing to hide
