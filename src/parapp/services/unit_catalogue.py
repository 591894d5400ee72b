"""The official catalogue of administrative units after 1 July 2025 (34 provinces, ~3,300 communes).

Data comes from the maintained ``vietnam-provinces`` package (GSO codes), not a hand-typed
list. Codes are zero-padded as the GSO writes them: provinces 2 digits, communes 5 digits.
Search is accent-insensitive, so "dien ban" finds "Điện Bàn".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from parapp.models.text import fold, matches, nfc
from parapp.models.units import Unit, UnitLevel


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    kind: str  # "tỉnh", "thành phố", "xã", "phường", "đặc khu"
    province_code: str
    province_name: str

    @property
    def level(self) -> UnitLevel:
        return UnitLevel.PROVINCE if self.code == self.province_code else UnitLevel.COMMUNE

    def to_unit(self) -> Unit:
        parent = None if self.level is UnitLevel.PROVINCE else self.province_code
        return Unit(self.code, self.name, self.level, parent, self.province_name)

    @property
    def display(self) -> str:
        if self.level is UnitLevel.PROVINCE:
            return f"{self.name} — mã {self.code}"
        return f"{self.name}, {self.province_name} — mã {self.code}"


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[CatalogueEntry, str], ...]:
    import vietnam_provinces

    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    out: list[tuple[CatalogueEntry, str]] = []
    for p in data:
        pcode = f"{int(p['code']):02d}"
        pname = nfc(p["name"])
        entry = CatalogueEntry(pcode, pname, nfc(p["division_type"]), pcode, pname)
        out.append((entry, fold(pname)))
        for w in p["wards"]:
            wname = nfc(w["name"])
            e = CatalogueEntry(
                f"{int(w['code']):05d}", wname, nfc(w["division_type"]), pcode, pname
            )
            out.append((e, fold(f"{wname} {pname}")))
    return tuple(out)


def data_version() -> str:
    import vietnam_provinces

    return str(vietnam_provinces.__data_version__)


def provinces() -> list[CatalogueEntry]:
    return [e for e, _ in _entries() if e.level is UnitLevel.PROVINCE]


def communes(province_code: str) -> list[CatalogueEntry]:
    return [
        e
        for e, _ in _entries()
        if e.province_code == province_code and e.level is UnitLevel.COMMUNE
    ]


def lookup(code: str) -> CatalogueEntry | None:
    code = code.strip()
    for e, _ in _entries():
        if e.code == code or (code.isdigit() and e.code.lstrip("0") == code.lstrip("0")):
            return e
    return None


def search(text: str, province_code: str | None = None, limit: int = 50) -> list[CatalogueEntry]:
    """Units whose name (or code) matches every word of ``text``, best matches first.

    Ranking: exact code, then names starting with the query (after the "Xã"/"Phường"
    prefix), then the rest in catalogue order.
    """
    query = fold(text)
    if not query:
        return []
    hits: list[tuple[int, int, CatalogueEntry]] = []
    for i, (e, folded) in enumerate(_entries()):
        if province_code and e.province_code != province_code:
            continue
        if query.isdigit():
            if e.code == query or e.code.lstrip("0") == query.lstrip("0"):
                hits.append((0, i, e))
            continue
        if not matches(query, folded):
            continue
        short = fold(e.name)
        for prefix in ("xa ", "phuong ", "dac khu ", "thanh pho ", "tinh "):
            short = short.removeprefix(prefix)
        if short == query:
            rank = 1
        elif short.startswith(query):
            rank = 2
        else:
            rank = 3
        hits.append((rank, i, e))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [e for _, _, e in hits[:limit]]
