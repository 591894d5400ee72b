"""Year-to-year comparison of frameworks: added, removed, moved, re-pointed, renamed items."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from parapp.models.framework import Criterion, Framework, framework_from_dict
from parapp.models.framework_diff import Change, diff_frameworks

OLD = Framework(
    id="bo-2024",
    name="Bộ chỉ số 2024",
    year=2024,
    criteria=(
        Criterion("1", "Công tác chỉ đạo, điều hành", 3),
        Criterion("1.1", "Ban hành kế hoạch CCHC", 1, "1"),
        Criterion("1.2", "Báo cáo định kỳ", 1, "1"),
        Criterion("1.3", "Tuyên truyền CCHC", 1, "1"),
        Criterion("2", "Cải cách thủ tục hành chính", 2),
        Criterion("2.1", "Công khai TTHC", 2, "2"),
    ),
)
NEW = Framework(
    id="bo-2025",
    name="Bộ chỉ số 2025",
    year=2025,
    criteria=(
        Criterion("1", "Công tác chỉ đạo, điều hành", 4),
        Criterion("1.1", "Ban hành kế hoạch CCHC năm", 1, "1"),
        Criterion("1.2", "Tuyên truyền CCHC", 2, "1"),
        Criterion("1.3", "Ứng dụng mạng xã hội trong tuyên truyền", 1, "1"),
        Criterion("2", "Cải cách thủ tục hành chính", 2),
        Criterion("2.1", "Công khai TTHC", 2, "2"),
    ),
)


def _rows(old: Framework, new: Framework) -> list[tuple[str | None, str | None, tuple[str, ...]]]:
    diff = diff_frameworks(old, new)
    return [
        (
            e.old.code if e.old else None,
            e.new.code if e.new else None,
            tuple(c.value for c in e.changes),
        )
        for e in diff.entries
    ]


def test_every_kind_of_change() -> None:
    assert _rows(OLD, NEW) == [
        ("1", "1", ("repointed",)),
        ("1.1", "1.1", ("renamed",)),  # same code, same meaning, reworded
        ("1.3", "1.2", ("moved", "repointed")),  # same title under another code
        (None, "1.3", ("added",)),  # the old 1.3 is now 1.2: code alone would mislead
        ("2", "2", ("unchanged",)),
        ("2.1", "2.1", ("unchanged",)),
        ("1.2", None, ("removed",)),
    ]
    diff = diff_frameworks(OLD, NEW)
    assert diff.counts()[Change.MOVED] == 1
    assert diff.new_code_for("1.3") == "1.2" and diff.new_code_for("1.2") is None


def test_same_framework_is_unchanged() -> None:
    diff = diff_frameworks(OLD, OLD)
    assert all(e.changes == (Change.UNCHANGED,) for e in diff.entries)
    assert len(diff.entries) == len(OLD.criteria)


def test_moving_under_another_parent() -> None:
    new = replace(
        OLD,
        criteria=(
            *OLD.criteria[:2],
            OLD.criteria[3],
            OLD.criteria[4],
            Criterion("2.1", "Công khai TTHC", 2, "2"),
            Criterion("2.2", "Báo cáo định kỳ", 1, "2"),
        ),
    )
    rows = _rows(OLD, new)
    assert ("1.2", "2.2", ("moved",)) in rows


def test_the_2020_renumbering_of_the_par_index() -> None:
    """Area 7.1 as the 2020 methodology has it: 7.1.1 dropped, 7.1.2-7.1.5 move up by one."""
    path = Path(__file__).resolve().parents[2] / "resources/defaults/par_tiengiang_2018.json"
    old = framework_from_dict(json.loads(path.read_text(encoding="utf-8")))
    shifted = {f"7.1.{n}": f"7.1.{n - 1}" for n in range(2, 6)}
    criteria = []
    for c in old.criteria:
        if c.code == "7.1.1":
            continue
        criteria.append(replace(c, code=shifted.get(c.code, c.code), label=""))
    new = replace(old, id="par-2020", criteria=tuple(criteria))
    diff = diff_frameworks(old, new)
    moved = {e.old.code: e.new.code for e in diff.of(Change.MOVED) if e.old and e.new}
    assert moved == shifted
    assert [e.old.code for e in diff.of(Change.REMOVED) if e.old] == ["7.1.1"]
    assert not diff.of(Change.ADDED)
