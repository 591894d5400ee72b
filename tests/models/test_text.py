import unicodedata

import pytest

from parapp.models.text import clean, fold, format_number, format_points, matches, nfc, parse_number


def test_nfc_composes_combining_marks() -> None:
    decomposed = unicodedata.normalize("NFD", "Điện Bàn")
    assert decomposed != "Điện Bàn"
    assert nfc(decomposed) == "Điện Bàn"


def test_clean_folds_whitespace_and_nbsp() -> None:
    assert clean("  Sở\u00a0Nội   vụ\n") == "Sở Nội vụ"


def test_fold_is_accent_and_case_insensitive() -> None:
    assert fold("Điện Bàn") == "dien ban"
    assert fold("THỦ TỤC HÀNH CHÍNH") == "thu tuc hanh chinh"


def test_matches_every_word_anywhere() -> None:
    assert matches("dien ban", "Phường Điện Bàn")
    assert matches("ban dien", "Phường Điện Bàn")
    assert not matches("dien bien", "Phường Điện Bàn")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,5", 1.5),
        ("1.5", 1.5),
        (" 2 ", 2.0),
        ("85%", 85.0),
        ("1.234,5", 1234.5),
        ("", None),
        (None, None),
        (3, 3.0),
    ],
)
def test_parse_number_vietnamese(text: object, expected: float | None) -> None:
    assert parse_number(text) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["abc", "1,5,5", "9 - 10"])
def test_parse_number_rejects_non_numbers(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


def test_format_number_uses_decimal_comma() -> None:
    assert format_number(1.5) == "1,5"
    assert format_number(10.0) == "10"
    assert format_number(0.25) == "0,25"
    assert format_number(-0.0) == "0"
    assert format_points(1.5) == "1,5 điểm"


def test_format_number_without_decimals_keeps_integer_zeros() -> None:
    from parapp.models.text import format_number

    assert [format_number(v, 0) for v in (20000, 5000, 0, 19.6)] == ["20000", "5000", "0", "20"]
    assert format_number(2.50, 2) == "2,5" and format_number(100.0) == "100"
