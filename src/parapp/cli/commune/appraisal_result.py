"""``parapp appraisal import|show``: the signed appraisal result the commune gets back.

(``appraisal export``, the office's side, is in :mod:`parapp.cli.office.appraisal_result`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command
from parapp.models.text import format_number
from parapp.services.appraisal_result import appraisal_for_own_assessment, import_appraisal


@click.command("import", cls=Command, help="nhận kết quả thẩm định từ cấp trên")
@click.argument("file")
@global_options
@pass_settings
def import_result(settings: Settings, file: str) -> int:
    with open_ws(settings) as ws:
        summary = import_appraisal(ws, Path(file))
    emit(
        settings,
        summary,
        f"Đã nhận kết quả thẩm định của {summary['office_name']} kỳ {summary['period']} "
        f"({summary['items']} tiêu chí).",
    )
    return 0


@click.command("show", cls=Command, help="xem kết quả thẩm định của đơn vị mình")
@global_options
@pass_settings
def show(settings: Settings) -> int:
    with open_ws(settings) as ws:
        result = appraisal_for_own_assessment(ws)
        answers = ws.answers() if ws.current_assessment() else {}
    rows: list[dict[str, Any]] = [
        {
            "code": code,
            "self_score": answers[code].self_score if code in answers else None,
            "appraised_score": score,
            "comment": comment,
        }
        for code, (score, comment) in sorted(result.items())
    ]
    emit(
        settings,
        rows,
        lambda: (
            "\n".join(
                f"{r['code']:>8}  tự chấm {format_number(r['self_score']) or '—':>5}  thẩm định "
                f"{format_number(r['appraised_score']) or '—':>5}  {r['comment']}"
                for r in rows
            )
            or "Chưa có kết quả thẩm định."
        ),
    )
    return 0
