"""Every message box the app shows: plain Vietnamese on its face, technical detail behind
"Chi tiết".

An officer reads what went wrong and where ("Không đọc được tệp “hong.xlsx”: tệp không phải
bảng tính Excel."); the exception type, paths, check codes and hashes a support person needs
go into :meth:`QMessageBox.setDetailedText`, which Qt shows behind its "Chi tiết…" button
(translated in ``resources/translations/qtbase_vi.ts``). No view calls
``QMessageBox.warning``/``critical``/``information`` itself (a test walks the source tree);
they call :func:`show_error`, :func:`show_info`, :func:`show_exception`, :func:`show_failure`
or :func:`ask`. What an exception becomes (plain text, detail) is decided once, in
:func:`parapp.ui.workers.failure_of`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# ``QtWidgets.QMessageBox``, not ``from … import QMessageBox``: PySide6 builds a class and its
# enums when it is first looked up, so the message box class is built when a box is first
# shown rather than at every start (bench/bench_startup.py).
from PySide6 import QtWidgets
from PySide6.QtWidgets import QWidget

from parapp.ui.workers import Failure, failure_of

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

_DETAIL_LIMIT = 20_000  # a detail pane, not a log file


def present(box: QMessageBox) -> int:
    """Show ``box`` modally and return the button pressed (tests replace this function to
    read the box without blocking)."""
    return box.exec()


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    detail: str | None = None,
) -> QMessageBox:
    """A box with ``text`` on its face and ``detail`` (if any) behind "Chi tiết"."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    if detail:
        box.setDetailedText(detail[:_DETAIL_LIMIT])
    return box


def show_error(parent: QWidget | None, title: str, text: str, detail: str | None = None) -> None:
    """Something the user asked for could not be done: a warning box."""
    present(message_box(parent, QtWidgets.QMessageBox.Icon.Warning, title, text, detail))


def show_critical(parent: QWidget | None, title: str, text: str, detail: str | None = None) -> None:
    """The app cannot go on (the data cannot be opened)."""
    present(message_box(parent, QtWidgets.QMessageBox.Icon.Critical, title, text, detail))


def show_info(parent: QWidget | None, title: str, text: str, detail: str | None = None) -> None:
    """Something finished and the user should know how it ended."""
    present(message_box(parent, QtWidgets.QMessageBox.Icon.Information, title, text, detail))


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton | None = None,
    default: QMessageBox.StandardButton | None = None,
    icon: QMessageBox.Icon | None = None,
) -> QMessageBox.StandardButton:
    """A question (Yes/No, No by default, unless ``buttons``/``default`` say otherwise);
    returns the button pressed."""
    button = QtWidgets.QMessageBox.StandardButton
    box = message_box(parent, icon or QtWidgets.QMessageBox.Icon.Question, title, text)
    box.setStandardButtons(buttons if buttons is not None else button.Yes | button.No)
    box.setDefaultButton(default if default is not None else button.No)
    return button(present(box))


def show_exception(
    parent: QWidget | None, err: BaseException, title: str = "Không thực hiện được"
) -> None:
    """A caught exception as a warning box: its plain text, its technical detail hidden."""
    show_failure(parent, title, failure_of(err))


def show_failure(parent: QWidget | None, title: str, failure: object, after: str = "") -> None:
    """How a background job failed (a :class:`Failure`, or a bare message) as a warning
    box; ``after`` is a plain sentence added under the message."""
    if isinstance(failure, Failure):
        text, detail = failure.text, failure.detail
    else:
        text, detail = str(failure), None
    show_error(parent, title, f"{text}\n\n{after}" if after else text, detail)
