"""Parse Vietnamese deadline text ("Quý III", "Trước ngày 10/12", "Trong năm 2024") to a date.

Plans state deadlines as free text. Where the text names a day, a month, a quarter, a
half-year or a year, the due date is the last day it allows; where it names a range
("01/3 - 30/6/2024", "Quý II - Quý III", "Tháng 9, 10", "Giai đoạn 2021-2025") the due date
is the end of the range. Recurring or conditional deadlines ("Thường xuyên", "Theo kế hoạch
của Bộ Nội vụ") have no date and stay text only.

Vague parts of a year get a fixed, documented end: "đầu năm" (early in the year) is the end
of the first quarter (31/03), "giữa năm" the end of June, "cuối năm" the end of December.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date

from parapp.models.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER_WORD = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4}
#: "đầu năm" ends with the first quarter, "giữa năm" with June, "cuối năm" with December.
PART_OF_YEAR_END = {"dau": (3, 31), "giua": (6, 30), "cuoi": (12, 31)}

_LIST_SEP = r"\s*(?:,|;|va|-|den|toi)\s*"
_QUARTER_TOKEN = r"(?:iv|i{1,3}|[1-4]|mot|hai|ba|bon|tu)\b"
# "quy iii", "qui 3", "q3", "quy ii - quy iii", "quy i, ii/2022", "quy 4 nam 2024".
_QUARTERS = re.compile(
    rf"\b(?:quy|qui|q)\.?\s*({_QUARTER_TOKEN}(?:{_LIST_SEP}(?:(?:quy|qui|q)\.?\s*)?"
    rf"{_QUARTER_TOKEN})*)(?:\s*(?:/|nam)\s*(20\d\d)\b)?"
)
# "ngay 15 thang 8 nam 2024".
_DAY_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?")
# "10/12", "10/12/2024", "10-12-2024", "10.12.24": one separator throughout, so that the "-"
# of a range ("01/3 - 30/6/2024") is never read as part of a date.
_DAY = re.compile(r"(?<![\d/.])(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*\2\s*(\d{4}|\d{2}))?(?!\d)")
_HALF_FIRST = re.compile(r"(?:6|sau)\s+thang\s+dau(?:\s+nam)?|nua\s+dau(?:\s+nam)?")
_HALF_LAST = re.compile(r"(?:6|sau)\s+thang\s+cuoi(?:\s+nam)?|nua\s+cuoi(?:\s+nam)?")
# "thang 9", "thang 9, 10", "thang 9/2024", "tu thang 3 den thang 6".
_MONTHS = re.compile(
    rf"thang\s+(\d{{1,2}}\b(?:{_LIST_SEP}(?:thang\s+)?\d{{1,2}}\b)*)"
    r"(?:\s*(?:/|nam)\s*(20\d\d)\b)?"
)
# "06/2024", "6-2024".
_MONTH_YEAR = re.compile(r"(?<![\d/.])(\d{1,2})\s*[/.-]\s*(20\d\d)\b")
_PART_OF_YEAR = re.compile(r"\b(dau|giua|cuoi)\s+nam(?:\s+(20\d\d)\b)?")
_YEAR = re.compile(r"\b(20\d\d)\b")
_WHOLE_YEAR = re.compile(r"\b(?:ca|trong|hang|moi)\s+nam\b")


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_number(token: str) -> int | None:
    token = token.strip().lower()
    if token.isdigit():
        n = int(token)
        return n if 1 <= n <= 4 else None
    return _ROMAN.get(token) or _QUARTER_WORD.get(token)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _consume(
    pattern: re.Pattern[str], text: str, read: Callable[[re.Match[str]], date | None]
) -> tuple[str, list[date]]:
    """Dates read by ``read`` from each match of ``pattern``; matches that gave one are blanked.

    Blanking keeps a later, looser pattern (a bare year, "cuối năm") from reading the same
    words again: "6 tháng đầu năm" is a half-year, not "đầu năm".
    """
    found: list[date] = []

    def replace(m: re.Match[str]) -> str:
        d = read(m)
        if d is None:
            return m[0]
        found.append(d)
        return " " * len(m[0])

    return pattern.sub(replace, text), found


def parse_deadline(text: str, plan_year: int) -> date | None:
    """The due date that ``text`` states, relative to ``plan_year``, or ``None``.

    Handled: explicit dates (``10/12``, ``10/12/2024``, ``ngày 10 tháng 12``), ranges of any
    of these (the end wins), "năm sau"/"năm trước" (the following/previous year), quarters
    (``Quý III``, ``Quí III``, ``Q3/2024``, ``Quý II - Quý III``, ``Quý I, II/2022``),
    half-years (``6 tháng đầu năm``), months (``Tháng 9``, ``Tháng 9, 10``, ``06/2024``),
    parts of a year (``Đầu năm`` → 31/03, ``Giữa năm`` → 30/06, ``Cuối năm`` → 31/12) and
    years or periods of years (``Trong năm 2024``, ``Cả năm``, ``2024 - 2025``,
    ``Giai đoạn 2021-2025``).
    """
    t = fold(text).replace("\u2013", "-").replace("\u2014", "-")
    if not t:
        return None
    year = plan_year
    if "nam sau" in t:
        year = plan_year + 1
    elif "nam truoc" in t:
        year = plan_year - 1
    years_named = [int(y) for y in _YEAR.findall(t)]
    # A part without its own year takes the last year the text names ("01/3 - 30/6/2024").
    default_year = years_named[-1] if years_named else year
    found: list[date] = []

    def read_day_words(m: re.Match[str]) -> date | None:
        return _safe_date(int(m[3]) if m[3] else default_year, int(m[2]), int(m[1]))

    def read_quarters(m: re.Match[str]) -> date | None:
        tokens = re.findall(rf"\b{_QUARTER_TOKEN}", re.sub(r"\b(?:quy|qui|q)\.?", " ", m[1]))
        quarters = [q for q in (_quarter_number(tok) for tok in tokens) if q]
        if not quarters:
            return None
        return _end_of_month(int(m[2]) if m[2] else default_year, 3 * max(quarters))

    def read_day(m: re.Match[str]) -> date | None:
        y = int(m[4]) if m[4] else default_year
        return _safe_date(y + 2000 if y < 100 else y, int(m[3]), int(m[1]))

    def read_half(month: int) -> Callable[[re.Match[str]], date | None]:
        return lambda m: _end_of_month(default_year, month)

    def read_months(m: re.Match[str]) -> date | None:
        months = [int(x) for x in re.findall(r"\d{1,2}", m[1]) if 1 <= int(x) <= 12]
        if not months:
            return None
        return _end_of_month(int(m[2]) if m[2] else default_year, max(months))

    def read_month_year(m: re.Match[str]) -> date | None:
        month = int(m[1])
        return _end_of_month(int(m[2]), month) if 1 <= month <= 12 else None

    def read_part_of_year(m: re.Match[str]) -> date | None:
        month, day = PART_OF_YEAR_END[m[1]]
        return date(int(m[2]) if m[2] else default_year, month, day)

    for pattern, read in (
        (_DAY_WORDS, read_day_words),
        (_QUARTERS, read_quarters),
        (_DAY, read_day),
        (_HALF_FIRST, read_half(6)),
        (_HALF_LAST, read_half(12)),
        (_MONTHS, read_months),
        (_MONTH_YEAR, read_month_year),
        (_PART_OF_YEAR, read_part_of_year),
    ):
        t, dates = _consume(pattern, t, read)
        found += dates
    if found:
        return max(found)

    # Nothing finer than a year: the last year of a period, or the plan's own year.
    if "thuong xuyen" in t:
        return None
    rest = [int(y) for y in _YEAR.findall(t)]
    if rest:
        return date(max(rest), 12, 31)
    if _WHOLE_YEAR.search(t):
        return date(year, 12, 31)
    return None
