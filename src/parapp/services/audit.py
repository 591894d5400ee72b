"""The audit trail of both sides, and the hooks the appraisal services call.

Commune side, the :class:`~parapp.services.workspace.Workspace` write methods record every
change to an answer or an evidence link. Office side, the appraisal and review services call
:func:`check_unlocked` before and :func:`record` inside their transaction. Each row names the
officer set in the workspace (``parapp officer`` / Settings), the time, the value before and
after, and the reason where one is required (a changed score, a refusal, a request).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from parapp.models.errors import ParAppError
from parapp.models.review import UNNAMED_ACTOR, format_local, lock_message
from parapp.models.text import clean
from parapp.services.workspace import Workspace
from parapp.storage.audit_repo import AuditRepo
from parapp.storage.review_repo import PeriodLocksRepo

FIELD_LABELS = {
    "answer": "Câu trả lời tự đánh giá",
    "evidence": "Tài liệu kiểm chứng",
    "evidence_note": "Ghi chú tài liệu kiểm chứng",
    "carried_over": "Câu trả lời lấy từ kỳ trước",
    "appraisal": "Điểm thẩm định",
    "state": "Trạng thái thẩm định",
    "lock": "Khóa kỳ đánh giá",
    "merge": "Hợp nhất kết quả thẩm định",
    "result": "Kết quả thẩm định nhận từ cấp trên",
}


def actor(ws: Workspace) -> str:
    """Who acts: the officer named in the workspace settings."""
    return ws.officer().get("name") or UNNAMED_ACTOR


def record(
    ws: Workspace,
    unit_code: str,
    period: str,
    code: str,
    field: str,
    before: Any,
    after: Any,
    reason: str = "",
) -> None:
    """Append one change (call inside the transaction that makes the change)."""
    AuditRepo(ws.db).add(actor(ws), unit_code, period, code, field, before, after, clean(reason))


def check_unlocked(ws: Workspace, unit_code: str, period: str) -> None:
    """Refuse an edit of a unit's period that a final appraisal closed."""
    lock = PeriodLocksRepo(ws.db).get(unit_code, period)
    if lock is not None:
        raise ParAppError(lock_message(period, str(lock["final_created_at"] or lock["locked_at"])))


def entries(
    ws: Workspace, unit_code: str | None = None, period: str | None = None
) -> list[dict[str, Any]]:
    """The recorded changes, oldest first, as people read them (local time, labels)."""
    out = []
    for r in AuditRepo(ws.db).entries(clean(unit_code) or None, clean(period) or None):
        out.append(
            {
                "id": int(r["id"]),
                "at": format_local(str(r["at"])),
                "at_utc": str(r["at"]),
                "actor": str(r["actor"]),
                "unit_code": str(r["unit_code"]),
                "period": str(r["period"]),
                "code": str(r["code"]),
                "field": FIELD_LABELS.get(str(r["field"]), str(r["field"])),
                "field_key": str(r["field"]),
                "before": _readable(str(r["before"])),
                "after": _readable(str(r["after"])),
                "reason": str(r["reason"]),
            }
        )
    return out


def _readable(text: str) -> str:
    """Stored JSON objects shown as ``key: value; …``, plain text as is."""
    if not text.startswith("{"):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    return "; ".join(f"{k}: {'' if v is None else v}" for k, v in data.items())


def export_xlsx(
    ws: Workspace, path: Path, unit_code: str | None = None, period: str | None = None
) -> int:
    """Write the audit trail to an Excel workbook; returns the number of rows."""
    # openpyxl costs a tenth of a second to import: loaded when an export is asked for,
    # not when the main window (which imports this module) starts
    from parapp.interchange.excel_audit import write_audit_xlsx

    rows = entries(ws, unit_code, period)
    write_audit_xlsx(rows, Path(path))
    return len(rows)
