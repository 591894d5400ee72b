"""The task tab: a three-level plan, filters, overdue highlight, status updates with history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.fileio import atomic_write_bytes
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.services.workspace import Workspace
from parapp.ui.commune.task_status_dialog import StatusUpdate, TaskStatusDialog
from parapp.ui.commune.tasks_model import (
    COL_DUE,
    COL_STATUS,
    COL_TITLE,
    OVERDUE_BACKGROUND,
    OverdueRole,
    TaskFilter,
    TasksModel,
)
from parapp.ui.commune.tasks_view import TasksView
from parapp.ui.session import Session

TODAY = date(2026, 7, 15)

PLAN = TaskPlan(
    id="kh-xa-2026",
    name="Kế hoạch cải cách hành chính năm 2026 của UBND phường Điện Bàn",
    year=2026,
    decision="Quyết định số 15/QĐ-UBND ngày 10/01/2026",
    tasks=(
        Task("1", "Mục tiêu: nâng cao chất lượng giải quyết TTHC"),
        Task(
            "1.1",
            "Rà soát, công khai 100% TTHC trên Cổng dịch vụ công",
            parent_code="1",
            deadline_text="Quý II",
            due_date=date(2026, 6, 30),
            lead="Văn phòng HĐND và UBND phường",
            coordinators="Bộ phận Một cửa",
            product="Báo cáo kết quả rà soát",
            criteria_codes=("3.1", "3.2"),
            status=TaskStatus.IN_PROGRESS,
        ),
        Task(
            "1.1.1",
            "Quyết định công bố danh mục TTHC",
            parent_code="1.1",
            deadline_text="Trước ngày 30/5",
            due_date=date(2026, 5, 30),
            lead="Văn phòng HĐND và UBND phường",
            product="Quyết định của Chủ tịch UBND phường",
            status=TaskStatus.DONE,
        ),
        Task(
            "1.2",
            "Số hóa hồ sơ, kết quả giải quyết TTHC",
            parent_code="1",
            deadline_text="Trong năm 2026",
            due_date=date(2026, 12, 31),
            lead="Phòng Kinh tế, Hạ tầng và Đô thị",
            product="Tỷ lệ số hóa ≥ 80%",
        ),
        Task("2", "Mục tiêu: xây dựng đội ngũ CBCCVC"),
        Task(
            "2.1",
            "Tổ chức bồi dưỡng kỹ năng cho công chức Một cửa",
            parent_code="2",
            deadline_text="Quý I",
            due_date=date(2026, 3, 31),
            lead="Phòng Nội vụ",
            coordinators="Trung tâm Chính trị",
            product="Lớp bồi dưỡng",
            criteria_codes=("5.1",),
        ),
    ),
)


@pytest.fixture
def session(workspace: Workspace) -> Session:
    workspace.save_plan(PLAN)
    workspace.settings.set("current_plan", PLAN.id)
    return Session(workspace)


@pytest.fixture
def view(qtbot: QtBot, session: Session) -> TasksView:
    v = TasksView(session, today=TODAY)
    qtbot.addWidget(v)
    v.resize(1366, 700)
    v.show()
    return v


def test_tree_columns_and_overdue(view: TasksView, qtmodeltester: ModelTester) -> None:
    model = view.model
    qtmodeltester.check(model)
    assert view.plan_id == PLAN.id
    assert model.visible_codes() == ["1", "1.1", "1.1.1", "1.2", "2", "2.1"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Mã",
        "Nhiệm vụ",
        "Tiến độ",
        "Hạn",
        "Chủ trì",
        "Phối hợp",
        "Kết quả/sản phẩm",
        "Trạng thái",
    ]
    objective = model.index(0, 0)
    task = model.index(0, 0, objective)
    product = model.index(0, 0, task)
    assert product.data() == "1.1.1"
    assert model.parent(product) == task
    assert model.index(0, COL_DUE, objective).data() == "30/06/2026"
    assert model.index(0, COL_STATUS, objective).data() == "Đang thực hiện"
    assert model.index(0, COL_STATUS).data() == ""  # a heading has no status of its own

    overdue = model.index(0, COL_TITLE, objective)  # 1.1, due 30/06, still in progress
    assert overdue.data(OverdueRole) is True
    assert overdue.data(Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_BACKGROUND
    assert overdue.data(Qt.ItemDataRole.ToolTipRole).startswith("Quá hạn")
    done = model.index(0, COL_TITLE, task)  # 1.1.1 is done: never overdue
    assert done.data(OverdueRole) is False
    assert done.data(Qt.ItemDataRole.BackgroundRole) is None
    assert "2 quá hạn" in view.count_label.text()


def test_filters(view: TasksView, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    model = view.model
    view.status_combo.setCurrentIndex(view.status_combo.findData(TaskStatus.DONE.value))
    assert model.visible_codes() == ["1", "1.1", "1.1.1"]  # the match keeps its ancestors
    qtmodeltester.check(model)

    view.status_combo.setCurrentIndex(0)
    qtbot.keyClicks(view.lead_edit, "noi vu")  # accent-insensitive
    assert model.visible_codes() == ["2", "2.1"]
    view.lead_edit.clear()

    view.overdue_check.setChecked(True)
    assert model.visible_codes() == ["1", "1.1", "2", "2.1"]
    assert view.count_label.text().startswith("4 / 6 dòng")
    qtmodeltester.check(model)

    view.status_combo.setCurrentIndex(view.status_combo.findData(TaskStatus.TODO.value))
    assert model.visible_codes() == ["2", "2.1"]
    view.overdue_check.setChecked(False)
    view.status_combo.setCurrentIndex(0)
    assert len(model.visible_codes()) == 6


def test_overdue_depends_on_today(session: Session, qtbot: QtBot) -> None:
    model = TasksModel(today=lambda: date(2026, 1, 1))
    model.set_plan(session.ws.tasks.get_plan(PLAN.id))
    model.set_filter(TaskFilter(overdue_only=True))
    assert model.visible_codes() == []
    late_in_year = TasksModel(today=lambda: date(2026, 12, 31))
    late_in_year.set_plan(session.ws.tasks.get_plan(PLAN.id))
    late_in_year.set_filter(TaskFilter(overdue_only=True))
    assert late_in_year.visible_codes() == ["1", "1.1", "2", "2.1"]


def test_a_past_plan_is_not_overdue_but_lapsed(
    session: Session, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    """A 2026 plan viewed in 2028: its period is over, nothing shows red as overdue."""
    later = TasksModel(today=lambda: date(2028, 1, 5))
    later.set_plan(session.ws.tasks.get_plan(PLAN.id))
    qtmodeltester.check(later)
    objective = later.index(0, 0)
    row = later.index(0, COL_TITLE, objective)  # 1.1, due 30/06/2026, in progress
    assert row.data(OverdueRole) is False
    assert row.data(Qt.ItemDataRole.BackgroundRole) is None
    assert later.index(0, COL_STATUS, objective).data() == "Đang thực hiện (hết kỳ kế hoạch)"
    assert "31/12/2026" in later.index(0, COL_STATUS, objective).data(Qt.ItemDataRole.ToolTipRole)
    done = later.index(0, COL_STATUS, later.index(0, 0, objective))  # 1.1.1 is done
    assert done.data() == "Đã hoàn thành"
    assert later.index(0, COL_STATUS).data() == ""  # headings stay blank
    later.set_filter(TaskFilter(overdue_only=True))
    assert later.visible_codes() == []

    view = TasksView(session, today=lambda: date(2028, 1, 5))
    qtbot.addWidget(view)
    assert "quá hạn" not in view.count_label.text()
    assert "Hết kỳ kế hoạch (31/12/2026)" in view.count_label.text()
    assert view.select_task("1.1")
    assert "Hết kỳ kế hoạch" in view.detail.toPlainText()
    assert "Quá hạn" not in view.detail.toPlainText()


def test_detail_links_select_criteria(view: TasksView, qtbot: QtBot) -> None:
    assert not view.update_button.isEnabled()
    assert view.select_task("1.1")
    html = view.detail.toHtml()
    assert "Rà soát, công khai 100% TTHC" in html
    assert "Văn phòng HĐND và UBND phường" in html
    assert "Quá hạn" in html
    assert 'href="item:3.1"' in html and 'href="item:3.2"' in html
    assert "Chưa có lần cập nhật nào." in html
    assert view.update_button.isEnabled()
    with qtbot.waitSignal(view.session.current_item_changed) as blocker:
        view.detail.anchorClicked.emit(QUrl("item:3.2"))
    assert blocker.args == ["3.2"]

    assert view.select_task("1")  # a heading cannot be updated
    assert not view.update_button.isEnabled()


def test_status_update_with_note_and_file(
    view: TasksView, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = session.ws
    proof = tmp_path / "bao-cao-ra-soat.pdf"
    atomic_write_bytes(proof, b"%PDF-1.4 bao cao ra soat TTHC")
    assert view.select_task("1.1")

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, TaskStatusDialog)
        assert dialog.status_combo.currentData() == TaskStatus.IN_PROGRESS.value
        dialog.status_combo.setCurrentIndex(dialog.status_combo.findData(TaskStatus.DONE.value))
        dialog.note_edit.setPlainText("Đã công khai 152/152 TTHC.")
        monkeypatch.setattr(dialog, "choose_file", lambda: proof)
        dialog.choose_button.click()
        assert dialog.file_edit.text() == "bao-cao-ra-soat.pdf"
        return True

    monkeypatch.setattr(view, "run_dialog", fill)
    view.open_status_dialog()

    events = ws.task_events(PLAN.id, "1.1")
    assert len(events) == 1
    ev = events[0]
    assert (ev.status, ev.note, ev.evidence_name) == (
        TaskStatus.DONE,
        "Đã công khai 152/152 TTHC.",
        "bao-cao-ra-soat.pdf",
    )
    assert ev.evidence_sha256 is not None
    assert ws.evidence_path(ev.evidence_sha256).read_bytes() == proof.read_bytes()
    task = next(t for t in ws.tasks.get_plan(PLAN.id).tasks if t.code == "1.1")
    assert task.status is TaskStatus.DONE

    # the view refreshed from session.changed: same row selected, no longer overdue
    assert view.current_task() is not None and view.current_task().status is TaskStatus.DONE
    assert view.model.index_of("1.1").data(OverdueRole) is False
    html = view.detail.toHtml()
    assert "Đã công khai 152/152 TTHC." in html and "bao-cao-ra-soat.pdf" in html


def test_status_update_without_file_and_error(
    view: TasksView, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert view.update_status(
        "2.1", StatusUpdate(TaskStatus.IN_PROGRESS, "Đã mời giảng viên", None)
    )
    assert session.ws.task_events(PLAN.id, "2.1")[0].evidence_sha256 is None

    errors: list[str] = []
    monkeypatch.setattr(view, "show_error", errors.append)
    missing = tmp_path / "khong-co.pdf"
    assert not view.update_status("2.1", StatusUpdate(TaskStatus.DONE, "", missing))
    assert errors and "khong-co.pdf" in errors[0]
    assert len(session.ws.task_events(PLAN.id, "2.1")) == 1


def test_cancelled_dialog_writes_nothing(
    view: TasksView, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    view.select_task("1.2")
    monkeypatch.setattr(view, "run_dialog", lambda dialog: False)
    view.open_status_dialog()
    assert session.ws.task_events(PLAN.id, "1.2") == []


def test_plan_selector(view: TasksView) -> None:
    assert view.plan_combo.isVisibleTo(view)  # the demo has two plans besides ours
    pos = view.plan_combo.findData("kh-cchc-quangnam-2022")
    view.plan_combo.setCurrentIndex(pos)
    assert view.plan_id == "kh-cchc-quangnam-2022"
    assert len(view.model.visible_codes()) > 20


def test_link_a_task_to_criteria_and_the_item_form_lists_it(
    view: TasksView, session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parapp.ui.commune.item_form import ItemForm
    from parapp.ui.commune.task_criteria_dialog import TaskCriteriaDialog

    ws = session.ws
    assert view.select_task("2.1")
    assert view.criteria_button.isEnabled()

    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, TaskCriteriaDialog)
        assert dialog.codes_text() == "5.1"
        dialog.codes_edit.setText("5.1; 1.1.2, 5.1")
        return True

    monkeypatch.setattr(view, "run_dialog", fill)
    view.open_criteria_dialog()
    stored = next(t for t in ws.tasks.get_plan(PLAN.id).tasks if t.code == "2.1")
    assert stored.criteria_codes == ("5.1", "1.1.2")  # read back from SQLite, once each
    assert 'href="item:1.1.2"' in view.detail.toHtml()

    form = ItemForm(session)
    qtbot.addWidget(form)
    form.show_item("1.1.2")
    assert form.tasks_label.text() == (
        "2.1 — Tổ chức bồi dưỡng kỹ năng cho công chức Một cửa (Chưa thực hiện)"
    )
    assert form.guidance_layout.isRowVisible(form.tasks_label)
    form.show_item("1.1.1")
    assert not form.guidance_layout.isRowVisible(form.tasks_label)

    errors: list[str] = []
    monkeypatch.setattr(view, "show_error", errors.append)
    assert not view.set_task_criteria("2.1", "5.1, 99.9")
    assert errors == ["Không có tiêu chí “99.9” trong bộ chỉ số đang dùng."]
    stored = next(t for t in ws.tasks.get_plan(PLAN.id).tasks if t.code == "2.1")
    assert stored.criteria_codes == ("5.1", "1.1.2")  # nothing half-written
    assert view.set_task_criteria("2.1", "")
    form.show_item("1.1.2")  # the link is gone
    assert not form.guidance_layout.isRowVisible(form.tasks_label)
