"""``parapp bundle export-office``: the office's own signed bundle of its units, sent upward."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import (
    Settings,
    emit,
    global_options,
    open_ws,
    pass_settings,
    read_passphrase,
)
from parapp.cli.vietnamese import Command
from parapp.services import unit_keys
from parapp.services.office.upward_bundle import export_office_bundle


@click.command("export-office", cls=Command, help="hồ sơ tổng hợp gửi cấp trên")
@click.option("--out", required=True, help="tệp .zip hoặc thư mục")
@click.option("--approver", required=True, help="họ tên lãnh đạo phê duyệt")
@click.option("--position", default="Trưởng phòng Nội vụ", show_default=True)
@click.option("--period")
@global_options
@pass_settings
def export_office(
    settings: Settings, out: str, approver: str, position: str, period: str | None
) -> int:
    with open_ws(settings) as ws:
        kp = unit_keys.unlock(ws, read_passphrase())
        result = export_office_bundle(
            ws, Path(out), kp, approver, position, period,
            warn=lambda text: click.echo(f"Cảnh báo: {text}", err=True),
        )  # fmt: skip
    emit(
        settings,
        {"file": str(result.path), "sha256": result.sha256, "fingerprint": result.key_fingerprint},
        f"Đã ghi hồ sơ tổng hợp của đơn vị: {result.path}\nMã băm SHA-256: {result.sha256}",
    )
    return 0
