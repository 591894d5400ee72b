"""Legacy TCVN3/VNI text converts to Unicode, and Unicode is never damaged by detection."""

from __future__ import annotations

import unicodedata

import pytest

from parapp.interchange.legacy_vn import detect_encoding, from_unicode, looks_legacy, to_unicode
from tests.system_tools import seeds_dir

SEEDS = seeds_dir()
SEED_003 = SEEDS / "003_ffea1bfd1b0fc640.txt"

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
ALL_LETTERS = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]


def test_there_are_134_toned_letters_upper_and_lower() -> None:
    letters = {ch for base in ALL_LETTERS for ch in (base, base.upper()) if not ch.isascii()}
    assert len(letters) == 134


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("Uû ban nh©n d©n tØnh Qu¶ng Nam", "Uỷ ban nhân dân tỉnh Quảng Nam"),
        ("c¶i c¸ch thñ tôc hµnh chÝnh", "cải cách thủ tục hành chính"),
        ("Së Néi vô phèi hîp víi c¸c c¬ quan", "Sở Nội vụ phối hợp với các cơ quan"),
        ("tû lÖ hå s¬ gi¶i quyÕt ®óng h¹n", "tỷ lệ hồ sơ giải quyết đúng hạn"),
        ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ],
)
def test_known_tcvn3_strings(legacy: str, expected: str) -> None:
    assert looks_legacy(legacy) == "tcvn3"
    assert to_unicode(legacy) == expected


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
        ("ngöôøi daân", "người dân"),
        ("Ñieåm toái ña", "Điểm tối đa"),
        ("COÄNG HOØA", "CỘNG HÒA"),
    ],
)
def test_known_vni_strings(legacy: str, expected: str) -> None:
    assert looks_legacy(legacy) == "vni"
    assert to_unicode(legacy) == expected


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_every_lower_case_letter_round_trips(encoding: str) -> None:
    for letter in ALL_LETTERS:
        legacy = from_unicode(letter, encoding)
        assert all(ord(ch) <= 0xFF for ch in legacy), (letter, legacy)  # what Excel shows
        assert to_unicode(legacy, encoding) == letter, (letter, legacy)


def test_every_upper_case_letter_round_trips_in_vni() -> None:
    for letter in ALL_LETTERS:
        upper = letter.upper()
        assert to_unicode(from_unicode(upper, "vni"), "vni") == upper


def test_tcvn3_capitals_round_trip_in_all_capital_text() -> None:
    text = "ĐIỂM TỐI ĐA CỦA LĨNH VỰC ỨNG DỤNG CÔNG NGHỆ THÔNG TIN"
    assert to_unicode(from_unicode(text, "tcvn3")) == text


def _seed_phrases() -> list[str]:
    """Lines of the seeds that are plain sentences (tables come out one cell per line)."""
    lines = []
    for name in ("000_dc972a209e750f34.txt", "001_5e86a4981e416103.txt"):
        for line in (SEEDS / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            # Toned capitals inside mixed-case text do not exist in TCVN3 (see from_unicode).
            if len(line) > 20 and not any(ch.isupper() and not ch.isascii() for ch in line[1:]):
                lines.append(unicodedata.normalize("NFC", line))
    return lines[:200]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_seed_phrases_survive_a_trip_through_legacy_encodings(encoding: str) -> None:
    phrases = _seed_phrases()
    assert len(phrases) > 50
    for phrase in phrases:
        legacy = from_unicode(phrase, encoding)
        assert looks_legacy(legacy) == encoding, phrase
        expected = phrase
        if encoding == "tcvn3" and not phrase[0].isascii() and phrase[0] not in "ĂÂÊÔƠƯĐ":
            expected = phrase[0].lower() + phrase[1:]  # "Ủy": TCVN3 has no toned capitals
        assert to_unicode(legacy) == expected


def test_unicode_seed_lines_are_left_alone() -> None:
    lines = SEED_003.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 900
    for line in lines:
        assert to_unicode(line) == unicodedata.normalize("NFC", line), line
        assert looks_legacy(line) is None or to_unicode(line) == line


@pytest.mark.parametrize(
    "text",
    ["Tây Ninh", "«Tây Ninh»", "café 25°C", "Cà Mau", "UBND xã", "", "1,5", "§ 3 Điều 5"],
)
def test_plain_text_is_not_taken_for_legacy(text: str) -> None:
    assert looks_legacy(text) is None
    assert to_unicode(text) == text


def test_decomposed_unicode_comes_back_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Cộng hoà")
    assert to_unicode(decomposed) == "Cộng hoà"


def test_unknown_encoding_is_refused() -> None:
    with pytest.raises(ValueError):
        to_unicode("abc", "utf-7")


@pytest.mark.parametrize(
    ("legacy", "encoding", "expected"),
    [
        ("KÕ ho¹ch", "tcvn3", "Kế hoạch"),  # TCVN3 "ạ" is "¹", a digit to Python
        ("®¹t", "tcvn3", "đạt"),
        ("H¹n", "tcvn3", "Hạn"),
        ("Chuû trì", "vni", "Chủ trì"),  # TCVN3 would read "Chuỷ trỡ", damaging "trì"
    ],
)
def test_short_cells_are_detected(legacy: str, encoding: str, expected: str) -> None:
    assert looks_legacy(legacy) == encoding
    assert to_unicode(legacy) == expected


def test_a_column_decides_for_cells_that_read_as_vietnamese() -> None:
    assert looks_legacy("Cã") is None and looks_legacy("Ghi chó") is None
    assert detect_encoding(["Cã", "Ghi chó", "Kh«ng ®¹t"]) == "tcvn3"
    assert detect_encoding(["Coù", "Khoâng ñaït"]) == "vni"
    assert detect_encoding(["Có", "Không", "Ghi chú", "Tỷ lệ"]) is None
    assert detect_encoding([]) is None
