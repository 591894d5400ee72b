"""``bundle export-office``: every stored child is checked again before the office signs,
missing and provisional units are warned about, and the province's inbox checks every level."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest

from parapp.interchange import keys
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services.office import appraisal, inbox
from parapp.services.office.upward_bundle import export_office_bundle
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework
from tests.services.office.test_inbox_hostile import signed

OFFICE_KP = keys.generate_keypair()


@pytest.fixture
def district(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "district", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"), Unit("P1", "Tỉnh", UnitLevel.PROVINCE)
    )
    for code in ("X1", "X2", "X3"):
        ws.add_unit(Unit(code, f"Xã {code}", UnitLevel.COMMUNE, "D1"))
    for code in ("X1", "X2"):
        entry = inbox.import_bundle(ws, signed(tmp_path / "in" / f"{code}.zip", code, parent="D1"))
        assert entry.accepted, entry.reason
    yield ws  # type: ignore[misc]
    ws.close()


def _stored(ws: Workspace, unit: str) -> Path:
    row = ws.db.conn.execute(
        "SELECT stored_path FROM received_bundles WHERE unit_code = ?", [unit]
    ).fetchone()
    return ws.data_dir / row[0]


def test_export_warns_and_province_accepts(district: Workspace, tmp_path: Path) -> None:
    appraisal.accept_self_scores(district, "X1")
    warnings: list[str] = []
    result = export_office_bundle(
        district, tmp_path / "up.zip", OFFICE_KP, "Lê Văn C", period="2026", warn=warnings.append
    )
    assert any("chưa nộp" in w and "X3" in w for w in warnings), warnings
    assert any("tạm tính" in w and "X2" in w and "X1" not in w for w in warnings), warnings
    with zipfile.ZipFile(result.path) as zf:
        doc = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("assessment.json"))))
    assert doc["extra"]["warnings"] == warnings

    province = Workspace.open(tmp_path / "province", backup=False)
    try:
        province.save_framework(sample_framework())
        province.set_own_unit(Unit("P1", "Tỉnh", UnitLevel.PROVINCE))
        province.add_unit(Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"))
        entry = inbox.import_bundle(province, result.path)
        assert entry.accepted, entry.reason
    finally:
        province.close()


def test_changed_stored_child_is_not_signed(district: Workspace, tmp_path: Path) -> None:
    stored = _stored(district, "X1")
    os.chmod(stored, 0o644)
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ParAppError, match=r"X1.*đã bị thay đổi trên đĩa"):
        export_office_bundle(district, out, OFFICE_KP, "Lê Văn C", period="2026")
    assert not any(out.iterdir())  # nothing signed, nothing half-written


def test_child_changed_with_its_row_is_not_signed(district: Workspace, tmp_path: Path) -> None:
    """Even when the recorded hash was changed too, the full verification catches it."""
    stored = _stored(district, "X2")
    other = signed(tmp_path / "forged" / "x2.zip", "X2", parent="D1", kp=keys.generate_keypair())
    os.chmod(stored, 0o644)
    stored.write_bytes(other.read_bytes())

    digest = hashlib.sha256(other.read_bytes()).hexdigest()
    district.db.conn.execute(
        "UPDATE received_bundles SET file_sha256 = ? WHERE unit_code = 'X2'", [digest]
    )
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ParAppError, match="X2 không còn hợp lệ"):
        export_office_bundle(district, out, OFFICE_KP, "Lê Văn C", period="2026")
    assert not any(out.iterdir())


def test_missing_stored_child_is_not_signed(district: Workspace, tmp_path: Path) -> None:
    stored = _stored(district, "X1")
    os.chmod(stored, 0o644)
    stored.unlink()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ParAppError, match="Mất tệp hồ sơ đã nhận của đơn vị X1"):
        export_office_bundle(district, out, OFFICE_KP, "Lê Văn C", period="2026")
    assert not any(out.iterdir())
