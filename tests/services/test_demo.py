"""The demo a newcomer first sees is lived-in: half done, with evidence, problems and tasks."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from parapp.models.rollup import ProblemKind
from parapp.models.tasks import TaskStatus
from parapp.services.defaults import open_demo

REPO = Path(__file__).resolve().parents[2]


def test_the_lived_in_demo_has_work_done_and_work_left(tmp_path: Path) -> None:
    ws = open_demo(tmp_path / "demo", lived_in=True)
    try:
        totals = ws.rollup()
        assert 0.4 <= totals.done / totals.leaves <= 0.7
        assert 0 < totals.total_score < totals.assessable_max
        answers = ws.answers()
        with_files = [a for a in answers.values() if a.evidence]
        assert len(with_files) >= 15
        for a in with_files[:3]:
            data = ws.evidence_path(a.evidence[0].sha256).read_bytes()
            assert data.startswith(b"%PDF-")  # real documents that open in a viewer
        kinds = {p.kind for p in totals.problems}
        assert {ProblemKind.NO_EVIDENCE, ProblemKind.NO_EXPLANATION} <= kinds
        assert any(a.explanation for a in answers.values())
        plan = ws.current_plan_id()
        assert plan is not None
        statuses = {t.status for t in ws.tasks.get_plan(plan).tasks}
        assert {TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.TODO} <= statuses
    finally:
        ws.close()


def test_reopening_the_demo_keeps_the_officers_changes(tmp_path: Path) -> None:
    ws = open_demo(tmp_path / "demo", lived_in=True)
    code = next(iter(ws.answers()))
    ws.set_answer(code, explanation="Sửa của cán bộ")
    ws.close()
    ws = open_demo(tmp_path / "demo", lived_in=True)
    try:
        assert ws.answer(code).explanation == "Sửa của cán bộ"
    finally:
        ws.close()


def test_the_demo_documents_are_built_from_their_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_demo_files", REPO / "tools" / "make_demo_files.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    for built in module.build(tmp_path):
        committed = REPO / "resources" / "demo" / built.name
        assert built.read_bytes() == committed.read_bytes(), built.name
