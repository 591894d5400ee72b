"""Two years of the sample framework, as a province reissues it: one item renumbered, one
given other points, one dropped and another put under its code."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RuleKind, ScoringRule
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework

NEW_2_1 = "Số sáng kiến cải cách hành chính được công nhận"


def next_year(fw_id: str = "mau-2027") -> Framework:
    """``mau-2026`` reissued for 2027: 1.1.2 becomes 1.1.5 (same title), 1.2 is worth 3
    points instead of 2 (area 1: 5), and 2.1 is another item under the same code."""
    old = sample_framework()
    criteria: list[Criterion] = []
    for c in old.criteria:
        if c.code == "1":
            c = replace(c, max_points=5)
        elif c.code == "1.1.2":
            c = replace(c, code="1.1.5")
        elif c.code == "1.2":
            c = replace(c, max_points=3)
        elif c.code == "2.1":
            c = replace(c, title=NEW_2_1, rule=ScoringRule(RuleKind.MANUAL))
        criteria.append(c)
    return replace(old, id=fw_id, name="Bộ chỉ số mẫu 2027", year=2027, criteria=tuple(criteria))


def fill_2026(ws: Workspace, tmp_path: Path) -> dict[str, Path]:
    """Answers and two scans in the 2026 assessment of ``setup_ws`` (1.1.1, 1.1.2, 1.2, 2.1)."""
    scans = {}
    for name, body in (("qd-ke-hoach.pdf", b"%PDF-1.4 ke hoach"), ("bao-cao.pdf", b"%PDF bc")):
        scans[name] = tmp_path / name
        scans[name].write_bytes(body)
    ws.set_answer("1.1.1", value=1.0, explanation="Đã ban hành Quyết định 12/QĐ-UBND.")
    ws.add_evidence("1.1.1", scans["qd-ke-hoach.pdf"], ref="12/QĐ-UBND")
    ws.set_answer("1.1.2", numerator=18, denominator=20)  # 90 % → 0,5
    ws.add_evidence("1.1.2", scans["bao-cao.pdf"])
    ws.set_answer("1.2", self_score=1.5, explanation="Thiếu một chuyên mục.")
    ws.add_evidence("1.2", scans["bao-cao.pdf"])
    ws.set_answer("2.1", numerator=99, denominator=100)
    return scans
