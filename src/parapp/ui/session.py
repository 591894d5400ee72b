"""The UI's handle on the open workspace, and the one signal views refresh from.

Every edit goes through the ``Workspace`` facade; afterwards the caller emits
:attr:`Session.changed` with the :class:`Changes` the operation reported, and each view
refreshes only what concerns it (Anki's "operations report what changed").
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from parapp.services.changes import Changes
from parapp.services.workspace import Workspace

#: screens with their own undo history
ASSESSMENT = "assessment"
SUMMARY = "summary"
TASKS = "tasks"
OFFICE = "office"
GRID = "grid"  # the criteria grid (its module loads with its tab)


class Session(QObject):
    """Owns the open :class:`Workspace`, the undo stacks and the change notifications.

    Undo is per screen: each tab has its own stack in one ``QUndoGroup``, and the main
    window makes the current tab's stack active, so Ctrl+Z on the Tasks tab can never undo
    an evidence link of the self-assessment. ``undo_stack`` is the self-assessment's.
    """

    changed = Signal(object)  # Changes
    current_item_changed = Signal(str)  # criterion code selected anywhere

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}
        self.undo_stack = self.stack(ASSESSMENT)
        self.undo_group.setActiveStack(self.undo_stack)

    def stack(self, screen: str) -> QUndoStack:
        """The undo stack of one screen (created on first use, member of the group)."""
        found = self._stacks.get(screen)
        if found is None:
            found = QUndoStack(self)
            self.undo_group.addStack(found)
            self._stacks[screen] = found
        return found

    def activate(self, screen: str) -> None:
        """Make ``screen``'s stack the one Ctrl+Z and Ctrl+Y act on."""
        self.undo_group.setActiveStack(self.stack(screen))

    def replace_workspace(self, workspace: Workspace) -> None:
        """After a restore: the views now read ``workspace``; every view reloads and the
        undo histories (which name the old data) are cleared."""
        self.ws = workspace
        for stack in self._stacks.values():
            stack.clear()
        self.notify(
            Changes(
                unit=True, frameworks=True, assessment=True, tasks=True, evidence=True,
                inbox=True, appraisal=True,
            )
        )  # fmt: skip

    def notify(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def select_item(self, code: str) -> None:
        """Ask the main window to show ``code`` (used by problem lists, task links)."""
        self.current_item_changed.emit(code)
