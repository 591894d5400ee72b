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
        # Ranges take their end; months, quarters and years in every spelling (issue 13).
        ("01/3 - 30/6/2024", date(2024, 6, 30)),
        ("Từ 01/3 đến 30/6", date(2024, 6, 30)),
        ("Quý II - Quý III", date(2024, 9, 30)),
        ("Quý IV/2024 - Quý I/2025", date(2025, 3, 31)),
        ("Tháng 9, 10", date(2024, 10, 31)),
        ("Từ tháng 3 đến tháng 6", date(2024, 6, 30)),
        ("2024 - 2025", date(2025, 12, 31)),
        ("Giai đoạn 2021-2025", date(2025, 12, 31)),
        ("Giai đoạn 2021 – 2025", date(2025, 12, 31)),
        ("06/2024", date(2024, 6, 30)),
        ("Q3/2024", date(2024, 9, 30)),
        ("Quí III", date(2024, 9, 30)),
        ("Quý 3", date(2024, 9, 30)),
        ("10-12-2024", date(2024, 12, 10)),
        # Parts of a year: "đầu năm" is taken as the end of the first quarter.
        ("Đầu năm 2024", date(2024, 3, 31)),
        ("Đầu năm", date(2024, 3, 31)),
        ("Giữa năm", date(2024, 6, 30)),
        ("Cuối năm", date(2024, 12, 31)),
        ("Cuối năm 2025", date(2025, 12, 31)),
        ("6 tháng cuối năm", date(2024, 12, 31)),
    ],
)
def test_parse_deadline_real_seed_strings(text: str, expected: date) -> None:
    assert parse_deadline(text, 2024) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thường xuyên",
        "Theo quy định của Bộ Nội vụ",
        "Theo Kế hoạch kiểm tra",
        "",
        "31/02",
        "Theo Quyết định số 1",
    ],
)
def test_parse_deadline_without_a_date(text: str) -> None:
    assert parse_deadline(text, 2024) is None
