"""The open-evidence policy: names are cleaned, only real documents are ever opened."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parapp.services import evidence_opening

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00" + b"\x00" * 60
PDF = b"%PDF-1.4 bien ban " + b"k" * 2000


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Ke hoach.pdf.exe", EXE),
        ("Ke hoach\u202efdp.exe", EXE),
        ("bao cao.lnk", LNK),
        ("Quyết định.pdf", EXE),
        ("CON.pdf", LNK),
    ],
)
def test_programs_are_never_opened(tmp_path: Path, name: str, data: bytes) -> None:
    source = tmp_path / "stored"
    source.write_bytes(data)
    target, decision = evidence_opening.viewer_copy(source, name)
    assert target is None and not decision.may_open
    assert "\u202e" not in decision.name and "không mở tệp" in decision.warning
    saved = evidence_opening.save_copy(source, tmp_path / "saved" / decision.name)
    assert saved.read_bytes() == data  # it can still be saved elsewhere


@pytest.mark.parametrize(
    ("name", "opened_as"),
    [
        ("Quyết định.pdf", "Quyết định.pdf"),
        ("Ke hoach.pdf.exe", "Ke hoach.pdf.exe.pdf"),
        ("Ke hoach\u202efdp.exe", "Ke hoachfdp.exe.pdf"),
        ("bao cao.lnk", "bao cao.lnk.pdf"),
        ("NUL", "_NUL.pdf"),
        ("scan.PDF. ", "scan.PDF"),
    ],
)
def test_real_documents_open_under_their_own_extension(
    tmp_path: Path, name: str, opened_as: str
) -> None:
    source = tmp_path / "stored"
    source.write_bytes(PDF)
    target, decision = evidence_opening.viewer_copy(source, name)
    assert target is not None and decision.may_open and not decision.warning
    assert target.name == opened_as and target.read_bytes() == PDF
    assert target.parent.name.startswith(evidence_opening.VIEWER_PREFIX)
    assert not os.access(target, os.W_OK) or os.geteuid() == 0


def test_a_script_opens_only_as_plain_text(tmp_path: Path) -> None:
    source = tmp_path / "stored"
    source.write_bytes(b"@echo off\r\ndel /q C:\\*\r\n")
    target, _ = evidence_opening.viewer_copy(source, "huong dan.bat")
    assert target is not None and target.name == "huong dan.bat.txt"
