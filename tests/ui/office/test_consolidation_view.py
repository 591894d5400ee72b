"""Ranking page: rows match consolidate(), charts paint, Excel, signed results down and up."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.interchange.bundle import BundleResult, verify_bundle
from parapp.services import unit_keys
from parapp.services.office import appraisal, consolidation
from parapp.services.office.inbox import import_bundle
from parapp.ui.office.charts import AreaHeatMap, IndexBarChart, bar_label, share_colour
from parapp.ui.office.common import SignDialog
from parapp.ui.office.consolidation_view import ConsolidationView, format_thresholds
from parapp.ui.session import OFFICE
from tests.ui.office.conftest import PASS, SCORES, Office, make_bundle


def _view(office: Office, qtbot: QtBot) -> ConsolidationView:
    view = ConsolidationView(office.session)
    qtbot.addWidget(view)
    return view


def _sign_with(qtbot: QtBot, *passphrases: str) -> tuple[list[str], object]:
    """A stand-in for exec(): type each passphrase, press the button, wait for the job."""
    seen: list[str] = []

    def run(dialog: SignDialog) -> bool:
        dialog.approver_edit.setText("Phạm Văn Bình")
        for p in passphrases:
            dialog.passphrase_edit.setText(p)
            dialog.start()
            qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
            seen.append(dialog.message.text())
            if dialog.result_value is not None:
                return True
        return False

    return seen, run


def test_ranking_matches_consolidation_and_charts_paint(
    imported: Office, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    appraisal.accept_self_scores(imported.ws, "X1")
    appraisal.set_appraisal(imported.ws, "X1", "1.2", 1.0, "Thiếu báo cáo")
    view = _view(imported, qtbot)
    qtmodeltester.check(view.model)
    c = consolidation.consolidate(imported.ws, "2026")
    m = view.model
    shown = [[str(m.data(m.index(r, col))) for col in range(m.columnCount())]
             for r in range(m.rowCount())]  # fmt: skip
    # units that never submitted are listed under the ranking, not ranked
    missing = shown[len(c.rows) :]
    assert [(r[0], r[1], r[-2]) for r in missing] == [
        ("—", name, "Chưa nộp") for _code, name in c.not_submitted
    ]
    assert c.not_submitted
    shown = shown[: len(c.rows)]
    assert [r[0] for r in shown] == [str(r.rank) for r in c.rows]
    assert [r[1] for r in shown] == [
        r.result.unit_name + (" (Tạm tính)" if r.result.provisional else "") for r in c.rows
    ]
    # X1: 7 - 1 = 6 of 7 (survey item not scored) = 85,71 %; X3: 6/7 too, X2 4,5/7
    by_name = {r[1]: r for r in shown}
    assert by_name["Xã Một"][2:7] == ["3", "3", "6/7", "85,71", "Tốt"]
    assert by_name["Xã Ba (Tạm tính)"][0] == by_name["Xã Một"][0] == "1"
    assert by_name["Xã Hai (Tạm tính)"][:1] + by_name["Xã Hai (Tạm tính)"][4:6] == [
        "3", "4,5/7", "64,29"]  # fmt: skip
    assert "2 đơn vị tạm tính" in view.status_label.text()
    assert view.bar_chart.consolidation is view.c and view.heat_map.consolidation is view.c
    index_col = m.headers().index("Chỉ số (%)")
    for n, r in enumerate(c.rows):  # the bar's figure is the table's, star when provisional
        star = "*" if r.result.provisional else ""
        assert bar_label(r.result) == shown[n][index_col] + star
    for chart in (IndexBarChart(), AreaHeatMap()):
        qtbot.addWidget(chart)
        chart.set_consolidation(view.c)
        chart.resize(600, 200)
        pixmap = chart.grab()
        image = pixmap.toImage()
        assert not pixmap.isNull() and image.width() == 600
        colours = {image.pixel(x, y) for x in range(0, 600, 7) for y in range(0, 200, 7)}
        assert len(colours) > 3  # bars/cells were painted, not just a blank background
    assert share_colour(1.0).name() == "#57bb8a" and share_colour(0.0).name() == "#e06055"


def test_thresholds_and_excel(imported: Office, qtbot: QtBot, tmp_path: Path) -> None:
    view = _view(imported, qtbot)
    view.thresholds_edit.setText("Xuất sắc=85; Khá=60; Yếu=0")
    view.save_thresholds()
    assert [r.rating for r in view.model.rows] == ["Xuất sắc", "Xuất sắc", "Khá"]
    assert view.thresholds_edit.text() == "Xuất sắc=85; Khá=60; Yếu=0"
    view.thresholds_edit.setText("Xuất sắc=abc")
    view.save_thresholds()
    assert view.message.text() and [t for t, _ in consolidation.thresholds(imported.ws)] == [
        "Xuất sắc", "Khá", "Yếu"]  # fmt: skip

    out = tmp_path / "tong-hop.xlsx"
    view.ask_save_path = lambda _c, _s, _p: out  # type: ignore[method-assign]
    view.export_excel()
    assert str(out) in view.message.text()
    book = openpyxl.load_workbook(out)
    sheet = book["Xếp hạng"]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(r for r in rows if r and r[0] == "Mã đơn vị")
    at = head.index("Tổng điểm")
    totals = {r[0]: r[at] for r in rows[rows.index(head) + 1 :] if r and r[0] in ("X1", "X2", "X3")}
    assert totals == {"X1": 7, "X2": 4.5, "X3": 6}
    assert all(isinstance(v, float | int) for v in totals.values())


def test_appraisal_result_down_and_office_bundle_up(
    imported: Office, qtbot: QtBot, tmp_path: Path
) -> None:
    appraisal.accept_self_scores(imported.ws, "X1")
    view = _view(imported, qtbot)
    view.select_unit("X1")
    down = tmp_path / "thamdinh-X1.zip"
    view.ask_save_path = lambda _c, _s, _p: down  # type: ignore[method-assign]
    seen, run = _sign_with(qtbot, "sai-mat-khau-roi", PASS)
    view.run_sign_dialog = run  # type: ignore[method-assign,assignment]
    view.send_appraisal()
    assert seen[0] == "Mật khẩu khóa ký không đúng."
    assert down.is_file() and "Xã Một" in view.message.text()

    up = tmp_path / "huyen-2026.zip"
    view.ask_save_path = lambda _c, _s, _p: up  # type: ignore[method-assign]
    _seen, run = _sign_with(qtbot, PASS)
    view.run_sign_dialog = run  # type: ignore[method-assign,assignment]
    view.export_upward()
    assert isinstance(view.last_result, BundleResult) and view.last_result.path == up
    status = unit_keys.key_status(imported.ws)
    assert status is not None
    report = verify_bundle(up, status.public, recursive=True)
    assert report.ok, report.first_failure
    assert report.info is not None and report.info.unit_code == "D1"


def _names_shown(view: ConsolidationView) -> list[str]:
    m = view.model
    return [
        str(m.data(m.index(r, 1))) for r in range(m.rowCount()) if not view.table.isRowHidden(r)
    ]


def test_ranking_search_and_filters(imported: Office, qtbot: QtBot, tmp_path: Path) -> None:
    """Issue 18: find a unit by typing (accents optional); show only missing, provisional or
    flagged units; ranks keep their numbers."""
    appraisal.accept_self_scores(imported.ws, "X1")  # X1 appraised, X2 and X3 provisional
    view = _view(imported, qtbot)
    c = consolidation.consolidate(imported.ws, "2026")
    everyone = len(c.rows) + len(c.not_submitted)
    assert len(_names_shown(view)) == everyone and view.shown_label.text() == f"{everyone} đơn vị"
    view.search_edit.setText("xa bon")  # "Xã Bốn" never submitted
    assert _names_shown(view) == ["Xã Bốn"]
    assert view.shown_label.text() == f"Hiện 1/{everyone} đơn vị"
    view.search_edit.setText("")
    view.filter_combo.setCurrentIndex(view.filter_combo.findData("missing"))
    assert _names_shown(view) == ["Xã Bốn"]
    view.filter_combo.setCurrentIndex(view.filter_combo.findData("provisional"))
    shown = _names_shown(view)
    assert sorted(n.removesuffix(" (Tạm tính)") for n in shown) == ["Xã Ba", "Xã Hai"]
    view.filter_combo.setCurrentIndex(view.filter_combo.findData("flagged"))
    assert _names_shown(view) == []  # no warning yet
    # X1 sends revision 2 with another 1.2: its appraisal must be redone, a warning
    later = tmp_path / "r2"
    later.mkdir()
    changed = dict(SCORES["X1"], **{"1.2": 1.0})
    assert import_bundle(imported.ws, make_bundle(later, "X1", imported.keypairs["X1"], changed,
                                                  revision=2)).status == "ok"  # fmt: skip
    view.refresh()
    assert _names_shown(view) == ["Xã Một (Tạm tính)"]  # to re-appraise: provisional again
    view.filter_combo.setCurrentIndex(0)
    assert len(_names_shown(view)) == everyone


def test_thresholds_change_is_undoable(imported: Office, qtbot: QtBot) -> None:
    """Issue 18: a thresholds change goes on the office screen's undo stack."""
    view = _view(imported, qtbot)
    stack = imported.session.stack(OFFICE)
    before = consolidation.thresholds(imported.ws)
    view.thresholds_edit.setText("Tốt=60; Khá=40; Yếu=0")
    view.save_thresholds()
    assert consolidation.thresholds(imported.ws) == (("Tốt", 60.0), ("Khá", 40.0), ("Yếu", 0.0))
    assert stack.count() == 1 and stack.undoText().startswith("ngưỡng xếp loại: ")
    view.thresholds_edit.setText("Tốt=abc")
    view.save_thresholds()  # refused: nothing saved, nothing to undo
    assert stack.count() == 1
    stack.undo()
    assert consolidation.thresholds(imported.ws) == before
    assert view.thresholds_edit.text() == format_thresholds(before)
    ratings = {str(view.model.data(view.model.index(r, len(view.model.headers()) - 2)))
               for r in range(len(view.c.rows))}  # type: ignore[union-attr]  # fmt: skip
    assert ratings <= {label for label, _low in before}  # the ranking follows
    stack.redo()
    assert consolidation.thresholds(imported.ws) == (("Tốt", 60.0), ("Khá", 40.0), ("Yếu", 0.0))


def test_survey_sheet_out_and_back_in_changes_the_ranking(
    imported: Office, qtbot: QtBot, tmp_path: Path
) -> None:
    view = _view(imported, qtbot)
    assert view.survey_button.isEnabled()
    totals_before = {r.result.unit_code: r.result.total for r in view.model.rows}
    sheet_path = tmp_path / "xhh.xlsx"
    view.ask_save_path = lambda _c, _s, _p: sheet_path  # type: ignore[method-assign]
    view.export_survey_sheet()
    assert "cho 3 đơn vị" in view.message.text()
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["Điều tra XHH"]
    assert [c.value for c in sheet[1]] == ["Mã đơn vị", "Tên đơn vị", "2.2"]
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    assert set(rows) == {"X1", "X2", "X3"}  # X4 sent nothing: no row
    sheet.cell(rows["X2"], 3).value = "9"  # above the item's maximum
    book.save(sheet_path)

    view.ask_open_path = lambda _c, _p: sheet_path  # type: ignore[method-assign]
    view.import_survey_sheet()
    assert "Không nhập được" in view.message.text() and "cột C" in view.message.text()
    assert {r.result.unit_code: r.result.total for r in view.model.rows} == totals_before

    sheet.cell(rows["X2"], 3).value = "2,5"
    book.save(sheet_path)
    view.import_survey_sheet()
    assert "Đã nhập 1 điểm điều tra XHH" in view.message.text()
    after = {r.result.unit_code: r.result.total for r in view.model.rows}
    assert after["X2"] == totals_before["X2"] + 2.5 and after["X1"] == totals_before["X1"]
