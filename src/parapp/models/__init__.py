"""Domain model: frozen dataclasses, enums and pure functions. No I/O, no SQL, no Qt."""

from parapp.models.assessment import Answer, AnswerStatus, Assessment, EvidenceLink
from parapp.models.errors import (
    ImportErrors,
    NotFoundError,
    ParAppError,
    SheetError,
    ValidationError,
    WorkspaceError,
)
from parapp.models.framework import Criterion, Framework, Guidance
from parapp.models.scoring import Band, RuleKind, ScoringRule
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.models.units import Unit, UnitLevel

__all__ = [
    "Answer",
    "AnswerStatus",
    "Assessment",
    "Band",
    "Criterion",
    "EvidenceLink",
    "Framework",
    "Guidance",
    "ImportErrors",
    "NotFoundError",
    "ParAppError",
    "RuleKind",
    "ScoringRule",
    "SheetError",
    "Task",
    "TaskPlan",
    "TaskStatus",
    "Unit",
    "UnitLevel",
    "ValidationError",
    "WorkspaceError",
]
