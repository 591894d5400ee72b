"""Editing a framework: pure functions from one immutable :class:`Framework` to the next.

The receiving office edits the year's framework in the app (add, move, rename, points,
rule, guidance). Every function here returns a new framework and never touches the old
one, so an editor can keep each state for undo and compare it with the saved one.

Codes are renumbered after every change of structure, like an outline in a word
processor: an officer who inserts a criterion between 1.2 and 1.3 expects the new one to
be 1.3 and the old 1.3 to become 1.4, as in the decision's appendix. The numbering keeps
the framework's own scheme: Roman areas ("II", when the province's sheet numbered items
relative to their area) or numbered areas ("2"), lettered sub-items ("a", "b", "c", "d",
"đ" … as Vietnamese documents letter them) where a group is lettered. The sheet's own
label ("2.1." under "II", "a)", "Phần II") follows the new number in the same style (see
:mod:`parapp.interchange.excel_framework`, which keeps that label on import).

Parents are not summed behind the officer's back: a parent's maximum is what the decision
says, and :func:`edit_problems` reports, naming the item, every parent whose maximum differs
from its children's sum. :func:`sum_parents` sets them when the officer asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from parapp.models.errors import ValidationError
from parapp.models.framework import Criterion, Framework, Guidance
from parapp.models.numbers import read_number, to_decimal
from parapp.models.scoring import RuleKind, ScoringRule, parse_rule_params
from parapp.models.text import clean, nfc
from parapp.models.validation import MAX_POINTS, framework_problems

#: the title of an item just added, until the officer types one
NEW_TITLE = "Tiêu chí mới"
#: Vietnamese documents letter sub-items without f, j, w, z and with đ after d
LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN_AREA = re.compile(r"^(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_LETTER_LABEL = re.compile(r"^([a-zđ])([.)/]?)$")
_PLACEHOLDER = "\x00new"
GUIDANCE_FIELDS = ("requirement", "evidence", "target", "deadline", "lead", "coordinators")


@dataclass(frozen=True)
class Problem:
    """One problem of a framework being edited: the item it concerns (``None`` for the
    framework as a whole) and the Vietnamese sentence that names it."""

    code: str | None
    text: str


# -- validation ------------------------------------------------------------------------------
_CODE_IN_PROBLEM = re.compile(r"^(?:Mã tiêu chí|Tiêu chí) (\S+?):? ")


def edit_problems(fw: Framework) -> list[Problem]:
    """Every problem of ``fw`` with the item it names, in the tree's order.

    The checks of an imported framework (:func:`framework_problems`: unique codes, parents
    equal to their children, rules that fit their maximum…) plus a framework worth nothing.
    """
    problems = []
    for text in framework_problems(fw):
        m = _CODE_IN_PROBLEM.match(text)
        code = m[1] if m and m[1] in fw.by_code else None
        problems.append(Problem(code, text))
    if fw.criteria and fw.total_points <= 0:
        problems.append(Problem(None, "Tổng điểm tối đa của bộ chỉ số bằng 0."))
    position = {c.code: i for i, c in enumerate(fw.criteria)}
    return sorted(problems, key=lambda p: -1 if p.code is None else position[p.code])


def is_publishable(fw: Framework) -> list[str]:
    """The problems that keep ``fw`` from being used or published; empty when it can be."""
    return [p.text for p in edit_problems(fw)]


# -- the tree as nodes -----------------------------------------------------------------------
@dataclass
class _Node:
    item: Criterion
    kids: list[_Node] = field(default_factory=list)
    new: bool = False


def _nodes(fw: Framework) -> list[_Node]:
    """The areas as a mutable tree (a working copy; the framework is never changed)."""
    nodes = {c.code: _Node(c) for c in fw.criteria}
    roots: list[_Node] = []
    for c in fw.criteria:
        parent = nodes.get(c.parent_code) if c.parent_code is not None else None
        (parent.kids if parent is not None else roots).append(nodes[c.code])
    return roots


def _find(roots: list[_Node], code: str) -> tuple[list[_Node], int]:
    """The sibling list holding ``code`` and its index there."""
    stack = [roots]
    while stack:
        group = stack.pop()
        for i, node in enumerate(group):
            if node.item.code == code:
                return group, i
            stack.append(node.kids)
    raise ValidationError(f"Không có tiêu chí mã {code}.")


def _parent_of(roots: list[_Node], group: list[_Node]) -> _Node | None:
    if group is roots:
        return None
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node.kids is group:
            return node
        stack.extend(node.kids)
    raise AssertionError("a sibling list always has a parent")  # pragma: no cover


# -- numbering and labels --------------------------------------------------------------------
def roman(n: int) -> str:
    """``4`` → ``"IV"`` (areas of a sheet numbered relative to its areas)."""
    out = []
    for value, numeral in (
        (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
        (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def _letter(n: int) -> str:
    """The ``n``-th letter of a lettered group, 1-based (``"aa"`` after ``"y"``)."""
    n -= 1
    text = ""
    while True:
        text = LETTERS[n % len(LETTERS)] + text
        n = n // len(LETTERS) - 1
        if n < 0:
            return text


def _last_segment(code: str) -> str:
    return code.rsplit(".", 1)[-1]


def _is_lettered(group: list[_Node]) -> bool:
    """A group is lettered when most of its existing items are (an item moved in from a
    numbered group takes a letter too)."""
    old = [n for n in group if not n.new]
    lettered = sum(1 for n in old if _last_segment(n.item.code).isalpha())
    return lettered * 2 > len(old)


@dataclass(frozen=True)
class _Style:
    """How an item's label is written: ``kind`` is ``code`` (the code itself), ``rel``
    (the code below its area, "2.1."), ``letter`` ("a)"), ``area`` ("Phần {}") or
    ``custom`` (kept while the code does not change)."""

    kind: str
    extra: str = ""


def _style(c: Criterion) -> _Style:
    label, code = c.label, c.code
    if label == code:
        return _Style("code")
    if label == code + ".":
        return _Style("code", ".")
    seg = _last_segment(code)
    m = _LETTER_LABEL.match(label)
    if m and m[1] == seg:
        return _Style("letter", m[2])
    if "." in code:
        rel = code.split(".", 1)[1]
        if label in (rel, rel + "."):
            return _Style("rel", label[len(rel) :])
        return _Style("custom", label)
    for token in dict.fromkeys((seg, roman(int(seg)) if seg.isdigit() else seg)):
        found = re.search(rf"\b{re.escape(token)}\b", label)
        if found:  # "Phần II" for area II; "I" or "Phần I" for an area numbered 1
            template = label[: found.start()] + "{}" + label[found.end() :]
            return _Style("area" if token == seg else "area_roman", template)
    return _Style("custom", label)


def _new_label(
    group: list[_Node], index: int, depth: int, depth_styles: dict[int, _Style], code: str
) -> str:
    """A new (or moved) item is labelled like its neighbours, else like the items at its
    depth, else by its code."""
    for j in (*range(index - 1, -1, -1), *range(index + 1, len(group))):
        if not group[j].new:
            label = _label(_style(group[j].item), code, None)
            if label is not None:
                return label
    for d in range(depth, 0, -1):  # a first item at a new depth: like the depth above
        style = depth_styles.get(d)
        label = None if style is None else _label(style, code, None)
        if label is not None:
            return label
    return code


def _label(style: _Style, code: str, old: Criterion | None) -> str | None:
    """The label of an item now numbered ``code`` in ``style``; ``None`` when the style
    does not fit the new place (a lettered item moved among numbered ones)."""
    is_area = "." not in code
    lettered = _last_segment(code).isalpha() and not is_area
    if (
        lettered
        and style.kind in ("rel", "code")
        and (old is None or not _last_segment(old.code).isalpha())
    ):
        return None  # a numbered item that moved among lettered ones takes their style
    if style.kind == "custom":
        return style.extra if old is not None and old.code == code else None
    if style.kind == "letter":
        return _last_segment(code) + style.extra if _last_segment(code).isalpha() else None
    if style.kind == "rel":
        return None if is_area else code.split(".", 1)[1] + style.extra
    if style.kind == "area":
        return style.extra.replace("{}", code) if is_area else None
    if style.kind == "area_roman":
        if not is_area:
            return None
        return style.extra.replace("{}", roman(int(code)) if code.isdigit() else code)
    return code + style.extra


def _depth_styles(fw: Framework) -> dict[int, _Style]:
    """The first non-lettered, non-custom style used at each depth (for new items)."""
    styles: dict[int, _Style] = {}
    for c in fw.criteria:
        style = _style(c)
        if style.kind not in ("custom", "letter"):
            styles.setdefault(c.depth, style)
    return styles


def _roman_areas(fw: Framework) -> bool:
    areas = fw.areas
    return bool(areas) and all(_ROMAN_AREA.match(a.code) for a in areas)


def _rebuild(fw: Framework, roots: list[_Node]) -> tuple[Framework, dict[str, str]]:
    """Renumber the tree, relabel it in its own style, and return it with old → new codes
    (a new item's entry is keyed by its placeholder code)."""
    use_roman = _roman_areas(fw) if fw.criteria else False
    depth_styles = _depth_styles(fw)
    out: list[Criterion] = []
    mapping: dict[str, str] = {}

    def walk(group: list[_Node], parent: str | None, depth: int) -> None:
        lettered = parent is not None and _is_lettered(group)
        for i, node in enumerate(group, start=1):
            if parent is None:
                code = roman(i) if use_roman else str(i)
            else:
                code = f"{parent}.{_letter(i) if lettered else i}"
            old = None if node.new else node.item
            label = None if old is None else _label(_style(old), code, old)
            if label is None:
                label = _new_label(group, i - 1, depth, depth_styles, code)
            mapping[node.item.code] = code
            out.append(
                replace(node.item, code=code, parent_code=parent, order=len(out) + 1, label=label)
            )
            walk(node.kids, code, depth + 1)

    walk(roots, None, 1)
    return replace(fw, criteria=tuple(out)), mapping


# -- structure -------------------------------------------------------------------------------
def _blank(max_points: float = 0.0, rule: ScoringRule | None = None) -> Criterion:
    return Criterion(_PLACEHOLDER, NEW_TITLE, max_points, rule=rule or ScoringRule())


def add_child(fw: Framework, parent: str | None, title: str = NEW_TITLE) -> tuple[Framework, str]:
    """Add an item as the last child of ``parent`` (``None``: a new area); return the new
    framework and the new item's code.

    A leaf that receives its first child hands it its maximum and its rule, so the tree
    stays sound: the criterion is split, not emptied. Later children start at 0 points.
    """
    roots = _nodes(fw)
    if parent is None:
        group = roots
        new = _Node(_blank(), new=True)
    else:
        siblings, i = _find(roots, parent)
        owner = siblings[i]
        if owner.kids:
            new = _Node(_blank(), new=True)
        else:
            new = _Node(_blank(owner.item.max_points, owner.item.rule), new=True)
            owner.item = replace(owner.item, rule=ScoringRule())
        group = owner.kids
    new.item = replace(new.item, title=clean(title) or NEW_TITLE)
    group.append(new)
    result, mapping = _rebuild(fw, roots)
    return result, mapping[_PLACEHOLDER]


def add_sibling(fw: Framework, code: str, title: str = NEW_TITLE) -> tuple[Framework, str]:
    """Insert an item (0 points, scored by hand) right after ``code``, at its level."""
    roots = _nodes(fw)
    group, i = _find(roots, code)
    group.insert(i + 1, _Node(replace(_blank(), title=clean(title) or NEW_TITLE), new=True))
    result, mapping = _rebuild(fw, roots)
    return result, mapping[_PLACEHOLDER]


def remove(fw: Framework, code: str) -> tuple[Framework, str | None]:
    """Remove ``code`` and everything under it; return the item to show next (the one that
    took its place, else the one before, else its parent; ``None`` when nothing is left)."""
    roots = _nodes(fw)
    group, i = _find(roots, code)
    parent = _parent_of(roots, group)
    del group[i]
    if group:
        near: str | None = group[min(i, len(group) - 1)].item.code
    else:
        near = parent.item.code if parent is not None else None
    result, mapping = _rebuild(fw, roots)
    return result, None if near is None else mapping[near]


def can_move(fw: Framework, code: str) -> dict[str, bool]:
    """Which of ``up``, ``down``, ``indent``, ``outdent`` are possible for ``code``."""
    c = fw.by_code[code]
    siblings = [s.code for s in fw.children(c.parent_code)]
    i = siblings.index(code)
    return {
        "up": i > 0,
        "down": i < len(siblings) - 1,
        "indent": i > 0,
        "outdent": c.parent_code is not None,
    }


def move_to(
    fw: Framework, code: str, new_parent: str | None, index: int | None = None
) -> tuple[Framework, str]:
    """Move ``code`` (with everything under it) to position ``index`` among the children of
    ``new_parent`` (``None``: among the areas; ``index None``: last). Return the framework
    and the item's new code. Moving an item under itself is refused."""
    if new_parent is not None and fw.is_under(new_parent, code):
        raise ValidationError(
            f"Không chuyển được tiêu chí {code} vào chính nó hoặc mục con của nó."
        )
    roots = _nodes(fw)
    group, i = _find(roots, code)
    node = group.pop(i)
    if new_parent is None:
        target = roots
    else:
        owners, j = _find(roots, new_parent)
        target = owners[j].kids
    target.insert(len(target) if index is None else max(0, min(index, len(target))), node)
    result, mapping = _rebuild(fw, roots)
    return result, mapping[code]


def move_up(fw: Framework, code: str) -> tuple[Framework, str]:
    """Swap ``code`` with the sibling above it (unchanged when it is the first)."""
    c = fw.by_code[code]
    siblings = [s.code for s in fw.children(c.parent_code)]
    i = siblings.index(code)
    return (fw, code) if i == 0 else move_to(fw, code, c.parent_code, i - 1)


def move_down(fw: Framework, code: str) -> tuple[Framework, str]:
    """Swap ``code`` with the sibling below it (unchanged when it is the last)."""
    c = fw.by_code[code]
    siblings = [s.code for s in fw.children(c.parent_code)]
    i = siblings.index(code)
    return (fw, code) if i == len(siblings) - 1 else move_to(fw, code, c.parent_code, i + 1)


def indent(fw: Framework, code: str) -> tuple[Framework, str]:
    """Make ``code`` the last child of the sibling above it (unchanged when there is none).

    A leaf that so becomes a parent keeps its maximum; validation then says whether it
    still equals its children's sum.
    """
    c = fw.by_code[code]
    siblings = [s.code for s in fw.children(c.parent_code)]
    i = siblings.index(code)
    if i == 0:
        return fw, code
    return move_to(fw, code, siblings[i - 1])


def outdent(fw: Framework, code: str) -> tuple[Framework, str]:
    """Make ``code`` the sibling just after its parent (unchanged for an area)."""
    c = fw.by_code[code]
    if c.parent_code is None:
        return fw, code
    parent = fw.by_code[c.parent_code]
    siblings = [s.code for s in fw.children(parent.parent_code)]
    return move_to(fw, code, parent.parent_code, siblings.index(parent.code) + 1)


# -- one item's fields -----------------------------------------------------------------------
def _update(fw: Framework, code: str, **changes: Any) -> Framework:
    if code not in fw.by_code:
        raise ValidationError(f"Không có tiêu chí mã {code}.")
    criteria = tuple(replace(c, **changes) if c.code == code else c for c in fw.criteria)
    return replace(fw, criteria=criteria)


def set_title(fw: Framework, code: str, title: str) -> Framework:
    """Rename an item (text is stored NFC, spaces folded, as on import)."""
    return _update(fw, code, title=clean(title))


def read_max_points(text: str | float, code: str = "") -> float:
    """Read a maximum as officers write it ("1,5"); at most two decimals, 0..MAX_POINTS."""
    what = f"Điểm tối đa của tiêu chí {code}" if code else "Điểm tối đa"
    value = read_number(text, what=what)
    if value is None:
        raise ValidationError(f"{what} chưa được nhập.")
    if value < 0 or value > MAX_POINTS:
        raise ValidationError(f"{what} phải từ 0 đến {MAX_POINTS}.")
    if to_decimal(value) != to_decimal(value).quantize(Decimal("0.01")):
        raise ValidationError(f"{what} chỉ ghi tối đa hai chữ số thập phân.")
    return value


def set_max_points(fw: Framework, code: str, points: str | float) -> Framework:
    """Set an item's maximum (text read the Vietnamese way; refused when not a number)."""
    return _update(fw, code, max_points=read_max_points(points, code))


def rule_from_text(
    code: str, kind: RuleKind, params: str, *, source: str = "", not_applicable: str = ""
) -> ScoringRule:
    """A rule from the form's fields, read by the same parser as a province's sheet.

    Parameters that cannot be read are refused with the item named; a kind whose
    parameters are still to be written ("Theo thang" with no scale yet) gives the bare
    rule, which :func:`edit_problems` then reports.
    """
    text = clean(params)
    try:
        return parse_rule_params(kind, text, source=source, not_applicable=not_applicable)
    except ValueError as err:
        if not text:
            return ScoringRule(kind, source=clean(source), not_applicable=clean(not_applicable))
        raise ValidationError(f"Tiêu chí {code}: thang điểm không đọc được: {err}.") from None
    except ValidationError as err:
        raise ValidationError(f"Tiêu chí {code}: thang điểm không đọc được: {err}") from None


def set_rule(fw: Framework, code: str, rule: ScoringRule) -> Framework:
    """Set how a leaf is scored."""
    return _update(fw, code, rule=rule)


def set_survey(fw: Framework, code: str, survey: bool) -> Framework:
    """Mark an item as scored by the office's survey (*điều tra XHH*) or by the unit.

    Unmarking gives a hand-scored rule; the rule's source sentence is kept either way.
    """
    rule = fw.by_code[code].rule
    if survey == (rule.kind is RuleKind.SURVEY):
        return fw
    kind = RuleKind.SURVEY if survey else RuleKind.MANUAL
    new = ScoringRule(kind, source=rule.source, not_applicable=rule.not_applicable)
    return _update(fw, code, rule=new)


def set_guidance(fw: Framework, code: str, **fields: str) -> Framework:
    """Set some guidance fields (requirement, evidence, target, deadline, lead,
    coordinators) of an item; line breaks are kept, each line NFC."""
    unknown = set(fields) - set(GUIDANCE_FIELDS)
    if unknown:
        raise ValueError(f"guidance fields {sorted(unknown)}")
    cleaned = {
        k: "\n".join(nfc(line) for line in v.splitlines()).strip() for k, v in fields.items()
    }
    guidance: Guidance = replace(fw.by_code[code].guidance, **cleaned)
    return _update(fw, code, guidance=guidance)


def sum_parents(fw: Framework, code: str | None = None) -> Framework:
    """Set each parent's maximum to its children's sum, from the deepest up, exactly in
    decimals: ``code`` (when it has children) and its ancestors, or every parent when
    ``code`` is ``None``."""
    targets: set[str]
    if code is None:
        targets = {c.parent_code for c in fw.criteria if c.parent_code is not None}
    else:
        targets = set()
        node: str | None = code if not fw.is_leaf(code) else fw.by_code[code].parent_code
        while node is not None:
            targets.add(node)
            node = fw.by_code[node].parent_code
    points = {c.code: to_decimal(c.max_points) for c in fw.criteria}
    for c in sorted(fw.criteria, key=lambda c: -c.depth):
        if c.code in targets:
            points[c.code] = sum((points[k.code] for k in fw.children(c.code)), Decimal(0))
    return replace(
        fw,
        criteria=tuple(
            replace(c, max_points=float(points[c.code])) if c.code in targets else c
            for c in fw.criteria
        ),
    )


def set_info(
    fw: Framework,
    *,
    name: str | None = None,
    year: int | None = None,
    decision: str | None = None,
) -> Framework:
    """Change the framework's name, year or decision (the fields given)."""
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = clean(name)
    if year is not None:
        if not 2000 <= year <= 2100:
            raise ValidationError(f"Năm {year} không hợp lệ.")
        changes["year"] = year
    if decision is not None:
        changes["decision"] = clean(decision)
    return replace(fw, **changes)


def blank_framework(fw_id: str, name: str, year: int | None = None) -> Framework:
    """A new framework with one area, for an office that writes its own from scratch."""
    start = Framework(id=fw_id, name=clean(name), year=year)
    return add_child(start, None, "Lĩnh vực mới")[0]
