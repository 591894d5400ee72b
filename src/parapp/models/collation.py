"""Vietnamese collation: names sorted as a Vietnamese reader expects.

Code-point order puts "Đông Hà" after "Vĩnh Phúc" (Đ is U+0110) and "Số 10" before "Số 2".
Vietnamese dictionaries order the base letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r
s t u ư v x y, then, for words equal but for tones, no tone < huyền < hỏi < ngã < sắc <
nặng; numbers inside names compare by value. No ICU needed: the rules are small and fixed.
"""

from __future__ import annotations

import re
import unicodedata

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# combining marks: the letter-forming ones (breve, circumflex, horn, stroke) and the tones
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_PARTS = re.compile(r"(\d+)")


def _letters(word: str) -> tuple[list[tuple[int, int]], list[int]]:
    """(base letter rank, 0) per letter, and the tone of each letter, for one text part."""
    bases: list[tuple[int, int]] = []
    tones: list[int] = []
    for ch in word.casefold():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = base
        for mark in marks:
            if mark in _LETTER_MARKS:
                if base == "e" and mark == "\u0302":
                    letter = "ê"
                elif base == "o" and mark == "\u0302":
                    letter = "ô"
                elif base == "u" and mark == "\u031b":
                    letter = "ư"
                else:
                    letter = _LETTER_MARKS[mark]
        if base == "đ":
            letter = "đ"
        tone = max((_TONES.get(m, 0) for m in marks), default=0)
        if letter in _RANK:
            bases.append((0, _RANK[letter]))
        else:  # other characters (digits handled apart, punctuation, Latin letters f j w z)
            bases.append((0 if letter.isalpha() else -1, 100 + ord(letter)))
        tones.append(tone)
    return bases, tones


def vn_sort_key(text: str) -> tuple[object, ...]:
    """A key for ``sorted`` giving Vietnamese dictionary order with numbers by value."""
    primary: list[tuple[int, object]] = []
    secondary: list[int] = []
    for i, part in enumerate(_PARTS.split(unicodedata.normalize("NFC", text).strip())):
        if i % 2:  # a run of digits
            primary.append((1, int(part)))
            continue
        bases, tones = _letters(part)
        primary.extend((2, b) for b in bases)
        secondary.extend(tones)
    return (tuple(primary), tuple(secondary), text)


def vn_sorted(items: list[str]) -> list[str]:
    """``items`` in Vietnamese order (a convenience for plain lists of names)."""
    return sorted(items, key=vn_sort_key)
