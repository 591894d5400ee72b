"""Hostile appraisal result files at the commune: refused with a reason, nothing changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys
from parapp.services.commune.appraisal_result import import_appraisal
from parapp.services.workspace import Workspace
from tests.interchange.hostile_bundles import read_entries, reseal, write_bag
from tests.models.sample_framework import sample_framework

PARENT = keys.generate_keypair()


@pytest.fixture
def commune(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "xa", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("X1", "Xã Một", UnitLevel.COMMUNE, "D1"), Unit("D1", "Huyện", UnitLevel.DISTRICT)
    )
    keys.write_public_key(PARENT.public, tmp_path / "d1.pub")
    trusted_keys.enrol_key_file(ws, "D1", tmp_path / "d1.pub")
    yield ws  # type: ignore[misc]
    ws.close()


def result_file(out: Path, items: list[dict[str, Any]]) -> Path:
    fw = sample_framework()
    info = BundleInfo("D1", "Huyện", "district", "", fw.id, fw.content_hash, "2026", 1,
                      "2026-02-01T08:00:00Z", "test", "B", "Trưởng phòng", kind="appraisal",
                      extra=(("ParApp-X-Appraised-Unit", "X1"),))  # fmt: skip
    doc = make_assessment_doc(info, fw, [])
    doc["extra"] = {"appraisal": {"unit_code": "X1", "unit_name": "Xã Một", "revision": 1,
                                  "complete": False, "items": items}}  # fmt: skip
    write_bundle(out, info, doc, [], PARENT)
    return out


def _rows(ws: Workspace) -> list[tuple[Any, ...]]:
    return list(ws.db.conn.execute("SELECT code, score FROM appraisal_results ORDER BY code"))


def test_good_result_is_stored(commune: Workspace, tmp_path: Path) -> None:
    import_appraisal(commune, result_file(tmp_path / "ok.zip", [{"code": "1.2", "score": 1.5}]))
    assert _rows(commune) == [("1.2", 1.5)]


def test_duplicate_code_is_refused_and_nothing_changes(commune: Workspace, tmp_path: Path) -> None:
    import_appraisal(commune, result_file(tmp_path / "ok.zip", [{"code": "1.2", "score": 1.5}]))
    items = [{"code": "1.2", "score": 1.0}, {"code": "1.2", "score": 2.0}]
    with pytest.raises(ParAppError, match=r"1\.2 xuất hiện hai lần"):
        import_appraisal(commune, result_file(tmp_path / "dup.zip", items))
    assert _rows(commune) == [("1.2", 1.5)]


def test_huge_integer_is_refused_and_nothing_changes(commune: Workspace, tmp_path: Path) -> None:
    path = result_file(tmp_path / "big.zip", [{"code": "1.2", "score": 1}])
    bag, files = read_entries(path)
    doc = files["data/assessment.json"]
    files["data/assessment.json"] = doc.replace(b'"score": 1', b'"score": 1' + b"0" * 30)
    write_bag(path, bag, reseal(files, PARENT))
    with pytest.raises(ParAppError, match="quá lớn"):
        import_appraisal(commune, path)
    assert _rows(commune) == []
