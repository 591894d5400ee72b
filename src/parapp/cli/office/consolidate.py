"""``parapp consolidate``: rank the units of a period, optionally into an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command
from parapp.models.text import format_number
from parapp.services.office import consolidation as cs


@click.command("consolidate", cls=Command, help="tổng hợp, xếp hạng các đơn vị")
@click.option("--period")
@click.option("--xlsx", help="ghi bảng tính Excel tổng hợp")
@click.option("--thresholds", help="mức xếp loại, ví dụ “Xuất sắc=90, Tốt=80, Yếu=0”")
@global_options
@pass_settings
def consolidate(
    settings: Settings, period: str | None, xlsx: str | None, thresholds: str | None
) -> int:
    with open_ws(settings) as ws:
        if thresholds:
            cs.set_thresholds(ws, thresholds)
        c = cs.export_xlsx(ws, Path(xlsx), period) if xlsx else cs.consolidate(ws, period)
    data = c.as_dict() | ({"xlsx": xlsx} if xlsx else {})

    def text() -> str:
        lines = [f"Kỳ {c.period} — {c.framework.name}" + (" (tạm tính)" if c.provisional else "")]
        for r in c.rows:
            res = r.result
            lines.append(
                f"{r.rank:>3}. {res.unit_name} ({res.unit_code}): {format_number(res.total)}/"
                f"{format_number(res.maximum)} = {format_number(res.index_percent)}% — {r.rating}"
                + (" — tạm tính" if res.provisional else "")
            )
        if xlsx:
            lines.append(f"Đã ghi bảng tính {xlsx}.")
        return "\n".join(lines)

    emit(settings, data, text)
    return 0
