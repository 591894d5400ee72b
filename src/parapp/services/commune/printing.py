"""Printing: the official header, signature and seal a document needs, taken from the workspace.

The PDF layer is a pure function of its inputs; this module gathers them (who issues, where,
who signs, which revision) so the CLI and the UI print exactly the same documents.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from parapp.interchange.pdf import (
    render_blank_form,
    render_report,
    render_tasks,
)
from parapp.models.errors import ParAppError
from parapp.models.print_data import (
    DocumentOptions,
    SubmissionStamp,
)
from parapp.models.text import clean
from parapp.services.documents import (
    document_header,
    signature_block,
)
from parapp.services.workspace import Workspace


def latest_stamp(ws: Workspace) -> SubmissionStamp | None:
    """The seal of the last exported revision, if the answers have not changed since."""
    from parapp.services.commune.submission import has_unsubmitted_changes, revisions

    revs = [r for r in revisions(ws) if r.bundle_sha256]
    if not revs or has_unsubmitted_changes(ws):
        return None
    r = revs[-1]
    return SubmissionStamp(r.revision, r.bundle_sha256, r.key_fingerprint, r.frozen_at)


def print_blank_form(
    ws: Workspace,
    out: Path,
    framework_id: str | None = None,
    options: DocumentOptions | None = None,
) -> Path:
    """The paper form to fill by hand: the date left blank unless one is set."""
    a = ws.current_assessment()
    fw_id = framework_id or (a.framework_id if a else None)
    if fw_id is None:
        raise ParAppError("Chưa chọn bộ chỉ số để in phiếu.")
    opts = options or DocumentOptions()
    unit = ws.own_unit()
    sig = signature_block(ws, opts.approver, opts.position, opts.recipients)
    render_blank_form(
        ws.framework(fw_id),
        document_header(ws, None, opts),
        out,
        unit_name=unit.name if unit else "",
        period=a.period if a else "",
        signature=replace(sig, approver=clean(opts.approver)),
    )
    return out


def print_report(
    ws: Workspace,
    out: Path,
    approver: str = "",
    approver_position: str = "",
    today: date | None = None,
    options: DocumentOptions | None = None,
) -> Path:
    """The self-assessment report: the officer's narrative (or the draft from the data),
    the totals, the seal of the submitted revision or "DỰ THẢO", Nơi nhận and signature."""
    from parapp.services.commune.narrative import report_narrative

    opts = options or DocumentOptions()
    a = ws.require_assessment()
    unit = ws.require_unit()
    render_report(
        ws.framework(a.framework_id),
        ws.answers(),
        document_header(ws, None, opts),
        signature_block(
            ws, approver or opts.approver, approver_position or opts.position, opts.recipients
        ),
        out,
        unit_name=unit.name,
        period=a.period,
        stamp=latest_stamp(ws),
        today=today,
        narrative=report_narrative(ws),
    )
    return out


def print_tasks(
    ws: Workspace,
    out: Path,
    plan_id: str | None = None,
    today: date | None = None,
    options: DocumentOptions | None = None,
) -> Path:
    """The task plan as an appendix of the report ("Phụ lục … kèm theo Báo cáo số …")."""
    pid = plan_id or ws.current_plan_id()
    if pid is None:
        raise ParAppError("Chưa có kế hoạch nhiệm vụ nào để in.")
    render_tasks(
        ws.tasks.get_plan(pid),
        document_header(ws, None, options),
        out,
        today or date.today(),
    )
    return out
