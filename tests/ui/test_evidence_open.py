"""The UI's open-evidence action: a program is never handed to the system, only saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from parapp.ui import evidence_open

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def test_program_is_not_opened_but_can_be_saved(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    warned: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr(
        "parapp.ui.messages.present",
        lambda box: warned.append(box.text()) or QMessageBox.StandardButton.Save,
    )
    dest = tmp_path / "luu" / "ke-hoach.bin"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(dest), ""))
    source = tmp_path / "stored"
    source.write_bytes(EXE)

    ok, text = evidence_open.open_evidence_file(None, source, "Ke hoach\u202efdp.exe")

    assert not ok and opened == []
    assert "không mở tệp “Ke hoachfdp.exe”" in warned[0]
    assert dest.read_bytes() == EXE and "Đã lưu" in text


def test_program_refused_and_not_saved(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    monkeypatch.setattr("parapp.ui.messages.present", lambda box: QMessageBox.StandardButton.Cancel)
    source = tmp_path / "stored"
    source.write_bytes(b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 70)
    ok, text = evidence_open.open_evidence_file(None, source, "bao cao.lnk")
    assert not ok and opened == [] and "không mở tệp" in text


def test_pdf_is_opened(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    source = tmp_path / "stored"
    source.write_bytes(b"%PDF-1.4 test")
    ok, _ = evidence_open.open_evidence_file(None, source, "Ke hoach.pdf.exe")
    assert ok and Path(opened[0].toLocalFile()).name == "Ke hoach.pdf.exe.pdf"
