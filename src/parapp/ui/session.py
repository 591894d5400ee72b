"""The UI's handle on the open workspace, and the one signal views refresh from.

Every edit goes through the ``Workspace`` facade; afterwards the caller emits
:attr:`Session.changed` with the :class:`Changes` the operation reported, and each view
refreshes only what concerns it (Anki's "operations report what changed").
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from parapp.services.changes import Changes
from parapp.services.workspace import Workspace


class Session(QObject):
    """Owns the open :class:`Workspace`, the undo stack and the change notifications."""

    changed = Signal(object)  # Changes
    current_item_changed = Signal(str)  # criterion code selected anywhere

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.undo_stack = QUndoStack(self)

    def notify(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def select_item(self, code: str) -> None:
        """Ask the main window to show ``code`` (used by problem lists, task links)."""
        self.current_item_changed.emit(code)
