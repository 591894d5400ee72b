"""Text helpers: Unicode NFC on the way in, accent-insensitive matching, Vietnamese numbers.

Vietnamese has several Unicode spellings of the same letter (precomposed or combining marks);
everything stored is NFC so that equal-looking strings compare equal.
"""

from __future__ import annotations

import re
import unicodedata

from parapp.models.errors import ValidationError
from parapp.models.numbers import format_decimal, read_number

_SPACES = re.compile(r"\s+")


def nfc(text: str | None) -> str:
    """Return ``text`` in NFC with surrounding whitespace stripped (``None`` -> ``""``)."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


def clean(text: str | None) -> str:
    """NFC, with runs of whitespace (including non-breaking spaces) folded to one space."""
    return _SPACES.sub(" ", nfc(text).replace("\u00a0", " ")).strip()


def fold(text: str | None) -> str:
    """Lower-case, accent-free form used for search: ``"Điện Bàn"`` -> ``"dien ban"``."""
    decomposed = unicodedata.normalize("NFD", clean(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.casefold()


def matches(query: str, *texts: str) -> bool:
    """True when every word of ``query`` occurs (accent-insensitively) in one of ``texts``."""
    haystack = " ".join(fold(t) for t in texts)
    return all(word in haystack for word in fold(query).split())


def parse_number(text: str | float | int | None) -> float | None:
    """Read a Vietnamese number (see :func:`parapp.models.numbers.read_number`).

    Kept for callers that expect :class:`ValueError`; the message is the reader's
    Vietnamese explanation of how to write the number.
    """
    try:
        return read_number(text)
    except ValidationError as err:
        raise ValueError(str(err)) from None


def format_number(value: float | None, decimals: int = 2) -> str:
    """Decimal comma, half-up, no trailing zeros: ``1.5`` -> ``"1,5"``, ``10`` -> ``"10"``."""
    return format_decimal(value, decimals)


def format_points(value: float | None) -> str:
    """``1.5`` -> ``"1,5 điểm"``."""
    return f"{format_number(value)} điểm" if value is not None else "—"
