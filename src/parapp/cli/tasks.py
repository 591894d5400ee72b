"""``parapp tasks list|import|export``: the assigned task plans (kế hoạch nhiệm vụ)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group
from parapp.models.errors import ParAppError
from parapp.models.tasks import Task, TaskPlan
from parapp.services.importing import write_tasks_file


def _mark(plan: TaskPlan, task: Task, today: date) -> str:
    if plan.is_overdue(task, today):
        return " (QUÁ HẠN)"
    return " (hết kỳ kế hoạch)" if plan.lapsed(task, today) else ""


@click.command("list", cls=Command, help="liệt kê nhiệm vụ")
@click.option("--plan", "plan_id")
@global_options
@pass_settings
def list_tasks(settings: Settings, plan_id: str | None) -> int:
    with open_ws(settings) as ws:
        plan_id = plan_id or ws.current_plan_id()
        if plan_id is None:
            raise ParAppError("Chưa có kế hoạch nhiệm vụ nào. Hãy nhập bằng “parapp tasks import”.")
        plan = ws.tasks.get_plan(plan_id)
    today = date.today()
    rows = [
        {
            "code": t.code,
            "title": t.title,
            "parent_code": t.parent_code,
            "deadline_text": t.deadline_text,
            "due_date": t.due_date,
            "lead": t.lead,
            "status": t.status.value,
            "overdue": plan.is_overdue(t, today),
            "lapsed": plan.lapsed(t, today),
        }
        for t in plan.tasks
    ]
    emit(
        settings,
        {"plan": plan.id, "name": plan.name, "year": plan.year, "tasks": rows},
        lambda: "\n".join(
            [f"{plan.name} ({plan.id})"]
            + [
                f"{t.code:<10} {t.status.label:<16} "
                f"{t.due_date.strftime('%d/%m/%Y') if t.due_date else t.deadline_text[:16]:<16} "
                f"{t.title[:70]}{_mark(plan, t, today)}"
                for t in plan.tasks
            ]
        ),
    )
    return 0


@click.command("import", cls=Command, help="nhập kế hoạch từ Excel/JSON")
@click.argument("file")
@global_options
@pass_settings
def import_tasks(settings: Settings, file: str) -> int:
    with open_ws(settings) as ws:
        plan = ws.import_tasks(Path(file))
    emit(
        settings,
        {"plan": plan.id, "tasks": len(plan.tasks)},
        f"Đã nhập kế hoạch {plan.id}: {len(plan.tasks)} nhiệm vụ.",
    )
    return 0


@click.command("export", cls=Command, help="xuất kế hoạch ra Excel/JSON")
@click.argument("file")
@click.option("--plan", "plan_id")
@global_options
@pass_settings
def export_tasks(settings: Settings, file: str, plan_id: str | None) -> int:
    with open_ws(settings) as ws:
        plan_id = plan_id or ws.current_plan_id()
        if plan_id is None:
            raise ParAppError("Chưa có kế hoạch nhiệm vụ nào để xuất.")
        plan = ws.tasks.get_plan(plan_id)
    write_tasks_file(plan, Path(file))
    emit(settings, {"plan": plan.id, "file": file}, f"Đã xuất kế hoạch {plan.id} ra {file}.")
    return 0


tasks = Group("tasks", help="kế hoạch nhiệm vụ", commands=[list_tasks, import_tasks, export_tasks])
