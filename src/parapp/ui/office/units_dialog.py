"""“Đơn vị cấp dưới”: the receiving office lists the units that report to it.

Why here and not only in the CLI: a province's Sở Nội vụ sets itself up once a year with a
hundred communes and wards; typing ``parapp units add`` a hundred times is not something a
civil servant does. The official catalogue already knows every commune of the province, so
the usual case is one click ("Thêm tất cả…"), then a search for the odd one, a name
corrected, a unit taken off the list while nothing has been received from it yet.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.models.text import fold
from parapp.services import unit_admin
from parapp.services.changes import Changes
from parapp.ui.session import Session

CODE_ROLE = Qt.ItemDataRole.UserRole


class UnitsDialog(QDialog):
    """The office's child units: add from the catalogue, rename, remove."""

    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Đơn vị cấp dưới")
        self.resize(860, 560)
        own = session.ws.require_unit()
        self.candidates = unit_admin.catalogue_candidates(session.ws)

        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"Các đơn vị nộp hồ sơ tự đánh giá cho <b>{own.name}</b>. Hồ sơ của đơn vị "
                "không có trong danh sách sẽ bị từ chối khi nhập."
            )
        )
        body = QHBoxLayout()
        layout.addLayout(body, 1)

        left = QVBoxLayout()
        body.addLayout(left, 3)
        self.count_label = QLabel()
        left.addWidget(self.count_label)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Mã", "Tên đơn vị"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _item: self.rename_selected())
        left.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.rename_button = QPushButton("Sửa &tên…")
        self.rename_button.clicked.connect(self.rename_selected)
        self.remove_button = QPushButton("&Bỏ khỏi danh sách")
        self.remove_button.clicked.connect(self.remove_selected)
        row.addWidget(self.rename_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        left.addLayout(row)

        right = QVBoxLayout()
        body.addLayout(right, 2)
        province = self.candidates[0].province_name if self.candidates else ""
        self.add_all_button = QPushButton(
            f"Thêm &tất cả xã, phường của {province}" if province else "Thêm tất cả"
        )
        self.add_all_button.setVisible(bool(self.candidates))
        self.add_all_button.clicked.connect(self.add_all)
        right.addWidget(self.add_all_button)
        right.addWidget(QLabel("Hoặc tìm trong danh mục đơn vị hành chính (từ 01/7/2025):"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Gõ tên xã, phường (có dấu hoặc không dấu)")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._fill_results)
        right.addWidget(self.search_edit)
        self.results = QListWidget()
        self.results.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.results.itemSelectionChanged.connect(self._update_buttons)
        self.results.itemDoubleClicked.connect(lambda _item: self.add_selected())
        right.addWidget(self.results, 1)
        self.add_button = QPushButton("&Thêm đơn vị đã chọn")
        self.add_button.clicked.connect(self.add_selected)
        right.addWidget(self.add_button)
        if not self.candidates:
            right.addWidget(
                QLabel(
                    "Đơn vị của bạn không phải một tỉnh, thành phố trong danh mục: thêm đơn "
                    "vị bằng lệnh “parapp units add”."
                )
            )

        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()

    # -- the list -------------------------------------------------------------------------
    def refresh(self) -> None:
        children = self.session.ws.child_units()
        self.table.setRowCount(len(children))
        for row, unit in enumerate(children):
            code = QTableWidgetItem(unit.code)
            code.setData(CODE_ROLE, unit.code)
            self.table.setItem(row, 0, code)
            self.table.setItem(row, 1, QTableWidgetItem(unit.name))
        self.table.resizeColumnToContents(0)
        self.count_label.setText(f"<b>{len(children)}</b> đơn vị cấp dưới")
        self._fill_results()
        self._update_buttons()

    def selected_code(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(CODE_ROLE)) if item is not None else None

    def _fill_results(self) -> None:
        present = {u.code for u in self.session.ws.child_units()}
        wanted = fold(self.search_edit.text())
        self.results.clear()
        shown = [
            e
            for e in self.candidates
            if e.code not in present and (not wanted or wanted in fold(e.name))
        ]
        for entry in shown[:300]:
            item = QListWidgetItem(f"{entry.name} ({entry.code})")
            item.setData(CODE_ROLE, entry.code)
            self.results.addItem(item)
        if not shown and self.candidates:
            hint = QListWidgetItem(
                "Không có đơn vị nào khớp." if wanted else "Mọi xã, phường đã có trong danh sách."
            )
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(hint)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_child = self.selected_code() is not None
        self.rename_button.setEnabled(has_child)
        self.remove_button.setEnabled(has_child)
        self.add_button.setEnabled(bool(self.results.selectedItems()))
        present = {u.code for u in self.session.ws.child_units()}
        self.add_all_button.setEnabled(any(e.code not in present for e in self.candidates))

    # -- actions ----------------------------------------------------------------------------
    def _add(self, codes: set[str]) -> None:
        entries = [e for e in self.candidates if e.code in codes]
        try:
            added = unit_admin.add_children(self.session.ws, entries)
        except ParAppError as err:
            self._fail(str(err))
            return
        self.message.setText(f"Đã thêm {len(added)} đơn vị.")
        self._done()

    def add_all(self) -> None:
        self._add({e.code for e in self.candidates})

    def add_selected(self) -> None:
        self._add({str(i.data(CODE_ROLE)) for i in self.results.selectedItems()})

    def rename_selected(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        unit = self.session.ws.unit(code)
        name, ok = QInputDialog.getText(
            self, "Sửa tên đơn vị", f"Tên đơn vị mã {code}:", QLineEdit.EchoMode.Normal, unit.name
        )
        if not ok:
            return
        try:
            unit_admin.edit_unit(self.session.ws, code, name=name)
        except ParAppError as err:
            self._fail(str(err))
            return
        self.message.setText(f"Đã sửa tên đơn vị {code}.")
        self._done()

    def remove_selected(self) -> None:
        code = self.selected_code()
        if code is None:
            return
        name = self.session.ws.unit(code).name
        answer = QMessageBox.question(
            self,
            "Bỏ đơn vị khỏi danh sách",
            f"Bỏ {name} ({code}) khỏi danh sách đơn vị cấp dưới?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            unit_admin.remove_child(self.session.ws, code)
        except ParAppError as err:
            self._fail(str(err))
            return
        self.message.setText(f"Đã bỏ {name} khỏi danh sách.")
        self._done()

    def _fail(self, text: str) -> None:
        self.message.setText(f"<span style='color:#c5221f'>{text}</span>")

    def _done(self) -> None:
        self.refresh()
        self.session.notify(Changes(unit=True))
        self.changed.emit()
