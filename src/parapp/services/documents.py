"""What every printed document shares, on both sides: the issuer heading, number, place and
date, the signer's block and "Nơi nhận", file names and formats (Decree 30/2020).

The commune's documents (:mod:`parapp.services.commune.printing`) and the office's
(:mod:`parapp.services.office.printing`) are built from these, so a heading or a signature
reads the same in a report and in a ranking.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from parapp.interchange.pdf.raster import RasterPage as RasterPage  # the UI draws them
from parapp.interchange.pdf.raster import page_count, raster_pages
from parapp.models.document_forms import (
    authority_lines,
    issuer_in_text,
    issuer_kind,
    issuer_lines,
    issuer_symbol,
    lower_first,
    parse_document_date,
)
from parapp.models.errors import ParAppError
from parapp.models.print_data import (
    DocumentHeader,
    DocumentOptions,
    SignatureBlock,
)
from parapp.models.text import clean
from parapp.models.units import Unit, UnitLevel
from parapp.services.workspace import Workspace

_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Phường ",
    "Xã ",
    "Đặc khu ",
    "Thị trấn ",
    "Huyện ",
    "Quận ",
    "Thị xã ",
)


KINDS = ("blank-form", "report", "tasks", "ranking", "appraisal")


FORMATS = ("pdf", "docx")


def output_path(out: Path, fmt: str = "") -> Path:
    """Where a document goes in ``fmt`` ("pdf", or "docx" for the editable copy): the
    renderers choose the format by the file's extension."""
    if not fmt:
        return Path(out)
    if fmt not in FORMATS:
        raise ParAppError(f"Định dạng “{fmt}” không được hỗ trợ: chọn pdf hoặc docx.")
    return Path(out).with_suffix(f".{fmt}")


def short_place(name: str) -> str:
    """``"Phường Điện Bàn"`` -> ``"Điện Bàn"`` (the place line of an official document)."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def issuer_name(unit: Unit) -> str:
    """``"UBND PHƯỜNG ĐIỆN BÀN"`` for a commune or province; the name itself for an agency
    (the short form used when this unit is the governing body above another's heading)."""
    if unit.level is UnitLevel.AGENCY:
        return unit.name.upper()
    return f"UBND {unit.name.upper()}"


def document_header(
    ws: Workspace, today: date | None = None, options: DocumentOptions | None = None
) -> DocumentHeader:
    """The heading of a document of this workspace's unit (Nghị định 30, Phụ lục I).

    The date is the one set in ``options``, else ``today`` when given, else left blank for
    the signer to write by hand: a document is dated the day it is signed, not printed.
    """
    opts = options or DocumentOptions()
    unit = ws.require_unit()
    parent = ws.units.find(unit.parent_code) if unit.parent_code else None
    kind = issuer_kind(unit)
    above, issuer = issuer_lines(kind, unit.name, parent.name if parent else "")
    return DocumentHeader(
        issuer_parent=above,
        issuer=issuer,
        place=clean(opts.place) or short_place(unit.name),
        date=opts.date or today,
        doc_number=clean(opts.number),
        issuer_code=issuer_symbol(kind, unit.name),
        body_name=issuer_in_text(kind, unit.name),
    )


def document_options(
    number: str = "",
    date_text: str = "",
    place: str = "",
    recipients: list[str] | tuple[str, ...] = (),
    approver: str = "",
    position: str = "",
) -> DocumentOptions:
    """The officer's settings for one document, from text as typed (CLI, dialog)."""
    return DocumentOptions(
        number=clean(number),
        date=parse_document_date(date_text),
        place=clean(place),
        recipients=tuple(clean(r) for r in recipients if clean(r)),
        approver=clean(approver),
        position=clean(position),
    )


def receiving_office(ws: Workspace) -> str:
    """Who a commune reports to: the Home Affairs department of its province."""
    unit = ws.require_unit()
    parent = ws.units.find(unit.parent_code) if unit.parent_code else None
    if parent is None:
        return "Sở Nội vụ"
    if parent.level is UnitLevel.AGENCY:
        return parent.name
    return f"Sở Nội vụ {lower_first(parent.name)}"


def default_recipients(ws: Workspace, kind: str, addressee: str = "") -> tuple[str, ...]:
    """The "Nơi nhận" when the officer sets none: where the document goes, and the archive.

    A commune reports to its province's Home Affairs department; an office's ranking goes
    up to its own governing body and out to the units; an appraisal to the unit appraised.
    """
    if kind == "appraisal":
        return (f"{addressee or 'Đơn vị được thẩm định'} (để thực hiện)", "Lưu: VT")
    if kind == "ranking":
        unit = ws.require_unit()
        parent = ws.units.find(unit.parent_code) if unit.parent_code else None
        above = f"UBND {lower_first(parent.name)}" if parent else "Bộ Nội vụ"
        return (f"{above} (để báo cáo)", "Các đơn vị được xếp hạng (để biết)", "Lưu: VT")
    return (f"{receiving_office(ws)} (để báo cáo)", "Lưu: VT, VP")


def signature_block(
    ws: Workspace,
    approver: str = "",
    approver_position: str = "",
    recipients: tuple[str, ...] = (),
    kind: str = "report",
    addressee: str = "",
) -> SignatureBlock:
    """Who signs (the last approver by default) in the form his position calls for, and
    where the document goes (the officer's list, else the defaults)."""
    if not approver:
        from parapp.services.commune.submission import revisions

        revs = revisions(ws) if ws.current_assessment() else []
        if revs:
            approver, approver_position = revs[-1].approver, revs[-1].approver_position
    unit = ws.require_unit()
    position = clean(approver_position) or "Chủ tịch"
    return SignatureBlock(
        approver=clean(approver),
        approver_position=position,
        authority=authority_lines(issuer_kind(unit), position),
        recipients=tuple(clean(r) for r in recipients if clean(r))
        or default_recipients(ws, kind, addressee),
    )


@dataclass(frozen=True)
class PrintSettings:
    """What the officer typed for one document in the print dialog, as typed, remembered
    per document in the workspace so the next printing of it needs no retyping.

    ``date_text`` is dd/mm/yyyy; ``blank_date`` leaves "ngày … tháng … năm …" to write by
    hand (the usual case: a document is dated the day it is signed).
    """

    number: str = ""
    date_text: str = ""
    blank_date: bool = True
    place: str = ""
    recipients: tuple[str, ...] = ()
    approver: str = ""
    position: str = ""

    def options(self) -> DocumentOptions:
        """The renderers' options (raises ParAppError on a date that is not dd/mm/yyyy)."""
        return document_options(
            number=self.number,
            date_text="" if self.blank_date else self.date_text,
            place=self.place,
            recipients=self.recipients,
            approver=self.approver,
            position=self.position,
        )


_SETTINGS_PREFIX = "print_options:"
#: a remembered value longer than this is not the officer's typing: ignored
_MAX_FIELD = 2000
_MAX_RECIPIENTS = 50


def remembered_print_settings(ws: Workspace, document_key: str) -> PrintSettings | None:
    """The settings last used to print ``document_key`` here (None: never printed)."""
    raw = ws.settings.get(_SETTINGS_PREFIX + document_key)
    if not isinstance(raw, dict):
        return None

    def text(name: str) -> str:
        value = raw.get(name, "")
        return clean(value)[:_MAX_FIELD] if isinstance(value, str) else ""

    recipients = raw.get("recipients", [])
    if not isinstance(recipients, list):
        recipients = []
    return PrintSettings(
        number=text("number"),
        date_text=text("date_text"),
        blank_date=bool(raw.get("blank_date", True)),
        place=text("place"),
        recipients=tuple(
            clean(r)[:_MAX_FIELD] for r in recipients[:_MAX_RECIPIENTS] if isinstance(r, str)
        ),
        approver=text("approver"),
        position=text("position"),
    )


def remember_print_settings(ws: Workspace, document_key: str, settings: PrintSettings) -> None:
    """Keep what the officer typed for ``document_key`` for the next time it is printed."""
    value: dict[str, Any] = {
        "number": clean(settings.number),
        "date_text": clean(settings.date_text),
        "blank_date": settings.blank_date,
        "place": clean(settings.place),
        "recipients": [clean(r) for r in settings.recipients if clean(r)],
        "approver": clean(settings.approver),
        "position": clean(settings.position),
    }
    ws.settings.set(_SETTINGS_PREFIX + document_key, value)


def document_page_count(pdf: Path) -> int:
    """How many pages a printed PDF has."""
    return page_count(pdf)


def document_pages(
    pdf: Path, dpi: float, pages: Sequence[int] | None = None
) -> Generator[RasterPage, None, None]:
    """The pages of a printed PDF as pixels (preview, paper): drawn from the same file the
    officer saves, so the paper is that file."""
    return raster_pages(pdf, dpi, pages)
