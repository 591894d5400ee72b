"""Last period's figures beside each item: what the unit scored itself a year ago and, when
the office's appraisal result was imported, what the office gave.

An officer scoring an item asks first what was claimed last year and whether the office
accepted it. The last period is the unit's assessment of the latest earlier period (see
:meth:`Workspace.previous_assessment`); its items are matched to this
period's by code and title (:func:`parapp.models.carry_over.code_map`), so a renumbered item
still shows its history, under the code it had then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parapp.models.errors import NotFoundError
from parapp.models.numbers import format_decimal
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalResultsRepo


@dataclass(frozen=True)
class PreviousFigures:
    """One item's figures in the last period (``old_code`` None: the item is new)."""

    period: str
    code: str
    old_code: str | None
    answered: bool = False
    self_score: float | None = None
    not_applicable: bool = False
    appraised: float | None = None
    appraisal_imported: bool = False

    def text(self) -> str:
        """``"Kỳ trước (2024): tự chấm 1,5 · thẩm định 1"``."""
        where = (
            self.period
            if self.old_code in (None, self.code)
            else (f"{self.period}, mã {self.old_code}")
        )
        head = f"Kỳ trước ({where}): "
        if self.old_code is None:
            return head + "chưa có tiêu chí này."
        parts: list[str] = []
        if self.not_applicable:
            parts.append("không áp dụng")
        elif self.self_score is not None:
            parts.append(f"tự chấm {format_decimal(self.self_score)}")
        else:
            parts.append("chưa tự chấm")
        if self.appraised is not None:
            parts.append(f"thẩm định {format_decimal(self.appraised)}")
        elif self.appraisal_imported:
            parts.append("chưa có điểm thẩm định")
        return head + " · ".join(parts)


@dataclass(frozen=True)
class PreviousPeriod:
    """The last period's figures for every item of the current framework."""

    period: str
    framework_id: str
    figures: dict[str, PreviousFigures] = field(default_factory=dict)

    def for_code(self, code: str) -> PreviousFigures | None:
        return self.figures.get(code)


def previous_period(ws: Workspace) -> PreviousPeriod | None:
    """The last period's figures beside the current assessment (None: no earlier period)."""
    current, prev = ws.current_assessment(), ws.previous_assessment()
    if current is None or prev is None:
        return None
    try:
        old_fw = ws.framework(prev.framework_id)
    except NotFoundError:
        return None
    new_fw = ws.framework(current.framework_id)
    from parapp.models.carry_over import code_map  # with the framework diff: only when needed

    to_old = {n: o for o, n in code_map(old_fw, new_fw).items() if n is not None}
    answers = ws.assessments.answers(prev.id)
    rows = AppraisalResultsRepo(ws.db).for_assessment(prev.period, prev.framework_id)
    appraised = {str(r["code"]): r["score"] for r in rows}
    figures: dict[str, PreviousFigures] = {}
    for c in new_fw.leaves():
        old_code = to_old.get(c.code)
        a = answers.get(old_code) if old_code is not None else None
        score = appraised.get(old_code) if old_code is not None else None
        figures[c.code] = PreviousFigures(
            period=prev.period,
            code=c.code,
            old_code=old_code,
            answered=a is not None and a.touched,
            self_score=a.self_score if a is not None else None,
            not_applicable=a.not_applicable if a is not None else False,
            appraised=None if score is None else float(str(score)),
            appraisal_imported=bool(rows),
        )
    return PreviousPeriod(prev.period, prev.framework_id, figures)
