"""May this evidence file be opened by the system? The one policy every "open" button uses.

Only files whose *content* (see :mod:`parapp.interchange.content_type`) is an allow-listed
document type are handed to the operating system, and always under a cleaned name that
ends in that type's own extension, so ``Ke hoach.pdf.exe`` holding a real PDF opens as
``Ke hoach.pdf.exe.pdf`` in the PDF reader and a ``.lnk``, ``.exe`` or script is never run.
Anything else can only be saved elsewhere, after a warning.
"""

from __future__ import annotations

import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from parapp.fileio import atomic_write, describe_os_error
from parapp.interchange.content_type import ContentKind, sniff_file
from parapp.models.errors import ParAppError
from parapp.models.file_names import clean_file_name, extension_of

VIEWER_PREFIX = "parapp-xem-"


@dataclass(frozen=True)
class OpenDecision:
    """What may be done with one evidence file."""

    name: str  # the cleaned name shown to the user
    kind: ContentKind | None  # the real content type, when allow-listed
    open_name: str  # the name a viewer copy gets ("" when it may not be opened)

    @property
    def may_open(self) -> bool:
        return self.kind is not None

    @property
    def warning(self) -> str:
        """The Vietnamese warning shown instead of opening (``""`` when it may be opened)."""
        if self.kind is not None:
            return ""
        return (
            f"ParApp không mở tệp “{self.name}”: nội dung của tệp không phải tài liệu thông "
            "thường (PDF, ảnh, văn bản Word/Excel/PowerPoint, ODF hoặc văn bản thuần) nên có "
            "thể là chương trình chạy được. Chỉ có thể lưu tệp ra thư mục khác; chỉ mở khi "
            "chắc chắn nguồn gốc của tệp."
        )


def decide(path: Path, shown_name: str) -> OpenDecision:
    """The policy for the file at ``path`` whose (untrusted) name is ``shown_name``."""
    name = clean_file_name(shown_name)
    kind = sniff_file(path)
    if kind is None:
        return OpenDecision(name, None, "")
    open_name = name if extension_of(name) in kind.extensions else f"{name}.{kind.extensions[0]}"
    return OpenDecision(name, kind, open_name)


def viewer_copy(source: Path, shown_name: str) -> tuple[Path | None, OpenDecision]:
    """A read-only copy to hand to the system viewer, or ``None`` when it may not be opened.

    The copy lives in a fresh private temp folder (``parapp-xem-*``), so the viewer shows a
    proper title and cannot alter the original.
    """
    decision = decide(source, shown_name)
    if not decision.may_open:
        return None, decision
    folder = Path(tempfile.mkdtemp(prefix=VIEWER_PREFIX))
    target = folder / decision.open_name
    try:
        with source.open("rb") as src, atomic_write(target) as out:
            shutil.copyfileobj(src, out, 1 << 20)
        target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise ParAppError(describe_os_error(err, target)) from err
    return target, decision


def save_copy(source: Path, destination: Path) -> Path:
    """Save an evidence file where the user chose (atomically), whatever its type."""
    try:
        with source.open("rb") as src, atomic_write(destination) as out:
            shutil.copyfileobj(src, out, 1 << 20)
    except OSError as err:
        raise ParAppError(describe_os_error(err, destination)) from err
    return destination
