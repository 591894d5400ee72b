"""A plan's own period decides what is overdue: a past plan shows history, not red rows."""

from __future__ import annotations

from datetime import date

import pytest

from parapp.models.tasks import Task, TaskPlan, TaskStatus

PLAN = TaskPlan(
    id="kh-2024",
    name="Kế hoạch CCHC năm 2024",
    year=2024,
    tasks=(
        Task("1", "Rà soát TTHC", deadline_text="Quý II", due_date=date(2024, 6, 30)),
        Task("2", "Báo cáo năm", due_date=date(2025, 1, 15), status=TaskStatus.IN_PROGRESS),
        Task("3", "Đã xong", due_date=date(2024, 3, 31), status=TaskStatus.DONE),
        Task("4", "Thường xuyên", deadline_text="Thường xuyên"),
    ),
)


def test_period_end_is_the_year_or_the_latest_due_date() -> None:
    assert PLAN.period_end == date(2025, 1, 15)
    assert TaskPlan(id="x", name="x", year=2024).period_end == date(2024, 12, 31)


def test_the_plan_closes_a_quarter_after_its_period() -> None:
    assert PLAN.closes_on == date(2025, 6, 30)  # 15/01/2025, then the following quarter
    assert TaskPlan(id="x", name="x", year=2024).closes_on == date(2025, 3, 31)
    assert TaskPlan(
        id="x", name="x", year=2024, tasks=(Task("1", "a", due_date=date(2025, 5, 2)),)
    ).closes_on == date(2025, 9, 30)


def test_overdue_inside_the_period() -> None:
    today = date(2024, 9, 1)
    assert not PLAN.is_over(today)
    assert [t.code for t in PLAN.tasks if PLAN.is_overdue(t, today)] == ["1"]
    assert not any(PLAN.lapsed(t, today) for t in PLAN.tasks)
    # the year's report is made early next year: still overdue, not yet history
    assert [t.code for t in PLAN.tasks if PLAN.is_overdue(t, date(2025, 4, 30))] == ["1", "2"]


def test_a_past_plan_has_nothing_overdue_and_its_unfinished_tasks_lapsed() -> None:
    today = date(2026, 3, 1)
    assert PLAN.is_over(today)
    assert PLAN.tasks[0].is_overdue(today)  # the task alone does not know its plan
    assert not any(PLAN.is_overdue(t, today) for t in PLAN.tasks)
    assert [t.code for t in PLAN.tasks if PLAN.lapsed(t, today)] == ["1", "2", "4"]


def test_criteria_codes_typed_by_an_officer() -> None:
    from parapp.models.errors import ValidationError
    from parapp.models.tasks import parse_criteria_codes

    known = {"1.1", "3.2.1", "5"}
    assert parse_criteria_codes(" 1.1, 3.2.1;5  1.1. ", known) == ("1.1", "3.2.1", "5")
    assert parse_criteria_codes("", known) == ()
    with pytest.raises(ValidationError) as err:
        parse_criteria_codes("1.1, 9.9, 8", known)
    assert str(err.value) == "Không có tiêu chí “9.9”, “8” trong bộ chỉ số đang dùng."


def test_tasks_for_criterion() -> None:
    from dataclasses import replace

    from parapp.models.tasks import tasks_for_criterion

    plan = replace(
        PLAN,
        tasks=(
            replace(PLAN.tasks[0], criteria_codes=("3.1", "3.2")),
            replace(PLAN.tasks[1], criteria_codes=("3.2",)),
            PLAN.tasks[2],
        ),
    )
    assert [t.code for t in tasks_for_criterion(plan, "3.2")] == ["1", "2"]
    assert tasks_for_criterion(plan, "9") == []
