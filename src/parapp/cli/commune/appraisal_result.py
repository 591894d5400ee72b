"""``parapp appraisal import|show``: the signed appraisal result the commune gets back.

(``appraisal export``, the office's side, is in :mod:`parapp.cli.office.appraisal_result`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.cycle_options import (
    UserError,
    cycle_emit,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.vietnamese import Command
from parapp.models.errors import ParAppError
from parapp.models.text import format_number
from parapp.services.commune import requests as requests_service
from parapp.services.commune.appraisal_result import appraisal_for_own_assessment


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


@click.command("import", cls=Command)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@cycle_options
def appraisal_import(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Nhập tệp kết quả thẩm định (sơ bộ, chính thức, mở lại) của đơn vị cấp trên."""
    with cycle_workspace(data_dir) as ws:
        try:
            summary = requests_service.import_result(ws, file)
        except ParAppError as e:
            raise UserError(str(e)) from None
    text = (
        f"Đã nhập {summary.get('kind_label', 'kết quả thẩm định').lower()} kỳ {summary['period']}"
    )
    if summary.get("requests"):
        text += f"; có {summary['requests']} yêu cầu cần trả lời (“parapp requests list”)"
    if summary.get("locked"):
        text += "; kỳ đánh giá đã khóa"
    cycle_emit(as_json, summary, text + ".")
