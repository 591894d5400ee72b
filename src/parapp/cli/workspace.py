"""``parapp init``, ``parapp backup``, ``parapp restore``: set up and move a whole workspace."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.units import parse_level
from parapp.cli.vietnamese import Command
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_catalogue
from parapp.services.defaults import install_defaults
from parapp.storage.backup import backup_workspace, restore_workspace


def _unit_for(code: str, name: str | None) -> tuple[Unit, Unit | None]:
    """The unit ``code`` names (catalogue entry, else a hand-entered one) and its parent."""
    entry = unit_catalogue.lookup(code)
    if entry is None:
        if not name:
            raise ParAppError(
                f"Mã “{code}” không có trong danh mục đơn vị hành chính; "
                "hãy nhập thêm --name (và --level, --parent) để tạo đơn vị tự nhập."
            )
        return Unit(code, name, UnitLevel.COMMUNE, None), None
    unit = entry.to_unit()
    parent: Unit | None = None
    if entry.level is UnitLevel.COMMUNE:
        province = unit_catalogue.lookup(entry.province_code)
        parent = province.to_unit() if province else None
    if name:
        unit = Unit(unit.code, name, unit.level, unit.parent_code, unit.province)
    return unit, parent


@click.command("init", cls=Command, help="thiết lập đơn vị của không gian làm việc")
@click.option("--unit", "code", required=True, help="mã đơn vị (mã hành chính hoặc mã tự đặt)")
@click.option("--name")
@click.option("--level")
@click.option("--parent")
@global_options
@pass_settings
def init(
    settings: Settings, code: str, name: str | None, level: str | None, parent: str | None
) -> int:
    unit, parent_unit = _unit_for(code, name)
    if level:
        unit = Unit(unit.code, unit.name, parse_level(level), unit.parent_code, unit.province)
    if parent:
        unit = Unit(unit.code, unit.name, unit.level, parent, unit.province)
        p_entry = unit_catalogue.lookup(parent)
        parent_unit = p_entry.to_unit() if p_entry else None
    with open_ws(settings) as ws:
        if parent_unit is None and unit.parent_code and ws.units.find(unit.parent_code) is None:
            parent_unit = Unit(unit.parent_code, unit.parent_code, UnitLevel.DISTRICT)
        ws.set_own_unit(unit, parent_unit)
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
