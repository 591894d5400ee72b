"""A district office and three real commune workspaces, wired for the appraisal cycle.

Every commune has its own workspace and key, fills in its self-assessment, trusts the
district's key and exports a signed bundle through the submission service; the district
trusts the communes' keys and imports the bundles. Officers are named on both sides so the
audit trail has authors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from parapp.interchange import keys
from parapp.interchange.keys import KeyPair
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys, unit_keys
from parapp.services.commune import submission
from parapp.services.commune.supplement import Supplement, export_supplement
from parapp.services.office import inbox
from parapp.services.office.supplements import import_any
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework

PASS = "mat-khau-du-dai"
DISTRICT = "D1"
COMMUNES = {"X1": "Xã Một", "X2": "Xã Hai", "X3": "Xã Ba"}
#: self scores per commune on 1.1.1 (yes/no), 1.1.2 (percentage), 1.2 (manual), 2.1 (%)
ANSWERS = {
    "X1": {"1.1.1": 1.0, "1.1.2": 100.0, "1.2": 2.0, "2.1": 99.0},
    "X2": {"1.1.1": 1.0, "1.1.2": 85.0, "1.2": 1.5, "2.1": 95.0},
    "X3": {"1.1.1": 0.0, "1.1.2": 100.0, "1.2": 2.0, "2.1": 99.0},
}


@dataclass
class Cycle:
    root: Path
    office: Workspace
    office_key: KeyPair
    communes: dict[str, Workspace]
    commune_keys: dict[str, KeyPair]
    outbox: Path
    inbox_dir: Path
    extra: list[Workspace] = field(default_factory=list)

    def supplement(self, code: str) -> Supplement:
        """The commune sends a supplement (only new evidence); the office completes and
        imports it."""
        sent = export_supplement(
            self.communes[code], self.outbox, self.commune_keys[code], "Trần Văn An"
        )
        entry = import_any(self.office, sent.path)
        assert entry.status == "ok", entry.reason
        return sent

    def submit(self, code: str) -> Path:
        """The commune exports its (next) revision; the office imports it."""
        _rev, result = submission.export_bundle(
            self.communes[code], self.outbox, self.commune_keys[code], "Trần Văn An"
        )
        entry = inbox.import_bundle(self.office, result.path)
        assert entry.status == "ok", entry.reason
        return result.path

    def close(self) -> None:
        for ws in [self.office, *self.communes.values(), *self.extra]:
            ws.close()


def make_office(root: Path, name: str = "office", officer: str = "Lê Thị Hoa") -> Workspace:
    ws = Workspace.open(root / name, backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit(DISTRICT, "Huyện Một", UnitLevel.DISTRICT, "P1"),
        Unit("P1", "Tỉnh", UnitLevel.PROVINCE),
    )
    for code, cname in COMMUNES.items():
        ws.add_unit(Unit(code, cname, UnitLevel.COMMUNE, DISTRICT))
    ws.set_officer(officer, "Chuyên viên Phòng Nội vụ")
    return ws


def make_cycle(root: Path) -> Cycle:
    office = make_office(root)
    unit_keys.create_key(office, PASS)
    office_key = unit_keys.unlock(office, PASS)
    keys.write_public_key(office_key.public, root / "D1.pub")
    outbox = root / "nop"
    outbox.mkdir()
    communes, ckeys = {}, {}
    for code, name in COMMUNES.items():
        ws = Workspace.open(root / code, backup=False)
        ws.save_framework(sample_framework())
        ws.set_own_unit(
            Unit(code, name, UnitLevel.COMMUNE, DISTRICT),
            Unit(DISTRICT, "Huyện Một", UnitLevel.DISTRICT),
        )
        ws.set_officer(f"Cán bộ {name}", "Công chức Văn phòng")
        ws.start_assessment("mau-2026", "2026")
        for item, value in ANSWERS[code].items():
            if item == "1.2":
                ws.set_answer(item, self_score=value, explanation="Đã thực hiện")
            else:
                ws.set_answer(item, value=value, explanation="Đã thực hiện")
        if code == "X2":  # evidence already sent with revision 1
            scan = root / "Biên bản kiểm tra X2.pdf"
            scan.write_bytes(b"%PDF-1.4 bien ban " + b"k" * 3000)
            ws.add_evidence("1.1.1", scan, ref="trang 2")
        unit_keys.create_key(ws, PASS)
        ckeys[code] = unit_keys.unlock(ws, PASS)
        keys.write_public_key(ckeys[code].public, root / f"{code}.pub")
        trusted_keys.enrol_key_file(office, code, root / f"{code}.pub")
        trusted_keys.enrol_key_file(ws, DISTRICT, root / "D1.pub")
        communes[code] = ws
    cycle = Cycle(root, office, office_key, communes, ckeys, outbox, root / "in")
    for code in COMMUNES:
        cycle.submit(code)
    return cycle
