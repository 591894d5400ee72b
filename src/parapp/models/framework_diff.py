"""What changed between two frameworks (last year's and this year's): a pure comparison.

Provinces reissue their criteria every year: items are added and dropped, renumbered when a
neighbour disappears ("7.1.2" becomes "7.1.1"), moved under another criterion, given other
points. Items are matched first by their title (the same words under any code), then by
their code when the titles still mean the same thing; whatever is left is added or removed.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from parapp.models.framework import Criterion, Framework
from parapp.models.text import fold

#: Share of the shorter title's content words found in the other above which two titles
#: under the same code are taken as the same item reworded.
SAME_MEANING = 0.6
TOLERANCE = 1e-6

# Folded function words that carry no meaning when comparing two titles.
_STOPWORDS = frozenset(
    [
        "cua",
        "va",
        "cac",
        "trong",
        "nam",
        "theo",
        "quy",
        "dinh",
        "duoc",
        "tai",
        "so",
        "cho",
        "ve",
        "doi",
        "voi",
        "thuoc",
        "tinh",
        "xa",
    ]
)


def title_words(title: str) -> frozenset[str]:
    """Accent-folded content words of a title."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", fold(title)) if w not in _STOPWORDS)


def title_similarity(a: str, b: str) -> float:
    """Share of the shorter title's content words found in the other (0..1)."""
    wa, wb = title_words(a), title_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


class Change(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"  # another code or another parent
    REPOINTED = "repointed"  # other maximum points
    RENAMED = "renamed"  # same item, reworded title
    UNCHANGED = "unchanged"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self]


CHANGE_LABELS: dict[Change, str] = {
    Change.ADDED: "Thêm mới",
    Change.REMOVED: "Bỏ",
    Change.MOVED: "Đổi mã/vị trí",
    Change.REPOINTED: "Đổi điểm",
    Change.RENAMED: "Sửa tên",
    Change.UNCHANGED: "Giữ nguyên",
}


@dataclass(frozen=True)
class DiffEntry:
    """One item of either year: ``old`` and/or ``new`` and what changed between them."""

    old: Criterion | None
    new: Criterion | None
    changes: tuple[Change, ...]

    @property
    def main(self) -> Change:
        """The change that names the row (added/removed, else the first of the others)."""
        return self.changes[0]


@dataclass(frozen=True)
class FrameworkDiff:
    """Every item of both frameworks, in the new framework's order, removed items last."""

    old: Framework
    new: Framework
    entries: tuple[DiffEntry, ...]

    def of(self, change: Change) -> list[DiffEntry]:
        return [e for e in self.entries if change in e.changes]

    def counts(self) -> dict[Change, int]:
        return {c: len(self.of(c)) for c in Change}

    def new_code_for(self, old_code: str) -> str | None:
        """This year's code of last year's item ``old_code`` (None when it was dropped)."""
        for e in self.entries:
            if e.old is not None and e.old.code == old_code:
                return e.new.code if e.new is not None else None
        return None


def _match(old: Framework, new: Framework) -> dict[str, str]:
    """new code -> old code for the items that are the same in both years."""
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    # 1. The same title, when it is unique in both frameworks.
    old_by_title: dict[str, list[str]] = {}
    for c in old.criteria:
        old_by_title.setdefault(fold(c.title), []).append(c.code)
    new_titles = [fold(c.title) for c in new.criteria]
    for c in new.criteria:
        key = fold(c.title)
        candidates = old_by_title.get(key, [])
        if len(candidates) == 1 and new_titles.count(key) == 1:
            pairs[c.code] = candidates[0]
            taken.add(candidates[0])
    # 2. The same code, when the titles still mean the same thing.
    for c in new.criteria:
        if c.code in pairs or c.code not in old.by_code or c.code in taken:
            continue
        if title_similarity(c.title, old.by_code[c.code].title) >= SAME_MEANING:
            pairs[c.code] = c.code
            taken.add(c.code)
    return pairs


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Compare ``old`` (last period's framework) with ``new`` (this period's)."""
    pairs = _match(old, new)
    entries: list[DiffEntry] = []
    for c in new.criteria:
        before_code = pairs.get(c.code)
        if before_code is None:
            entries.append(DiffEntry(None, c, (Change.ADDED,)))
            continue
        before = old.by_code[before_code]
        changes: list[Change] = []
        old_parent = before.parent_code
        new_parent_was = pairs.get(c.parent_code) if c.parent_code is not None else None
        if before.code != c.code or old_parent != new_parent_was:
            changes.append(Change.MOVED)
        if abs(before.max_points - c.max_points) > TOLERANCE:
            changes.append(Change.REPOINTED)
        if fold(before.title) != fold(c.title):
            changes.append(Change.RENAMED)
        entries.append(DiffEntry(before, c, tuple(changes) or (Change.UNCHANGED,)))
    matched_old = set(pairs.values())
    for c in old.criteria:
        if c.code not in matched_old:
            entries.append(DiffEntry(c, None, (Change.REMOVED,)))
    return FrameworkDiff(old, new, tuple(entries))
