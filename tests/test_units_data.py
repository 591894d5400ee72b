"""The committed unit catalogue (resources/units/units.json) and its reproducible build.

The file is derived from the GSO tables by tools/build_units.py; rebuilding from the tables
(``$PARAPP_SHARED/data/units``, else ``<repo>/../shared/data/units``) must give the same bytes.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "resources" / "units" / "units.json"


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_units", REPO / "tools" / "build_units.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _units_dir() -> Path:
    path: Path = _build_module().find_units_dir(REPO)
    assert path.is_dir(), (
        f"The GSO tables are needed to check the unit catalogue but {path} does not exist. "
        "Clone the shared data next to the repository (../shared) or set PARAPP_SHARED."
    )
    return path


def _units() -> list[list[object]]:
    units: list[list[object]] = json.loads(DATA.read_text(encoding="utf-8"))["units"]
    return units


def test_rebuilding_from_the_gso_tables_gives_the_committed_file(tmp_path: Path) -> None:
    out = _build_module().build(_units_dir(), tmp_path / "units.json")
    assert out.read_bytes() == DATA.read_bytes()


def test_34_provinces_and_3321_communes_in_force() -> None:
    current = [u for u in _units() if not str(u[0]).startswith("old-")]
    assert sum(u[1] == "province" for u in current) == 34
    assert sum(u[1] == "commune" for u in current) == 3321
    assert {u[2] for u in current if u[1] == "commune"} == {"xã", "phường", "đặc khu"}


def test_every_pre_2025_unit_is_historical_under_its_own_key() -> None:
    units = _units()
    codes = [str(u[0]) for u in units]
    assert len(codes) == len(set(codes))
    old = [u for u in units if str(u[0]).startswith("old-")]
    assert sum(u[1] == "province" for u in old) == 63
    assert sum(u[1] == "district" for u in old) == 696
    with (_units_dir() / "communes-2025-01-04.csv").open(encoding="utf-8") as f:
        listed = {row["Mã PX"] for row in csv.DictReader(f) if row["Mã PX"]}
    old_communes = {str(u[0]).removeprefix("old-") for u in old if u[1] == "commune"}
    assert listed <= old_communes
    # Every old unit went somewhere, and only to units in force.
    current = set(codes) - {str(u[0]) for u in old}
    for u in old:
        links = u[5]
        assert isinstance(links, list)
        if u[1] == "commune" and str(u[0]).removeprefix("old-") not in listed:
            assert links, u  # known from the conversion table only
        for code, how, _note in links:
            assert code in current and how in ("toàn bộ", "một phần"), u


def test_names_are_clean() -> None:
    for u in _units():
        for text in [u[3], *u[6]]:  # type: ignore[misc]
            assert isinstance(text, str)
            assert unicodedata.normalize("NFC", text) == text
            assert text == text.strip() and "  " not in text and "\n" not in text, text


def test_no_gpl_catalogue_package_is_used_or_shipped() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    spec = (REPO / "installer" / "parapp.spec").read_text(encoding="utf-8")
    assert "vietnam-provinces" not in pyproject and "vietnam_provinces" not in spec
    for path in (REPO / "src").rglob("*.py"):
        assert "vietnam_provinces" not in path.read_text(encoding="utf-8"), path
    assert 'license = "MIT"' in pyproject
