"""The task list of an improvement plan, with status and deadlines, overdue ones highlighted.

Printed for the commune's weekly meeting: the chairman reads down the list and the
highlighted rows tell him at a glance which assigned tasks are late and by how many days.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from parapp.interchange.pdf.docx_story import write_document
from parapp.interchange.pdf.layout import (
    ALERT_FILL,
    ALERT_HEX,
    FRAME_WIDTH,
    GROUP_FILL,
    DocumentInfo,
    Styles,
    appendix_heading,
    format_date,
    grid_table,
    keep_with_next,
    make_styles,
    markup,
    para,
    rich,
)
from parapp.models.print_data import DocumentHeader
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.models.text import nfc

#: A task due within this many days is flagged as "due soon".
DUE_SOON_DAYS = 7


def render_tasks(plan: TaskPlan, header: DocumentHeader, out: Path, today: datetime.date) -> None:
    """Write the task list of ``plan`` as it stands on ``today`` to ``out``."""
    styles = make_styles()
    story: list[Flowable] = []
    # An appendix of the report (Nghị định 30, Phụ lục I, mục II.10): no heading of its
    # own, a label and the reference of the document it belongs to.
    story += appendix_heading(
        "Phụ lục",
        f"DANH SÁCH NHIỆM VỤ {nfc(plan.name).upper()}",
        header,
        "Báo cáo",
        styles,
    )
    story.append(para(f"(Tình hình thực hiện đến ngày {format_date(today)})", styles.subtitle))
    story.append(Spacer(1, 2 * mm))
    if nfc(plan.decision):
        story.append(para(f"Căn cứ: {plan.decision}.", styles.body_plain))
    story.append(_summary(plan, today, styles))
    story.append(Spacer(1, 3 * mm))
    story.append(_tasks_table(plan, today, styles))
    info = DocumentInfo(
        title=f"Danh sách nhiệm vụ - {nfc(plan.name)}",
        author=" ".join(nfc(header.issuer).split()),
        subject=nfc(plan.name),
    )
    write_document(out, story, info)


def _work_items(plan: TaskPlan) -> tuple[list[Task], set[str]]:
    """Tasks in display order, and the codes that are groups (have children)."""
    parents = {t.parent_code for t in plan.tasks if t.parent_code}
    ordered = sorted(enumerate(plan.tasks), key=lambda it: (it[1].order, it[0]))
    return [t for _, t in ordered], parents


def _summary(plan: TaskPlan, today: datetime.date, styles: Styles) -> Flowable:
    tasks, groups = _work_items(plan)
    work = [t for t in tasks if t.code not in groups]
    counts = Counter(t.status for t in work)
    overdue = sum(plan.is_overdue(t, today) for t in work)
    parts = [f"Tổng số {len(work)} nhiệm vụ"]
    parts += [f"{s.label.lower()}: {counts[s]}" for s in TaskStatus if counts[s]]
    text = markup("; ".join(parts))
    if overdue:
        text += f"; <font color='{ALERT_HEX}'><b>quá hạn: {overdue}</b></font>"
    if plan.is_over(today):
        text += f"; kế hoạch đã hết kỳ ({format_date(plan.period_end)})"
    return rich(text + ".", styles.body)


def _deadline_cell(t: Task, today: datetime.date, styles: Styles) -> list[Flowable]:
    cell: list[Flowable] = []
    if nfc(t.deadline_text):
        cell.append(para(t.deadline_text, styles.cell_center))
    if t.due_date is not None and format_date(t.due_date) != nfc(t.deadline_text):
        cell.append(para(f"({format_date(t.due_date)})", styles.cell_center))
    return cell


def _status_cell(plan: TaskPlan, t: Task, today: datetime.date, styles: Styles) -> list[Flowable]:
    cell: list[Flowable] = [para(t.status.label, styles.cell_center)]
    if plan.lapsed(t, today):
        cell.append(rich("<i>Hết kỳ kế hoạch</i>", styles.cell_center))
    elif plan.is_overdue(t, today) and t.due_date is not None:
        late = (today - t.due_date).days
        cell.append(
            rich(f"<font color='{ALERT_HEX}'><b>Quá hạn {late} ngày</b></font>", styles.cell_center)
        )
    elif (
        t.due_date is not None
        and t.status in (TaskStatus.TODO, TaskStatus.IN_PROGRESS)
        and 0 <= (t.due_date - today).days <= DUE_SOON_DAYS
    ):
        cell.append(rich(f"<i>Còn {(t.due_date - today).days} ngày</i>", styles.cell_center))
    return cell


def _task_cell(t: Task, styles: Styles) -> list[Flowable]:
    cell: list[Flowable] = [para(t.title, styles.cell)]
    if nfc(t.product):
        cell.append(rich(f"<i>Sản phẩm:</i> {markup(t.product)}", styles.cell_small))
    if t.criteria_codes:
        codes = ", ".join(t.criteria_codes)
        cell.append(rich(f"<i>Tiêu chí liên quan:</i> {markup(codes)}", styles.cell_small))
    if nfc(t.note):
        cell.append(rich(f"<i>Ghi chú:</i> {markup(t.note)}", styles.cell_small))
    return cell


def _agencies_cell(t: Task, styles: Styles) -> list[Flowable]:
    cell: list[Flowable] = []
    if nfc(t.lead):
        cell.append(rich(f"<b>Chủ trì:</b> {markup(t.lead)}", styles.cell))
    if nfc(t.coordinators):
        cell.append(rich(f"<i>Phối hợp:</i> {markup(t.coordinators)}", styles.cell_small))
    return cell


def _tasks_table(plan: TaskPlan, today: datetime.date, styles: Styles) -> Flowable:
    tasks, groups = _work_items(plan)
    head = [
        para(h, styles.head)
        for h in ("Mã", "Nhiệm vụ, sản phẩm", "Chủ trì, phối hợp", "Thời hạn", "Tình trạng")
    ]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    group_rows: list[int] = []
    for t in tasks:
        row = len(rows)
        if t.code in groups:
            rows.append([para(t.code, styles.cell_center_bold), para(t.title, styles.cell_bold)])
            rows[-1] += ["", "", ""]
            extra += [
                ("SPAN", (1, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), GROUP_FILL),
            ]
            group_rows.append(row)
            continue
        rows.append(
            [
                para(t.code, styles.cell_center),
                _task_cell(t, styles),
                _agencies_cell(t, styles),
                _deadline_cell(t, today, styles),
                _status_cell(plan, t, today, styles),
            ]
        )
        if plan.is_overdue(t, today):
            extra.append(("BACKGROUND", (0, row), (-1, row), ALERT_FILL))
    widths = [14 * mm, 0.0, 45 * mm, 24 * mm, 25 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    return grid_table(rows, widths, extra=extra + keep_with_next(rows, group_rows, widths))
