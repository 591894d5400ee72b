from datetime import date

import pytest

from parapp.models.deadlines import parse_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý III", date(2024, 9, 30)),
        ("Quý I", date(2024, 3, 31)),
        ("Quý IV", date(2024, 12, 31)),
        ("Quý II, III", date(2024, 9, 30)),
        ("Quý I, II/2022", date(2022, 6, 30)),
        ("Quý III/2022", date(2022, 9, 30)),
        ("Trước ngày 10/12", date(2024, 12, 10)),
        ("Trước ngày 31/01 năm sau", date(2025, 1, 31)),
        ("Trong năm 2024", date(2024, 12, 31)),
        ("Cả năm", date(2024, 12, 31)),
        ("Tháng 9/2024", date(2024, 9, 30)),
        ("6 tháng đầu năm", date(2024, 6, 30)),
        ("ngày 15 tháng 8 năm 2024", date(2024, 8, 15)),
        ("Trong quý IV năm trước liền kề năm kế hoạch", date(2023, 12, 31)),
    ],
)
def test_parse_deadline_real_seed_strings(text: str, expected: date) -> None:
    assert parse_deadline(text, 2024) == expected


@pytest.mark.parametrize(
    "text",
    ["Thường xuyên", "Theo quy định của Bộ Nội vụ", "Theo Kế hoạch kiểm tra", "", "31/02"],
)
def test_parse_deadline_without_a_date(text: str) -> None:
    assert parse_deadline(text, 2024) is None
