"""The wording rules of the official page (Nghị định 30/2020) and the text helpers."""

from __future__ import annotations

import datetime
import unicodedata

import pytest
from reportlab.pdfbase import pdfmetrics

from parapp.interchange.pdf.layout import (
    FONT,
    date_words,
    display_code,
    format_date,
    group_hash,
    index_name,
    markup,
    register_fonts,
)
from parapp.interchange.pdf.report import value_text
from parapp.models.assessment import Answer
from parapp.models.framework import Criterion
from parapp.models.scoring import Band, RuleKind, ScoringRule


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 21), "Điện Bàn, ngày 21 tháng 11 năm 2026"),
        (datetime.date(2026, 2, 5), "Điện Bàn, ngày 05 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 9), "Điện Bàn, ngày 09 tháng 3 năm 2026"),
        (datetime.date(2026, 1, 10), "Điện Bàn, ngày 10 tháng 01 năm 2026"),
    ],
)
def test_place_and_date_line(day: datetime.date, expected: str) -> None:
    assert date_words("Điện Bàn", day) == expected


def test_date_line_without_place() -> None:
    assert date_words("", datetime.date(2026, 12, 1)) == "Ngày 01 tháng 12 năm 2026"


def test_dates_are_day_month_year() -> None:
    assert format_date(datetime.date(2026, 4, 7)) == "07/04/2026"
    assert format_date(None) == ""


def test_areas_print_as_roman_numerals() -> None:
    assert [display_code(c) for c in ("1", "3", "8", "3.4.1", "II")] == [
        "I",
        "III",
        "VIII",
        "3.4.1",
        "II",
    ]


def test_index_names() -> None:
    assert index_name("PAR") == "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"
    assert index_name("papi") == "CHỈ SỐ PAPI"


def test_markup_escapes_and_keeps_lines() -> None:
    assert markup("a < b & c\nd") == "a &lt; b &amp; c<br/>d"
    # decomposed input comes out composed (NFC), as stored everywhere else
    assert markup("Hòa") == "Hòa"


def test_hash_groups() -> None:
    assert group_hash("0123456789abcdef01") == "01234567 89abcdef 01"


def test_font_covers_vietnamese() -> None:
    """Every Vietnamese letter (both cases, all tones) has a glyph in the embedded font."""
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    letters = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    assert ord("đ") in face.charToGlyph and ord("Đ") in face.charToGlyph
    for base in letters:
        for tone in tones:
            for ch in (base, base.upper()):
                composed = unicodedata.normalize("NFC", ch + tone)
                assert len(composed) == 1 and ord(composed) in face.charToGlyph, composed


def test_value_text() -> None:
    pct = Criterion("1.1", "Tỷ lệ", 1.0, rule=ScoringRule(RuleKind.BANDS, (Band(80, 1),), "%"))
    yes_no = Criterion("1.2", "Có", 1.0, rule=ScoringRule(RuleKind.YES_NO))
    answer = Answer("1.1", value=85.0, numerator=34.0, denominator=40.0, self_score=1.0)
    assert value_text(pct, answer) == "85%\n(34/40)"
    assert value_text(yes_no, Answer("1.2", value=0.0)) == "Không"
    assert value_text(yes_no, None) == ""


def test_a_table_cut_at_a_page_end_is_closed_by_a_bottom_line() -> None:
    """A row split across pages gets a line under its first part (the grid alone leaves
    the cut open)."""
    from reportlab.platypus import Paragraph

    from parapp.interchange.pdf.layout import grid_table, make_styles

    styles = make_styles()
    long = Paragraph("Giải trình rất dài. " * 400, styles.cell)
    table = grid_table([["Mã", "Nội dung"], ["1.1", long]], [40, 300])
    table.wrap(340, 10_000)
    parts = table.split(340, 300)
    first = parts[0]
    last_row = len(first._cellvalues) - 1
    below = [
        cmd for cmd in first._linecmds if cmd[0] == "LINEBELOW" and cmd[2][1] in (-1, last_row)
    ]
    assert below, first._linecmds


def test_a_tall_row_starts_on_the_page_instead_of_leaving_it_half_empty() -> None:
    from reportlab.platypus import Paragraph

    from parapp.interchange.pdf.layout import PagedTable, grid_table, make_styles

    styles = make_styles()
    tall = Paragraph("Giải trình rất dài của đơn vị. " * 300, styles.cell)
    rows = [["Mã", "Nội dung"], ["1.1", "Ngắn"], ["1.2", tall]]
    table = grid_table(rows, [40, 300])
    table.wrap(340, 10_000)
    parts = table.split(340, 500)
    first = parts[0]
    _, height = first.wrap(340, 500)
    assert 500 - height < PagedTable.MAX_GAP  # the long row begins on this page
    assert len(first._cellvalues) == 3  # header, the short row, the top of the tall one


def test_a_group_row_never_ends_a_page() -> None:
    """An area's heading row goes to the next page with its first item."""
    from reportlab.platypus import Paragraph

    from parapp.interchange.pdf.layout import grid_table, make_styles

    styles = make_styles()
    tall = Paragraph("Giải trình rất dài của đơn vị. " * 300, styles.cell)
    group = Paragraph("II", styles.cell_center_bold)
    rows = [["Mã", "Nội dung"], ["1.1", "Ngắn"], [group, "Lĩnh vực II"], ["2.1", tall]]
    table = grid_table(rows, [40, 300])
    table.wrap(340, 10_000)
    fits = sum(table._rowHeights[:3])
    parts = table.split(340, fits + 20)  # room for the group row, not for its item
    assert len(parts[0]._cellvalues) == 2  # header and 1.1; "II" moved on
    assert [str(c) for c in parts[-1]._cellvalues[1][1:]] == ["Lĩnh vực II"]
