"""The summary tab: totals with decimal commas, area bars, countdown, problem list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.fileio import atomic_write_bytes
from parapp.models.rollup import ProblemKind
from parapp.services.changes import Changes
from parapp.services.workspace import Workspace
from parapp.ui.commune.problems_model import COL_CODE, COL_MESSAGE, COL_TITLE, CodeRole
from parapp.ui.commune.summary_view import SummaryView, format_deadline, format_score_line
from parapp.ui.session import Session


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace) -> SummaryView:
    session = Session(workspace)
    v = SummaryView(session, today=lambda: date(2026, 11, 28))
    qtbot.addWidget(v)
    v.resize(1366, 700)
    v.show()
    return v


def test_totals_follow_answers(view: SummaryView, workspace: Workspace) -> None:
    assessable = workspace.current_framework().assessable_points
    assert assessable == 65.5
    assert view.score_label.text() == "0 / 65,5 điểm — 0%"
    assert view.progress_label.text().startswith("Tiến độ: đã chấm 0 / 69 tiêu chí")

    workspace.set_answer("1.1.1", self_score=0.5, explanation="Đã ban hành kế hoạch.")
    workspace.set_answer("1.2", self_score=2.25, explanation="Thiếu 1 báo cáo quý.")
    view.session.notify(Changes(codes=frozenset({"1.1.1", "1.2"})))

    # 2,75 / 65,5 = 4,198…% -> one decimal
    assert view.score_label.text() == "2,75 / 65,5 điểm — 4,2%"
    assert view.progress_label.text() == "Tiến độ: đã chấm 2 / 69 tiêu chí (2,9%)"
    assert view.progress_bar.value() == 2 and view.progress_bar.maximum() == 69
    assert view.area_bars["1"].text() == "1. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC — 2,75 / 10 điểm"
    assert view.area_bars["1"].value() == 275  # of 1000
    assert view.area_bars["2"].value() == 0
    assert len(view.area_bars) == 8


def test_deadline_countdown(qtbot: QtBot, workspace: Workspace) -> None:
    workspace.set_deadline(date(2026, 12, 10))
    session = Session(workspace)
    before = SummaryView(session, today=lambda: date(2026, 11, 28))
    qtbot.addWidget(before)
    assert before.deadline_label.text() == "Còn 12 ngày đến hạn nộp (10/12/2026)"
    assert "b3261e" not in before.deadline_label.styleSheet()

    late = SummaryView(session, today=lambda: date(2026, 12, 13))
    qtbot.addWidget(late)
    assert late.deadline_label.text() == "Đã quá hạn 3 ngày (hạn nộp 10/12/2026)"
    assert "b3261e" in late.deadline_label.styleSheet()

    workspace.set_deadline(None)
    session.notify(Changes(assessment=True))
    assert late.deadline_label.text() == ""
    assert late.deadline_label.isHidden()


def test_format_helpers() -> None:
    assert format_score_line(61.5, 87, 70.69) == "61,5 / 87 điểm — 70,7%"
    assert format_deadline(None, date(2026, 1, 1)) == ("", False)
    assert format_deadline(date(2026, 1, 1), date(2026, 1, 1))[0].startswith("Hôm nay")


def test_problems_filter_and_open(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    view: SummaryView,
    workspace: Workspace,
    tmp_path: Path,
) -> None:
    scan = tmp_path / "ke-hoach.pdf"
    atomic_write_bytes(scan, b"%PDF-1.4 ke hoach CCHC")
    workspace.set_answer("1.1.1", self_score=0.5)
    workspace.add_evidence("1.1.1", scan)
    workspace.set_answer("1.2", self_score=2)  # below max, no explanation, no evidence
    view.session.notify(Changes(codes=frozenset({"1.1.1", "1.2"})))
    model = view.problems_model
    qtmodeltester.check(model)

    kinds = [view.kind_combo.itemData(i) for i in range(view.kind_combo.count())]
    assert kinds[0] is None
    assert view.kind_combo.itemText(0) == f"Tất cả ({model.total()})"
    assert ProblemKind.NO_EXPLANATION in kinds and ProblemKind.NOT_STARTED in kinds

    view.set_kind_filter(ProblemKind.NO_EXPLANATION)
    assert model.rowCount() == 1
    assert model.index(0, COL_CODE).data() == "1.2"
    assert model.index(0, COL_TITLE).data() == "Thực hiện chế độ báo cáo định kỳ"
    assert model.index(0, COL_MESSAGE).data() == "Cần giải trình vì điểm thấp hơn tối đa."
    assert view.problems_caption.text().startswith("Vấn đề cần xử lý: 1 / ")

    table = view.problems_view
    rect = table.visualRect(model.index(0, COL_MESSAGE))
    with qtbot.waitSignal(view.session.current_item_changed) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["1.2"]

    view.set_kind_filter(ProblemKind.NO_EVIDENCE)
    codes = [model.index(r, 0).data(CodeRole) for r in range(model.rowCount())]
    assert codes == ["1.2"]  # 1.1.1 has its scan now

    view.set_kind_filter(None)
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    first = model.index(0, 0).data(CodeRole)
    with qtbot.waitSignal(view.session.current_item_changed) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert blocker.args == [first]

    # the filter survives a refresh while the kind still exists
    view.set_kind_filter(ProblemKind.NO_EXPLANATION)
    workspace.set_answer("1.1.2", self_score=0.5)
    view.session.notify(Changes(codes=frozenset({"1.1.2"})))
    assert view.kind_combo.currentData() == ProblemKind.NO_EXPLANATION
    assert {model.index(r, 0).data(CodeRole) for r in range(model.rowCount())} == {"1.2", "1.1.2"}
    qtmodeltester.check(model)


def test_no_assessment_shows_reason(qtbot: QtBot, data_dir: Path) -> None:
    with Workspace.open(data_dir) as ws:
        v = SummaryView(Session(ws))
        qtbot.addWidget(v)
        assert "Chưa có bản tự đánh giá" in v.title_label.text()
        assert v.problems_model.rowCount() == 0
        assert v.problems_caption.text() == "Không còn vấn đề cần xử lý"
