"""The official catalogue of administrative units: in force since 1 July 2025 (34 provinces,
3,321 communes) and, as historical units valid until 30/06/2025, the 63 provinces, 696
districts and ~10,000 communes before the reform, with the lineage between them.

The data is ``resources/units/units.json``, built by ``tools/build_units.py`` from the tables
of the General Statistics Office (public facts; no third-party package). Codes are the GSO
codes, zero-padded (provinces 2 digits, communes 5); historical units carry ``old-`` before
theirs. Search, spelling and ranking rules: :mod:`parapp.models.catalogue`.
"""

from __future__ import annotations

import json
from functools import lru_cache

from parapp.models.catalogue import (
    Catalogue,
    CatalogueEntry,
    Lineage,
    Link,
)
from parapp.models.errors import ParAppError
from parapp.models.units import UnitLevel
from parapp.resources import resource

__all__ = [
    "CatalogueEntry",
    "Lineage",
    "Link",
    "catalogue",
    "communes",
    "data_version",
    "lineage",
    "lookup",
    "provinces",
    "search",
]

DATA_FORMAT = "parapp-units/1"


@lru_cache(maxsize=1)
def _document() -> dict[str, object]:
    path = resource("units", "units.json")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ParAppError(f"Không đọc được danh mục đơn vị hành chính ({path}): {e}") from e
    if not isinstance(doc, dict) or doc.get("format") != DATA_FORMAT:
        raise ParAppError(f"Danh mục đơn vị hành chính {path} không đúng định dạng.")
    return doc


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue, loaded once per process."""
    units = _document()["units"]
    assert isinstance(units, list)
    return Catalogue(units)


def data_version() -> str:
    """Date (ISO) from which the units in force are valid."""
    return str(_document()["current_from"])


def provinces() -> list[CatalogueEntry]:
    """The 34 provinces in force, by code."""
    return catalogue().units_of(UnitLevel.PROVINCE)


def communes(province_code: str) -> list[CatalogueEntry]:
    """The communes in force of one province, by code."""
    return catalogue().units_of(UnitLevel.COMMUNE, province_code)


def lookup(code: str, *, historical: bool = False) -> CatalogueEntry | None:
    """The unit with this code ("4" and "04" are Cao Bằng, "old-49" is Quảng Nam before 2025)."""
    return catalogue().lookup(code, historical=historical)


def search(
    text: str, province_code: str | None = None, limit: int = 50, *, historical: bool = True
) -> list[CatalogueEntry]:
    """Units whose names (current or historical) match ``text``, best first."""
    return catalogue().search(text, province_code, limit, historical=historical)


def lineage(code: str) -> Lineage:
    """Where a unit came from and where it went; raises :class:`ParAppError` if unknown."""
    found = catalogue().lineage(code)
    if found is None:
        raise ParAppError(f"Mã “{code}” không có trong danh mục đơn vị hành chính.")
    return found
