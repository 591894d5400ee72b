"""Printed documents of a receiving office: the ranking of its units and one unit's appraisal.

Kept apart from :mod:`parapp.services.printing` (a commune's own documents) so a commune's
build never needs the consolidation code; both read the same report structures as the
screen and the Excel workbook, so paper and screen always agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parapp.interchange.pdf import render_appraisal, render_ranking
from parapp.services.consolidation import appraisal_report, ranking_report
from parapp.services.printing import document_header, signature_block
from parapp.services.workspace import Workspace


def print_ranking(
    ws: Workspace,
    out: Path,
    period: str | None = None,
    approver: str = "",
    approver_position: str = "",
    today: date | None = None,
) -> Path:
    """The ranking table of the child units for ``period`` (default: the latest) as A4 PDF."""
    render_ranking(
        ranking_report(ws, period),
        document_header(ws, today),
        signature_block(ws, approver, approver_position),
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
) -> Path:
    """One child unit's appraisal (self score beside appraised score, comments) as A4 PDF."""
    render_appraisal(
        appraisal_report(ws, unit_code, period),
        document_header(ws, today),
        signature_block(ws, approver, approver_position),
        Path(out),
    )
    return Path(out)
