"""The commune sees the parent's requests: the tree filter, the request in the item form,
its answer status, and the lock after the final result."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.models.review import ReviewState
from parapp.services.changes import Changes
from parapp.services.commune import requests
from parapp.services.office import review
from parapp.ui.commune.criteria_model import CODE_ROLE
from parapp.ui.commune.summary_view import SummaryView
from parapp.ui.main_window import MainWindow
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


def _visible_leaves(w: MainWindow) -> list[str]:
    out: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(w.proxy.rowCount(parent)):
            index = w.proxy.index(row, 0, parent)
            if w.proxy.rowCount(index) == 0:
                out.append(str(index.data(CODE_ROLE)))
            walk(index)

    walk(QModelIndex())
    return out


def test_requests_filter_form_and_lock(
    cycle: Cycle, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    office, x1 = cycle.office, cycle.communes["X1"]
    review.set_states(office, "X1", ReviewState.PASSED, codes=["1.1", "2.1"])
    review.set_state(office, "X1", "1.2", ReviewState.SUPPLEMENT, "Bổ sung <ảnh> hội nghị")
    prelim = review.export_result(
        office, "X1", cycle.root, cycle.office_key, "Hoa", "preliminary", date(2026, 3, 31)
    )
    requests.import_result(x1, prelim.path)

    session = Session(x1)
    w = MainWindow(session)
    qtbot.addWidget(w)
    try:
        summary = SummaryView(session, today=lambda: date(2026, 3, 21))
        qtbot.addWidget(summary)
        assert not summary.requests_label.isHidden()
        assert summary.requests_label.text() == (
            "Cấp trên yêu cầu giải trình, bổ sung 1 tiêu chí; còn 1 chưa trả lời (đánh dấu "
            "“Cấp trên yêu cầu” ở cây tiêu chí để xem). Hạn trả lời: còn 10 ngày."
        )
        assert not w.requests_check.isHidden()
        assert w.requests_check.text() == "Cấp trên &yêu cầu (1 chưa trả lời / 1)"
        w.requests_check.setChecked(True)
        assert _visible_leaves(w) == ["1.2"]
        w.select_code("1.2")
        label = w.form.request_label
        assert not label.isHidden()
        assert "Cấp trên yêu cầu bổ sung tài liệu:</b> Bổ sung &lt;ảnh&gt; hội nghị" in label.text()
        assert "Chưa trả lời" in label.text()

        photo = cycle.root / "anh.jpg"
        photo.write_bytes(b"\xff\xd8" + b"a" * 300)
        x1.add_evidence("1.2", photo)
        session.notify(Changes(codes=frozenset({"1.2"}), evidence=True))
        assert "Đã bổ sung — nhớ nộp lại hồ sơ." in label.text()
        assert w.requests_check.text() == "Cấp trên &yêu cầu (0 chưa trả lời / 1)"

        cycle.submit("X1")
        review.set_state(office, "X1", "1.2", ReviewState.PASSED)
        final = review.export_result(office, "X1", cycle.root, cycle.office_key, "Hoa", "final")
        requests.import_result(x1, final.path)
        session.notify(Changes(assessment=True))
        assert "kết quả thẩm định chính thức" in label.text() and "không sửa được" in label.text()
        assert summary.requests_label.text().startswith("Đã có kết quả thẩm định chính thức (")
        w.requests_check.setChecked(False)
        assert len(_visible_leaves(w)) == 5

        log = cycle.root / "nhat-ky-x1.xlsx"
        monkeypatch.setattr(
            "PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(log), "")
        )
        w.export_audit()
        rows = list(load_workbook(log).active.iter_rows(values_only=True))[1:]
        evidence = [r for r in rows if r[5] == "Tài liệu kiểm chứng"]
        assert [(r[1], r[4], r[8]) for r in evidence] == [
            ("Cán bộ Xã Một", "1.2", "Trả lời “Yêu cầu bổ sung tài liệu”: Bổ sung <ảnh> hội nghị")
        ]
    finally:
        w.close()
        session.undo_stack.clear()
        session.deleteLater()
