"""The secretary merges two members' partial results in the appraisal view: the agreed and
single results are taken at once; the conflict is shown side by side until chosen."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.models.review import ReviewState
from parapp.services.office import review
from parapp.services.workspace import Workspace
from parapp.storage.backup import backup_workspace, restore_workspace
from parapp.ui.office.appraisal_view import AppraisalView
from parapp.ui.office.merge_dialog import UNDECIDED, MergeDialog
from parapp.ui.session import Session
from tests.services.cycle_helpers import Cycle, make_cycle


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def _member(c: Cycle, name: str, n: int) -> Workspace:
    archive = c.root / f"m{n}.parapp-backup"
    backup_workspace(c.office.conn, c.office.data_dir, archive)
    restore_workspace(archive, c.root / f"m{n}")
    (c.root / f"m{n}" / "keys").mkdir(exist_ok=True)
    shutil.copy2(c.office.data_dir / "keys" / "unit.key", c.root / f"m{n}" / "keys" / "unit.key")
    ws = Workspace.open(c.root / f"m{n}", backup=False)
    ws.set_officer(name, "Thành viên")
    c.extra.append(ws)
    return ws


def test_merge_in_the_view(cycle: Cycle, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = _member(cycle, "Nguyễn Văn Bình", 1), _member(cycle, "Phạm Thị Cúc", 2)
    review.set_states(a, "X1", ReviewState.PASSED, codes=["1"])
    review.set_states(b, "X1", ReviewState.PASSED, codes=["1.1", "2"])
    review.set_state(b, "X1", "1.2", ReviewState.REJECTED, "Không có biên bản")
    files = [
        review.export_result(m, "X1", cycle.root, cycle.office_key, "x", "partial").path
        for m in (a, b)
    ]
    session = Session(cycle.office)
    view = AppraisalView(session)
    qtbot.addWidget(view)
    dialogs: list[MergeDialog] = []
    monkeypatch.setattr(view, "ask_open_paths", lambda: files)
    monkeypatch.setattr(view, "run_merge_dialog", dialogs.append)
    try:
        view.select_unit("X1")
        view.merge_action.trigger()
        (dialog,) = dialogs
        assert dialog.summary.text().startswith("Đã hợp nhất 3 tiêu chí. Còn 1 tiêu chí")
        assert dialog.table.rowCount() == 1
        assert [dialog.table.item(0, c).text() for c in (0, 1)] == ["X1", "1.2"]
        side_by_side = dialog.table.item(0, 2).text().split("\n")
        assert side_by_side == [
            "Nguyễn Văn Bình: 2 điểm, Đạt",
            "Phạm Thị Cúc: 0 điểm, Không chấp nhận; Không có biên bản",
        ]
        assert review.review_items(cycle.office, "X1")[2].state is ReviewState.NOT_REVIEWED
        dialog.apply_choices()  # nothing chosen yet: refused, nothing changed
        assert "Hãy chọn kết quả" in dialog.message.text()
        combo = dialog.choice_combo(0)
        assert combo.itemText(0) == UNDECIDED
        combo.setCurrentIndex(combo.findData("Phạm Thị Cúc"))
        dialog.apply_choices()
        assert dialog.table.rowCount() == 0 and not dialog.apply_button.isEnabled()
        item = review.review_items(cycle.office, "X1")[2]
        assert (item.code, item.state, item.appraised) == ("1.2", ReviewState.REJECTED, 0.0)
        dialog.deleteLater()
    finally:
        session.deleteLater()
