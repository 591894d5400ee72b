"""The office never trusts a claimed score: answers checked and recomputed against the framework.

Pure functions used by ``bundle verify``, ``inbox import`` and the commune's pre-flight, so
all three reach the same verdict on the same answers.

Two levels of finding:

* **impossible** (``fatal``) — an unknown or duplicated code, a parent code, a number that is
  not finite or absurdly large, a negative or fractional count, more files achieved than
  counted, a score outside the rule's range (above the maximum, negative outside a deduction
  rule), a self score on a survey item. A bundle with any of these is refused, naming the
  item: a signed file can still carry nonsense.
* **contradiction** (``fatal=False``) — the claimed score differs from the score the rule gives
  for the measured value ("điểm tự chấm không khớp quy tắc: tính lại được 0,5"). The bundle
  is accepted and the item flagged; the commune's pre-flight treats it as blocking.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from parapp.models.assessment import Answer
from parapp.models.errors import ValidationError
from parapp.models.framework import Framework
from parapp.models.numbers import MAX_MAGNITUDE, format_decimal
from parapp.models.scoring import RuleKind, computed_score, percentage, score_range

_TOLERANCE = 1e-6
_FIELDS = (("value", "giá trị đo"), ("numerator", "tử số"), ("denominator", "mẫu số"),
           ("self_score", "điểm tự chấm"))  # fmt: skip


@dataclass(frozen=True)
class ScoreFinding:
    """One problem of one answer. ``recomputed`` is the rule's score for a contradiction."""

    code: str
    kind: str
    message: str
    fatal: bool
    recomputed: float | None = None


@dataclass(frozen=True)
class AnswersCheck:
    findings: tuple[ScoreFinding, ...] = ()

    @property
    def impossible(self) -> list[ScoreFinding]:
        return [f for f in self.findings if f.fatal]

    @property
    def contradictions(self) -> list[ScoreFinding]:
        return [f for f in self.findings if not f.fatal]

    @property
    def flags(self) -> dict[str, str]:
        """Item code -> the message shown beside it (contradictions only)."""
        return {f.code: f.message for f in self.contradictions}

    def refusal(self) -> str | None:
        """One Vietnamese sentence naming the first impossible items, or ``None``."""
        bad = self.impossible
        if not bad:
            return None
        more = f" (và {len(bad) - 3} lỗi khác)" if len(bad) > 3 else ""
        return "Điểm không hợp lệ: " + "; ".join(f.message for f in bad[:3]) + more + "."


def mismatch_message(recomputed: float) -> str:
    return f"điểm tự chấm không khớp quy tắc: tính lại được {format_decimal(recomputed)}"


def _number(raw: Any) -> float | str | None:
    """The float in ``raw``, ``None`` for null, or a problem text."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return "không phải là số"
    try:
        value = float(raw)
    except OverflowError:  # an int beyond float range (10**400)
        return "quá lớn"
    if not math.isfinite(value):
        return "không phải là số hữu hạn"
    if abs(value) > MAX_MAGNITUDE:
        return "quá lớn"
    return value


def check_answer(fw: Framework, answer: Mapping[str, Any]) -> list[ScoreFinding]:
    """The findings of one answer (code assumed unique; see :func:`check_answers`)."""
    code = str(answer.get("code", ""))[:64]
    where = f"tiêu chí {code}"
    leaf = fw.by_code.get(code)
    if leaf is None:
        return [ScoreFinding(code, "unknown_code", f"{where} không có trong bộ tiêu chí", True)]
    if not fw.is_leaf(code):
        return [ScoreFinding(code, "not_leaf", f"{where} là tiêu chí tổng hợp, không chấm", True)]
    nums: dict[str, float | None] = {}
    out: list[ScoreFinding] = []
    for key, label in _FIELDS:
        got = _number(answer.get(key))
        if isinstance(got, str):
            out.append(ScoreFinding(code, "not_a_number", f"{where}: {label} {got}", True))
        else:
            nums[key] = got
    if out:
        return out
    value, num, den, score = (nums[k] for k, _ in _FIELDS)
    for key, label in _FIELDS[:3]:
        v = nums[key]
        if v is not None and v < 0:
            out.append(ScoreFinding(code, "negative", f"{where}: {label} âm", True))
    for v, label in ((num, "tử số"), (den, "mẫu số")):
        if v is not None and v != int(v):
            out.append(ScoreFinding(code, "fraction", f"{where}: {label} không nguyên", True))
    if num is not None and den is not None and num > den:
        out.append(ScoreFinding(code, "rate_over_100", f"{where}: tử số lớn hơn mẫu số", True))
    rule = leaf.rule
    if answer.get("not_applicable"):
        if not rule.not_applicable:
            return [ScoreFinding(code, "not_applicable", f"{where} không được ghi “không áp dụng”",
                                 True)]  # fmt: skip
        if score is not None:
            return [ScoreFinding(code, "not_applicable", f"{where} ghi “không áp dụng” nhưng có "
                                 "điểm", True)]  # fmt: skip
        return []
    if rule.kind is RuleKind.SURVEY and score is not None:
        out.append(
            ScoreFinding(
                code, "survey_scored", f"{where} chấm qua điều tra XHH, không tự chấm", True
            )
        )
    lo, hi = score_range(leaf.max_points, rule)
    if score is not None and not lo - _TOLERANCE <= score <= hi + _TOLERANCE:
        out.append(
            ScoreFinding(
                code,
                "out_of_range",
                f"{where}: điểm tự chấm {format_decimal(score)} nằm ngoài "
                f"{format_decimal(lo)}..{format_decimal(hi)}",
                True,
            )
        )
    if rule.kind is RuleKind.YES_NO and value is not None and value not in (0.0, 1.0):
        out.append(ScoreFinding(code, "not_yes_no", f"{where}: giá trị Có/Không sai", True))
    if out:
        return out
    return _contradiction(fw, code, value, num, den, score)


def _contradiction(
    fw: Framework,
    code: str,
    value: float | None,
    num: float | None,
    den: float | None,
    score: float | None,
) -> list[ScoreFinding]:
    leaf = fw.by_code[code]
    rule = leaf.rule
    if score is None:
        return []
    measured = value
    if rule.percent and num is not None and den is not None:
        try:
            measured = percentage(num, den)
        except ValidationError as err:
            return [ScoreFinding(code, "rate_undefined", f"tiêu chí {code}: {err}", False)]
    expected = computed_score(leaf.max_points, rule, measured)
    if expected is None or abs(expected - score) <= _TOLERANCE:
        return []
    return [ScoreFinding(code, "mismatch", mismatch_message(expected), False, expected)]


def check_answers(fw: Framework, answers: Iterable[Mapping[str, Any]]) -> AnswersCheck:
    """Check every answer against ``fw``: codes known and unique, numbers sane, scores
    within the rule's range and equal to the recomputed score."""
    seen: set[str] = set()
    findings: list[ScoreFinding] = []
    for answer in answers:
        code = str(answer.get("code", ""))[:64]
        if code in seen:
            findings.append(
                ScoreFinding(code, "duplicate_code", f"tiêu chí {code} xuất hiện hai lần", True)
            )
            continue
        seen.add(code)
        findings.extend(check_answer(fw, answer))
    return AnswersCheck(tuple(findings))


def answer_mapping(a: Answer) -> dict[str, Any]:
    """The fields of an :class:`Answer` the checker reads (the bundle JSON shape)."""
    return {
        "code": a.code,
        "value": a.value,
        "numerator": a.numerator,
        "denominator": a.denominator,
        "self_score": a.self_score,
        "not_applicable": a.not_applicable,
    }
