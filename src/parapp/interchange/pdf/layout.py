"""The official page of a Vietnamese administrative document, shared by every printed PDF.

Nghị định 30/2020/NĐ-CP (Phụ lục I) fixes how a document issued by a People's Committee
looks: A4, margins (top and bottom 20–25 mm, left 30–35 mm for binding, right 15–20 mm), the
issuing unit top-left with a short rule under it, the national title and motto top-right, the
place and date in italics, page numbers centred in the top margin from page 2 on, a Times New
Roman-like font. A commune chairman signs what we print, so every document goes through this
one module and they all look alike. Liberation Serif (metrics of Times New Roman, complete
Vietnamese) is embedded, so the paper looks the same on any PC.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable, HRFlowable

from parapp.fileio import atomic_write_bytes, describe_os_error
from parapp.models.document_forms import NBSP, date_words, number_line
from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion
from parapp.models.print_data import DocumentHeader, SignatureBlock
from parapp.models.text import format_number, nfc
from parapp.resources import resources_dir

# -- page geometry (Nghị định 30/2020, Phụ lục I, mục II.3) -------------------------------
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
#: Baseline of the page number, inside the top margin.
PAGE_NUMBER_Y = PAGE_HEIGHT - 12 * mm

# -- fonts ------------------------------------------------------------------------------
FONT = "LiberationSerif"
FONT_BOLD = "LiberationSerif-Bold"
FONT_ITALIC = "LiberationSerif-Italic"
FONT_BOLD_ITALIC = "LiberationSerif-BoldItalic"
_FONT_FILES = {
    FONT: "LiberationSerif-Regular.ttf",
    FONT_BOLD: "LiberationSerif-Bold.ttf",
    FONT_ITALIC: "LiberationSerif-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
DRAFT_MARK = "DỰ THẢO"
RECIPIENTS_TITLE = "Nơi nhận:"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

GRID_COLOR = colors.black
HEADER_FILL = colors.HexColor("#E6E6E6")
GROUP_FILL = colors.HexColor("#F2F2F2")
ALERT_FILL = colors.HexColor("#FBE3E3")
ALERT_HEX = "#B00020"
ALERT_TEXT = colors.HexColor(ALERT_HEX)
MUTED_TEXT = colors.HexColor("#555555")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register Liberation Serif once per process (reportlab keeps a global registry).

    Why not the PDF base fonts: Times-Roman of the PDF standard has no Vietnamese letters
    and is not embedded, so diacritics would be lost or replaced by the viewer.
    """
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = fonts_dir()
    for name, file_name in _FONT_FILES.items():
        path = folder / file_name
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as err:
            raise ParAppError(
                f"Không đọc được phông chữ “{file_name}” trong thư mục “{folder}”. "
                "Hãy cài đặt lại ParApp."
            ) from err
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )


# -- styles -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Styles:
    """The paragraph styles of every document: body text 13 pt, tables 10,5 pt."""

    body: ParagraphStyle
    body_plain: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    subject: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_center: ParagraphStyle
    cell_center_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_small: ParagraphStyle
    head: ParagraphStyle
    header_left: ParagraphStyle
    header_left_bold: ParagraphStyle
    national: ParagraphStyle
    motto: ParagraphStyle
    place_date: ParagraphStyle
    number: ParagraphStyle
    sign_title: ParagraphStyle
    sign_note: ParagraphStyle
    sign_name: ParagraphStyle
    note: ParagraphStyle
    recipients_title: ParagraphStyle
    recipients: ParagraphStyle
    draft: ParagraphStyle
    body_heading: ParagraphStyle
    writing: ParagraphStyle


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": FONT, "fontSize": 13, "leading": 16}
    base.update(kw)
    return ParagraphStyle(name, **base)


def make_styles() -> Styles:
    register_fonts()
    cell: dict[str, Any] = {"fontSize": 10.5, "leading": 12.6}
    return Styles(
        body=_style("body", alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=4),
        body_plain=_style("body_plain", alignment=TA_LEFT, spaceAfter=2),
        heading=_style("heading", fontName=FONT_BOLD, spaceBefore=8, spaceAfter=5, keepWithNext=1),
        title=_style("title", fontName=FONT_BOLD, fontSize=14, leading=18, alignment=TA_CENTER),
        subject=_style("subject", fontName=FONT_BOLD, fontSize=14, leading=17, alignment=TA_CENTER),
        subtitle=_style("subtitle", fontName=FONT_ITALIC, alignment=TA_CENTER, spaceBefore=2),
        cell=_style("cell", **cell),
        cell_bold=_style("cell_bold", fontName=FONT_BOLD, **cell),
        cell_center=_style("cell_center", alignment=TA_CENTER, **cell),
        cell_center_bold=_style(
            "cell_center_bold", fontName=FONT_BOLD, alignment=TA_CENTER, **cell
        ),
        cell_right=_style("cell_right", alignment=TA_RIGHT, **cell),
        cell_small=_style("cell_small", fontSize=9.5, leading=11.4, textColor=MUTED_TEXT),
        head=_style("head", fontName=FONT_BOLD, alignment=TA_CENTER, **cell),
        header_left=_style("header_left", fontSize=12, leading=14.5, alignment=TA_CENTER),
        header_left_bold=_style(
            "header_left_bold", fontName=FONT_BOLD, fontSize=12, leading=14.5, alignment=TA_CENTER
        ),
        national=_style(
            "national", fontName=FONT_BOLD, fontSize=12, leading=14.5, alignment=TA_CENTER
        ),
        motto=_style("motto", fontName=FONT_BOLD, fontSize=13, leading=15.5, alignment=TA_CENTER),
        place_date=_style("place_date", fontName=FONT_ITALIC, alignment=TA_CENTER),
        number=_style("number", alignment=TA_CENTER),
        sign_title=_style("sign_title", fontName=FONT_BOLD, alignment=TA_CENTER),
        sign_note=_style("sign_note", fontName=FONT_ITALIC, fontSize=12, alignment=TA_CENTER),
        sign_name=_style("sign_name", fontName=FONT_BOLD, alignment=TA_CENTER),
        note=_style("note", fontSize=11, leading=13.5, alignment=TA_JUSTIFY, spaceBefore=3),
        recipients_title=_style("recipients_title", fontSize=12, leading=14),
        recipients=_style("recipients", fontSize=11, leading=13),
        draft=_style("draft", fontName=FONT_BOLD, fontSize=13, alignment=TA_CENTER),
        writing=_style("writing", fontSize=10, leading=21, textColor=MUTED_TEXT),
        body_heading=_style(
            "body_heading",
            fontName=FONT_BOLD,
            alignment=TA_JUSTIFY,
            firstLineIndent=10 * mm,
            spaceBefore=4,
            spaceAfter=3,
            keepWithNext=1,
        ),
    )


# -- text helpers -----------------------------------------------------------------------
def markup(text: str | None) -> str:
    """Escape user text for a reportlab Paragraph (its input is XML); keep line breaks."""
    return escape(nfc(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def para(text: str | None, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain user text (escaped: ``<`` or ``&`` in a title must not break it)."""
    return Paragraph(markup(text), style)


def rich(xml: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of markup written by us (``<b>``, ``<i>``, ``<font>``); user parts must
    have gone through :func:`markup` first."""
    return Paragraph(xml, style)


def num(value: float | None) -> str:
    """A number as printed: decimal comma, blank when missing."""
    return format_number(value)


def format_date(value: datetime.date | None) -> str:
    """dd/mm/yyyy, the only date form officials read without doubt."""
    return value.strftime("%d/%m/%Y") if value else ""


# -- building blocks ----------------------------------------------------------------------
def _cell_rule(width: float) -> list[Flowable]:
    """A rule inside a table cell: cells ignore a flowable's spaceBefore/After, so the gap
    between the text and its rule is made of spacers."""
    return [Spacer(1, 2), _rule(width, 0, 0), Spacer(1, 2)]


def _rule(width: float, space_before: float = 1, space_after: float = 3) -> HRFlowable:
    """A centred horizontal rule (the frame honours its spacing; a table cell does not,
    see :func:`_cell_rule`)."""
    return HRFlowable(
        width=width,
        thickness=0.6,
        color=colors.black,
        spaceBefore=space_before,
        spaceAfter=space_after,
        hAlign="CENTER",
    )


def official_header(header: DocumentHeader, styles: Styles, doc_type: str = "") -> list[Flowable]:
    """Issuer top-left, national title and motto top-right, number and place-date under.

    ``doc_type`` (``"BC"`` for a báo cáo) prints the "Số:" line: the number when set, else
    a gap before "/BC-UBND" for the registry clerk to write after signing. Without a date
    the date line is left as "ngày …… tháng …… năm ……" for handwriting.
    """
    left_w = 70 * mm
    right_w = FRAME_WIDTH - left_w
    left: list[Flowable] = []
    if nfc(header.issuer_parent):
        left.append(para(header.issuer_parent.upper(), styles.header_left))
    issuer = nfc(header.issuer).upper()
    left.append(para(issuer, styles.header_left_bold))
    issuer_w = max(pdfmetrics.stringWidth(line, FONT_BOLD, 12) for line in issuer.split("\n"))
    left += _cell_rule(max(min(issuer_w, left_w - 6 * mm) * 0.4, 18 * mm))

    right: list[Flowable] = [para(NATIONAL_TITLE, styles.national), para(MOTTO, styles.motto)]
    right += _cell_rule(pdfmetrics.stringWidth(MOTTO, FONT_BOLD, 13))

    if doc_type:
        line = number_line(header.doc_number, doc_type, header.issuer_code)
        number: Flowable = para(line, styles.number)
    else:
        number = Spacer(1, 1)
    place_date = para(date_words(header.place, header.date), styles.place_date)
    table = Table(
        [[left, right], [number, place_date]],
        colWidths=[left_w, right_w],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 12),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 2),
            ]
        ),
        hAlign="CENTER",
    )
    return [table, Spacer(1, 6 * mm)]


def draft_mark(styles: Styles) -> Flowable:
    """ "DỰ THẢO" boxed at the top right: the paper does not match a submitted revision."""
    mark = Table(
        [[para(DRAFT_MARK, styles.draft)]],
        colWidths=[30 * mm],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, colors.black),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
        hAlign="RIGHT",
    )
    return mark


def title_block(lines: Sequence[str], styles: Styles, subtitle: str = "") -> list[Flowable]:
    """The document's name in bold capitals ("BÁO CÁO"), centred; the trích yếu (what it is
    about) in bold lower case under it, with a short rule (Nghị định 30, Phụ lục I, II.6)."""
    out: list[Flowable] = []
    for n, line in enumerate(x for x in lines if nfc(x)):
        out.append(para(line, styles.title if n == 0 else styles.subject))
    if nfc(subtitle):
        out.append(para(subtitle, styles.subtitle))
    out.append(_rule(35 * mm, space_before=6, space_after=8))
    return out


class SignatureArea(Table):  # type: ignore[misc]
    """The closing of a document: "Nơi nhận" bottom-left, the signer bottom-right.

    A class of its own so a later step (a visible digital signature) can find it in the
    story and knows where the blank signing space landed: after drawing, ``sign_box`` holds
    (page, x, y, width, height) of that space in PDF points, origin bottom-left.
    """

    SIGN_SPACE = 26 * mm

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.sign_box: tuple[int, float, float, float, float] | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        # rows: titles, signing space, name; _rowpositions run top-down from the table top
        top = self._rowpositions[1]
        bottom = self._rowpositions[2]
        left = x + self._colpositions[1]
        self.sign_box = (
            canvas.getPageNumber(),
            left,
            y + bottom,
            self._colpositions[2] - self._colpositions[1],
            top - bottom,
        )


def recipients_cell(recipients: Sequence[str], styles: Styles) -> list[Flowable]:
    """ "Nơi nhận:" and one "- addressee;" per line, the last one closed by a full stop."""
    out: list[Flowable] = [rich(f"<b><i>{RECIPIENTS_TITLE}</i></b>", styles.recipients_title)]
    items = [nfc(r).rstrip(" ;.") for r in recipients if nfc(r).strip(" ;.")]
    for n, item in enumerate(items):
        end = "." if n == len(items) - 1 else ";"
        out.append(para(f"- {item}{end}", styles.recipients))
    return out


SIGNATURE_ANCHOR = "parapp-approver-signature"


class SignatureAnchor(Flowable):  # type: ignore[misc]
    """Draws nothing; records the approver's signing room as a named destination.

    The destination ``SIGNATURE_ANCHOR`` (``/FitR`` with the room's rectangle, in page
    coordinates) tells :mod:`parapp.interchange.signing` where to put the visible digital
    signature, whatever page the signature block ended up on.
    """

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.room_width, self.room_height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        canvas = self.canv
        left, bottom = canvas.absolutePosition(0, -self.room_height)
        right, top = canvas.absolutePosition(self.room_width, 0)
        dest = canvas.bookmarkPage(
            SIGNATURE_ANCHOR, fit="FitR", left=left, bottom=bottom, right=right, top=top
        )
        # ReportLab writes a destination only when something refers to it: the catalogue's
        # name tree does, without any visible link or outline entry.
        names = pdfdoc.PDFArray([pdfdoc.PDFString(SIGNATURE_ANCHOR), dest])
        tree = pdfdoc.PDFDictionary({"Dests": pdfdoc.PDFDictionary({"Names": names})})
        canvas._doc.Catalog.Names = tree


def signature_block(
    signature: SignatureBlock | None,
    styles: Styles,
    keep_with: Sequence[Flowable] = (),
    left_title: str = "",
) -> Flowable:
    """Nơi nhận bottom-left, the signer bottom-right with room for signature and seal.

    ``keep_with`` are the last flowables of the text: they move to the next page with the
    signature block, so a signature never stands alone on a page. ``left_title`` replaces
    the "Nơi nhận" with a second signer (a form: "NGƯỜI ĐIỀN PHIẾU"). Without a
    :class:`SignatureBlock` (a blank form) the titles are printed with empty names.
    """
    authority: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    name = ""
    recipients: tuple[str, ...] = ()
    if signature is not None:
        authority = signature.authority or (nfc(signature.approver_position).upper(),)
        name = signature.approver
        recipients = signature.recipients
    right: list[Flowable] = [para(line, styles.sign_title) for line in authority if nfc(line)]
    left: list[Flowable]
    if left_title:
        left = [para(left_title, styles.sign_title), para("(Ký, ghi rõ họ tên)", styles.sign_note)]
        right.append(para("(Ký, ghi rõ họ tên, đóng dấu)", styles.sign_note))
    else:
        left = recipients_cell(recipients, styles)
    left_w = FRAME_WIDTH * 0.45
    # The approver's signing room carries an invisible anchor (a named destination) so a
    # digital signature lands there, whatever page the block ends up on.
    room = SignatureAnchor(FRAME_WIDTH - left_w, SignatureArea.SIGN_SPACE - 6)
    table = SignatureArea(
        [[left, right], ["", [room]], ["", para(name, styles.sign_name)]],
        colWidths=[left_w, FRAME_WIDTH - left_w],
        rowHeights=[None, SignatureArea.SIGN_SPACE, None],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 12),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("SPAN", (0, 0), (0, -1)),
            ]
        ),
    )
    return KeepTogether([*keep_with, Spacer(1, 4 * mm), table])


def appendix_heading(
    label: str, title: str, header: DocumentHeader, doc_name: str, styles: Styles
) -> list[Flowable]:
    """ "Phụ lục / TITLE / (Kèm theo Báo cáo số …/BC-UBND ngày … của …)"."""
    number = number_line(header.doc_number, "BC", header.issuer_code).removeprefix("Số:")
    number = number.strip().replace(NBSP, "") if nfc(header.doc_number) else f"……{number.strip()}"
    when = format_date(header.date) if header.date else "…………"
    issuer = nfc(header.body_name) or " ".join(nfc(header.issuer).split())
    return [
        para(label, styles.title),
        para(title, styles.title),
        para(
            f"(Kèm theo {doc_name} số {number} ngày {when} của {issuer})",
            styles.subtitle,
        ),
        Spacer(1, 4 * mm),
    ]


class PagedTable(Table):  # type: ignore[misc]
    """A table that, once split at a page end, continues on the next page.

    Without this, reportlab places the rest of a table split between two rows in the
    space left on the same page when its next row can be split inside (``splitInRow``):
    the header row would then be repeated in the middle of a page.
    """

    #: A split between rows that leaves more than this empty at the page end cuts the next
    #: (tall) row instead, so a long explanation starts on the page it belongs to.
    MAX_GAP = 45 * mm

    def _is_heading_row(self, row: int) -> bool:
        """A group row (an area, a criterion): its code cell is printed in bold."""
        cell = self._cellvalues[row][0]
        if isinstance(cell, list | tuple):  # reportlab keeps cells as tuples of flowables
            cell = cell[0] if len(cell) == 1 else None
        return isinstance(cell, Paragraph) and cell.style.name == "cell_center_bold"

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts: list[Flowable] = []
        if self.splitInRow:
            self._calc(avail_width, avail_height)
            at = self._getFirstPossibleSplitRowPosition(avail_height)
            gap = avail_height - sum(self._rowHeights[:at])
            if (
                self.repeatRows < at < len(self._rowHeights)
                and not self._is_heading_row(at)
                and gap > self.MAX_GAP
            ):  # cut the tall item row that follows (its group rows stay above it)
                parts = self._splitRows(avail_height, doInRowSplit=True) or []
            back = at
            while not parts and back - 1 > self.repeatRows and self._is_heading_row(back - 1):
                back -= 1  # a group row never ends a page: it goes with its items
            if not parts and back != at and back > self.repeatRows:
                parts = self._splitRows(sum(self._rowHeights[:back]) + 0.01) or []
        if not parts:
            parts = super().split(avail_width, avail_height)
        if len(parts) >= 2:
            # A row cut at the page end is closed by a bottom line (a grid drawn on the
            # part alone leaves it open when the cut falls inside a row).
            parts[0].setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), 0.5, GRID_COLOR)]))
            return [parts[0], FrameBreak(), *parts[1:]]
        return parts


def row_height(row: Sequence[Any], col_widths: Sequence[float]) -> float:
    """Height the cells of ``row`` need at these widths (flowables only; text is short)."""
    tallest = 0.0
    for cell, width in zip(row, col_widths, strict=False):
        items = cell if isinstance(cell, list | tuple) else [cell]
        height = 0.0
        for item in items:
            if isinstance(item, Flowable):
                height += item.wrap(width - 6, FRAME_HEIGHT)[1]
        tallest = max(tallest, height)
    return tallest


def keep_with_next(
    rows: Sequence[Sequence[Any]], group_rows: Sequence[int], col_widths: Sequence[float]
) -> list[tuple[Any, ...]]:
    """NOSPLIT commands that keep a group row (an area, a criterion) on the page of its
    first item, unless that item is so tall that it must be free to split across pages."""
    commands: list[tuple[Any, ...]] = []
    for r in group_rows:
        if r + 1 < len(rows) and row_height(rows[r + 1], col_widths) < FRAME_HEIGHT / 3:
            commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
    return commands


def grid_table(
    data: list[list[Any]],
    col_widths: Sequence[float],
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
    min_row_heights: Sequence[float] | None = None,
) -> Table:
    """A ruled table whose header rows repeat on every page and whose rows may split.

    ``splitInRow`` lets a single tall row (a 2 000-character explanation) continue on the
    next page instead of failing the whole document with "flowable too large".
    """
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 10.5),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    commands.extend(extra)
    return PagedTable(
        data,
        colWidths=list(col_widths),
        repeatRows=header_rows,
        splitInRow=1,
        style=TableStyle(commands),
        minRowHeights=list(min_row_heights) if min_row_heights else None,
        hAlign="CENTER",
    )


# -- the document --------------------------------------------------------------------------
@dataclass(frozen=True)
class DocumentInfo:
    """PDF metadata: what the viewer shows in the title bar and in the file properties."""

    title: str
    author: str
    subject: str = ""


def _number_page(canvas: Any, doc: Any) -> None:
    """Page numbers centred in the top margin, not on the first page (Nghị định 30)."""
    page = canvas.getPageNumber()
    if page < 2:
        return
    canvas.saveState()
    canvas.setFont(FONT, 13)
    canvas.drawCentredString(MARGIN_LEFT + FRAME_WIDTH / 2, PAGE_NUMBER_Y, str(page))
    canvas.restoreState()


def render_story(story: list[Flowable], info: DocumentInfo) -> bytes:
    """Lay the story out on official A4 pages and return the PDF bytes."""
    register_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=nfc(info.title),
        author=nfc(info.author),
        subject=nfc(info.subject),
        creator="ParApp",
        producer="ParApp (ReportLab)",
        lang="vi-VN",
        initialFontName=FONT,
    )
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        FRAME_WIDTH,
        FRAME_HEIGHT,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="official", frames=[frame], onPage=_number_page)])
    doc.build(story)
    return buf.getvalue()


def write_pdf(out: Path, story: list[Flowable], info: DocumentInfo) -> None:
    """Render fully in memory first, then replace ``out`` atomically: a failed render
    never leaves a half-written PDF where the officer expects the document."""
    data = render_story(story, info)
    try:
        atomic_write_bytes(out, data)
    except OSError as err:  # e.g. the folder cannot be created: a file has its name
        raise ParAppError(describe_os_error(err, out)) from err


# -- framework wording ---------------------------------------------------------------------
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")


def display_code(code: str) -> str:
    """Areas are numbered with Roman numerals on paper ("3" -> "III"), as the methodology
    prints them; deeper codes stay dotted ("3.4.1")."""
    if code.isdigit() and 1 <= int(code) <= len(_ROMAN):
        return _ROMAN[int(code) - 1]
    return code


def criterion_label(c: Criterion) -> str:
    """The number printed for ``c``: the province's own label ("2.1." under area II) when
    its sheet had one, else :func:`display_code` of the code."""
    return c.label if c.label != c.code else display_code(c.code)


def index_name(index_kind: str) -> str:
    """How the index is named in a title: "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH" for PAR."""
    kind = nfc(index_kind).upper()
    if kind in ("", "PAR", "PAR INDEX", "CCHC"):
        return "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
    return f"CHỈ SỐ {kind}"


def group_hash(text: str, size: int = 8) -> str:
    """A long hex digest in groups of 8 so a person can compare it with the screen and
    the PDF can wrap it between groups."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))
