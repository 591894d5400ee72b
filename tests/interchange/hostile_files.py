"""Builders of hostile spreadsheets and JSON files (shared by the tests and the measurements).

Each is built by streaming, so a 400 MB part never sits in the test's own memory either.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_TAIL = b"</sheetData></worksheet>"


def small_workbook() -> dict[str, bytes]:
    """The parts of a real, tiny .xlsx written by openpyxl."""
    wb = Workbook()
    wb.active["A1"] = "Mã"
    wb.active["B1"] = "Nội dung"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_xlsx(path: Path, parts: dict[str, bytes], streamed: dict[str, object]) -> Path:
    """Write ``parts`` plus ``streamed`` parts (iterables of byte chunks), deflated."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, data in parts.items():
            if name not in streamed:
                zf.writestr(name, data)
        for name, chunks in streamed.items():
            with zf.open(name, "w", force_zip64=True) as out:
                for chunk in chunks:  # type: ignore[attr-defined]
                    out.write(chunk)
    return path


def shared_strings_bomb(path: Path, megabytes: int = 400) -> Path:
    """A ~1 MB .xlsx whose sharedStrings part inflates to ``megabytes`` MB."""
    item = b"<si><t>aaaaaaaaaaaaaaaa</t></si>"
    block = item * ((1 << 20) // len(item))

    def chunks() -> object:
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        for _ in range(megabytes):
            yield block
        yield b"</sst>"

    return write_xlsx(path, small_workbook(), {"xl/sharedStrings.xml": chunks()})


def million_rows(path: Path, rows: int = 1_000_000) -> Path:
    """A sheet of ``rows`` rows of three numbers each (about 11 MB on disk)."""

    def chunks() -> object:
        yield SHEET_HEAD
        batch: list[bytes] = []
        for r in range(1, rows + 1):
            batch.append(
                b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c>'
                b'<c r="C%d"><v>%d</v></c></row>' % (r, r, r, r, r * 7, r, r % 97)
            )
            if len(batch) == 20_000:
                yield b"".join(batch)
                batch.clear()
        yield b"".join(batch) + SHEET_TAIL

    return write_xlsx(path, small_workbook(), {"xl/worksheets/sheet1.xml": chunks()})


def deep_json(path: Path, depth: int = 100_000) -> Path:
    """A framework JSON whose criteria nest ``depth`` lists deep."""
    path.write_bytes(b'{"id": "x", "name": "x", "criteria": ' + b"[" * depth + b"]" * depth + b"}")
    return path
