"""The setup wizard driven like an officer would: typing, picking, finishing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from parapp.fileio import atomic_write_text
from parapp.models.framework import Criterion, Framework, framework_to_dict
from parapp.models.tasks import Task, TaskPlan, task_plan_to_dict
from parapp.models.units import UnitLevel
from parapp.services.changes import Changes
from parapp.services.workspace import Workspace
from parapp.ui.session import Session
from parapp.ui.setup_wizard import SetupWizard


@pytest.fixture
def wizard(qtbot: QtBot, data_dir: Path) -> Iterator[SetupWizard]:
    w = SetupWizard(None, data_dir)
    qtbot.addWidget(w)
    w.show()
    yield w
    if w._ws is not None:  # rejected wizards close it themselves
        w._ws.close()


def _next_enabled(w: SetupWizard) -> bool:
    return w.button(QWizard.WizardButton.NextButton).isEnabled()


def _pick_dien_ban(qtbot: QtBot, w: SetupWizard) -> None:
    page = w.unit_page
    qtbot.keyClicks(page.search_edit, "dien ban")
    names = [page.results_list.item(i).text() for i in range(page.results_list.count())]
    assert any(n.startswith("Phường Điện Bàn,") for n in names), names
    assert page.select_entry("20551")


def test_catalogue_unit_officer_framework_finish(qtbot: QtBot, wizard: SetupWizard) -> None:
    page = wizard.unit_page
    assert not _next_enabled(wizard)
    assert "chọn đơn vị" in page.message_label.text()
    _pick_dien_ban(qtbot, wizard)
    assert _next_enabled(wizard)
    assert page.message_label.text() == ""
    wizard.next()

    assert wizard.currentPage() is wizard.officer_page
    assert not _next_enabled(wizard)
    assert wizard.officer_page.message_label.text() == "Chưa nhập họ và tên cán bộ."
    wizard.officer_page.name_edit.insert("Trần Thị Bình")  # QTest types ASCII only
    wizard.officer_page.position_edit.insert(
        "Công chức Văn phòng - Thống kê"
    )  # QTest types ASCII only
    assert _next_enabled(wizard)
    wizard.next()

    fp = wizard.framework_page
    assert fp.package_radio.isChecked()  # the first choice: what the office above sends
    assert fp.framework_id() is None and not _next_enabled(wizard)
    assert "chọn tệp bộ chỉ số cấp trên gửi" in fp.message_label.text()
    fp.existing_radio.setChecked(True)
    ids = [fp.framework_combo.itemData(i) for i in range(fp.framework_combo.count())]
    assert "par-tinh-2018" in ids  # embedded defaults installed into the empty workspace
    assert fp.framework_id() == "par-tinh-2018"  # the PAR example is preselected
    assert fp.framework_combo.currentText() == "Ví dụ: Bộ chỉ số CCHC cấp tỉnh, Tiền Giang 2018"
    assert "dùng để đánh giá cấp tỉnh" in fp.level_label.text()  # a ward: said at once
    asked: list[str] = []
    wizard.ask_level_mismatch = lambda m: asked.append(m) or True  # type: ignore[method-assign]
    assert fp.year_spin.value() == date.today().year
    fp.year_spin.setValue(2025)
    fp.deadline_check.setChecked(True)
    fp.deadline_edit.setDate(QDate(2025, 12, 10))
    assert fp.deadline_edit.text() == "10/12/2025"
    wizard.next()
    assert len(asked) == 1 and "Phường Điện Bàn là đơn vị cấp xã" in asked[0]

    summary = wizard.confirm_page.summary_label.text()
    assert "Phường Điện Bàn (mã 20551)" in summary
    assert "Thành phố Đà Nẵng (mã 48)" in summary
    assert "Trần Thị Bình" in summary
    assert "10/12/2025" in summary
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QWizard.DialogCode.Accepted

    ws = wizard.workspace
    ws.close()
    wizard._ws = None
    with Workspace.open(wizard.data_dir) as ws2:
        unit = ws2.own_unit()
        assert unit is not None
        assert (unit.code, unit.name, unit.parent_code) == ("20551", "Phường Điện Bàn", "48")
        parent = ws2.units.find("48")
        assert parent is not None and parent.level is UnitLevel.PROVINCE
        assert ws2.officer() == {
            "name": "Trần Thị Bình",
            "position": "Công chức Văn phòng - Thống kê",
        }
        assessment = ws2.require_assessment()
        assert (assessment.framework_id, assessment.period) == ("par-tinh-2018", "2025")
        assert ws2.deadline() == date(2025, 12, 10)


def test_keyboard_only_search_and_pick(qtbot: QtBot, wizard: SetupWizard) -> None:
    page = wizard.unit_page
    page.search_edit.setFocus()
    qtbot.keyClicks(page.search_edit, "hoa tien")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert page.results_list.currentRow() == 0
    entry = page.selected_entry()
    assert entry is not None and "Hòa Tiến" in entry.name
    assert _next_enabled(wizard)


def test_province_filter_narrows_search(qtbot: QtBot, wizard: SetupWizard) -> None:
    page = wizard.unit_page
    qtbot.keyClicks(page.search_edit, "tan")
    everywhere = page.results_list.count()
    page.province_combo.setCurrentIndex(page.province_combo.findData("48"))
    in_da_nang = [page.results_list.item(i).text() for i in range(page.results_list.count())]
    assert 0 < len(in_da_nang) < everywhere
    assert all("Thành phố Đà Nẵng" in t for t in in_da_nang)
    page.search_edit.clear()  # a province alone lists its communes
    assert page.results_list.count() > 50


def test_hand_entered_unit(qtbot: QtBot, wizard: SetupWizard) -> None:
    page = wizard.unit_page
    page.manual_radio.setChecked(True)
    assert not page.catalogue_box.isEnabled()
    assert page.message_label.text() == "Chưa nhập mã đơn vị."
    qtbot.keyClicks(page.code_edit, "XA-THU-01")
    assert page.message_label.text() == "Chưa nhập tên đơn vị."
    page.name_edit.insert("UBND xã Thử Nghiệm")  # QTest types ASCII only
    page.level_combo.setCurrentIndex(page.level_combo.findData(UnitLevel.COMMUNE.value))
    qtbot.keyClicks(page.parent_code_edit, "503")  # an old district code, not in the catalogue
    assert not _next_enabled(wizard)
    assert "“503” không có trong danh mục" in page.message_label.text()
    page.parent_name_edit.insert("Thị xã Điện Bàn")  # QTest types ASCII only
    assert _next_enabled(wizard)
    wizard.next()
    wizard.officer_page.name_edit.insert("Lê Văn Cường")  # QTest types ASCII only
    wizard.next()
    wizard.framework_page.existing_radio.setChecked(True)
    wizard.ask_level_mismatch = lambda m: True  # type: ignore[method-assign]
    wizard.next()
    wizard.accept()
    ws = wizard.workspace
    unit = ws.own_unit()
    assert unit is not None
    assert (unit.code, unit.name, unit.level, unit.parent_code) == (
        "XA-THU-01",
        "UBND xã Thử Nghiệm",
        UnitLevel.COMMUNE,
        "503",
    )
    parent = ws.units.find("503")
    assert parent is not None
    assert (parent.name, parent.level) == ("Thị xã Điện Bàn", UnitLevel.DISTRICT)
    assert ws.deadline() is None
    assert ws.require_assessment().period == str(date.today().year)


def test_hand_entered_parent_from_catalogue(qtbot: QtBot, wizard: SetupWizard) -> None:
    page = wizard.unit_page
    page.manual_radio.setChecked(True)
    qtbot.keyClicks(page.code_edit, "SNV48")
    page.name_edit.insert("Sở Nội vụ thành phố Đà Nẵng")  # QTest types ASCII only
    page.level_combo.setCurrentIndex(page.level_combo.findData(UnitLevel.AGENCY.value))
    qtbot.keyClicks(page.parent_code_edit, "48")
    choice, problem = page.evaluate()
    assert problem == ""
    assert choice is not None and choice.parent is not None
    assert choice.parent.name == "Thành phố Đà Nẵng"
    assert choice.unit.province == "Thành phố Đà Nẵng"


def _write_framework(path: Path) -> None:
    fw = Framework(
        id="sipas-thu-2025",
        name="Chỉ số hài lòng SIPAS thử nghiệm",
        index_kind="SIPAS",
        year=2025,
        criteria=(
            Criterion("1", "Tiếp cận dịch vụ", 10.0),
            Criterion("1.1", "Thông tin hướng dẫn", 4.0, parent_code="1"),
            Criterion("1.2", "Thời gian chờ", 6.0, parent_code="1"),
        ),
    )
    atomic_write_text(path, json.dumps(framework_to_dict(fw), ensure_ascii=False))


def test_import_framework_and_tasks(
    qtbot: QtBot, wizard: SetupWizard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fp = wizard.framework_page
    assert not fp.import_framework_button.isEnabled()  # under the second choice
    fp.existing_radio.setChecked(True)
    bad = tmp_path / "hong.xlsx"
    atomic_write_text(bad, "đây không phải tệp Excel")
    monkeypatch.setattr(wizard, "ask_open_file", lambda caption: bad)
    fp.import_framework_button.click()
    assert "Không nhập được “hong.xlsx”" in fp.import_message.text()
    assert "sipas-thu-2025" not in [
        fp.framework_combo.itemData(i) for i in range(fp.framework_combo.count())
    ]

    good = tmp_path / "sipas.json"
    _write_framework(good)
    monkeypatch.setattr(wizard, "ask_open_file", lambda caption: good)
    fp.import_framework_button.click()
    assert fp.framework_id() == "sipas-thu-2025"
    assert "Đã nhập bộ chỉ số “Chỉ số hài lòng SIPAS thử nghiệm”" in fp.import_message.text()

    plan = TaskPlan(
        "kh-thu-2025",
        "Kế hoạch thử nghiệm 2025",
        2025,
        tasks=(Task("1", "Rà soát TTHC", lead="Văn phòng UBND xã"),),
    )
    plan_file = tmp_path / "plan.json"
    atomic_write_text(plan_file, json.dumps(task_plan_to_dict(plan), ensure_ascii=False))
    monkeypatch.setattr(wizard, "ask_open_file", lambda caption: plan_file)
    fp.import_tasks_button.click()
    assert "Kế hoạch thử nghiệm 2025" in fp.import_message.text()
    assert wizard.workspace.current_plan_id() == "kh-thu-2025"
    assert "đang theo dõi: Kế hoạch thử nghiệm 2025" in fp.plans_label.text()

    monkeypatch.setattr(wizard, "ask_open_file", lambda caption: None)  # cancelled dialog
    fp.import_tasks_button.click()
    assert "Kế hoạch thử nghiệm 2025" in fp.import_message.text()


def test_reopen_prefills_and_notifies(qtbot: QtBot, workspace: Workspace, data_dir: Path) -> None:
    workspace.set_deadline(date(2026, 12, 10))
    session = Session(workspace)
    w = SetupWizard(session, data_dir)
    qtbot.addWidget(w)
    page = w.unit_page
    assert page.catalogue_radio.isChecked()
    assert page.province_combo.currentData() == "48"
    assert page.search_edit.text() == "Phường Điện Bàn"
    entry = page.selected_entry()
    assert entry is not None and entry.code == "20551"
    assert w.officer_page.name_edit.text() == "Nguyễn Văn An"
    assert w.framework_page.framework_id() == "par-tinh-2018"
    assert w.framework_page.deadline() == date(2026, 12, 10)

    w.framework_page.deadline_check.setChecked(False)
    with qtbot.waitSignal(session.changed) as blocker:
        w.accept()
    changes = blocker.args[0]
    assert isinstance(changes, Changes)
    assert changes.unit and changes.assessment and changes.frameworks and changes.tasks
    assert workspace.deadline() is None
    assert workspace.own_unit() is not None


def test_cancel_closes_own_workspace(qtbot: QtBot, data_dir: Path) -> None:
    w = SetupWizard(None, data_dir)
    qtbot.addWidget(w)
    assert w._ws is not None
    w.reject()
    assert w._ws is None


def test_framework_change_warns_and_carries_answers_by_code(
    qtbot: QtBot, workspace: Workspace, data_dir: Path
) -> None:
    """“Thiết lập lại…” with another framework: a warning listing what cannot be carried;
    carrying copies the fitting answers (with evidence) by code; going back changes nothing."""
    from dataclasses import replace

    old = workspace.current_framework()
    leaves = [c for c in old.leaves() if not c.survey_only]
    kept, dropped = leaves[0], leaves[1]
    workspace.set_answer(kept.code, explanation="Đã ban hành kế hoạch.")
    workspace.set_answer(dropped.code, explanation="Tiêu chí này bị bỏ.")
    scan = data_dir.parent / "qd.pdf"
    scan.write_bytes(b"%PDF-1.4 quyet dinh")
    workspace.add_evidence(kept.code, scan)
    new = replace(
        old,
        id="par-sua-doi",
        name="Bộ chỉ số sửa đổi",
        criteria=tuple(  # the dropped item's code and title are gone: nothing matches it
            replace(c, code=c.code + "a", title="Nội dung hoàn toàn mới của bộ chỉ số sửa đổi")
            if c.code == dropped.code
            else c
            for c in old.criteria
        ),
    )
    workspace.save_framework(new)
    old_id = workspace.require_assessment().id
    session = Session(workspace)
    w = SetupWizard(session, data_dir)
    qtbot.addWidget(w)
    w.framework_page.load_frameworks(select="par-sua-doi")
    assert w.framework_page.framework_id() == "par-sua-doi"
    asked: list[str] = []

    def back(change: object) -> bool | None:
        asked.append(change.message())  # type: ignore[attr-defined]
        return None

    w.ask_carry_over = back  # type: ignore[method-assign]
    w.accept()
    assert "Chưa đổi bộ chỉ số" in w.confirm_page.message_label.text()
    assert workspace.require_assessment().id == old_id  # nothing changed
    assert f"- {dropped.code}: không có tiêu chí mã này" in asked[0]
    assert "Có thể chuyển 1 câu trả lời" in asked[0]

    w.ask_carry_over = lambda change: True  # type: ignore[method-assign]
    w.accept()
    current = workspace.require_assessment()
    assert current.framework_id == "par-sua-doi" and current.id != old_id
    answers = workspace.answers()
    assert answers[kept.code].explanation == "Đã ban hành kế hoạch."
    assert [e.file_name for e in answers[kept.code].evidence] == ["qd.pdf"]
    assert dropped.code not in answers
    # the old assessment keeps every answer
    assert workspace.assessments.answers(old_id)[dropped.code].explanation == "Tiêu chí này bị bỏ."
