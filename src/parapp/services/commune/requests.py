"""The commune's side of the appraisal cycle: the parent's results, its requests, the lock.

Importing a result (:func:`import_result`) checks it against the parent's enrolled key
(through :func:`parapp.services.office.appraisal_result.import_appraisal`, which keeps the scores)
and keeps the per-item states and requests. A *final* result locks the period: every edit of
the assessment is refused with a clear message (see ``Workspace._check_unlocked``) until the
parent sends a signed reopening. :func:`list_requests` is what the commune must answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parapp.models.errors import ParAppError
from parapp.models.review import (
    KIND_FINAL,
    KIND_LABELS,
    KIND_PARTIAL,
    KIND_REOPEN,
    RESPONSE_EXPLAINED,
    RESPONSE_SUPPLEMENTED,
    ReviewState,
    format_local,
)
from parapp.models.rollup import days_left
from parapp.services.workspace import Workspace
from parapp.storage.audit_repo import AuditRepo
from parapp.storage.review_repo import PeriodLocksRepo, ReviewRequestsRepo

if TYPE_CHECKING:
    from parapp.interchange.appraisal_doc import CycleSection


def _read_section(ws: Workspace, path: Path) -> CycleSection | None:
    """The cycle section of a result signed by the parent (checked before anything is kept)."""
    # the bundle reader and the signature libraries load when a result is imported, not
    # when the main window lists the requests at start-up
    from parapp.interchange.appraisal_doc import read_cycle
    from parapp.interchange.bundle import verify_bundle
    from parapp.services.trusted_keys import trusted_key

    own = ws.require_unit()
    pub = trusted_key(ws, own.parent_code) if own.parent_code else None
    if pub is None:
        return None  # import_appraisal refuses it with the full explanation
    report = verify_bundle(Path(path), pub, ws.frameworks.hashes())
    if not report.ok or report.assessment is None:
        return None  # likewise
    return read_cycle((report.assessment.get("extra") or {}).get("appraisal"))


def import_result(ws: Workspace, path: Path) -> dict[str, Any]:
    """Import a (preliminary, final or reopening) appraisal result of the parent.

    Returns the summary of :func:`import_appraisal` with ``kind``, ``requests`` (count),
    ``locked`` and ``response_deadline``.
    """
    from parapp.services.commune.appraisal_result import import_appraisal  # see _read_section

    section = _read_section(ws, path)
    if section is not None and section.kind == KIND_PARTIAL:
        raise ParAppError(
            f"“{Path(path).name}” là kết quả của một thành viên tổ thẩm định, chưa hợp nhất; "
            "đơn vị chỉ nhập kết quả sơ bộ hoặc chính thức."
        )
    summary = import_appraisal(ws, Path(path))
    own = ws.require_unit()
    period = str(summary["period"])
    if section is None:
        return summary | {"kind": "", "requests": 0, "locked": _locked(ws, own.code, period)}
    deadline = section.response_deadline.isoformat() if section.response_deadline else ""
    with ws.db.atomic():
        ReviewRequestsRepo(ws.db).replace(
            period,
            str(summary["framework_id"]),
            [(s.code, s.state.value, s.note) for s in section.states],
            str(summary["office"]),
            int(summary["based_on_revision"]),  # the unit's revision, not the result's count
            deadline,
        )
        locks = PeriodLocksRepo(ws.db)
        lock = locks.get(own.code, period)
        reopened_key = f"reopened_at:{own.code}:{period}"
        reopened = str(ws.settings.get(reopened_key) or "")
        if section.kind == KIND_FINAL and section.issued_at > reopened:  # not an older final
            locks.lock(own.code, period, section.issued_at, str(summary["office"]))
        elif (
            section.kind == KIND_REOPEN
            and lock is not None
            and str(lock["final_created_at"]) < section.issued_at  # an older reopening: no
        ):
            locks.unlock(own.code, period)
            ws.settings.set(reopened_key, section.issued_at)
        AuditRepo(ws.db).add(
            str(summary.get("approver") or summary["office"]),
            own.code,
            period,
            "",
            "result",
            "",
            KIND_LABELS[section.kind],
            f"Nhận từ đơn vị {summary['office']}",
        )
    return summary | {
        "kind": section.kind,
        "kind_label": KIND_LABELS[section.kind],
        "requests": sum(1 for s in section.states if s.state.is_request),
        "locked": _locked(ws, own.code, period),
        "response_deadline": deadline,
    }


def _locked(ws: Workspace, unit_code: str, period: str) -> bool:
    return PeriodLocksRepo(ws.db).get(unit_code, period) is not None


@dataclass(frozen=True)
class Request:
    """One request of the parent on an item, and what the commune did about it so far."""

    code: str
    title: str
    state: ReviewState
    note: str
    answered: tuple[str, ...]  # "Đã giải trình", "Đã bổ sung" (changes since the import)
    response_deadline: date | None
    days_left: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "state": self.state.value,
            "state_label": self.state.label,
            "request": self.note,
            "answered": bool(self.answered),
            "answer": ", ".join(self.answered),
            "response_deadline": self.response_deadline.strftime("%d/%m/%Y")
            if self.response_deadline
            else "",
            "days_left": self.days_left,
        }


def list_requests(
    ws: Workspace, today: date | None = None, include_all: bool = False
) -> list[Request]:
    """The parent's requests on the current assessment, each with whether it was answered.

    An item counts as explained when its explanation changed after the result was imported,
    as supplemented when evidence was linked after it. ``include_all`` also lists the items
    whose state is not a request (passed, adjusted, rejected) for the form to show.
    """
    a = ws.current_assessment()
    if a is None:
        return []
    fw = ws.framework(a.framework_id)
    rows = ReviewRequestsRepo(ws.db).for_assessment(a.period, a.framework_id)
    changes = AuditRepo(ws.db).entries(a.unit_code, a.period)
    today = today or date.today()
    out = []
    for code, r in sorted(rows.items(), key=lambda kv: _order(fw.by_code, kv[0])):
        state = ReviewState(str(r["state"]))
        if not state.is_request and not include_all:
            continue
        since = str(r["imported_at"])
        done = []
        mine = [c for c in changes if c["code"] == code and str(c["at"]) > since]
        if any(c["field"] == "answer" and "explanation" in _fields(c["after"]) for c in mine):
            done.append(RESPONSE_EXPLAINED)
        if any(c["field"] == "evidence" and c["after"] for c in mine):
            done.append(RESPONSE_SUPPLEMENTED)
        deadline = (
            date.fromisoformat(str(r["response_deadline"])) if r["response_deadline"] else None
        )
        crit = fw.by_code.get(code)
        out.append(
            Request(
                code,
                crit.title if crit else "",
                state,
                str(r["note"]),
                tuple(done),
                deadline,
                days_left(deadline, today),
            )
        )
    return out


def _fields(stored: object) -> dict[str, Any]:
    """The changed fields of an answer as the audit trail stored them (a JSON object)."""
    try:
        data = json.loads(str(stored))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _order(by_code: dict[str, Any], code: str) -> tuple[int, str]:
    crit = by_code.get(code)
    return (crit.order if crit is not None else 1 << 30, code)


def lock_status(ws: Workspace) -> dict[str, Any]:
    """Whether the current assessment's period is locked by a final appraisal, and since when."""
    a = ws.current_assessment()
    lock = PeriodLocksRepo(ws.db).get(a.unit_code, a.period) if a else None
    return {
        "locked": lock is not None,
        "since": format_local(str(lock["final_created_at"] or lock["locked_at"])) if lock else "",
    }
