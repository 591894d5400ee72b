"""The editable copy: the same story as the PDF, written as a Word document (.docx).

Offices adjust wording in Word before sending, so every printed document also comes out as
.docx. Rather than a second layout per document, this module walks the very reportlab story
the PDF is built from (paragraphs with their bold and italic runs, ruled tables with spans,
shading and repeated header rows, the heading and signature tables, the QR code) and writes
it with python-docx on the same page: A4, the margins of Nghị định 30, Times New Roman 13 pt,
page numbers centred at the top from page 2 on. What the reader sees is the same text in the
same places; Word then reflows it with its own line breaks.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from PIL import Image
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table
from reportlab.platypus.flowables import Flowable, HRFlowable

from parapp.fileio import atomic_write_bytes, describe_os_error
from parapp.interchange.pdf.layout import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    DocumentInfo,
    write_pdf,
)
from parapp.models.errors import ParAppError

#: Word's name of the font; Liberation Serif (the PDF's) has the same metrics.
WORD_FONT = "Times New Roman"
_PT_PER_MM = 72 / 25.4
_ALIGN = {
    0: WD_ALIGN_PARAGRAPH.LEFT,
    1: WD_ALIGN_PARAGRAPH.CENTER,
    2: WD_ALIGN_PARAGRAPH.RIGHT,
    4: WD_ALIGN_PARAGRAPH.JUSTIFY,
}
Container = DocxDocument | _Cell


def write_docx(out: Path, story: Sequence[Flowable], info: DocumentInfo) -> None:
    """Write ``story`` as a .docx to ``out`` atomically (rendered in memory first)."""
    doc = _new_document(info)
    _Writer(doc).flowables(doc, story)
    buf = io.BytesIO()
    doc.save(buf)
    try:
        atomic_write_bytes(out, buf.getvalue())
    except OSError as err:
        raise ParAppError(describe_os_error(err, out)) from err


def _new_document(info: DocumentInfo) -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Pt(MARGIN_TOP)
    section.bottom_margin = Pt(MARGIN_BOTTOM)
    section.left_margin = Pt(MARGIN_LEFT)
    section.right_margin = Pt(MARGIN_RIGHT)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)
    normal = doc.styles["Normal"]
    normal.font.name = WORD_FONT
    normal.font.size = Pt(13)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), WORD_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    props = doc.core_properties
    props.title, props.author, props.subject = info.title, info.author, info.subject
    props.language = "vi-VN"
    # A new document holds one empty paragraph: it would print as a blank first line.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def _page_field(paragraph: DocxParagraph) -> None:
    """The PAGE field Word fills in with the page number."""
    run = paragraph.add_run()
    run.font.size = Pt(13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _hex(color: Any) -> RGBColor | None:
    if color is None:
        return None
    try:
        r, g, b = (round(float(v) * 255) for v in (color.red, color.green, color.blue))
    except AttributeError:
        return None
    return None if (r, g, b) == (0, 0, 0) else RGBColor(r, g, b)


def _qr_png(drawing: Drawing) -> bytes | None:
    """The QR code of a drawing as a PNG (reportlab draws it as vectors only)."""
    widget = next((c for c in drawing.contents if hasattr(c, "value")), None)
    if widget is None:
        return None
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(widget.value)
    qr.make()
    n, box, border = qr.getModuleCount(), 8, 4
    img = Image.new("1", ((n + 2 * border) * box,) * 2, 1)
    for r in range(n):
        for c in range(n):
            if qr.isDark(r, c):
                x, y = (c + border) * box, (r + border) * box
                img.paste(0, (x, y, x + box, y + box))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


class _Writer:
    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc

    # -- flowables ----------------------------------------------------------------------
    def flowables(
        self, where: Container, items: Iterable[Any], width: float | None = None, keep: bool = False
    ) -> None:
        for item in items:
            self.flowable(where, item, width, keep)

    def flowable(self, where: Container, item: Any, width: float | None, keep: bool) -> None:
        if isinstance(item, list | tuple):
            self.flowables(where, item, width, keep)
        elif isinstance(item, Paragraph):
            self.paragraph(where, item, keep)
        elif isinstance(item, Table):
            self.table(where, item, keep)
        elif isinstance(item, KeepTogether):
            self.flowables(where, item._content, width, keep=True)
        elif isinstance(item, PageBreak):
            self.doc.add_page_break()
        elif isinstance(item, HRFlowable):
            self.rule(where, item, width)
        elif isinstance(item, Spacer):
            self.spacer(where, float(item.height))
        elif isinstance(item, Drawing):
            self.picture(where, item)
        elif isinstance(item, str) and item.strip():
            where.add_paragraph(item)
        # anything else (a FrameBreak) has no meaning in a flowing Word document

    def paragraph(self, where: Container, p: Paragraph, keep: bool) -> DocxParagraph:
        out = where.add_paragraph()
        style = p.style
        fmt = out.paragraph_format
        fmt.alignment = _ALIGN.get(int(style.alignment), WD_ALIGN_PARAGRAPH.LEFT)
        if style.firstLineIndent:
            fmt.first_line_indent = Pt(style.firstLineIndent)
        fmt.space_before = Pt(style.spaceBefore or 0)
        fmt.space_after = Pt(style.spaceAfter or 0)
        fmt.line_spacing = Pt(style.leading)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        if keep or bool(getattr(style, "keepWithNext", False)):
            fmt.keep_with_next = True
        # Parsed afresh: reportlab's wrap() (a table measuring its rows) consumes frags.
        for frag in Paragraph(p.text, style).frags:
            if getattr(frag, "lineBreak", False):
                out.add_run().add_break()
                continue
            text = getattr(frag, "text", "")
            if not text:
                continue
            run = out.add_run(text)
            name = str(getattr(frag, "fontName", ""))
            run.bold = "Bold" in name or None
            run.italic = "Italic" in name or None
            run.font.size = Pt(float(getattr(frag, "fontSize", style.fontSize)))
            color = _hex(getattr(frag, "textColor", None))
            if color is not None:
                run.font.color.rgb = color
        return out

    def spacer(self, where: Container, height: float) -> None:
        if height < 2:
            return
        p = where.add_paragraph()
        p.paragraph_format.line_spacing = Pt(height)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY

    def rule(self, where: Container, rule: HRFlowable, width: float | None) -> None:
        """A short centred rule: an empty paragraph with a bottom border, indented so the
        border is as long as the PDF's."""
        p = where.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing = Pt(3)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.space_after = Pt(4)
        length = float(rule.width) if not isinstance(rule.width, str) else 0.0
        if width and 0 < length < width:
            side = Pt((width - length) / 2)
            fmt.left_indent = fmt.right_indent = side
        ppr = p._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "6"),
            ("w:space", "1"),
            ("w:color", "000000"),
        ):
            bottom.set(qn(key), value)
        borders.append(bottom)
        ppr.append(borders)

    def picture(self, where: Container, drawing: Drawing) -> None:
        png = _qr_png(drawing)
        if png is None:
            return
        p = where.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run().add_picture(io.BytesIO(png), width=Pt(float(drawing.width)))

    # -- tables -------------------------------------------------------------------------
    def table(self, where: Container, t: Table, keep: bool) -> None:
        values: list[list[Any]] = t._cellvalues
        widths = [float(w) for w in t._colWidths]
        n_rows, n_cols = len(values), len(widths)
        if n_rows == 0 or n_cols == 0:
            return
        if isinstance(where, _Cell):
            table: DocxTable = where.add_table(n_rows, n_cols)
        else:
            table = self.doc.add_table(n_rows, n_cols)
        ruled = any(cmd[0] in ("GRID", "BOX", "INNERGRID") for cmd in t._linecmds)
        if ruled:
            table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        align = str(getattr(t, "hAlign", "CENTER")).upper()
        table.alignment = {
            "LEFT": WD_TABLE_ALIGNMENT.LEFT,
            "RIGHT": WD_TABLE_ALIGNMENT.RIGHT,
        }.get(align, WD_TABLE_ALIGNMENT.CENTER)
        _cell_margins(table, _padding(t) if ruled else 0)
        for c, column in enumerate(table.columns):  # the grid Word and LibreOffice lay out
            column.width = Pt(widths[c])
        heights = list(t._argH) if t._argH else [None] * n_rows
        minimum = list(getattr(t, "_minRowHeights", None) or [0] * n_rows)
        for r in range(n_rows):
            row = table.rows[r]
            height = heights[r] if r < len(heights) else None
            low = minimum[r] if r < len(minimum) else 0
            if height:
                row.height, row.height_rule = Pt(float(height)), WD_ROW_HEIGHT_RULE.AT_LEAST
            elif low:
                row.height, row.height_rule = Pt(float(low)), WD_ROW_HEIGHT_RULE.AT_LEAST
            if r < int(getattr(t, "repeatRows", 0) or 0):
                _row_flag(row, "w:tblHeader")
            if keep or not ruled:
                _row_flag(row, "w:cantSplit")
            for c in range(n_cols):
                cell = row.cells[c]
                cell.width = Pt(widths[c])
                first = cell.paragraphs[0]._p
                self.flowable(cell, values[r][c], widths[c], keep)
                if len(cell.paragraphs) > 1:
                    first.getparent().remove(first)
        for cmd in t._bkgrndcmds:
            (c0, r0), (c1, r1) = _box(cmd[1], cmd[2], n_rows, n_cols)
            fill = _hex(cmd[3])
            if fill is None:
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    _shade(table.cell(r, c), str(fill))
        for cmd in t._spanCmds:
            (c0, r0), (c1, r1) = _box(cmd[1], cmd[2], n_rows, n_cols)
            if (c0, r0) == (c1, r1):
                continue
            top_left = table.cell(r0, c0)
            kept = [p._p for p in top_left.paragraphs]
            merged = top_left.merge(table.cell(r1, c1))
            # merging concatenates the cells' paragraphs: keep the first cell's only
            for p in list(merged.paragraphs):
                if p._p not in kept and not p.text.strip():
                    p._p.getparent().remove(p._p)
        if not isinstance(where, _Cell):
            self.doc.add_paragraph().paragraph_format.line_spacing = Pt(1)


def _box(
    start: tuple[int, int], end: tuple[int, int], n_rows: int, n_cols: int
) -> tuple[tuple[int, int], tuple[int, int]]:
    c0, r0 = start
    c1, r1 = end
    c0, c1 = (c + n_cols if c < 0 else c for c in (c0, c1))
    r0, r1 = (r + n_rows if r < 0 else r for r in (r0, r1))
    return (c0, r0), (c1, r1)


def _padding(t: Table) -> float:
    """The table's side padding (the ranking's narrow columns use less than 3 pt)."""
    try:
        first = t._cellStyles[-1][-1]
        return float(min(first.leftPadding, first.rightPadding))
    except (AttributeError, IndexError):
        return 3.0


def _row_flag(row: Any, tag: str) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement(tag)
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _shade(cell: _Cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _cell_margins(table: DocxTable, points: float) -> None:
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(points * 20)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tblpr.append(margins)


def write_document(out: Path, story: Sequence[Flowable], info: DocumentInfo) -> None:
    """The document as its file name asks: ``.docx`` the editable copy, otherwise PDF."""
    if Path(out).suffix.lower() == ".docx":
        write_docx(Path(out), story, info)
    else:
        write_pdf(Path(out), list(story), info)
