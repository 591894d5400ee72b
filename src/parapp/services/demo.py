"""A lived-in demo: a self-assessment half done, as a newcomer should first see the app.

An empty form (0 of 69 items) shows nothing of what ParApp does. ``fill_demo`` answers about
half the items the way a commune officer would mid-year — full marks with evidence, a few
points short with an explanation, some short without one, some with no evidence yet —
and moves a few tasks along, so the tree's icons, the problems list, the grid, the summary
and the tasks all have something to show. Deterministic: the same demo every time.
"""

from __future__ import annotations

from dataclasses import dataclass

from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion
from parapp.models.scoring import RuleKind
from parapp.models.tasks import TaskStatus
from parapp.resources import resource
from parapp.services.workspace import Workspace

DEMO_FILES = (
    "quyet-dinh-ke-hoach-cchc.pdf",
    "bao-cao-ket-qua-giai-quyet-tthc.pdf",
    "bien-ban-kiem-tra-cong-vu.pdf",
)
#: (numerator, denominator) of the coverage items, as a real commune's register gives them
RATES = ((1470, 1500), (95, 100), (18, 20), (7, 10))


@dataclass(frozen=True)
class DemoFill:
    answered: int
    with_evidence: int
    tasks_moved: int


def _answer(ws: Workspace, c: Criterion, i: int, variant: int = 0, explain: bool = False) -> bool:
    """Answer one item in the style of item number ``i``; False if its rule has no entry.

    ``variant`` shifts which items fall short, so that the office demo's communes differ."""
    kind = c.rule.kind
    # every fifth answered item is a little short of the maximum; variants add a few more
    short = (i + variant) % 5 == 3 or (variant > 0 and (i * variant) % 11 == 4)
    if kind is RuleKind.MANUAL:
        step = 0.25 if c.max_points >= 0.5 else 0.0
        score = c.max_points - step if short and step else c.max_points
        ws.set_answer(c.code, self_score=score)
    elif kind is RuleKind.YES_NO:
        ws.set_answer(c.code, value=0.0 if short else 1.0)
    elif c.rule.measure == "%" or kind.value == "proportional":
        num, den = RATES[i % len(RATES)]
        ws.set_answer(c.code, numerator=float(num), denominator=float(den))
    elif kind is RuleKind.BANDS:
        ws.set_answer(c.code, value=3.0 if short else 5.0)
    else:
        return False
    if short and (explain or i % 2):  # half of the short ones still owe their explanation
        ws.set_answer(
            c.code,
            explanation="Chưa đạt tối đa do một số hồ sơ phát sinh cuối kỳ chưa kịp xử lý; "
            "đơn vị đã đề ra giải pháp khắc phục trong quý IV.",
        )
    return True


def fill_demo(ws: Workspace, *, variant: int = 0, complete: bool = False) -> DemoFill:
    """Answer about half of the current assessment and move some tasks (idempotent enough:
    meant for a freshly created demo workspace).

    ``complete`` answers every item (a commune ready to submit, for the office demo) and
    ``variant`` makes its answers differ from another commune's."""
    fw = ws.current_framework()
    leaves = [c for c in fw.leaves() if c.rule.kind is not RuleKind.SURVEY]
    answered = linked = 0
    files = [resource("demo", name) for name in DEMO_FILES]
    for i, c in enumerate(leaves):
        if not complete and i % 2 == 1 and i > 6:  # the first items done, then every other
            continue
        try:
            if not _answer(ws, c, i, variant, explain=complete):
                continue
        except ParAppError:
            continue  # a rule this demo does not know how to fill: leave the item open
        answered += 1
        if i % 3 != 2:  # most answered items carry a document, some still miss it
            path = files[i % len(files)]
            ws.add_evidence(c.code, path, ref=f"trang {1 + i % 4}")
            linked += 1
    moved = 0
    plan = ws.current_plan_id()
    if plan is not None:
        tasks = ws.tasks.get_plan(plan).tasks
        for j, task in enumerate(tasks[:12]):
            status = TaskStatus.DONE if j % 3 == 0 else TaskStatus.IN_PROGRESS
            note = "Đã ban hành văn bản." if status is TaskStatus.DONE else "Đang triển khai."
            ws.set_task_status(plan, task.code, status, note)
            moved += 1
    if leaves:
        ws.set_last_item(leaves[0].code)
    return DemoFill(answered, linked, moved)
