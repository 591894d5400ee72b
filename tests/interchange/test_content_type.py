"""Content types from magic bytes: real documents are recognised, anything else is not."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from PIL import Image

from parapp.interchange import content_type as ct


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buf, fmt)
    return buf.getvalue()


def _xlsx(path: Path, macro: bool = False) -> Path:
    wb = Workbook()
    wb.active["A1"] = "Kế hoạch"
    wb.save(path)
    if macro:
        with zipfile.ZipFile(path, "a") as zf:
            zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return path


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ct.PDF),
        (b"\r\n\r\n%PDF-1.4 after some junk", ct.PDF),
        (_image("PNG"), ct.PNG),
        (_image("JPEG"), ct.JPEG),
        (_image("GIF"), ct.GIF),
        (_image("TIFF"), ct.TIFF),
        (_image("BMP"), ct.BMP),
        (_image("WEBP"), ct.WEBP),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ct.OLE),
        ("Biên bản họp ngày 10/12/2024\r\n".encode() * 100, ct.TEXT),
        ("\ufeffBáo cáo".encode("utf-16"), ct.TEXT),
    ],
    ids=["pdf", "pdf-junk", "png", "jpeg", "gif", "tiff", "bmp", "webp", "ole", "utf8", "utf16"],
)
def test_documents_are_recognised(tmp_path: Path, data: bytes, kind: ct.ContentKind) -> None:
    path = tmp_path / "anything.exe"  # the name plays no part
    path.write_bytes(data)
    assert ct.sniff_file(path) == kind


def test_office_and_odf_documents(tmp_path: Path) -> None:
    assert ct.sniff_file(_xlsx(tmp_path / "a.bin")) == ct.XLSX
    docx = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    assert ct.sniff_file(_zip(tmp_path / "b", docx)) == ct.DOCX
    pptx = {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}
    assert ct.sniff_file(_zip(tmp_path / "c", pptx)) == ct.PPTX
    for mime, kind in ((b"text", ct.ODT), (b"spreadsheet", ct.ODS), (b"presentation", ct.ODP)):
        odf = {"mimetype": b"application/vnd.oasis.opendocument." + mime, "content.xml": b"<x/>"}
        assert ct.sniff_file(_zip(tmp_path / f"d{kind.key}", odf)) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100,  # Windows .exe
        b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00" + b"\x00" * 60,  # .lnk
        b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100,
        b"\xca\xfe\xba\xbe\x00\x00\x00\x02",
        b"\x00\x01\x02\x03 random binary \x00\xff",
        b"\xfa\xfb not utf8 \x81\x82",
        b"",
    ],
    ids=["exe", "lnk", "elf", "macho", "binary", "latin1", "empty"],
)
def test_programs_and_unknown_bytes_are_not_recognised(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "Ke hoach.pdf"  # a document's name does not make it a document
    path.write_bytes(data)
    assert ct.sniff_file(path) is None if data else ct.sniff_file(path) in (None, ct.TEXT)


def test_macro_workbook_plain_zip_and_broken_zip_are_not_recognised(tmp_path: Path) -> None:
    assert ct.sniff_file(_xlsx(tmp_path / "m.xlsx", macro=True)) is None
    assert ct.sniff_file(_zip(tmp_path / "z.docx", {"payload.exe": b"MZ"})) is None
    odd = {"mimetype": b"application/x-msdownload", "a": b""}
    assert ct.sniff_file(_zip(tmp_path / "o.odt", odd)) is None
    (tmp_path / "cut.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert ct.sniff_file(tmp_path / "cut.docx") is None
    assert ct.sniff_file(tmp_path / "missing.pdf") is None
