"""``parapp appraisal export``: the signed appraisal result the office sends to a unit.

(The unit's side, ``appraisal import|show``, is in :mod:`parapp.cli.commune.appraisal_result`.)
"""

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
from parapp.services.appraisal_result import export_appraisal


@click.command("export", cls=Command, help="xuất kết quả thẩm định (ký số) cho một đơn vị")
@click.argument("unit")
@click.argument("file")
@click.option("--approver", help="họ tên người ký")
@click.option("--position", default="Trưởng phòng Nội vụ", show_default=True)
@click.option("--period")
@global_options
@pass_settings
def export(
    settings: Settings,
    unit: str,
    file: str,
    approver: str | None,
    position: str,
    period: str | None,
) -> int:
    with open_ws(settings) as ws:
        signer = approver or ws.officer().get("name", "")
        kp = unit_keys.unlock(ws, read_passphrase())
        result = export_appraisal(ws, unit, Path(file), kp, signer, position, period)
    emit(
        settings,
        {"file": str(result.path), "sha256": result.sha256, "fingerprint": result.key_fingerprint},
        f"Đã ghi kết quả thẩm định của đơn vị {unit}: {result.path}",
    )
    return 0
