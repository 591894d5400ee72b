"""Changing an assessment's framework: which answers can move to the new one, and why not.

Answers are matched by criterion code. An answer moves when its code is a scored leaf of the
new framework and its figures and score still satisfy the new rule (re-derived by the
caller's rule function); otherwise it stays with the old assessment (never deleted) and is
listed with the reason, so the officer knows what to enter again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from parapp.models.assessment import Answer
from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion, Framework

RuleFn = Callable[[Criterion, Answer], Answer]


@dataclass(frozen=True)
class FrameworkChange:
    """The preview shown before a framework change."""

    from_framework: str
    to_framework: str
    period: str
    carried: tuple[Answer, ...] = ()
    not_carried: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (code, reason)

    def message(self, limit: int = 15) -> str:
        """The Vietnamese warning the wizard shows (and the CLI could print)."""
        lines = [
            f"Bản tự đánh giá hiện tại dùng bộ chỉ số “{self.from_framework}”; bộ chỉ số mới "
            f"“{self.to_framework}” (kỳ {self.period}) bắt đầu một bản tự đánh giá khác. Các câu "
            "trả lời cũ vẫn được giữ nguyên trong bản cũ.",
            f"Có thể chuyển {len(self.carried)} câu trả lời sang bộ chỉ số mới theo mã tiêu chí.",
        ]
        if self.not_carried:
            lines.append(f"Không chuyển được {len(self.not_carried)} câu trả lời:")
            lines += [f"- {code}: {reason}" for code, reason in self.not_carried[:limit]]
            if len(self.not_carried) > limit:
                lines.append(f"- … và {len(self.not_carried) - limit} câu trả lời khác.")
        return "\n".join(lines)


def plan_carry_over(
    old: Framework, new: Framework, period: str, answers: Iterable[Answer], rule: RuleFn
) -> FrameworkChange:
    """Split ``answers`` (of ``old``) into those that fit ``new`` and those that do not."""
    carried: list[Answer] = []
    refused: list[tuple[str, str]] = []
    for a in sorted((a for a in answers if a.touched), key=lambda a: a.code):
        c = new.by_code.get(a.code)
        if c is None:
            refused.append((a.code, "không có tiêu chí mã này trong bộ chỉ số mới"))
        elif not new.is_leaf(a.code):
            refused.append((a.code, "trong bộ chỉ số mới là tiêu chí tổng hợp (có tiêu chí con)"))
        elif c.survey_only:
            refused.append((a.code, "trong bộ chỉ số mới được chấm qua điều tra xã hội học"))
        else:
            try:
                carried.append(rule(c, a))
            except ParAppError as err:
                refused.append((a.code, f"không hợp với cách chấm mới ({err})"))
    return FrameworkChange(old.id, new.id, period, tuple(carried), tuple(refused))
