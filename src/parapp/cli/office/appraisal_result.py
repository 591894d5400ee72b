"""``parapp appraisal export``: the signed appraisal result the office sends to a unit.

(The unit's side, ``appraisal import|show``, is in :mod:`parapp.cli.commune.appraisal_result`.)
"""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.cycle_options import (
    UserError,
    cycle_date,
    cycle_emit,
    cycle_keypair,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.vietnamese import Command
from parapp.models.errors import ParAppError
from parapp.models.review import (
    KIND_FINAL,
    KIND_LABELS,
    KIND_PARTIAL,
    KIND_PRELIMINARY,
    KIND_REOPEN,
)
from parapp.services.office import merge as merge_service
from parapp.services.office import review as review_service
from parapp.services.office.appraisal import default_period
from parapp.services.office.appraisal_result import export_appraisal


@click.command("export", cls=Command)
@click.argument("unit")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--preliminary", "kind", flag_value=KIND_PRELIMINARY, help="kết quả sơ bộ")
@click.option("--final", "kind", flag_value=KIND_FINAL, help="kết quả chính thức (khóa kỳ)")
@click.option("--reopen", "kind", flag_value=KIND_REOPEN, help="cho phép đơn vị sửa lại")
@click.option("--partial", "kind", flag_value=KIND_PARTIAL, help="kết quả của một thành viên")
@click.option("--deadline", help="hạn đơn vị trả lời (dd/mm/yyyy)")
@click.option("--approver", help="người ký (mặc định: cán bộ trong cài đặt)")
@click.option("--position", default="Trưởng phòng Nội vụ", help="chức vụ người ký")
@click.option("--member", default="", help="tên thành viên tổ thẩm định (--partial)")
@click.option("--period", help="kỳ đánh giá")
@cycle_options
def appraisal_export(
    unit: str,
    file: Path,
    kind: str | None,
    deadline: str | None,
    approver: str | None,
    position: str,
    member: str,
    period: str | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Ghi tệp kết quả thẩm định có chữ ký số của đơn vị UNIT."""
    with cycle_workspace(data_dir) as ws:
        try:
            signer = approver or ws.officer().get("name", "")
            kp = cycle_keypair(ws)
            if kind is None:
                result = export_appraisal(ws, unit, file, kp, signer, position, period)
            else:
                result = review_service.export_result(
                    ws, unit, file, kp, signer, kind, cycle_date(deadline), period, member
                )
        except ParAppError as e:
            raise UserError(str(e)) from None
    label = KIND_LABELS.get(kind or "", "Kết quả thẩm định")
    cycle_emit(
        as_json,
        {"file": str(result.path), "sha256": result.sha256, "kind": kind or ""},
        f"Đã ghi {label.lower()} của đơn vị {unit}: {result.path}",
    )


@click.command("reopen", cls=Command)
@click.argument("unit")
@click.option("--reason", required=True, help="lý do mở lại (bắt buộc)")
@click.option("--period", help="kỳ đánh giá")
@cycle_options
def appraisal_reopen(
    unit: str, reason: str, period: str | None, data_dir: Path | None, as_json: bool
) -> None:
    """Mở lại kỳ đánh giá đã có kết quả chính thức (sau đó gửi tệp --reopen cho đơn vị)."""
    with cycle_workspace(data_dir) as ws:
        try:
            review_service.reopen(ws, unit, reason, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    cycle_emit(
        as_json,
        {"unit": unit, "reopened": True},
        f"Đã mở lại kỳ đánh giá của đơn vị {unit}. Hãy gửi tệp “appraisal export {unit} "
        "TỆP --reopen” cho đơn vị.",
    )


@click.command("outstanding", cls=Command)
@click.option("--period", help="kỳ đánh giá (mặc định: kỳ mới nhất)")
@cycle_options
def appraisal_outstanding(period: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Các đơn vị còn nợ trả lời yêu cầu giải trình, bổ sung."""
    with cycle_workspace(data_dir) as ws:
        try:
            rows = review_service.outstanding(ws, period or default_period(ws))
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{r['unit_code']}\tyêu cầu {r['requests']}\tđã trả lời {r['answered']}\t"
        f"còn nợ {r['owing']}" + ("\tđã khóa" if r["locked"] else "")
        for r in rows
    ]
    cycle_emit(as_json, rows, "\n".join(lines) or "Chưa có yêu cầu nào.")


@click.command("merge", cls=Command)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--choose",
    multiple=True,
    help="giải quyết xung đột: ĐƠN_VỊ:MÃ=TÊN_THÀNH_VIÊN (lặp lại được)",
)
@cycle_options
def appraisal_merge(
    files: tuple[Path, ...], choose: tuple[str, ...], data_dir: Path | None, as_json: bool
) -> None:
    """Hợp nhất kết quả thẩm định của các thành viên; xung đột phải được chọn rõ ràng."""
    with cycle_workspace(data_dir) as ws:
        try:
            choices = merge_service.parse_choices(choose)
            report = merge_service.merge_partials(ws, list(files), choices)
        except ParAppError as e:
            raise UserError(str(e)) from None
    cycle_emit(as_json, report.to_dict(), "\n".join(report.lines()))
