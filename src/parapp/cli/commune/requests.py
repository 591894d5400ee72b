"""``parapp requests list``: what the office above asks of this unit (explanations,
supplements), and whether each request has been answered."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.cycle_options import (
    UserError,
    cycle_emit,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.vietnamese import Command, Group
from parapp.models.errors import ParAppError
from parapp.services.commune import requests as requests_service


@click.group("requests", cls=Group)
def requests() -> None:
    """Yêu cầu giải trình, bổ sung tài liệu của đơn vị cấp trên."""


@requests.command("list", cls=Command)
@click.option("--all", "include_all", is_flag=True, help="cả các tiêu chí không có yêu cầu")
@cycle_options
def requests_list(include_all: bool, data_dir: Path | None, as_json: bool) -> None:
    """Các yêu cầu của cấp trên và việc đã trả lời hay chưa."""
    with cycle_workspace(data_dir) as ws:
        try:
            found = requests_service.list_requests(ws, include_all=include_all)
            lock = requests_service.lock_status(ws)
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{r.code}\t{r.state.label}\t{r.note}\t"
        + (", ".join(r.answered) if r.answered else "Chưa trả lời")
        + (f"\tcòn {r.days_left} ngày" if r.days_left is not None else "")
        for r in found
    ]
    if lock["locked"]:
        lines.append(f"Kỳ đánh giá đã khóa từ {lock['since']}.")
    cycle_emit(
        as_json,
        {"requests": [r.to_dict() for r in found], **lock},
        "\n".join(lines) or "Không có yêu cầu nào của cấp trên.",
    )
