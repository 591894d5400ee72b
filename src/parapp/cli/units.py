"""``parapp units search|add|list``: the catalogue of administrative units and the workspace's."""

from __future__ import annotations

from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group, Integer
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_catalogue


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
        [
            {
                "code": e.code,
                "name": e.name,
                "kind": e.kind,
                "province_code": e.province_code,
                "province_name": e.province_name,
            }
            for e in hits
        ],
        lambda: "\n".join(e.display for e in hits) or "Không tìm thấy đơn vị nào.",
    )
    return 0


@click.command("add", cls=Command, help="thêm đơn vị tự nhập")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--level")
@click.option("--parent", required=True)
@global_options
@pass_settings
def add(settings: Settings, code: str, name: str, level: str | None, parent: str) -> int:
    unit = Unit(code, name, parse_level(level or "xã"), parent)
    with open_ws(settings) as ws:
        ws.add_unit(unit)
    emit(settings, unit_dict(unit), f"Đã thêm đơn vị {unit.display}.")
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


units = Group("units", help="đơn vị hành chính", commands=[search, add, list_units])
