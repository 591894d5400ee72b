"""What an operation changed, so views refresh only what they must (Anki's OpChanges idea)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    codes: frozenset[str] = field(default_factory=frozenset)
    unit: bool = False
    frameworks: bool = False
    assessment: bool = False
    tasks: bool = False
    evidence: bool = False
    inbox: bool = False
    appraisal: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.codes | other.codes,
            self.unit or other.unit,
            self.frameworks or other.frameworks,
            self.assessment or other.assessment,
            self.tasks or other.tasks,
            self.evidence or other.evidence,
            self.inbox or other.inbox,
            self.appraisal or other.appraisal,
        )
