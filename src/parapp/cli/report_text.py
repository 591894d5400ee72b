"""``parapp report narrative show|set SECTION --text …|draft``: the report's own words.

A thin click group over :mod:`parapp.services.narrative` (the lead wires it under
``parapp report``); a user error comes out as one Vietnamese line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from parapp.models.errors import ParAppError
from parapp.models.narrative import SECTIONS, narrative_to_dict
from parapp.models.print_data import Narrative
from parapp.services import narrative as service
from parapp.services.paths import default_data_dir
from parapp.services.workspace import Workspace


@contextmanager
def _workspace(ctx: click.Context) -> Iterator[Workspace]:
    data_dir = ctx.obj.get("data_dir") if isinstance(ctx.obj, dict) else None
    try:
        ws = Workspace.open(Path(data_dir) if data_dir else default_data_dir())
    except ParAppError as err:
        raise click.ClickException(str(err)) from err
    try:
        yield ws
    except ParAppError as err:
        raise click.ClickException(str(err)) from err
    finally:
        ws.close()


def _echo(text: Narrative, only: str | None = None) -> None:
    values = narrative_to_dict(text)
    for key, title in SECTIONS.items():
        if only and key != only:
            continue
        click.echo(f"== {title} ({key}) ==")
        click.echo(values.get(key, "") or "(trống)")
        click.echo("")


@click.group("narrative")
@click.option("--data-dir", type=click.Path(file_okay=False), help="thư mục dữ liệu")
@click.pass_context
def narrative(ctx: click.Context, data_dir: str | None) -> None:
    """Phần lời văn của báo cáo: đánh giá chung, kết quả, tồn tại, nguyên nhân, giải pháp,
    kiến nghị."""
    ctx.ensure_object(dict)
    if data_dir:
        ctx.obj["data_dir"] = data_dir


@narrative.command("show")
@click.argument("section", required=False, type=click.Choice(list(SECTIONS)))
@click.pass_context
def show(ctx: click.Context, section: str | None) -> None:
    """In lời văn sẽ được in trong báo cáo (mục chưa viết lấy theo dự thảo của ứng dụng)."""
    with _workspace(ctx) as ws:
        _echo(service.report_narrative(ws), section)


@narrative.command("set")
@click.argument("section", type=click.Choice(list(SECTIONS)))
@click.option("--text", "text", help="nội dung mục")
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True), help="tệp UTF-8")
@click.pass_context
def set_text(ctx: click.Context, section: str, text: str | None, file: str | None) -> None:
    """Ghi nội dung một mục (nội dung trống: trở lại dự thảo của ứng dụng)."""
    if (text is None) == (file is None):
        raise click.UsageError("Hãy dùng đúng một trong hai: --text hoặc --file.")
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise click.ClickException(f"Không đọc được tệp “{file}” (UTF-8).") from err
    with _workspace(ctx) as ws:
        service.set_section(ws, section, text or "")
    click.echo(f"Đã lưu mục “{SECTIONS[section]}”.")


@narrative.command("draft")
@click.option("--save", is_flag=True, help="chép dự thảo vào các mục còn trống để sửa tiếp")
@click.pass_context
def draft(ctx: click.Context, save: bool) -> None:
    """In dự thảo ứng dụng đề xuất từ số liệu (tiêu chí chưa đạt, thiếu tài liệu…)."""
    with _workspace(ctx) as ws:
        if save:
            service.adopt_draft(ws)
            click.echo("Đã chép dự thảo vào các mục còn trống.")
            return
        _echo(service.draft(ws))
