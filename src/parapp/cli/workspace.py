"""``parapp init``, ``parapp backup``, ``parapp restore``: set up and move a whole workspace."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command
from parapp.services import unit_admin
from parapp.services.defaults import install_defaults
from parapp.storage.backup import backup_workspace, restore_workspace


@click.command("init", cls=Command, help="thiết lập đơn vị của không gian làm việc")
@click.option("--unit", "code", required=True, help="mã đơn vị (mã hành chính hoặc mã tự đặt)")
@click.option("--name")
@click.option("--level")
@click.option("--parent")
@click.option("--parent-name", help="tên đơn vị cấp trên khi mã không có trong danh mục")
@global_options
@pass_settings
def init(
    settings: Settings,
    code: str,
    name: str | None,
    level: str | None,
    parent: str | None,
    parent_name: str | None,
) -> int:
    unit = unit_admin.resolve_unit(code, name, level, parent)
    with open_ws(settings) as ws:
        unit = unit_admin.set_own_unit(ws, unit, parent_name)
        if not ws.frameworks.list():
            install_defaults(ws)
        emit(
            settings,
            {"unit": unit.__dict__ | {"level": unit.level.value}, "data_dir": str(ws.data_dir)},
            f"Đã thiết lập đơn vị {unit.display} tại {ws.data_dir}.",
        )
    return 0


@click.command("backup", cls=Command, help="sao lưu toàn bộ dữ liệu ra một tệp")
@click.argument("file")
@global_options
@pass_settings
def backup(settings: Settings, file: str) -> int:
    with open_ws(settings) as ws:
        counts = backup_workspace(ws.conn, ws.data_dir, Path(file))
    emit(
        settings,
        {"file": file, **counts},
        f"Đã sao lưu toàn bộ dữ liệu ({counts['evidence_files']} tài liệu) vào {file}.",
    )
    return 0


@click.command("restore", cls=Command, help="khôi phục dữ liệu từ tệp sao lưu")
@click.argument("file")
@global_options
@pass_settings
def restore(settings: Settings, file: str) -> int:
    data_dir = settings.resolved_data_dir()
    counts = restore_workspace(Path(file), data_dir)
    emit(
        settings,
        {"file": file, "data_dir": str(data_dir), **counts},
        f"Đã khôi phục dữ liệu từ {file} ({counts['evidence_files']} tài liệu). "
        "Dữ liệu cũ được giữ trong thư mục backups.",
    )
    return 0
