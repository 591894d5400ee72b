"""``parapp keys init|show|export-public|rotate``: the unit's own Ed25519 signing key.

(The office's ``keys trust`` and ``keys list`` live in :mod:`parapp.cli.office.trusted_keys`;
:mod:`parapp.cli.root` puts all six under ``keys``.)
"""

from __future__ import annotations

import os
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


@click.command("init", cls=Command, help="tạo khóa ký số (mật khẩu: PARAPP_PASSPHRASE)")
@global_options
@pass_settings
def init(settings: Settings) -> int:
    with open_ws(settings) as ws:
        status = unit_keys.create_key(ws, read_passphrase(confirm=True))
    emit(
        settings,
        {"fingerprint": status.fingerprint, "key_id": status.public.key_id_hex},
        f"Đã tạo khóa ký số. Dấu vân tay: {status.fingerprint} — đọc dấu vân tay này cho "
        "đơn vị cấp trên khi đăng ký khóa.",
    )
    return 0


@click.command("show", cls=Command, help="xem dấu vân tay khóa")
@global_options
@pass_settings
def show(settings: Settings) -> int:
    with open_ws(settings) as ws:
        status = unit_keys.key_status(ws)
    if status is None:
        raise unit_keys.NoKeyError()
    emit(
        settings,
        {
            "fingerprint": status.fingerprint,
            "key_id": status.public.key_id_hex,
            "created_at": status.created_at,
        },
        f"Dấu vân tay khóa: {status.fingerprint} (mã khóa {status.public.key_id_hex})",
    )
    return 0


@click.command("export-public", cls=Command, help="xuất khóa công khai (.pub)")
@click.argument("file")
@global_options
@pass_settings
def export_public(settings: Settings, file: str) -> int:
    with open_ws(settings) as ws:
        status = unit_keys.export_public(ws, Path(file))
    emit(
        settings,
        {"file": file, "fingerprint": status.fingerprint},
        f"Đã xuất khóa công khai ra {file} (dấu vân tay {status.fingerprint}).",
    )
    return 0


@click.command("rotate", cls=Command, help="đổi khóa (văn bản chuyển đổi ký bằng khóa cũ)")
@global_options
@pass_settings
def rotate(settings: Settings) -> int:
    with open_ws(settings) as ws:
        old = read_passphrase("Mật khẩu khóa hiện tại: ")
        new = os.environ.get("PARAPP_NEW_PASSPHRASE") or read_passphrase(
            "Mật khẩu cho khóa mới: ", confirm=True
        )
        status, statement = unit_keys.rotate_key(ws, old, new)
    emit(
        settings,
        {"fingerprint": status.fingerprint, "statement": str(statement)},
        f"Đã đổi khóa. Dấu vân tay mới: {status.fingerprint}. Gửi văn bản {statement} cho "
        "đơn vị cấp trên.",
    )
    return 0
