"""“Xuất kế hoạch ra Excel…” on the tasks tab: the file is the layout the import reads, and
exporting then importing gives back the same tasks, deadlines, statuses and criteria links."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.services.importing import read_tasks_file
from parapp.services.workspace import Workspace
from parapp.ui.commune.tasks_view import TasksView
from parapp.ui.session import Session

PLAN = TaskPlan(
    id="kh-phuong-2027",
    name="Kế hoạch cải cách hành chính năm 2027 của UBND phường Điện Bàn",
    year=2027,
    decision="Quyết định số 9/QĐ-UBND ngày 08/01/2027",
    tasks=(
        Task("I", "Cải cách thể chế"),
        Task(
            "I.1",
            "Rà soát văn bản quy phạm pháp luật do phường ban hành",
            parent_code="I",
            order=1,
            deadline_text="01/3 - 30/6/2027",
            due_date=date(2027, 6, 30),
            lead="Văn phòng HĐND và UBND phường",
            coordinators="Công chức Tư pháp – Hộ tịch",
            product="Báo cáo kết quả rà soát",
            criteria_codes=("1.1.1", "1.2"),
            status=TaskStatus.IN_PROGRESS,
            note="Đã rà soát 12/20 văn bản",
        ),
        Task(
            "I.1.a",
            "Công bố danh mục văn bản hết hiệu lực",
            parent_code="I.1",
            order=2,
            deadline_text="Quý III",
            due_date=date(2027, 9, 30),
            lead="Công chức Tư pháp – Hộ tịch",
            status=TaskStatus.DONE,
        ),
        Task("II", "Cải cách thủ tục hành chính", order=3),
        Task(
            "II.1",
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            parent_code="II",
            order=4,
            deadline_text="Trong năm 2027",
            due_date=date(2027, 12, 31),
            product="Tỷ lệ số hóa ≥ 80%",
            criteria_codes=("2.1",),
        ),
    ),
)


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace) -> TasksView:
    workspace.save_plan(PLAN)
    workspace.settings.set("current_plan", PLAN.id)
    v = TasksView(Session(workspace), today=date(2027, 7, 1))
    qtbot.addWidget(v)
    v.resize(1366, 700)
    v.show()
    return v


def _same_tasks(a: TaskPlan, b: TaskPlan) -> None:
    assert (a.id, a.name, a.year, a.decision) == (b.id, b.name, b.year, b.decision)
    assert [replace(t, order=0) for t in a.tasks] == [replace(t, order=0) for t in b.tasks]


def test_export_then_import_gives_the_same_plan(
    view: TasksView, workspace: Workspace, tmp_path: Path
) -> None:
    assert view.export_button.isEnabled()
    told: list[str] = []
    view.ask_save_path = lambda suggested: tmp_path / "kế hoạch"  # type: ignore[method-assign]
    view.tell = lambda title, text: told.append(text)  # type: ignore[method-assign]
    out = view.export_plan()
    assert out == tmp_path / "kế hoạch.xlsx"
    assert told and "Đã ghi 5 dòng" in told[0]

    # the file as the officer opens it in Excel
    wb = load_workbook(out)
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Nhiệm vụ"]
    rows = list(wb["Nhiệm vụ"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã", "Nhiệm vụ", "Mã cấp trên")
    by_code = {r[0]: r for r in rows[1:]}
    i1 = by_code["I.1"]
    assert i1[2] == "I" and i1[3] == "01/3 - 30/6/2027"
    assert i1[4] == datetime(2027, 6, 30)
    assert i1[8] == "1.1.1, 1.2" and i1[9] == "Đang thực hiện"
    assert by_code["II.1"][8] == "2.1"

    # read back by the importer: the same plan
    _same_tasks(read_tasks_file(out), PLAN)
    # and imported into another workspace through the same path as "Nhập kế hoạch"
    other = Workspace.open(tmp_path / "khac", backup=False)
    try:
        imported = other.import_tasks(out)
        _same_tasks(other.tasks.get_plan(imported.id), PLAN)
    finally:
        other.close()


def test_the_real_demo_plans_round_trip(view: TasksView, tmp_path: Path) -> None:
    assert view.plan_combo.count() == 3  # the demo's two provincial plans and ours
    for i in range(view.plan_combo.count()):
        view.plan_combo.setCurrentIndex(i)
        plan_id = view.plan_id
        assert plan_id is not None
        path = tmp_path / f"{plan_id}.xlsx"
        view.ask_save_path = lambda suggested, p=path: p  # type: ignore[method-assign]
        view.tell = lambda title, text: None  # type: ignore[method-assign]
        assert view.export_plan() == path
        _same_tasks(read_tasks_file(path), view.session.ws.tasks.get_plan(plan_id))


def test_cancel_writes_nothing_and_a_failure_is_said(view: TasksView, tmp_path: Path) -> None:
    view.ask_save_path = lambda suggested: None  # type: ignore[method-assign]
    assert view.export_plan() is None
    assert not list(tmp_path.glob("*.xlsx"))
    blocked = tmp_path / "tep-thuong"
    blocked.write_text("x")
    warned: list[tuple[str, str]] = []
    view.ask_save_path = lambda suggested: blocked / "kh.xlsx"  # type: ignore[method-assign]
    view.warn = lambda title, text: warned.append((title, text))  # type: ignore[method-assign]
    assert view.export_plan() is None
    assert warned and warned[0][0] == "Không xuất được kế hoạch"
    assert warned[0][1].startswith("Không ghi được “kh.xlsx”:")
