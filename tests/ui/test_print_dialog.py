"""Print dialog: save the report as PDF, preview pages, open for printing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from parapp.ui import print_dialog
from parapp.ui.print_dialog import PrintDialog
from parapp.ui.session import Session
from tests.system_tools import tool

LEFT = Qt.MouseButton.LeftButton
APPROVER = "Trần Thị Bình"


@pytest.fixture
def dialog(session: Session, qtbot: QtBot) -> PrintDialog:
    dlg = PrintDialog(session)
    qtbot.addWidget(dlg)
    dlg.opened: list[Path] = []  # type: ignore[misc]

    def record(path: Path) -> bool:
        dlg.opened.append(path)  # type: ignore[attr-defined]
        return True

    dlg.open_external = record  # type: ignore[method-assign]
    dlg.show()
    return dlg


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_commune_documents(dialog: PrintDialog) -> None:
    assert [d.key for d in dialog.documents] == ["blank-form", "report", "tasks"]
    dialog.select_document("blank-form")
    assert not dialog.approver_edit.isVisible()
    dialog.select_document("report")
    assert dialog.approver_edit.isVisible()


def test_save_report_pdf(
    dialog: PrintDialog, session: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog.select_document("report")
    dialog.approver_edit.setText(APPROVER)
    out = tmp_path / "in" / "bao-cao.pdf"
    out.parent.mkdir()
    dialog.ask_save_path = lambda suggested: out  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")
    assert str(out) in dialog.status_label.text()
    text = " ".join(_pdf_text(out).split())
    assert "Điện Bàn" in text
    assert APPROVER in text
    assert dialog.opened == []  # type: ignore[attr-defined]


def test_preview_draws_pages_with_pdftoppm(dialog: PrintDialog, qtbot: QtBot) -> None:
    tool("pdftoppm")
    dialog.select_document("blank-form")
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    images = dialog.preview_images
    assert images and all(p.read_bytes().startswith(b"\x89PNG") for p in images)
    assert dialog.pages_layout.count() == len(images)
    said = dialog.status_label.text()
    assert f"Xem trước {len(images)} trang" in said and "pdftoppm" not in said  # plain words
    assert dialog.opened == []  # type: ignore[attr-defined]


def test_preview_without_pdftoppm_opens_viewer_and_says_so(
    dialog: PrintDialog, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        print_dialog.shutil, "which", lambda name: None if name == "pdftoppm" else real_which(name)
    )
    dialog.select_document("tasks")
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    assert dialog.preview_images == []
    opened = dialog.opened  # type: ignore[attr-defined]
    assert len(opened) == 1 and opened[0].read_bytes().startswith(b"%PDF")
    assert "trình đọc PDF của máy" in dialog.status_label.text()


def test_print_opens_pdf_in_system_viewer(dialog: PrintDialog, qtbot: QtBot) -> None:
    dialog.select_document("report")
    qtbot.mouseClick(dialog.print_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
    opened = dialog.opened  # type: ignore[attr-defined]
    assert len(opened) == 1 and opened[0].is_file()
    assert "Ctrl+P" in dialog.status_label.text()
    dialog.close()
    assert opened[0].is_file()  # the reader may still need it after the dialog closed
    shutil.rmtree(opened[0].parent)
