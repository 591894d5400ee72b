"""JSON from outside the app (frameworks, bundles, appraisal results, backups), bounded.

``json.loads`` alone accepts ``NaN``, ``Infinity`` and ``1e999`` (which becomes ``inf``),
integers of any length (which SQLite then cannot store) and nesting as deep as the C stack
allows (100 000 levels give a ``RecursionError``, and every recursive walker afterwards
risks one too). :func:`loads` refuses all of these with one Vietnamese sentence naming the
file, so "nan điểm" or a traceback can never come out of a hostile file.
"""

from __future__ import annotations

import json
import math
from typing import Any

from parapp.models.errors import ParAppError

MAX_DEPTH = 64  # ParApp's own documents nest at most ~8 levels
MAX_SAFE_INTEGER = 2**53  # the largest integer every JSON reader (and a REAL column) keeps exactly


class UntrustedJsonError(ParAppError):
    """A JSON text was refused; ``code`` says why (for tests and reports)."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class _Refusal(ValueError):
    def __init__(self, code: str, detail: str) -> None:
        self.code, self.detail = code, detail
        super().__init__(code)


def _no_constant(name: str) -> Any:
    raise _Refusal("not_finite", f"giá trị “{name}” không phải là số hữu hạn")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refusal("not_finite", f"số “{text[:30]}” vượt quá giới hạn")
    return value


def _int(text: str) -> int:
    if len(text) > 20:
        raise _Refusal("number_too_large", f"số nguyên “{text[:20]}…” quá lớn")
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise _Refusal("number_too_large", f"số nguyên “{text[:30]}” quá lớn")
    return value


def depth_of(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def loads(data: str | bytes, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Parse untrusted JSON; raises :class:`UntrustedJsonError` naming ``where``.

    Refused: invalid UTF-8 or JSON, ``NaN``/``Infinity``/overflowing floats, integers
    beyond 2^53, and nesting deeper than ``max_depth``.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as err:
        raise UntrustedJsonError(
            "invalid_json", f"“{where}” không phải văn bản UTF-8 (JSON hợp lệ)."
        ) from err
    try:
        value = json.loads(
            text.removeprefix("\ufeff"),
            parse_constant=_no_constant,
            parse_float=_float,
            parse_int=_int,
        )
    except _Refusal as r:
        raise UntrustedJsonError(r.code, f"“{where}” chứa {r.detail}; tệp bị từ chối.") from None
    except RecursionError:
        raise UntrustedJsonError(
            "too_deep", f"“{where}” lồng nhau quá sâu (quá {max_depth} cấp); tệp bị từ chối."
        ) from None
    except ValueError as err:  # json.JSONDecodeError, int() digit limits
        raise UntrustedJsonError(
            "invalid_json", f"“{where}” không phải JSON hợp lệ ({str(err)[:120]})."
        ) from None
    if depth_of(value) > max_depth:
        raise UntrustedJsonError(
            "too_deep", f"“{where}” lồng nhau quá sâu (quá {max_depth} cấp); tệp bị từ chối."
        )
    return value


def duplicate_codes(items: Any) -> list[str]:
    """Codes that occur more than once in a list of ``{"code": …}`` objects (in order)."""
    seen: set[str] = set()
    repeated: list[str] = []
    for item in items if isinstance(items, list) else []:
        code = item.get("code") if isinstance(item, dict) else None
        if isinstance(code, str):
            if code in seen and code not in repeated:
                repeated.append(code)
            seen.add(code)
    return repeated
