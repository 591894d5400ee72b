"""Framework validation: the checks a province's spreadsheet must pass before it is used."""

from __future__ import annotations

import math

from parapp.models.errors import ValidationError
from parapp.models.framework import Framework
from parapp.models.scoring import RuleKind, ScoringRule
from parapp.models.text import format_number

TOLERANCE = 1e-6
MAX_POINTS = 10_000  # no index gives any item more; also keeps NaN/inf/1e30 out


def framework_problems(fw: Framework) -> list[str]:
    """Every problem of ``fw`` in Vietnamese; empty when the framework is sound.

    Checked: an id and name, unique non-empty codes, parents that exist, non-negative
    points, each parent's maximum equal to the sum of its children's, band rules that
    have bands and never award more than the item's maximum.
    """
    problems: list[str] = []
    if not fw.id.strip():
        problems.append("Bộ chỉ số chưa có mã.")
    if not fw.name.strip():
        problems.append("Bộ chỉ số chưa có tên.")
    if not fw.criteria:
        problems.append("Bộ chỉ số không có tiêu chí nào.")
    seen: set[str] = set()
    for c in fw.criteria:
        if not c.code.strip():
            problems.append(f"Tiêu chí “{c.title[:40]}” chưa có mã.")
            continue
        if c.code in seen:
            problems.append(f"Mã tiêu chí {c.code} bị trùng.")
        seen.add(c.code)
        if c.parent_code is not None and c.parent_code not in fw.by_code:
            problems.append(f"Tiêu chí {c.code}: không có tiêu chí cha {c.parent_code}.")
        if not math.isfinite(c.max_points) or abs(c.max_points) > MAX_POINTS:
            problems.append(
                f"Tiêu chí {c.code}: điểm tối đa “{c.max_points!r}” không phải số hợp lệ "
                f"(0 đến {format_number(MAX_POINTS, 0)})."
            )
            continue
        if c.max_points < 0:
            problems.append(f"Tiêu chí {c.code}: điểm tối đa âm ({format_number(c.max_points)}).")
        if not c.title.strip():
            problems.append(f"Tiêu chí {c.code} chưa có nội dung.")
    for c in fw.criteria:
        kids = fw.children(c.code)
        if kids:
            total = sum(k.max_points for k in kids)
            if abs(total - c.max_points) > TOLERANCE:
                problems.append(
                    f"Tiêu chí {c.code}: điểm tối đa {format_number(c.max_points)} khác tổng "
                    f"điểm các tiêu chí con {format_number(total)}."
                )
        else:
            problems.extend(rule_problems(c.code, c.max_points, c.rule))
    return problems


def rule_problems(code: str, max_points: float, rule: ScoringRule) -> list[str]:
    """The problems of one leaf's rule (parameters that cannot be applied)."""
    out: list[str] = []
    where = f"Tiêu chí {code}"
    if rule.kind in (RuleKind.BANDS, RuleKind.COUNT):
        if not rule.bands:
            out.append(f"{where}: chấm theo thang nhưng chưa có thang điểm.")
        for band in rule.bands:
            if not (math.isfinite(band.points) and math.isfinite(band.threshold or 0.0)):
                out.append(f"{where}: thang điểm có giá trị không hợp lệ.")
                continue
            if band.points < 0 or band.points > max_points + TOLERANCE:
                out.append(
                    f"{where}: mức {format_number(band.points)} điểm nằm ngoài "
                    f"0..{format_number(max_points)}."
                )
            if band.op == "range" and (
                band.upper is None or band.threshold is None or band.upper <= band.threshold
            ):
                out.append(f"{where}: khoảng “từ … đến dưới …” phải có cận trên lớn hơn cận dưới.")
    if rule.kind is RuleKind.PROPORTIONAL:
        full = rule.full_at if rule.full_at is not None else 100.0
        if not 0 < full <= 100:
            out.append(f"{where}: mức đủ điểm phải trong khoảng 0..100%.")
        if rule.zero_below is not None and not 0 <= rule.zero_below <= full:
            out.append(f"{where}: mức 0 điểm phải trong khoảng 0..{format_number(full)}%.")
    if rule.kind is RuleKind.DEDUCTION:
        if rule.floor is None or rule.floor >= 0:
            out.append(f"{where}: điểm trừ cần mức trừ tối đa (ví dụ “trừ tối đa 1”).")
        if abs(max_points) > TOLERANCE:
            out.append(f"{where}: tiêu chí điểm trừ phải có điểm tối đa 0.")
    if rule.kind is RuleKind.BONUS:
        if rule.bonus_max is None or rule.bonus_max <= 0:
            out.append(f"{where}: điểm thưởng cần mức thưởng tối đa (ví dụ “thưởng tối đa 0,5”).")
        if abs(max_points) > TOLERANCE:
            out.append(f"{where}: tiêu chí điểm thưởng phải có điểm tối đa 0.")
    if rule.step is not None and rule.step <= 0:
        out.append(f"{where}: bước điểm phải lớn hơn 0.")
    return out


def validate_framework(fw: Framework) -> Framework:
    """Return ``fw`` unchanged, or raise :class:`ValidationError` with every problem."""
    problems = framework_problems(fw)
    if problems:
        raise ValidationError(problems)
    return fw
