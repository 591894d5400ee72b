"""The setup wizard's first choice: the framework package the office above sends.

A ward (Phường Điện Bàn, Đà Nẵng) picks the package its city's office published; the key is
not trusted yet, so the wizard shows the fingerprint to compare on the phone and takes the
office's ``.pub`` file; the package is then verified and imported and the period, deadline
and plan come with it. Choosing an embedded example for another level warns before going on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from parapp.interchange import keys
from parapp.models.tasks import Task, TaskPlan
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys, unit_keys
from parapp.services.framework_package import package_record, publish_package
from parapp.services.workspace import Workspace
from parapp.ui.setup_wizard import SetupWizard
from tests.models.sample_framework import sample_framework

PASS = "mat-khau-du-dai"


@pytest.fixture
def office_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, str]:
    """A package of Đà Nẵng's office for its wards and communes, and its public key file."""
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    ws = Workspace.open(tmp_path / "so-noi-vu", backup=False)
    try:
        ws.save_framework(sample_framework("dn-xa-2026"))
        ws.set_own_unit(Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE))
        ws.save_plan(
            TaskPlan("kh-dn-2026", "Kế hoạch CCHC năm 2026", 2026,
                     tasks=(Task("1", "Ban hành kế hoạch", criteria_codes=("1.1.1",)),))
        )  # fmt: skip
        unit_keys.create_key(ws, PASS)
        kp = unit_keys.unlock(ws, PASS)
        pub = tmp_path / "so-noi-vu.pub"
        keys.write_public_key(kp.public, pub)
        done = publish_package(
            ws, "dn-xa-2026", tmp_path / "bo-chi-so-2026.zip", kp, period="2026",
            level=UnitLevel.COMMUNE, approver="Lê Thị Hoa", deadline=date(2027, 1, 15),
            plan_id="kh-dn-2026",
        )  # fmt: skip
    finally:
        ws.close()
    return done.path, pub, done.fingerprint


@pytest.fixture
def wizard(qtbot: QtBot, data_dir: Path) -> Iterator[SetupWizard]:
    w = SetupWizard(None, data_dir)
    qtbot.addWidget(w)
    w.show()
    page = w.unit_page
    qtbot.keyClicks(page.search_edit, "dien ban")
    assert page.select_entry("20551")
    w.next()
    w.officer_page.name_edit.insert("Trần Thị Bình")
    w.next()
    assert w.currentPage() is w.framework_page
    yield w
    if w._ws is not None:
        w._ws.close()


def test_package_import_with_key_enrolment(
    wizard: SetupWizard, office_package: tuple[Path, Path, str], tmp_path: Path
) -> None:
    package, pub, fingerprint = office_package
    fp = wizard.framework_page
    assert fp.package_radio.isChecked() and fp.package_button.isEnabled()
    wizard.ask_open_package = lambda: package  # type: ignore[method-assign]
    fp.package_button.click()
    # not trusted yet: nothing imported, the signer's fingerprint shown for the phone call
    assert fp.trust_box.isVisible()
    assert fingerprint in fp.trust_label.text()
    assert "Thành phố Đà Nẵng" in fp.trust_label.text()
    assert fp.framework_id() is None
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "dn-xa-2026" not in [r["id"] for r in wizard.workspace.frameworks.list()]

    # a key file of someone else: refused, nothing trusted
    stranger = tmp_path / "la.pub"
    keys.write_public_key(keys.generate_keypair().public, stranger)
    shown: list[str] = []
    wizard.confirm_fingerprint = lambda f: shown.append(f) or True  # type: ignore[method-assign]
    wizard.ask_open_key = lambda: stranger  # type: ignore[method-assign]
    fp.trust_button.click()
    assert "không phải khóa đã ký gói bộ chỉ số" in fp.import_message.text()
    assert trusted_keys.list_keys(wizard.workspace) == []

    # the officer says the fingerprints differ: nothing happens
    wizard.ask_open_key = lambda: pub  # type: ignore[method-assign]
    wizard.confirm_fingerprint = lambda f: False  # type: ignore[method-assign]
    fp.trust_button.click()
    assert trusted_keys.list_keys(wizard.workspace) == [] and fp.framework_id() is None

    # the office's own key, compared on the phone: trusted, then the package goes in
    wizard.confirm_fingerprint = lambda f: shown.append(f) or True  # type: ignore[method-assign]
    fp.trust_button.click()
    assert shown[-1] == fingerprint
    assert not fp.trust_box.isVisible()
    assert fp.framework_id() == "dn-xa-2026"
    assert "do Thành phố Đà Nẵng ban hành" in fp.package_label.text()
    assert "hạn nộp 15/01/2027" in fp.package_label.text()
    assert fp.year_spin.value() == 2026
    assert fp.deadline() == date(2027, 1, 15)
    assert fp.level_label.text() == ""  # the package is for wards and communes
    assert "Kế hoạch CCHC năm 2026" in fp.plans_label.text()
    wizard.ask_level_mismatch = lambda m: pytest.fail(m)  # type: ignore[method-assign]
    wizard.next()
    assert "do Thành phố Đà Nẵng ban hành, kỳ 2026" in wizard.confirm_page.summary_label.text()
    wizard.accept()
    assert wizard.result() == QWizard.DialogCode.Accepted

    ws = wizard.workspace
    assessment = ws.require_assessment()
    assert (assessment.framework_id, assessment.period) == ("dn-xa-2026", "2026")
    assert ws.deadline() == date(2027, 1, 15)
    assert ws.current_plan_id() == "kh-dn-2026"
    record = package_record(ws, "dn-xa-2026")
    assert record is not None and record["publisher_code"] == "48"
    [trusted] = trusted_keys.list_keys(ws)
    assert (trusted.unit_code, trusted.fingerprint) == ("48", fingerprint)


def test_a_tampered_package_is_refused_in_the_wizard(
    wizard: SetupWizard, office_package: tuple[Path, Path, str], tmp_path: Path
) -> None:
    package, pub, _fingerprint = office_package
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken = tmp_path / "hong.zip"
    broken.write_bytes(bytes(data))
    fp = wizard.framework_page
    wizard.workspace.add_unit(Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE))
    trusted_keys.enrol_key_file(wizard.workspace, "48", pub)
    wizard.ask_open_package = lambda: broken  # type: ignore[method-assign]
    fp.package_button.click()
    assert "Không nhập được “hong.zip”" in fp.import_message.text()
    assert fp.framework_id() is None
    assert "dn-xa-2026" not in [r["id"] for r in wizard.workspace.frameworks.list()]


def test_an_example_for_another_level_warns_before_going_on(wizard: SetupWizard) -> None:
    fp = wizard.framework_page
    fp.existing_radio.setChecked(True)
    labels = [fp.framework_combo.itemText(i) for i in range(fp.framework_combo.count())]
    assert "Ví dụ: Bộ chỉ số CCHC cấp tỉnh, Tiền Giang 2018" in labels
    assert "Ví dụ: Chỉ số PAPI cấp tỉnh, Quảng Nam 2020" in labels
    warning = fp.level_label.text()
    assert "dùng để đánh giá cấp tỉnh" in warning
    assert "Phường Điện Bàn là đơn vị cấp xã" in warning
    asked: list[str] = []
    wizard.ask_level_mismatch = lambda m: asked.append(m) or False  # type: ignore[method-assign]
    wizard.next()
    assert wizard.currentPage() is fp  # "Chọn lại": stays
    assert asked == [warning]
    wizard.ask_level_mismatch = lambda m: True  # type: ignore[method-assign]
    wizard.next()
    assert wizard.currentPage() is wizard.confirm_page
    assert "Lưu ý" in wizard.confirm_page.summary_label.text()


def test_the_menu_opens_straight_at_the_package_choice(
    qtbot: QtBot, workspace: Workspace, data_dir: Path
) -> None:
    from parapp.ui.session import Session

    w = SetupWizard(Session(workspace), data_dir)
    qtbot.addWidget(w)
    assert w.framework_page.existing_radio.isChecked()  # prefilled: the current example
    w.start_with_package()
    w.restart()
    assert w.currentPage() is w.framework_page
    assert w.framework_page.package_radio.isChecked()
    assert w.framework_page.package_button.isEnabled()
    assert w.unit_page.selected_entry() is not None  # the unit stays as set up
