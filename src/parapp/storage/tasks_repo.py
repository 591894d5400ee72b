"""Task plans and their tasks, with the history of status changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from parapp.models.errors import NotFoundError
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.storage.clock import now_iso
from parapp.storage.database import Database


@dataclass(frozen=True)
class TaskEvent:
    at: str
    status: TaskStatus
    note: str
    evidence_sha256: str | None
    evidence_name: str


def _row_to_task(r: dict[str, object]) -> Task:
    return Task(
        code=str(r["code"]),
        title=str(r["title"]),
        parent_code=str(r["parent_code"]) if r["parent_code"] else None,
        order=int(str(r["ord"])),
        deadline_text=str(r["deadline_text"]),
        due_date=date.fromisoformat(str(r["due_date"])) if r["due_date"] else None,
        lead=str(r["lead"]),
        coordinators=str(r["coordinators"]),
        product=str(r["product"]),
        criteria_codes=tuple(json.loads(str(r["criteria_codes"]))),
        status=TaskStatus(str(r["status"])),
        note=str(r["note"]),
    )


class TasksRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save_plan(self, plan: TaskPlan) -> None:
        """Replace a plan and its tasks (status history of kept tasks is kept)."""
        self.db.execute(
            """INSERT INTO task_plans (id, name, year, decision, imported_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name,
               year=excluded.year, decision=excluded.decision,
               imported_at=excluded.imported_at""",
            [plan.id, plan.name, plan.year, plan.decision, now_iso()],
        )
        codes = [t.code for t in plan.tasks]
        placeholders = ",".join("?" * len(codes)) or "''"
        self.db.execute(
            f"DELETE FROM tasks WHERE plan_id = ? AND code NOT IN ({placeholders})",
            [plan.id, *codes],
        )
        for i, t in enumerate(plan.tasks):
            self.db.execute(
                """INSERT INTO tasks (plan_id, code, title, parent_code, ord, deadline_text,
                       due_date, lead, coordinators, product, criteria_codes, status, note)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(plan_id, code) DO UPDATE SET title=excluded.title,
                   parent_code=excluded.parent_code, ord=excluded.ord,
                   deadline_text=excluded.deadline_text, due_date=excluded.due_date,
                   lead=excluded.lead, coordinators=excluded.coordinators,
                   product=excluded.product, criteria_codes=excluded.criteria_codes,
                   status=excluded.status, note=excluded.note""",
                [
                    plan.id,
                    t.code,
                    t.title,
                    t.parent_code,
                    t.order or i,
                    t.deadline_text,
                    t.due_date.isoformat() if t.due_date else None,
                    t.lead,
                    t.coordinators,
                    t.product,
                    json.dumps(list(t.criteria_codes), ensure_ascii=False),
                    t.status.value,
                    t.note,
                ],
            )

    def plans(self) -> list[dict[str, object]]:
        return list(
            self.db.query(
                "SELECT p.id, p.name, p.year, p.decision, COUNT(t.code) AS tasks "
                "FROM task_plans p LEFT JOIN tasks t ON t.plan_id = p.id "
                "GROUP BY p.id ORDER BY p.year DESC, p.id"
            )
        )

    def get_plan(self, plan_id: str) -> TaskPlan:
        rows = list(self.db.query("SELECT * FROM task_plans WHERE id = ?", [plan_id]))
        if not rows:
            raise NotFoundError(f"Không có kế hoạch mã “{plan_id}”.")
        p = rows[0]
        tasks = tuple(
            _row_to_task(r)
            for r in self.db.query("SELECT * FROM tasks WHERE plan_id = ? ORDER BY ord", [plan_id])
        )
        return TaskPlan(
            str(p["id"]), str(p["name"]), int(str(p["year"])), str(p["decision"]), tasks
        )

    def set_status(
        self,
        plan_id: str,
        code: str,
        status: TaskStatus,
        note: str = "",
        evidence_sha256: str | None = None,
        evidence_name: str = "",
    ) -> None:
        cur = self.db.execute(
            "UPDATE tasks SET status = ?, note = ? WHERE plan_id = ? AND code = ?",
            [status.value, note, plan_id, code],
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"Không có nhiệm vụ “{code}” trong kế hoạch “{plan_id}”.")
        self.db.execute(
            """INSERT INTO task_events (plan_id, code, at, status, note, evidence_sha256,
               evidence_name) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [plan_id, code, now_iso(), status.value, note, evidence_sha256, evidence_name],
        )

    def set_criteria(self, plan_id: str, code: str, criteria: tuple[str, ...]) -> None:
        """Link task ``code`` to the criteria it serves (replacing the previous links)."""
        cur = self.db.execute(
            "UPDATE tasks SET criteria_codes = ? WHERE plan_id = ? AND code = ?",
            [json.dumps(list(criteria), ensure_ascii=False), plan_id, code],
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"Không có nhiệm vụ “{code}” trong kế hoạch “{plan_id}”.")

    def events(self, plan_id: str, code: str) -> list[TaskEvent]:
        return [
            TaskEvent(
                str(r["at"]),
                TaskStatus(str(r["status"])),
                str(r["note"]),
                str(r["evidence_sha256"]) if r["evidence_sha256"] else None,
                str(r["evidence_name"]),
            )
            for r in self.db.query(
                "SELECT * FROM task_events WHERE plan_id = ? AND code = ? ORDER BY id",
                [plan_id, code],
            )
        ]
