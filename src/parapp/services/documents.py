"""What every printed document shares, on both sides: the issuer heading, number, place and
date, the signer's block and "Nơi nhận", file names and formats (Decree 30/2020).

The commune's documents (:mod:`parapp.services.commune.printing`) and the office's
(:mod:`parapp.services.office.printing`) are built from these, so a heading or a signature
reads the same in a report and in a ranking.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
        recipients=tuple(clean(r) for r in recipients if clean(r)) or default_recipients(ws, kind),
    )
