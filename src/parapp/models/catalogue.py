"""The catalogue of administrative units, current and historical, with search and lineage.

Pure data and algorithms (no I/O): :mod:`parapp.services.unit_catalogue` loads the rows of
``resources/units/units.json`` (built by ``tools/build_units.py`` from the GSO tables) and
hands them to :class:`Catalogue`.

Keys: units in force since 1 July 2025 keep their bare GSO code ("48", "20551"); units of
before the reform are *historical*, valid until 30/06/2025, under ``old-`` + their GSO code
("old-49", "old-507", "old-20560"), because the GSO re-used old codes for different new units.

Search is accent- and case-insensitive and knows the common other spellings of place names
(Đắk/Đắc/Dak, Lắk/Lăk/Lak, "Daklak", Quý/Quí …) and type prefixes ("tp", "tx", "h.",
"q.", "huyện", "xã", "phường" …), which it reads as a hint about the level instead of a word
of the name. Whole words rank before word prefixes, so "thu duc" gives Thủ Đức before
Thượng Đức.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from parapp.models.text import clean, fold
from parapp.models.units import Unit, UnitLevel

HISTORICAL_PREFIX = "old-"
CURRENT_FROM = "01/07/2025"
HISTORICAL_UNTIL = "30/06/2025"
WHOLE = "toàn bộ"
PART = "một phần"

_LEVELS = {"province": UnitLevel.PROVINCE, "district": UnitLevel.DISTRICT}
_LEVEL_ORDER = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2}


@dataclass(frozen=True)
class Link:
    """One step of lineage: the unit at the other end and how much of it ("toàn bộ"/"một phần")."""

    code: str
    name: str
    how: str
    note: str = ""

    @property
    def display(self) -> str:
        return f"{self.name} ({self.how})"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "how": self.how, "note": self.note}


@dataclass(frozen=True)
class CatalogueEntry:
    """A unit of the catalogue. ``province_*`` is the province it belongs (or belonged) to."""

    code: str
    name: str
    kind: str  # "tỉnh", "thành phố", "xã", "phường", "đặc khu"; historical also "huyện" …
    province_code: str
    province_name: str
    unit_level: UnitLevel = UnitLevel.COMMUNE
    parent_code: str | None = None
    district_name: str = ""
    successors: tuple[Link, ...] = ()
    predecessors: tuple[Link, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def level(self) -> UnitLevel:
        return self.unit_level

    @property
    def historical(self) -> bool:
        return self.code.startswith(HISTORICAL_PREFIX)

    @property
    def valid_until(self) -> str | None:
        """Last day of validity (dd/mm/yyyy) of a historical unit, ``None`` for one in force."""
        return HISTORICAL_UNTIL if self.historical else None

    def to_unit(self) -> Unit:
        return Unit(self.code, self.name, self.level, self.parent_code, self.province_name)

    @property
    def now_part_of(self) -> str:
        """``"nay thuộc Phường Điện Bàn Bắc (toàn bộ)"`` for a historical unit, else ``""``."""
        if not self.successors:
            return ""
        shown = ", ".join(link.display for link in self.successors[:3])
        more = len(self.successors) - 3
        return f"nay thuộc {shown}" + (f" và {more} đơn vị khác" if more > 0 else "")

    @property
    def title(self) -> str:
        """Name, district, province, code ("Phường Điện Bàn, Thành phố Đà Nẵng — mã 20551")."""
        where = [self.name]
        if self.district_name:
            where.append(self.district_name)
        if self.level is not UnitLevel.PROVINCE:
            where.append(self.province_name)
        return f"{', '.join(where)} — mã {self.code}"

    @property
    def display(self) -> str:
        """The title, and for a historical unit its end and the units it now belongs to."""
        text = self.title
        if self.historical:
            text += f" (đến {HISTORICAL_UNTIL}"
            text += f"; {self.now_part_of})" if self.successors else ")"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "level": self.level.value,
            "parent_code": self.parent_code,
            "province_code": self.province_code,
            "province_name": self.province_name,
            "historical": self.historical,
            "valid_until": self.valid_until,
            "successors": [link.to_dict() for link in self.successors],
        }


@dataclass(frozen=True)
class Lineage:
    """Where a unit came from (``predecessors``) and where it went (``successors``)."""

    unit: CatalogueEntry
    predecessors: tuple[Link, ...] = field(default=())
    successors: tuple[Link, ...] = field(default=())

    def lines(self) -> list[str]:
        """The lineage as Vietnamese text, one line each."""
        u = self.unit
        period = f"đến {HISTORICAL_UNTIL}" if u.historical else f"từ {CURRENT_FROM}"
        out = [f"{u.title} ({period})"]
        for heading, links in (
            ("Hình thành từ", self.predecessors),
            ("Nay thuộc", self.successors),
        ):
            if links:
                out.append(f"{heading}:")
                out += [
                    f"  - {link.name} (mã {link.code}): {link.how}"
                    + (f" — {link.note}" if link.note else "")
                    for link in links
                ]
        if len(out) == 1:
            out.append("Không có thay đổi nào được ghi nhận trong bảng chuyển đổi 01/07/2025.")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.to_dict()
            | {"valid_from": None if self.unit.historical else CURRENT_FROM},
            "predecessors": [link.to_dict() for link in self.predecessors],
            "successors": [link.to_dict() for link in self.successors],
        }


# -- spelling ------------------------------------------------------------------------------
_NON_WORD = re.compile(r"[^0-9a-z]+")
_DAK = re.compile(r"^(dak|dac)([a-z]{3,})$")
#: Whole-word spellings: the form on the right is the one compared.
_WORD_FORMS = {"dac": "dak", "lac": "lak", "quy": "qui", "hcm": "ho chi minh"}
_VOWELS = set("aeiou")


@lru_cache(maxsize=8192)
def _canon_word(word: str) -> tuple[str, ...]:
    """One folded word in its compared spelling (may give two words: "daklak")."""
    if word.isdigit():
        return (word.lstrip("0") or "0",)
    m = _DAK.match(word)  # "daklak", "dacnong": written as one word
    if m:
        return ("dak", *_canon_word(m.group(2)))
    word = _WORD_FORMS.get(word, word)
    # "Kỳ"/"Kì", "Lý"/"Lí", "Mỹ"/"Mĩ": a final y after a consonant is written i too.
    if len(word) >= 2 and word.endswith("y") and word[-2] not in _VOWELS:
        word = word[:-1] + "i"
    return tuple(word.split())


@lru_cache(maxsize=16384)
def _folded(syllable: str) -> tuple[str, ...]:
    """A whitespace-free piece of text folded and split at punctuation (cached: names
    repeat the same few thousand syllables)."""
    return tuple(_NON_WORD.sub(" ", fold(syllable)).split())


def _raw_words(text: str) -> list[str]:
    return [w for piece in text.split() for w in _folded(piece)]


def words(text: str) -> list[str]:
    """The comparable words of ``text``: folded, punctuation dropped, spellings unified."""
    return [c for w in _raw_words(text) for c in _canon_word(w)]


#: Type words that may start a query: (folded words, levels they hint at).
_PREFIXES: tuple[tuple[tuple[str, ...], frozenset[UnitLevel]], ...] = tuple(
    (tuple(p.split()), frozenset(levels))
    for p, levels in (
        ("thanh pho", (UnitLevel.PROVINCE, UnitLevel.DISTRICT)),
        ("tp", (UnitLevel.PROVINCE, UnitLevel.DISTRICT)),
        ("tinh", (UnitLevel.PROVINCE,)),
        ("thi xa", (UnitLevel.DISTRICT,)),
        ("tx", (UnitLevel.DISTRICT,)),
        ("huyen", (UnitLevel.DISTRICT,)),
        ("h", (UnitLevel.DISTRICT,)),
        ("quan", (UnitLevel.DISTRICT,)),
        ("q", (UnitLevel.DISTRICT,)),
        ("thi tran", (UnitLevel.COMMUNE,)),
        ("tt", (UnitLevel.COMMUNE,)),
        ("dac khu", (UnitLevel.COMMUNE,)),
        ("xa", (UnitLevel.COMMUNE,)),
        ("x", (UnitLevel.COMMUNE,)),
        ("phuong", (UnitLevel.COMMUNE,)),
        ("p", (UnitLevel.COMMUNE,)),
    )
)
_GLUED = re.compile(r"^(tp|tx|tt|q|p|h|x)(\d+|hcm)$")  # "q1", "p12", "tphcm"


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]
    levels: frozenset[UnitLevel]
    #: every word, the type word included: "quan hoa" is also Huyện *Quan Hóa*.
    full: tuple[str, ...] = ()


def parse_query(text: str) -> Query:
    """Split off a leading type word ("huyện", "tp.", "q1") as a level hint."""
    raw = _raw_words(text)
    if raw:
        m = _GLUED.match(raw[0])
        if m:
            raw = [m.group(1), m.group(2), *raw[1:]]
    full = tuple(c for w in raw for c in _canon_word(w))
    levels: frozenset[UnitLevel] = frozenset()
    for prefix, hint in _PREFIXES:
        if len(raw) > len(prefix) and tuple(raw[: len(prefix)]) == prefix:
            raw, levels = raw[len(prefix) :], hint
            break
    return Query(tuple(c for w in raw for c in _canon_word(w)), levels, full)


def _shape(short: tuple[str, ...], q: tuple[str, ...]) -> int:
    """0: the name (without its type) is the query; 1: it starts with it; 2: otherwise."""
    n = len(q)
    if short == q:
        return 0
    if short[:n] == q or (
        short[: n - 1] == q[:-1] and len(short) >= n and short[n - 1].startswith(q[-1])
    ):
        return 1
    return 2


def _name_words(name: str, kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All words of a name, and those without its type ("Phường Điện Bàn" -> "dien ban")."""
    raw = _raw_words(name)
    type_words = tuple(_raw_words(kind))
    short = raw[len(type_words) :] if tuple(raw[: len(type_words)]) == type_words else raw
    return (
        tuple(c for w in raw for c in _canon_word(w)),
        tuple(c for w in short for c in _canon_word(w)),
    )


def same_place(written: str, catalogue_name: str) -> bool:
    """Whether a name as a unit wrote it ("UBND phường Ba Đình") is the catalogue unit
    ("Phường Ba Đình"): the catalogue name's words, without its type, appear in order."""
    short = " ".join(_name_words(catalogue_name, "")[1])
    for kind in (
        "thanh pho",
        "tinh",
        "thi xa",
        "huyen",
        "quan",
        "thi tran",
        "dak khu",
        "xa",
        "phuong",
    ):
        if short.startswith(kind + " "):
            short = short[len(kind) + 1 :]
            break
    return bool(short) and f" {short} " in f" {' '.join(words(written))} "


# -- the catalogue --------------------------------------------------------------------------
class Catalogue:
    """All units, indexed by code and by the words of their names.

    Entries are made on demand: building 14,000 frozen objects at start-up would cost more
    than the whole search index.
    """

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        raw = [tuple(r) for r in rows]
        self._raw = raw
        self._codes = [str(r[0]) for r in raw]
        self._by_code = {c: i for i, c in enumerate(self._codes)}
        self._levels = [_LEVELS.get(str(r[1]), UnitLevel.COMMUNE) for r in raw]
        self._parents = [self._by_code[str(r[4])] if r[4] else -1 for r in raw]
        self._provinces: list[int] = []
        for i in range(len(raw)):
            p = i
            while self._parents[p] >= 0:
                p = self._parents[p]
            self._provinces.append(p)
        self._preds: dict[int, list[tuple[int, int, str, str]]] = {}
        for i, r in enumerate(raw):
            for code, how, note in r[5]:
                # A new commune lists the old communes (and whole old districts) it came from.
                j = self._by_code[code]
                if self._levels[i] is self._levels[j] or how == WHOLE:
                    self._preds.setdefault(j, []).append(
                        (_LEVEL_ORDER[self._levels[i]], i, how, note)
                    )
        self._entries: list[CatalogueEntry | None] = [None] * len(raw)

        # Search index: per unit its short name and the word sets, and word -> units.
        self._short: list[tuple[str, ...]] = []
        self._names: list[frozenset[str]] = []
        self._context: list[frozenset[str]] = []
        context_cache: dict[tuple[int, int], frozenset[str]] = {}
        postings: dict[str, list[int]] = {}
        for i, r in enumerate(raw):
            all_words, short = _name_words(str(r[3]), str(r[2]))
            name_words = set(all_words)
            for alias in r[6]:
                name_words.update(words(str(alias)))
            parent, province = self._parents[i], self._provinces[i]
            context: frozenset[str] = frozenset()
            if parent >= 0:
                district = parent if self._levels[parent] is UnitLevel.DISTRICT else -1
                key = (district, province)
                if key not in context_cache:
                    text = f"{raw[district][3] if district >= 0 else ''} {raw[province][3]}"
                    context_cache[key] = frozenset(words(text))
                context = context_cache[key]
            self._short.append(short)
            self._names.append(frozenset(name_words))
            self._context.append(context)
            for w in name_words | context:
                postings.setdefault(w, []).append(i)
        self._vocab = sorted(postings)
        self._postings = [postings[w] for w in self._vocab]

    def __len__(self) -> int:
        return len(self._raw)

    def entry(self, i: int) -> CatalogueEntry:
        """The ``i``-th unit of the catalogue (made and kept on first use)."""
        found = self._entries[i]
        if found is not None:
            return found
        r = self._raw[i]
        parent, province = self._parents[i], self._provinces[i]
        district = parent if parent >= 0 and self._levels[parent] is UnitLevel.DISTRICT else -1
        names = self._raw
        preds = sorted(self._preds.get(i, []), key=lambda p: p[0])
        made = CatalogueEntry(
            code=self._codes[i],
            name=str(r[3]),
            kind=str(r[2]),
            province_code=self._codes[province],
            province_name=str(names[province][3]),
            unit_level=self._levels[i],
            parent_code=self._codes[parent] if parent >= 0 else None,
            district_name=str(names[district][3]) if district >= 0 else "",
            successors=tuple(Link(c, str(names[self._by_code[c]][3]), h, n) for c, h, n in r[5]),
            predecessors=tuple(
                Link(self._codes[j], str(names[j][3]), h, n) for _, j, h, n in preds
            ),
            aliases=tuple(str(a) for a in r[6]),
        )
        self._entries[i] = made
        return made

    @property
    def entries(self) -> list[CatalogueEntry]:
        """Every unit: current (provinces, communes), then historical."""
        return [self.entry(i) for i in range(len(self._raw))]

    def units_of(
        self, level: UnitLevel, province_code: str | None = None, *, historical: bool = False
    ) -> list[CatalogueEntry]:
        """Units of one level (optionally of one province), in catalogue order."""
        province = self._by_code.get(province_code, -2) if province_code is not None else None
        return [
            self.entry(i)
            for i in range(len(self._raw))
            if self._levels[i] is level
            and self._codes[i].startswith(HISTORICAL_PREFIX) == historical
            and (province is None or self._provinces[i] == province)
        ]

    # -- by code --------------------------------------------------------------------------
    def lookup(self, code: str, *, historical: bool = False) -> CatalogueEntry | None:
        """The unit with this code. Bare digits are padded the GSO way: up to two digits are a
        province ("4" -> "04"), longer ones a commune ("4" never gives the ward "00004").
        Historical units are found by their ``old-`` code, and by a bare code when
        ``historical`` and no unit in force has it."""
        for key in self._candidate_codes(code, historical=historical):
            i = self._by_code.get(key)
            if i is not None:
                return self.entry(i)
        return None

    def _candidate_codes(self, code: str, *, historical: bool) -> list[str]:
        text = clean(code)
        m = re.fullmatch(r"(?i)old\s*[-:_ ]?\s*(\d+)", text)
        if m:
            return [HISTORICAL_PREFIX + c for c in _padded(m.group(1))]
        if not text.isdigit():
            return [text]
        current = [text.zfill(2)] if len(text) <= 2 else [text.zfill(5)]
        old = [HISTORICAL_PREFIX + c for c in _padded(text)] if historical else []
        return current + old

    def lineage(self, code: str) -> Lineage | None:
        entry = self.lookup(code, historical=True)
        if entry is None:
            return None
        return Lineage(entry, entry.predecessors, entry.successors)

    # -- by name ---------------------------------------------------------------------------
    def _prefixed(self, word: str) -> set[int]:
        lo = bisect.bisect_left(self._vocab, word)
        hi = bisect.bisect_left(self._vocab, word + "\x7f")
        out: set[int] = set()
        for postings in self._postings[lo:hi]:
            out.update(postings)
        return out

    def search(
        self,
        text: str,
        province_code: str | None = None,
        limit: int = 50,
        *,
        historical: bool = True,
    ) -> list[CatalogueEntry]:
        """Units matching every word of ``text`` (or its code), best first.

        Ranking: exact code; the level hinted by a type word ("huyện …"); all words in the
        unit's own name; the name equal to / starting with the query; more whole words;
        units in force before historical ones; higher levels first; catalogue order.
        """
        if not clean(text):
            return []
        codes = self._candidate_codes(text, historical=historical)
        hits = [self.entry(self._by_code[c]) for c in codes if c in self._by_code]
        hits = [e for e in hits if historical or not e.historical]
        if hits or clean(text).isdigit():
            return [e for e in hits if province_code in (None, e.province_code)][:limit]
        query = parse_query(text)
        if not query.words:
            return []
        candidates: set[int] | None = None
        for w in query.words:
            found = self._prefixed(w)
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        assert candidates is not None
        n = len(query.words)
        ranked: list[tuple[int, ...]] = []
        province = self._by_code.get(province_code, -2) if province_code is not None else None
        q = query.words
        for i in candidates:
            if province is not None and self._provinces[i] != province:
                continue
            old = self._codes[i].startswith(HISTORICAL_PREFIX)
            if old and not historical:
                continue
            short, names, context = self._short[i], self._names[i], self._context[i]
            level = self._levels[i]
            whole = sum(w in names or w in context for w in q)
            in_name = sum(any(t.startswith(w) for t in names) for w in q)
            shape = _shape(short, q)
            hinted = not query.levels or level in query.levels
            if query.full != q and _shape(short, query.full) < shape:
                shape, hinted = _shape(short, query.full), True  # the "type word" was a name
            key = (
                0 if hinted else 1,
                n - in_name,
                shape,
                n - whole,
                int(old),
                _LEVEL_ORDER[level],
                i,
            )
            ranked.append(key)
        ranked.sort()
        return [self.entry(k[-1]) for k in ranked[:limit]]


def _padded(digits: str) -> list[str]:
    """The GSO code lengths a bare number can stand for: province 2, district 3, commune 5."""
    return [digits.zfill(n) for n in (2, 3, 5) if len(digits) <= n]
