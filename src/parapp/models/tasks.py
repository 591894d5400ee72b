"""Assigned tasks (nhiệm vụ) of an improvement plan: objective -> task -> product, with deadlines.

Plans come from provinces' decisions (seeds 001 and 004): deadlines are free text such as
"Quý III" or "Trước ngày 10/12", parsed to a due date where that is possible.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from parapp.models.errors import ValidationError


class TaskStatus(enum.StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return TASK_STATUS_LABELS[self]

    @classmethod
    def from_label(cls, text: str) -> TaskStatus:
        from parapp.models.text import fold

        key = fold(text)
        if not key:
            return cls.TODO
        for status, label in TASK_STATUS_LABELS.items():
            if key in (status.value, fold(label)):
                return status
        raise ValueError(text)


TASK_STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.TODO: "Chưa thực hiện",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.DONE: "Đã hoàn thành",
    TaskStatus.CANCELLED: "Không thực hiện",
}


@dataclass(frozen=True)
class Task:
    """One row of a plan. ``parent_code`` links a task to its objective, a product to its task."""

    code: str
    title: str
    parent_code: str | None = None
    order: int = 0
    deadline_text: str = ""
    due_date: date | None = None
    lead: str = ""
    coordinators: str = ""
    product: str = ""
    criteria_codes: tuple[str, ...] = ()
    status: TaskStatus = TaskStatus.TODO
    note: str = ""

    def is_overdue(self, today: date) -> bool:
        """Past its due date and unfinished; :meth:`TaskPlan.is_overdue` also minds the period."""
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status in (TaskStatus.TODO, TaskStatus.IN_PROGRESS)
        )


@dataclass(frozen=True)
class TaskPlan:
    """A plan: an id, a name, the year its relative deadlines refer to, and its tasks."""

    id: str
    name: str
    year: int
    decision: str = ""
    tasks: tuple[Task, ...] = field(default_factory=tuple)

    @property
    def period_end(self) -> date:
        """The last day of the plan's own period: the end of its year, or its latest due date.

        A yearly plan may hold a task due in January of the next year or one spanning
        "Giai đoạn 2021-2025"; its period runs until the last of those.
        """
        dues = [t.due_date for t in self.tasks if t.due_date is not None]
        return max([date(self.year, 12, 31), *dues])

    @property
    def closes_on(self) -> date:
        """The last day the plan is still worked on: the end of the quarter after its period.

        A year's report and self-assessment are made in the first quarter of the next year,
        so unfinished tasks stay overdue until then; afterwards the plan is history.
        """
        end = self.period_end
        quarter = (end.month - 1) // 3 + 1
        year, month = (end.year + 1, 3) if quarter == 4 else (end.year, 3 * quarter + 3)
        first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return first_of_next - timedelta(days=1)

    def is_over(self, today: date) -> bool:
        """Whether the plan is past :attr:`closes_on`: it is history, not a to-do list."""
        return today > self.closes_on

    def is_overdue(self, task: Task, today: date) -> bool:
        """Overdue judged against the plan's period: a past plan has nothing overdue.

        A 2024 plan opened in 2026 would otherwise paint every unfinished task red; its
        unfinished tasks are instead :meth:`lapsed` ("hết kỳ kế hoạch").
        """
        return task.is_overdue(today) and not self.is_over(today)

    def lapsed(self, task: Task, today: date) -> bool:
        """Whether ``task`` was left unfinished when the plan's period ended."""
        return self.is_over(today) and task.status in (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


_CODE_SEPARATORS = re.compile(r"[,;\s]+")


def parse_criteria_codes(text: str, known: Iterable[str]) -> tuple[str, ...]:
    """The criteria a task serves, typed as codes separated by commas, semicolons or spaces.

    Codes are checked against ``known`` (the framework's codes) so a typo never links a
    task to nothing; repeated codes are kept once, in the order typed.
    """
    codes = set(known)
    out: list[str] = []
    unknown: list[str] = []
    for raw in _CODE_SEPARATORS.split(text.strip()):
        code = raw.strip().rstrip(".")
        if not code or code in out:
            continue
        (out if code in codes else unknown).append(code)
    if unknown:
        names = ", ".join(f"“{c}”" for c in unknown)
        raise ValidationError([f"Không có tiêu chí {names} trong bộ chỉ số đang dùng."])
    return tuple(out)


def tasks_for_criterion(plan: TaskPlan, code: str) -> list[Task]:
    """The tasks of ``plan`` that serve the criterion ``code``, in plan order."""
    return [t for t in plan.tasks if code in t.criteria_codes]


def task_plan_to_dict(plan: TaskPlan) -> dict[str, Any]:
    """Plain-JSON form of a plan (embedded defaults, storage)."""
    return {
        "id": plan.id,
        "name": plan.name,
        "year": plan.year,
        "decision": plan.decision,
        "tasks": [
            {
                "code": t.code,
                "title": t.title,
                "parent_code": t.parent_code,
                "order": t.order,
                "deadline_text": t.deadline_text,
                "due_date": t.due_date.isoformat() if t.due_date else None,
                "lead": t.lead,
                "coordinators": t.coordinators,
                "product": t.product,
                "criteria_codes": list(t.criteria_codes),
                "status": t.status.value,
                "note": t.note,
            }
            for t in plan.tasks
        ],
    }


def task_plan_from_dict(data: dict[str, Any]) -> TaskPlan:
    """Inverse of :func:`task_plan_to_dict`."""
    return TaskPlan(
        id=data["id"],
        name=data["name"],
        year=int(data["year"]),
        decision=data.get("decision", ""),
        tasks=tuple(
            Task(
                code=t["code"],
                title=t["title"],
                parent_code=t.get("parent_code"),
                order=int(t.get("order", 0)),
                deadline_text=t.get("deadline_text", ""),
                due_date=date.fromisoformat(t["due_date"]) if t.get("due_date") else None,
                lead=t.get("lead", ""),
                coordinators=t.get("coordinators", ""),
                product=t.get("product", ""),
                criteria_codes=tuple(t.get("criteria_codes", ())),
                status=TaskStatus(t.get("status", "todo")),
                note=t.get("note", ""),
            )
            for t in data.get("tasks", [])
        ),
    )
