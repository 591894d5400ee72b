"""“Hợp nhất kết quả thẩm định”: the secretary merges the council members' partial results.

Everything only one member appraised (or all agreed on) is taken at once; each conflict is
shown side by side — member, score, state, note — with a choice that must be made before
anything is changed for that item (:mod:`parapp.services.office.merge`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.services.changes import Changes
from parapp.services.office import merge
from parapp.services.office.merge import MergeReport
from parapp.ui.office.common import MessageLine
from parapp.ui.session import Session

UNDECIDED = "— chưa chọn —"
HEADERS = ("Đơn vị", "Tiêu chí", "Các kết quả khác nhau", "Chọn kết quả")


class MergeDialog(QDialog):
    """Runs the merge of ``files`` at once; conflicts wait for a choice each."""

    def __init__(self, session: Session, files: list[Path], parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.files = files
        self.report: MergeReport | None = None
        self.setWindowTitle("Hợp nhất kết quả thẩm định của các thành viên")
        self.setMinimumWidth(760)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.message = MessageLine()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close
        )
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setText("Áp dụng &lựa chọn")
        self.apply_button.clicked.connect(self.apply_choices)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đó&ng")
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._run({})

    def _run(self, choices: dict[tuple[str, str], str]) -> None:
        try:
            report = merge.merge_partials(self.session.ws, self.files, choices)
        except ParAppError as err:
            self.message.error(str(err))
            self.apply_button.setEnabled(False)
            return
        self.report = report
        self.session.notify(Changes(appraisal=True))
        self._show(report)

    def _show(self, report: MergeReport) -> None:
        done = f"Đã hợp nhất {len(report.applied)} tiêu chí"
        if report.resolved:
            done += f" (trong đó {len(report.resolved)} xung đột đã chọn)"
        if report.conflicts:
            done += (
                f". Còn {len(report.conflicts)} tiêu chí các thành viên chấm khác nhau: chưa "
                "thay đổi gì ở các tiêu chí này; hãy chọn kết quả cho từng tiêu chí."
            )
        self.summary.setText(done + ("." if not report.conflicts else ""))
        self.table.setRowCount(len(report.conflicts))
        for row, c in enumerate(report.conflicts):
            self.table.setItem(row, 0, QTableWidgetItem(c.unit_code))
            self.table.setItem(row, 1, QTableWidgetItem(c.code))
            self.table.setItem(row, 2, QTableWidgetItem("\n".join(p.text() for p in c.options)))
            combo = QComboBox()
            combo.addItem(UNDECIDED, "")
            for p in c.options:
                combo.addItem(p.member, p.member)
            self.table.setCellWidget(row, 3, combo)
        self.table.resizeRowsToContents()
        self.apply_button.setEnabled(bool(report.conflicts))

    def choice_combo(self, row: int) -> QComboBox:
        widget = self.table.cellWidget(row, 3)
        assert isinstance(widget, QComboBox)
        return widget

    def apply_choices(self) -> None:
        """Merge again with the choices made; undecided conflicts stay untouched."""
        if self.report is None:
            return
        choices = {}
        for row, c in enumerate(self.report.conflicts):
            member = str(self.choice_combo(row).currentData() or "")
            if member:
                choices[(c.unit_code, c.code)] = member
        if not choices:
            self.message.error("Hãy chọn kết quả cho ít nhất một tiêu chí.")
            return
        self._run(choices)
        self.message.say(f"Đã áp dụng {len(choices)} lựa chọn.")
