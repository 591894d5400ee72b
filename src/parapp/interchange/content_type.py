"""What a file really is, from its first bytes (magic numbers), never from its name.

A received evidence file may be handed to the operating system ("open with the default
program") only when its content is one of the document types below; on Windows that call
*runs* an ``.exe``, ``.lnk``, ``.bat``, ``.js``, ``.hta``… whatever the name pretends.
:func:`sniff_file` reads at most the first 64 KiB (and, for zip-based Office/ODF files,
the zip directory plus the few bytes of ``mimetype``). No SQL, no Qt, nothing written.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 64 * 1024
MAX_ZIP_ENTRIES = 20_000


@dataclass(frozen=True)
class ContentKind:
    """An allow-listed document type; ``extensions[0]`` is the one given to a viewer copy."""

    key: str
    label: str
    extensions: tuple[str, ...]


PDF = ContentKind("pdf", "PDF", ("pdf",))
PNG = ContentKind("png", "ảnh PNG", ("png",))
JPEG = ContentKind("jpeg", "ảnh JPEG", ("jpg", "jpeg", "jpe", "jfif"))
GIF = ContentKind("gif", "ảnh GIF", ("gif",))
TIFF = ContentKind("tiff", "ảnh TIFF", ("tif", "tiff"))
BMP = ContentKind("bmp", "ảnh BMP", ("bmp",))
WEBP = ContentKind("webp", "ảnh WEBP", ("webp",))
DOCX = ContentKind("docx", "văn bản Word", ("docx",))
XLSX = ContentKind("xlsx", "bảng tính Excel", ("xlsx",))
PPTX = ContentKind("pptx", "trình chiếu PowerPoint", ("pptx",))
OLE = ContentKind("ole", "tài liệu Office cũ", ("doc", "xls", "ppt"))
ODT = ContentKind("odt", "văn bản ODF", ("odt",))
ODS = ContentKind("ods", "bảng tính ODF", ("ods",))
ODP = ContentKind("odp", "trình chiếu ODF", ("odp",))
TEXT = ContentKind("text", "văn bản thuần", ("txt", "csv", "log"))
ALLOWED = (PDF, PNG, JPEG, GIF, TIFF, BMP, WEBP, DOCX, XLSX, PPTX, OLE, ODT, ODS, ODP, TEXT)

_MAGIC: tuple[tuple[bytes, ContentKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
)
_OOXML_PARTS = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
)
_ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
    b"application/vnd.oasis.opendocument.presentation": ODP,
}


def sniff_bytes(head: bytes) -> ContentKind | None:
    """The kind of a file from its first bytes (zip-based formats need :func:`sniff_file`)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"%PDF" in head[:1024]:  # PDF readers accept leading junk; so does this check
        return PDF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:2] == b"BM" and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00":
        return BMP  # reserved fields are zero in every real bitmap
    if _is_text(head):
        return TEXT
    return None


def _is_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = head[: len(head) - len(head) % 2].decode("utf-16")
        except UnicodeDecodeError:
            return False
        return "\x00" not in text
    if b"\x00" in head:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head, final=False)  # a character cut at 64 KiB is fine
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls * 100 <= len(text)


def _sniff_zip(path: Path) -> ContentKind | None:
    """OOXML (without macros) or ODF, from the zip directory; anything else is ``None``."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {i.filename for i in infos}
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 200:
                return _ODF_TYPES.get(zf.read(infos[0]).strip())
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None  # macros: never opened by the system
            for part, kind in _OOXML_PARTS:
                if part in names:
                    return kind
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, EOFError):
        return None
    return None


def sniff_file(path: Path) -> ContentKind | None:
    """The allow-listed kind of the file at ``path``, or ``None`` (unknown or not allowed)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    return sniff_bytes(head)
