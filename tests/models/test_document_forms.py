"""Decree 30 wording: headings per issuer kind, authority forms, numbers, dates, local time."""

from __future__ import annotations

import datetime

import pytest

from parapp.models.document_forms import (
    IssuerKind,
    authority_lines,
    date_words,
    issuer_in_text,
    issuer_lines,
    issuer_symbol,
    local_time_words,
    number_line,
    parse_document_date,
)
from parapp.models.errors import ParAppError

C, D, OFF = IssuerKind.COMMITTEE, IssuerKind.DEPARTMENT, IssuerKind.OFFICE


@pytest.mark.parametrize(
    ("kind", "position", "expected"),
    [
        (C, "Chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        (C, "Chủ tịch UBND", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        (C, "", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        (C, "Phó Chủ tịch UBND phường", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        (C, "phó chủ tịch", ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        (C, "Chánh Văn phòng", ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
        (OFF, "", ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")),
        (D, "Giám đốc", ("GIÁM ĐỐC",)),
        (D, "Phó Giám đốc", ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        (
            D,
            "Trưởng phòng Cải cách hành chính",
            ("TL. GIÁM ĐỐC", "TRƯỞNG PHÒNG CẢI CÁCH HÀNH CHÍNH"),
        ),
        (D, "TUQ. Giám đốc / Trưởng phòng", ("TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG")),
    ],
)
def test_authority_forms(kind: IssuerKind, position: str, expected: tuple[str, ...]) -> None:
    assert authority_lines(kind, position) == expected


def test_headings_and_names_per_kind() -> None:
    assert issuer_lines(C, "Phường Điện Bàn", "Thành phố Đà Nẵng") == (
        "",
        "ỦY BAN NHÂN DÂN\nPHƯỜNG ĐIỆN BÀN",
    )
    assert issuer_lines(D, "Sở Nội vụ", "Thành phố Đà Nẵng") == (
        "UBND THÀNH PHỐ ĐÀ NẴNG",
        "SỞ NỘI VỤ",
    )
    assert issuer_in_text(C, "Phường Điện Bàn") == "Ủy ban nhân dân phường Điện Bàn"
    assert issuer_in_text(D, "Sở Nội vụ") == "Sở Nội vụ"
    assert issuer_symbol(C, "Phường Điện Bàn") == "UBND"
    assert issuer_symbol(D, "Sở Nội vụ") == "SNV"


def test_number_line() -> None:
    assert number_line("12", "BC", "UBND") == "Số: 12/BC-UBND"
    assert number_line("215/BC-SNV", "BC", "SNV") == "Số: 215/BC-SNV"
    blank = number_line("", "BC", "UBND")
    assert blank.startswith("Số:\u00a0") and blank.endswith("\u00a0/BC-UBND")


def test_date_line_set_or_blank() -> None:
    assert (
        date_words("Điện Bàn", datetime.date(2026, 2, 5)) == "Điện Bàn, ngày 05 tháng 02 năm 2026"
    )
    assert date_words("Điện Bàn", None) == "Điện Bàn, ngày …… tháng …… năm ……"
    assert date_words("", None) == "Ngày …… tháng …… năm ……"


def test_local_time_in_vietnamese_words() -> None:
    assert local_time_words("2026-12-02T07:05:43.257+00:00") == "14 giờ 05, ngày 02/12/2026"
    assert local_time_words("2026-12-02T18:30:00Z") == "01 giờ 30, ngày 03/12/2026"
    assert local_time_words("2026-12-02T18:30:00") == "01 giờ 30, ngày 03/12/2026"  # UTC
    assert local_time_words("không phải ngày") == "không phải ngày"


def test_parse_document_date() -> None:
    assert parse_document_date("2/12/2026") == datetime.date(2026, 12, 2)
    assert parse_document_date("2026-12-02") == datetime.date(2026, 12, 2)
    assert parse_document_date("") is None
    assert parse_document_date("hôm nay", datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 1)
    with pytest.raises(ParAppError, match="31/02/2026"):
        parse_document_date("31/02/2026")
