"""The main window: criteria tree on the left, the selected item (form + evidence) on the
right, the dashboard and the task plan in tabs, progress always visible at the top.

Everything is reachable from the keyboard (see :data:`SHORTCUTS`, also under Trợ giúp →
Phím tắt). Work is saved as it is typed (see :mod:`parapp.ui.commune.item_form`); closing the window
flushes the last field.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Message boxes and file dialogs through ``QtWidgets``: PySide6 builds a class when it is
# first looked up, so theirs are built when first shown, not at every start.
from PySide6 import QtWidgets
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPaintEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parapp import __version__
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework
from parapp.models.tasks import TaskPlan
from parapp.models.text import format_number
from parapp.services import audit
from parapp.services.changes import Changes
from parapp.services.commune import requests
from parapp.services.workspace import Workspace, restore_backup
from parapp.ui import messages
from parapp.ui.commune.criteria_model import (
    COL_CODE,
    COL_SCORE,
    COL_TITLE,
    HEADERS,
    CriteriaFilterProxy,
    CriteriaModel,
    widest_score_texts,
)
from parapp.ui.commune.evidence_panel import EvidencePanel
from parapp.ui.commune.item_form import ItemForm, first_input
from parapp.ui.session import ASSESSMENT, GRID, OFFICE, SUMMARY, TASKS, Session
from parapp.ui.workers import CancelFn, ProgressFn

if TYPE_CHECKING:  # the other tabs' modules (and the guide) load when first shown
    from parapp.ui.commune.grid_view import GridView
    from parapp.ui.commune.summary_view import SummaryView
    from parapp.ui.commune.tasks_view import TasksView
    from parapp.ui.guide_dialog import GuideDialog
    from parapp.ui.progress_dialog import ProgressDialog

DEFAULT_SIZE = (1280, 720)
MINIMUM_SIZE = (1000, 600)
EVIDENCE_TABLE_MAX_HEIGHT = 150  # header and four rows; more rows scroll inside the table

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+Down", "Mục tiếp theo"),
    ("Ctrl+Up", "Mục trước"),
    ("F8", "Vấn đề tiếp theo (mục còn thiếu điểm, tài liệu hoặc giải trình)"),
    ("Shift+F8", "Vấn đề trước"),
    ("Ctrl+F", "Tìm tiêu chí"),
    ("Ctrl+T", "Về cây tiêu chí"),
    ("Ctrl+1 … Ctrl+4", "Trang Tự đánh giá / Bảng tiêu chí / Tổng hợp / Nhiệm vụ"),
    ("Ctrl+Shift+S", "Nộp hồ sơ (kiểm tra, ký số, ghi tệp)"),
    ("Ctrl+P", "In biểu mẫu, báo cáo hoặc lưu PDF"),
    ("F1", "Hướng dẫn sử dụng (mở đúng phần của trang đang xem)"),
    ("Ctrl+Z", "Hoàn tác (trên trang đang xem)"),
    ("Ctrl+Y", "Làm lại"),
    ("Alt+T, Alt+M, Alt+B", "Thêm tệp, Mở, Bỏ gắn tài liệu kiểm chứng"),
    ("Tab / Shift+Tab", "Chuyển giữa các ô nhập"),
    ("Mũi tên lên/xuống trong ô điểm", "Tăng/giảm điểm theo bước"),
)


def show_error(parent: QWidget | None, err: BaseException) -> None:
    """A ParAppError (or any failure) as a Vietnamese message box, detail behind "Chi tiết"."""
    messages.show_exception(parent, err)


#: the status bar's submission state and key hint are filled this long after the window's
#: first frame (they load the bundle and crypto libraries): the window appears first
STATUS_DELAY_MS = 60


class LazyTab(QScrollArea):
    """A tab whose page is built the first time it is shown (or asked for).

    The summary, grid and task screens take a fifth of the start-up time to build; an
    officer opening the app to fill an item need not wait for them.
    """

    def __init__(self, factory: Callable[[], QWidget]) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self._factory: Callable[[], QWidget] | None = factory

    def content(self) -> QWidget:
        if self._factory is not None:
            factory, self._factory = self._factory, None
            self.setWidget(factory())
        page = self.widget()
        assert page is not None
        return page


def _grid_page(session: Session) -> QWidget:
    from parapp.ui.commune.grid_view import GridView

    return GridView(session)


def _summary_page(session: Session) -> QWidget:
    from parapp.ui.commune.summary_view import SummaryView

    return SummaryView(session)


def _tasks_page(session: Session) -> QWidget:
    from parapp.ui.commune.tasks_view import TasksView

    return TasksView(session)


def _scrollable(widget: QWidget) -> QScrollArea:
    """Wrap a tab so its minimum width never squeezes the criteria tree."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    return area


class MainWindow(QMainWindow):
    """The officer's window over one :class:`Session`."""

    def __init__(
        self,
        session: Session,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._guide: GuideDialog | None = None
        self._job: ProgressDialog | None = None  # the background job on show (backup…)
        self.settings = settings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "ParApp", "ParApp"
        )
        self.current_code: str | None = None
        self._split_before_hide: QByteArray | None = None
        self.model = CriteriaModel(session, self)
        self.proxy = CriteriaFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.setMinimumSize(*MINIMUM_SIZE)
        self._build()
        self._build_menus()
        session.changed.connect(self._on_changed)
        session.current_item_changed.connect(self.show_item_page)
        self._refresh_header()
        self._restore_state()
        start = session.ws.last_item() or self._first_leaf()
        if start:
            self.select_code(start)
        if self.tabs.currentIndex() != 0:  # an office opening on its inbox: full width
            self._tab_changed(self.tabs.currentIndex())

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 4)
        self.header_label = QLabel()
        self.header_label.setWordWrap(True)
        self.header_label.setStyleSheet("font-size: 11pt; font-weight: bold;")
        self.progress_label = QLabel()
        self.progress_label.setStyleSheet("color: #1e4f8a; font-weight: bold;")
        head = QHBoxLayout()
        head.addWidget(self.header_label, 1)
        head.addWidget(self.progress_label, 0, Qt.AlignmentFlag.AlignRight)
        outer.addLayout(head)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.left_pane = left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm tiêu chí (gõ không dấu cũng được)…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self._search_enter)
        self.needs_work_check = QCheckBox("Chỉ hiện mục &cần làm")
        self.needs_work_check.toggled.connect(self._needs_work_toggled)
        self.requests_check = QCheckBox("Cấp trên &yêu cầu")
        self.requests_check.setToolTip(
            "Chỉ hiện các tiêu chí cấp trên yêu cầu giải trình hoặc bổ sung tài liệu"
        )
        self.requests_check.toggled.connect(self._requests_toggled)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.installEventFilter(self)  # Tab: straight to the first input
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setExpandsOnDoubleClick(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_CODE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SCORE, QHeaderView.ResizeMode.Fixed)
        self.tree.setIndentation(14)
        self.tree.setColumnWidth(COL_CODE, 104)
        self._fit_score_column()
        self.model.modelReset.connect(self._fit_score_column)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        left_layout.addWidget(self.search_edit)
        left_layout.addWidget(self.needs_work_check)
        left_layout.addWidget(self.requests_check)
        left_layout.addWidget(self.tree, 1)
        self.splitter.addWidget(left)

        self.tabs = QTabWidget()
        self.submit_button = QPushButton("Nộp hồ sơ…")
        self.submit_button.setToolTip("Kiểm tra, ký số và ghi hồ sơ nộp (Ctrl+Shift+S)")
        self.submit_button.setStyleSheet("font-weight: bold; padding: 2px 14px;")
        self.submit_button.clicked.connect(self.open_submit)
        self.tabs.setCornerWidget(self.submit_button, Qt.Corner.TopRightCorner)
        self.form = ItemForm(self.session)
        self.evidence = EvidencePanel(self.session)
        # 1366×768: an item with two evidence files keeps its buttons on screen, unscrolled
        self.evidence.table.setMaximumHeight(EVIDENCE_TABLE_MAX_HEIGHT)
        self.form.explanation_edit.setMinimumHeight(56)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setSpacing(4)
        page_layout.addWidget(self.form)
        page_layout.addWidget(self.evidence)
        page_layout.addStretch(1)
        self.item_scroll = QScrollArea()
        self.item_scroll.setWidgetResizable(True)
        self.item_scroll.setWidget(page)
        self.tabs.addTab(self.item_scroll, "Tự đánh giá")
        self.grid_tab = LazyTab(lambda: _grid_page(self.session))
        self.tabs.addTab(self.grid_tab, "Bảng tiêu chí")
        self.summary_tab = LazyTab(lambda: _summary_page(self.session))
        self.tabs.addTab(self.summary_tab, "Tổng hợp")
        self.tasks_scroll = LazyTab(lambda: _tasks_page(self.session))
        self.tabs.addTab(self.tasks_scroll, "Nhiệm vụ")
        self.office_view: QWidget | None = None
        self._ensure_office_tab()
        if self.office_view is not None and self.session.ws.current_assessment() is None:
            self.tabs.setCurrentWidget(self.office_view)  # an office with no own form
        self.tabs.currentChanged.connect(self._tab_changed)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([560, 720])
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(320)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.form.saved.connect(self._saved)
        self.evidence.saved.connect(self._saved)
        self.statusBar().showMessage("Mọi thay đổi được lưu tự động.")
        self.key_hint = QLabel()
        self.key_hint.setStyleSheet("color: #b06000;")
        self.statusBar().addPermanentWidget(self.key_hint)
        self.key_hint.hide()  # until _refresh_key_hint runs, just after the window shows
        self.submission_label = QLabel()
        self.submission_label.setObjectName("submission_state")
        self.statusBar().addPermanentWidget(self.submission_label)

    def _fit_score_column(self) -> None:
        """The score column as wide as the widest text it can ever show, in the bold of the
        area rows (:func:`widest_score_texts`), so it never clips nor jumps while scoring.

        ResizeToContents measured every row on every layout instead: a sixth of a start
        (``bench/bench_startup.py``).
        """
        bold = QFont(self.tree.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        texts = set(widest_score_texts(self.model.fw)) if self.model.fw else set()
        cell = max((metrics.horizontalAdvance(t) for t in texts), default=0)
        header = self.tree.header().fontMetrics().horizontalAdvance(HEADERS[COL_SCORE])
        padding = metrics.horizontalAdvance("0")  # the cell's margins (3 px a side in Qt)
        self.tree.setColumnWidth(COL_SCORE, max(cell, header) + padding)

    def _first_status(self) -> None:
        self._status_ready = True
        self._refresh_submission_state()
        self._refresh_key_hint()

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcut: str | QKeySequence.StandardKey | None = None,
        alternates: tuple[str, ...] = (),
    ) -> QAction:
        act = QAction(text, self)
        keys: list[QKeySequence] = []
        if shortcut is not None:
            keys.append(QKeySequence(shortcut))
        keys.extend(QKeySequence(k) for k in alternates)
        if keys:
            act.setShortcuts(keys)
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Tệp")
        file_menu.addAction(self._action("Thiết lập &lại…", self.open_setup))
        file_menu.addSeparator()
        self.submit_action = self._action("&Nộp hồ sơ…", self.open_submit, "Ctrl+Shift+S")
        file_menu.addAction(self.submit_action)
        file_menu.addAction(self._action("Kiểm &tra hồ sơ…", self.open_verify))
        file_menu.addAction(self._action("Khóa ký s&ố…", self.open_keys))
        file_menu.addAction(self._action("Đơn vị cấ&p dưới…", self.open_units))
        self.print_action = self._action("&In biểu mẫu, báo cáo…", self.open_print, "Ctrl+P")
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("Nhập bộ chỉ số do &cấp trên gửi…", lambda: self.open_setup(True))
        )
        file_menu.addAction(self._action("Nhập &bộ chỉ số từ Excel…", self.import_framework))
        file_menu.addAction(self._action("Nhập &kế hoạch từ Excel…", self.import_tasks))
        file_menu.addAction(
            self._action("So sánh bộ chỉ số &giữa hai kỳ…", self.open_framework_diff)
        )
        file_menu.addAction(
            self._action("Nhập kết quả thẩm &định của cấp trên…", self.import_appraisal_result)
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("&Xuất bảng tự đánh giá ra Excel…", self.export_assessment)
        )
        file_menu.addAction(self._action("Xuất nhật ký tha&y đổi ra Excel…", self.export_audit))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Sao lưu…", self.backup))
        file_menu.addAction(self._action("&Khôi phục từ bản sao lưu…", self.restore))
        file_menu.addSeparator()
        file_menu.addAction(self._action("T&hoát", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("&Sửa")
        group = self.session.undo_group  # the current tab's stack is the active one
        self.undo_action = self._action("&Hoàn tác", self.undo, "Ctrl+Z")
        self.redo_action = self._action("&Làm lại", self.redo, "Ctrl+Y", ("Ctrl+Shift+Z",))
        self.undo_action.setEnabled(group.canUndo())
        self.redo_action.setEnabled(group.canRedo())
        group.canUndoChanged.connect(self.undo_action.setEnabled)
        group.canRedoChanged.connect(self.redo_action.setEnabled)
        group.undoTextChanged.connect(self._undo_text_changed)
        group.redoTextChanged.connect(self._redo_text_changed)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        go_menu = bar.addMenu("Đ&i tới")
        self.next_action = self._action("Mục &tiếp theo", self.next_item, "Ctrl+Down")
        self.prev_action = self._action("Mục t&rước", self.previous_item, "Ctrl+Up")
        self.problem_action = self._action("&Vấn đề tiếp theo", self.next_problem, "F8")
        self.prev_problem_action = self._action(
            "Vấn đề t&rước", lambda: self.next_problem(backwards=True), "Shift+F8"
        )
        self.search_action = self._action("Tìm &kiếm", self.focus_search, "Ctrl+F")
        self.tree_action = self._action("Cây tiêu &chí", self.focus_tree, "Ctrl+T")
        for act in (
            self.next_action,
            self.prev_action,
            self.problem_action,
            self.prev_problem_action,
        ):
            go_menu.addAction(act)
        go_menu.addSeparator()
        go_menu.addAction(self.search_action)
        go_menu.addAction(self.tree_action)
        go_menu.addSeparator()
        for i in range(self.tabs.count()):
            act = self._action(
                self.tabs.tabText(i),
                functools.partial(self.tabs.setCurrentIndex, i),
                f"Ctrl+{i + 1}",
            )
            go_menu.addAction(act)

        help_menu = bar.addMenu("Trợ &giúp")
        self._help_menu = help_menu
        self._office_menu: QMenu | None = None
        self._add_office_menu()
        help_menu.addAction(self._action("&Hướng dẫn sử dụng", self.show_guide, "F1"))
        help_menu.addAction(self._action("&Phím tắt", self.show_shortcuts))
        help_menu.addAction(self._action("&Giới thiệu", self.show_about))

    def _add_office_menu(self) -> None:
        """The “Thẩm định” menu, before “Trợ giúp”, once the office tab exists (also when
        the first child units are added while the window is open)."""
        if self.office_view is None or getattr(self, "_office_menu", None) is not None:
            return
        if not hasattr(self, "_help_menu"):  # the menus are not built yet: they add it
            return
        office = self.office_view
        office_menu = QMenu("Thẩ&m định", self)
        office.fill_menu(  # type: ignore[attr-defined]
            office_menu, lambda: self.tabs.setCurrentWidget(office)
        )
        office_menu.addSeparator()
        office_menu.addAction(self._action("Soạn/sửa &bộ chỉ số…", self.open_framework_editor))
        office_menu.addAction(
            self._action("Ban &hành bộ chỉ số cho đơn vị cấp dưới…", self.open_publish)
        )
        self.menuBar().insertMenu(self._help_menu.menuAction(), office_menu)
        self._office_menu = office_menu

    def _undo_text_changed(self, text: str) -> None:
        self.undo_action.setText(f"&Hoàn tác: {text}" if text else "&Hoàn tác")

    def _redo_text_changed(self, text: str) -> None:
        self.redo_action.setText(f"&Làm lại: {text}" if text else "&Làm lại")

    # -- header and status ----------------------------------------------------------------
    def _refresh_header(self) -> None:
        ws = self.session.ws
        unit = ws.own_unit()
        unit_name = unit.name if unit else "Chưa thiết lập đơn vị"
        self.setWindowTitle(unit_name)  # Qt appends " — ParApp" (the display name)
        a = ws.current_assessment()
        fw = self.model.fw
        children = len(ws.child_units()) if a is None or fw is None else 0
        if children:  # an office with no own form: say what it is
            self.header_label.setText(
                f"{unit_name} · Cơ quan tiếp nhận · {children} đơn vị cấp dưới "
                "(tự đánh giá của cơ quan: Tệp → Thiết lập lại…)"
            )
            self.progress_label.setText("")
            self._refresh_submission_state()
            return
        if a is None or fw is None:
            self.header_label.setText(f"{unit_name} · Chưa chọn bộ chỉ số (Tệp → Thiết lập lại…)")
            self.progress_label.setText("")
            self._refresh_submission_state()
            return
        self.header_label.setText(
            f"{unit_name} · {fw.name} · Kỳ đánh giá {a.period} · "
            f"tối đa {format_number(fw.total_points)} điểm"
        )
        self._refresh_progress()
        self._refresh_requests()

    def _refresh_progress(self) -> None:
        r = self.model.rollup
        self.progress_label.setText(
            f"Đã làm {r.done}/{r.leaves} tiêu chí — {format_number(r.total_score)}/"
            f"{format_number(r.assessable_max)} điểm ({format_number(r.index_percent, 1)}%)"
        )
        self._refresh_submission_state()

    def _refresh_submission_state(self) -> None:
        """“Đã nộp lần 2 lúc 14:05 ngày 02/12/2026 · có thay đổi chưa nộp” in the status bar."""
        if not getattr(self, "_status_ready", False):
            return  # filled in just after the window shows (see _first_status)
        from parapp.services.commune.submission import submission_state

        if not hasattr(self, "submission_label"):
            return  # the status bar is built after the first header refresh
        ws = self.session.ws
        if ws.current_assessment() is None:
            self.submission_label.setText("")
            return
        state = submission_state(ws)
        self.submission_label.setText(state.label())
        color = "#b06000" if state.last is not None and state.unsubmitted_changes else "#5f6368"
        self.submission_label.setStyleSheet(f"color: {color};")

    def _refresh_key_hint(self) -> None:
        """A quiet reminder (never a dialog) until the unit has a signing key."""
        from parapp.services.unit_keys import key_status

        no_key = key_status(self.session.ws) is None
        self.key_hint.setText("Chưa có khóa ký số — vào Tệp → Khóa ký số để tạo" if no_key else "")
        self.key_hint.setVisible(no_key)

    @property
    def grid_view(self) -> GridView:
        from parapp.ui.commune.grid_view import GridView

        page = self.grid_tab.content()
        assert isinstance(page, GridView)
        return page

    @property
    def summary_view(self) -> SummaryView:
        from parapp.ui.commune.summary_view import SummaryView

        page = self.summary_tab.content()
        assert isinstance(page, SummaryView)
        return page

    @property
    def tasks_view(self) -> TasksView:
        from parapp.ui.commune.tasks_view import TasksView

        page = self.tasks_scroll.content()
        assert isinstance(page, TasksView)
        return page

    def _tab_changed(self, index: int) -> None:
        """The criteria tree only serves the item page; other tabs get the full width.
        Each tab has its own undo history: switching tabs switches the active stack."""
        widget = self.tabs.widget(index)
        if isinstance(widget, LazyTab):
            widget.content()  # built on first show
        screens = {
            self.item_scroll: ASSESSMENT,
            self.tasks_scroll: TASKS,
            self.grid_tab: GRID,
            self.office_view: OFFICE,
        }
        self.session.activate(screens.get(widget, SUMMARY))
        if index == 0 and self.left_pane.isHidden():
            self.left_pane.show()
            if self._split_before_hide is not None:
                self.splitter.restoreState(self._split_before_hide)
        elif index != 0 and not self.left_pane.isHidden():
            self._split_before_hide = self.splitter.saveState()
            self.left_pane.hide()

    def show_item_page(self, code: str) -> None:
        """An item chosen elsewhere (summary, tasks, submit check): show it with its tree."""
        self.tabs.setCurrentIndex(0)
        self.select_code(code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tab in the criteria tree goes straight to the item's first input (one key)."""
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            target = first_input(self.form)
            if target is not None:
                target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def focus_tree(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.tree.setFocus()

    def _saved(self, _code: str) -> None:
        self.statusBar().showMessage(f"Đã lưu lúc {datetime.now().strftime('%H:%M:%S')}")

    def _ensure_office_tab(self) -> None:
        """The office's tab, once the workspace has child units (a commune never sees it;
        an office that has just added its units gets it without restarting)."""
        if self.office_view is not None or not self.session.ws.child_units():
            return
        from parapp.ui.office.office_view import OfficeView

        self.office_view = OfficeView(self.session)
        self.tabs.addTab(self.office_view, "Đơn vị cấp dưới")
        self._add_office_menu()

    def open_units(self) -> None:
        from parapp.ui.office.units_dialog import UnitsDialog

        if self.session.ws.own_unit() is None:
            return
        UnitsDialog(self.session, self).exec()

    def _on_changed(self, changes: Changes) -> None:
        if changes.unit:
            self._ensure_office_tab()
        if changes.unit or changes.frameworks or changes.assessment:
            self._refresh_header()
            self._refresh_key_hint()
            if self.current_code is None or self.model.index_for(self.current_code) is None:
                first = self._first_leaf()
                if first:
                    self.select_code(first)
            return
        if changes.codes or changes.evidence:
            self._refresh_progress()
            self._refresh_requests()

    # -- selection and navigation -----------------------------------------------------------
    def _first_leaf(self) -> str | None:
        fw = self.model.fw
        return next((c.code for c in fw.leaves()), None) if fw else None

    def select_code(self, code: str) -> None:
        """Select ``code`` in the tree (revealing it if filtered out) and show its form."""
        if self.model.fw is None or code not in self.model.fw.by_code:
            return
        if code != self.current_code and not self._may_leave():
            return
        self.proxy.set_pinned(code)
        proxy_index = self.proxy.mapFromSource(self.model.index_for(code))
        if not proxy_index.isValid():
            return
        parent = proxy_index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            proxy_index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(proxy_index)
        if self.current_code != code:  # currentChanged did not fire (same index)
            self._show(code)

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        c = self.model.criterion(self.proxy.mapToSource(current))
        if c is not None and c.code != self.current_code:
            if not self._may_leave():
                back = self.current_code
                if back is not None:  # stay on the item (after this signal returns)
                    QTimer.singleShot(0, lambda: self.select_code(back))
                return
            self._show(c.code)

    def _may_leave(self) -> bool:
        """False when the officer chose to stay on an item whose entry was not taken."""
        if not self.form.has_invalid():
            return True
        if not self.ask_leave_invalid():
            return False
        self.form.discard_invalid()
        return True

    def ask_leave_invalid(self) -> bool:
        """An entry of the current item was not taken: leave it anyway?"""
        answer = QtWidgets.QMessageBox.question(
            self,
            "Số liệu chưa hợp lệ",
            f"{self.form.error_label.text()}\n\nBỏ giá trị chưa hợp lệ và chuyển tiêu chí khác?",
        )
        return answer == QtWidgets.QMessageBox.StandardButton.Yes

    def _show(self, code: str) -> None:
        fw = self.model.fw
        assert fw is not None
        self.form.commit()
        self.current_code = code
        self.proxy.set_pinned(code)
        self.form.show_item(code)
        leaf = fw.is_leaf(code)
        self.evidence.setVisible(leaf)
        self.evidence.show_item(code if leaf else None)
        self.item_scroll.verticalScrollBar().setValue(0)
        # remembering the position is a convenience, never worth an error box
        with contextlib.suppress(ParAppError):
            self.session.ws.set_last_item(code)

    def _visible_leaves(self) -> list[str]:
        fw = self.model.fw
        if fw is None:
            return []
        return [
            c.code
            for c in fw.leaves()
            if self.proxy.mapFromSource(self.model.index_for(c.code)).isValid()
        ]

    def _step(self, codes: list[str], backwards: bool) -> str | None:
        """The code after (or before) the current item in ``codes``, wrapping around."""
        fw = self.model.fw
        if not codes or fw is None:
            return None
        order = {c.code: i for i, c in enumerate(fw.criteria)}
        here = order.get(self.current_code or "", -1)
        if backwards:
            before = [c for c in codes if order[c] < here]
            return before[-1] if before else codes[-1]
        after = [c for c in codes if order[c] > here]
        return after[0] if after else codes[0]

    def next_item(self) -> None:
        code = self._step(self._visible_leaves(), backwards=False)
        if code:
            self.select_code(code)

    def previous_item(self) -> None:
        code = self._step(self._visible_leaves(), backwards=True)
        if code:
            self.select_code(code)

    def next_problem(self, backwards: bool = False) -> None:
        self.form.commit()
        seen: dict[str, None] = {}
        for p in self.model.rollup.problems:
            seen.setdefault(p.code, None)
        code = self._step(list(seen), backwards)
        if code is None:
            self.statusBar().showMessage("Không còn vấn đề nào cần xử lý.", 5000)
            return
        self.select_code(code)
        problems = self.model.rollup.problems_for(code)
        if problems:
            self.statusBar().showMessage(f"{code}: {problems[0].message}", 8000)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        if text.strip():
            self.tree.expandAll()

    def _search_enter(self) -> None:
        """Enter in the search box opens the first match and moves to the tree."""
        fw = self.model.fw
        if fw is None:
            return
        match = next((c.code for c in fw.leaves() if self.proxy.accepts(fw, c)), None)
        if match:
            self.select_code(match)
            self.tree.setFocus()

    def _refresh_requests(self) -> None:
        """The "Cấp trên yêu cầu" filter: shown with its count while the parent asks."""
        try:
            found = requests.list_requests(self.session.ws)
        except ParAppError:
            found = []
        open_ = sum(1 for r in found if not r.answered)
        self.requests_check.setText(
            f"Cấp trên &yêu cầu ({open_} chưa trả lời / {len(found)})"
            if found
            else "Cấp trên &yêu cầu"
        )
        self.requests_check.setVisible(bool(found) or self.requests_check.isChecked())
        if self.requests_check.isChecked():
            self.proxy.set_requested(frozenset(r.code for r in found))

    def _requests_toggled(self, on: bool) -> None:
        if not on:
            self.proxy.set_requested(None)
            return
        self._refresh_requests()
        self.tree.expandAll()
        asked = self.proxy.requested or frozenset()
        if self.current_code not in asked:  # go to the first request (framework order)
            fw = self.model.fw
            first = next((c.code for c in fw.leaves() if c.code in asked), None) if fw else None
            if first:
                self.select_code(first)

    def import_appraisal_result(self) -> None:
        """The parent's signed (preliminary, final or reopening) appraisal result."""
        self.form.commit()
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Nhập kết quả thẩm định", "", "Kết quả thẩm định (*.zip);;Tất cả tệp (*)"
        )
        if not name:
            return
        try:
            summary = requests.import_result(self.session.ws, Path(name))
        except ParAppError as err:
            show_error(self, err)
            return
        self.session.notify(Changes(assessment=True))
        text = f"Đã nhập {str(summary.get('kind_label') or 'kết quả thẩm định').lower()}."
        if summary.get("requests"):
            text += (
                f" Cấp trên có {summary['requests']} yêu cầu: đánh dấu “Cấp trên yêu cầu” "
                "bên trái để xem từng tiêu chí, trả lời rồi nộp lại hồ sơ."
            )
            self.requests_check.setChecked(True)
        if summary.get("locked"):
            text += " Kỳ đánh giá đã có kết quả chính thức và được khóa."
        messages.show_info(self, "Đã nhập kết quả thẩm định", text)

    def _needs_work_toggled(self, on: bool) -> None:
        self.proxy.set_only_needs_work(on)
        if on:
            self.tree.expandAll()

    # -- commands -------------------------------------------------------------------------
    def undo(self) -> None:
        """Undo on the current tab only, and say in the status bar what was undone."""
        self.form.commit()
        group = self.session.undo_group
        text = group.undoText()
        if group.canUndo() and self._guard(group.undo):
            self.statusBar().showMessage(f"Đã hoàn tác: {text}", 5000)

    def redo(self) -> None:
        self.form.commit()
        group = self.session.undo_group
        text = group.redoText()
        if group.canRedo() and self._guard(group.redo):
            self.statusBar().showMessage(f"Đã làm lại: {text}", 5000)

    def _guard(self, op: Callable[[], object]) -> bool:
        try:
            op()
        except ParAppError as err:
            show_error(self, err)
            return False
        return True

    def open_framework_editor(self) -> None:
        """The office's framework editor (its ``saved`` signal is the hook for publishing)."""
        from parapp.ui.office.framework_editor import open_framework_editor

        open_framework_editor(self.session, self, self.open_publish)

    def open_publish(self, framework_id: str | None = None) -> None:
        """The signed framework package for the units below (Thẩm định menu, editor)."""
        from parapp.ui.office.publish_dialog import PublishDialog

        PublishDialog(self.session, framework_id, self).exec()

    def open_setup(self, package: bool = False) -> None:
        """The setup wizard; ``package``: straight at importing the package from above."""
        self.form.commit()
        from parapp.ui.setup_wizard import SetupWizard  # rarely used: loaded on demand

        wizard = SetupWizard(self.session, self.session.ws.data_dir, self)
        if package:
            wizard.start_with_package()
        wizard.exec()
        self.model.reload()
        self._refresh_header()
        if self.current_code:
            self.select_code(self.current_code)

    def _ask_open(self, caption: str) -> Path | None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, caption, "", "Bảng tính Excel (*.xlsx);;Tệp JSON (*.json);;Tất cả tệp (*)"
        )
        return Path(name) if name else None

    def _progress_dialog(self, title: str, text: str) -> ProgressDialog:
        """A progress dialog for a background job; its module (a ``QDialog`` subclass) loads
        with the first job, not at every start."""
        from parapp.ui.progress_dialog import ProgressDialog

        return ProgressDialog(title, text, self)

    def _background(
        self,
        title: str,
        text: str,
        job: Callable[[ProgressFn, CancelFn], object],
        done: Callable[[object], None],
    ) -> None:
        """Run ``job`` off the GUI thread behind a progress dialog with Hủy; ``done`` gets
        the result; a failure or a cancel is said in Vietnamese and changes nothing."""
        dialog = self._progress_dialog(title, text)

        def outcome(kind: str, payload: object) -> None:
            if kind == "finished":
                done(payload)
            elif kind == "failed":
                messages.show_failure(self, "Không thực hiện được", payload)
            else:
                self.statusBar().showMessage(
                    f"Đã hủy: {title.lower()}; không có gì thay đổi.", 8000
                )

        dialog.outcome.connect(outcome)
        self._job = dialog
        dialog.run(job)

    def import_framework(self) -> None:
        path = self._ask_open("Nhập bộ chỉ số từ Excel")
        if path is None:
            return
        ws = self.session.ws

        def done(fw: object) -> None:
            assert isinstance(fw, Framework)
            self.session.notify(Changes(frameworks=True))
            messages.show_info(
                self,
                "Đã nhập bộ chỉ số",
                f"Đã nhập “{fw.name}” ({len(list(fw.leaves()))} tiêu chí chấm điểm). "
                "Chọn bộ chỉ số này cho kỳ đánh giá ở Tệp → Thiết lập lại….",
            )

        self._background(
            "Nhập bộ chỉ số",
            f"Đang đọc “{path.name}”…",
            lambda progress, cancel: ws.import_framework(path, progress, cancel),
            done,
        )

    def import_tasks(self) -> None:
        path = self._ask_open("Nhập kế hoạch nhiệm vụ từ Excel")
        if path is None:
            return
        ws = self.session.ws

        def done(plan: object) -> None:
            assert isinstance(plan, TaskPlan)
            self.session.notify(Changes(tasks=True))
            messages.show_info(
                self,
                "Đã nhập kế hoạch",
                f"Đã nhập kế hoạch “{plan.id}” ({len(plan.tasks)} nhiệm vụ).",
            )

        self._background(
            "Nhập kế hoạch",
            f"Đang đọc “{path.name}”…",
            lambda progress, cancel: ws.import_tasks(path, progress, cancel),
            done,
        )

    def backup(self) -> None:
        """Write the whole workspace to one file, in the background with progress and Hủy."""
        self.form.commit()
        suggested = f"ParApp-sao-luu-{date.today().strftime('%d-%m-%Y')}.parapp-backup"
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Sao lưu toàn bộ dữ liệu", suggested, "Bản sao lưu ParApp (*.parapp-backup)"
        )
        if not name:
            return
        ws = self.session.ws
        dialog = self._progress_dialog("Sao lưu", "Đang sao lưu toàn bộ dữ liệu và tài liệu…")

        def done(kind: str, payload: object) -> None:
            if kind == "finished" and isinstance(payload, dict):
                messages.show_info(
                    self,
                    "Đã sao lưu",
                    f"Đã sao lưu toàn bộ dữ liệu ({payload.get('evidence_files', 0)} tài liệu) "
                    f"vào:\n{name}",
                )
            elif kind == "failed":
                messages.show_failure(self, "Không sao lưu được", payload)
            else:
                self.statusBar().showMessage("Đã hủy sao lưu; không có tệp nào được ghi.", 8000)

        dialog.outcome.connect(done)
        self._job = dialog
        dialog.run(lambda progress, cancel: ws.backup(Path(name), progress, cancel))

    def restore(self) -> None:
        """Replace the data by a backup: asks first, keeps the current data aside, reopens."""
        self.form.commit()
        name, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Khôi phục từ bản sao lưu", str(Path.home()),
            "Bản sao lưu ParApp (*.parapp-backup);;Tất cả các tệp (*)",
        )  # fmt: skip
        if not name:
            return
        answer = QtWidgets.QMessageBox.question(
            self,
            "Khôi phục dữ liệu",
            "Toàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao lưu\n"
            f"“{Path(name).name}”.\n\nDữ liệu hiện tại không bị xóa: nó được cất vào thư mục "
            "“backups” trong thư mục dữ liệu. Tiếp tục?",
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        data_dir = self.session.ws.data_dir
        self.session.ws.close()  # the files are swapped: nothing may hold the database
        dialog = self._progress_dialog("Khôi phục", "Đang kiểm tra và khôi phục bản sao lưu…")

        def done(kind: str, payload: object) -> None:
            try:
                self.session.replace_workspace(Workspace.open(data_dir, backup=False))
            except ParAppError as err:
                show_error(self, err)
                return
            self._refresh_header()
            if kind == "finished" and isinstance(payload, dict):
                messages.show_info(
                    self,
                    "Đã khôi phục",
                    f"Đã khôi phục dữ liệu ({payload.get('evidence_files', 0)} tài liệu) "
                    f"từ “{Path(name).name}”.",
                )
            elif kind == "failed":
                messages.show_failure(
                    self, "Không khôi phục được", payload, "Dữ liệu hiện tại giữ nguyên."
                )
            else:
                self.statusBar().showMessage("Đã hủy khôi phục; dữ liệu giữ nguyên.", 8000)

        dialog.outcome.connect(done)
        self._job = dialog
        dialog.run(lambda progress, cancel: restore_backup(Path(name), data_dir, progress, cancel))

    def export_assessment(self) -> None:
        """Save the whole self-assessment as an Excel workbook the officer chooses."""
        if not self.form.commit():
            return
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Xuất bảng tự đánh giá", str(Path.home() / "tu-danh-gia.xlsx"),
            "Bảng tính Excel (*.xlsx)",
        )  # fmt: skip
        if not name:
            return
        # openpyxl is loaded on first use, not at start (bench/bench_startup.py)
        from parapp.services.commune.assessment_export import export_assessment_xlsx

        try:
            out = export_assessment_xlsx(self.session.ws, Path(name))
        except ParAppError as err:
            show_error(self, err)
            return
        self.statusBar().showMessage(f"Đã xuất bảng tự đánh giá: {out}", 8000)

    def export_audit(self) -> None:
        """The change log of the assessment (who, when, before, after, why) as Excel."""
        if not self.form.commit():
            return
        name, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Xuất nhật ký thay đổi", str(Path.home() / "nhat-ky-thay-doi.xlsx"),
            "Bảng tính Excel (*.xlsx)",
        )  # fmt: skip
        if not name:
            return
        a = self.session.ws.current_assessment()
        try:
            count = audit.export_xlsx(
                self.session.ws, Path(name), a.unit_code if a else None, a.period if a else None
            )
        except ParAppError as err:
            show_error(self, err)
            return
        self.statusBar().showMessage(f"Đã ghi {count} thay đổi vào {name}", 8000)

    def _open_dialog(self, module: str, cls: str) -> None:
        """Run one of the submission/printing dialogs modally over the committed form."""
        if not self.form.commit():
            self.statusBar().showMessage("Hãy sửa giá trị chưa hợp lệ trước.", 5000)
            return
        if self.session.ws.current_assessment() is None and module != "verify_dialog":
            messages.show_info(
                self, "Chưa có kỳ đánh giá", "Hãy thiết lập đơn vị và kỳ đánh giá trước."
            )
            return
        factory = getattr(importlib.import_module(f"parapp.ui.{module}"), cls)
        try:
            dialog = factory(self.session, self)
        except ParAppError as err:
            show_error(self, err)
            return
        dialog.exec()
        dialog.deleteLater()
        self._refresh_key_hint()

    def open_framework_diff(self) -> None:
        """Compare two frameworks of the workspace (also without an assessment: an office)."""
        module = importlib.import_module("parapp.ui.framework_diff_dialog")  # loads openpyxl
        dialog = module.FrameworkDiffDialog(self.session, self)
        dialog.exec()
        dialog.deleteLater()

    def open_submit(self) -> None:
        self._open_dialog("submit_dialog", "SubmitDialog")

    def open_verify(self) -> None:
        self._open_dialog("verify_dialog", "VerifyDialog")

    def open_keys(self) -> None:
        self._open_dialog("keys_dialog", "KeysDialog")

    def open_print(self) -> None:
        self._open_dialog("print_dialog", "PrintDialog")

    def guide_section(self) -> str:
        """The guide's section for the screen on show (F1 is context-sensitive)."""
        widget = self.tabs.currentWidget()
        sections = {
            self.item_scroll: "tu-danh-gia",
            self.grid_tab: "bang",
            self.tasks_scroll: "nhiem-vu",
            self.office_view: "co-quan",
        }
        return sections.get(widget, "tong-hop")

    def show_guide(self, section: str | None = None) -> None:
        """Open (or bring forward) the built-in guide at ``section`` or the current screen's."""
        if self._guide is None:
            from parapp.ui.guide_dialog import GuideDialog

            try:
                self._guide = GuideDialog(self)
            except ParAppError as err:
                show_error(self, err)
                return
        self._guide.show_section(section or self.guide_section())

    def show_shortcuts(self) -> None:
        rows = "".join(
            f"<tr><td style='padding:2px 16px 2px 0'><b>{k}</b></td><td>{v}</td></tr>"
            for k, v in SHORTCUTS
        )
        box = QtWidgets.QMessageBox(self)
        box.setWindowTitle("Phím tắt")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(f"<table>{rows}</table>")
        box.exec()

    def show_about(self) -> None:
        QtWidgets.QMessageBox.about(
            self,
            "Giới thiệu ParApp",
            f"<b>ParApp {__version__}</b><br>Tự đánh giá, nộp và thẩm định Chỉ số cải cách "
            "hành chính — chạy không cần mạng.<br>Dữ liệu được lưu tự động trên máy này.",
        )

    # -- state ----------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*DEFAULT_SIZE)
        splitter = self.settings.value("main/splitter")
        self._splitter_restored = isinstance(splitter, QByteArray) and not splitter.isEmpty()
        if isinstance(splitter, QByteArray) and self._splitter_restored:
            self.splitter.restoreState(splitter)

    def showEvent(self, event: QShowEvent) -> None:
        """First start: give the tree 45 % of the real width (long Vietnamese titles)."""
        super().showEvent(event)
        if not self._splitter_restored:
            self._splitter_restored = True
            QTimer.singleShot(0, self._initial_split)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The first frame starts the status bar's fill, once it is fully drawn (the fill
        loads the bundle and crypto libraries; the window is not kept waiting for them)."""
        super().paintEvent(event)
        if not hasattr(self, "_status_ready"):
            self._status_ready = False
            QTimer.singleShot(0, lambda: QTimer.singleShot(STATUS_DELAY_MS, self._first_status))

    def _initial_split(self) -> None:
        total = sum(self.splitter.sizes())
        self.splitter.setSizes([int(total * 0.42), total - int(total * 0.42)])

    def save_state(self) -> None:
        """Remember the geometry and the split; an unchanged layout writes nothing (a
        settings write locks, syncs and renames a file: time at every close otherwise)."""
        hidden = not self.left_pane.isVisible() and self._split_before_hide is not None
        split = self._split_before_hide if hidden else self.splitter.saveState()
        for key, value in (("main/geometry", self.saveGeometry()), ("main/splitter", split)):
            if self.settings.value(key) != value:
                self.settings.setValue(key, value)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.form.commit():
            answer = QtWidgets.QMessageBox.question(
                self,
                "Chưa lưu được",
                "Giá trị vừa nhập không hợp lệ nên chưa được lưu. Vẫn đóng cửa sổ?",
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        if self.evidence.busy():
            self.evidence.cancel()
        self.save_state()
        event.accept()
