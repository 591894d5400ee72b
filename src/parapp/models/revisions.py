"""The one rule that numbers submissions (export, submit dialog and CLI all ask it).

A revision is identified by its content: the answers (with their evidence) and the approver
named on it. The next export gets ``last + 1`` whenever that content differs from the *last*
exported revision — never an older one: after A → B → A the third export is revision 3, so
the office (which keeps the highest revision as current) receives the final answers. Only an
export whose content equals the last revision re-uses its number (the same bundle again).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


def answers_digest(
    answers: Sequence[dict[str, Any]], narrative: dict[str, Any] | None = None
) -> str:
    """Identity of what was answered (not when or by whom), from the document's answers and,
    when the officer wrote any, the report's own words (a document without them keeps the
    digest it always had, so earlier revisions still match)."""
    content: Any = list(answers)
    if narrative:
        content = {"answers": list(answers), "narrative": narrative}
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class LastRevision:
    """What the rule needs to know of the last exported revision."""

    number: int
    answers_digest: str
    approver: str
    approver_position: str


@dataclass(frozen=True)
class NextRevision:
    number: int
    reuses_last: bool  # True: nothing changed, the last revision is written again


def next_revision(
    last: LastRevision | None, digest: str, approver: str, approver_position: str
) -> NextRevision:
    """The number the next export gets (see the module docstring)."""
    if last is None:
        return NextRevision(1, False)
    same = (last.answers_digest, last.approver, last.approver_position) == (
        digest,
        approver,
        approver_position,
    )
    return NextRevision(last.number, True) if same else NextRevision(last.number + 1, False)
