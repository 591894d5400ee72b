"""Appraisal ("thẩm định") of the child units' received self-assessments.

The office gives each item an appraised score (0..max on the framework's step) and a
comment, item by item or by accepting the unit's self score for an item, an area or the
whole unit. Survey-only items may be scored by the office too (it holds the survey results).
An appraisal belongs to (unit, period, item) and records which revision it was made on; a
newer revision keeps the appraisal, so the office sees what changed and re-checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parapp.models.answer_check import check_answers
from parapp.models.errors import NotFoundError, ParAppError, ValidationError
from parapp.models.framework import Framework, framework_from_dict
from parapp.models.scoring import check_score
from parapp.models.text import clean, format_number
from parapp.services import audit
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import ACCEPTED, AppraisalsRepo, InboxRepo, Row

NOT_SCORED_NOTE = "Đơn vị không tự chấm."


@dataclass(frozen=True)
class AppraisalItem:
    """One leaf as the appraisal screen shows it: the unit's answer beside the appraisal."""

    code: str
    title: str
    max_points: float
    survey_only: bool
    self_score: float | None
    value: float | None
    explanation: str
    evidence: tuple[dict[str, Any], ...]
    appraised: float | None
    comment: str
    #: "điểm tự chấm không khớp quy tắc: tính lại được …" when the claimed score contradicts
    #: the rule (recomputed from the received answer by the same checker as the import)
    flag: str = ""
    #: the score the rule gives for the measured value, when it gives one
    recomputed: float | None = None
    #: appraised on an older revision and the unit changed the item since
    reappraise: bool = False
    #: declared not applicable by the unit (the explanation is the reason)
    not_applicable: bool = False

    @property
    def difference(self) -> float | None:
        """Appraised minus self score (``None`` until both exist)."""
        if self.appraised is None or self.self_score is None:
            return None
        return round(self.appraised - self.self_score, 4)


@dataclass(frozen=True)
class UnitAppraisal:
    unit_code: str
    unit_name: str
    period: str
    revision: int
    bundle_id: int
    framework: Framework
    items: tuple[AppraisalItem, ...]

    @property
    def progress(self) -> tuple[int, int]:
        """(appraised, to appraise) over the self-assessable items."""
        todo = [i for i in self.items if not i.survey_only]
        return sum(1 for i in todo if i.appraised is not None and not i.reappraise), len(todo)

    @property
    def to_reappraise(self) -> list[AppraisalItem]:
        """Items changed by a newer revision since they were appraised."""
        return [i for i in self.items if i.reappraise]

    @property
    def differences(self) -> list[AppraisalItem]:
        return [i for i in self.items if i.difference not in (None, 0)]


def default_period(ws: Workspace) -> str:
    """The period the office works on: the latest one it received bundles for."""
    periods = InboxRepo(ws.db).periods()
    if not periods:
        raise ParAppError("Chưa nhận hồ sơ nào (“parapp inbox import TỆP…”).")
    return periods[-1]


def framework_of(ws: Workspace, row: Row) -> Framework:
    """The framework a received bundle was made against (its hash is known: checked on import)."""
    fw = ws.frameworks.get(str(row["framework_id"]))
    if fw.content_hash == row["framework_hash"]:
        return fw
    doc = InboxRepo(ws.db).document(int(row["id"]))
    return framework_from_dict(doc["framework"]["content"])


def current_bundle(ws: Workspace, unit_code: str, period: str) -> Row:
    row = InboxRepo(ws.db).current_of(unit_code, period)
    if row is not None:
        return row
    raise NotFoundError(f"Chưa nhận hồ sơ hợp lệ của đơn vị {unit_code} cho kỳ {period}.")


REAPPRAISE_LABEL = "cần thẩm định lại"
_COMPARED = ("value", "numerator", "denominator", "self_score", "explanation", "evidence")


def stale_items(
    ws: Workspace,
    unit_code: str,
    period: str,
    answers: dict[str, Row],
    given: dict[str, Row],
    revision: int,
) -> set[str]:
    """Items appraised on an older revision whose answer changed in ``revision``.

    Their appraisal is kept (the office sees what it decided) but marked "cần thẩm định lại"
    and no longer counts as appraised.
    """
    repo = InboxRepo(ws.db)
    old_revisions = {int(g["based_on_revision"]) for g in given.values()} - {revision}
    old_answers: dict[int, dict[str, Row]] = {}
    for rev in old_revisions:
        rows = [r for r in repo.same_revision(unit_code, period, rev) if r["status"] in ACCEPTED]
        if rows:
            old_answers[rev] = repo.answers([int(rows[0]["id"])])[int(rows[0]["id"])]
    stale = set()
    for code, g in given.items():
        rev = int(g["based_on_revision"])
        if rev == revision:
            continue
        before = old_answers.get(rev, {}).get(code, {})
        now = answers.get(code, {})
        if any(before.get(k) != now.get(k) for k in _COMPARED):
            stale.add(code)
    return stale


def unit_appraisal(ws: Workspace, unit_code: str, period: str | None = None) -> UnitAppraisal:
    """Everything the appraisal screen of one unit shows (three queries, no per-cell query)."""
    period = clean(period) if period else default_period(ws)
    row = current_bundle(ws, unit_code, period)
    fw = framework_of(ws, row)
    answers = InboxRepo(ws.db).answers([int(row["id"])])[int(row["id"])]
    given = AppraisalsRepo(ws.db).for_period(period).get(unit_code, {})
    findings = {
        f.code: f for f in check_answers(fw, answers.values()).findings if f.kind == "mismatch"
    }
    stale = stale_items(ws, unit_code, period, answers, given, int(row["revision"]))
    items = []
    for leaf in fw.leaves():
        a = answers.get(leaf.code, {})
        g = given.get(leaf.code)
        items.append(
            AppraisalItem(
                leaf.code,
                leaf.title,
                leaf.max_points,
                leaf.survey_only,
                a.get("self_score"),
                a.get("value"),
                str(a.get("explanation", "")),
                tuple(a.get("evidence", [])),
                float(g["score"]) if g else None,
                str(g["comment"]) if g else "",
                findings[leaf.code].message if leaf.code in findings else "",
                findings[leaf.code].recomputed if leaf.code in findings else None,
                leaf.code in stale,
                bool(a.get("not_applicable")),
            )
        )
    return UnitAppraisal(
        unit_code,
        str(row["unit_name"]),
        period,
        int(row["revision"]),
        int(row["id"]),
        fw,
        tuple(items),
    )


def set_appraisal(
    ws: Workspace,
    unit_code: str,
    code: str,
    score: float,
    comment: str = "",
    period: str | None = None,
) -> AppraisalItem:
    """Appraise one item; the score must lie in 0..max on the framework's step."""
    ua = unit_appraisal(ws, unit_code, period)
    leaf = ua.framework.by_code.get(code)
    if leaf is None:
        raise NotFoundError(f"Không có tiêu chí mã “{code}” trong bộ chỉ số {ua.framework.id}.")
    if not ua.framework.is_leaf(code):
        raise ValidationError(
            f"Tiêu chí {code} là tiêu chí tổng hợp; hãy chấm từng tiêu chí con hoặc dùng "
            "“chấp nhận điểm tự chấm” cho cả nhóm."
        )
    check_score(score, leaf.max_points, ua.framework.score_step, code, leaf.rule)
    audit.check_unlocked(ws, unit_code, ua.period)  # appraisal cycle: final locks, audit
    rows = [(code, float(score), clean(comment), ua.revision)]
    with ws.db.atomic():
        AppraisalsRepo(ws.db).put_many(unit_code, ua.period, rows)
        _audit_rows(ws, ua, rows)
    return next(i for i in unit_appraisal(ws, unit_code, ua.period).items if i.code == code)


def clear_appraisal(ws: Workspace, unit_code: str, code: str, period: str | None = None) -> None:
    period = clean(period) if period else default_period(ws)
    audit.check_unlocked(ws, unit_code, period)
    before = AppraisalsRepo(ws.db).for_period(period).get(unit_code, {}).get(code)
    with ws.db.atomic():
        AppraisalsRepo(ws.db).remove(unit_code, period, code)
        if before is not None:
            was = {"score": before["score"], "comment": before["comment"]}
            audit.record(ws, unit_code, period, code, "appraisal", was, None)


def accept_self_scores(
    ws: Workspace,
    unit_code: str,
    code: str | None = None,
    period: str | None = None,
    overwrite: bool = False,
) -> int:
    """Accept the unit's self scores for an item, an area (any parent node) or the unit.

    The value written is one the item's rule allows: a self score that contradicts the rule
    is replaced by the recomputed score (the comment says so), and a score outside the
    rule's range is refused naming the item. An item the unit did not score is accepted at
    0 with a note. Survey items are left to the office.

    Items already appraised (a score or a comment) are never overwritten silently: a named
    item refuses unless ``overwrite``; in a group they are skipped unless ``overwrite``.
    Returns the count set.
    """
    ua = unit_appraisal(ws, unit_code, period)
    fw = ua.framework
    if code is not None and code not in fw.by_code:
        raise NotFoundError(f"Không có tiêu chí mã “{code}” trong bộ chỉ số {fw.id}.")
    single = code is not None and fw.is_leaf(code)
    rows = []
    for item in ua.items:
        if item.survey_only or (code is not None and not fw.is_under(item.code, code)):
            continue
        if item.not_applicable:
            continue  # out of the unit's maximum: nothing to accept
        done = item.appraised is not None or bool(item.comment)
        if done and not overwrite:
            if single:
                raise ValidationError(
                    f"Tiêu chí {item.code} đã có điểm thẩm định "
                    f"{format_number(item.appraised) or '—'}"
                    + (f" và nhận xét “{item.comment}”" if item.comment else "")
                    + "; muốn thay bằng điểm tự chấm thì chọn ghi đè (--overwrite)."
                )
            continue
        if item.self_score is None:
            score, note = 0.0, NOT_SCORED_NOTE
        elif item.recomputed is not None:
            score = item.recomputed
            note = (
                f"Điểm tính lại theo quy tắc: {format_number(item.recomputed)} "
                f"(đơn vị tự chấm {format_number(item.self_score)})."
            )
        else:
            score, note = item.self_score, ""
        leaf = fw.by_code[item.code]
        check_score(score, leaf.max_points, 0, item.code, leaf.rule)
        rows.append((item.code, float(score), note, ua.revision))
    if single and not rows:
        raise ValidationError(f"Tiêu chí {code} chấm qua điều tra XHH: hãy nhập điểm thẩm định.")
    audit.check_unlocked(ws, unit_code, ua.period)
    with ws.db.atomic():
        AppraisalsRepo(ws.db).put_many(unit_code, ua.period, rows)
        _audit_rows(ws, ua, rows, "Chấp nhận điểm tự chấm")
    return len(rows)


def _audit_rows(
    ws: Workspace, ua: UnitAppraisal, rows: list[tuple[str, float, str, int]], why: str = ""
) -> None:
    """Record each changed appraisal (appraisal cycle audit trail; see services.audit)."""
    by_code = {i.code: i for i in ua.items}
    for code, score, comment, _rev in rows:
        old = by_code.get(code)
        was = None
        if old is not None and old.appraised is not None:
            was = {"score": old.appraised, "comment": old.comment}
        now = {"score": score, "comment": comment}
        if was != now:
            audit.record(ws, ua.unit_code, ua.period, code, "appraisal", was, now, comment or why)
