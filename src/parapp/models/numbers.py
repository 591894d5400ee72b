"""Numbers: the one rounding rule and the one Vietnamese number reader.

Rounding (documented in ``docs/scoring-rules.md``): points and percentages are decimals
rounded **half-up to two places**. :func:`round_points` is the only place that rounds; the
screen, the PDFs, the xlsx cells and the JSON all go through it, so a unit never sees
62,52 on one page and 62,53 on another. Floats are converted through their shortest
``repr`` so that ``50.02`` is the decimal 50.02, not its binary neighbour.

Reading (:func:`read_number`): Vietnamese writes ``1.234`` for one thousand two hundred
thirty-four and ``1,5`` for one and a half. ``1.234,5`` is 1234,5. Input that could be read
two ways (``1,234.5``; ``1.5`` where a whole count is expected) is refused with a message
saying how to write it, never guessed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from parapp.models.errors import ValidationError

TWO_PLACES = Decimal("0.01")
#: Largest magnitude accepted anywhere a number is entered or imported (a count of files or
#: points never comes near it; 1e308 or 10^30 in a bundle is an attack or a typo).
MAX_MAGNITUDE = 1e12


def to_decimal(value: float | int | Decimal) -> Decimal:
    """The decimal a user means by ``value`` (via ``repr``, so 0.1 stays 0.1)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not math.isfinite(float(value)):
        raise ValidationError(f"“{value}” không phải là số hữu hạn.")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def round_decimal(value: float | int | Decimal, places: int = 2) -> Decimal:
    """Half-up rounding to ``places`` decimals, as a :class:`Decimal`.

    The precision is wide enough for any finite float, so formatting a hostile 1e308 in an
    error message cannot fail.
    """
    with localcontext() as ctx:
        ctx.prec = 400
        return to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_points(value: float | int | Decimal) -> float:
    """THE rounding rule: decimal, half-up, two places (``0.125`` -> ``0.13``)."""
    result = float(round_decimal(value))
    return 0.0 if result == 0 else result


def index_percent(achieved: float, applicable_max: float) -> float:
    """Achieved ÷ applicable maximum in percent, half-up to two places; 0 when no maximum.

    ``index_percent(50.02, 80)`` is 62,53 (62,525 rounded half-up).
    """
    if applicable_max <= 0:
        return 0.0
    return round_points(to_decimal(achieved) * 100 / to_decimal(applicable_max))


def rate_percent(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` in percent, half-up to two places (denominator > 0)."""
    return round_points(to_decimal(numerator) * 100 / to_decimal(denominator))


def format_decimal(value: float | int | Decimal | None, decimals: int = 2) -> str:
    """Decimal comma, half-up, no trailing zeros: ``1.5`` -> ``"1,5"``, ``1234`` -> ``"1234"``.

    Thousands are not grouped: the output must read back identically through
    :func:`read_number` in any field, including a score.
    """
    if value is None:
        return ""
    text = format(round_decimal(value, decimals), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def format_fixed(value: float | int | Decimal, decimals: int = 2) -> str:
    """Like :func:`format_decimal` but keeps the zeros: ``66.9`` -> ``"66,90"``."""
    text = format(round_decimal(value, decimals), "f")
    return ("0" if text.lstrip("-").strip("0.") == "" else text).replace(".", ",")


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_VN_FULL = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d+$")
_PLAIN = re.compile(r"^\d+(?:,\d+)?$")
_DOT_DECIMAL = re.compile(r"^\d*\.\d+$|^\d+\.$")

HOW_TO_WRITE = (
    "viết dấu chấm để phân cách hàng nghìn và dấu phẩy cho phần thập phân, "
    "ví dụ 1.234 hoặc 1.234,5 hoặc 0,5"
)


def read_number(
    text: str | float | int | None, *, what: str = "Giá trị", whole: bool = False
) -> float | None:
    """Read a number as Vietnamese officials write it; ``None`` for blank input.

    ``whole=True`` for counts (files, procedures): a fraction is refused. Raises
    :class:`ValidationError` with a Vietnamese message naming ``what`` and saying how to
    write the number. Non-finite values and magnitudes above :data:`MAX_MAGNITUDE` are
    refused. A spreadsheet's numeric cell (int/float) is taken as is.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValidationError(f"{what} “{text}” không phải là số.")
    if isinstance(text, int | float):
        value = float(text)
        shown = format_decimal(value) if math.isfinite(value) and abs(value) < 1e15 else str(text)
    else:
        raw = unicodedata.normalize("NFC", str(text))
        s = _SPACES.sub("", raw)
        if s.endswith("%"):
            s = s[:-1]
        if not s:
            return None
        sign = ""
        if s[0] in "+-":
            sign, s = ("-" if s[0] == "-" else ""), s[1:]
        shown = raw.strip()
        if _PLAIN.match(s):
            literal = s.replace(",", ".")
        elif _THOUSANDS_DOT.match(s):
            literal = s.replace(".", "")
        elif _VN_FULL.match(s):
            literal = s.replace(".", "").replace(",", ".")
        elif _DOT_DECIMAL.match(s) and not whole:
            # "0.5" can only be a decimal (a thousands group has three digits)
            literal = s if not s.endswith(".") else s[:-1]
            literal = literal if not literal.startswith(".") else "0" + literal
        elif ("," in s and "." in s) or s.count(",") > 1:
            raise ValidationError(f"{what} “{shown}” không rõ cách viết: {HOW_TO_WRITE}.")
        elif _DOT_DECIMAL.match(s):
            raise ValidationError(
                f"{what} “{shown}” không rõ: {what.lower()} phải là số nguyên; "
                f"nếu là số có hàng nghìn, {HOW_TO_WRITE}."
            )
        else:
            raise ValidationError(f"{what} “{shown}” không phải là số ({HOW_TO_WRITE}).")
        try:
            value = float(Decimal(sign + literal))
        except (InvalidOperation, ValueError):  # pragma: no cover - the patterns prevent it
            raise ValidationError(f"{what} “{shown}” không phải là số.") from None
    if not math.isfinite(value):
        raise ValidationError(f"{what} “{shown}” không phải là số hữu hạn.")
    if abs(value) > MAX_MAGNITUDE:
        raise ValidationError(f"{what} “{shown}” quá lớn.")
    if whole and value != int(value):
        raise ValidationError(
            f"{what} “{shown}” phải là số nguyên (đếm số hồ sơ, thủ tục… không có phần lẻ)."
        )
    return 0.0 if value == 0 else value
