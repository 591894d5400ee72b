"""Printing: the official header, signature and seal a document needs, taken from the workspace.

The PDF layer is a pure function of its inputs; this module gathers them (who issues, where,
who signs, which revision) so the CLI and the UI print exactly the same documents.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parapp.interchange.pdf import (
    render_blank_form,
    render_report,
    render_tasks,
)
from parapp.models.errors import ParAppError
from parapp.models.print_data import DocumentHeader, SignatureBlock, SubmissionStamp
from parapp.models.units import Unit, UnitLevel
from parapp.services.workspace import Workspace

_PREFIXES = (
    "Thành phố ",
    "Tỉnh ",
    "Phường ",
    "Xã ",
    "Đặc khu ",
    "Thị trấn ",
    "Huyện ",
    "Quận ",
    "Thị xã ",
)

KINDS = ("blank-form", "report", "tasks", "ranking", "appraisal")


def short_place(name: str) -> str:
    """``"Phường Điện Bàn"`` -> ``"Điện Bàn"`` (the place line of an official document)."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def issuer_name(unit: Unit) -> str:
    """``"UBND PHƯỜNG ĐIỆN BÀN"`` for a commune or province; the name itself for an agency."""
    if unit.level is UnitLevel.AGENCY:
        return unit.name.upper()
    return f"UBND {unit.name.upper()}"


def document_header(ws: Workspace, today: date | None = None) -> DocumentHeader:
    unit = ws.require_unit()
    parent = ws.units.find(unit.parent_code) if unit.parent_code else None
    return DocumentHeader(
        issuer_parent=issuer_name(parent) if parent else "",
        issuer=issuer_name(unit),
        place=short_place(unit.name),
        date=today or date.today(),
    )


def signature_block(
    ws: Workspace, approver: str = "", approver_position: str = ""
) -> SignatureBlock:
    """The officer who prepared it, and the leader who signs (last approver by default)."""
    officer = ws.officer()
    if not approver:
        from parapp.services.submission import revisions

        revs = revisions(ws) if ws.current_assessment() else []
        if revs:
            approver, approver_position = revs[-1].approver, revs[-1].approver_position
    return SignatureBlock(
        prepared_by=officer.get("name", ""),
        prepared_position=officer.get("position", "") or "Người lập",
        approver=approver,
        approver_position=(approver_position or "Chủ tịch").upper(),
    )


def latest_stamp(ws: Workspace) -> SubmissionStamp | None:
    """The seal of the last exported revision, if the answers have not changed since."""
    from parapp.services.submission import has_unsubmitted_changes, revisions

    revs = [r for r in revisions(ws) if r.bundle_sha256]
    if not revs or has_unsubmitted_changes(ws):
        return None
    r = revs[-1]
    return SubmissionStamp(r.revision, r.bundle_sha256, r.key_fingerprint, r.frozen_at)


def print_blank_form(ws: Workspace, out: Path, framework_id: str | None = None) -> Path:
    a = ws.current_assessment()
    fw_id = framework_id or (a.framework_id if a else None)
    if fw_id is None:
        raise ParAppError("Chưa chọn bộ chỉ số để in phiếu.")
    unit = ws.own_unit()
    render_blank_form(
        ws.framework(fw_id),
        document_header(ws),
        out,
        unit_name=unit.name if unit else "",
        period=a.period if a else "",
    )
    return out


def print_report(
    ws: Workspace,
    out: Path,
    approver: str = "",
    approver_position: str = "",
    today: date | None = None,
) -> Path:
    a = ws.require_assessment()
    unit = ws.require_unit()
    render_report(
        ws.framework(a.framework_id),
        ws.answers(),
        document_header(ws, today),
        signature_block(ws, approver, approver_position),
        out,
        unit_name=unit.name,
        period=a.period,
        stamp=latest_stamp(ws),
        today=today,
    )
    return out


def print_tasks(
    ws: Workspace, out: Path, plan_id: str | None = None, today: date | None = None
) -> Path:
    pid = plan_id or ws.current_plan_id()
    if pid is None:
        raise ParAppError("Chưa có kế hoạch nhiệm vụ nào để in.")
    render_tasks(ws.tasks.get_plan(pid), document_header(ws, today), out, today or date.today())
    return out
