"""Bounds on an untrusted .xlsx, checked before openpyxl parses a single byte of XML.

openpyxl builds every cell of every sheet in memory: a 1,1 MB file whose sharedStrings part
inflates to 400 MB, or an 11 MB sheet of a million rows, costs gigabytes and minutes. An
.xlsx is a zip, so its directory tells each part's sizes: the number of parts, each part's
uncompressed size and compression ratio, and the total are refused above the limits here
from the directory alone. Worksheet parts are then streamed (decompressed 1 MiB at a time,
never held whole) to count their rows, stopping at the first row over the limit. Every
refusal is a Vietnamese sentence naming the file and what was too large.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from parapp.models.errors import ParAppError
from parapp.models.text import format_number

CHUNK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:[A-Za-z0-9_]+:)?row[\s>/]")


@dataclass(frozen=True)
class XlsxLimits:
    """What ParApp reads; a province's framework or task plan is far below every one."""

    max_file_size: int = 50 << 20
    max_parts: int = 5_000
    max_part_size: int = 64 << 20  # uncompressed, any one part
    max_total_size: int = 256 << 20  # uncompressed, all parts
    max_ratio: int = 100  # uncompressed / compressed, for parts above ratio_min_size
    ratio_min_size: int = 1 << 20
    max_rows: int = 20_000  # per worksheet


DEFAULT_XLSX_LIMITS = XlsxLimits()


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Vietnamese grouping: 20.000


def _mb(size: int) -> str:
    return f"{format_number(size / (1 << 20), 1)} MB"


def check_xlsx_package(path: Path, limits: XlsxLimits = DEFAULT_XLSX_LIMITS) -> None:
    """Refuse (``ParAppError``) an .xlsx whose parts are too many, too large or too
    compressed, or a sheet with more than ``limits.max_rows`` rows. Reads no XML."""
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ParAppError(f"Không đọc được tệp “{name}”.") from err
    if size > limits.max_file_size:
        raise ParAppError(
            f"Tệp “{name}” quá lớn ({_mb(size)}); ParApp chỉ đọc bảng tính đến "
            f"{_mb(limits.max_file_size)}."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            _check_directory(zf, name, limits)
            for info in zf.infolist():
                if _is_sheet(info):
                    _count_rows(zf, info, name, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, zlib.error) as err:
        raise ParAppError(
            f"Không đọc được tệp “{name}”: tệp bị hỏng hoặc không phải là bảng tính .xlsx."
        ) from err
    except NotImplementedError as err:  # an unsupported compression method
        raise ParAppError(f"Không đọc được tệp “{name}”: kiểu nén không được hỗ trợ.") from err


def _is_sheet(info: zipfile.ZipInfo) -> bool:
    return re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename) is not None


def _too_large(name: str, part: str, size: str, limits: XlsxLimits) -> ParAppError:
    return ParAppError(
        f"Tệp “{name}”: thành phần “{part}” khi giải nén lớn {size}, "
        f"vượt giới hạn {_mb(limits.max_part_size)}; tệp bị từ chối."
    )


def _check_directory(zf: zipfile.ZipFile, name: str, limits: XlsxLimits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_parts:
        raise ParAppError(
            f"Tệp “{name}” có {len(infos)} thành phần, vượt giới hạn {limits.max_parts}; "
            "không phải bảng tính thông thường."
        )
    total = 0
    for info in infos:
        part = info.filename[:80]
        if info.file_size > limits.max_part_size and not _is_sheet(info):
            raise _too_large(name, part, _mb(info.file_size), limits)  # sheets: rows first
        if info.file_size > limits.ratio_min_size and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise ParAppError(
                f"Tệp “{name}”: thành phần “{part}” có tỷ lệ nén bất thường "
                f"({_mb(info.compress_size)} nở thành {_mb(info.file_size)}, nghi là “bom zip”); "
                "tệp bị từ chối."
            )
        total += info.file_size
        if total > limits.max_total_size:
            raise ParAppError(
                f"Tệp “{name}” khi giải nén vượt {_mb(limits.max_total_size)}; tệp bị từ chối."
            )


def _count_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: XlsxLimits) -> None:
    """Stream one worksheet part counting ``<row`` elements; stop at the first one too many."""
    rows = 0
    tail = b""
    sheet = info.filename.rsplit("/", 1)[-1].removesuffix(".xml")
    read = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            read += len(chunk)
            data = tail + chunk
            cut = max(len(data) - 16, 0) if chunk else len(data)  # a tag may straddle chunks
            rows += sum(1 for m in _ROW_TAG.finditer(data) if m.start() < cut)
            tail = data[cut:]
            if rows > limits.max_rows:
                raise ParAppError(
                    f"Tệp “{name}”: trang tính “{sheet}” có hơn {_thousands(limits.max_rows)} "
                    "dòng, vượt giới hạn ParApp đọc được. "
                    "Hãy xóa các dòng trống hoặc dữ liệu thừa rồi lưu lại."
                )
            if read > limits.max_part_size:
                raise _too_large(name, info.filename[:80], f"hơn {_mb(read)}", limits)
            if not chunk:
                return
