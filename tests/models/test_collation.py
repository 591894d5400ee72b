"""Names sort the Vietnamese way, numbers by value."""

from __future__ import annotations

import random
import unicodedata

from parapp.models.collation import vn_sort_key, vn_sorted


def test_d_with_stroke_comes_after_d_not_after_v() -> None:
    assert vn_sorted(["Xã Vĩnh Phúc", "Xã Đông Hà", "Xã Duy Xuyên"]) == [
        "Xã Duy Xuyên",
        "Xã Đông Hà",
        "Xã Vĩnh Phúc",
    ]


def test_numbers_inside_names_compare_by_value() -> None:
    assert vn_sorted(["Xã Số 10", "Xã Số 2", "Xã Số 1"]) == ["Xã Số 1", "Xã Số 2", "Xã Số 10"]


def test_the_alphabet_order_of_the_modified_letters() -> None:
    words = ["an", "ăn", "ân", "bê", "đi", "em", "êm", "ô", "ơ", "o", "u", "ư", "y"]
    shuffled = words[:]
    random.Random(7).shuffle(shuffled)
    assert vn_sorted(shuffled) == [
        "an",
        "ăn",
        "ân",
        "bê",
        "đi",
        "em",
        "êm",
        "o",
        "ô",
        "ơ",
        "u",
        "ư",
        "y",
    ]


def test_tones_order_only_words_otherwise_equal() -> None:
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert vn_sorted(list(reversed(tones))) == tones
    assert vn_sorted(["mạnh", "mai"]) == ["mai", "mạnh"]  # letters first, tones after


def test_case_and_composition_do_not_change_the_order() -> None:
    nfc = "Điện Bàn"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert vn_sort_key(nfd)[:2] == vn_sort_key(nfc)[:2]
    assert vn_sort_key("ĐIỆN BÀN")[:2] == vn_sort_key(nfc)[:2]
    assert vn_sorted(["Điện Bàn Tây", "điện bàn"]) == ["điện bàn", "Điện Bàn Tây"]
