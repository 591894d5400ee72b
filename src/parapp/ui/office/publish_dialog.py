"""“Ban hành bộ chỉ số”: the office sends the year's framework down as one signed file.

What a province officer fills once a year: which framework, for which period and which
level of unit, by when the units submit, the rating bands and (optionally) the task plan.
Before the key is asked, the dialog says in plain words what looks wrong (a framework or a
plan of another year); the file is then signed like every other office document
(:class:`parapp.ui.office.common.SignDialog`) and the officer is told what to send.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from parapp.models.consolidation import format_thresholds, parse_thresholds
from parapp.models.document_forms import parse_document_date
from parapp.models.errors import ParAppError
from parapp.models.units import UnitLevel
from parapp.services.framework_package import PublishedPackage, level_phrase
from parapp.services.office.consolidation import thresholds
from parapp.services.office.publishing import publish_for_period, publish_warnings
from parapp.ui.office.common import AMBER, MessageLine, SignDialog
from parapp.ui.session import Session

if TYPE_CHECKING:  # annotations only: the UI reaches interchange through services
    from parapp.interchange.keys import KeyPair

#: Levels a province office publishes for, most usual first.
LEVELS = (UnitLevel.COMMUNE, UnitLevel.AGENCY, UnitLevel.DISTRICT)


class PublishDialog(QDialog):
    """Choose what to publish; then sign and write the package."""

    def __init__(
        self, session: Session, framework_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.result_value: PublishedPackage | None = None
        self.setWindowTitle("Ban hành bộ chỉ số cho đơn vị cấp dưới")
        self.setMinimumWidth(620)
        ws = session.ws
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Gói bộ chỉ số là một tệp có chữ ký số của cơ quan: các xã, phường nhập tệp này "
            "(Tệp → Nhập bộ chỉ số do cấp trên gửi…) sau khi đã tin cậy khóa công khai của cơ quan."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.framework_combo = QComboBox()
        for row in ws.frameworks.list():
            year = f" ({row['year']})" if row["year"] else ""
            self.framework_combo.addItem(f"{row['name']}{year}", str(row["id"]))
        if framework_id is not None:
            self.framework_combo.setCurrentIndex(
                max(0, self.framework_combo.findData(framework_id))
            )
        form.addRow("&Bộ chỉ số:", self.framework_combo)
        self.period_edit = QLineEdit(str(date.today().year))
        form.addRow("&Kỳ đánh giá:", self.period_edit)
        self.level_combo = QComboBox()
        for level in LEVELS:
            self.level_combo.addItem(level_phrase(level).capitalize(), level.value)
        form.addRow("Áp &dụng cho:", self.level_combo)
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setPlaceholderText("dd/mm/yyyy — để trống nếu chưa định")
        form.addRow("&Hạn nộp hồ sơ:", self.deadline_edit)
        self.plan_combo = QComboBox()
        self.plan_combo.addItem("Không kèm kế hoạch", "")
        for plan in ws.tasks.plans():
            self.plan_combo.addItem(
                f"{plan['name']} ({plan['year']}, {plan['tasks']} nhiệm vụ)", str(plan["id"])
            )
        form.addRow("Kèm &kế hoạch:", self.plan_combo)
        self.bands_edit = QLineEdit(format_thresholds(thresholds(ws)))
        self.bands_edit.setToolTip("Mỗi mức: tên=điểm phần trăm tối thiểu, cách nhau bằng “;”")
        form.addRow("&Ngưỡng xếp loại:", self.bands_edit)
        layout.addLayout(form)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"color: {AMBER};")
        layout.addWidget(self.warnings)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.publish_button = buttons.addButton(
            "&Ban hành…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.publish_button.clicked.connect(self.publish)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for combo in (self.framework_combo, self.plan_combo):
            combo.currentIndexChanged.connect(self._refresh_warnings)
        self.period_edit.textChanged.connect(self._refresh_warnings)
        self._refresh_warnings()
        self.publish_button.setEnabled(self.framework_combo.count() > 0)

    def framework_id(self) -> str:
        return str(self.framework_combo.currentData() or "")

    def plan_id(self) -> str | None:
        return str(self.plan_combo.currentData() or "") or None

    def _refresh_warnings(self) -> None:
        if not self.framework_id():
            self.warnings.setText("Chưa có bộ chỉ số nào: hãy nhập hoặc soạn bộ chỉ số trước.")
            return
        notes = publish_warnings(
            self.session.ws, self.framework_id(), self.period_edit.text(), self.plan_id()
        )
        self.warnings.setText("\n".join(f"Lưu ý: {n}" for n in notes))

    # -- native dialogs (tests replace these) ---------------------------------------------
    def ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Lưu gói bộ chỉ số", suggested, "Gói bộ chỉ số (*.zip)"
        )
        return Path(name) if name else None

    def run_sign_dialog(self, dialog: SignDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    # -- publishing -------------------------------------------------------------------------
    def _checked_inputs(self) -> tuple[str, date | None, str] | None:
        period = self.period_edit.text().strip()
        if not period:
            self.message.error("Hãy nhập kỳ đánh giá (ví dụ: 2026).")
            return None
        deadline: date | None = None
        try:
            if self.deadline_edit.text().strip():
                deadline = parse_document_date(self.deadline_edit.text())
            bands = self.bands_edit.text().strip()
            if bands:
                parse_thresholds(bands)
        except ParAppError as err:
            self.message.error(str(err))
            return None
        return period, deadline, bands

    def publish(self) -> None:
        checked = self._checked_inputs()
        if checked is None or not self.framework_id():
            return
        period, deadline, bands = checked
        own = self.session.ws.require_unit()
        path = self.ask_save_path(f"bo-chi-so-{own.code}-{period}.zip")
        if path is None:
            return
        ws, fw_id, plan_id = self.session.ws, self.framework_id(), self.plan_id()
        level = UnitLevel(str(self.level_combo.currentData()))

        def write(kp: KeyPair, approver: str, position: str) -> PublishedPackage:
            return publish_for_period(
                ws, fw_id, path, kp,
                period=period, level=level, approver=approver, approver_position=position,
                deadline=deadline, bands_text=bands or None, plan_id=plan_id,
            )  # fmt: skip

        intro = (
            f"Ký và ghi gói bộ chỉ số “{self.framework_combo.currentText()}” kỳ {period}, áp "
            f"dụng cho {level_phrase(level)}, bằng khóa ký số của {own.name}."
        )
        dialog = SignDialog(ws, "Ban hành bộ chỉ số", intro, write, "Giám đốc", self)
        accepted = self.run_sign_dialog(dialog)
        result = dialog.result_value
        dialog.deleteLater()
        if not accepted or not isinstance(result, PublishedPackage):
            return
        self.result_value = result
        self.message.say(
            f"Đã ghi gói bộ chỉ số: {result.path}\nGửi tệp này cho các đơn vị cấp dưới, kèm "
            f"tệp khóa công khai của cơ quan (dấu vân tay {result.fingerprint}) nếu đơn vị chưa "
            "tin cậy khóa."
        )
