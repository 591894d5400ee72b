"""Undo on the office's screens: an appraisal score or comment typed in the table.

The appraisal already keeps an audit trail (who, when, before, after); undo writes the
previous value back through the same service, so the trail records the undo as one more
change rather than erasing the mistake. The command lives on the office screen's stack
(:meth:`parapp.ui.session.Session.stack`), so Ctrl+Z on the self-assessment never touches
an appraisal and the reverse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from parapp.models.text import format_number

T = TypeVar("T")
#: an appraisal as the table shows it: (score or None when cleared, comment)
Appraised = tuple[float | None, str]


def _shown(value: Appraised) -> str:
    return "trống" if value[0] is None else format_number(value[0])


class _SavedEdit(QUndoCommand, Generic[T]):
    """An edit the screen has saved already when the command is pushed: Qt calls ``redo``
    on push, so the first one does nothing; later ones and ``undo`` write through
    ``apply``, the screen's own save (which checks, audits and refreshes)."""

    def __init__(self, text: str, apply: Callable[[T], None], old: T, new: T) -> None:
        super().__init__(text)
        self.apply, self.old, self.new = apply, old, new
        self._saved_already = True

    def redo(self) -> None:
        if self._saved_already:
            self._saved_already = False
            return
        self.apply(self.new)

    def undo(self) -> None:
        self.apply(self.old)


class SetAppraisalCommand(_SavedEdit[Appraised]):
    """One appraisal edit (score or comment) of one unit's item."""

    def __init__(
        self,
        apply: Callable[[Appraised], None],
        unit_code: str,
        code: str,
        old: Appraised,
        new: Appraised,
    ) -> None:
        what = "nhận xét" if old[0] == new[0] else "điểm thẩm định"
        text = f"{what} tiêu chí {code} ({unit_code}): {_shown(old)} → {_shown(new)}"
        super().__init__(text, apply, old, new)


class SetThresholdsCommand(_SavedEdit[str]):
    """The ranking's rating thresholds, as text ("Xuất sắc=90; Tốt=80; …")."""

    def __init__(self, apply: Callable[[str], None], old: str, new: str) -> None:
        super().__init__(f"ngưỡng xếp loại: {old} → {new}", apply, old, new)
