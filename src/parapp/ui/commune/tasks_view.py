"""The "Nhiệm vụ" tab: the tasks a province's plan assigns, their deadlines and their status.

Officers are asked at every review which assigned tasks are late; the screen shows the plan as
its documents do (objective → task → product), filters to what concerns the commune (status,
lead agency, overdue), and records each status change with a note and optionally a proof
file, so the history can be shown to the appraisal council.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.services.changes import Changes
from parapp.services.importing import write_tasks_file
from parapp.ui import messages
from parapp.ui.commune.task_criteria_dialog import TaskCriteriaDialog
from parapp.ui.commune.task_status_dialog import StatusUpdate, TaskStatusDialog
from parapp.ui.commune.tasks_model import (
    COL_CODE,
    COL_COORD,
    COL_DUE,
    COL_LEAD,
    COL_PRODUCT,
    COL_SCHEDULE,
    COL_STATUS,
    COL_TITLE,
    TaskFilter,
    TasksModel,
    format_date,
    is_heading,
)
from parapp.ui.commune.undo_commands import SetTaskStatusCommand
from parapp.ui.session import TASKS, Session

if TYPE_CHECKING:  # annotations only: the UI reaches these layers through services
    from parapp.storage.tasks_repo import TaskEvent

TodayArg = date | Callable[[], date]
ITEM_SCHEME = "item"


def _today_fn(today: TodayArg) -> Callable[[], date]:
    if isinstance(today, date):
        fixed = today
        return lambda: fixed
    return today


def format_event_time(at: str) -> str:
    """``2026-11-21T19:39:42.566+00:00`` -> ``"22/11/2026 02:39"`` in local time."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d/%m/%Y %H:%M")


class TasksView(QWidget):
    """Plan selector, filters, task tree and the detail panel of the selected task."""

    def __init__(
        self,
        session: Session,
        parent: QWidget | None = None,
        *,
        today: TodayArg = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._today = _today_fn(today)
        self._plan_id: str | None = None
        self._build()
        session.changed.connect(self._on_changed)
        self.reload()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.plan_label = QLabel("&Kế hoạch:")
        self.plan_combo = QComboBox()
        self.plan_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.plan_combo.setMinimumContentsLength(30)
        self.plan_label.setBuddy(self.plan_combo)
        self.plan_combo.currentIndexChanged.connect(self._on_plan_chosen)
        self.plan_name = QLabel()
        self.plan_name.setWordWrap(True)
        top.addWidget(self.plan_label)
        top.addWidget(self.plan_combo, 1)
        top.addStretch(0)
        self.export_button = QPushButton("Xuất kế hoạch ra &Excel…")
        self.export_button.setToolTip(
            "Ghi kế hoạch đang xem (nhiệm vụ, hạn, trạng thái, tiêu chí liên quan) ra tệp Excel "
            "cùng mẫu với tệp nhập"
        )
        self.export_button.clicked.connect(self.export_plan)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addWidget(self.plan_name)

        filters = QHBoxLayout()
        status_label = QLabel("T&rạng thái:")
        self.status_combo = QComboBox()
        self.status_combo.addItem("Mọi trạng thái", None)
        for status in TaskStatus:
            self.status_combo.addItem(status.label, status.value)
        status_label.setBuddy(self.status_combo)
        lead_label = QLabel("C&hủ trì:")
        self.lead_edit = QLineEdit()
        self.lead_edit.setPlaceholderText("Tên cơ quan, gõ không dấu được")
        self.lead_edit.setClearButtonEnabled(True)
        lead_label.setBuddy(self.lead_edit)
        self.overdue_check = QCheckBox("Chỉ hiện nhiệm vụ &quá hạn")
        self.count_label = QLabel()
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)
        filters.addWidget(lead_label)
        filters.addWidget(self.lead_edit, 1)
        filters.addWidget(self.overdue_check)
        filters.addWidget(self.count_label)
        layout.addLayout(filters)
        self.status_combo.currentIndexChanged.connect(self._apply_filter)
        self.lead_edit.textChanged.connect(self._apply_filter)
        self.overdue_check.toggled.connect(self._apply_filter)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.model = TasksModel(self, today=self._today)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(12)
        widths = {
            COL_CODE: 120,
            COL_TITLE: 330,
            COL_SCHEDULE: 110,
            COL_DUE: 85,
            COL_LEAD: 170,
            COL_COORD: 170,
            COL_PRODUCT: 260,
            COL_STATUS: 115,
        }
        for col, width in widths.items():
            self.tree.setColumnWidth(col, width)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection)
        self.tree.activated.connect(lambda _i: self.open_status_dialog())
        splitter.addWidget(self.tree)

        detail_host = QWidget()
        detail_layout = QVBoxLayout(detail_host)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.setOpenExternalLinks(False)
        self.detail.anchorClicked.connect(self._on_link)
        detail_layout.addWidget(self.detail, 1)
        self.update_button = QPushButton("Cập nhật &trạng thái…")
        self.update_button.setToolTip("Ghi trạng thái mới, ghi chú và tệp kết quả (Enter)")
        self.update_button.clicked.connect(self.open_status_dialog)
        detail_layout.addWidget(self.update_button)
        self.criteria_button = QPushButton("Gắn tiêu chí &liên quan…")
        self.criteria_button.setToolTip("Chọn các tiêu chí mà nhiệm vụ này phục vụ")
        self.criteria_button.clicked.connect(self.open_criteria_dialog)
        detail_layout.addWidget(self.criteria_button)
        splitter.addWidget(detail_host)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 320])
        layout.addWidget(splitter, 1)

    # -- loading ------------------------------------------------------------------------------
    def _on_changed(self, changes: Changes) -> None:
        if changes.tasks or changes.frameworks or changes.assessment:
            self.reload()

    def reload(self) -> None:
        """Re-read the plans and the shown plan, keeping the selected task where possible."""
        selected = self.current_task()
        ws = self.session.ws
        plans = ws.tasks.plans()
        wanted = self._plan_id or ws.current_plan_id()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for p in plans:
            self.plan_combo.addItem(f"{p['name']} ({p['year']})", str(p["id"]))
        pos = self.plan_combo.findData(wanted) if wanted else -1
        if pos < 0 and plans:
            pos = 0
        self.plan_combo.setCurrentIndex(pos)
        self.plan_combo.blockSignals(False)
        many = len(plans) > 1
        self.plan_combo.setVisible(many)
        self.plan_label.setVisible(many)
        self._load_plan(str(self.plan_combo.currentData()) if pos >= 0 else None)
        if selected is not None:
            self.select_task(selected.code)

    def _on_plan_chosen(self, _index: int) -> None:
        data = self.plan_combo.currentData()
        self._load_plan(str(data) if data else None)

    def _load_plan(self, plan_id: str | None) -> None:
        plan: TaskPlan | None = None
        if plan_id is not None:
            try:
                plan = self.session.ws.tasks.get_plan(plan_id)
            except ParAppError:
                plan = None
        self._plan_id = plan.id if plan else None
        if plan is None:
            self.plan_name.setText(
                "Chưa có kế hoạch nhiệm vụ. Nhập kế hoạch từ Excel trong “Tệp → Thiết lập lại…”."
            )
        else:
            # With several plans the combo names the plan; the decision is its source.
            several = self.plan_combo.count() > 1
            shown = html.escape(plan.decision) if several else f"<b>{html.escape(plan.name)}</b>"
            self.plan_name.setText(f"<span style='color:#555'>{shown}</span>" if several else shown)
            self.plan_name.setToolTip(plan.decision)
            self.plan_combo.setToolTip(plan.decision)
        self.model.set_plan(plan)
        self.export_button.setEnabled(plan is not None)
        self._after_reset()

    @property
    def plan_id(self) -> str | None:
        return self._plan_id

    # -- filtering ------------------------------------------------------------------------------
    def _apply_filter(self) -> None:
        data = self.status_combo.currentData()
        status = TaskStatus(str(data)) if data else None
        self.model.set_filter(
            TaskFilter(status, self.lead_edit.text(), self.overdue_check.isChecked())
        )
        self._after_reset()

    def _after_reset(self) -> None:
        self.tree.expandAll()
        plan = self.model.plan
        total = len(plan.tasks) if plan else 0
        shown = len(self.model.visible_codes())
        today = self._today()
        overdue = sum(1 for t in plan.tasks if plan.is_overdue(t, today)) if plan else 0
        text = f"{shown} / {total} dòng" if self.model.task_filter.active else f"{total} dòng"
        if overdue:
            text += f" · <span style='color:#b3261e'><b>{overdue} quá hạn</b></span>"
        elif plan is not None and plan.is_over(today):
            text += f" · Hết kỳ kế hoạch ({format_date(plan.period_end)})"
        self.count_label.setText(text)
        self._show_detail(self.current_task())

    # -- selection and detail --------------------------------------------------------------------
    def current_task(self) -> Task | None:
        return self.model.task(self.tree.currentIndex())

    def select_task(self, code: str) -> bool:
        """Select the visible task ``code``; False when it is not shown (filtered out)."""
        index = self.model.index_of(code)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail(self.current_task())

    def _show_detail(self, task: Task | None) -> None:
        actionable = task is not None and not is_heading(
            task, self.model.has_task_children(task.code)
        )
        self.update_button.setEnabled(actionable and self._plan_id is not None)
        self.criteria_button.setEnabled(actionable and self._plan_id is not None)
        if task is None:
            self.detail.setHtml(
                "<p style='color:#555'>Chọn một nhiệm vụ để xem chi tiết và cập nhật trạng thái."
                "</p>"
            )
            return
        self.detail.setHtml(self.detail_html(task))

    def detail_html(self, task: Task) -> str:
        """Every field of ``task``, its linked criteria as links, and its status history."""
        e = html.escape
        today = self._today()
        rows: list[tuple[str, str]] = [
            ("Tiến độ", e(task.deadline_text)),
            ("Hạn", e(format_date(task.due_date))),
            ("Chủ trì", e(task.lead)),
            ("Phối hợp", e(task.coordinators)),
            ("Kết quả/sản phẩm", e(task.product)),
            ("Trạng thái", e(task.status.label)),
            ("Ghi chú", e(task.note)),
        ]
        parts = [f"<p style='font-size:large'><b>{e(task.code)}</b> — {e(task.title)}</p>"]
        plan = self.model.plan
        if plan is not None and plan.is_overdue(task, today):
            parts.append(
                f"<p style='color:#b3261e'><b>Quá hạn</b> từ {e(format_date(task.due_date))}</p>"
            )
        elif plan is not None and plan.lapsed(task, today):
            parts.append(
                f"<p style='color:#555'><b>Hết kỳ kế hoạch</b> (kỳ kết thúc "
                f"{e(format_date(plan.period_end))}) khi nhiệm vụ chưa hoàn thành</p>"
            )
        parts.append("<table cellspacing='0' cellpadding='3'>")
        for label, value in rows:
            if value:
                parts.append(
                    f"<tr><td valign='top' style='color:#555'>{label}</td><td>{value}</td></tr>"
                )
        parts.append("</table>")
        if task.criteria_codes:
            titles = self._criterion_titles()
            links = []
            for code in task.criteria_codes:
                title = titles.get(code, "")
                text = f"{e(code)} — {e(title)}" if title else e(code)
                links.append(f"<li><a href='{ITEM_SCHEME}:{e(code)}'>{text}</a></li>")
            parts.append("<p><b>Tiêu chí liên quan</b></p><ul>" + "".join(links) + "</ul>")
        events = self._events(task.code)
        parts.append("<p><b>Lịch sử cập nhật</b></p>")
        if not events:
            parts.append("<p style='color:#555'>Chưa có lần cập nhật nào.</p>")
        else:
            items = []
            for ev in reversed(events):
                line = f"{e(format_event_time(ev.at))}: <b>{e(ev.status.label)}</b>"
                if ev.note:
                    line += f" — {e(ev.note)}"
                if ev.evidence_name:
                    line += f" (tệp: {e(ev.evidence_name)})"
                items.append(f"<li>{line}</li>")
            parts.append("<ul>" + "".join(items) + "</ul>")
        return "".join(parts)

    def _criterion_titles(self) -> dict[str, str]:
        try:
            fw = self.session.ws.current_framework()
        except ParAppError:
            return {}
        return {c.code: c.title for c in fw.criteria}

    def _events(self, code: str) -> list[TaskEvent]:
        if self._plan_id is None:
            return []
        return self.session.ws.task_events(self._plan_id, code)

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith(f"{ITEM_SCHEME}:"):
            self.session.select_item(text.removeprefix(f"{ITEM_SCHEME}:"))

    # -- status update -----------------------------------------------------------------------------
    def open_status_dialog(self) -> None:
        task = self.current_task()
        if task is None or not self.update_button.isEnabled():
            return
        dialog = TaskStatusDialog(task, self)
        try:
            if self.run_dialog(dialog):
                self.update_status(task.code, dialog.result_update())
        finally:
            dialog.deleteLater()

    def open_criteria_dialog(self) -> None:
        task = self.current_task()
        if task is None or not self.criteria_button.isEnabled():
            return
        try:
            criteria = list(self.session.ws.current_framework().criteria)
        except ParAppError:
            criteria = []
        dialog = TaskCriteriaDialog(task, criteria, self)
        try:
            if self.run_dialog(dialog):
                self.set_task_criteria(task.code, dialog.codes_text())
        finally:
            dialog.deleteLater()

    def set_task_criteria(self, code: str, text: str) -> bool:
        """Link task ``code`` to the criteria typed in ``text`` and tell every view."""
        if self._plan_id is None:
            return False
        try:
            changes = self.session.ws.set_task_criteria(self._plan_id, code, text)
        except ParAppError as err:
            self.show_error(str(err))
            return False
        self.session.notify(changes)
        return True

    def run_dialog(self, dialog: QDialog) -> bool:
        """Run a modal dialog (monkeypatched in tests)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def update_status(self, code: str, update: StatusUpdate) -> bool:
        """Store the proof file (if any), record the new status, and tell every view."""
        if self._plan_id is None:
            return False
        ws = self.session.ws
        try:
            stored = None
            name = ""
            if update.evidence_path is not None:
                path = Path(update.evidence_path)
                stored = ws.store_evidence_file(path)
                name = path.name
            old = ws.task(self._plan_id, code).status
            command = SetTaskStatusCommand(
                self.session, self._plan_id, code, old, update.status, update.note, stored, name
            )
            self.session.stack(TASKS).push(command)  # runs redo(): the change itself
        except ParAppError as err:
            self.show_error(str(err))
            return False
        return True

    # -- export ------------------------------------------------------------------------------------
    def export_plan(self) -> Path | None:
        """Write the plan on show to an Excel file in the layout "Nhập kế hoạch từ Excel…"
        reads back (tasks, deadlines, status, linked criteria); the path written or None."""
        if self._plan_id is None:
            return None
        ws = self.session.ws
        try:
            plan = ws.tasks.get_plan(self._plan_id)
        except ParAppError as err:
            self.warn("Không xuất được kế hoạch", str(err))
            return None
        path = self.ask_save_path(str(Path.home() / f"ke-hoach-{plan.id}.xlsx"))
        if path is None:
            return None
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            write_tasks_file(plan, path)
        except ParAppError as err:
            self.warn("Không xuất được kế hoạch", f"Không ghi được “{path.name}”: {err}")
            return None
        self.tell(
            "Đã xuất kế hoạch",
            f"Đã ghi {len(plan.tasks)} dòng của kế hoạch “{plan.name}” vào:\n{path}",
        )
        return path

    def ask_save_path(self, suggested: str) -> Path | None:
        """The native save dialog (tests replace it)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Xuất kế hoạch ra Excel", suggested, "Bảng tính Excel (*.xlsx)"
        )
        return Path(name) if name else None

    def tell(self, title: str, text: str) -> None:
        """Say that something was done (monkeypatched in tests)."""
        messages.show_info(self, title, text)

    def warn(self, title: str, text: str) -> None:
        """Say what could not be done (monkeypatched in tests)."""
        messages.show_error(self, title, text)

    def show_error(self, message: str) -> None:
        """Tell the officer what went wrong (monkeypatched in tests)."""
        messages.show_error(self, "Không cập nhật được trạng thái", message)

    def current_index(self) -> QModelIndex | QPersistentModelIndex:
        return self.tree.currentIndex()
