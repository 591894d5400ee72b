"""Printed documents of a receiving office: the ranking of its units and one unit's appraisal.

Kept apart from :mod:`parapp.services.commune.printing` (a commune's own documents) so a commune's
build never needs the consolidation code; both read the same report structures as the
screen and the Excel workbook, so paper and screen always agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parapp.interchange.pdf import render_appraisal, render_ranking
from parapp.models.document_forms import lower_first
from parapp.models.print_data import DocumentOptions
from parapp.services.documents import document_header, signature_block
from parapp.services.office.consolidation import appraisal_report, ranking_report
from parapp.services.workspace import Workspace


def print_ranking(
    ws: Workspace,
    out: Path,
    period: str | None = None,
    approver: str = "",
    approver_position: str = "",
    today: date | None = None,
    options: DocumentOptions | None = None,
) -> Path:
    """The ranking table of the child units for ``period`` (default: the latest) as A4 PDF,
    signed by ``approver`` in the form his position calls for."""
    opts = options or DocumentOptions()
    render_ranking(
        ranking_report(ws, period),
        document_header(ws, today, opts),
        signature_block(
            ws,
            approver or opts.approver,
            approver_position or opts.position,
            opts.recipients,
            kind="ranking",
        ),
        Path(out),
    )
    return Path(out)


def print_appraisal(
    ws: Workspace,
    unit_code: str,
    out: Path,
    period: str | None = None,
    approver: str = "",
    approver_position: str = "",
    today: date | None = None,
    options: DocumentOptions | None = None,
) -> Path:
    """One child unit's appraisal (self score beside appraised score, comments) as A4 PDF."""
    opts = options or DocumentOptions()
    report = appraisal_report(ws, unit_code, period)
    render_appraisal(
        report,
        document_header(ws, today, opts),
        signature_block(
            ws,
            approver or opts.approver,
            approver_position or opts.position,
            opts.recipients,
            kind="appraisal",
            addressee=f"UBND {lower_first(report.unit_name)}",
        ),
        Path(out),
    )
    return Path(out)
