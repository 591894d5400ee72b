"""The right panel: what an item asks for, then the inputs its scoring rule needs.

Never-lose-work: every input is written to the workspace as soon as it is complete —
immediately for arrows and radio buttons, after a 300 ms pause for typed text, and on
focus-out, item switch and window close (:meth:`ItemForm.commit`). Each write is one undo
step; a burst of typing in one field merges into one step.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6 import QtWidgets  # the list of a parent's children: built on first use
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from parapp.models.assessment import Answer, AnswerStatus
from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion, Framework
from parapp.models.numbers import read_number
from parapp.models.rollup import ProblemKind, leaf_problems
from parapp.models.scoring import (
    RuleKind,
    computed_score,
    describe_band,
    describe_rule,
    percentage,
    score_range,
)
from parapp.models.tasks import tasks_for_criterion
from parapp.models.text import format_number, parse_number
from parapp.services.changes import Changes
from parapp.services.commune import requests
from parapp.ui.commune.undo_commands import ConfirmCarriedCommand, SetAnswerCommand
from parapp.ui.icons import status_icon
from parapp.ui.session import Session

if TYPE_CHECKING:  # loaded only when there is a last period to show
    from parapp.services.commune.previous_period import PreviousPeriod

DEBOUNCE_MS = 300
SURVEY_NOTE = "Tiêu chí này được chấm qua điều tra xã hội học, đơn vị không tự chấm."
GUIDANCE_LABELS = (
    ("requirement", "Yêu cầu"),
    ("target", "Chỉ tiêu"),
    ("evidence", "Tài liệu kiểm chứng cần có"),
    ("deadline", "Thời hạn"),
    ("lead", "Cơ quan chủ trì"),
    ("coordinators", "Cơ quan phối hợp"),
)
ERROR_STYLE = "color: #b3261e;"
PROBLEM_STYLE = "color: #b3261e;"
CARRIED_STYLE = "background: #e8f0fe; border: 1px solid #8ab4f8; padding: 4px; color: #202124;"


class ScoreSpinBox(QAbstractSpinBox):
    """A score editor: arrows step on the framework's grid within 0..max; typing accepts a
    decimal comma ("1,5") and anything typed is checked by the workspace, so a score above
    the maximum is refused with the workspace's Vietnamese message instead of being
    silently clamped (the officer must see that the figure was not taken)."""

    stepped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.maximum = 0.0
        self.minimum = 0.0
        self.step = 0.25
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(110)

    def configure(self, maximum: float, score_step: float, minimum: float = 0.0) -> None:
        self.maximum = maximum
        self.minimum = minimum
        grid = score_step if score_step > 0 else 0.25
        self.step = grid * max(1, math.ceil(0.25 / grid - 1e-9))

    def value(self) -> float | None:
        """The typed score; raises ``ValueError`` when it is not a number."""
        return parse_number(self.text())

    def set_value(self, value: float | None) -> None:
        self.lineEdit().setText(format_number(value) if value is not None else "")

    def stepBy(self, steps: int) -> None:
        try:
            current = self.value() or 0.0
        except ValueError:
            current = 0.0
        units = round(current / self.step) + steps
        new = min(max(units * self.step, self.minimum), self.maximum)
        self.set_value(round(new, 4))
        self.stepped.emit()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        try:
            current = self.value()
        except ValueError:
            current = None
        flags = QAbstractSpinBox.StepEnabledFlag.StepNone
        if self.isReadOnly():
            return flags
        if current is None or current < self.maximum - 1e-9:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
        if current is not None and current > self.minimum + 1e-9:
            flags |= QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        return flags


class _CurrentPageStack(QStackedWidget):
    """A stack as tall as the page it shows, not as its tallest page (no gap under a leaf)."""

    def __init__(self) -> None:
        super().__init__()
        self.currentChanged.connect(lambda _i: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


def _wrap_label(text: str = "", selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def band_table_html(c: Criterion) -> str:
    """The band rule as a small table, highest band first."""
    rows = []
    for band in c.rule.bands:
        cond = describe_band(band, c.rule.measure)
        rows.append(
            f"<tr><td>{cond}</td><td align='right'>{format_number(band.points)} điểm</td></tr>"
        )
    return (
        "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#c0c0c0'>"
        "<tr><th align='left'>Mức đạt</th><th align='right'>Điểm</th></tr>"
        + "".join(rows)
        + "</table>"
    )


class ItemForm(QWidget):
    """Guidance and inputs for the selected node; a summary page for areas and criteria."""

    saved = Signal(str)  # code, after each successful write to the workspace

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.code: str | None = None
        self.criterion: Criterion | None = None
        self._fw: Framework | None = None
        self._pending: dict[str, Any] = {}
        self._typed = False  # pending edits come from typing (mergeable undo steps)
        # fields whose typed text is not a valid number: kept on screen, marked, never
        # dropped silently; the message stays until the text is fixed
        self._invalid: dict[str, str] = {}
        self._loading = False
        self._committing = False
        self._previous: tuple[int, PreviousPeriod | None] | None = None  # per assessment id
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.commit)
        self._build()
        session.changed.connect(self._on_changed)
        self.show_item(None)

    # -- construction ---------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title_label = _wrap_label()
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)
        self.meta_label = _wrap_label()
        self.meta_label.setStyleSheet("color: #444;")
        outer.addWidget(self.title_label)
        outer.addWidget(self.meta_label)
        # "Kỳ trước (2024): tự chấm 1,5 · thẩm định 1": last period's figures for the item
        self.previous_label = _wrap_label()
        self.previous_label.setStyleSheet("color: #444;")
        self.previous_label.hide()
        outer.addWidget(self.previous_label)
        # an answer carried over from the last period, until the officer reviews it
        self.carried_box = QWidget()
        self.carried_box.setObjectName("carriedBox")
        self.carried_box.setStyleSheet(f"#carriedBox {{{CARRIED_STYLE}}}")
        carried_layout = QHBoxLayout(self.carried_box)
        carried_layout.setContentsMargins(6, 4, 6, 4)
        self.carried_label = _wrap_label()
        self.confirm_button = QPushButton("Đã &xem lại")
        self.confirm_button.setToolTip(
            "Câu trả lời và tài liệu lấy từ kỳ trước vẫn đúng cho kỳ này: bỏ đánh dấu"
        )
        self.confirm_button.clicked.connect(self.confirm_carried)
        carried_layout.addWidget(self.carried_label, 1)
        carried_layout.addWidget(self.confirm_button)
        self.carried_box.hide()
        outer.addWidget(self.carried_box)
        self.request_label = _wrap_label()  # the parent's request on this item, if any
        self.request_label.setTextFormat(Qt.TextFormat.RichText)
        self.request_label.setStyleSheet(
            "background: #fde7c8; border: 1px solid #e0a040; padding: 6px; color: #202124;"
        )
        self.request_label.hide()
        outer.addWidget(self.request_label)

        self.guidance_box = QGroupBox("Hướng dẫn")
        self.guidance_layout = QFormLayout(self.guidance_box)
        self.guidance_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.guidance_labels: dict[str, QLabel] = {}
        for key, caption in GUIDANCE_LABELS:
            value = _wrap_label()
            self.guidance_layout.addRow(f"{caption}:", value)
            self.guidance_labels[key] = value
        self.tasks_label = _wrap_label()
        self.guidance_layout.addRow("Nhiệm vụ liên quan:", self.tasks_label)
        outer.addWidget(self.guidance_box)

        self.pages = _CurrentPageStack()
        self.pages.addWidget(self._build_leaf_page())
        self._node_placeholder: QWidget | None = QWidget()  # see _ensure_node_page
        self.pages.addWidget(self._node_placeholder)
        self.pages.addWidget(_wrap_label("Chọn một tiêu chí ở cây bên trái để bắt đầu."))
        outer.addWidget(self.pages)
        outer.addStretch(1)

    def _build_leaf_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.input_box = QGroupBox("Tự chấm điểm")
        form = QFormLayout(self.input_box)
        self.input_form = form

        self.numerator_edit = QLineEdit()
        self.numerator_edit.setPlaceholderText("ví dụ: 95")
        self.denominator_edit = QLineEdit()
        self.denominator_edit.setPlaceholderText("ví dụ: 100")
        self.value_edit = QLineEdit()
        self.score_edit = ScoreSpinBox()
        self.yes_radio = QRadioButton("&Có")
        self.no_radio = QRadioButton("&Không")
        self.yes_no_group = QButtonGroup(self)
        self.yes_no_group.addButton(self.yes_radio, 1)
        self.yes_no_group.addButton(self.no_radio, 0)
        yes_no = QWidget()
        yn_layout = QHBoxLayout(yes_no)
        yn_layout.setContentsMargins(0, 0, 0, 0)
        yn_layout.addWidget(self.yes_radio)
        yn_layout.addWidget(self.no_radio)
        yn_layout.addStretch(1)
        self.yes_no_widget = yes_no
        for edit in (self.numerator_edit, self.denominator_edit, self.value_edit):
            edit.setMaximumWidth(200)
        self.score_edit.setMaximumWidth(200)

        form.addRow("Số hồ sơ/việc đạt:", self.numerator_edit)
        form.addRow("Tổng số:", self.denominator_edit)
        form.addRow("Giá trị đo được:", self.value_edit)
        form.addRow("Điểm tự chấm:", self.score_edit)
        form.addRow("Kết quả:", yes_no)
        self.na_check = QCheckBox()
        form.addRow(self.na_check)
        self.result_label = _wrap_label()
        self.result_label.setStyleSheet("font-weight: bold;")
        form.addRow(self.result_label)
        self.band_label = QLabel()
        self.band_label.setTextFormat(Qt.TextFormat.RichText)
        form.addRow("Thang điểm:", self.band_label)
        self.survey_label = _wrap_label(SURVEY_NOTE)
        self.survey_label.setStyleSheet("color: #1a4f9c; font-style: italic;")
        form.addRow(self.survey_label)
        self.error_label = _wrap_label()
        self.error_label.setStyleSheet(ERROR_STYLE)
        form.addRow(self.error_label)
        layout.addWidget(self.input_box)

        self.explanation_label = QLabel("Giải trình:")
        layout.addWidget(self.explanation_label)
        self.explanation_edit = QPlainTextEdit()
        self.explanation_edit.setPlaceholderText(
            "Giải trình khi chưa đạt điểm tối đa hoặc chưa có tài liệu kiểm chứng…"
        )
        self.explanation_edit.setTabChangesFocus(True)
        self.explanation_edit.setMinimumHeight(70)
        self.explanation_edit.setMaximumHeight(100)
        layout.addWidget(self.explanation_edit)
        self.problems_label = _wrap_label()
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        layout.addWidget(self.problems_label)

        for edit, field in (
            (self.numerator_edit, "numerator"),
            (self.denominator_edit, "denominator"),
            (self.value_edit, "value"),
        ):
            edit.textEdited.connect(lambda _t, f=field, e=edit: self._typed_number(f, e))
            edit.editingFinished.connect(self.commit)
        self.score_edit.lineEdit().textEdited.connect(lambda _t: self._typed_score())
        self.score_edit.stepped.connect(self._stepped_score)
        self.score_edit.editingFinished.connect(self.commit)
        self.yes_no_group.idClicked.connect(self._clicked_yes_no)
        self.na_check.clicked.connect(self._clicked_not_applicable)
        self.explanation_edit.textChanged.connect(self._typed_explanation)
        self.explanation_edit.installEventFilter(self)
        return page

    def _ensure_node_page(self) -> None:
        """Build the parent-item page (its score, progress and children) when a parent item
        is first shown: the window opens on a leaf, so a start builds only the leaf page
        (bench/bench_startup.py)."""
        placeholder = self._node_placeholder
        if placeholder is None:
            return
        self.pages.insertWidget(1, self._build_node_page())
        self.pages.removeWidget(placeholder)
        placeholder.deleteLater()
        self._node_placeholder = None

    def _build_node_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.node_score_label = _wrap_label()
        self.node_progress = QProgressBar()
        self.node_progress.setFormat("Đã làm %v/%m tiêu chí")
        self.node_problems_label = _wrap_label()
        self.node_problems_label.setStyleSheet(PROBLEM_STYLE)
        self.children_list = QtWidgets.QListWidget()
        self.children_list.setMinimumHeight(160)
        self.children_list.setWordWrap(True)
        self.children_list.setResizeMode(QtWidgets.QListWidget.ResizeMode.Adjust)
        self.children_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.children_list.itemActivated.connect(self._open_child)
        self.children_list.itemClicked.connect(self._open_child)
        layout.addWidget(self.node_score_label)
        layout.addWidget(self.node_progress)
        layout.addWidget(self.node_problems_label)
        layout.addWidget(QLabel("Các tiêu chí con (bấm để mở):"))
        layout.addWidget(self.children_list)
        return page

    # -- showing an item ------------------------------------------------------------------
    def show_item(self, code: str | None) -> None:
        """Show ``code`` (after saving what was typed for the previous item)."""
        self.commit()
        self._timer.stop()
        ws = self.session.ws
        self._fw = ws.current_framework() if ws.current_assessment() is not None else None
        fw = self._fw
        if fw is None or code is None or code not in fw.by_code:
            self.code, self.criterion = None, None
            self.title_label.setText("")
            self.meta_label.setText("")
            self.previous_label.hide()
            self.carried_box.hide()
            self.guidance_box.hide()
            self.pages.setCurrentIndex(2)
            return
        c = fw.by_code[code]
        self.code, self.criterion = code, c
        self.title_label.setText(f"{c.code}. {c.title}")
        self._show_request(code)
        self.error_label.hide()
        self._fill_guidance(c)
        if fw.is_leaf(code):
            self.pages.setCurrentIndex(0)
            self._setup_inputs(c, fw)
            self._show_previous(code)
            self._load_answer()
        else:
            self.previous_label.hide()
            self.carried_box.hide()
            self._ensure_node_page()
            self.pages.setCurrentIndex(1)
            self._refresh_node()

    def _previous_period(self) -> PreviousPeriod | None:
        """Last period's figures, computed once per assessment (and after its changes)."""
        a = self.session.ws.current_assessment()
        if a is None:
            return None
        if self._previous is None or self._previous[0] != a.id:
            ws = self.session.ws
            if ws.previous_assessment() is None:
                self._previous = (a.id, None)  # a first year: nothing to show or to load
                return None
            from parapp.services.commune.previous_period import previous_period

            try:
                self._previous = (a.id, previous_period(ws))
            except ParAppError:
                self._previous = (a.id, None)
        return self._previous[1]

    def _show_previous(self, code: str) -> None:
        prev = self._previous_period()
        figures = prev.for_code(code) if prev is not None else None
        self.previous_label.setText(figures.text() if figures is not None else "")
        self.previous_label.setVisible(figures is not None)

    def _show_carried(self, a: Answer) -> None:
        if a.carried_from:
            self.carried_label.setText(
                f"<b>Từ kỳ trước ({a.carried_from})</b>: câu trả lời và tài liệu kiểm chứng lấy "
                "từ kỳ trước, chưa xem lại. Sửa bất kỳ ô nào, hoặc bấm “Đã xem lại” nếu vẫn đúng."
            )
        self.carried_box.setVisible(bool(a.carried_from))

    def confirm_carried(self) -> None:
        """The officer checked an answer carried over from the last period: clear the mark
        (one undo step)."""
        if self.code is None or not self.commit():
            return
        old = self.session.ws.answer(self.code)
        if not old.carried_from:
            return
        try:
            self.session.ws.confirm_carried(self.code)
        except ParAppError as err:
            self._show_error(str(err))
            return
        self.session.undo_stack.push(
            ConfirmCarriedCommand(self.session, self.code, old, applied=True)
        )

    def _show_request(self, code: str | None) -> None:
        """What the parent's appraisal says about this item: its request, answered or not."""
        text = ""
        try:
            found = {r.code: r for r in requests.list_requests(self.session.ws, include_all=True)}
            lock = requests.lock_status(self.session.ws)
        except ParAppError:
            found, lock = {}, {"locked": False}
        r = found.get(code or "")
        if r is not None and r.state.is_request:
            text = f"<b>Cấp trên {r.state.label.lower()}:</b> {_escape(r.note)}"
            if r.response_deadline is not None:
                left = r.days_left or 0
                when = r.response_deadline.strftime("%d/%m/%Y")
                text += f"<br>Hạn trả lời: {when}" + (
                    f" (còn {left} ngày)" if left >= 0 else f" (đã quá {-left} ngày)"
                )
            text += "<br>" + (
                f"{', '.join(r.answered)} — nhớ nộp lại hồ sơ."
                if r.answered
                else "Chưa trả lời: ghi giải trình hoặc thêm tài liệu, rồi nộp lại hồ sơ."
            )
        elif r is not None and r.note:
            text = f"<b>Cấp trên: {r.state.label}.</b> {_escape(r.note)}"
        if lock["locked"]:
            text += ("<br>" if text else "") + (
                f"Kỳ đánh giá đã có kết quả thẩm định chính thức ({lock['since']}); không sửa được."
            )
        self.request_label.setText(text)
        self.request_label.setVisible(bool(text))

    def _fill_guidance(self, c: Criterion) -> None:
        any_shown = False
        for key, _caption in GUIDANCE_LABELS:
            text = str(getattr(c.guidance, key))
            label = self.guidance_labels[key]
            label.setText(text)
            self.guidance_layout.setRowVisible(label, bool(text))
            any_shown = any_shown or bool(text)
        tasks = self._related_tasks(c.code)
        self.tasks_label.setText(tasks)
        self.guidance_layout.setRowVisible(self.tasks_label, bool(tasks))
        self.guidance_box.setVisible(any_shown or bool(tasks))

    def _related_tasks(self, code: str) -> str:
        """The tasks of the current plan that serve ``code``, one per line with their status."""
        ws = self.session.ws
        plan_id = ws.current_plan_id()
        if plan_id is None:
            return ""
        try:
            plan = ws.tasks.get_plan(plan_id)
        except ParAppError:
            return ""
        return "\n".join(
            f"{t.code} — {t.title} ({t.status.label})" for t in tasks_for_criterion(plan, code)
        )

    def _setup_inputs(self, c: Criterion, fw: Framework) -> None:
        kind = c.rule.kind
        percent = c.rule.percent
        banded = kind in (RuleKind.BANDS, RuleKind.COUNT)
        entered = kind in (RuleKind.MANUAL, RuleKind.DEDUCTION, RuleKind.BONUS)
        rows = {
            self.numerator_edit: percent,
            self.denominator_edit: percent,
            self.value_edit: c.rule.measured and not percent,
            # a band rule silent below its threshold leaves the score to the officer
            self.score_edit: entered or (banded and not any(b.threshold is None
                                                            for b in c.rule.bands)),
            self.yes_no_widget: kind is RuleKind.YES_NO,
            self.band_label: banded,
            self.survey_label: kind is RuleKind.SURVEY,
            self.result_label: c.rule.measured or kind is RuleKind.YES_NO,
            self.na_check: bool(c.rule.not_applicable),
        }  # fmt: skip
        for widget, visible in rows.items():
            self.input_form.setRowVisible(widget, visible)
        if banded:
            self.band_label.setText(band_table_html(c))
            unit = f" ({c.rule.measure})" if c.rule.measure else ""
            label = self.input_form.labelForField(self.value_edit)
            if isinstance(label, QLabel):
                label.setText(f"Giá trị đo được{unit}:")
        self.na_check.setText(f"Không áp dụng: {c.rule.not_applicable} (ghi lý do ở giải trình)")
        lo, hi = score_range(c.max_points, c.rule)
        step = c.rule.step if c.rule.step is not None else fw.score_step
        self.score_edit.configure(hi, step, lo)
        survey = kind is RuleKind.SURVEY
        self.explanation_edit.setReadOnly(survey)
        # nothing for the commune to write on a survey item: no box that looks editable
        self.explanation_label.setVisible(not survey)
        self.explanation_edit.setVisible(not survey)
        rule = (
            f"Cách chấm: {describe_rule(c.max_points, c.rule)}"
            if not survey
            else "Chấm qua điều tra xã hội học"
        )
        self.meta_label.setText(f"Điểm tối đa: {format_number(c.max_points)} · {rule}")

    def _load_answer(self) -> None:
        """Put the stored answer into the inputs (without triggering saves)."""
        assert self.code is not None
        a = self.session.ws.answer(self.code)
        self._loading = True
        self._invalid.clear()
        for edit in (self.numerator_edit, self.denominator_edit, self.value_edit):
            _mark(edit, "")
        _mark(self.score_edit.lineEdit(), "")
        self._show_error("")
        try:
            self.numerator_edit.setText(format_number(a.numerator, 4))
            self.denominator_edit.setText(format_number(a.denominator, 4))
            self.value_edit.setText(format_number(a.value, 4))
            self.score_edit.set_value(a.self_score)
            self.yes_no_group.setExclusive(False)
            self.yes_radio.setChecked(a.value == 1.0)
            self.no_radio.setChecked(a.value == 0.0)
            self.yes_no_group.setExclusive(True)
            self.na_check.setChecked(a.not_applicable)
            if self.explanation_edit.toPlainText() != a.explanation:
                self.explanation_edit.setPlainText(a.explanation)
        finally:
            self._loading = False
        self._show_carried(a)
        self._refresh_derived(a)

    def _refresh_derived(self, a: Answer | None = None) -> None:
        """Result line, problems: what follows from the saved answer."""
        c = self.criterion
        if c is None or self.code is None or self._fw is None or not self._fw.is_leaf(c.code):
            return
        if a is None:
            a = self.session.ws.answer(self.code)
        if c.rule.measured:
            self._preview_bands()
        elif c.rule.kind is RuleKind.YES_NO:
            self.result_label.setText(
                f"→ {format_number(a.self_score)} điểm" if a.self_score is not None else ""
            )
        self._show_carried(a)
        # the carried-over reminder has its own banner above, with its button
        problems = [p for p in leaf_problems(c, a) if p.kind != ProblemKind.CARRIED_OVER]
        self.problems_label.setText("\n".join(f"• {p.message}" for p in problems))
        self.problems_label.setVisible(bool(problems))

    def _preview_bands(self) -> None:
        """Live "Tỷ lệ: 95,5% → 0,5 điểm" from what is typed, before it is saved."""
        c = self.criterion
        assert c is not None
        prefix = "Tỷ lệ" if c.rule.percent else "Giá trị"
        try:
            if c.rule.percent:
                num = read_number(self.numerator_edit.text(), what="Tử số", whole=True)
                den = read_number(self.denominator_edit.text(), what="Mẫu số", whole=True)
                value = percentage(num, den) if num is not None and den is not None else None
            else:
                whole = c.rule.kind is RuleKind.COUNT
                value = read_number(self.value_edit.text(), whole=whole)
        except ParAppError as err:
            self.result_label.setText(f"{prefix}: — {err}")
            return
        if value is None:
            self.result_label.setText(f"{prefix}: — (nhập đủ số liệu để tính điểm)")
            return
        score = computed_score(c.max_points, c.rule, value)
        unit = c.rule.measure if c.rule.measure in ("", "%") else f" {c.rule.measure}"
        points = (
            f"{format_number(score)} điểm"
            if score is not None
            else "tài liệu không quy định điểm cho mức này: cán bộ tự chấm"
        )
        self.result_label.setText(f"{prefix}: {format_number(value)}{unit} → {points}")

    def _refresh_node(self) -> None:
        self._ensure_node_page()
        fw, code = self._fw, self.code
        assert fw is not None and code is not None
        r = self.session.ws.rollup()
        total = r.nodes[code]
        self.meta_label.setText(
            f"Điểm tối đa: {format_number(total.max_points)}"
            + (
                f" (tự chấm được {format_number(total.assessable_max)})"
                if total.assessable_max < total.max_points
                else ""
            )
        )
        self.node_score_label.setText(
            f"Điểm tự chấm: {format_number(total.self_score)} / "
            f"{format_number(total.assessable_max)} · Trạng thái: {total.status.label}"
        )
        self.node_progress.setMaximum(max(total.leaves, 1))
        self.node_progress.setValue(total.done)
        problems = [p for p in r.problems if fw.is_under(p.code, code)]
        missing = sum(1 for p in problems if p.kind == "not_started")
        others = len(problems) - missing
        parts = []
        if missing:
            parts.append(f"{missing} tiêu chí chưa tự chấm")
        if others:
            parts.append(f"{others} vấn đề khác cần xử lý")
        self.node_problems_label.setText("Còn " + ", ".join(parts) + "." if parts else "")
        self.children_list.clear()
        for kid in fw.children(code):
            t = r.nodes.get(kid.code)
            status = t.status if t else AnswerStatus.NOT_STARTED
            score = format_number(t.self_score) if t else "—"
            item = QtWidgets.QListWidgetItem(
                status_icon(status),
                f"{kid.code}. {kid.title} — {score} / {format_number(kid.max_points)}",
            )
            item.setData(Qt.ItemDataRole.UserRole, kid.code)
            item.setToolTip(status.label)
            self.children_list.addItem(item)

    def _open_child(self, item: QtWidgets.QListWidgetItem) -> None:
        self.session.select_item(str(item.data(Qt.ItemDataRole.UserRole)))

    # -- editing --------------------------------------------------------------------------
    def _show_error(self, message: str) -> None:
        """Show ``message``, or the problem of a field still holding an invalid entry."""
        text = message or "\n".join(self._invalid.values())
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def has_invalid(self) -> bool:
        """True while a field shows text that is not a valid number (nothing was saved)."""
        return bool(self._invalid)

    def discard_invalid(self) -> None:
        """The officer chose to leave: forget the entries that were not taken."""
        self._invalid.clear()
        if self.code is not None and self._fw is not None and self._fw.is_leaf(self.code):
            self._load_answer()  # back to the stored truth, marks cleared
        else:
            self._show_error("")

    def _typed_number(self, field: str, edit: QLineEdit) -> None:
        if self._loading:
            return
        self._typed = True
        c = self.criterion
        whole = field in ("numerator", "denominator") or (
            c is not None and c.rule.kind is RuleKind.COUNT
        )
        what = {"numerator": "Tử số", "denominator": "Mẫu số"}.get(field, "Giá trị")
        try:
            self._pending[field] = read_number(edit.text(), what=what, whole=whole)
            self._invalid.pop(field, None)
            _mark(edit, "")
            self._show_error("")
        except ParAppError as err:
            self._pending.pop(field, None)
            self._invalid[field] = f"{err} Chưa lưu giá trị này."
            _mark(edit, str(err))
            self._show_error("")
        if c is not None and c.rule.measured:
            self._preview_bands()
        self._timer.start()

    def _typed_score(self) -> None:
        if self._loading:
            return
        self._typed = True
        edit = self.score_edit.lineEdit()
        try:
            self._pending["self_score"] = read_number(self.score_edit.text(), what="Điểm")
            self._invalid.pop("self_score", None)
            _mark(edit, "")
        except ParAppError as err:
            self._pending.pop("self_score", None)
            self._invalid["self_score"] = f"{err} Chưa lưu giá trị này."
            _mark(edit, str(err))
        self._show_error("")
        self._timer.start()

    def _stepped_score(self) -> None:
        self._typed = False
        self._pending["self_score"] = self.score_edit.value()
        self.commit()

    def _clicked_yes_no(self, button_id: int) -> None:
        self._typed = False
        self._pending["value"] = float(button_id)
        self.commit()

    def _clicked_not_applicable(self, checked: bool) -> None:
        self._typed = False
        self._pending["not_applicable"] = checked
        self.commit()

    def _typed_explanation(self) -> None:
        if self._loading or self.explanation_edit.isReadOnly():
            return
        self._typed = True
        self._pending["explanation"] = self.explanation_edit.toPlainText()
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.explanation_edit and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return super().eventFilter(watched, event)

    def has_pending(self) -> bool:
        return bool(self._pending)

    def commit(self) -> bool:
        """Write what is pending now. Returns False when the workspace refused it or when a
        field still holds an invalid entry (its problem stays shown)."""
        self._timer.stop()
        if not self._pending or self.code is None:
            self._pending.clear()
            self._show_error("")
            return not self._invalid
        fields, self._pending = self._pending, {}
        typed, self._typed = self._typed, False
        code = self.code
        ws = self.session.ws
        old = ws.answer(code)
        try:
            new = ws.set_answer(code, **fields)
        except ParAppError as err:
            self._show_error(str(err))
            return False
        self._show_error("")
        if _same(old, new):
            if old.carried_from and not new.carried_from:  # reviewed: the mark went
                self._refresh_derived(new)
                self.session.notify(Changes(codes=frozenset({code})))
            return not self._invalid
        self._committing = True
        try:
            self.session.undo_stack.push(
                SetAnswerCommand(self.session, code, fields, old, applied=True, mergeable=typed)
            )
        finally:
            self._committing = False
        self.saved.emit(code)
        return not self._invalid

    def _on_changed(self, changes: Changes) -> None:
        if changes.frameworks or changes.assessment:
            self._previous = None  # another period or an appraisal result imported
        if self.code is None:
            return
        if changes.frameworks or changes.assessment:
            self.show_item(self.code)
            return
        if changes.tasks and self.criterion is not None:
            self._fill_guidance(self.criterion)
        if self._fw is not None and not self._fw.is_leaf(self.code):
            self._refresh_node()
        elif self.code in changes.codes:
            self._show_request(self.code)
            if self._committing:
                self._refresh_derived()
            else:  # undo/redo or another view changed this item: show the stored truth
                self._pending.clear()
                self._timer.stop()
                self._show_error("")
                self._load_answer()


def _mark(edit: QLineEdit, problem: str) -> None:
    """Outline a field whose entry was not taken, with the reason as its tooltip."""
    edit.setStyleSheet("border: 2px solid #c0392b;" if problem else "")
    edit.setToolTip(problem)


def _same(a: Answer, b: Answer) -> bool:
    return (
        a.value,
        a.numerator,
        a.denominator,
        a.self_score,
        a.explanation,
        a.not_applicable,
    ) == (b.value, b.numerator, b.denominator, b.self_score, b.explanation, b.not_applicable)


def first_input(form: ItemForm) -> QWidget | None:
    """The first field the officer types into for the item on show (its rule decides which):
    the target of one Tab press from the criteria tree."""
    candidates: tuple[QWidget, ...] = (
        form.numerator_edit,
        form.value_edit,
        form.score_edit,
        form.yes_radio,
        form.explanation_edit,
    )
    for widget in candidates:
        if (
            widget.isVisibleTo(form)
            and widget.isEnabled()
            and widget.focusPolicy() != (Qt.FocusPolicy.NoFocus)
        ):
            if isinstance(widget, QPlainTextEdit) and widget.isReadOnly():
                continue
            return widget
    return None


def _escape(text: str) -> str:
    """Office text shown in a rich-text label: never markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
