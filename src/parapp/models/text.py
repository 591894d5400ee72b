"""Text helpers: Unicode NFC on the way in, accent-insensitive matching, Vietnamese numbers.

Vietnamese has several Unicode spellings of the same letter (precomposed or combining marks);
everything stored is NFC so that equal-looking strings compare equal.
"""

from __future__ import annotations

import re
import unicodedata

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
    """Parse a number as Vietnamese officials type it: ``"1,5"``, ``"1.5"``, ``" 2 "``, ``"85%"``.

    Returns ``None`` for blank input and raises :class:`ValueError` for anything else
    that is not a number. A lone comma is the decimal separator; ``"1.234,5"`` is read
    with ``.`` as a thousands separator.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(str(text))
    if isinstance(text, int | float):
        return float(text)
    s = clean(text).replace(" ", "").rstrip("%")
    if not s:
        return None
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", s):
        raise ValueError(text)
    return float(s)


def format_number(value: float | None, decimals: int = 2) -> str:
    """Decimal comma, no trailing zeros: ``1.5`` -> ``"1,5"``, ``10`` -> ``"10"``."""
    if value is None:
        return ""
    text = f"{value:.{decimals}f}"
    if "." in text:  # only fractional zeros go: 20000 with 0 decimals stays "20000"
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def format_points(value: float | None) -> str:
    """``1.5`` -> ``"1,5 điểm"``."""
    return f"{format_number(value)} điểm" if value is not None else "—"
