"""Evidence panel: attach in the background, dedupe, cancel, unlink/undo, broken files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from parapp.ui.commune.evidence_panel import (
    ALREADY_STORED_TEXT,
    BROKEN_TEXT,
    COL_NAME,
    COL_SIZE,
    EvidencePanel,
    format_size,
)
from parapp.ui.session import Session

BIG = 200 * 1024 * 1024


@pytest.fixture
def panel(rules_session: Session, qtbot: QtBot) -> Iterator[EvidencePanel]:
    p = EvidencePanel(rules_session)
    qtbot.addWidget(p)
    p.resize(700, 400)
    p.show()
    p.show_item("1.4")
    yield p
    p.cancel()
    qtbot.waitUntil(lambda: not p.busy(), timeout=20000)


def _big_file(path: Path, marker: bytes) -> Path:
    """A real 200 MB file (sparse, so the test is fast to set up) with distinct content."""
    with path.open("wb") as fh:
        fh.write(marker)
        fh.truncate(BIG)
    assert path.stat().st_size == BIG
    return path


def _store_files(session: Session) -> list[Path]:
    root = session.ws.data_dir / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_format_size_uses_decimal_comma() -> None:
    assert format_size(1536) == "1,5 KB"
    assert format_size(5 * 1024 * 1024 + 512 * 1024) == "5,5 MB"


def test_attach_lists_file_and_dedupes(
    panel: EvidencePanel, rules_session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    scan = tmp_path / "Quyết định ban hành kế hoạch.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"x" * 3000)
    with qtbot.waitSignal(panel.copy_done, timeout=10000):
        panel.add_files([scan])
    assert panel.table.rowCount() == 1
    assert panel.table.item(0, COL_NAME).text() == "Quyết định ban hành kế hoạch.pdf"
    assert panel.table.item(0, COL_SIZE).text() == "2,9 KB"
    links = rules_session.ws.answer("1.4").evidence
    assert [e.file_name for e in links] == ["Quyết định ban hành kế hoạch.pdf"]
    assert rules_session.ws.evidence_path(links[0].sha256).read_bytes() == scan.read_bytes()

    panel.show_item("2.1")  # the same scan for another item: stored once
    with qtbot.waitSignal(panel.copy_done, timeout=10000):
        panel.add_files([scan])
    assert ALREADY_STORED_TEXT in panel.message_label.text()
    assert len(_store_files(rules_session)) == 1
    assert len(rules_session.ws.answer("2.1").evidence) == 1


def test_big_copy_in_background_with_progress_and_cancel(
    panel: EvidencePanel, rules_session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    first = _big_file(tmp_path / "ho-so-1.pdf", b"%PDF-1.4 first")
    second = _big_file(tmp_path / "ho-so-2.pdf", b"%PDF-1.4 second")
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    progress: list[int] = []
    panel.copy_started.connect(
        lambda _n: panel.task.progress.connect(lambda d, t: progress.append(d))  # type: ignore[union-attr]
    )
    panel.add_files([first])
    assert panel.busy() and panel.progress_widget.isVisible()
    qtbot.waitUntil(lambda: not panel.busy(), timeout=60000)
    timer.stop()
    assert len(rules_session.ws.answer("1.4").evidence) == 1
    assert rules_session.ws.answer("1.4").evidence[0].size == BIG
    assert len(progress) >= 2 and progress == sorted(progress) and progress[-1] == BIG
    assert len(ticks) >= 5, "the event loop kept running while the file was copied"
    assert not panel.progress_widget.isVisible()

    before = _store_files(rules_session)
    cancelled: list[bool] = []
    panel.copy_started.connect(lambda _n: panel.task.progress.connect(panel.cancel))  # type: ignore[union-attr]
    panel.add_files([second])
    task = panel.task
    assert task is not None
    task.cancelled.connect(lambda: cancelled.append(True))
    qtbot.waitUntil(lambda: not panel.busy(), timeout=60000)
    assert cancelled == [True]
    assert _store_files(rules_session) == before, "no partial or extra file left behind"
    assert len(rules_session.ws.answer("1.4").evidence) == 1
    assert "Đã huỷ" in panel.message_label.text()


def test_unlink_and_undo(
    panel: EvidencePanel, rules_session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    doc = tmp_path / "bao-cao.docx"
    doc.write_bytes(b"PK\x03\x04 bao cao")
    with qtbot.waitSignal(panel.copy_done, timeout=10000):
        panel.add_files([doc])
    panel.table.selectRow(0)
    assert panel.unlink_button.isEnabled()
    panel.unlink_button.click()
    assert panel.table.rowCount() == 0
    assert rules_session.ws.answer("1.4").evidence == ()
    rules_session.undo_stack.undo()
    assert panel.table.rowCount() == 1
    assert [e.file_name for e in rules_session.ws.answer("1.4").evidence] == ["bao-cao.docx"]
    rules_session.undo_stack.undo()  # undo the attach itself
    assert rules_session.ws.answer("1.4").evidence == ()
    rules_session.undo_stack.redo()
    assert panel.table.rowCount() == 1


def test_reference_and_note_edit_inline(
    panel: EvidencePanel, rules_session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    doc = tmp_path / "ke-hoach.pdf"
    doc.write_bytes(b"%PDF ke hoach")
    with qtbot.waitSignal(panel.copy_done, timeout=10000):
        panel.add_files([doc])
    panel.table.item(0, 2).setText("trang 3, mục II")
    link = rules_session.ws.answer("1.4").evidence[0]
    assert link.ref == "trang 3, mục II"
    rules_session.undo_stack.undo()
    assert rules_session.ws.answer("1.4").evidence[0].ref == ""


def test_missing_and_corrupted_files_are_reported(
    panel: EvidencePanel, rules_session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.jpg"
    a.write_bytes(b"%PDF a" * 100)
    b.write_bytes(b"\xff\xd8\xff b" * 100)
    ws = rules_session.ws
    ws.add_evidence("1.4", a)
    ws.add_evidence("1.4", b)
    la, lb = ws.answer("1.4").evidence
    ws.evidence_path(la.sha256).unlink()
    stored_b = ws.evidence_path(lb.sha256)
    os.chmod(stored_b, 0o644)
    stored_b.write_bytes(b"\x00" * lb.size)  # same size, different content
    panel.show_item("1.4")
    assert BROKEN_TEXT in panel.table.item(0, COL_NAME).text()
    assert not panel.table.item(0, COL_NAME).icon().isNull()
    qtbot.waitUntil(lambda: BROKEN_TEXT in panel.table.item(1, COL_NAME).text(), timeout=5000)
    assert "hỏng" in panel.table.item(1, COL_NAME).toolTip()


def test_open_uses_read_only_copy_with_original_name(
    panel: EvidencePanel, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan = tmp_path / "Biên bản kiểm tra.pdf"
    scan.write_bytes(b"%PDF bien ban")
    with qtbot.waitSignal(panel.copy_done, timeout=10000):
        panel.add_files([scan])
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    panel.table.selectRow(0)
    panel.open_button.click()
    assert len(opened) == 1
    target = Path(opened[0].toLocalFile())
    assert target.name == "Biên bản kiểm tra.pdf"
    assert target.read_bytes() == scan.read_bytes()
    assert not os.access(target, os.W_OK) or os.geteuid() == 0
    assert not (target.stat().st_mode & 0o222)
