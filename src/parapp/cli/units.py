"""``parapp units search|add|list|lineage|edit``: the catalogue of administrative units (with
its 2025 lineage) and the units of the workspace."""

from __future__ import annotations

from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group, Integer
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_admin, unit_catalogue


def parse_level(text: str) -> UnitLevel:
    """A level typed by the user ("xã", "huyện", "district"...)."""
    try:
        return UnitLevel.parse(text)
    except ValueError:
        raise ParAppError(f"Cấp “{text}” không hợp lệ (dùng: tỉnh, huyện, xã, cơ quan).") from None


def unit_dict(u: Unit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "level": u.level.value,
        "parent_code": u.parent_code,
        "province": u.province,
    }


@click.command("search", cls=Command, help="tìm đơn vị trong danh mục (không dấu cũng được)")
@click.argument("text")
@click.option("--limit", type=Integer(), default=20, show_default=True)
@global_options
@pass_settings
def search(settings: Settings, text: str, limit: int) -> int:
    hits = unit_catalogue.search(text, limit=limit)
    emit(
        settings,
        [e.to_dict() for e in hits],
        lambda: "\n".join(e.display for e in hits) or "Không tìm thấy đơn vị nào.",
    )
    return 0


@click.command("add", cls=Command, help="thêm đơn vị (mã trong danh mục hoặc tự nhập)")
@click.argument("code")
@click.option("--name", help="tên (lấy từ danh mục khi mã có trong danh mục)")
@click.option("--level")
@click.option("--parent")
@global_options
@pass_settings
def add(
    settings: Settings, code: str, name: str | None, level: str | None, parent: str | None
) -> int:
    with open_ws(settings) as ws:
        unit = unit_admin.add_unit(ws, code, name=name, level=level, parent=parent)
    emit(settings, unit_dict(unit), f"Đã thêm đơn vị {unit.display}.")
    return 0


@click.command(
    "lineage", cls=Command, help="nguồn gốc và nơi sáp nhập của một đơn vị (đợt 01/07/2025)"
)
@click.argument("code")
@global_options
@pass_settings
def lineage(settings: Settings, code: str) -> int:
    """CODE: mã đơn vị hiện hành (ví dụ 48, 20557) hoặc mã đơn vị cũ (old-49, old-20560)."""
    found = unit_catalogue.lineage(code)
    emit(settings, found.to_dict(), lambda: "\n".join(found.lines()))
    return 0


@click.command("edit", cls=Command, help="sửa tên, cấp hoặc đơn vị cấp trên của một đơn vị")
@click.argument("code")
@click.option("--name", help="tên mới")
@click.option("--level", help="cấp mới: tỉnh, huyện, xã, cơ quan")
@click.option("--parent", help='mã đơn vị cấp trên mới ("" để bỏ)')
@click.option("--parent-name", help="tên đơn vị cấp trên khi mã không có trong danh mục")
@global_options
@pass_settings
def edit(
    settings: Settings,
    code: str,
    name: str | None,
    level: str | None,
    parent: str | None,
    parent_name: str | None,
) -> int:
    with open_ws(settings) as ws:
        unit = unit_admin.edit_unit(
            ws, code, name=name, level=level, parent=parent, parent_name=parent_name
        )
    emit(
        settings,
        unit_dict(unit),
        f"Đã sửa đơn vị {unit.display}, {unit.level.label.lower()}.",
    )
    return 0


@click.command("list", cls=Command, help="liệt kê đơn vị trong dữ liệu")
@global_options
@pass_settings
def list_units(settings: Settings) -> int:
    with open_ws(settings) as ws:
        own = ws.own_unit()
        units = ws.units.all()
    rows = [unit_dict(u) | {"own": own is not None and u.code == own.code} for u in units]
    emit(
        settings,
        rows,
        lambda: (
            "\n".join(
                f"{'*' if r['own'] else ' '} {r['code']:>8}  {r['name']}  "
                f"({UnitLevel(r['level']).label})"
                for r in rows
            )
            or "Chưa có đơn vị nào."
        ),
    )
    return 0


units = Group("units", help="đơn vị hành chính", commands=[search, add, list_units, lineage, edit])
