"""Build ParApp's catalogue of administrative units from the official GSO tables.

Inputs (``<repo>/../shared/data/units``, or ``$PARAPP_SHARED/data/units``), both published by
the General Statistics Office (Tổng cục Thống kê) and public facts:

- ``conversion-2025-07-01.csv``: every unit in force since 1 July 2025 (34 provinces, 3,321
  communes) with every pre-2025 commune it was formed from and how;
- ``communes-2025-01-04.csv``: the last list before the reform (63 provinces, 696 districts,
  ~10,000 communes).

Output: ``resources/units/units.json``, one unit per line so that a change of the data shows
up as a readable diff. Same inputs give the same bytes (a test rebuilds and compares).

Keys: units in force keep their bare GSO code (``"48"``, ``"20551"``), as workspaces and
bundles already store them. Pre-2025 units are *historical* and carry the prefix ``old-``
(``"old-49"``, ``"old-503"``, ``"old-20554"``), because the GSO re-used old commune codes for
new, different units (new ward 00004 was formed from old 00004, 00013, 00016 …). The prefix
has no ``:`` so a code can be part of a Windows file name.

Each unit is ``[code, level, kind, name, parent, links, aliases]``:
level ``province``/``district``/``commune``; kind the Vietnamese type (``tỉnh``, ``xã``,
``đặc khu``, ``thị trấn`` …); parent the code of the unit above (``None`` for provinces);
links, for historical units only, the units in force that took them over as
``[code, how, note]`` with how ``"toàn bộ"`` (the whole unit) or ``"một phần"`` (a part) and
note the wording of the conversion table when it says more than "Nhập toàn bộ/một phần";
aliases other spellings of the name found in the tables (searchable).

Decisions about the raw tables (each visible in the code below):
- names are NFC with runs of spaces folded and ends trimmed (the tables have double and
  trailing spaces and line breaks);
- a unit named differently in the two tables keeps the name of the pre-2025 list and gets the
  other spelling as an alias; a new commune spelled two ways keeps the most frequent spelling;
- ``Xa `` at the start of a name is the typo of ``Xã `` (NAME_FIXES); type words are written
  one way ("Thị Xã" -> "Thị xã", TYPE_PREFIXES);
- the type of a pre-2025 commune is read from its name (the "Cấp" column once disagrees);
- a row without an old commune code is either a whole island district turned into a special
  zone (linked from the district) or an area that was no unit (skipped: ``SKIPPED_AREAS``).

Usage: ``python tools/build_units.py [UNITS_DIR] [OUT_FILE]``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from parapp.fileio import atomic_write_bytes
from parapp.models.text import clean, fold

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "resources" / "units" / "units.json"
CONVERSION = "conversion-2025-07-01.csv"
OLD_LIST = "communes-2025-01-04.csv"
OLD = "old-"

#: Typos in names of the tables: (wrong start, right start).
NAME_FIXES = (("Xa ", "Xã "),)
#: Type words written with a capital second word in places ("Thị Xã Mộc Châu").
TYPE_PREFIXES = ("Thành phố ", "Thị xã ", "Thị trấn ", "Đặc khu ")
#: Rows of the conversion table that name an area which was no administrative unit.
SKIPPED_AREAS = ("Khu vực bãi bồi ven biển do huyện Kim Sơn quản lý",)
_CODE_IN_NAME = re.compile(r"^(.*?)\s*\((\d+)\)$")


class UnitsDataError(Exception):
    """An input table no longer has the shape this script was written against."""


def find_units_dir(repo: Path = REPO) -> Path:
    """``$PARAPP_SHARED/data/units``, else ``<repo>/../shared/data/units``."""
    shared = os.environ.get("PARAPP_SHARED")
    base = Path(shared) if shared else repo.parent / "shared"
    return base / "data" / "units"


def _name(text: str) -> str:
    name = clean(text)
    for wrong, right in NAME_FIXES:
        if name.startswith(wrong):
            name = right + name[len(wrong) :]
    for prefix in TYPE_PREFIXES:
        if name.casefold().startswith(prefix.casefold()):
            name = prefix + name[len(prefix) :]
    return name


def _split_coded(cell: str, where: str) -> tuple[str, str]:
    """``"Tỉnh Quảng Nam (49)"`` -> ``("Tỉnh Quảng Nam", "49")``."""
    m = _CODE_IN_NAME.match(clean(cell))
    if not m:
        raise UnitsDataError(f"{where}: no “Name (code)” in {cell!r}")
    return _name(m.group(1)), m.group(2)


def _kind(name: str, kinds: tuple[str, ...], where: str) -> str:
    for k in kinds:
        if fold(name).startswith(fold(k) + " "):
            return k
    raise UnitsDataError(f"{where}: unknown type of unit in {name!r}")


PROVINCE_KINDS = ("tỉnh", "thành phố")
DISTRICT_KINDS = ("quận", "huyện", "thị xã", "thành phố")
COMMUNE_KINDS = ("xã", "phường", "thị trấn", "đặc khu")


def how_merged(note: str) -> str:
    """The conversion table's note -> ``"toàn bộ"`` or ``"một phần"``.

    "Nhập một phần diện tích, toàn bộ dân số" is a part (of the territory); "Giữ nguyên",
    "Đổi tên", "Đổi loại hình" and "Sắp xếp toàn bộ …" are the whole unit.
    """
    folded = fold(note)
    if "mot phan" in folded or "phan con lai" in folded:
        return "một phần"
    return "toàn bộ"


_PLAIN_NOTES = {"nhap toan bo", "nhap mot phan", ""}


def _note(note: str) -> str:
    text = clean(note)
    return "" if fold(text) in _PLAIN_NOTES else text


def _read_csv(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise UnitsDataError(f"missing input table {path}")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def build_units(units_dir: Path) -> list[list[Any]]:
    """All units, current first (provinces, then communes by code), then historical."""
    conversion = _read_csv(units_dir / CONVERSION)
    old_rows = _read_csv(units_dir / OLD_LIST)
    if len(conversion) < 3 or len(old_rows) < 2:
        raise UnitsDataError("input tables are empty")

    # -- the pre-2025 list --------------------------------------------------------------
    old_prov: dict[str, str] = {}
    old_dist: dict[str, tuple[str, str]] = {}  # code -> (name, province code)
    old_comm: dict[str, tuple[str, str, str]] = {}  # code -> (name, kind, district code)
    for i, row in enumerate(old_rows[1:], start=2):
        if len(row) < 7:
            raise UnitsDataError(f"{OLD_LIST} row {i}: {len(row)} columns")
        pname, pcode, dname, dcode, cname, ccode = (clean(c) for c in row[:6])
        old_prov.setdefault(pcode, _name(pname))
        old_dist.setdefault(dcode, (_name(dname), pcode))
        if ccode:
            name = _name(cname)
            # The type is read from the name: the "Cấp" column once says "Xã" for a
            # "Phường 5" (Quận Phú Nhuận).
            kind = _kind(name, COMMUNE_KINDS, f"{OLD_LIST} row {i}")
            old_comm[ccode] = (name, kind, dcode)

    # -- the conversion table -----------------------------------------------------------
    new_prov: dict[str, str] = {}
    new_names: dict[str, Counter[str]] = defaultdict(Counter)
    new_parent: dict[str, str] = {}
    comm_links: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    dist_links: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    aliases: dict[str, set[str]] = defaultdict(set)
    for i, row in enumerate(conversion[2:], start=3):
        where = f"{CONVERSION} row {i}"
        if len(row) < 8:
            raise UnitsDataError(f"{where}: {len(row)} columns")
        if not clean(row[2]):  # a section title: the province's name alone
            continue
        pname, pcode = _split_coded(row[0], where)
        new_prov.setdefault(pcode, pname)
        ncode = clean(row[2])
        new_names[ncode][_name(row[1])] += 1
        new_parent[ncode] = pcode
        old_name, old_code, note = _name(row[3]), clean(row[4]), row[5]
        _, dcode = _split_coded(row[6], where)
        if not old_code:
            if old_name in SKIPPED_AREAS:
                continue
            if fold(note).startswith("sap xep toan bo huyen"):
                dist_links[dcode][ncode] = ("toàn bộ", _note(note))
                continue
            raise UnitsDataError(f"{where}: no old code for {old_name!r}")
        comm_links[old_code][ncode] = (how_merged(note), _note(note))
        if old_code not in old_comm:  # in the conversion table only
            kind = _kind(old_name, COMMUNE_KINDS, where)
            old_comm[old_code] = (old_name, kind, dcode)
            if dcode not in old_dist:
                raise UnitsDataError(f"{where}: unknown old district {dcode}")
        elif fold(old_name) != fold(old_comm[old_code][0]):
            aliases[OLD + old_code].add(old_name)

    units: list[list[Any]] = []
    # -- current units ------------------------------------------------------------------
    for pcode in sorted(new_prov):
        name = new_prov[pcode]
        units.append([pcode, "province", _kind(name, PROVINCE_KINDS, pcode), name, None, [], []])
    for ncode in sorted(new_names):
        counts = new_names[ncode]
        name = max(counts, key=lambda n: (counts[n], -list(counts).index(n)))
        others = sorted({n for n in counts if fold(n) != fold(name)})
        kind = _kind(name, COMMUNE_KINDS, ncode)
        units.append([ncode, "commune", kind, name, new_parent[ncode], [], others])

    # -- historical units ---------------------------------------------------------------
    # A district's or province's successors are the new units its communes went to.
    prov_links: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    by_dist: dict[str, list[str]] = defaultdict(list)
    for ccode, (_, _, dcode) in old_comm.items():
        by_dist[dcode].append(ccode)
    for dcode in old_dist:
        targets: dict[str, str] = {}
        for ccode in by_dist[dcode]:
            for ncode, (how, _) in comm_links[ccode].items():
                whole = how == "toàn bộ" and targets.get(ncode, "toàn bộ") == "toàn bộ"
                targets[ncode] = "toàn bộ" if whole else "một phần"
        for ncode in targets:
            whole_here = len(targets) == 1 and targets[ncode] == "toàn bộ"
            dist_links[dcode].setdefault(ncode, ("toàn bộ" if whole_here else "một phần", ""))
        for ncode in dist_links[dcode]:
            pcode = new_parent[ncode]
            prov_links[old_dist[dcode][1]].setdefault(pcode, ("toàn bộ", ""))
    for ocode, targets_p in prov_links.items():
        if len(targets_p) > 1:
            prov_links[ocode] = {p: ("một phần", "") for p in targets_p}

    def links(table: dict[str, tuple[str, str]]) -> list[list[str]]:
        return [[n, *table[n]] for n in sorted(table)]

    for pcode in sorted(old_prov):
        name = old_prov[pcode]
        kind = _kind(name, PROVINCE_KINDS, pcode)
        units.append([OLD + pcode, "province", kind, name, None, links(prov_links[pcode]), []])
    for dcode in sorted(old_dist):
        name, pcode = old_dist[dcode]
        kind = _kind(name, DISTRICT_KINDS, dcode)
        row = [OLD + dcode, "district", kind, name, OLD + pcode, links(dist_links[dcode]), []]
        units.append(row)
    for ccode in sorted(old_comm):
        name, kind, dcode = old_comm[ccode]
        code = OLD + ccode
        units.append(
            [code, "commune", kind, name, OLD + dcode, links(comm_links[ccode]),
             sorted(aliases[code])]
        )  # fmt: skip
    return units


def render(units: list[list[Any]]) -> bytes:
    """The JSON document, one unit per line (stable bytes, readable diffs)."""
    header = {
        "format": "parapp-units/1",
        "source": "Tổng cục Thống kê (GSO): bảng chuyển đổi đơn vị hành chính từ 01/07/2025 "
        "và danh mục đơn vị hành chính ngày 04/01/2025",
        "current_from": "2025-07-01",
        "historical_until": "2025-06-30",
        "historical_prefix": OLD,
        "columns": ["code", "level", "kind", "name", "parent", "links", "aliases"],
    }
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":"))[:-1]
    lines = [json.dumps(u, ensure_ascii=False, separators=(",", ":")) for u in units]
    return (head + ',"units":[\n' + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def build(units_dir: Path, out: Path) -> Path:
    data = render(build_units(units_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, data)
    return out


def main(argv: list[str]) -> int:
    units_dir = Path(argv[1]) if len(argv) > 1 else find_units_dir()
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    try:
        path = build(units_dir, out)
    except UnitsDataError as e:
        print(f"build_units: {e}", file=sys.stderr)
        return 1
    print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
