"""Choosing, adding and correcting units: catalogue codes bring their names, no placeholders."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from parapp.models.errors import NotFoundError, ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_admin
from parapp.services.workspace import Workspace
from parapp.storage.backup import DB_NAME


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace.open(tmp_path / "ws", backup=False)


def _stored(data_dir: Path) -> dict[str, tuple[str, str, str | None]]:
    conn = sqlite3.connect(data_dir / DB_NAME)
    try:
        rows = conn.execute("SELECT code, name, level, parent_code FROM units").fetchall()
    finally:
        conn.close()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def test_a_catalogue_code_needs_no_name_and_brings_its_parent(ws: Workspace) -> None:
    unit = unit_admin.set_own_unit(ws, unit_admin.resolve_unit("20551"))
    assert unit == Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48", "Thành phố Đà Nẵng")
    assert ws.units.get("48").name == "Thành phố Đà Nẵng"
    added = unit_admin.add_unit(ws, "20557")
    assert (added.name, added.level, added.parent_code) == (
        "Phường Điện Bàn Bắc", UnitLevel.COMMUNE, "48",
    )  # fmt: skip
    # A leading zero lost by a spreadsheet still names the province, not a Hà Nội ward.
    assert unit_admin.add_unit(ws, "4").name == "Tỉnh Cao Bằng"


def test_a_historical_unit_brings_its_district_and_province(ws: Workspace) -> None:
    unit = unit_admin.add_unit(ws, "old-20560")
    assert (unit.name, unit.parent_code) == ("Phường Điện Thắng Bắc", "old-507")
    assert ws.units.get("old-507").name == "Thị xã Điện Bàn"
    assert ws.units.get("old-507").parent_code == "old-49"
    assert ws.units.get("old-49").name == "Tỉnh Quảng Nam"


def test_an_unknown_parent_needs_a_name_no_placeholder(ws: Workspace, tmp_path: Path) -> None:
    own = unit_admin.resolve_unit("H-X1", "Xã Mẫu", "xã", "P01")
    with pytest.raises(NotFoundError) as err:
        unit_admin.set_own_unit(ws, own)
    assert "P01" in str(err.value) and "--parent-name" in str(err.value)
    assert ws.units.all() == [] and ws.own_unit() is None
    unit_admin.set_own_unit(ws, own, parent_name="UBND huyện Mẫu")
    ws.close()
    stored = _stored(tmp_path / "ws")
    assert stored["P01"] == ("UBND huyện Mẫu", "district", None)
    assert stored["H-X1"] == ("Xã Mẫu", "commune", "P01")
    assert not any(name.startswith("P01") for name, _, _ in stored.values())


def test_an_unknown_code_needs_a_name() -> None:
    with pytest.raises(ParAppError, match="--name"):
        unit_admin.resolve_unit("H-DB")
    with pytest.raises(ParAppError, match="Cấp “phố”"):
        unit_admin.resolve_unit("H-DB", "Huyện Mẫu", "phố")


def test_edit_renames_changes_level_and_parent(ws: Workspace, tmp_path: Path) -> None:
    unit_admin.set_own_unit(
        ws, unit_admin.resolve_unit("H-X1", "Xã Mẫu", "xã", "P01"), parent_name="P01"
    )
    # The placeholder of older versions is corrected in place ...
    fixed = unit_admin.edit_unit(ws, "P01", name="UBND huyện Điện Bàn", level="huyện")
    assert (fixed.name, fixed.level) == ("UBND huyện Điện Bàn", UnitLevel.DISTRICT)
    # ... an empty parent means none (this was a FOREIGN KEY traceback) ...
    assert unit_admin.edit_unit(ws, "P01", parent="").parent_code is None
    # ... and a catalogue parent is added with its real name.
    moved = unit_admin.edit_unit(ws, "P01", parent="48")
    assert (moved.parent_code, moved.province) == ("48", "Thành phố Đà Nẵng")
    assert ws.units.get("48").name == "Thành phố Đà Nẵng"
    assert ws.units.get("H-X1").parent_code == "P01"  # children keep their parent
    ws.close()
    stored = _stored(tmp_path / "ws")
    assert stored["P01"] == ("UBND huyện Điện Bàn", "district", "48")


def test_edit_refuses_cycles_unknown_units_and_empty_names(ws: Workspace) -> None:
    unit_admin.add_unit(ws, "D1", name="Huyện Một", level="huyện")
    unit_admin.add_unit(ws, "X1", name="Xã Một", parent="D1")
    with pytest.raises(ParAppError, match="cấp dưới"):
        unit_admin.edit_unit(ws, "D1", parent="X1")
    with pytest.raises(ParAppError, match="chính nó"):
        unit_admin.edit_unit(ws, "D1", parent="D1")
    with pytest.raises(NotFoundError, match="NOPE"):
        unit_admin.edit_unit(ws, "NOPE", name="x")
    with pytest.raises(ParAppError, match="không được để trống"):
        unit_admin.edit_unit(ws, "X1", name="  ")
    with pytest.raises(NotFoundError, match="P9"):
        unit_admin.edit_unit(ws, "X1", parent="P9")
    assert ws.units.get("D1").parent_code is None and ws.units.get("X1").name == "Xã Một"
