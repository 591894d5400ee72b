"""Legacy Vietnamese encodings (TCVN3/ABC and VNI) to Unicode NFC, and back.

Many provincial spreadsheets were typed before Unicode with the ``.VnTime`` (TCVN3) or
``VNI-Times`` fonts. Excel stores those bytes as Windows-1252/Latin-1 characters, so a cell
reads ``"Céng hoµ x· héi"`` (TCVN3) or ``"Coäng hoøa xaõ hoäi"`` (VNI) instead of
``"Cộng hoà xã hội"``. No maintained library converts them, so the tables live here.

Detection must never damage real Unicode text: text with any Vietnamese character outside
Latin-1 is Unicode, and otherwise a conversion is only accepted when it turns words that are
not Vietnamese syllables into words that are.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

TCVN3 = "tcvn3"
VNI = "vni"
_ENCODINGS = (TCVN3, VNI)

# Tone marks as combining characters, in the order the TCVN3 table lists them.
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # none, huyền, hỏi, ngã, sắc, nặng

# TCVN3 (ABC), lower case: for each base vowel its code points with each tone of _TONES.
_TCVN3_VOWELS: dict[str, str] = {
    "a": "a\xb5\xb6\xb7\xb8\xb9",
    "ă": "\xa8\xbb\xbc\xbd\xbe\xc6",
    "â": "\xa9\xc7\xc8\xc9\xca\xcb",
    "e": "e\xcc\xce\xcf\xd0\xd1",
    "ê": "\xaa\xd2\xd3\xd4\xd5\xd6",
    "i": "i\xd7\xd8\xdc\xdd\xde",
    "o": "o\xdf\xe1\xe2\xe3\xe4",
    "ô": "\xab\xe5\xe6\xe7\xe8\xe9",
    "ơ": "\xac\xea\xeb\xec\xed\xee",
    "u": "u\xef\xf1\xf2\xf3\xf4",
    "ư": "\xad\xf5\xf6\xf7\xf8\xf9",
    "y": "y\xfa\xfb\xfc\xfd\xfe",
}
# The only upper-case letters TCVN3 has; toned capitals need the ".VnTimeH" font, which
# draws the lower-case codes as capitals.
_TCVN3_EXTRA = {"đ": "\xae", "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5",
                "Ư": "\xa6", "Đ": "\xa7"}  # fmt: skip


def _compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


def _build_tcvn3() -> dict[str, str]:
    table: dict[str, str] = {}
    for base, codes in _TCVN3_VOWELS.items():
        for tone, code in zip(_TONES, codes, strict=True):
            if code.isascii():
                continue
            table[code] = _compose(base, tone)
    for letter, code in _TCVN3_EXTRA.items():
        table[code] = letter
    return table


# VNI: a vowel is followed by one "mark" character; i, ơ, ư, đ and ỵ have single codes.
# Marks for the plain tones (on a, e, o, u, y, ơ, ư); lower-case form, upper-case form.
_VNI_TONE_MARKS = {"\u0301": ("ù", "Ù"), "\u0300": ("ø", "Ø"), "\u0309": ("û", "Û"),
                   "\u0303": ("õ", "Õ"), "\u0323": ("ï", "Ï")}  # fmt: skip
# Marks that also carry a circumflex (â, ê, ô) or a breve (ă).
_VNI_CIRCUMFLEX = {"": ("â", "Â"), "\u0301": ("á", "Á"), "\u0300": ("à", "À"),
                   "\u0309": ("å", "Å"), "\u0303": ("ã", "Ã"), "\u0323": ("ä", "Ä")}  # fmt: skip
_VNI_BREVE = {"": ("ê", "Ê"), "\u0301": ("é", "É"), "\u0300": ("è", "È"),
              "\u0309": ("ú", "Ú"), "\u0303": ("ü", "Ü"), "\u0323": ("ë", "Ë")}  # fmt: skip
# Single codes: (lower, upper) legacy character -> Vietnamese letter (lower).
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
               "ñ": "đ"}  # fmt: skip
_VNI_SINGLE_UPPER = {"Ô": "Ơ", "Ö": "Ư", "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
                     "Î": "Ỵ", "Ñ": "Đ"}  # fmt: skip


def _build_vni() -> dict[str, str]:
    """Map every VNI sequence (one or two characters) to its Unicode letter."""
    table: dict[str, str] = {}

    def add(seq_lower: str, seq_upper: str, letter: str) -> None:
        table[seq_lower] = letter
        table[seq_upper] = letter.upper()

    for legacy, letter in _VNI_SINGLE.items():
        table[legacy] = letter
    for legacy, letter in _VNI_SINGLE_UPPER.items():
        table[legacy] = letter
    bases = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "ô": "ơ", "ö": "ư"}
    for legacy_base, base in bases.items():
        upper_base = "Ô" if legacy_base == "ô" else "Ö" if legacy_base == "ö" else base.upper()
        for tone, (mark, mark_upper) in _VNI_TONE_MARKS.items():
            letter = _compose(base, tone)
            add(legacy_base + mark, upper_base + mark_upper, letter)
            # Capitalised words sometimes mix an upper-case base with a lower-case mark.
            table.setdefault(upper_base + mark, letter.upper())
    for base in "aeo":
        for tone, (mark, mark_upper) in _VNI_CIRCUMFLEX.items():
            letter = _compose(base + "\u0302", tone)
            add(base + mark, base.upper() + mark_upper, letter)
            table.setdefault(base.upper() + mark, letter.upper())
    for tone, (mark, mark_upper) in _VNI_BREVE.items():
        letter = _compose("a\u0306", tone)
        add("a" + mark, "A" + mark_upper, letter)
        table.setdefault("A" + mark, letter.upper())
    return table


_TCVN3_TO_UNICODE = _build_tcvn3()
_VNI_TO_UNICODE = _build_vni()
_UNICODE_TO_TCVN3 = {v: k for k, v in _TCVN3_TO_UNICODE.items()}
_UNICODE_TO_VNI = {v: k for k, v in _VNI_TO_UNICODE.items() if not (k[0].isupper() and
                   len(k) == 2 and k[1].islower())}  # fmt: skip

_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_VNI_TO_UNICODE, key=len, reverse=True))
)

# -- detection ------------------------------------------------------------------------------
# Characters that only Unicode Vietnamese has (outside Latin-1) or combining marks.
_UNICODE_ONLY = re.compile("[\u0100-\u01ff\u0300-\u036f\u1ea0-\u1ef9]")
_LEGACY_RANGE = re.compile("[\xa0-\xff]")
_TOKEN = re.compile(r"[^\s!-/:-@\[-`{-~\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022]+")
_NUCLEI = [
    "iêu",
    "yêu",
    "oai",
    "oay",
    "oao",
    "oeo",
    "uây",
    "uôi",
    "ươi",
    "ươu",
    "uya",
    "uyê",
    "uyu",
    "ai",
    "ao",
    "au",
    "ay",
    "âu",
    "ây",
    "eo",
    "êu",
    "ia",
    "iê",
    "iu",
    "oa",
    "oă",
    "oe",
    "oi",
    "ôi",
    "ơi",
    "ua",
    "uâ",
    "uê",
    "ui",
    "uô",
    "uơ",
    "uy",
    "ưa",
    "ưi",
    "ưu",
    "ươ",
    "yê",
    "a",
    "ă",
    "â",
    "e",
    "ê",
    "i",
    "o",
    "ô",
    "ơ",
    "u",
    "ư",
    "y",
]
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    f"({'|'.join(_NUCLEI)})"
    r"(ng|nh|ch|[cmnpt])?"
)
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


_VIETNAMESE_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyz" + "".join(_TCVN3_TO_UNICODE.values()).lower()
)


@functools.lru_cache(maxsize=65536)
def _is_syllable(word: str) -> bool:
    """True when ``word`` is shaped like one Vietnamese syllable with at most one tone."""
    word = word.lower()
    if not all(ch in _VIETNAMESE_LETTERS for ch in word):
        return False
    decomposed = unicodedata.normalize("NFD", word)
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(bare) is not None


def _bad_words(text: str) -> int:
    """How many words with non-ASCII letters are not Vietnamese syllables.

    Words with an ASCII digit (codes, dates) are skipped; TCVN3's "ạ" is the byte ``¹``,
    which Python counts as a digit, so only ``0-9`` count here.
    """
    bad = 0
    for token in _TOKEN.findall(text):
        if token.isascii() or any(ch in _ASCII_DIGITS for ch in token):
            continue
        if not _is_syllable(token):
            bad += 1
    return bad


_ASCII_DIGITS = frozenset("0123456789")


def _damaged_words(text: str, converted: str) -> int:
    """Words that already read as Vietnamese syllables (with a mark) and a conversion changes.

    VNI "Chuû trì" converts to "Chủ trì" in VNI and to "Chuỷ trỡ" in TCVN3: both read as
    syllables, but TCVN3 rewrites "trì", which was Vietnamese already. The reading that
    damages fewer good words wins such ties.
    """
    damaged = 0
    for word, new in zip(_TOKEN.findall(text), _TOKEN.findall(converted), strict=False):
        if word != new and not word.isascii() and _is_syllable(word):
            damaged += 1
    return damaged


@dataclass(frozen=True)
class LegacyScore:
    """How one text reads as it is, as TCVN3 and as VNI; scores of a column add up."""

    before: int = 0
    after: tuple[int, int] = (0, 0)  # non-Vietnamese words after converting (TCVN3, VNI)
    damaged: tuple[int, int] = (0, 0)  # good words a conversion changes (TCVN3, VNI)

    def __add__(self, other: LegacyScore) -> LegacyScore:
        return LegacyScore(
            self.before + other.before,
            (self.after[0] + other.after[0], self.after[1] + other.after[1]),
            (self.damaged[0] + other.damaged[0], self.damaged[1] + other.damaged[1]),
        )


def is_candidate(text: str) -> bool:
    """Whether ``text`` may be legacy: Latin-1 accented characters and nothing only Unicode has."""
    return bool(text) and not _UNICODE_ONLY.search(text) and bool(_LEGACY_RANGE.search(text))


def has_unicode_vietnamese(text: str) -> bool:
    """Whether ``text`` has a character only Unicode Vietnamese has (ư, ạ, đ, a combining mark)."""
    return _UNICODE_ONLY.search(text) is not None


@functools.lru_cache(maxsize=8192)
def legacy_score(text: str) -> LegacyScore:
    """The :class:`LegacyScore` of one text; zero for text that cannot be legacy."""
    if not is_candidate(text):
        return LegacyScore()
    converted = [_convert(text, enc) for enc in _ENCODINGS]
    return LegacyScore(
        _bad_words(text),
        (_bad_words(converted[0]), _bad_words(converted[1])),
        (_damaged_words(text, converted[0]), _damaged_words(text, converted[1])),
    )


def choose_encoding(score: LegacyScore) -> str | None:
    """The encoding a (summed) score points to, or ``None`` when the text is not legacy.

    An encoding is chosen only when converting makes strictly fewer non-Vietnamese words;
    between the two, fewer such words win, then fewer damaged words, then TCVN3 (the more
    common one).
    """
    if score.before == 0:
        return None
    best = min(range(len(_ENCODINGS)), key=lambda i: (score.after[i], score.damaged[i], i))
    return _ENCODINGS[best] if score.after[best] < score.before else None


def detect_encoding(texts: Iterable[str]) -> str | None:
    """The legacy encoding a body of text (a column, a sheet) is written in, or ``None``.

    Deciding from all the text at once lets short cells follow their column: "Cã" and
    "Ghi chó" read as Vietnamese on their own, but in a TCVN3 column they are "Có" and
    "Ghi chú".
    """
    total = LegacyScore()
    for text in texts:
        total = total + legacy_score(text)
    return choose_encoding(total)


def looks_legacy(text: str) -> str | None:
    """``"tcvn3"`` or ``"vni"`` when ``text`` reads as that legacy encoding, else ``None``.

    An encoding is chosen only when converting makes strictly fewer non-Vietnamese words,
    so Unicode Vietnamese, English and numbers are left alone.
    """
    return choose_encoding(legacy_score(text))


# -- conversion -----------------------------------------------------------------------------
def _convert(text: str, encoding: str) -> str:
    if encoding == TCVN3:
        converted = "".join(_TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
        letters = [ch for ch in text if ch.isascii() and ch.isalpha()]
        if len(letters) >= 2 and all(ch.isupper() for ch in letters):
            # ".VnTimeH": capitals are typed with the lower-case codes.
            converted = converted.upper()
        return unicodedata.normalize("NFC", converted)
    if encoding == VNI:
        converted = _VNI_PATTERN.sub(lambda m: _VNI_TO_UNICODE[m[0]], text)
        return unicodedata.normalize("NFC", converted)
    raise ValueError(f"bảng mã không hỗ trợ: {encoding}")


def to_unicode(text: str, encoding: str | None = None) -> str:
    """``text`` in Unicode NFC; ``encoding`` ``None`` detects TCVN3/VNI or leaves it as is."""
    if encoding is None:
        encoding = looks_legacy(text)
        if encoding is None:
            return unicodedata.normalize("NFC", text)
    return _convert(text, encoding)


def from_unicode(text: str, encoding: str) -> str:
    """Unicode Vietnamese in a legacy encoding, as Excel shows it (for tests and exports).

    TCVN3 has no toned capitals: they are written with the lower-case code, as the
    ``.VnTimeH`` font expects.
    """
    if encoding == TCVN3:
        out = []
        for ch in unicodedata.normalize("NFC", text):
            if ch in _UNICODE_TO_TCVN3:
                out.append(_UNICODE_TO_TCVN3[ch])
            elif ch.lower() in _UNICODE_TO_TCVN3 and not ch.isascii():
                out.append(_UNICODE_TO_TCVN3[ch.lower()])
            else:
                out.append(ch)
        return "".join(out)
    if encoding == VNI:
        return "".join(_UNICODE_TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    raise ValueError(f"bảng mã không hỗ trợ: {encoding}")
