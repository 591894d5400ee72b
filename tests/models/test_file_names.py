"""Untrusted file names become one safe, displayable name."""

from __future__ import annotations

import pytest

from parapp.models.file_names import FALLBACK_NAME, clean_file_name, extension_of


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Kế hoạch CCHC.pdf", "Kế hoạch CCHC.pdf"),
        ("Ke\u0302\u0301 hoa\u0323ch.pdf", "Kế hoạch.pdf"),  # decomposed → NFC
        ("Ke hoach\u202efdp.exe", "Ke hoachfdp.exe"),  # right-to-left override
        ("bao\u2066cao\u2069.pdf\u200e", "baocao.pdf"),  # isolates and marks
        ("\ufeffso\u00adlieu.xlsx", "solieu.xlsx"),  # BOM and soft hyphen (Cf)
        ("a\x00b\x1f.txt", "ab.txt"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("Com9.tar.gz", "_Com9.tar.gz"),
        ("LPT¹.doc", "_LPT¹.doc"),
        ("console.pdf", "console.pdf"),
        ("bao cao. . .", "bao cao"),
        ("  .bashrc", "bashrc"),
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\Windows\\x.dll", "C__Windows_x.dll"),
        ('a<b>c:"d"|e?*.pdf', "a_b_c__d__e__.pdf"),
        ("tab\there\nnew", "tab here new"),
        ("", FALLBACK_NAME),
        ("\u202e\u200b ..", FALLBACK_NAME),
    ],
)
def test_clean_file_name(raw: str, clean: str) -> None:
    assert clean_file_name(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = clean_file_name("x" * 400 + ".pdf")
    assert len(name) == 150 and name.endswith(".pdf")


def test_extension_of() -> None:
    assert [extension_of(n) for n in ("a.PDF", "a.tar.gz", "noext", ".hidden")] == [
        "pdf", "gz", "", ""
    ]  # fmt: skip
