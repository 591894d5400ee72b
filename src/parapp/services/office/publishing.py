"""The office publishes the year's framework to its units: the package, and what the office
itself then counts by.

One use-case for the CLI (``parapp framework publish``) and the office's “Ban hành bộ chỉ số”
dialog: the signed package is written (:func:`parapp.services.framework_package.
publish_package`), then the deadline and the rating bands it announced become the office's
own for that period, so what the office ranks and counts lateness by is what its units were
told. Before publishing, :func:`publish_warnings` names what looks like last year's data
carried into this year's package (a framework or plan of another year).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parapp.interchange.keys import KeyPair
from parapp.models.consolidation import parse_thresholds
from parapp.models.text import clean
from parapp.models.units import UnitLevel
from parapp.services.framework_package import PublishedPackage, publish_package
from parapp.services.office.consolidation import set_thresholds, thresholds
from parapp.services.office.inbox import set_deadline_for
from parapp.services.workspace import Workspace


def publish_for_period(
    ws: Workspace,
    framework_id: str,
    out: Path,
    keypair: KeyPair,
    *,
    period: str,
    level: UnitLevel,
    approver: str,
    approver_position: str = "",
    deadline: date | None = None,
    bands_text: str | None = None,
    plan_id: str | None = None,
    note: str = "",
) -> PublishedPackage:
    """Publish; the office's own bands (when ``bands_text`` is blank) travel in the package,
    and a given deadline or bands become the office's for the period."""
    chosen = parse_thresholds(bands_text) if bands_text else thresholds(ws)
    result = publish_package(
        ws, framework_id, Path(out), keypair,
        period=period, level=level, approver=approver, approver_position=approver_position,
        deadline=deadline, bands=chosen, plan_id=plan_id, note=note,
    )  # fmt: skip
    if deadline is not None:
        set_deadline_for(ws, result.period, deadline)
    if bands_text:
        set_thresholds(ws, bands_text)
    return result


def publish_warnings(
    ws: Workspace, framework_id: str, period: str, plan_id: str | None = None
) -> list[str]:
    """Plain Vietnamese notes on a package about to be published: a framework or a plan of
    another year than the period (the commune would read "Trong năm 2020" in 2026)."""
    period = clean(period)
    year = int(period[:4]) if period[:4].isdigit() else None
    notes: list[str] = []
    if year is None:
        return notes
    fw = ws.framework(framework_id)
    if fw.year is not None and fw.year != year:
        notes.append(
            f"Bộ chỉ số “{fw.name}” ghi năm {fw.year}, khác kỳ {period}: hãy kiểm tra đây "
            "đúng là bộ chỉ số của năm nay."
        )
    if plan_id:
        plan = ws.tasks.get_plan(plan_id)
        if plan.year != year:
            notes.append(
                f"Kế hoạch “{plan.name}” là kế hoạch năm {plan.year}, khác kỳ {period}: thời "
                "hạn các nhiệm vụ sẽ tính theo năm đó."
            )
    return notes
