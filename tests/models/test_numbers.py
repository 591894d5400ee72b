"""The one rounding rule and the one Vietnamese number reader."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from parapp.models.errors import ValidationError
from parapp.models.numbers import (
    format_decimal,
    format_fixed,
    index_percent,
    read_number,
    round_points,
)
from parapp.models.text import format_number, parse_number


def test_index_is_rounded_half_up_not_to_even() -> None:
    assert index_percent(50.02, 80) == 62.53  # 62.525
    assert round_points(0.125) == 0.13
    assert round_points(2.675) == 2.68  # binary float 2.67499..., decimal 2.675
    assert round_points(-0.125) == -0.13
    assert index_percent(5, 0) == 0.0


def test_formatting_uses_the_same_rounding() -> None:
    assert format_decimal(62.525) == "62,53"
    assert format_number(2.675) == "2,68"
    assert format_decimal(10.0) == "10"
    assert format_fixed(66.9) == "66,90"
    assert format_decimal(-0.001) == "0"


@pytest.mark.parametrize(
    ("text", "whole", "expected"),
    [
        ("1.234", True, 1234.0),
        ("1.234", False, 1234.0),
        ("1.234,5", False, 1234.5),
        ("1,5", False, 1.5),
        ("1.500", True, 1500.0),
        ("1.234.567", True, 1234567.0),
        ("85%", False, 85.0),
        (" 2 ", True, 2.0),
        ("0.5", False, 0.5),  # cannot be a thousands group
        ("1\u00a0234", True, 1234.0),
        ("", True, None),
        (None, True, None),
        (3, True, 3.0),
    ],
)
def test_reads_vietnamese_numbers(text: str | None, whole: bool, expected: float | None) -> None:
    assert read_number(text, whole=whole) == expected


@pytest.mark.parametrize(
    ("text", "whole", "message"),
    [
        ("1.5", True, "phải là số nguyên"),
        ("1,234.5", False, "không rõ cách viết: viết dấu chấm để phân cách hàng nghìn"),
        ("1,2,3", False, "không rõ cách viết"),
        ("19,5", True, "phải là số nguyên"),
        ("abc", False, "không phải là số"),
        ("1e308", False, "không phải là số"),
        (1e308, False, "quá lớn"),
        (float("inf"), False, "hữu hạn"),
        (float("nan"), False, "hữu hạn"),
        (10**30, False, "quá lớn"),
    ],
)
def test_refuses_ambiguous_or_impossible_numbers(
    text: str | float, whole: bool, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        read_number(text, whole=whole, what="Tử số")
    assert "Tử số" in str(err.value)


def test_legacy_parse_number_keeps_value_error() -> None:
    assert parse_number("1.234,5") == 1234.5
    with pytest.raises(ValueError, match="không rõ"):
        parse_number("1,234.5")


def test_round_trip_of_formatted_numbers_through_the_reader() -> None:
    rng = random.Random(11)
    for _ in range(1000):
        value = round_points(rng.uniform(-10, 2000))
        assert read_number(format_decimal(value)) == value
        assert Decimal(format_decimal(value).replace(",", ".")) == Decimal(repr(value))
