"""Roll-up of an assessment: totals per node, progress, status per item and open problems.

Pure functions over a framework and the answers, so the tree, the dashboard, the PDF report
and the CLI all show the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from parapp.models.assessment import Answer, AnswerStatus
from parapp.models.framework import Criterion, Framework
from parapp.models.numbers import index_percent
from parapp.models.scoring import RuleKind, computed_score, score_range
from parapp.models.text import format_number


class ProblemKind:
    NOT_STARTED = "not_started"
    NO_SCORE = "no_score"
    NO_EVIDENCE = "no_evidence"
    NO_EXPLANATION = "no_explanation"
    CONTRADICTION = "contradiction"
    OVER_MAX = "over_max"
    NO_REASON = "no_reason"
    #: carried over from the last period and not reviewed yet: a reminder, never blocking
    CARRIED_OVER = "carried_over"


def carried_over_message(period: str) -> str:
    return f"Chưa xem lại: lấy từ kỳ trước ({period})."


@dataclass(frozen=True)
class Problem:
    """Something still to fix on an item; ``blocking`` problems prevent a submission."""

    code: str
    kind: str
    message: str
    blocking: bool = False


@dataclass(frozen=True)
class NodeTotal:
    code: str
    max_points: float
    assessable_max: float
    self_score: float
    leaves: int
    done: int
    status: AnswerStatus


@dataclass
class Rollup:
    """Everything the summary screen shows, computed in one pass."""

    nodes: dict[str, NodeTotal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    total_score: float = 0.0
    assessable_max: float = 0.0
    total_max: float = 0.0
    leaves: int = 0
    done: int = 0

    @property
    def index_percent(self) -> float:
        """Self score divided by the self-assessable maximum, in percent."""
        return index_percent(self.total_score, self.assessable_max)

    @property
    def progress_percent(self) -> float:
        return round(self.done * 100 / self.leaves, 1) if self.leaves else 100.0

    def problems_for(self, code: str) -> list[Problem]:
        return [p for p in self.problems if p.code == code]


def is_not_applicable(c: Criterion, answer: Answer | None) -> bool:
    """True when the unit declared the item not applicable and the rule allows it."""
    return bool(answer is not None and answer.not_applicable and c.rule.not_applicable)


def leaf_status(c: Criterion, answer: Answer | None) -> AnswerStatus:
    """Status of one leaf: survey-only, not started, in progress, evidence missing, complete."""
    if c.survey_only:
        return AnswerStatus.SURVEY
    if answer is None or not answer.touched:
        return AnswerStatus.NOT_STARTED
    if is_not_applicable(c, answer):
        return AnswerStatus.IN_PROGRESS if _content_problems(c, answer) else AnswerStatus.COMPLETE
    if answer.self_score is None:
        return AnswerStatus.IN_PROGRESS
    if not answer.evidence:
        return AnswerStatus.EVIDENCE_MISSING
    if _content_problems(c, answer):  # e.g. below the maximum and not explained yet
        return AnswerStatus.IN_PROGRESS
    return AnswerStatus.COMPLETE


def leaf_problems(c: Criterion, answer: Answer | None) -> list[Problem]:
    """The open problems of one leaf, most important first; last, the reminder that an
    answer carried over from the last period was not reviewed yet (it changes neither the
    item's status nor what may be submitted)."""
    out = _content_problems(c, answer)
    if answer is not None and answer.carried_from and not c.survey_only and answer.touched:
        out.append(
            Problem(c.code, ProblemKind.CARRIED_OVER, carried_over_message(answer.carried_from))
        )
    return out


def _content_problems(c: Criterion, answer: Answer | None) -> list[Problem]:
    """What is missing or wrong in the answer itself."""
    if c.survey_only:
        return []
    if answer is None or not answer.touched:
        return [Problem(c.code, ProblemKind.NOT_STARTED, "Chưa tự chấm điểm.")]
    if is_not_applicable(c, answer):
        if answer.explanation.strip():
            return []
        return [
            Problem(
                c.code,
                ProblemKind.NO_REASON,
                f"Cần nêu lý do không áp dụng ({c.rule.not_applicable}).",
                blocking=True,
            )
        ]
    out: list[Problem] = []
    score = answer.self_score
    lo, hi = score_range(c.max_points, c.rule)
    if score is None:
        out.append(Problem(c.code, ProblemKind.NO_SCORE, "Chưa có điểm tự chấm.", blocking=False))
    elif score > hi + 1e-9 or score < lo - 1e-9:
        out.append(
            Problem(
                c.code,
                ProblemKind.OVER_MAX,
                f"Điểm {format_number(score)} nằm ngoài {format_number(lo)}..{format_number(hi)}.",
                blocking=True,
            )
        )
    expected = computed_score(c.max_points, c.rule, answer.value)
    if expected is not None and score is not None and abs(expected - score) > 1e-9:
        if c.rule.kind is RuleKind.YES_NO:
            message = (
                f"Đã chọn “{'Có' if answer.value else 'Không'}” nhưng tự chấm "
                f"{format_number(score)} điểm."
            )
        else:
            message = (
                f"Giá trị đo {format_number(answer.value)}{c.rule.measure} tương ứng "
                f"{format_number(expected)} điểm, nhưng tự chấm {format_number(score)}."
            )
        out.append(Problem(c.code, ProblemKind.CONTRADICTION, message))
    if not answer.evidence:
        out.append(Problem(c.code, ProblemKind.NO_EVIDENCE, "Chưa có tài liệu kiểm chứng."))
    below_max = score is not None and score < c.max_points - 1e-9
    if (below_max or not answer.evidence) and not answer.explanation.strip():
        why = "điểm thấp hơn tối đa" if below_max else "thiếu tài liệu kiểm chứng"
        out.append(Problem(c.code, ProblemKind.NO_EXPLANATION, f"Cần giải trình vì {why}."))
    return out


def rollup(fw: Framework, answers: dict[str, Answer]) -> Rollup:
    """Compute totals for every node and the list of problems, in display order."""
    result = Rollup(total_max=fw.total_points)

    def visit(c: Criterion) -> NodeTotal:
        kids = fw.children(c.code)
        if not kids:
            ans = answers.get(c.code)
            status = leaf_status(c, ans)
            na = is_not_applicable(c, ans)
            assessable = 0.0 if c.survey_only or na else c.max_points
            score = (ans.self_score or 0.0) if ans and not c.survey_only and not na else 0.0
            scored = ans is not None and (ans.self_score is not None or na)
            done = 1 if scored and not c.survey_only else 0
            leaves = 0 if c.survey_only else 1
            result.problems.extend(leaf_problems(c, ans))
            total = NodeTotal(c.code, c.max_points, assessable, score, leaves, done, status)
        else:
            parts = [visit(k) for k in kids]
            statuses = {p.status for p in parts} - {AnswerStatus.SURVEY}
            if not statuses:
                status = AnswerStatus.SURVEY
            elif statuses == {AnswerStatus.COMPLETE}:
                status = AnswerStatus.COMPLETE
            elif statuses == {AnswerStatus.NOT_STARTED}:
                status = AnswerStatus.NOT_STARTED
            elif statuses <= {AnswerStatus.COMPLETE, AnswerStatus.EVIDENCE_MISSING}:
                status = AnswerStatus.EVIDENCE_MISSING
            else:
                status = AnswerStatus.IN_PROGRESS
            total = NodeTotal(
                c.code,
                c.max_points,
                round(sum(p.assessable_max for p in parts), 4),
                round(sum(p.self_score for p in parts), 4),
                sum(p.leaves for p in parts),
                sum(p.done for p in parts),
                status,
            )
        result.nodes[c.code] = total
        return total

    for area in fw.areas:
        t = visit(area)
        result.total_score += t.self_score
        result.assessable_max += t.assessable_max
        result.leaves += t.leaves
        result.done += t.done
    result.total_score = round(result.total_score, 4)
    if fw.bonus_cap is not None:
        bonus = sum(
            (answers[c.code].self_score or 0.0)
            for c in fw.leaves()
            if c.rule.kind is RuleKind.BONUS and c.code in answers
        )
        result.total_score = round(result.total_score - max(0.0, bonus - fw.bonus_cap), 4)
    result.assessable_max = round(result.assessable_max, 4)
    return result


def days_left(deadline: date | None, today: date) -> int | None:
    return None if deadline is None else (deadline - today).days
