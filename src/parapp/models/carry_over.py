"""Carrying answers into another assessment: to another framework in the same period, or
to a new period (next year's framework, or the same one again). What moves, and why not.

Items are matched as :mod:`parapp.models.framework_diff` matches two frameworks: by title
and by code, so an item renumbered from one year to the next ("7.1.2" → "7.1.1") keeps its
answer and evidence under its new code. An answer moves when its item is still there, with
the same maximum points, as a scored leaf, and its figures and score still satisfy the new
rule (re-derived by the caller's rule function); otherwise it stays with the old assessment
(never deleted) and is listed with the reason, so the officer knows what to enter again.

Answers carried into a new period are marked with the period they came from
(``Answer.carried_from``) until the officer reviews them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from parapp.models.assessment import Answer
from parapp.models.errors import ParAppError
from parapp.models.framework import Criterion, Framework
from parapp.models.framework_diff import TOLERANCE, diff_frameworks
from parapp.models.numbers import format_decimal

RuleFn = Callable[[Criterion, Answer], Answer]


def code_map(old: Framework, new: Framework) -> dict[str, str | None]:
    """Last framework's code -> this framework's code of the same item (None: dropped)."""
    if old.content_hash == new.content_hash:
        return {c.code: c.code for c in old.criteria}
    out: dict[str, str | None] = {}
    for e in diff_frameworks(old, new).entries:
        if e.old is not None:
            out[e.old.code] = e.new.code if e.new is not None else None
    return out


@dataclass(frozen=True)
class FrameworkChange:
    """The preview shown before answers are carried over (framework change or new period).

    ``carried`` holds the answers as they will be written (under their new codes);
    ``moved`` pairs the old and new code of those whose code changed.
    """

    from_framework: str
    to_framework: str
    period: str
    carried: tuple[Answer, ...] = ()
    not_carried: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (code, reason)
    from_period: str = ""
    moved: tuple[tuple[str, str], ...] = ()

    @property
    def new_period(self) -> bool:
        """True when the answers come from an earlier period (marked "từ kỳ trước")."""
        return bool(self.from_period) and self.from_period != self.period

    @property
    def evidence_count(self) -> int:
        return sum(len(a.evidence) for a in self.carried)

    @property
    def title(self) -> str:
        return "Kỳ đánh giá mới" if self.new_period else "Đổi bộ chỉ số"

    @property
    def question(self) -> str:
        if self.new_period:
            return (
                f"Lấy các câu trả lời và tài liệu kiểm chứng của kỳ {self.from_period} sang "
                f"kỳ {self.period}?"
            )
        return "Chuyển các câu trả lời phù hợp sang bộ chỉ số mới?"

    @property
    def carry_button(self) -> str:
        return "&Lấy từ kỳ trước" if self.new_period else "&Chuyển câu trả lời"

    @property
    def declined(self) -> str:
        """What the wizard says when the officer goes back without choosing."""
        if self.new_period:
            return f"Chưa bắt đầu kỳ {self.period}. Hãy chọn lại hoặc nhấn “Hoàn tất” lần nữa."
        return "Chưa đổi bộ chỉ số. Hãy chọn lại hoặc nhấn “Hoàn tất” lần nữa."

    def message(self, limit: int = 15) -> str:
        """The Vietnamese warning the wizard shows and the CLI prints."""
        if self.new_period:
            lines = [
                f"Bắt đầu kỳ đánh giá {self.period} với bộ chỉ số “{self.to_framework}”. Bản "
                f"tự đánh giá kỳ {self.from_period} (bộ chỉ số “{self.from_framework}”) vẫn được "
                "giữ nguyên.",
                f"Có thể lấy {len(self.carried)} câu trả lời cùng {self.evidence_count} tài liệu "
                f"kiểm chứng của kỳ {self.from_period} sang các tiêu chí tương ứng (khớp theo mã "
                "và nội dung tiêu chí). Các mục này được đánh dấu “từ kỳ trước” cho tới khi "
                "được xem lại.",
            ]
        else:
            lines = [
                f"Bản tự đánh giá hiện tại dùng bộ chỉ số “{self.from_framework}”; bộ chỉ số "
                f"mới “{self.to_framework}” (kỳ {self.period}) bắt đầu một bản tự đánh giá "
                "khác. Các câu trả lời cũ vẫn được giữ nguyên trong bản cũ.",
                f"Có thể chuyển {len(self.carried)} câu trả lời sang bộ chỉ số mới theo mã "
                "tiêu chí.",
            ]
        if self.moved:
            shown = ", ".join(f"{a} → {b}" for a, b in self.moved[:limit])
            more = f" và {len(self.moved) - limit} mục khác" if len(self.moved) > limit else ""
            lines.append(f"Đổi mã: {shown}{more}.")
        if self.not_carried:
            verb = "lấy" if self.new_period else "chuyển"
            lines.append(f"Không {verb} được {len(self.not_carried)} câu trả lời:")
            lines += [f"- {code}: {reason}" for code, reason in self.not_carried[:limit]]
            if len(self.not_carried) > limit:
                lines.append(f"- … và {len(self.not_carried) - limit} câu trả lời khác.")
        return "\n".join(lines)


def plan_carry_over(
    old: Framework,
    new: Framework,
    period: str,
    answers: Iterable[Answer],
    rule: RuleFn,
    from_period: str = "",
) -> FrameworkChange:
    """Split ``answers`` (of ``old``, period ``from_period``) into those that fit ``new``
    (period ``period``) and those that do not. Carried answers into a new period are marked
    ``carried_from=from_period``."""
    mapping = code_map(old, new)
    mark = from_period if from_period and from_period != period else ""
    carried: list[Answer] = []
    moved: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    for a in sorted((a for a in answers if a.touched), key=lambda a: a.code):
        target = mapping.get(a.code)
        before = old.by_code.get(a.code)
        if target is None:
            if a.code in new.by_code:
                refused.append((a.code, "mã này trong bộ chỉ số mới là tiêu chí có nội dung khác"))
            else:
                refused.append((a.code, "không có tiêu chí mã này trong bộ chỉ số mới"))
            continue
        c = new.by_code[target]
        if before is not None and _repointed(before, c):
            refused.append(
                (
                    a.code,
                    f"điểm tối đa đổi từ {format_decimal(before.max_points)} thành "
                    f"{format_decimal(c.max_points)}: cần chấm lại",
                )
            )
        elif not new.is_leaf(target):
            refused.append((a.code, "trong bộ chỉ số mới là tiêu chí tổng hợp (có tiêu chí con)"))
        elif c.survey_only:
            refused.append((a.code, "trong bộ chỉ số mới được chấm qua điều tra xã hội học"))
        else:
            try:
                fitted = rule(c, replace(a, code=target, carried_from=""))
            except ParAppError as err:
                refused.append((a.code, f"không hợp với cách chấm mới ({err})"))
                continue
            carried.append(replace(fitted, carried_from=mark))
            if target != a.code:
                moved.append((a.code, target))
    return FrameworkChange(
        old.id,
        new.id,
        period,
        tuple(carried),
        tuple(refused),
        from_period=from_period,
        moved=tuple(moved),
    )


def _repointed(before: Criterion, after: Criterion) -> bool:
    """Other maximum points: the item is scored on another scale, its score must be redone."""
    return abs(before.max_points - after.max_points) > TOLERANCE
