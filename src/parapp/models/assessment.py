"""Self-assessments: one unit, one framework, one period; an answer per leaf criterion.

An answer keeps what the officer entered (a measured value or the figures behind it, a
score, an explanation) and links to evidence files stored once by SHA-256.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class AnswerStatus(enum.StrEnum):
    """Progress of one item, as shown by the tree's status icon."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    EVIDENCE_MISSING = "evidence_missing"
    SURVEY = "survey"

    @property
    def label(self) -> str:
        return {
            AnswerStatus.NOT_STARTED: "Chưa làm",
            AnswerStatus.IN_PROGRESS: "Đang làm",
            AnswerStatus.COMPLETE: "Hoàn thành",
            AnswerStatus.EVIDENCE_MISSING: "Thiếu tài liệu kiểm chứng",
            AnswerStatus.SURVEY: "Điều tra XHH (không tự chấm)",
        }[self]


@dataclass(frozen=True)
class EvidenceLink:
    """An evidence file attached to an item. The file itself lives in the evidence store."""

    sha256: str
    file_name: str
    size: int
    ref: str = ""
    note: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Answer:
    """The officer's answer for one leaf.

    ``value`` is the measured value (a percentage, a count, 1/0 for yes/no); for percentage
    bands the figures behind it are kept in ``numerator``/``denominator``.
    """

    code: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    self_score: float | None = None
    explanation: str = ""
    evidence: tuple[EvidenceLink, ...] = field(default_factory=tuple)
    updated_at: str = ""
    #: Declared not applicable (only where the rule allows it); ``explanation`` is the reason.
    not_applicable: bool = False
    #: The period this answer was carried over from ("2024"), until the officer reviews it
    #: (edits it or confirms it); "" for an answer entered or reviewed in this period. A mark
    #: of the workspace only: never part of a bundle.
    carried_from: str = ""

    @property
    def touched(self) -> bool:
        return (
            self.value is not None
            or self.self_score is not None
            or bool(self.explanation)
            or bool(self.evidence)
            or self.numerator is not None
            or self.denominator is not None
            or self.not_applicable
        )


@dataclass(frozen=True)
class Assessment:
    """The header of an assessment. ``revision`` counts frozen submissions (0 = none yet)."""

    id: int
    unit_code: str
    framework_id: str
    framework_hash: str
    period: str
    revision: int = 0
    created_at: str = ""
