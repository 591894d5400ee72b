"""Periods: which of a unit's assessments came before another.

Apart from :mod:`parapp.models.carry_over` because the window needs it at every start (the
item form shows last period's figures) while carrying answers over, with its framework
diff, is wanted only when a period begins (``bench/bench_startup.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parapp.models.assessment import Assessment

_YEAR = re.compile(r"\d{4}")


def period_key(period: str) -> tuple[int, str]:
    """Sort key of a period: its year first ("2024", "Năm 2024", "2024-2025"), then text."""
    m = _YEAR.search(period)
    return (int(m.group()) if m else 0, period)


def previous_assessment(
    assessments: Sequence[Assessment], unit_code: str, period: str, prefer: int | None = None
) -> Assessment | None:
    """The unit's assessment of the latest period before ``period`` (None when there is
    none). Of several assessments of that period (another framework was tried), the one
    ``prefer`` names, else one already submitted, else the newest."""
    earlier = [
        a
        for a in assessments
        if a.unit_code == unit_code and period_key(a.period) < period_key(period)
    ]
    if not earlier:
        return None
    latest = max(period_key(a.period) for a in earlier)
    candidates = [a for a in earlier if period_key(a.period) == latest]
    return max(candidates, key=lambda a: (a.id == prefer, a.revision > 0, a.id))
