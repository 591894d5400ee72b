"""``parapp inbox import|list|status``: bundles received from the units below."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import click

from parapp.cli.common import (
    Settings,
    date_arg,
    emit,
    global_options,
    open_ws,
    pass_settings,
    vn_datetime,
)
from parapp.cli.cycle_options import (
    UserError,
    cycle_emit,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.vietnamese import Command, Group
from parapp.models.errors import ParAppError
from parapp.services.office import supplements as supplements_service
from parapp.services.office.appraisal import default_period
from parapp.services.office.inbox import STATE_LABELS, completeness, inbox_entries, set_deadline_for


def _progress_printer(settings: Settings) -> Callable[[int, int], None] | None:
    """A percentage on the terminal (nothing with --json or when stderr is not a terminal)."""
    if settings.json or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        pct = done * 100 // total if total else 100
        print(f"\rĐang nhập hồ sơ… {pct}%", end="", file=sys.stderr, flush=True)

    return show


@click.command("import", cls=Command, help="nhập hồ sơ (tệp hoặc thư mục)")
@click.argument("files", nargs=-1, required=True)
@global_options
@pass_settings
def import_files(settings: Settings, files: tuple[str, ...]) -> int:
    with open_ws(settings) as ws:
        report = supplements_service.import_paths(
            ws, [Path(f) for f in files], _progress_printer(settings)
        )  # supplements too: reassembled, then checked like every bundle
    rows = [e.as_dict() for e in report.entries]
    emit(
        settings,
        {"entries": rows, "cancelled": report.cancelled},
        lambda: "\n".join(
            f"{e.file}: {e.unit_code or '?'} kỳ {e.period or '?'} lần {e.revision} — "
            f"{e.status_label}{': ' + e.reason if e.reason else ''}"
            f"{' — ' + e.framework_warning if e.framework_warning else ''}"
            for e in report.entries
        ),
    )
    return 0 if all(e.status not in ("refused", "retry") for e in report.entries) else 1


@click.command("list", cls=Command, help="danh sách hồ sơ đã nhận")
@click.option("--period")
@global_options
@pass_settings
def list_entries(settings: Settings, period: str | None) -> int:
    with open_ws(settings) as ws:
        entries = inbox_entries(ws, period)
    emit(
        settings,
        [e.as_dict() for e in entries],
        lambda: (
            "\n".join(
                f"{vn_datetime(e.received_at)}  {e.unit_code:>8}  kỳ {e.period}  lần {e.revision}  "
                f"{e.status_label}{' (đã có lần nộp mới hơn)' if e.superseded else ''}"
                f"{': ' + e.reason if e.reason else ''}"
                f"{' — ' + e.framework_warning if e.framework_warning else ''}"
                for e in entries
            )
            or "Chưa nhận hồ sơ nào."
        ),
    )
    return 0


@click.command("status", cls=Command, help="đơn vị đã nộp, chưa nộp, nộp muộn")
@click.option("--period")
@click.option("--deadline", help="đặt hạn nộp của kỳ (dd/mm/yyyy)")
@global_options
@pass_settings
def status(settings: Settings, period: str | None, deadline: str | None) -> int:
    with open_ws(settings) as ws:
        period = period or default_period(ws)
        if deadline:
            set_deadline_for(ws, period, date_arg(deadline))
        c = completeness(ws, period)
    data = c.as_dict()

    def text() -> str:
        head = f"Kỳ {c.period}; hạn nộp: {c.deadline.strftime('%d/%m/%Y') if c.deadline else '—'}"
        counts = ", ".join(
            f"{STATE_LABELS[state].lower()}: {n}" for state, n in data["counts"].items()
        )
        lines = [head, counts]
        lines += [
            f"{u.unit_code:>8}  {u.unit_name}  {u.state_label}"
            + (f" (lần {u.revision}, {vn_datetime(u.first_received_at)})" if u.revision else "")
            for u in c.units
        ]
        return "\n".join(lines)

    emit(settings, data, text)
    return 0


@click.command("import-supplement", cls=Command)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@cycle_options
def inbox_import_supplement(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Nhập hồ sơ bổ sung (ghép lại đầy đủ từ lần nộp đã nhận rồi kiểm tra như mọi hồ sơ)."""
    with cycle_workspace(data_dir) as ws:
        try:
            entry = supplements_service.import_any(ws, file)
        except ParAppError as e:
            raise UserError(str(e)) from None
    cycle_emit(
        as_json,
        dataclasses.asdict(entry),
        f"{entry.unit_code} lần {entry.revision}: {entry.status}"
        + (f" — {entry.reason}" if entry.reason else ""),
    )


inbox = Group(
    "inbox",
    help="hồ sơ nhận từ đơn vị cấp dưới",
    commands=[import_files, list_entries, status, inbox_import_supplement],
)
