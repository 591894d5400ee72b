"""The inbox page: background import through the real view, verdicts, completeness, export."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.services.changes import Changes
from parapp.services.office import inbox
from parapp.ui.office.inbox_view import InboxView
from tests.ui.office.conftest import Office


def _flip_byte(src: Path, dst: Path) -> Path:
    data = bytearray(src.read_bytes())
    data[len(data) // 3] ^= 0xFF
    dst.write_bytes(bytes(data))
    return dst


def _column(view: InboxView, col: int) -> list[str]:
    m = view.model
    return [str(m.data(m.index(r, col))) for r in range(m.rowCount())]


def test_import_in_background_shows_verdicts_and_completeness(
    office: Office, qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path
) -> None:
    view = InboxView(office.session)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 0
    assert view.completeness.count(inbox.MISSING) + view.completeness.count(inbox.OVERDUE) == 4
    tampered = _flip_byte(office.bundles["X2"], tmp_path / "hong.zip")
    picked = [office.folder, tampered]
    view.ask_files = lambda: picked  # type: ignore[method-assign]
    with qtbot.waitSignal(view.imported, timeout=30000) as blocker:
        view.import_files()
        assert view.busy()  # modal progress dialog while the worker imports
    assert not view.busy()
    report = blocker.args[0]
    assert [e.status for e in report.entries] == ["ok", "ok", "unverified_key", "refused"]

    qtmodeltester.check(view.model)
    qtmodeltester.check(view.completeness_model)
    units, statuses = _column(view, 0), _column(view, 4)
    by_unit = dict(zip(units, statuses, strict=True))
    assert by_unit["X1 — Xã Một"] == "Hợp lệ"
    assert by_unit["X3 — Xã Ba"] == "Hợp lệ, chưa xác minh khóa"
    refused = [s for s in statuses if s.startswith("Bị từ chối: ")]
    assert len(refused) == 1 and len(refused[0]) > len("Bị từ chối: ") + 10
    received = _column(view, 3)[0]
    assert len(received) == 16 and received[2] == "/" and received[5] == "/"  # dd/mm/yyyy HH:MM
    assert "2 hợp lệ" in view.message.text() and "1 bị từ chối" in view.message.text()

    states = {u.unit_code: u.state for u in view.completeness_model.units}
    assert states["X4"] in (inbox.MISSING, inbox.OVERDUE)
    # no deadline set here: "Đã nộp", never "đúng hạn"
    assert {states[c] for c in ("X1", "X2", "X3")} == {inbox.RECEIVED}
    assert "Đã nộp <b>3/4</b>" in view.summary_label.text()
    assert "Chưa nộp: Xã Bốn" in view.summary_label.text()


def test_deadline_makes_units_late_and_list_exports(
    office: Office, qtbot: QtBot, tmp_path: Path
) -> None:
    inbox.import_bundles(office.ws, [office.bundles["X1"]])
    view = InboxView(office.session)
    qtbot.addWidget(view)
    view.deadline_edit.setText("31/12/2025")  # received today: after it
    view.save_deadline()
    assert inbox.deadline_for(office.ws, "2026").isoformat() == "2025-12-31"  # type: ignore[union-attr]
    states = {u.unit_code: u.state_label for u in view.completeness_model.units}
    assert states == {"X1": "Nộp muộn", "X2": "Quá hạn, chưa nộp", "X3": "Quá hạn, chưa nộp",
                      "X4": "Quá hạn, chưa nộp"}  # fmt: skip
    view.deadline_edit.setText("31/02/2026")
    view.save_deadline()
    assert "không hợp lệ" in view.message.text()
    assert inbox.deadline_for(office.ws, "2026").isoformat() == "2025-12-31"  # type: ignore[union-attr]

    out = tmp_path / "ds.csv"
    view.ask_export_path = lambda _s: out  # type: ignore[method-assign]
    view.export_list()
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Tình hình nộp hồ sơ kỳ 2026", "Hạn nộp: 31/12/2025"]
    assert rows[1][:4] == ["STT", "Mã đơn vị", "Tên đơn vị", "Tình trạng"]
    by_code = {r[1]: r for r in rows[2:]}
    assert len(by_code) == 4
    assert by_code["X1"][2:5] == ["Xã Một", "Nộp muộn", "1"]
    assert by_code["X4"][2:5] == ["Xã Bốn", "Quá hạn, chưa nộp", ""]


def test_cancel_keeps_finished_bundles(office: Office, qtbot: QtBot) -> None:
    view = InboxView(office.session)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.imported, timeout=30000) as blocker:
        view.import_paths([office.folder])
        assert view.progress_dialog is not None
        view.progress_dialog.cancel_button.click()
    report = blocker.args[0]
    assert len(report.entries) < 3 or not report.cancelled  # may finish before the click
    assert view.model.rowCount() == len(inbox.inbox_entries(office.ws))


def test_nothing_to_import_says_so(office: Office, qtbot: QtBot, tmp_path: Path) -> None:
    empty = tmp_path / "trong"
    empty.mkdir()
    view = InboxView(office.session)
    qtbot.addWidget(view)
    view.ask_folder = lambda: empty  # type: ignore[method-assign]
    view.import_folder()
    assert not view.busy()
    assert "Không có tệp hồ sơ .zip" in view.message.text()


@pytest.mark.parametrize("bad", ["", "abc"])
def test_blank_deadline_falls_back(office: Office, qtbot: QtBot, bad: str) -> None:
    view = InboxView(office.session)
    qtbot.addWidget(view)
    view.deadline_edit.setText(bad)
    view.save_deadline()
    if bad:
        assert "dd/mm/yyyy" in view.message.text()
    else:
        assert inbox.deadline_for(office.ws, view.completeness_period()) == office.ws.deadline()


def _visible(view: InboxView) -> tuple[list[str], list[str]]:
    """The files (file names) and the units (codes) the two tables show."""
    files = [e.file for n, e in enumerate(view.model.entries) if not view.table.isRowHidden(n)]
    units = [
        u.unit_code
        for n, u in enumerate(view.completeness_model.units)
        if not view.completeness_table.isRowHidden(n)
    ]
    return files, units


def _choose(view: InboxView, label: str) -> None:
    view.filter_combo.setCurrentIndex(view.filter_combo.findText(label))


def test_search_and_filters_act_on_both_tables(
    office: Office, qtbot: QtBot, tmp_path: Path
) -> None:
    tampered = _flip_byte(office.bundles["X2"], tmp_path / "hồ sơ hỏng.zip")
    report = inbox.import_bundles(office.ws, [office.folder, tampered])
    assert [e.status for e in report.entries] == ["ok", "ok", "unverified_key", "refused"]
    inbox.set_deadline_for(office.ws, "2026", date(2025, 12, 31))  # received today: late
    view = InboxView(office.session)
    qtbot.addWidget(view)
    view.set_period("2026")
    x1, x2, x3 = (office.bundles[c].name for c in ("X1", "X2", "X3"))
    everything = sorted([x1, x2, x3, tampered.name])
    assert sorted(_visible(view)[0]) == everything
    assert view.shown_label.text() == "4 tệp hồ sơ, 4 đơn vị"

    view.search_edit.setText("xa mot")  # typed without accents finds "Xã Một"
    assert _visible(view) == ([x1], ["X1"])
    assert view.shown_label.text() == "Hiện 1/4 tệp hồ sơ, 1/4 đơn vị"
    view.search_edit.setText("X3")  # the unit's code
    assert _visible(view) == ([x3], ["X3"])
    view.search_edit.setText("ho so hong")  # the file's name, accents folded
    assert _visible(view) == ([tampered.name], [])
    officials = ["Nguyễn Thị Tư" if e.file == x2 else "" for e in view.model.entries]
    view.model.set_entries(view.model.entries, officials)
    view.search_edit.setText("nguyen thi tu")  # the signer's name
    assert _visible(view) == ([x2], [])
    view.search_edit.clear()
    assert sorted(_visible(view)[0]) == everything

    _choose(view, "Chưa nộp")
    assert _visible(view) == ([], ["X4"])
    assert view.shown_label.text() == "Hiện 0/4 tệp hồ sơ, 1/4 đơn vị"
    _choose(view, "Nộp muộn")
    files, units = _visible(view)
    assert sorted(units) == ["X1", "X2", "X3"]
    assert {x1, x2, x3} <= set(files)
    _choose(view, "Có cảnh báo")  # the refused file, and no accepted one
    files, _units = _visible(view)
    assert files == [tampered.name]
    _choose(view, "Chưa xác minh khóa")
    assert _visible(view) == ([x3], ["X3"])
    view.search_edit.setText("xa mot")  # search and filter together: nothing left
    assert _visible(view) == ([], [])
    _choose(view, "Tất cả")
    assert _visible(view) == ([x1], ["X1"])

    inbox.import_bundles(office.ws, [office.bundles["X1"]])  # a refresh keeps the filter
    office.session.notify(Changes(inbox=True))
    assert _visible(view)[1] == ["X1"]
