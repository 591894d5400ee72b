"""``parapp keys trust|list``: the public keys the office trusts, one per unit.

(The unit's own key, ``keys init|show|export-public|rotate``, is in
:mod:`parapp.cli.commune.keys`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command
from parapp.services import trusted_keys as tk


def key_dict(k: tk.TrustedKey) -> dict[str, Any]:
    return {
        "unit_code": k.unit_code,
        "unit_name": k.unit_name,
        "fingerprint": k.fingerprint,
        "source": k.source,
        "source_label": k.source_label,
        "enrolled_at": k.enrolled_at,
        "shared_with": list(k.shared_with),
        "warning": k.warning,
    }


@click.command("trust", cls=Command, help="tin khóa công khai của đơn vị khác")
@click.argument("unit", required=False, help="mã đơn vị")
@click.argument("pubfile", required=False, help="tệp khóa công khai .pub")
@click.option("--fingerprint", help="dấu vân tay đơn vị đọc qua điện thoại")
@click.option("--rotation", help="văn bản chuyển đổi khóa ký bằng khóa đã đăng ký")
@click.option(
    "--list", "key_list", metavar="LIST", help="danh sách khóa (mỗi dòng: mã đơn vị, khóa)"
)
@click.option("--replace", is_flag=True, help="thay khóa đã đăng ký")
@global_options
@pass_settings
def trust(
    settings: Settings,
    unit: str | None,
    pubfile: str | None,
    fingerprint: str | None,
    rotation: str | None,
    key_list: str | None,
    replace: bool,
) -> int:
    with open_ws(settings) as ws:
        if key_list:
            enrolled = tk.enrol_key_list(ws, Path(key_list), replace=replace)
        elif not unit:
            raise click.UsageError("cần MÃ_ĐƠN_VỊ (hoặc --list TỆP)")
        elif fingerprint:
            enrolled = [tk.trust_on_first_sight(ws, unit, fingerprint)]
        elif rotation:
            enrolled = [tk.apply_rotation(ws, unit, Path(rotation))]
        elif pubfile:
            enrolled = [tk.enrol_key_file(ws, unit, Path(pubfile), replace=replace)]
        else:
            raise click.UsageError("cần TỆP.pub, --fingerprint, --rotation hoặc --list")
    for k in enrolled:
        if k.warning:  # one key trusted for two units: say so loudly
            click.echo(k.warning, err=True)
    emit(
        settings,
        [key_dict(k) for k in enrolled],
        "\n".join(
            f"Đã tin khóa của đơn vị {k.unit_code} ({k.source_label}); dấu vân tay {k.fingerprint}."
            for k in enrolled
        ),
    )
    return 0


@click.command("list", cls=Command, help="liệt kê khóa đã tin")
@global_options
@pass_settings
def list_keys(settings: Settings) -> int:
    with open_ws(settings) as ws:
        rows = [key_dict(k) for k in tk.list_keys(ws)]
    emit(
        settings,
        rows,
        lambda: (
            "\n".join(
                f"{r['unit_code']:>8}  {r['fingerprint']}  {r['unit_name']}  ({r['source_label']})"
                for r in rows
            )
            or "Chưa đăng ký khóa nào."
        ),
    )
    return 0
