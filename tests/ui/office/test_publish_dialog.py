"""“Ban hành bộ chỉ số”: the office publishes from the screen; the commune imports the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parapp.models.units import UnitLevel
from parapp.services import framework_package as fpk
from parapp.services import trusted_keys
from parapp.services.office import consolidation
from parapp.services.office.inbox import deadline_for
from parapp.ui.office.common import SignDialog
from parapp.ui.office.publish_dialog import PublishDialog
from parapp.ui.session import Session
from tests.services.cycle_helpers import DISTRICT, PASS
from tests.services.test_framework_package import PLAN, World, world  # noqa: F401


def _sign(qtbot: QtBot) -> object:
    def run(dialog: SignDialog) -> bool:
        dialog.approver_edit.setText("Lê Thị Hoa")
        dialog.passphrase_edit.setText(PASS)
        dialog.start()
        qtbot.waitUntil(lambda: not dialog.busy(), timeout=30000)
        return dialog.result_value is not None

    return run


def test_publish_from_the_dialog_then_the_commune_imports_it(
    world: World,  # noqa: F811
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
) -> None:
    session = Session(world.office)
    dlg = PublishDialog(session, "mau-2026")
    qtbot.addWidget(dlg)
    assert dlg.framework_id() == "mau-2026"
    dlg.period_edit.setText("2026")
    dlg.plan_combo.setCurrentIndex(dlg.plan_combo.findData(PLAN.id))
    assert dlg.warnings.text() == ""  # the 2026 plan for 2026: nothing to say
    dlg.period_edit.setText("2027")
    assert "Kế hoạch “Kế hoạch CCHC năm 2026 của Huyện Một” là kế hoạch năm 2026" in (
        dlg.warnings.text()
    )
    dlg.period_edit.setText("2026")
    dlg.deadline_edit.setText("31/02/2027")
    dlg.publish()
    assert dlg.message.text()  # a wrong date is said before anything is asked
    assert dlg.result_value is None
    dlg.deadline_edit.setText("15/01/2027")
    dlg.bands_edit.setText("Tốt=80; Khá=65; Trung bình=0")
    out = tmp_path / "goi-tu-man-hinh.zip"
    dlg.ask_save_path = lambda _suggested: out  # type: ignore[method-assign]
    dlg.run_sign_dialog = _sign(qtbot)  # type: ignore[method-assign]
    dlg.publish()

    assert dlg.result_value is not None and out.is_file()
    assert str(out) in dlg.message.text()
    assert dlg.result_value.level is UnitLevel.COMMUNE and dlg.result_value.tasks == len(PLAN.tasks)
    # what the office announced is what it now counts by
    assert deadline_for(world.office, "2026").isoformat() == "2027-01-15"  # type: ignore[union-attr]
    assert [b for b, _ in consolidation.thresholds(world.office)] == ["Tốt", "Khá", "Trung bình"]

    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    imported = fpk.import_package(world.commune, out)
    assert imported.package.period == "2026"
    assert world.commune.deadline() is not None
    assert world.commune.deadline().isoformat() == "2027-01-15"  # type: ignore[union-attr]
    assert [p["id"] for p in world.commune.tasks.plans()] == [PLAN.id]


@pytest.mark.parametrize("bands", ["Tốt=abc", "không phải ngưỡng"])
def test_bad_bands_are_refused_before_the_key_is_asked(
    world: World,  # noqa: F811
    qtbot: QtBot,
    qapp: QApplication,
    bands: str,
) -> None:
    dlg = PublishDialog(Session(world.office), "mau-2026")
    qtbot.addWidget(dlg)
    dlg.bands_edit.setText(bands)
    asked: list[str] = []
    dlg.ask_save_path = lambda s: asked.append(s)  # type: ignore[method-assign,func-returns-value]
    dlg.publish()
    assert asked == [] and dlg.message.text()
