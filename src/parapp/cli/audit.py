"""``parapp audit``: the change log of both sides (who, when, before, after, why)."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.cycle_options import (
    UserError,
    cycle_emit,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.vietnamese import Command
from parapp.models.errors import ParAppError
from parapp.services import audit as audit_service


@click.command("audit", cls=Command)
@click.option("--unit", help="mã đơn vị")
@click.option("--period", help="kỳ đánh giá")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="ghi ra Excel")
@cycle_options
def audit(
    unit: str | None,
    period: str | None,
    xlsx: Path | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Nhật ký thay đổi: ai, khi nào, trước, sau, lý do."""
    with cycle_workspace(data_dir) as ws:
        try:
            rows = audit_service.entries(ws, unit, period)
            if xlsx is not None:
                audit_service.export_xlsx(ws, xlsx, unit, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{r['at']}\t{r['actor']}\t{r['unit_code']}\t{r['code']}\t{r['field']}\t"
        f"{r['before']} → {r['after']}" + (f"\t({r['reason']})" if r["reason"] else "")
        for r in rows
    ]
    if xlsx is not None:
        lines.append(f"Đã ghi {len(rows)} dòng vào {xlsx}.")
    cycle_emit(as_json, rows, "\n".join(lines) or "Chưa có thay đổi nào.")
