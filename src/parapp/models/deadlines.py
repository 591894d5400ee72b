"""Parse Vietnamese deadline text ("Quý III", "Trước ngày 10/12", "Trong năm 2024") to a date.

Plans state deadlines as free text. Where the text names a day, a month, a quarter, a
half-year or a year, the due date is the last day it allows; recurring or conditional
deadlines ("Thường xuyên", "Theo kế hoạch của Bộ Nội vụ") have no date and stay text only.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from parapp.models.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER_WORD = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4}


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


def parse_deadline(text: str, plan_year: int) -> date | None:
    """The due date that ``text`` states, relative to ``plan_year``, or ``None``.

    Handled: explicit dates (``10/12``, ``10/12/2024``, ``ngày 10 tháng 12``), "năm sau"
    (the following year), quarters (``Quý III``, ``Quý II, III``, ``Quý I/2022`` — the last
    quarter named wins), half-years (``6 tháng đầu năm``), months (``Tháng 9``, ``tháng
    9/2024``) and years (``Trong năm 2024``, ``Cả năm``, ``Năm 2024``).
    """
    t = fold(text)
    if not t:
        return None
    year = plan_year
    if "nam sau" in t:
        year = plan_year + 1
    elif "nam truoc" in t:
        year = plan_year - 1
    explicit_year = re.search(r"\b(?:nam\s*)?(20\d\d)\b", t)

    # An explicit day: "10/12", "10/12/2024", "10-12-2024", "ngay 10 thang 12 nam 2024".
    m = re.search(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2,4}))?\b", t)
    if m and not re.search(r"quy\s+[ivx\d]+\s*/\s*\d", t):
        y = int(m[3]) if m[3] else year
        if y < 100:
            y += 2000
        d = _safe_date(y, int(m[2]), int(m[1]))
        if d:
            return d
    m = re.search(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?", t)
    if m:
        return _safe_date(int(m[3]) if m[3] else year, int(m[2]), int(m[1]))

    # Quarters: "quy iii", "quy ii, iii", "quy i/2022", "quy 4 nam 2024".
    m = re.search(r"quy\s+([ivx\d]+(?:\s*(?:,|va|-|den)\s*[ivx\d]+)*)", t)
    if m:
        tokens = re.split(r"\s*(?:,|va|-|den)\s*", m[1])
        quarters = [q for q in (_quarter_number(tok) for tok in tokens) if q]
        if quarters:
            y = int(explicit_year[1]) if explicit_year else year
            return _end_of_month(y, 3 * max(quarters))

    # Half-years.
    if re.search(r"6 thang dau|sau thang dau|nua dau", t):
        return date(int(explicit_year[1]) if explicit_year else year, 6, 30)
    if re.search(r"6 thang cuoi|sau thang cuoi|nua cuoi", t):
        return date(int(explicit_year[1]) if explicit_year else year, 12, 31)

    # A month: "thang 9", "thang 9/2024", "truoc thang 10".
    m = re.search(r"thang\s+(\d{1,2})(?:\s*/\s*(20\d\d))?", t)
    if m and 1 <= int(m[1]) <= 12:
        y = int(m[2]) if m[2] else (int(explicit_year[1]) if explicit_year else year)
        return _end_of_month(y, int(m[1]))

    # A whole year.
    if explicit_year and re.search(r"\bnam\s+20\d\d|\b20\d\d\b", t) and "thuong xuyen" not in t:
        return date(int(explicit_year[1]), 12, 31)
    if re.fullmatch(r"(ca nam|trong nam|hang nam|hàng nam)", t) or t in ("ca nam", "trong nam"):
        return date(year, 12, 31)
    return None
