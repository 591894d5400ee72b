"""A district office with four communes; three have sent signed bundles (built through the
interchange layer directly, which takes milliseconds instead of a CLI run per commune).

X1 and X2 are enrolled, X3 is not (its bundle arrives "chưa xác minh khóa"), X4 sends
nothing. X1 attaches a scan to item 1.1.1 with a page reference.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, EvidenceFile, make_assessment_doc, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys, unit_keys
from parapp.services.workspace import Workspace
from parapp.ui.session import Session
from tests.models.sample_framework import sample_framework

PASS = "mat-khau-du-dai"
COMMUNES = {"X1": "Xã Một", "X2": "Xã Hai", "X3": "Xã Ba", "X4": "Xã Bốn"}
# self scores: 1.1.1 (max 1), 1.1.2 (1), 1.2 (2), 2.1 (3); 2.2 is a survey item
SCORES = {
    "X1": {"1.1.1": 1.0, "1.1.2": 1.0, "1.2": 2.0, "2.1": 3.0},  # 7
    "X2": {"1.1.1": 1.0, "1.1.2": 0.5, "1.2": 1.5, "2.1": 1.5},  # 4.5
    "X3": {"1.1.1": 0.0, "1.1.2": 1.0, "1.2": 2.0, "2.1": 3.0},  # 6
}
SCAN = b"%PDF-1.4 bien ban " + b"k" * 4000


@dataclass
class Office:
    session: Session
    keypairs: dict[str, KeyPair]
    bundles: dict[str, Path]
    folder: Path
    root: Path

    @property
    def ws(self) -> Workspace:
        return self.session.ws


def make_bundle(
    out: Path,
    unit: str,
    kp: KeyPair,
    scores: dict[str, float],
    revision: int = 1,
    scan: Path | None = None,
) -> Path:
    fw = sample_framework()
    info = BundleInfo(
        unit, COMMUNES[unit], "commune", "D1", fw.id, fw.content_hash, "2026", revision,
        "2026-01-05T08:00:00Z", "test", "Trần Văn An", "Chủ tịch",
    )  # fmt: skip
    evidence: list[EvidenceFile] = []
    links: dict[str, tuple[EvidenceLink, ...]] = {}
    if scan is not None:
        data = scan.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        evidence.append(EvidenceFile(sha, len(data), scan, scan.name))
        links["1.1.1"] = (EvidenceLink(sha, scan.name, len(data), ref="trang 3"),)
    answers = [
        Answer(code, self_score=s, explanation=f"Giải trình {code} của {unit}",
               evidence=links.get(code, ()))
        for code, s in scores.items()
    ]  # fmt: skip
    doc = make_assessment_doc(info, fw, answers)
    path = out / f"hoso-{unit}-2026-r{revision}.zip"
    write_bundle(path, info, doc, evidence, kp)
    return path


@pytest.fixture
def office(tmp_path: Path, qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Office]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    ws = Workspace.open(tmp_path / "office", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"), Unit("P1", "Tỉnh", UnitLevel.PROVINCE)
    )
    for code, name in COMMUNES.items():
        ws.add_unit(Unit(code, name, UnitLevel.COMMUNE, "D1"))
    unit_keys.create_key(ws, PASS)
    folder = tmp_path / "nop"
    folder.mkdir()
    scan = tmp_path / "Biên bản kiểm tra.pdf"
    scan.write_bytes(SCAN)
    kps = {code: keys.generate_keypair() for code in SCORES}
    bundles = {
        code: make_bundle(
            folder, code, kps[code], SCORES[code], scan=scan if code == "X1" else None
        )
        for code in SCORES
    }
    for code in ("X1", "X2"):
        pub = tmp_path / f"{code}.pub"
        keys.write_public_key(kps[code].public, pub)
        trusted_keys.enrol_key_file(ws, code, pub)
    session = Session(ws)
    try:
        yield Office(session, kps, bundles, folder, tmp_path)
    finally:
        session.undo_stack.clear()
        session.deleteLater()
        ws.close()


@pytest.fixture
def imported(office: Office) -> Office:
    """The office after importing the three bundles through the service."""
    from parapp.services.office.inbox import import_bundles

    report = import_bundles(office.ws, [office.folder])
    assert [e.status for e in report.entries] == ["ok", "ok", "unverified_key"]
    return office
