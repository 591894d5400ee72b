"""``parapp evidence add|check``: evidence files attached to the criteria."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group


@click.command("add", cls=Command, help="gắn tệp vào tiêu chí")
@click.argument("code")
@click.argument("file")
@click.option("--ref")
@click.option("--note")
@global_options
@pass_settings
def add(settings: Settings, code: str, file: str, ref: str | None, note: str | None) -> int:
    with open_ws(settings) as ws:
        link = ws.add_evidence(code, Path(file), ref=ref or "", note=note or "")
    emit(
        settings,
        {
            "id": link.id,
            "sha256": link.sha256,
            "file_name": link.file_name,
            "size": link.size,
            "ref": link.ref,
        },
        f"Đã gắn “{link.file_name}” vào tiêu chí {code}.",
    )
    return 0


@click.command("check", cls=Command, help="kiểm tra các tệp đã lưu")
@global_options
@pass_settings
def check(settings: Settings) -> int:
    with open_ws(settings) as ws:
        problems = ws.check_evidence()
    emit(
        settings,
        [{"code": c, "file_name": f, "problem": p} for c, f, p in problems],
        lambda: (
            "\n".join(f"{c}: {f} — {p}" for c, f, p in problems)
            or "Mọi tài liệu kiểm chứng đều nguyên vẹn."
        ),
    )
    return 1 if problems else 0


evidence = Group("evidence", help="tài liệu kiểm chứng", commands=[add, check])
