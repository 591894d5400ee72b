"""The first-launch wizard: which unit, which officer, which framework and period.

A commune officer is not an IT person: the unit is picked from the official catalogue by
typing its name without accents ("dien ban"), the framework comes embedded, and every page
says in Vietnamese what is still missing before "Tiếp tục" becomes available. The same wizard
reopens from "Tệp → Thiết lập lại…" prefilled with the current settings.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from parapp.models.carry_over import FrameworkChange
from parapp.models.errors import ParAppError
from parapp.models.text import clean
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_catalogue
from parapp.services.changes import Changes
from parapp.services.defaults import install_defaults
from parapp.services.framework_package import (
    UntrustedPublisherError,
    choice_label,
    describe_import,
    import_package,
    key_file_fingerprint,
    level_mismatch,
    package_record,
    trust_publisher_key,
)
from parapp.services.unit_catalogue import CatalogueEntry
from parapp.services.workspace import Workspace
from parapp.ui.session import Session

ERROR_STYLE = "color: #b3261e;"
WARNING_STYLE = "color: #b06000;"
PACKAGE_FILTER = "Gói bộ chỉ số (*.zip *.parapp);;Mọi tệp (*)"
KEY_FILTER = "Khóa công khai (*.pub);;Mọi tệp (*)"
EXCEL_FILTER = "Tệp Excel (*.xlsx *.xlsm);;Tệp JSON (*.json);;Mọi tệp (*)"


@dataclass(frozen=True)
class UnitChoice:
    """The unit chosen on the first page and the parent to register with it."""

    unit: Unit
    parent: Unit | None


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


class _DownToList(QObject):
    """Down arrow in the search box moves into the result list (keyboard-only use)."""

    def __init__(self, target: QListWidget) -> None:
        super().__init__(target)
        self.target = target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.target.count()
        ):
            self.target.setFocus()
            if self.target.currentRow() < 0:
                self.target.setCurrentRow(0)
            return True
        return False


class UnitPage(QWizardPage):
    """Page 1: the unit, from the catalogue or typed by hand."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Bước 1/4 — Đơn vị")
        self.setSubTitle(
            "Chọn đơn vị của anh/chị trong danh mục đơn vị hành chính (sau ngày 01/07/2025)."
        )
        layout = QVBoxLayout(self)

        self.catalogue_radio = QRadioButton("Chọn trong &danh mục đơn vị hành chính")
        self.manual_radio = QRadioButton("&Nhập đơn vị ngoài danh mục")
        group = QButtonGroup(self)
        group.addButton(self.catalogue_radio)
        group.addButton(self.manual_radio)
        self.catalogue_radio.setChecked(True)
        layout.addWidget(self.catalogue_radio)

        self.catalogue_box = QWidget()
        cat = QFormLayout(self.catalogue_box)
        cat.setContentsMargins(24, 0, 0, 0)
        self.province_combo = QComboBox()
        self.province_combo.addItem("— Tất cả tỉnh, thành phố —", None)
        for p in unit_catalogue.provinces():
            self.province_combo.addItem(p.name, p.code)
        cat.addRow("&Tỉnh, thành phố:", self.province_combo)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Gõ tên xã, phường (không cần dấu), ví dụ: dien ban")
        self.search_edit.setClearButtonEnabled(True)
        cat.addRow("Tìm &xã, phường:", self.search_edit)
        self.results_list = QListWidget()
        self.results_list.setMinimumHeight(150)
        cat.addRow("&Kết quả:", self.results_list)
        self.search_edit.installEventFilter(_DownToList(self.results_list))
        layout.addWidget(self.catalogue_box, 1)

        layout.addWidget(self.manual_radio)
        self.manual_box = QWidget()
        man = QFormLayout(self.manual_box)
        man.setContentsMargins(24, 0, 0, 0)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("Ví dụ: 20551")
        man.addRow("&Mã đơn vị:", self.code_edit)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Ví dụ: UBND xã Hòa Tiến")
        man.addRow("Tê&n đơn vị:", self.name_edit)
        self.level_combo = QComboBox()
        for level in UnitLevel:
            self.level_combo.addItem(level.label, level.value)
        self.level_combo.setCurrentIndex(self.level_combo.findData(UnitLevel.COMMUNE.value))
        man.addRow("&Cấp:", self.level_combo)
        self.parent_code_edit = QLineEdit()
        self.parent_code_edit.setPlaceholderText("Không bắt buộc, ví dụ: 48")
        man.addRow("Mã đơn vị cấp &trên:", self.parent_code_edit)
        self.parent_name_edit = QLineEdit()
        self.parent_name_edit.setPlaceholderText("Chỉ cần khi mã cấp trên không có trong danh mục")
        man.addRow("Tên đơn vị cấp tr&ên:", self.parent_name_edit)
        layout.addWidget(self.manual_box)

        self.message_label = _error_label()
        layout.addWidget(self.message_label)

        self.catalogue_radio.toggled.connect(self._on_mode)
        self.province_combo.currentIndexChanged.connect(self._search)
        self.search_edit.textChanged.connect(self._search)
        self.results_list.currentRowChanged.connect(lambda _r: self._changed())
        self.results_list.itemActivated.connect(lambda _i: self._wizard.next())
        for edit in (self.code_edit, self.name_edit, self.parent_code_edit, self.parent_name_edit):
            edit.textChanged.connect(self._changed)
        self.level_combo.currentIndexChanged.connect(self._changed)
        self._on_mode(True)

    # -- behaviour --------------------------------------------------------------------------------
    def _on_mode(self, _checked: bool) -> None:
        manual = self.manual_radio.isChecked()
        self.catalogue_box.setEnabled(not manual)
        self.manual_box.setEnabled(manual)
        self._changed()

    def _search(self) -> None:
        province = self.province_combo.currentData()
        hits = unit_catalogue.search(
            self.search_edit.text(),
            province if isinstance(province, str) else None,
            historical=False,  # one's own unit is one in force
        )
        if not hits and not self.search_edit.text().strip() and isinstance(province, str):
            hits = unit_catalogue.communes(province)
        self.results_list.clear()
        for entry in hits:
            item = QListWidgetItem(entry.display)
            item.setData(Qt.ItemDataRole.UserRole, entry.code)
            self.results_list.addItem(item)
        if len(hits) == 1:
            self.results_list.setCurrentRow(0)
        self._changed()

    def select_entry(self, code: str) -> bool:
        """Select the result whose catalogue code is ``code`` (prefill, tests)."""
        for row in range(self.results_list.count()):
            item = self.results_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                self.results_list.setCurrentRow(row)
                return True
        return False

    def selected_entry(self) -> CatalogueEntry | None:
        item = self.results_list.currentItem()
        if item is None:
            return None
        return unit_catalogue.lookup(str(item.data(Qt.ItemDataRole.UserRole)))

    def _changed(self) -> None:
        _choice, problem = self.evaluate()
        self.message_label.setText(problem)
        self.completeChanged.emit()

    def evaluate(self) -> tuple[UnitChoice | None, str]:
        """The chosen unit, or the Vietnamese reason why there is none yet."""
        if self.catalogue_radio.isChecked():
            entry = self.selected_entry()
            if entry is None:
                if self.results_list.count() == 0 and self.search_edit.text().strip():
                    return None, "Không tìm thấy đơn vị nào. Hãy gõ lại tên hoặc chọn tỉnh khác."
                return None, "Hãy tìm và chọn đơn vị của anh/chị trong danh sách."
            unit = entry.to_unit()
            province_entry = unit_catalogue.lookup(unit.parent_code) if unit.parent_code else None
            return UnitChoice(unit, province_entry.to_unit() if province_entry else None), ""
        code = clean(self.code_edit.text())
        name = clean(self.name_edit.text())
        if not code:
            return None, "Chưa nhập mã đơn vị."
        if not name:
            return None, "Chưa nhập tên đơn vị."
        level = UnitLevel(str(self.level_combo.currentData()))
        parent_code = clean(self.parent_code_edit.text())
        if parent_code == code:
            return None, "Mã đơn vị cấp trên phải khác mã đơn vị."
        parent: Unit | None = None
        if parent_code:
            parent = self._wizard.find_unit(parent_code)
            if parent is None:
                parent_name = clean(self.parent_name_edit.text())
                if not parent_name:
                    return None, (
                        f"Mã đơn vị cấp trên “{parent_code}” không có trong danh mục: "
                        "hãy nhập tên đơn vị cấp trên."
                    )
                parent = Unit(parent_code, parent_name, _parent_level(level))
            parent_code = parent.code
        province = ""
        if parent is not None:
            province = parent.province or (
                parent.name if parent.level is UnitLevel.PROVINCE else ""
            )
        unit = Unit(code, name, level, parent_code or None, province)
        return UnitChoice(unit, parent), ""

    def isComplete(self) -> bool:
        return self.evaluate()[0] is not None

    def prefill(self, unit: Unit) -> None:
        entry = unit_catalogue.lookup(unit.code)
        if entry is not None and entry.code == unit.code and entry.name == unit.name:
            self.catalogue_radio.setChecked(True)
            pos = self.province_combo.findData(entry.province_code)
            self.province_combo.setCurrentIndex(max(pos, 0))
            self.search_edit.setText(entry.name)
            self.select_entry(entry.code)
        else:
            self.manual_radio.setChecked(True)
            self.code_edit.setText(unit.code)
            self.name_edit.setText(unit.name)
            self.level_combo.setCurrentIndex(self.level_combo.findData(unit.level.value))
            self.parent_code_edit.setText(unit.parent_code or "")
            parent = self._wizard.find_unit(unit.parent_code) if unit.parent_code else None
            self.parent_name_edit.setText(parent.name if parent else "")


def _parent_level(level: UnitLevel) -> UnitLevel:
    return UnitLevel.DISTRICT if level is UnitLevel.COMMUNE else UnitLevel.PROVINCE


class OfficerPage(QWizardPage):
    """Page 2: who fills in the assessment (printed on every form)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Bước 2/4 — Cán bộ")
        self.setSubTitle("Họ tên và chức vụ của cán bộ thực hiện tự đánh giá (in trên biểu mẫu).")
        form = QFormLayout(self)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Ví dụ: Nguyễn Văn An")
        form.addRow("&Họ và tên:", self.name_edit)
        self.position_edit = QLineEdit()
        self.position_edit.setPlaceholderText("Ví dụ: Công chức Văn phòng - Thống kê")
        form.addRow("&Chức vụ:", self.position_edit)
        self.message_label = _error_label()
        form.addRow(self.message_label)
        self.name_edit.textChanged.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        self.message_label.setText("" if self.isComplete() else "Chưa nhập họ và tên cán bộ.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(clean(self.name_edit.text()))


class FrameworkPage(QWizardPage):
    """Page 3: the framework, the period and the submission deadline.

    The first choice is the signed package the office above sends (checked against its key,
    which can be enrolled here after comparing its fingerprint on the phone); the embedded
    frameworks stay available as labelled examples, with the Excel imports. A framework for
    another level than the unit's is warned about before going on.
    """

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.package_framework: str | None = None
        self.package_path: Path | None = None
        self.needs_key = False  # the last package's office key is not trusted yet
        self.setTitle("Bước 3/4 — Bộ chỉ số và kỳ đánh giá")
        self.setSubTitle("Chọn bộ chỉ số dùng để tự đánh giá, năm đánh giá và hạn nộp.")
        layout = QVBoxLayout(self)

        self.package_radio = QRadioButton("Nhập bộ chỉ số do &cấp trên gửi (khuyến nghị)")
        self.existing_radio = QRadioButton("Dùng bộ chỉ số &có sẵn trong máy")
        group = QButtonGroup(self)
        group.addButton(self.package_radio)
        group.addButton(self.existing_radio)
        self.package_radio.setChecked(True)
        layout.addWidget(self.package_radio)
        self.package_box = QWidget()
        pkg = QVBoxLayout(self.package_box)
        pkg.setContentsMargins(24, 0, 0, 0)
        hint = QLabel(
            "Tệp gói bộ chỉ số (.zip) có chữ ký số của Sở Nội vụ hoặc đơn vị cấp trên: bộ chỉ "
            "số, kỳ đánh giá, hạn nộp và kế hoạch nhiệm vụ của năm."
        )
        hint.setWordWrap(True)
        pkg.addWidget(hint)
        row = QHBoxLayout()
        self.package_button = QPushButton("Chọn &tệp bộ chỉ số cấp trên gửi…")
        row.addWidget(self.package_button)
        row.addStretch(1)
        pkg.addLayout(row)
        self.package_label = QLabel()
        self.package_label.setWordWrap(True)
        pkg.addWidget(self.package_label)
        self.trust_box = QWidget()
        trust = QVBoxLayout(self.trust_box)
        trust.setContentsMargins(0, 0, 0, 0)
        self.trust_label = QLabel()
        self.trust_label.setWordWrap(True)
        self.trust_label.setTextFormat(Qt.TextFormat.RichText)
        self.trust_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        trust.addWidget(self.trust_label)
        trust_row = QHBoxLayout()
        self.trust_button = QPushButton("Chọn tệp &khóa công khai (.pub) của cấp trên…")
        trust_row.addWidget(self.trust_button)
        trust_row.addStretch(1)
        trust.addLayout(trust_row)
        self.trust_box.hide()
        pkg.addWidget(self.trust_box)
        layout.addWidget(self.package_box)

        layout.addWidget(self.existing_radio)
        self.existing_box = QWidget()
        existing = QVBoxLayout(self.existing_box)
        existing.setContentsMargins(24, 0, 0, 0)
        self.framework_combo = QComboBox()
        self.framework_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.framework_combo.setMinimumContentsLength(40)
        existing.addWidget(self.framework_combo)
        buttons = QHBoxLayout()
        self.import_framework_button = QPushButton("Nhập bộ chỉ số từ &Excel…")
        self.import_tasks_button = QPushButton("Nhập kế hoạch &nhiệm vụ từ Excel…")
        buttons.addWidget(self.import_framework_button)
        buttons.addWidget(self.import_tasks_button)
        buttons.addStretch(1)
        existing.addLayout(buttons)
        layout.addWidget(self.existing_box)

        form = QFormLayout()
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        self.year_spin.setGroupSeparatorShown(False)
        form.addRow("&Năm đánh giá:", self.year_spin)
        deadline_row = QHBoxLayout()
        self.deadline_check = QCheckBox("Có &hạn nộp:")
        self.deadline_edit = QDateEdit()
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDate(QDate(date.today().year, 12, 10))
        self.deadline_edit.setEnabled(False)
        self.deadline_check.toggled.connect(self.deadline_edit.setEnabled)
        deadline_row.addWidget(self.deadline_check)
        deadline_row.addWidget(self.deadline_edit)
        deadline_row.addStretch(1)
        form.addRow("Hạn nộp:", deadline_row)
        layout.addLayout(form)

        self.level_label = QLabel()
        self.level_label.setWordWrap(True)
        self.level_label.setStyleSheet(WARNING_STYLE)
        layout.addWidget(self.level_label)
        self.plans_label = QLabel()
        self.plans_label.setWordWrap(True)
        layout.addWidget(self.plans_label)
        self.import_message = QLabel()
        self.import_message.setWordWrap(True)
        layout.addWidget(self.import_message)
        self.message_label = _error_label()
        layout.addWidget(self.message_label)
        layout.addStretch(1)

        self.package_button.clicked.connect(self.import_package)
        self.trust_button.clicked.connect(self.enrol_office_key)
        self.import_framework_button.clicked.connect(self.import_framework)
        self.import_tasks_button.clicked.connect(self.import_tasks)
        self.framework_combo.currentIndexChanged.connect(self._changed)
        self.package_radio.toggled.connect(self._on_mode)
        self._on_mode(True)

    def _on_mode(self, _checked: bool) -> None:
        self.package_box.setEnabled(self.package_radio.isChecked())
        self.existing_box.setEnabled(self.existing_radio.isChecked())
        self.trust_box.setVisible(self.needs_key and self.package_radio.isChecked())
        self._changed()

    def load_frameworks(self, select: str | None = None) -> None:
        """Fill the combo from the workspace, installing the embedded defaults if it has none."""
        ws = self._wizard.workspace
        frameworks = ws.frameworks.list()
        if not frameworks:
            try:
                install_defaults(ws)
            except ParAppError as err:
                self.import_message.setText(f"Không cài được bộ chỉ số mặc định: {err}")
            frameworks = ws.frameworks.list()
        wanted = select or self.combo_framework_id()
        self.framework_combo.blockSignals(True)
        self.framework_combo.clear()
        for fw in frameworks:
            self.framework_combo.addItem(choice_label(ws, fw), str(fw["id"]))
        pos = self.framework_combo.findData(wanted) if wanted else -1
        if pos < 0:
            pos = next(
                (
                    i
                    for i, fw in enumerate(frameworks)
                    if str(fw.get("index_kind", "")).upper() == "PAR"
                ),
                0,
            )
        self.framework_combo.setCurrentIndex(pos if frameworks else -1)
        self.framework_combo.blockSignals(False)
        self._show_plans()
        self._changed()

    def _show_plans(self) -> None:
        plans = self._wizard.workspace.tasks.plans()
        if not plans:
            self.plans_label.setText("Chưa có kế hoạch nhiệm vụ nào (không bắt buộc).")
            return
        current = self._wizard.workspace.current_plan_id()
        names = next((str(p["name"]) for p in plans if str(p["id"]) == current), "")
        self.plans_label.setText(
            f"Đã có {len(plans)} kế hoạch nhiệm vụ; đang theo dõi: {names}."
            if names
            else f"Đã có {len(plans)} kế hoạch nhiệm vụ."
        )

    def combo_framework_id(self) -> str | None:
        data = self.framework_combo.currentData()
        return str(data) if data else None

    def framework_id(self) -> str | None:
        """The chosen framework: the imported package's, or the one picked in the list."""
        if self.package_radio.isChecked():
            return self.package_framework
        return self.combo_framework_id()

    def framework_name(self) -> str:
        fid = self.framework_id()
        if fid is None:
            return ""
        pos = self.framework_combo.findData(fid)
        return self.framework_combo.itemText(pos) if pos >= 0 else fid

    def deadline(self) -> date | None:
        if not self.deadline_check.isChecked():
            return None
        d = self.deadline_edit.date()
        return date(d.year(), d.month(), d.day())

    def level_warning(self) -> str:
        """The level mismatch of the chosen framework with the unit of page 1 (``""``: none)."""
        choice, _problem = self._wizard.unit_page.evaluate()
        fid = self.framework_id()
        if choice is None or fid is None:
            return ""
        try:
            return level_mismatch(self._wizard.workspace.framework(fid), choice.unit)
        except ParAppError:
            return ""

    def _changed(self) -> None:
        if self.isComplete():
            self.message_label.setText("")
        elif self.package_radio.isChecked():
            self.message_label.setText(
                "Chưa có bộ chỉ số: hãy chọn tệp bộ chỉ số cấp trên gửi, hoặc dùng bộ chỉ số có "
                "sẵn trong máy."
            )
        else:
            self.message_label.setText("Chưa có bộ chỉ số: hãy nhập bộ chỉ số từ Excel.")
        self.level_label.setText(self.level_warning())
        self.completeChanged.emit()

    def initializePage(self) -> None:
        self._changed()  # the unit may have changed since the page was built

    def isComplete(self) -> bool:
        return self.framework_id() is not None

    def validatePage(self) -> bool:
        warning = self.level_warning()
        return not warning or self._wizard.ask_level_mismatch(warning)

    # -- the package the office above sends ---------------------------------------------------
    def import_package(self) -> None:
        path = self._wizard.ask_open_package()
        if path is None:
            return
        self.package_path = path
        self._import_package(path)

    def _import_package(self, path: Path) -> None:
        choice, problem = self._wizard.unit_page.evaluate()
        if choice is None:
            self._import_failed(path, ParAppError(problem))
            return
        ws = self._wizard.workspace
        try:
            done = import_package(ws, path, unit=choice.unit)
        except UntrustedPublisherError as err:
            self._ask_for_key(err)
            return
        except ParAppError as err:
            self.needs_key = False
            self.trust_box.hide()
            self._import_failed(path, err)
            return
        self.needs_key = False
        self.trust_box.hide()
        pkg = done.package
        self.package_framework = pkg.framework.id
        self._wizard.imported |= Changes(frameworks=True, tasks=True)
        if pkg.period.isdigit():
            self.year_spin.setValue(int(pkg.period))
        if pkg.deadline is not None:
            self.deadline_check.setChecked(True)
            self.deadline_edit.setDate(
                QDate(pkg.deadline.year, pkg.deadline.month, pkg.deadline.day)
            )
        self.package_label.setText(describe_import(done))
        self.import_message.setStyleSheet("")
        self.import_message.setText("")
        self.load_frameworks(select=pkg.framework.id)

    def _ask_for_key(self, err: UntrustedPublisherError) -> None:
        e = html.escape
        c = err.claims
        self.package_label.setText("")
        self.import_message.setText("")
        self.trust_label.setText(
            f"Gói bộ chỉ số do <b>{e(c.publisher_name)}</b> (mã {e(c.publisher_code)}) ký, "
            "nhưng máy này chưa tin khóa của đơn vị đó nên chưa nhập gì.<br>"
            "Dấu vân tay khóa đã ký gói:<br>"
            f"<span style='font-family: monospace; font-size: 14pt'><b>{e(c.fingerprint)}"
            "</b></span><br>Hãy nhận tệp khóa công khai (.pub) của đơn vị, gọi điện cho cán bộ "
            "đơn vị để so dấu vân tay, rồi chọn tệp khóa."
        )
        self.needs_key = True
        self.trust_box.show()

    def enrol_office_key(self) -> None:
        if self.package_path is None:
            return
        pub = self._wizard.ask_open_key()
        if pub is None:
            return
        ws = self._wizard.workspace
        try:
            fingerprint = key_file_fingerprint(pub)
            if not self._wizard.confirm_fingerprint(fingerprint):
                return
            trust_publisher_key(ws, self.package_path, pub)
        except ParAppError as err:
            self._import_failed(pub, err)
            return
        self._import_package(self.package_path)

    # -- the examples and Excel -------------------------------------------------------------------
    def import_framework(self) -> None:
        path = self._wizard.ask_open_file("Chọn tệp bộ chỉ số")
        if path is None:
            return
        try:
            fw = self._wizard.workspace.import_framework(path)
        except ParAppError as err:
            self._import_failed(path, err)
            return
        self._wizard.imported |= Changes(frameworks=True)
        self.import_message.setStyleSheet("")
        self.import_message.setText(f"Đã nhập bộ chỉ số “{fw.name}” từ {path.name}.")
        self.existing_radio.setChecked(True)
        self.load_frameworks(select=fw.id)

    def import_tasks(self) -> None:
        path = self._wizard.ask_open_file("Chọn tệp kế hoạch nhiệm vụ")
        if path is None:
            return
        ws = self._wizard.workspace
        try:
            plan = ws.import_tasks(path)
        except ParAppError as err:
            self._import_failed(path, err)
            return
        # The plan just imported is the one the officer wants to follow.
        ws.set_current_plan(plan.id)
        self._wizard.imported |= Changes(tasks=True)
        self.import_message.setStyleSheet("")
        self.import_message.setText(
            f"Đã nhập kế hoạch “{plan.name}” ({len(plan.tasks)} nhiệm vụ) từ {path.name}."
        )
        self._show_plans()

    def _import_failed(self, path: Path, err: ParAppError) -> None:
        self.import_message.setStyleSheet(ERROR_STYLE)
        self.import_message.setText(f"Không nhập được “{path.name}”:\n{err}")


class ConfirmPage(QWizardPage):
    """Page 4: what will be saved, to be read once before "Hoàn tất"."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Bước 4/4 — Xác nhận")
        self.setSubTitle("Kiểm tra lại thông tin rồi nhấn “Hoàn tất”.")
        layout = QVBoxLayout(self)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary_label)
        self.message_label = _error_label()
        layout.addWidget(self.message_label)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.message_label.setText("")
        self.summary_label.setText(self._wizard.summary_html())


class SetupWizard(QWizard):
    """Sets up (or changes) the unit, officer, framework, period and deadline of a workspace.

    With a ``session`` the wizard works on ``session.ws`` and notifies the session on finish.
    Without one it opens the workspace at ``data_dir`` itself; after ``accept`` the caller takes
    it over through :attr:`workspace` (after ``reject`` the wizard closes it).
    """

    def __init__(
        self, session: Session | None, data_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.data_dir = Path(data_dir)
        self._owns_workspace = session is None
        self._ws: Workspace | None = session.ws if session is not None else None
        self.imported = Changes()
        self.setWindowTitle("Thiết lập ParApp")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Tiếp tục >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.setMinimumSize(720, 560)

        self.unit_page = UnitPage(self)
        self.officer_page = OfficerPage()
        self.framework_page = FrameworkPage(self)
        self.confirm_page = ConfirmPage(self)
        for page in (self.unit_page, self.officer_page, self.framework_page, self.confirm_page):
            self.addPage(page)
        self.framework_page.load_frameworks()
        self._prefill()

    # -- workspace --------------------------------------------------------------------------------
    @property
    def workspace(self) -> Workspace:
        if self._ws is None:
            self._ws = Workspace.open(self.data_dir)
        return self._ws

    def find_unit(self, code: str) -> Unit | None:
        """A unit by code: the official catalogue first, then the workspace's own units."""
        entry = unit_catalogue.lookup(code)
        if entry is not None and (entry.code == code or code.isdigit()):
            return entry.to_unit()
        return self.workspace.units.find(code)

    def _prefill(self) -> None:
        ws = self.workspace
        unit = ws.own_unit()
        if unit is not None:
            self.unit_page.prefill(unit)
        officer = ws.officer()
        self.officer_page.name_edit.setText(officer.get("name", ""))
        self.officer_page.position_edit.setText(officer.get("position", ""))
        assessment = ws.current_assessment()
        if assessment is not None:
            page = self.framework_page
            if package_record(ws, assessment.framework_id) is not None:
                page.package_framework = assessment.framework_id
                page.package_radio.setChecked(True)
            else:
                page.existing_radio.setChecked(True)
            page.load_frameworks(select=assessment.framework_id)
            if assessment.period.isdigit():
                self.framework_page.year_spin.setValue(int(assessment.period))
        deadline = ws.deadline()
        if deadline is not None:
            self.framework_page.deadline_check.setChecked(True)
            self.framework_page.deadline_edit.setDate(
                QDate(deadline.year, deadline.month, deadline.day)
            )

    def start_with_package(self) -> None:
        """Open at the framework page with the package choice (the menu's "Nhập bộ chỉ số do
        cấp trên gửi…"): the unit and officer are already set and kept as they are."""
        self.setStartId(self.pageIds()[2])
        self.framework_page.package_radio.setChecked(True)

    # -- hooks (monkeypatched in tests) -----------------------------------------------------------
    def ask_open_file(self, caption: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, caption, "", EXCEL_FILTER)
        return Path(name) if name else None

    def ask_open_package(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp bộ chỉ số cấp trên gửi", "", PACKAGE_FILTER
        )
        return Path(name) if name else None

    def ask_open_key(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn tệp khóa công khai của cấp trên", "", KEY_FILTER
        )
        return Path(name) if name else None

    def confirm_fingerprint(self, fingerprint: str) -> bool:
        """Ask whether the fingerprint read out on the phone is this one."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("So dấu vân tay khóa")
        box.setText(
            f"Dấu vân tay của khóa trong tệp:\n\n{fingerprint}\n\nGọi điện cho cán bộ đơn vị "
            "cấp trên và so từng ký tự với dấu vân tay cán bộ đọc."
        )
        same = box.addButton("&Trùng khớp, tin khóa này", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Không khớp", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is same

    def ask_level_mismatch(self, message: str) -> bool:
        """Warn that the framework is for another level: True = use it anyway."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Bộ chỉ số không đúng cấp")
        box.setText(message)
        go = box.addButton("&Vẫn dùng bộ chỉ số này", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("&Chọn lại", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is go

    def ask_carry_over(self, change: FrameworkChange) -> bool | None:
        """Warn about a framework change or offer last period's answers and evidence: True =
        carry answers over, False = start empty, None = go back (tests replace this method)."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(change.title)
        box.setText(change.message())
        box.setInformativeText(change.question)
        carry = box.addButton(change.carry_button, QMessageBox.ButtonRole.AcceptRole)
        empty = box.addButton("Bắt đầu &trống", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("&Quay lại", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(carry)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is carry else False if clicked is empty else None

    # -- summary and finish -----------------------------------------------------------------------
    def summary_html(self) -> str:
        e = html.escape
        choice, problem = self.unit_page.evaluate()
        rows: list[tuple[str, str]] = []
        if choice is not None:
            rows.append(("Đơn vị", f"{e(choice.unit.name)} (mã {e(choice.unit.code)})"))
            rows.append(("Cấp", e(choice.unit.level.label)))
            if choice.parent is not None:
                rows.append(
                    ("Đơn vị cấp trên", f"{e(choice.parent.name)} (mã {e(choice.parent.code)})")
                )
        else:
            rows.append(("Đơn vị", f"<span style='{ERROR_STYLE}'>{e(problem)}</span>"))
        name = clean(self.officer_page.name_edit.text())
        position = clean(self.officer_page.position_edit.text())
        rows.append(("Cán bộ", e(name) + (f", {e(position)}" if position else "")))
        rows.append(("Bộ chỉ số", e(self.framework_page.framework_name())))
        warning = self.framework_page.level_warning()
        if warning:
            rows.append(("Lưu ý", f"<span style='{WARNING_STYLE}'>{e(warning)}</span>"))
        rows.append(("Kỳ đánh giá", f"Năm {self.framework_page.year_spin.value()}"))
        deadline = self.framework_page.deadline()
        rows.append(("Hạn nộp", deadline.strftime("%d/%m/%Y") if deadline else "Chưa đặt"))
        body = "".join(
            f"<tr><td style='padding:4px 12px 4px 0; color:#555'>{k}</td>"
            f"<td style='padding:4px 0'><b>{v}</b></td></tr>"
            for k, v in rows
        )
        return f"<table>{body}</table>"

    def apply(self) -> Changes:
        """Write the choices into the workspace; raise :class:`ParAppError` if one is refused."""
        choice, problem = self.unit_page.evaluate()
        if choice is None:
            raise ParAppError(problem)
        framework_id = self.framework_page.framework_id()
        if framework_id is None:
            raise ParAppError("Chưa chọn bộ chỉ số.")
        ws = self.workspace
        period = str(self.framework_page.year_spin.value())
        change = ws.framework_change(framework_id, period)
        carry = False
        if change is not None:
            answer = self.ask_carry_over(change)
            if answer is None:
                raise ParAppError(change.declined)
            carry = answer
        changes = ws.set_own_unit(choice.unit, choice.parent)
        changes |= ws.set_officer(
            self.officer_page.name_edit.text(), self.officer_page.position_edit.text()
        )
        if carry:
            ws.start_assessment_carrying_over(framework_id, period)
        else:
            ws.start_assessment(framework_id, period)
        ws.set_deadline(self.framework_page.deadline())
        return (
            changes
            | self.imported
            | Changes(unit=True, assessment=True, frameworks=True, tasks=True)
        )

    def accept(self) -> None:
        try:
            changes = self.apply()
        except ParAppError as err:
            self.confirm_page.message_label.setText(f"Chưa lưu được thiết lập: {err}")
            return
        if self.session is not None:
            self.session.notify(changes)
        super().accept()

    def reject(self) -> None:
        if self._owns_workspace and self._ws is not None:
            self._ws.close()
            self._ws = None
        super().reject()
