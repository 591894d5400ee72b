"""The office's side of the appraisal cycle: review states, answers to requests, results.

The appraisal team gives each item a state (:class:`~parapp.models.review.ReviewState`),
sends a signed *preliminary* result with its requests, sees per item whether the unit's
next revision answered ("Đã giải trình" / "Đã bổ sung"), and ends with a signed *final*
result that locks the unit's period on both sides until the office grants a reopening.
Every change is recorded in the audit trail (:mod:`parapp.services.audit`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from parapp.interchange.appraisal_doc import CycleSection, StateEntry, read_change_log
from parapp.interchange.bundle import BundleResult
from parapp.interchange.keys import KeyPair
from parapp.models.errors import NotFoundError, ParAppError, ValidationError
from parapp.models.review import (
    KIND_FINAL,
    KIND_PARTIAL,
    KIND_PRELIMINARY,
    KIND_REOPEN,
    RESPONSE_EXPLAINED,
    RESPONSE_NONE,
    RESPONSE_SUPPLEMENTED,
    ReviewState,
    check_state_note,
    format_local,
)
from parapp.models.rollup import days_left
from parapp.models.scoring import check_score
from parapp.models.text import clean, fold
from parapp.services import audit
from parapp.services.office.appraisal import NOT_SCORED_NOTE, UnitAppraisal, unit_appraisal
from parapp.services.office.appraisal_result import export_appraisal
from parapp.services.workspace import Workspace
from parapp.storage.clock import now_iso
from parapp.storage.office_repo import ACCEPTED, AppraisalsRepo, InboxRepo, Row
from parapp.storage.review_repo import PeriodLocksRepo, ReviewStatesRepo


@dataclass(frozen=True)
class ReviewItem:
    """One leaf as the review shows it: self score, appraisal, state, and the unit's answer."""

    code: str
    title: str
    survey_only: bool
    self_score: float | None
    appraised: float | None
    comment: str
    state: ReviewState
    note: str
    state_revision: int
    response: str  # "" unless the state is a request
    changed: bool  # the answer differs from the unit's previous revision

    @property
    def state_label(self) -> str:
        return self.state.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "self_score": self.self_score,
            "appraised": self.appraised,
            "comment": self.comment,
            "state": self.state.value,
            "state_label": self.state.label,
            "note": self.note,
            "state_revision": self.state_revision,
            "response": self.response,
            "changed_since_previous_revision": self.changed,
        }


def _accepted_by_revision(ws: Workspace, unit_code: str, period: str) -> dict[int, Row]:
    """The unit's accepted bundles of the period, one per revision (earliest received)."""
    out: dict[int, Row] = {}
    for r in sorted(InboxRepo(ws.db).all(period), key=lambda r: int(r["id"])):
        if r["unit_code"] == unit_code and r["status"] in ACCEPTED:
            out.setdefault(int(r["revision"]), r)
    return out


def _shas(answer: Row | None) -> set[str]:
    evidence = (answer or {}).get("evidence", [])
    return {str(e.get("sha256")) for e in evidence if isinstance(e, dict)}


def _same(a: Row | None, b: Row | None) -> bool:
    keys = ("value", "numerator", "denominator", "self_score", "explanation")
    a, b = a or {}, b or {}
    return all(a.get(k) == b.get(k) for k in keys) and _shas(a) == _shas(b)


def _response(old: Row | None, new: Row | None) -> str:
    """What a later revision did about a request: explained, supplemented, both, nothing."""
    parts = []
    if (new or {}).get("explanation", "") != (old or {}).get("explanation", ""):
        parts.append(RESPONSE_EXPLAINED)
    if _shas(new) - _shas(old):
        parts.append(RESPONSE_SUPPLEMENTED)
    return ", ".join(parts) if parts else RESPONSE_NONE


def review_items(ws: Workspace, unit_code: str, period: str | None = None) -> list[ReviewItem]:
    """Every leaf of the unit's current revision with its state and the unit's response."""
    return _items(ws, unit_appraisal(ws, unit_code, period))


def _items(ws: Workspace, ua: UnitAppraisal) -> list[ReviewItem]:
    states = ReviewStatesRepo(ws.db).for_unit(ua.unit_code, ua.period)
    by_rev = _accepted_by_revision(ws, ua.unit_code, ua.period)
    wanted = {ua.revision, *(int(s["based_on_revision"]) for s in states.values())}
    earlier = [r for r in by_rev if r < ua.revision]
    previous = max(earlier) if earlier else None
    if previous is not None:
        wanted.add(previous)
    ids = {rev: int(by_rev[rev]["id"]) for rev in wanted if rev in by_rev}
    answers = InboxRepo(ws.db).answers(ids.values())
    current = answers.get(ids.get(ua.revision, -1), {})
    prev_answers = answers.get(ids[previous], {}) if previous is not None else None
    out = []
    for item in ua.items:
        s = states.get(item.code)
        state = ReviewState(str(s["state"])) if s else ReviewState.NOT_REVIEWED
        rev = int(s["based_on_revision"]) if s else 0
        response = ""
        if state.is_request:
            response = RESPONSE_NONE
            if rev < ua.revision and rev in ids:
                response = _response(answers[ids[rev]].get(item.code), current.get(item.code))
        changed = prev_answers is not None and not _same(
            prev_answers.get(item.code), current.get(item.code)
        )
        out.append(
            ReviewItem(
                item.code, item.title, item.survey_only, item.self_score, item.appraised,
                item.comment, state, str(s["note"]) if s else "", rev, response, changed,
            )
        )  # fmt: skip
    return out


def _leaves(ua: UnitAppraisal, codes: Iterable[str] | None) -> list[str]:
    fw = ua.framework
    if codes is None:
        return [i.code for i in ua.items if not i.survey_only]
    out: list[str] = []
    for code in codes:
        if code not in fw.by_code:
            raise NotFoundError(f"Không có tiêu chí mã “{code}” trong bộ chỉ số {fw.id}.")
        if fw.is_leaf(code):
            out.append(code)
        else:
            out += [i.code for i in ua.items if not i.survey_only and fw.is_under(i.code, code)]
    return list(dict.fromkeys(out))


def _score_for(
    state: ReviewState,
    appraised: float | None,
    self_score: float | None,
    given: float | None,
    code: str,
) -> float | None:
    if state is ReviewState.PASSED:
        if given is not None:
            return float(given)
        return appraised if appraised is not None else (self_score or 0.0)
    if state is ReviewState.ADJUSTED:
        if given is None and appraised is None:
            raise ValidationError(f"Tiêu chí {code}: “Điều chỉnh điểm” cần điểm thẩm định mới.")
        return float(given) if given is not None else appraised
    if state is ReviewState.REJECTED:
        return float(given) if given is not None else 0.0
    return None if given is None else float(given)


def set_states(
    ws: Workspace,
    unit_code: str,
    state: ReviewState | str,
    note: str = "",
    codes: Sequence[str] | None = None,
    score: float | None = None,
    period: str | None = None,
) -> int:
    """Give ``state`` to items (leaves, or every leaf under a group; ``None``: the whole unit).

    * "Đạt" confirms the current appraised score, or the self score (0 when unscored);
    * "Điều chỉnh điểm" needs a new ``score`` (or an appraisal already made) and a note;
    * "Không chấp nhận" needs a note and sets the appraised score to ``score`` or 0;
    * the two requests need their text in ``note``; the score is left as it is.

    One transaction for all items; every change goes to the audit trail. Returns the count.
    """
    state = state if isinstance(state, ReviewState) else ReviewState(state)
    note = clean(note)
    ua = unit_appraisal(ws, unit_code, period)
    audit.check_unlocked(ws, unit_code, ua.period)
    leaves = _leaves(ua, codes)
    if not leaves:
        raise ValidationError("Không có tiêu chí nào để đặt trạng thái.")
    by_code = {i.code: i for i in ua.items}
    old_states = ReviewStatesRepo(ws.db).for_unit(unit_code, ua.period)
    scores: list[tuple[str, float, str, int]] = []
    for code in leaves:
        check_state_note(state, note, code)
        item = by_code[code]
        new_score = _score_for(state, item.appraised, item.self_score, score, code)
        if new_score is not None:
            check_score(new_score, item.max_points, ua.framework.score_step, code)
            comment = note or (NOT_SCORED_NOTE if item.self_score is None else item.comment)
            scores.append((code, new_score, comment, ua.revision))
    with ws.db.atomic():
        AppraisalsRepo(ws.db).put_many(unit_code, ua.period, scores)
        for code, new_score, comment, _rev in scores:
            item = by_code[code]
            was = None
            if item.appraised is not None:
                was = {"score": item.appraised, "comment": item.comment}
            now = {"score": new_score, "comment": comment}
            if was != now:
                audit.record(ws, unit_code, ua.period, code, "appraisal", was, now, note)
        ReviewStatesRepo(ws.db).put_many(
            unit_code, ua.period, [(c, state.value, note, ua.revision) for c in leaves],
            audit.actor(ws),
        )  # fmt: skip
        for code in leaves:
            old = old_states.get(code)
            if old is None or str(old["state"]) != state.value or str(old["note"]) != note:
                was_state = ReviewState(str(old["state"])).label if old else ""
                audit.record(ws, unit_code, ua.period, code, "state", was_state, state.label, note)
    return len(leaves)


def set_state(
    ws: Workspace,
    unit_code: str,
    code: str,
    state: ReviewState | str,
    note: str = "",
    score: float | None = None,
    period: str | None = None,
) -> ReviewItem:
    """One item's state (see :func:`set_states`); returns the item as the review shows it."""
    ua = unit_appraisal(ws, unit_code, period)
    if code in ua.framework.by_code and not ua.framework.is_leaf(code):
        raise ValidationError(
            f"Tiêu chí {code} là tiêu chí tổng hợp; dùng thao tác hàng loạt cho cả nhóm."
        )
    set_states(ws, unit_code, state, note, [code], score, ua.period)
    return next(i for i in review_items(ws, unit_code, ua.period) if i.code == code)


# -- results sent down --------------------------------------------------------------------------
def cycle_section(
    ws: Workspace, ua: UnitAppraisal, kind: str, deadline: date | None, member: str
) -> CycleSection:
    """The per-item states of ``ua`` as the cycle section of a result document."""
    states = ReviewStatesRepo(ws.db).for_unit(ua.unit_code, ua.period)
    entries = tuple(
        StateEntry(i.code, ReviewState(str(states[i.code]["state"])), str(states[i.code]["note"]))
        for i in ua.items
        if i.code in states
    )
    return CycleSection(kind, entries, deadline, clean(member), now_iso())


def _final_problems(section: CycleSection, ua: UnitAppraisal) -> list[str]:
    waiting = [s.code for s in section.states if s.state.is_request]
    todo = [i.code for i in ua.items if not i.survey_only and i.appraised is None]
    out = []
    if waiting:
        out.append(f"còn {len(waiting)} tiêu chí đang chờ đơn vị trả lời ({', '.join(waiting)})")
    if todo:
        out.append(f"còn {len(todo)} tiêu chí chưa có điểm thẩm định ({', '.join(todo)})")
    return out


def final_problems(ws: Workspace, unit_code: str, period: str | None = None) -> list[str]:
    """Why a final result cannot be issued yet (``[]``: it can): open requests, unscored items."""
    ua = unit_appraisal(ws, unit_code, period)
    return _final_problems(cycle_section(ws, ua, KIND_FINAL, None, ""), ua)


def export_result(
    ws: Workspace,
    unit_code: str,
    out: Path,
    keypair: KeyPair,
    approver: str,
    kind: str = KIND_PRELIMINARY,
    response_deadline: date | None = None,
    period: str | None = None,
    member: str = "",
) -> BundleResult:
    """Write a signed preliminary, final, reopening or partial (one member's) result.

    A final result is refused while items still wait for the unit's answer (give each a
    final state first); once written it locks the unit's period here as well.
    """
    if kind not in (KIND_PRELIMINARY, KIND_FINAL, KIND_REOPEN, KIND_PARTIAL):
        raise ValidationError(f"Loại kết quả thẩm định “{kind}” không hợp lệ.")
    ua = unit_appraisal(ws, unit_code, period)
    locked = PeriodLocksRepo(ws.db).get(unit_code, ua.period) is not None
    if kind != KIND_REOPEN:
        audit.check_unlocked(ws, unit_code, ua.period)
    elif locked:
        raise ParAppError(
            "Kỳ đánh giá vẫn đang khóa: hãy mở lại trước (“parapp appraisal reopen”)."
        )
    section = cycle_section(ws, ua, kind, response_deadline, member or audit.actor(ws))
    if kind == KIND_FINAL and (problems := _final_problems(section, ua)):
        raise ValidationError(
            f"Chưa ra kết quả chính thức được cho đơn vị {unit_code}: {'; '.join(problems)}. "
            "Hãy chọn trạng thái cuối cùng cho các tiêu chí này."
        )
    name = f"thamdinh-{kind}-{ua.unit_code}-{ua.period}-r{ua.revision}.zip"
    if kind == KIND_PARTIAL:  # one file per member: name them apart
        name = name.replace(".zip", f"-{'-'.join(fold(section.member).split())}.zip")
    target = out / name if out.is_dir() else out
    result = export_appraisal(
        ws, unit_code, target, keypair, approver, period=ua.period, cycle=section.to_dict()
    )
    if kind == KIND_PRELIMINARY:
        key = f"response_deadline:{ua.unit_code}:{ua.period}"
        ws.settings.set(key, response_deadline.isoformat() if response_deadline else None)
    if kind == KIND_FINAL:
        with ws.db.atomic():
            PeriodLocksRepo(ws.db).lock(unit_code, ua.period, section.issued_at, audit.actor(ws))
            audit.record(
                ws, unit_code, ua.period, "", "lock", "", "Khóa sau kết quả thẩm định chính thức"
            )
    return result


def reopen(ws: Workspace, unit_code: str, reason: str, period: str | None = None) -> None:
    """Unlock a finally appraised unit's period here (a reason is required and recorded).

    The unit is unlocked when it imports the signed reopening result
    (:func:`export_result` with ``kind="reopen"``).
    """
    reason = clean(reason)
    if not reason:
        raise ValidationError("Mở lại kỳ đánh giá phải ghi lý do.")
    ua = unit_appraisal(ws, unit_code, period)
    with ws.db.atomic():
        if not PeriodLocksRepo(ws.db).unlock(unit_code, ua.period):
            raise ParAppError(f"Kỳ {ua.period} của đơn vị {unit_code} không bị khóa.")
        audit.record(ws, unit_code, ua.period, "", "lock", "Đã khóa", "Mở lại", reason)


def unit_changes(ws: Workspace, unit_code: str, period: str | None = None) -> list[dict[str, str]]:
    """The change log the unit's current revision carries (what changed since its previous
    revision, who changed it, when, why), times in local ``dd/mm/yyyy HH:MM``."""
    ua = unit_appraisal(ws, unit_code, period)
    log = read_change_log(InboxRepo(ws.db).document(ua.bundle_id))
    return [e | {"at": format_local(e["at"])} for e in log]


def waiting_counts(ws: Workspace, period: str) -> dict[str, int]:
    """Per unit, requests not yet followed by a newer revision (two queries, for lists)."""
    current = {str(r["unit_code"]): int(r["revision"]) for r in InboxRepo(ws.db).current(period)}
    out: dict[str, int] = {}
    for unit, states in ReviewStatesRepo(ws.db).for_period(period).items():
        n = sum(
            1
            for s in states.values()
            if ReviewState(str(s["state"])).is_request
            and int(s["based_on_revision"]) >= current.get(unit, 0)
        )
        if n:
            out[unit] = n
    return out


def response_deadline(ws: Workspace, unit_code: str, period: str) -> date | None:
    """The answer deadline sent with the unit's latest preliminary result, if any."""
    raw = ws.settings.get(f"response_deadline:{unit_code}:{period}")
    return date.fromisoformat(raw) if raw else None


def outstanding(ws: Workspace, period: str, today: date | None = None) -> list[dict[str, Any]]:
    """Per reviewed unit: requests, answered, still owed, the answer deadline with the days
    left, whether the answer came late (it is accepted all the same), locked or not."""
    today = today or date.today()
    out = []
    for unit_code in sorted(ReviewStatesRepo(ws.db).for_period(period)):
        items = review_items(ws, unit_code, period)
        requests = [i for i in items if i.state.is_request]
        answered = [i for i in requests if i.response not in ("", RESPONSE_NONE)]
        lock = PeriodLocksRepo(ws.db).get(unit_code, period)
        deadline = response_deadline(ws, unit_code, period)
        current = max(_accepted_by_revision(ws, unit_code, period).items(), default=None)
        received = (
            datetime.fromisoformat(str(current[1]["received_at"])).astimezone().date()
            if current and answered
            else None
        )
        out.append(
            {
                "unit_code": unit_code,
                "requests": len(requests),
                "answered": len(answered),
                "owing": len(requests) - len(answered),
                "response_deadline": deadline.strftime("%d/%m/%Y") if deadline else "",
                "days_left": days_left(deadline, today),
                "late": bool(deadline and received and received > deadline),
                "locked": lock is not None,
                "locked_at": format_local(str(lock["locked_at"])) if lock else "",
            }
        )
    return out
