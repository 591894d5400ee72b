"""``parapp framework publish``: the receiving office issues a framework as one signed file.

(The shared commands and the unit's side, ``framework import FILE.zip``, are in
:mod:`parapp.cli.framework`; this module holds what only the office does.)
"""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import (
    Settings,
    date_arg,
    emit,
    global_options,
    open_ws,
    pass_settings,
    read_passphrase,
)
from parapp.cli.vietnamese import Command
from parapp.models.consolidation import parse_thresholds
from parapp.models.errors import ParAppError
from parapp.models.units import UnitLevel
from parapp.services import unit_keys
from parapp.services.framework_package import level_phrase
from parapp.services.office.publishing import publish_for_period


def _level(text: str) -> UnitLevel:
    try:
        return UnitLevel.parse(text)
    except ValueError as err:
        raise ParAppError(
            f"Cấp áp dụng “{text}” không hợp lệ; dùng: xã (xã, phường), sở (sở, ngành), "
            "huyện hoặc tỉnh."
        ) from err


@click.command("publish", cls=Command, help="ban hành gói bộ chỉ số có chữ ký số cho cấp dưới")
@click.argument("framework_id", metavar="ID")
@click.option("--out", "out", required=True, help="tệp gói (.zip) hoặc thư mục để ghi")
@click.option("--period", required=True, help="kỳ đánh giá, ví dụ 2025")
@click.option("--level", required=True, help="cấp áp dụng: xã (xã, phường), sở (sở, ngành)…")
@click.option("--deadline", help="hạn nộp hồ sơ tự đánh giá (dd/mm/yyyy)")
@click.option("--plan", "plan_id", help="mã kế hoạch nhiệm vụ gửi kèm (xem “tasks list”)")
@click.option(
    "--bands",
    help="mức xếp loại, ví dụ “Xuất sắc=90, Tốt=80, Khá=70, Trung bình=50, Yếu=0” "
    "(mặc định: mức đang dùng để xếp hạng)",
)
@click.option("--approver", help="người ký ban hành (mặc định: cán bộ trong cài đặt)")
@click.option("--position", default="", help="chức vụ người ký")
@click.option("--note", default="", help="ghi chú gửi kèm (số, ngày quyết định…)")
@global_options
@pass_settings
def publish(
    settings: Settings,
    framework_id: str,
    out: str,
    period: str,
    level: str,
    deadline: str | None,
    plan_id: str | None,
    bands: str | None,
    approver: str | None,
    position: str,
    note: str,
) -> int:
    """The office's rating bands and the period's deadline become the published ones, so
    what the office ranks and counts by is what its units were told."""
    when = date_arg(deadline) if deadline else None
    with open_ws(settings) as ws:
        applies_to = _level(level)
        signer = approver or ws.officer().get("name", "")
        if not signer.strip():
            raise ParAppError(
                "Chưa có họ tên người ký ban hành gói bộ chỉ số: dùng --approver “HỌ TÊN”."
            )
        if bands:
            parse_thresholds(bands)  # refused before the passphrase is asked
        kp = unit_keys.unlock(ws, read_passphrase())
        result = publish_for_period(
            ws, framework_id, Path(out), kp,
            period=period, level=applies_to, approver=signer, approver_position=position,
            deadline=when, bands_text=bands, plan_id=plan_id, note=note,
        )  # fmt: skip
    lines = [
        f"Đã ban hành bộ chỉ số {result.framework_id} cho kỳ {result.period} (lần "
        f"{result.revision}), áp dụng cho {level_phrase(result.level)}: {result.path}",
        f"Mã bộ chỉ số: {result.framework_hash[:12]}; khóa ký: {result.fingerprint}.",
    ]
    if result.tasks:
        lines.append(f"Kèm kế hoạch {plan_id}: {result.tasks} nhiệm vụ.")
    if result.level_set:
        lines.append(f"Cấp áp dụng của bộ chỉ số {result.framework_id} đã được ghi lại.")
    emit(settings, result.as_dict(), "\n".join(lines))
    return 0
