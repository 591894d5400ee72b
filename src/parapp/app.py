"""The desktop application: ``python -m parapp`` (no arguments) or ``python -m parapp --demo``.

Creates the ``QApplication`` (Vietnamese locale, a font with Vietnamese glyphs, High-DPI),
opens the workspace (the demo one with ``--demo``), runs the setup wizard when the
workspace has no unit or no assessment yet, then shows the main window. Any error that
escapes reaches the officer as a Vietnamese dialog instead of a silent crash.

``PARAPP_SCREENSHOT=path.png`` saves a picture of the window after 1.5 s and quits (used
by ``tools/screenshots.py`` and to check the layout on a machine without a screen);
``PARAPP_SCREENSHOT_TAB`` chooses the tab shown (0, 1, 2).
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

# The Qt-free layers load before PySide6: PySide6 hooks every later import (it reads each
# new module's source, looking for its ``__feature__`` switch), and the models, storage and
# services are most of the modules a start loads (bench/bench_startup.py).
from parapp import APP_NAME, __version__
from parapp.models.errors import ParAppError
from parapp.services import paths
from parapp.services.workspace import Workspace

# isort: split
from PySide6 import QtWidgets  # QDialog's class is built only if the wizard runs
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from parapp.ui import messages
from parapp.ui.main_thread_gc import MainThreadGC
from parapp.ui.session import Session
from parapp.ui.translations import install_translations
from parapp.ui.workers import failure_of

UI_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Tahoma")
SCREENSHOT_DELAY_MS = 1500

_log_dir: Path | None = None


class DesktopArgs:
    """What the desktop app takes: ``--demo``, ``--demo-office``, ``--data-dir DIR`` and
    ``--open FILE`` (a bundle double-clicked in Explorer).

    Not argparse: the command line was already checked by :func:`parapp.__main__.opens_desktop`
    or by the click tree (:mod:`parapp.cli.gui`), and argparse with its compiled patterns is a
    measurable part of a start (``bench/bench_startup.py``). Unknown words are ignored, as
    ``parse_known_args`` did.
    """

    def __init__(self, argv: list[str]) -> None:
        self.demo = False
        self.demo_office = False
        self.data_dir: str | None = None
        self.open: str | None = None
        rest = list(argv)
        while rest:
            word = rest.pop(0)
            name, eq, value = word.partition("=")
            if word == "--demo":
                self.demo = True
            elif word == "--demo-office":
                self.demo_office = True
            elif name in ("--data-dir", "--open"):
                if not eq:
                    if not rest:
                        continue
                    value = rest.pop(0)
                setattr(self, name[2:].replace("-", "_"), value or None)


def settle_start_up() -> None:
    """Once the window is painted: move every object made so far to the collector's
    permanent generation (``gc.freeze``).

    Modules, classes, Qt wrappers and the open framework live as long as the app; left in
    the oldest generation, each full collection (:class:`MainThreadGC`) and the final one at
    exit would walk them all again, ~10 ms each on this machine. The start itself runs with
    automatic collection off (:func:`parapp.__main__.run`), so nothing was collected yet.
    """
    gc.freeze()


def pick_ui_font() -> QFont | None:
    """The first installed UI family that has Vietnamese glyphs (None: keep Qt's default)."""
    families = set(QFontDatabase.families())
    for family in UI_FONTS:
        if family in families and (
            QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)
        ):
            font = QFont(family)
            font.setPointSizeF(max(QApplication.font().pointSizeF(), 9.5))
            return font
    return None


def create_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication([sys.argv[0] if sys.argv else APP_NAME, *argv])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    install_translations(app)  # Qt's own buttons and dialogs in Vietnamese; locale vi_VN
    font = pick_ui_font()
    if font is not None:
        app.setFont(font)
    MainThreadGC(app)  # collection never runs in a worker thread (it would crash Qt)
    return app


def _write_crash_log(text: str) -> Path | None:
    if _log_dir is None:
        return None
    from parapp.fileio import atomic_write_text

    path = _log_dir / f"loi-{datetime.now().strftime('%Y%m%d-%H%M%S')}.txt"
    try:
        atomic_write_text(path, text)
    except (OSError, ParAppError):
        return None
    return path


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Show errors that escaped a slot instead of dying silently (or printing to no one)."""
    if isinstance(exc, KeyboardInterrupt):
        QApplication.quit()
        return
    parent = QApplication.activeWindow()
    if isinstance(exc, ParAppError):
        messages.show_exception(parent, exc)
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    sys.stderr.write(details)
    log = _write_crash_log(details)
    where = f"\n\nChi tiết đã được ghi vào:\n{log}" if log else ""
    messages.show_critical(
        parent,
        "Lỗi không mong đợi",
        "ParApp gặp lỗi không mong đợi. Dữ liệu đã nhập trước đó vẫn được lưu an toàn."
        f"{where}\n\nHãy gửi tệp này cho bộ phận hỗ trợ nếu lỗi lặp lại.",
        details,
    )


def _schedule_screenshot(app: QApplication, window: QWidget, path: str) -> None:
    tab = os.environ.get("PARAPP_SCREENSHOT_TAB", "")

    def shoot() -> None:
        tabs = getattr(window, "tabs", None)
        if tab.isdigit() and tabs is not None:
            tabs.setCurrentIndex(int(tab))
            app.processEvents()
        window.grab().save(path)
        window.close()
        app.quit()

    QTimer.singleShot(SCREENSHOT_DELAY_MS, shoot)


class AfterFirstPaint(QObject):
    """Run ``steps`` in order once the window has been painted, not merely shown.

    The window's own paint event comes first in the repaint pass that paints all its
    children; the steps are queued behind that pass, so every visible widget is drawn.
    Used for :func:`settle_start_up` and, with ``PARAPP_EXIT_WHEN_SHOWN``
    (``bench/bench_startup.py``), to quit: a shown window whose content was never drawn is
    not a start.
    """

    def __init__(self, window: QWidget, *steps: Callable[[], object]) -> None:
        super().__init__(window)
        self._window = window
        self._steps = steps
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        for step in self._steps:
            step()


def _open_bundle(session: Session, window: QWidget, path: Path) -> None:
    """A bundle given on the command line (a double-click in Explorer): check it at once."""
    from parapp.ui.verify_dialog import VerifyDialog

    dialog = VerifyDialog(session, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.verify(path)


def needs_setup(ws: Workspace) -> bool:
    """Whether the first-run wizard must run: no unit yet, or a unit with nothing to do.

    A receiving office set up from the command line (docs/receiving-office.md) has child
    units and may have no assessment of its own: it opens straight on its office screens.
    """
    if ws.own_unit() is None:
        return True
    return ws.current_assessment() is None and not ws.child_units()


def main(argv: list[str] | None = None) -> int:
    """Run the desktop app; returns the process exit code."""
    global _log_dir
    args = DesktopArgs(sys.argv[1:] if argv is None else argv)
    app = create_application([])
    sys.excepthook = excepthook

    from parapp.ui.main_window import MainWindow

    try:
        if args.demo_office:
            from parapp.services.office_demo import open_office_demo

            data_dir = Path(args.data_dir) if args.data_dir else paths.office_demo_data_dir()
            ws = open_office_demo(data_dir)
        elif args.demo:
            from parapp.services.defaults import open_demo

            data_dir = Path(args.data_dir) if args.data_dir else paths.demo_data_dir()
            ws = open_demo(data_dir, lived_in=True)
        else:
            data_dir = Path(args.data_dir) if args.data_dir else paths.default_data_dir()
            ws = Workspace.open(data_dir)
    except ParAppError as err:
        failure = failure_of(err)
        messages.show_critical(None, "Không mở được dữ liệu", failure.text, failure.detail)
        return 1
    _log_dir = ws.data_dir / "logs"
    session = Session(ws)
    try:
        if needs_setup(ws):
            from parapp.ui.setup_wizard import SetupWizard

            wizard = SetupWizard(session, ws.data_dir)
            if wizard.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return 0
            if needs_setup(ws):
                return 0
        window = MainWindow(session)
        window.show()
        if args.open:
            bundle = Path(args.open)
            QTimer.singleShot(0, lambda: _open_bundle(session, window, bundle))
        after_paint: list[Callable[[], object]] = [settle_start_up]
        if os.environ.get("PARAPP_EXIT_WHEN_SHOWN"):  # bench/bench_startup.py: time to a window
            after_paint.append(app.quit)
        AfterFirstPaint(window, *after_paint)
        shot = os.environ.get("PARAPP_SCREENSHOT")
        if shot:
            _schedule_screenshot(app, window, shot)
        return app.exec()
    finally:
        ws.close()
