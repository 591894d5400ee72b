"""Framework validation: the checks a province's spreadsheet must pass before it is used."""

from __future__ import annotations

import math

from parapp.models.errors import ValidationError
from parapp.models.framework import Framework
from parapp.models.scoring import RuleKind
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
        elif c.rule.kind is RuleKind.BANDS:
            if not c.rule.bands:
                problems.append(f"Tiêu chí {c.code}: chấm theo thang nhưng chưa có thang điểm.")
            for band in c.rule.bands:
                if not (math.isfinite(band.points) and math.isfinite(band.threshold or 0.0)):
                    problems.append(f"Tiêu chí {c.code}: thang điểm có giá trị không hợp lệ.")
                    continue
                if band.points < 0 or band.points > c.max_points + TOLERANCE:
                    problems.append(
                        f"Tiêu chí {c.code}: mức {format_number(band.points)} điểm nằm ngoài "
                        f"0..{format_number(c.max_points)}."
                    )
    return problems


def validate_framework(fw: Framework) -> Framework:
    """Return ``fw`` unchanged, or raise :class:`ValidationError` with every problem."""
    problems = framework_problems(fw)
    if problems:
        raise ValidationError(problems)
    return fw
