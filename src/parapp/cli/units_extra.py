"""``parapp units lineage`` and ``parapp units edit`` (click commands, wired under ``units``).

Thin: the logic is in :mod:`parapp.services.unit_catalogue` (lineage) and
:mod:`parapp.services.unit_admin` (correcting a unit).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

import click

from parapp.models.errors import ParAppError
from parapp.services import unit_admin, unit_catalogue
from parapp.services.paths import default_data_dir
from parapp.services.workspace import Workspace


class UserError(click.ClickException):
    """A :class:`ParAppError` shown in Vietnamese, exit status 1, no traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


@click.command("lineage")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="in JSON")
def lineage(code: str, as_json: bool) -> None:
    """Nguồn gốc và nơi sáp nhập của một đơn vị (đợt sắp xếp 01/07/2025).

    CODE: mã đơn vị hiện hành (ví dụ 48, 20557) hoặc mã đơn vị cũ (old-49, old-20560).
    """
    try:
        found = unit_catalogue.lineage(code)
    except ParAppError as e:
        raise UserError(str(e)) from None
    click.echo(_json(found.to_dict()) if as_json else "\n".join(found.lines()))


@click.command("edit")
@click.argument("code")
@click.option("--name", help="tên mới")
@click.option("--level", help="cấp mới: tỉnh, huyện, xã, cơ quan")
@click.option("--parent", help='mã đơn vị cấp trên mới ("" để bỏ)')
@click.option("--parent-name", help="tên đơn vị cấp trên khi mã không có trong danh mục")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="in JSON")
def edit(
    code: str,
    name: str | None,
    level: str | None,
    parent: str | None,
    parent_name: str | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Sửa tên, cấp hoặc đơn vị cấp trên của một đơn vị trong dữ liệu."""
    try:
        with Workspace.open(data_dir or default_data_dir()) as ws:
            unit = unit_admin.edit_unit(
                ws, code, name=name, level=level, parent=parent, parent_name=parent_name
            )
    except ParAppError as e:
        raise UserError(str(e)) from None
    if as_json:
        click.echo(_json(unit.__dict__ | {"level": unit.level.value}))
    else:
        click.echo(f"Đã sửa đơn vị {unit.display}, {unit.level.label.lower()}.")
