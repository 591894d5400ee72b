"""The item form beside last period: "Kỳ trước (2026): tự chấm 1,5 · thẩm định 1", and the
"từ kỳ trước" banner of a carried answer until the officer reviews it (edit or "Đã xem
lại", undoable); the tree and the problems list show the unreviewed items."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.models.rollup import ProblemKind
from parapp.services.changes import Changes
from parapp.storage.office_repo import AppraisalResultsRepo
from parapp.ui.commune.criteria_model import CARRIED_COLOR, CriteriaModel
from parapp.ui.commune.item_form import ItemForm
from parapp.ui.commune.problems_model import KIND_LABELS, ProblemsModel
from parapp.ui.session import Session
from tests.services.helpers import setup_ws
from tests.services.year_frameworks import fill_2026, next_year


@pytest.fixture
def year_session(tmp_path: Path, qapp: QApplication) -> Iterator[Session]:
    """2026 filled and appraised in part by the office; 2027 started on the reissued
    framework with last period's answers carried over."""
    ws = setup_ws(tmp_path / "ws")
    fill_2026(ws, tmp_path)
    AppraisalResultsRepo(ws.db).replace(
        "2026",
        "mau-2026",
        [("1.2", 1.0, "Thiếu chuyên mục"), ("1.1.2", 0.5, "")],
        "48",
        1,
        "f" * 64,
    )
    ws.save_framework(next_year())
    ws.start_assessment_carrying_over("mau-2027", "2027")
    s = Session(ws)
    try:
        yield s
    finally:
        s.undo_stack.clear()
        s.deleteLater()
        ws.close()


@pytest.fixture
def form(year_session: Session, qtbot: QtBot) -> Iterator[ItemForm]:
    f = ItemForm(year_session)
    qtbot.addWidget(f)
    f.resize(700, 800)
    f.show()
    qtbot.waitExposed(f)
    yield f
    f.commit()


def test_last_period_figures_beside_each_item(form: ItemForm) -> None:
    expected = {
        "1.2": "Kỳ trước (2026): tự chấm 1,5 · thẩm định 1",
        "1.1.5": "Kỳ trước (2026, mã 1.1.2): tự chấm 0,5 · thẩm định 0,5",
        "1.1.1": "Kỳ trước (2026): tự chấm 1 · chưa có điểm thẩm định",
        "2.1": "Kỳ trước (2026): chưa có tiêu chí này.",
    }
    for code, text in expected.items():
        form.show_item(code)
        assert form.previous_label.isVisible(), code
        assert form.previous_label.text() == text
    form.show_item("1")  # an area: no line
    assert not form.previous_label.isVisible()


def test_no_line_without_an_earlier_period(tmp_path: Path, qtbot: QtBot) -> None:
    ws = setup_ws(tmp_path / "ws")
    s = Session(ws)
    try:
        f = ItemForm(s)
        qtbot.addWidget(f)
        f.show()
        f.show_item("1.2")
        assert not f.previous_label.isVisible() and f.previous_label.text() == ""
        f.close()
    finally:
        s.deleteLater()
        ws.close()


def test_carried_banner_until_confirmed_and_undo_brings_it_back(
    form: ItemForm, year_session: Session, qtbot: QtBot
) -> None:
    ws = year_session.ws
    form.show_item("1.1.5")
    assert form.carried_box.isVisible()
    assert "Từ kỳ trước (2026)" in form.carried_label.text()
    assert "Chưa xem lại" not in form.problems_label.text()  # said once, by the banner
    qtbot.mouseClick(form.confirm_button, Qt.MouseButton.LeftButton)
    assert ws.answer("1.1.5").carried_from == ""
    assert not form.carried_box.isVisible()
    assert ws.answer("1.1.5").self_score == 0.5  # the answer itself is unchanged
    year_session.undo_stack.undo()
    assert ws.answer("1.1.5").carried_from == "2026"
    assert form.carried_box.isVisible()
    year_session.undo_stack.redo()
    assert ws.answer("1.1.5").carried_from == ""


def test_editing_reviews_the_item(form: ItemForm, year_session: Session, qtbot: QtBot) -> None:
    form.show_item("1.1.1")
    assert form.carried_box.isVisible()
    form.explanation_edit.setFocus()
    qtbot.keyClicks(form.explanation_edit, " Nam 2027.")
    assert form.commit()
    assert year_session.ws.answer("1.1.1").carried_from == ""
    assert not form.carried_box.isVisible()


def test_tree_and_problems_list_show_unreviewed_items(year_session: Session) -> None:
    model = CriteriaModel(year_session)
    assert set(model.carried) == {"1.1.1", "1.1.5"}
    assert {"1.1.1", "1.1.5"} <= model.needs_work  # "only what needs work" and F8 find them
    index = model.index_for("1.1.5", 1)
    assert "Chưa xem lại: lấy từ kỳ trước (2026)." in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.FontRole).italic()
    assert model.data(index, Qt.ItemDataRole.ForegroundRole).color().name() == CARRIED_COLOR
    other = model.index_for("1.2", 1)
    assert "Chưa xem lại" not in model.data(other, Qt.ItemDataRole.ToolTipRole)

    problems = ProblemsModel()
    r = year_session.ws.rollup()
    problems.set_problems(r.problems, {})
    assert problems.counts()[ProblemKind.CARRIED_OVER] == 2
    problems.set_kind_filter(ProblemKind.CARRIED_OVER)
    rows = [
        (problems.data(problems.index(i, 0)), problems.data(problems.index(i, 2)))
        for i in range(problems.rowCount())
    ]
    assert KIND_LABELS[ProblemKind.CARRIED_OVER] == "Chưa xem lại: lấy từ kỳ trước"
    assert rows == [
        ("1.1.1", "Chưa xem lại: lấy từ kỳ trước"),
        ("1.1.5", "Chưa xem lại: lấy từ kỳ trước"),
    ]

    # confirming one item updates the tree's mark
    year_session.ws.confirm_carried("1.1.1")
    year_session.notify(Changes(codes=frozenset({"1.1.1"})))
    assert set(model.carried) == {"1.1.5"}
    assert not model.data(model.index_for("1.1.1", 1), Qt.ItemDataRole.FontRole)


def test_undoing_an_evidence_change_brings_the_carried_mark_back(
    form: ItemForm, year_session: Session, tmp_path: Path
) -> None:
    """Attaching or removing a file reviews a carried item; undoing it must leave the item
    as it was, "từ kỳ trước" mark included (the mark used to stay lost)."""
    from parapp.ui.commune.undo_commands import LinkEvidenceCommand, UnlinkEvidenceCommand

    ws = year_session.ws
    assert ws.answer("1.1.5").carried_from == "2026"
    doc = tmp_path / "bien-ban.pdf"
    doc.write_bytes(b"%PDF-1.4 bien ban kiem tra")
    stored = ws.store_evidence_file(doc)
    year_session.undo_stack.push(LinkEvidenceCommand(year_session, "1.1.5", stored, "bien-ban.pdf"))
    assert ws.answer("1.1.5").carried_from == ""  # attaching a file is a review
    year_session.undo_stack.undo()
    assert ws.answer("1.1.5").carried_from == "2026"
    assert all(e.file_name != "bien-ban.pdf" for e in ws.answer("1.1.5").evidence)
    year_session.undo_stack.redo()
    assert ws.answer("1.1.5").carried_from == ""
    year_session.undo_stack.undo()

    carried = next(c for c in ("1.1.1", "1.1.5") if ws.answer(c).evidence)
    link = ws.answer(carried).evidence[0]
    assert link.id is not None and ws.answer(carried).carried_from == "2026"
    year_session.undo_stack.push(
        UnlinkEvidenceCommand(year_session, carried, link.id, link.file_name)
    )
    assert ws.answer(carried).carried_from == ""
    year_session.undo_stack.undo()
    assert ws.answer(carried).carried_from == "2026"
    assert link.file_name in [e.file_name for e in ws.answer(carried).evidence]
    form.show_item(carried)
    assert form.carried_box.isVisible()
