"""The criteria framework: a tree of areas, criteria and sub-criteria with points and guidance.

Frameworks are data imported from provinces' spreadsheets, so the model is index-agnostic
(PAR Index, PAPI, SIPAS...). A framework is identified by its ``id`` and its content hash:
an assessment and a bundle name the framework they were made against by that hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from parapp.models.scoring import BAND_OPS, Band, RuleKind, ScoringRule


@dataclass(frozen=True)
class Guidance:
    """What an officer needs to know to score an item and to prove it."""

    requirement: str = ""
    evidence: str = ""
    target: str = ""
    deadline: str = ""
    lead: str = ""
    coordinators: str = ""

    def is_empty(self) -> bool:
        return not any(asdict(self).values())


@dataclass(frozen=True)
class Criterion:
    """One node of the tree. ``code`` is dotted (``"3.4.1"``); the parent is named by code.

    For a parent node ``max_points`` must equal the sum of its children's; only leaves carry
    a meaningful ``rule``. ``order`` keeps the province's order when codes do not sort.
    ``label`` is the number as the province's sheet writes it ("2.1." under area "II",
    "a)"), shown and printed; the ``code`` is the unique path ("II.2.1"). It defaults to the
    code.
    """

    code: str
    title: str
    max_points: float
    parent_code: str | None = None
    order: int = 0
    rule: ScoringRule = field(default_factory=ScoringRule)
    guidance: Guidance = field(default_factory=Guidance)
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.code)

    @property
    def survey_only(self) -> bool:
        return self.rule.kind is RuleKind.SURVEY

    @property
    def depth(self) -> int:
        """1 for an area, 2 for a criterion, 3+ for sub-criteria (counted from the code)."""
        return self.code.count(".") + 1


@dataclass(frozen=True)
class Framework:
    """A whole framework. ``criteria`` is in display order (pre-order of the tree)."""

    id: str
    name: str
    index_kind: str = "PAR"
    year: int | None = None
    decision: str = ""
    level: str = ""
    score_step: float = 0.25
    criteria: tuple[Criterion, ...] = ()
    #: Highest total of bonus points (*điểm thưởng*) a unit can add; ``None`` = no cap
    #: beyond the bonus items' own maxima.
    bonus_cap: float | None = None

    # -- tree navigation ---------------------------------------------------------------
    @cached_property
    def by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.criteria}

    @cached_property
    def _children(self) -> dict[str | None, list[Criterion]]:
        kids: dict[str | None, list[Criterion]] = {}
        for c in self.criteria:
            kids.setdefault(c.parent_code, []).append(c)
        return kids

    def children(self, code: str | None) -> list[Criterion]:
        """Children of ``code`` in order; ``None`` gives the areas."""
        return list(self._children.get(code, []))

    @property
    def areas(self) -> list[Criterion]:
        return self.children(None)

    def is_leaf(self, code: str) -> bool:
        return not self._children.get(code)

    def leaves(self, under: str | None = None) -> Iterator[Criterion]:
        """Leaves (scored items) in display order, optionally only below ``under``."""
        for c in self.criteria:
            if self.is_leaf(c.code) and (under is None or self.is_under(c.code, under)):
                yield c

    def is_under(self, code: str, ancestor: str) -> bool:
        """True when ``ancestor`` is ``code`` itself or one of its ancestors."""
        node: str | None = code
        while node is not None:
            if node == ancestor:
                return True
            node = self.by_code[node].parent_code if node in self.by_code else None
        return False

    def area_of(self, code: str) -> Criterion:
        node = self.by_code[code]
        while node.parent_code is not None:
            node = self.by_code[node.parent_code]
        return node

    @property
    def total_points(self) -> float:
        return round(sum(a.max_points for a in self.areas), 4)

    @property
    def assessable_points(self) -> float:
        """The maximum a unit can give itself: leaves that are not survey-only."""
        return round(sum(c.max_points for c in self.leaves() if not c.survey_only), 4)

    @property
    def bonus_points(self) -> float:
        """The most bonus a unit can earn: the bonus items' maxima, within ``bonus_cap``."""
        total = sum(c.rule.bonus_max or 0.0 for c in self.leaves() if c.rule.kind is RuleKind.BONUS)
        return round(total if self.bonus_cap is None else min(total, self.bonus_cap), 4)

    # -- identity ------------------------------------------------------------------------
    def content(self) -> dict[str, Any]:
        """The canonical content, the input of :attr:`content_hash` and of JSON export."""
        return framework_to_dict(self)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the content (hex). Same content, same hash."""
        canonical = json.dumps(self.content(), ensure_ascii=False, sort_keys=True,
                               separators=(",", ":"))  # fmt: skip
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


#: Version of the JSON form. Version 1 (no ``format_version`` key) knew four rule kinds and
#: ``>=`` bands only; version 2 adds the rule kinds, band comparisons and fields of
#: :mod:`parapp.models.scoring`. Fields at their default value are omitted, so a framework
#: that uses none of them has the same JSON, and the same content hash, as in version 1.
FORMAT_VERSION = 2


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """Plain-JSON form of a framework (used for hashing, storage and bundles)."""
    out = _framework_dict(fw)
    if fw.bonus_cap is not None:
        out["bonus_cap"] = float(fw.bonus_cap)
    if any(_rule_extras(c.rule) or _band_is_v2(c.rule) for c in fw.criteria) or (
        fw.bonus_cap is not None
    ):
        out["format_version"] = FORMAT_VERSION
    return out


def _band_is_v2(rule: ScoringRule) -> bool:
    return any(b.op != ">=" or b.upper is not None for b in rule.bands)


def _band_to_json(b: Band) -> list[Any]:
    head: list[Any] = [None if b.threshold is None else float(b.threshold), float(b.points)]
    if b.op != ">=" or b.upper is not None:
        head += [b.op, None if b.upper is None else float(b.upper)]
    return head


def _rule_extras(rule: ScoringRule) -> dict[str, Any]:
    """The version-2 fields of a rule that differ from their defaults."""
    extras: dict[str, Any] = {}
    if rule.source:
        extras["source"] = rule.source
    if rule.not_applicable:
        extras["not_applicable"] = rule.not_applicable
    for name in ("step", "floor", "bonus_max", "full_at", "zero_below"):
        value = getattr(rule, name)
        if value is not None:
            extras[name] = float(value)
    return extras


def rule_to_dict(rule: ScoringRule) -> dict[str, Any]:
    return {
        "kind": rule.kind.value,
        "bands": [_band_to_json(b) for b in rule.bands],
        "measure": rule.measure,
        **_rule_extras(rule),
    }


def rule_from_dict(rule: dict[str, Any]) -> ScoringRule:
    """Read a rule of format version 1 or 2."""

    def opt(name: str) -> float | None:
        value = rule.get(name)
        return None if value is None else float(value)

    bands = []
    for raw in rule.get("bands", []):
        t, p, *rest = raw
        op = str(rest[0]) if rest else ">="
        if op not in BAND_OPS:
            raise ValueError(f"band comparison {op!r}")
        upper = rest[1] if len(rest) > 1 else None
        bands.append(
            Band(
                None if t is None else float(t),
                float(p),
                op,
                None if upper is None else float(upper),
            )
        )
    return ScoringRule(
        kind=RuleKind(rule.get("kind", "manual")),
        bands=tuple(bands),
        measure=rule.get("measure", ""),
        source=rule.get("source", ""),
        step=opt("step"),
        floor=opt("floor"),
        bonus_max=opt("bonus_max"),
        full_at=opt("full_at"),
        zero_below=opt("zero_below"),
        not_applicable=rule.get("not_applicable", ""),
    )


def _framework_dict(fw: Framework) -> dict[str, Any]:
    return {
        "id": fw.id,
        "name": fw.name,
        "index_kind": fw.index_kind,
        "year": fw.year,
        "decision": fw.decision,
        "level": fw.level,
        "score_step": float(fw.score_step),
        "criteria": [criterion_to_dict(c) for c in fw.criteria],
    }


def criterion_to_dict(c: Criterion) -> dict[str, Any]:
    return {
        "code": c.code,
        "title": c.title,
        "max_points": float(c.max_points),
        "parent_code": c.parent_code,
        "order": c.order,
        "rule": rule_to_dict(c.rule),
        "guidance": asdict(c.guidance),
        # Only when it differs, so that frameworks without labels keep their content hash.
        **({"label": c.label} if c.label != c.code else {}),
    }


def framework_from_dict(data: dict[str, Any]) -> Framework:
    """Inverse of :func:`framework_to_dict`. Trusts the shape: validate afterwards."""
    criteria = []
    for raw in data["criteria"]:
        rule = raw.get("rule") or {}
        criteria.append(
            Criterion(
                code=raw["code"],
                title=raw["title"],
                max_points=float(raw["max_points"]),
                parent_code=raw.get("parent_code"),
                order=int(raw.get("order", 0)),
                rule=rule_from_dict(rule),
                guidance=Guidance(**(raw.get("guidance") or {})),
                label=raw.get("label") or "",
            )
        )
    return Framework(
        id=data["id"],
        name=data["name"],
        index_kind=data.get("index_kind", "PAR"),
        year=data.get("year"),
        decision=data.get("decision", ""),
        level=data.get("level", ""),
        score_step=float(data.get("score_step", 0.25)),
        criteria=tuple(criteria),
        bonus_cap=None if data.get("bonus_cap") is None else float(data["bonus_cap"]),
    )
