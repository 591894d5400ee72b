"""“Soạn/sửa bộ chỉ số”: the receiving office edits the year's framework in the app.

The tree (code, title, maximum, rule) on the left, the selected item's fields on the right,
the live check underneath: every problem names its item, and a click on it selects the
item. Each edit is one step of the dialog's own undo stack (Ctrl+Z / Ctrl+Y): the state is
an immutable :class:`Framework` (:mod:`parapp.models.framework_edit`), so a step keeps the
framework before and after and undo puts the old one back, structure and all.

Nothing reaches the workspace until “Lưu”: :func:`parapp.services.office.framework_editing.save`
stores the draft, and makes it usable only when it has no problem. :attr:`FrameworkEditor.saved`
carries the framework id for whatever acts next (publishing the framework package).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFocusEvent,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parapp.models import framework_edit as fe
from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RULE_LABELS, RuleKind, describe_rule, format_rule_params
from parapp.models.text import format_number
from parapp.services.office import framework_editing
from parapp.ui.office.common import AMBER, BAD_BG, GREEN, GREY, RED, MessageLine, vn_datetime
from parapp.ui.session import Session

COL_CODE, COL_TITLE, COL_MAX, COL_RULE = range(4)
HEADERS = ("Mã", "Nội dung", "Điểm tối đa", "Cách chấm")
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
#: what the "Thang điểm" field expects for each kind (placeholder text)
PARAM_HINTS = {
    RuleKind.MANUAL: "để trống, hoặc “bước 0,25”",
    RuleKind.BANDS: ">=90% → 1; từ 50% đến dưới 90% → 0,5; còn lại → 0",
    RuleKind.COUNT: "từ 50 TTHC trở lên → 1; còn lại → 0",
    RuleKind.PROPORTIONAL: "đủ điểm từ 100%; 0 điểm dưới 50%",
    RuleKind.YES_NO: "không cần thang điểm",
    RuleKind.SURVEY: "không cần thang điểm (cấp trên chấm qua điều tra)",
    RuleKind.DEDUCTION: "trừ tối đa 1",
    RuleKind.BONUS: "thưởng tối đa 0,5",
}
#: the answer of the "unsaved edits" question on closing
SAVE, DISCARD, KEEP_EDITING = "save", "discard", "keep"
#: an edit of the tree at the selected item: (framework, code) -> (framework, code to show)
_StructuralOp = Callable[[Framework, str], tuple[Framework, str | None]]


def rule_summary(fw: Framework, c: Criterion) -> str:
    """The tree's "Cách chấm" cell: the kind and its parameters; blank for a parent."""
    if not fw.is_leaf(c.code):
        return ""
    params = format_rule_params(c.rule)
    return f"{c.rule.kind.label}: {params}" if params else c.rule.kind.label


class _Snapshot(QUndoCommand):
    """One edit: the framework and the selected item before and after it."""

    def __init__(
        self,
        editor: FrameworkEditor,
        text: str,
        before: tuple[Framework, str | None],
        after: tuple[Framework, str | None],
    ) -> None:
        super().__init__(text)
        self.editor, self.before, self.after = editor, before, after

    def redo(self) -> None:
        self.editor.show_state(*self.after)

    def undo(self) -> None:
        self.editor.show_state(*self.before)


class _TextBox(QPlainTextEdit):
    """A multi-line field that reports when the officer leaves it (then it is applied)."""

    left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(58)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class FrameworkEditor(QDialog):
    """Edits ``framework`` (a draft or a fresh copy); ``base_id`` is what it was copied from."""

    #: the id of the framework just saved (draft or usable: see ``last_result``)
    saved = Signal(str)
    #: the officer asked to publish the saved, usable framework (its id)
    publish_requested = Signal(str)

    def __init__(
        self,
        session: Session,
        framework: Framework,
        base_id: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.fw = framework
        self.base_id = base_id
        self.current_code: str | None = None
        self.last_result: framework_editing.SaveResult | None = None
        self.problems: list[fe.Problem] = []
        self.stack = QUndoStack(self)
        self._loading = 0  # > 0 while the form and tree are filled from the state
        #: asked when closing with unsaved edits; tests replace it
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved
        self.setWindowTitle("Soạn/sửa bộ chỉ số")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1320, 700)
        self._build()
        self.stack.cleanChanged.connect(self._refresh_title)
        self.show_state(framework, self._first_code(framework))
        self._refresh_title()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(self._info_row())
        layout.addLayout(self._tool_row())

        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIndentation(14)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_CODE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_MAX, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_RULE, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(COL_CODE, 110)
        self.tree.setColumnWidth(COL_RULE, 150)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tree)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._detail_form())
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([760, 520])
        splitter.setChildrenCollapsible(False)

        self.check_label = QLabel()
        self.check_label.setWordWrap(True)
        self.problem_list = QListWidget()
        self.problem_list.itemClicked.connect(self._problem_clicked)
        self.problem_list.itemActivated.connect(self._problem_clicked)
        check = QWidget()
        check_layout = QVBoxLayout(check)
        check_layout.setContentsMargins(0, 0, 0, 0)
        check_layout.setSpacing(2)
        check_layout.addWidget(self.check_label)
        check_layout.addWidget(self.problem_list)

        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(splitter)
        vertical.addWidget(check)
        vertical.setStretchFactor(0, 5)
        vertical.setStretchFactor(1, 1)
        vertical.setChildrenCollapsible(False)
        layout.addWidget(vertical, 1)

        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Lưu", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setToolTip("Lưu bộ chỉ số vào dữ liệu của đơn vị (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.publish_button = buttons.addButton(
            "&Ban hành cho đơn vị cấp dưới…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.publish_button.setToolTip(
            "Ghi gói bộ chỉ số có chữ ký số để gửi các xã, phường (cần lưu, không còn lỗi)"
        )
        self.publish_button.setEnabled(False)
        self.publish_button.clicked.connect(self._publish_clicked)
        self.close_button = buttons.addButton("Đó&ng", QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.clicked.connect(self.close)
        self.publish_button.setAutoDefault(False)
        self.save_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        layout.addWidget(buttons)
        save_action = QAction(self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.triggered.connect(self.save)
        self.addAction(save_action)

    def _info_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Tên bộ chỉ số:"))
        self.name_edit = QLineEdit()
        self.name_edit.editingFinished.connect(self._commit_info)
        row.addWidget(self.name_edit, 3)
        row.addWidget(QLabel("Năm:"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(1999, 2100)
        self.year_spin.setSpecialValueText("chưa ghi")  # 1999: a framework with no year
        self.year_spin.editingFinished.connect(self._commit_info)
        row.addWidget(self.year_spin)
        row.addWidget(QLabel("Quyết định ban hành:"))
        self.decision_edit = QLineEdit()
        self.decision_edit.setPlaceholderText("ví dụ: 1620/QĐ-UBND ngày 19/6/2024")
        self.decision_edit.editingFinished.connect(self._commit_info)
        row.addWidget(self.decision_edit, 2)
        return row

    def _tool_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(4)

        def tool(text: str, tip: str, slot: Callable[[], None], key: str = "") -> QToolButton:
            button = QToolButton()
            button.setText(text)
            button.setToolTip(f"{tip} ({key})" if key else tip)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.clicked.connect(lambda _checked=False: slot())
            if key:
                action = QAction(self)
                action.setShortcut(QKeySequence(key))
                action.triggered.connect(lambda _checked=False: slot())
                self.addAction(action)
            row.addWidget(button)
            return button

        self.add_child_button = tool(
            "Thêm mục con", "Thêm một mục con vào cuối mục đang chọn", self.add_child, "Ctrl+N"
        )
        self.add_sibling_button = tool(
            "Thêm mục cùng cấp", "Thêm một mục ngay sau mục đang chọn", self.add_sibling, "Ctrl+M"
        )
        self.add_area_button = tool("Thêm lĩnh vực", "Thêm một lĩnh vực ở cuối", self.add_area)
        self.remove_button = tool(
            "Xóa", "Xóa mục đang chọn và các mục con của nó (Ctrl+Z để hoàn tác)", self.remove
        )
        row.addSpacing(10)
        self.up_button = tool("Lên", "Chuyển lên trên mục cùng cấp", self.move_up, "Alt+Up")
        self.down_button = tool("Xuống", "Chuyển xuống dưới mục cùng cấp", self.move_down,
                                "Alt+Down")  # fmt: skip
        self.indent_button = tool(
            "Thụt vào", "Thành mục con của mục ngay trên", self.indent, "Alt+Right"
        )
        self.outdent_button = tool(
            "Lùi ra", "Thành mục cùng cấp với mục cha", self.outdent, "Alt+Left"
        )
        row.addSpacing(10)
        self.sum_button = tool(
            "Cộng điểm lên mục cha",
            "Đặt điểm tối đa của mục đang chọn (nếu có mục con) và các mục cha của nó bằng "
            "tổng điểm các mục con",
            self.sum_parents,
        )
        row.addStretch(1)
        self.undo_button = QToolButton()
        self.undo_button.setDefaultAction(self._stack_action(undo=True))
        self.redo_button = QToolButton()
        self.redo_button.setDefaultAction(self._stack_action(undo=False))
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        return row

    def _stack_action(self, undo: bool) -> QAction:
        """Hoàn tác / Làm lại, named after the step; the field being typed in is applied
        first, so undo takes back that typing rather than losing it."""
        name = "Hoàn tác" if undo else "Làm lại"
        action = QAction(name, self)
        if undo:
            action.setShortcut(QKeySequence.StandardKey.Undo)
        else:
            action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        can = self.stack.canUndoChanged if undo else self.stack.canRedoChanged
        text = self.stack.undoTextChanged if undo else self.stack.redoTextChanged
        action.setEnabled(False)
        can.connect(action.setEnabled)
        text.connect(lambda step: action.setText(f"{name} {step}".strip()))

        def run() -> None:
            self.commit_fields()
            (self.stack.undo if undo else self.stack.redo)()

        action.triggered.connect(lambda _checked=False: run())
        self.addAction(action)
        return action

    def _detail_form(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(6, 0, 6, 0)
        self.item_label = QLabel()
        self.item_label.setStyleSheet("font-weight: bold;")
        self.item_label.setWordWrap(True)
        outer.addWidget(self.item_label)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title_edit = _TextBox()
        self.title_edit.left.connect(self.commit_fields)
        form.addRow("Nội dung:", self.title_edit)
        self.max_edit = QLineEdit()
        self.max_edit.setMaximumWidth(120)
        self.max_edit.setPlaceholderText("ví dụ 1,5")
        self.max_edit.editingFinished.connect(self.commit_fields)
        form.addRow("Điểm tối đa:", self.max_edit)
        outer.addLayout(form)

        self.rule_box = QGroupBox("Cách chấm")
        rule_form = QFormLayout(self.rule_box)
        rule_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind_combo = QComboBox()
        for kind, label in RULE_LABELS.items():
            self.kind_combo.addItem(label, kind.value)
        self.kind_combo.activated.connect(lambda _i: self.commit_fields())
        rule_form.addRow("Cách chấm:", self.kind_combo)
        self.params_edit = QLineEdit()
        self.params_edit.editingFinished.connect(self.commit_fields)
        rule_form.addRow("Thang điểm:", self.params_edit)
        self.survey_check = QCheckBox("Chấm qua điều tra xã hội học (cấp trên chấm)")
        self.survey_check.toggled.connect(lambda _on: self.commit_fields())
        rule_form.addRow("", self.survey_check)
        self.parent_note = QLabel(
            "Mục có mục con: điểm tối đa phải bằng tổng điểm các mục con; cách chấm đặt ở "
            "từng mục con."
        )
        self.parent_note.setWordWrap(True)
        self.parent_note.setStyleSheet(f"color: {GREY};")
        rule_form.addRow(self.parent_note)
        outer.addWidget(self.rule_box)

        guide = QFormLayout()
        guide.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.requirement_edit = _TextBox()
        self.evidence_edit = _TextBox()
        self.target_edit = _TextBox()
        for label, box in (
            ("Hướng dẫn, yêu cầu:", self.requirement_edit),
            ("Tài liệu kiểm chứng:", self.evidence_edit),
            ("Chỉ tiêu:", self.target_edit),
        ):
            box.left.connect(self.commit_fields)
            guide.addRow(label, box)
        outer.addLayout(guide)
        self.field_error = QLabel()
        self.field_error.setWordWrap(True)
        self.field_error.setStyleSheet(f"color: {RED};")
        self.field_error.hide()
        outer.addWidget(self.field_error)
        outer.addStretch(1)
        return page

    # -- state ----------------------------------------------------------------------------
    @staticmethod
    def _first_code(fw: Framework) -> str | None:
        return fw.criteria[0].code if fw.criteria else None

    @property
    def dirty(self) -> bool:
        """True while there are edits not saved in the workspace."""
        return not self.stack.isClean()

    def _refresh_title(self) -> None:
        mark = " *" if self.dirty else ""
        self.setWindowTitle(f"Soạn/sửa bộ chỉ số — {self.fw.name}{mark}")

    def show_state(self, fw: Framework, code: str | None) -> None:
        """Show ``fw`` with ``code`` selected (every edit, undo and redo ends here)."""
        same_tree = [(c.code, c.parent_code) for c in fw.criteria] == [
            (c.code, c.parent_code) for c in self.fw.criteria
        ] and self.model.rowCount() > 0
        self.fw = fw
        self.problems = fe.edit_problems(fw)
        self._loading += 1
        try:
            if same_tree:
                self._update_rows()
            else:
                self._rebuild_rows()
        finally:
            self._loading -= 1
        self._show_problems()
        self._load_info()
        self._refresh_title()
        if code is not None and code in fw.by_code:
            self.select_code(code)
        else:
            self.current_code = None
            self._load_item()

    def _row_items(self, c: Criterion) -> list[QStandardItem]:
        items = [QStandardItem() for _ in HEADERS]
        for item in items:
            item.setData(c.code, CODE_ROLE)
        self._fill_row(items, c)
        return items

    def _fill_row(self, items: list[QStandardItem], c: Criterion) -> None:
        fw = self.fw
        bad = [p.text for p in self.problems if p.code == c.code]
        items[COL_CODE].setText(c.code)
        items[COL_TITLE].setText(c.title)
        items[COL_MAX].setText(format_number(c.max_points))
        items[COL_MAX].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        items[COL_RULE].setText(rule_summary(fw, c))
        tip = c.title if c.label == c.code else f"{c.title}\n(số thứ tự in trên biểu: {c.label})"
        rule_tip = describe_rule(c.max_points, c.rule) if fw.is_leaf(c.code) else ""
        for col, item in enumerate(items):
            item.setToolTip("\n".join([rule_tip if col == COL_RULE else tip, *bad]).strip())
            item.setBackground(QBrush(BAD_BG) if bad else QBrush())
            item.setForeground(QBrush(QColor(RED)) if bad else QBrush())
        bold = not fw.is_leaf(c.code)
        for item in items[:2]:
            font = item.font()
            font.setBold(bold)
            item.setFont(font)

    def _rebuild_rows(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        parents: dict[str, QStandardItem] = {}
        for c in self.fw.criteria:
            row = self._row_items(c)
            owner = parents.get(c.parent_code or "")
            (owner if owner is not None else self.model.invisibleRootItem()).appendRow(row)
            parents[c.code] = row[0]
        self.tree.expandAll()

    def _update_rows(self) -> None:
        def walk(parent: QStandardItem) -> None:
            for r in range(parent.rowCount()):
                items = [parent.child(r, col) for col in range(len(HEADERS))]
                self._fill_row(items, self.fw.by_code[str(items[0].data(CODE_ROLE))])
                walk(items[0])

        walk(self.model.invisibleRootItem())

    def index_for(self, code: str) -> QModelIndex:
        found = self.model.match(
            self.model.index(0, 0),
            CODE_ROLE,
            code,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        return found[0] if found else QModelIndex()

    def select_code(self, code: str) -> None:
        """Select ``code`` in the tree and show it in the form (the form's pending text is
        the caller's business: see :meth:`commit_fields`)."""
        index = self.index_for(code)
        if not index.isValid():
            return
        self._loading += 1
        try:
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        finally:
            self._loading -= 1
        self.current_code = code
        self._load_item()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._loading:
            return
        code = current.siblingAtColumn(0).data(CODE_ROLE) if current.isValid() else None
        self.commit_fields(select=str(code) if code else None)  # the item being left
        self.current_code = str(code) if code else None
        self._load_item()

    def _show_problems(self) -> None:
        self.problem_list.clear()
        fw = self.fw
        leaves = sum(1 for _ in fw.leaves())
        if not self.problems:
            self.check_label.setText(
                f"✓ Bộ chỉ số hợp lệ: {len(fw.criteria)} mục, {leaves} tiêu chí chấm điểm, "
                f"tổng {format_number(fw.total_points)} điểm."
            )
            self.check_label.setStyleSheet(f"color: {GREEN}; font-weight: bold;")
            self.problem_list.hide()
            return
        self.check_label.setText(
            f"Còn {len(self.problems)} vấn đề phải sửa trước khi dùng hoặc ban hành (bấm vào "
            f"một dòng để tới mục đó) · tổng hiện tại {format_number(fw.total_points)} điểm:"
        )
        self.check_label.setStyleSheet(f"color: {RED}; font-weight: bold;")
        for p in self.problems:
            item = QListWidgetItem(p.text)
            item.setData(CODE_ROLE, p.code or "")
            item.setForeground(QBrush(QColor(RED)))
            self.problem_list.addItem(item)
        rows = min(self.problem_list.count(), 4)  # more scroll: the tree keeps the room
        frame = 2 * self.problem_list.frameWidth() + 4
        self.problem_list.setMaximumHeight(rows * self.problem_list.sizeHintForRow(0) + frame)
        self.problem_list.show()

    def _problem_clicked(self, item: QListWidgetItem) -> None:
        code = str(item.data(CODE_ROLE) or "")
        if code:
            self.commit_fields()
            self.select_code(code)
            self.tree.setFocus()

    def _load_info(self) -> None:
        self._loading += 1
        try:
            if not self.name_edit.hasFocus() or self.name_edit.text() != self.fw.name:
                self.name_edit.setText(self.fw.name)
            self.year_spin.setValue(self.fw.year or self.year_spin.minimum())
            self.decision_edit.setText(self.fw.decision)
            self.decision_edit.setCursorPosition(0)
        finally:
            self._loading -= 1

    def _load_item(self) -> None:
        """Fill the detail form from the selected item (signals held off)."""
        self._loading += 1
        try:
            c = self.fw.by_code.get(self.current_code or "")
            self._set_field_error("")
            editable = c is not None
            for widget in (
                self.title_edit, self.max_edit, self.rule_box, self.requirement_edit,
                self.evidence_edit, self.target_edit,
            ):  # fmt: skip
                widget.setEnabled(editable)
            self._refresh_buttons()
            if c is None:
                self.item_label.setText("Chưa có mục nào: bấm “Thêm lĩnh vực”.")
                for box in (self.title_edit, self.requirement_edit, self.evidence_edit,
                            self.target_edit):  # fmt: skip
                    box.setPlainText("")
                self.max_edit.setText("")
                self.params_edit.setText("")
                return
            label = "" if c.label == c.code else f" (số thứ tự in trên biểu: {c.label})"
            self.item_label.setText(f"Mục {c.code}{label}")
            self.title_edit.setPlainText(c.title)
            self.max_edit.setText(format_number(c.max_points))
            leaf = self.fw.is_leaf(c.code)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(c.rule.kind.value))
            self.params_edit.setText(format_rule_params(c.rule))
            self.params_edit.setPlaceholderText(PARAM_HINTS[c.rule.kind])
            self.survey_check.setChecked(c.rule.kind is RuleKind.SURVEY)
            for rule_widget in (self.kind_combo, self.params_edit, self.survey_check):
                rule_widget.setEnabled(leaf)
            self.parent_note.setVisible(not leaf)
            self.requirement_edit.setPlainText(c.guidance.requirement)
            self.evidence_edit.setPlainText(c.guidance.evidence)
            self.target_edit.setPlainText(c.guidance.target)
        finally:
            self._loading -= 1

    def _refresh_buttons(self) -> None:
        code = self.current_code if self.current_code in self.fw.by_code else None
        moves = fe.can_move(self.fw, code) if code is not None else {}
        self.add_child_button.setEnabled(code is not None)
        self.add_sibling_button.setEnabled(code is not None)
        self.remove_button.setEnabled(code is not None)
        self.sum_button.setEnabled(
            code is not None
            and (self.fw.by_code[code].parent_code is not None or not self.fw.is_leaf(code))
        )
        self.up_button.setEnabled(moves.get("up", False))
        self.down_button.setEnabled(moves.get("down", False))
        self.indent_button.setEnabled(moves.get("indent", False))
        self.outdent_button.setEnabled(moves.get("outdent", False))

    def _set_field_error(self, text: str) -> None:
        self.field_error.setText(text)
        self.field_error.setVisible(bool(text))

    # -- edits ----------------------------------------------------------------------------
    def apply(self, text: str, fw: Framework, code: str | None = None) -> None:
        """Make ``fw`` the current state as one undoable step (nothing when unchanged)."""
        if fw == self.fw:
            return
        select = code if code is not None else self.current_code
        self.stack.push(_Snapshot(self, text, (self.fw, self.current_code), (fw, select)))
        self.message.say("")

    def _guarded(self, op: Callable[[], None]) -> None:
        try:
            op()
        except ParAppError as err:
            self.message.error(str(err))

    def _structural(self, text: str, op: _StructuralOp) -> None:
        self.commit_fields()
        code = self.current_code
        if code is None or code not in self.fw.by_code:
            return

        def run() -> None:
            fw, select = op(self.fw, code)
            self.apply(text, fw, select)

        self._guarded(run)

    def add_child(self) -> None:
        self._structural("thêm mục con", fe.add_child)

    def add_sibling(self) -> None:
        self._structural("thêm mục cùng cấp", fe.add_sibling)

    def add_area(self) -> None:
        self.commit_fields()
        fw, code = fe.add_child(self.fw, None, "Lĩnh vực mới")
        self.apply("thêm lĩnh vực", fw, code)

    def remove(self) -> None:
        code, before = self.current_code, self.fw
        self._structural(f"xóa mục {code}", fe.remove)
        if self.fw is not before:
            self.message.say(f"Đã xóa mục {code} và các mục con của nó (Ctrl+Z để hoàn tác).", GREY)

    def move_up(self) -> None:
        self._structural("chuyển lên", fe.move_up)

    def move_down(self) -> None:
        self._structural("chuyển xuống", fe.move_down)

    def indent(self) -> None:
        self._structural("thụt vào", fe.indent)

    def outdent(self) -> None:
        self._structural("lùi ra", fe.outdent)

    def sum_parents(self) -> None:
        self._structural("cộng điểm lên mục cha", lambda fw, code: (fe.sum_parents(fw, code), code))

    def _commit_info(self) -> None:
        if self._loading:
            return
        self._guarded(
            lambda: self.apply(
                "thông tin bộ chỉ số",
                fe.set_info(
                    self.fw,
                    name=self.name_edit.text(),
                    year=self.year_spin.value() if self.year_spin.value() >= 2000 else None,
                    decision=self.decision_edit.text(),
                ),
            )
        )

    def commit_fields(self, select: str | None = None) -> None:
        """Apply what the detail form holds for the selected item as one step.

        Called when a field is left, before any other action and before saving, so the
        last typed text is never lost; ``select`` is the item to show afterwards (the one
        the officer just clicked). A value that cannot be read is not applied and its
        reason shows under the form; the other fields still are.
        """
        if self._loading:
            return
        code = self.current_code
        c = self.fw.by_code.get(code or "")
        if c is None or code is None:
            return
        # read every field first: applying one step refills the form from the state
        title = self.title_edit.toPlainText()
        points = self.max_edit.text()
        survey = self.survey_check.isChecked()
        kind = RuleKind(str(self.kind_combo.currentData()))
        params = self.params_edit.text()
        guidance = {
            "requirement": self.requirement_edit.toPlainText(),
            "evidence": self.evidence_edit.toPlainText(),
            "target": self.target_edit.toPlainText(),
        }
        fw, errors, what = self.fw, [], []
        if " ".join(title.split()) != c.title:
            fw = fe.set_title(fw, code, title)
            what.append("nội dung")
        if points.strip() != format_number(c.max_points):
            try:
                fw = fe.set_max_points(fw, code, points)
                what.append("điểm tối đa")
            except ParAppError as err:
                errors.append(str(err))
        if fw.is_leaf(code):
            if survey != (c.rule.kind is RuleKind.SURVEY):
                fw = fe.set_survey(fw, code, survey)
                what.append("điều tra XHH")
            elif kind is not c.rule.kind or " ".join(params.split()) != format_rule_params(c.rule):
                try:
                    rule = fe.rule_from_text(
                        code, kind, params, source=c.rule.source,
                        not_applicable=c.rule.not_applicable,
                    )  # fmt: skip
                    fw = fe.set_rule(fw, code, rule)
                    what.append("cách chấm")
                except ParAppError as err:
                    errors.append(str(err))
        changed = {
            k: v
            for k, v in guidance.items()
            if "\n".join(line.strip() for line in v.strip().splitlines()) != getattr(c.guidance, k)
        }
        if changed:
            fw = fe.set_guidance(fw, code, **changed)
            what.append("hướng dẫn")
        if what:
            self.apply(f"sửa {', '.join(what)} mục {code}", fw, select)
        if fw == self.fw and not errors:
            self._load_item()  # the values as the app writes them ("1.50" → "1,5")
        self._set_field_error("\n".join(errors))
        if errors and select is not None:  # the form moves on: say it where it stays
            self.message.error(f"Chưa áp dụng ở mục {code}: " + " ".join(errors))

    # -- saving and closing ---------------------------------------------------------------
    def save(self) -> bool:
        """Store the framework in the workspace (see the module docstring); True when saved."""
        self.commit_fields()
        try:
            result = framework_editing.save(self.session.ws, self.fw, self.base_id)
        except ParAppError as err:
            self.message.error(str(err))
            return False
        self.last_result = result
        self.stack.setClean()
        self.message.say(result.message, GREEN if result.usable else AMBER)
        if result.changes.frameworks:
            self.session.notify(result.changes)
        self.publish_button.setEnabled(bool(result.usable))
        self.saved.emit(result.framework_id)
        return True

    def _publish_clicked(self) -> None:
        if self.last_result is None or not self.last_result.usable or self.dirty:
            self.message.error("Hãy lưu bộ chỉ số (không còn lỗi) trước khi ban hành.")
            return
        self.publish_requested.emit(self.last_result.framework_id)

    def _ask_unsaved(self) -> str:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Bộ chỉ số chưa lưu")
        box.setText("Bộ chỉ số có thay đổi chưa lưu. Lưu trước khi đóng?")
        save = box.addButton("Lưu rồi đóng", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Đóng, không lưu", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Tiếp tục sửa", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        return SAVE if clicked is save else DISCARD if clicked is discard else KEEP_EDITING

    def may_close(self) -> bool:
        """Apply the pending field; with unsaved edits ask whether to save (True: close)."""
        self.commit_fields()
        if not self.dirty:
            return True
        answer = self.ask_unsaved()
        return answer == DISCARD or (answer == SAVE and self.save())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_close():
            event.accept()
        else:
            event.ignore()

    def reject(self) -> None:
        """Esc asks like the close button does."""
        if self.may_close():
            super().reject()


# -- choosing what to edit -----------------------------------------------------------------
class FrameworkChooser(QDialog):
    """Which framework to edit: a saved draft (carried on), a usable framework (copied as
    "… (bản sửa YYYY)"), or a new one from scratch."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.choice: tuple[Framework, str] | None = None
        self.setWindowTitle("Soạn/sửa bộ chỉ số")
        self.setMinimumWidth(780)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Chọn bộ chỉ số để sửa. Sửa một bộ chỉ số đang dùng sẽ tạo bản sửa mới (bộ cũ giữ "
            "nguyên cho các bản tự đánh giá đã làm); bản soạn thảo thì sửa tiếp."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        for e in framework_editing.editable_frameworks(session.ws):
            if e.draft:
                state = "hợp lệ" if not e.problems else f"còn {e.problems} vấn đề"
                text = f"Bản soạn thảo: {e.name} — {state}, lưu {vn_datetime(e.saved_at)}"
            else:
                text = f"{e.name}" + (f" — năm {e.year}" if e.year else "")
            item = QListWidgetItem(text)
            item.setData(CODE_ROLE, e.id)
            item.setData(CODE_ROLE + 1, e.draft)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        layout.addWidget(self.list)
        year_row = QHBoxLayout()
        year_row.addWidget(QLabel("Năm áp dụng của bản sửa hoặc bộ mới:"))
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        year_row.addWidget(self.year_spin)
        year_row.addStretch(1)
        layout.addLayout(year_row)
        self.message = MessageLine()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("&Sửa", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.clicked.connect(self.open_selected)
        self.new_button = buttons.addButton(
            "Soạn bộ chỉ số &mới", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.new_button.clicked.connect(self.new_framework)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole).clicked.connect(
            self.reject
        )
        layout.addWidget(buttons)
        self.open_button.setEnabled(self.list.count() > 0)

    def open_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        ws = self.session.ws
        fw_id = str(item.data(CODE_ROLE))
        try:
            if item.data(CODE_ROLE + 1):
                self.choice = (framework_editing.open_draft(ws, fw_id),
                               framework_editing.base_of(ws, fw_id))  # fmt: skip
            else:
                fw = framework_editing.start_edit(ws, fw_id, self.year_spin.value())
                self.choice = (fw, fw_id)
        except ParAppError as err:
            self.message.error(str(err))
            return
        self.accept()

    def new_framework(self) -> None:
        year = self.year_spin.value()
        fw = framework_editing.new_framework(self.session.ws, f"Bộ chỉ số năm {year}", year)
        self.choice = (fw, "")
        self.accept()


def open_framework_editor(
    session: Session,
    parent: QWidget | None = None,
    on_publish: Callable[[str], None] | None = None,
) -> FrameworkEditor | None:
    """Ask what to edit, then open the editor (non-modal, so the office keeps its screens);
    ``None`` when the officer cancelled."""
    chooser = FrameworkChooser(session, parent)
    if chooser.exec() != QDialog.DialogCode.Accepted or chooser.choice is None:
        return None
    fw, base_id = chooser.choice
    editor = FrameworkEditor(session, fw, base_id, parent)
    if on_publish is not None:
        editor.publish_requested.connect(on_publish)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    editor.show()
    return editor
