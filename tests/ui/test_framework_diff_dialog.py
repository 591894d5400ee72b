"""“So sánh bộ chỉ số”: two frameworks of the workspace, the changed items in a table with
Vietnamese labels, and “Xuất Excel…” writing the workbook (read back with openpyxl)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from parapp.ui.framework_diff_dialog import HEADERS, FrameworkDiffDialog
from parapp.ui.main_window import MainWindow
from parapp.ui.session import Session
from tests.services.helpers import setup_ws
from tests.services.year_frameworks import NEW_2_1, next_year

AREA_1 = "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"
PLAN_DONE = "Mức độ hoàn thành kế hoạch CCHC"
PROPAGANDA = "Công tác tuyên truyền CCHC"
CHANGED_ROWS = [
    ("Đổi điểm", "1", "1", AREA_1, AREA_1, "4", "5"),
    ("Đổi mã/vị trí", "1.1.2", "1.1.5", PLAN_DONE, PLAN_DONE, "1", "1"),
    ("Đổi điểm", "1.2", "1.2", PROPAGANDA, PROPAGANDA, "2", "3"),
    ("Thêm mới", "", "2.1", "", NEW_2_1, "", "3"),
    ("Bỏ", "2.1", "", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", "", "3", ""),
]


@pytest.fixture
def two_years(tmp_path: Path, qapp: QApplication) -> Iterator[Session]:
    ws = setup_ws(tmp_path / "ws")
    ws.save_framework(next_year())
    ws.start_assessment("mau-2027", "2027")
    s = Session(ws)
    try:
        yield s
    finally:
        s.deleteLater()
        ws.close()


def _table(dialog: FrameworkDiffDialog) -> list[tuple[str, ...]]:
    m = dialog.model
    return [
        tuple(str(m.data(m.index(r, c))) for c in range(m.columnCount()))
        for r in range(m.rowCount())
    ]


def test_table_lists_what_changed_and_exports_it(
    two_years: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = FrameworkDiffDialog(two_years)
    qtbot.addWidget(dialog)
    # last period's framework and this period's are chosen by default
    assert dialog.old_combo.currentData() == "mau-2026"
    assert dialog.new_combo.currentData() == "mau-2027"
    assert tuple(
        dialog.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(HEADERS))
    ) == ("Thay đổi", "Mã cũ", "Mã mới", "Nội dung (kỳ trước)", "Nội dung (kỳ này)",
          "Điểm tối đa cũ", "Điểm tối đa mới")  # fmt: skip
    assert _table(dialog) == CHANGED_ROWS
    assert dialog.summary_label.text().startswith("Thêm mới: 1 · Bỏ: 1 · Đổi mã/vị trí: 1")
    assert "Tổng điểm: 10 → 11" in dialog.summary_label.text()
    dialog.changed_only.setChecked(False)  # every item, unchanged ones too
    assert len(_table(dialog)) == 9
    assert _table(dialog)[2][:3] == ("Giữ nguyên", "1.1.1", "1.1.1")
    dialog.changed_only.setChecked(True)

    out = tmp_path / "so sánh"  # no suffix: .xlsx is added
    dialog.ask_save_path = lambda suggested: out  # type: ignore[method-assign]
    written = dialog.export_excel()
    assert written == tmp_path / "so sánh.xlsx"
    assert "Đã ghi bảng so sánh" in dialog.message_label.text()
    wb = load_workbook(written)
    assert wb.sheetnames == ["Tóm tắt", "So sánh"]
    rows = list(wb["So sánh"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    changed = [r for r in rows[1:] if r[0] != "Giữ nguyên"]
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in changed] == [
        ("Đổi điểm", "1", "1", 4, 5),
        ("Đổi mã/vị trí", "1.1.2", "1.1.5", 1, 1),
        ("Đổi điểm", "1.2", "1.2", 2, 3),
        ("Thêm mới", None, "2.1", None, 3),
        ("Bỏ", "2.1", None, 3, None),
    ]
    summary = {r[0]: r[1] for r in wb["Tóm tắt"].iter_rows(values_only=True)}
    assert summary["Kỳ trước"] == "Bộ chỉ số mẫu (2026)"
    assert summary["Số tiêu chí: bỏ"] == 1


def test_same_framework_twice_is_not_compared_and_a_failed_write_is_said(
    two_years: Session, qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = FrameworkDiffDialog(two_years)
    qtbot.addWidget(dialog)
    dialog.select("mau-2027", "mau-2027")
    assert dialog.summary_label.text() == "Hãy chọn hai bộ chỉ số khác nhau."
    assert dialog.model.rowCount() == 0 and not dialog.export_button.isEnabled()
    dialog.select("mau-2027", "mau-2026")  # either direction
    assert dialog.export_button.isEnabled()
    assert [r[0] for r in _table(dialog)] == [
        "Đổi điểm",
        "Đổi mã/vị trí",
        "Đổi điểm",
        "Thêm mới",
        "Bỏ",
    ]
    blocked = tmp_path / "khong-phai-thu-muc"
    blocked.write_text("x")
    dialog.ask_save_path = lambda suggested: blocked / "kq.xlsx"  # type: ignore[method-assign]
    assert dialog.export_excel() is None
    assert dialog.message_label.text().startswith("Không ghi được bảng so sánh:")


def test_reachable_from_the_file_menu(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[FrameworkDiffDialog] = []

    def fake_exec(self: FrameworkDiffDialog) -> int:
        shown.append(self)
        return 0

    monkeypatch.setattr(FrameworkDiffDialog, "exec", fake_exec)
    w = MainWindow(session)
    qtbot.addWidget(w)
    file_menu = w.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    action = next(a for a in file_menu.actions() if a.text() == "So sánh bộ chỉ số &giữa hai kỳ…")
    action.trigger()
    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.new_combo.currentData() == session.ws.require_assessment().framework_id
    assert dialog.diff is not None and dialog.model.rowCount() > 0
    w.close()
