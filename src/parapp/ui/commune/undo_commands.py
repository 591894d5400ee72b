"""Undoable edits. Every change the officer makes goes through one of these commands.

Commands call the :class:`Workspace` facade (never SQL) and tell the session what changed,
so undo and redo refresh the tree, the form and the dashboard like any other edit.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.tasks import TaskStatus
from parapp.services.changes import Changes
from parapp.ui.session import Session

if TYPE_CHECKING:  # annotations only: the UI reaches these layers through services
    from parapp.storage.evidence_store import StoredFile

_ANSWER_ID = 1001
MERGE_WINDOW_S = 3.0  # a burst of typing in one field undoes as one step

FIELD_LABELS = {
    "value": "giá trị",
    "numerator": "tử số",
    "denominator": "mẫu số",
    "self_score": "điểm tự chấm",
    "explanation": "giải trình",
    "not_applicable": "không áp dụng",
}


def _changes(code: str, evidence: bool = False) -> Changes:
    return Changes(codes=frozenset({code}), evidence=evidence)


class SetAnswerCommand(QUndoCommand):
    """Change some fields of one answer.

    The form applies the edit itself first (so a validation error reaches the user before
    anything lands on the stack) and passes ``applied=True``: the first ``redo`` then only
    notifies. Later redos call ``ws.set_answer`` again; undo writes the old answer back.
    """

    def __init__(
        self,
        session: Session,
        code: str,
        fields: dict[str, Any],
        old: Answer,
        applied: bool = False,
        mergeable: bool = False,
    ) -> None:
        names = ", ".join(FIELD_LABELS.get(k, k) for k in fields)
        super().__init__(f"Sửa {names} của tiêu chí {code}")
        self.session = session
        self.code = code
        self.fields = dict(fields)
        self.old = old
        self._skip_redo = applied
        self.mergeable = mergeable
        self._stamp = time.monotonic()

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
        else:
            self.session.ws.set_answer(self.code, **self.fields)
        self.session.notify(_changes(self.code))

    def undo(self) -> None:
        self.session.ws.restore_answer(self.old)
        self.session.notify(_changes(self.code))

    def id(self) -> int:
        return _ANSWER_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Merge successive edits of the same fields of the same item typed within seconds."""
        if not isinstance(other, SetAnswerCommand) or other.code != self.code:
            return False
        if not (self.mergeable and other.mergeable):
            return False
        if set(other.fields) != set(self.fields) or other._stamp - self._stamp > MERGE_WINDOW_S:
            return False
        self.fields = dict(other.fields)
        self._stamp = other._stamp
        return True


class ConfirmCarriedCommand(QUndoCommand):
    """The officer reviewed an answer carried over from the last period: its mark goes; undo
    writes the answer back as it was, mark included."""

    def __init__(self, session: Session, code: str, old: Answer, applied: bool = False) -> None:
        super().__init__(f"Xác nhận đã xem lại tiêu chí {code}")
        self.session = session
        self.code = code
        self.old = old
        self._skip_redo = applied  # as SetAnswerCommand: the form applied it already

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
        else:
            self.session.ws.confirm_carried(self.code)
        self.session.notify(_changes(self.code))

    def undo(self) -> None:
        self.session.ws.restore_answer(self.old)
        self.session.notify(_changes(self.code))


def _restore_carried_mark(session: Session, before: Answer | None) -> None:
    """Undo of an evidence change on an answer carried from the last period: the change
    counted as a review and cleared the mark; the answer is written back as it was (links
    are not touched by :meth:`Workspace.restore_answer`)."""
    if before is not None and before.carried_from:
        session.ws.restore_answer(before)


class LinkEvidenceCommand(QUndoCommand):
    """Link a file already copied into the evidence store to an item."""

    def __init__(
        self,
        session: Session,
        code: str,
        stored: StoredFile,
        file_name: str,
        ref: str = "",
        note: str = "",
    ) -> None:
        super().__init__(f"Gắn tài liệu “{file_name}” vào tiêu chí {code}")
        self.session = session
        self.code = code
        self.stored = stored
        self.file_name = file_name
        self.ref = ref
        self.note = note
        self.link: EvidenceLink | None = None
        self._row: dict[str, object] | None = None
        self._before: Answer | None = None  # the answer as it was: its "từ kỳ trước" mark

    def redo(self) -> None:
        ws = self.session.ws
        if self._row is None:
            self._before = ws.answer(self.code)
            self.link = ws.link_evidence(
                self.code, self.stored, self.file_name, self.ref, self.note
            )
        else:
            ws.relink_evidence(self._row)
            ws.confirm_carried(self.code)  # as the first time: attaching a file is a review
        self.session.notify(_changes(self.code, evidence=True))

    def undo(self) -> None:
        assert self.link is not None and self.link.id is not None
        self._row = self.session.ws.unlink_evidence(self.link.id)
        _restore_carried_mark(self.session, self._before)
        self.session.notify(_changes(self.code, evidence=True))


class UnlinkEvidenceCommand(QUndoCommand):
    """Remove a link (the stored file stays, so undo is instant and lossless)."""

    def __init__(self, session: Session, code: str, link_id: int, file_name: str) -> None:
        super().__init__(f"Bỏ gắn tài liệu “{file_name}” khỏi tiêu chí {code}")
        self.session = session
        self.code = code
        self.link_id = link_id
        self._row: dict[str, object] | None = None
        self._before: Answer | None = None

    def redo(self) -> None:
        if self._before is None:
            self._before = self.session.ws.answer(self.code)
        self._row = self.session.ws.unlink_evidence(self.link_id)  # a review: mark cleared
        self.session.notify(_changes(self.code, evidence=True))

    def undo(self) -> None:
        assert self._row is not None
        self.session.ws.relink_evidence(self._row)
        _restore_carried_mark(self.session, self._before)
        self.session.notify(_changes(self.code, evidence=True))


class EditEvidenceCommand(QUndoCommand):
    """Change the page/section reference or the note of a link."""

    def __init__(
        self,
        session: Session,
        code: str,
        link_id: int,
        old: tuple[str, str],
        new: tuple[str, str],
    ) -> None:
        super().__init__(f"Sửa ghi chú tài liệu của tiêu chí {code}")
        self.session = session
        self.code = code
        self.link_id = link_id
        self.old = old
        self.new = new

    def redo(self) -> None:
        self.session.ws.update_evidence(self.link_id, *self.new)
        self.session.notify(_changes(self.code, evidence=True))

    def undo(self) -> None:
        self.session.ws.update_evidence(self.link_id, *self.old)
        self.session.notify(_changes(self.code, evidence=True))


class SetTaskStatusCommand(QUndoCommand):
    """Change a task's status (with its note and proof file) on the Tasks screen's stack.

    The history of a task is an audit trail, so undo does not erase the event: it records a
    new one that puts the previous status back, saying it was an undo.
    """

    def __init__(
        self,
        session: Session,
        plan_id: str,
        code: str,
        old: TaskStatus,
        new: TaskStatus,
        note: str = "",
        evidence: StoredFile | None = None,
        evidence_name: str = "",
    ) -> None:
        super().__init__(f"trạng thái nhiệm vụ {code}: {old.label} → {new.label}")
        self.session, self.plan_id, self.code = session, plan_id, code
        self.old, self.new, self.note = old, new, note
        self.evidence, self.evidence_name = evidence, evidence_name

    def redo(self) -> None:
        ws = self.session.ws
        changes = ws.set_task_status(
            self.plan_id,
            self.code,
            self.new,
            self.note,
            evidence=self.evidence,
            evidence_name=self.evidence_name,
        )
        self.session.notify(changes | Changes(tasks=True))

    def undo(self) -> None:
        changes = self.session.ws.set_task_status(
            self.plan_id, self.code, self.old, f"Hoàn tác: trở lại “{self.old.label}”"
        )
        self.session.notify(changes | Changes(tasks=True))
