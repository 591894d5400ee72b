"""The criteria tree model and its search/needs-work filter."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RuleKind, ScoringRule
from parapp.models.text import fold
from parapp.services.changes import Changes
from parapp.ui.commune.criteria_model import (
    CODE_ROLE,
    COL_SCORE,
    STATUS_ROLE,
    CriteriaFilterProxy,
    CriteriaModel,
    widest_score_texts,
)
from parapp.ui.session import Session


def _all_codes(model: CriteriaModel | CriteriaFilterProxy, parent: QModelIndex) -> list[str]:
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append(str(model.data(index, CODE_ROLE)))
        out.extend(_all_codes(model, index))
    return out


def test_model_passes_modeltester_and_shows_framework(
    session: Session, qtmodeltester: ModelTester
) -> None:
    model = CriteriaModel(session)
    qtmodeltester.check(model)
    fw = session.ws.current_framework()
    assert model.rowCount() == len(fw.areas) == 8
    assert _all_codes(model, QModelIndex()) == [c.code for c in fw.criteria]
    first = model.index(0, 0)
    assert model.data(first, Qt.ItemDataRole.DisplayRole) == fw.areas[0].code
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Tiêu chí"
    icon = model.data(first, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    assert "Chưa làm" in model.data(first, Qt.ItemDataRole.ToolTipRole)


def test_scores_update_for_leaf_and_ancestors(session: Session, tmp_path: Path) -> None:
    model = CriteriaModel(session)
    fw = session.ws.current_framework()
    leaf = next(c for c in fw.leaves() if not c.survey_only and c.max_points >= 1)
    changed: list[str] = []
    model.dataChanged.connect(lambda a, b, roles: changed.append(model.data(a, CODE_ROLE)))
    session.ws.set_answer(leaf.code, self_score=1.0)
    session.notify(Changes(codes=frozenset({leaf.code})))
    ancestors = []
    node = leaf.parent_code
    while node:
        ancestors.append(node)
        node = fw.by_code[node].parent_code
    assert set(changed) == {leaf.code, *ancestors}
    text = model.data(model.index_for(leaf.code, COL_SCORE))
    assert text == f"1 / {leaf.max_points:g}".replace(".", ",")
    assert model.data(model.index_for(leaf.code), STATUS_ROLE) == "evidence_missing"
    area = model.data(model.index_for(ancestors[-1], COL_SCORE))
    assert area.startswith("1 / ")


def test_filter_is_accent_insensitive_and_keeps_ancestors(
    session: Session, qtmodeltester: ModelTester
) -> None:
    model = CriteriaModel(session)
    proxy = CriteriaFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_query("thu tuc")
    qtmodeltester.check(proxy)
    fw = session.ws.current_framework()
    visible = _all_codes(proxy, QModelIndex())
    assert visible, "the PAR framework has items about thủ tục hành chính"
    assert any("thủ tục" in fw.by_code[c].title.lower() for c in visible)
    for code in visible:
        chain = [fw.by_code[code]]
        while chain[-1].parent_code:
            chain.append(fw.by_code[chain[-1].parent_code])
        kids = [k.code for k in fw.children(code)]
        below = any(k in visible for k in kids)
        assert below or any("thu tuc" in fold(c.title) for c in chain), code
    assert len(visible) < len(fw.criteria)
    proxy.set_query("")
    assert len(_all_codes(proxy, QModelIndex())) == len(fw.criteria)


def test_only_needs_work_hides_finished_items(
    session: Session, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    model = CriteriaModel(session)
    proxy = CriteriaFilterProxy()
    proxy.setSourceModel(model)
    fw = session.ws.current_framework()
    done, todo = [c for c in fw.leaves() if not c.survey_only][:2]
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 quyet dinh ban hanh ke hoach")
    session.ws.set_answer(done.code, self_score=done.max_points)
    session.ws.add_evidence(done.code, scan)
    session.notify(Changes(codes=frozenset({done.code}), evidence=True))
    proxy.set_only_needs_work(True)
    qtmodeltester.check(proxy)
    visible = _all_codes(proxy, QModelIndex())
    assert done.code not in visible
    assert todo.code in visible
    survey = [c.code for c in fw.leaves() if c.survey_only]
    assert survey and not set(survey) & set(visible)
    proxy.set_pinned(done.code)  # the item being edited never vanishes under the cursor
    assert done.code in _all_codes(proxy, QModelIndex())


def test_an_item_pinned_while_nothing_is_filtered_stays_when_a_filter_comes(
    session: Session, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    """Pinning with no filter on re-checks no row (every item change at start-up), yet the
    pin holds once the officer switches a filter on, and moves with the next item."""
    model = CriteriaModel(session)
    proxy = CriteriaFilterProxy()
    proxy.setSourceModel(model)
    fw = session.ws.current_framework()
    done, todo = [c for c in fw.leaves() if not c.survey_only][:2]
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 quyet dinh ban hanh ke hoach")
    session.ws.set_answer(done.code, self_score=done.max_points)
    session.ws.add_evidence(done.code, scan)
    session.notify(Changes(codes=frozenset({done.code}), evidence=True))
    assert not proxy.filtering()
    proxy.set_pinned(done.code)
    assert len(_all_codes(proxy, QModelIndex())) == len(fw.criteria)
    proxy.set_only_needs_work(True)
    qtmodeltester.check(proxy)
    assert done.code in _all_codes(proxy, QModelIndex())  # kept: it is being edited
    proxy.set_pinned(todo.code)  # the officer moves on: the finished item may go
    visible = _all_codes(proxy, QModelIndex())
    assert done.code not in visible and todo.code in visible


def test_model_widget_roundtrip(session: Session, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QTreeView

    model = CriteriaModel(session)
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.expandAll()
    view.show()
    qtbot.waitExposed(view)
    assert view.visualRect(model.index_for("1.1.1")).height() > 0


def test_a_submission_updates_totals_without_resetting_the_tree(session: Session) -> None:
    """After ``Changes(assessment=True)`` (a revision frozen) the officer's expanded tree
    must stay as it was: same framework, so only the figures are refreshed."""
    model = CriteriaModel(session)
    resets: list[bool] = []
    changed: list[str] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda a, _b, _r=(): changed.append(str(a.data(CODE_ROLE))))
    session.ws.set_answer("1.2", self_score=2)
    session.notify(Changes(assessment=True))
    assert resets == []
    assert "1.2" in changed and "1" in changed
    session.ws.start_assessment("papi-quangnam-2020", "2026")
    session.notify(Changes(assessment=True))
    assert resets == [True]  # another framework: the rows change


def test_the_tree_shows_the_province_labels(session: Session, tmp_path: Path) -> None:
    """A relative sheet's items show "1.", "2.1." as the province wrote them; the role keeps
    the unique code ("II.2.1")."""
    from parapp.interchange.excel_framework import read_framework_xlsx
    from tests.interchange.province_sheets import build_relative_with_totals

    fw = read_framework_xlsx(build_relative_with_totals(tmp_path / "tuong doi.xlsx"))
    session.ws.save_framework(fw)
    session.ws.start_assessment(fw.id, "2024")
    session.notify(Changes(frameworks=True, assessment=True))
    model = CriteriaModel(session)
    area = model.index(1, 0)
    item = model.index(1, 0, area)
    sub = model.index(0, 0, item)
    shown = [model.data(i, Qt.ItemDataRole.DisplayRole) for i in (area, item, sub)]
    assert shown == ["II", "2.", "2.1."]
    assert model.data(sub, CODE_ROLE) == "II.2.1"
    assert model.data(sub, Qt.ItemDataRole.ToolTipRole).startswith("II.2.1. Tỷ lệ hồ sơ")


def test_widest_score_texts_cover_signs_fractions_and_survey_items() -> None:
    """What the score column is sized from: per node, the longest text it can show."""
    fw = Framework(
        id="rong-nhat",
        name="Độ rộng cột điểm",
        index_kind="PAR",
        year=2025,
        score_step=0.25,
        criteria=(
            Criterion("1", "Lĩnh vực", 3.0, order=1),
            Criterion("1.1", "Chấm tay", 2.5, "1", order=2),
            Criterion("1.2", "Trừ điểm", 0.5, "1", order=3, rule=ScoringRule(RuleKind.DEDUCTION)),
            Criterion("2", "Điều tra", 1.0, order=4),
            Criterion("2.1", "Khảo sát", 1.0, "2", order=5, rule=ScoringRule(RuleKind.SURVEY)),
        ),
    )
    texts = widest_score_texts(fw)
    assert {"2,5 / 2,5", "2,49 / 2,5"} <= set(texts)  # a leaf: its maximum and 2,49 below it
    assert {"-0,5 / 0,5", "-0,49 / 0,5"} <= set(texts)  # a deduction is negative
    assert "-2,99 / 3" in texts  # so is the area holding it, by as much as its maximum
    assert "XHH / 1" in texts  # a survey item shows no score of its own
    assert all(" / " in t for t in texts)
