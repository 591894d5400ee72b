"""An office at real scale: N child units that have all sent a signed bundle, over a framework
of any size (``synthetic_framework`` for 100 items). Built through the interchange layer and
imported through the real inbox: 200 units take about three seconds."""

from __future__ import annotations

from pathlib import Path

from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
from parapp.models.assessment import Answer
from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RuleKind, ScoringRule
from parapp.models.units import Unit, UnitLevel
from parapp.services.office.inbox import import_bundles
from parapp.services.workspace import Workspace


def synthetic_framework(areas: int = 10, per_area: int = 10) -> Framework:
    """``areas`` × ``per_area`` manual items of 1 point (100 items by default)."""
    criteria: list[Criterion] = []
    order = 0
    for a in range(1, areas + 1):
        criteria.append(Criterion(str(a), f"Lĩnh vực {a}", float(per_area), None, order))
        order += 1
        for i in range(1, per_area + 1):
            criteria.append(
                Criterion(f"{a}.{i}", f"Tiêu chí {a}.{i}", 1.0, str(a), order,
                          ScoringRule(RuleKind.MANUAL))
            )  # fmt: skip
            order += 1
    return Framework(id=f"tong-hop-{areas * per_area}", name="Bộ chỉ số thử quy mô", year=2026,
                     score_step=0.25, criteria=tuple(criteria))  # fmt: skip


def build_office(root: Path, units: int, fw: Framework) -> Workspace:
    """A district office with ``units`` communes, each having sent revision 1."""
    ws = Workspace.open(root / "office", backup=False)
    ws.save_framework(fw)
    ws.set_own_unit(
        Unit("D1", "Huyện Mẫu", UnitLevel.DISTRICT, "P1"), Unit("P1", "Tỉnh", UnitLevel.PROVINCE)
    )
    folder = root / "nop"
    folder.mkdir()
    kp = keys.generate_keypair()
    leaves = list(fw.leaves())
    for n in range(units):
        code, name = f"X{n:03d}", f"Xã Số {n + 1}"
        ws.add_unit(Unit(code, name, UnitLevel.COMMUNE, "D1"))
        info = BundleInfo(
            code, name, "commune", "D1", fw.id, fw.content_hash, "2026", 1,
            "2026-01-05T08:00:00Z", "test", "Trần Văn An", "Chủ tịch",
        )  # fmt: skip
        answers = [
            Answer(c.code, self_score=float((n + i) % 5) / 4 * c.max_points)
            for i, c in enumerate(leaves)
        ]
        doc = make_assessment_doc(info, fw, answers)
        write_bundle(folder / f"hoso-{code}.zip", info, doc, [], kp)
    report = import_bundles(ws, [folder])
    assert all(e.accepted for e in report.entries), [e.reason for e in report.entries][:3]
    return ws
