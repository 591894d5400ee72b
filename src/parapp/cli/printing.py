"""``parapp print KIND --out FILE.pdf``: the official A4 documents, of both sides (the
commune's form, report and tasks; the office's ranking and appraisal)."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Choice, Command
from parapp.services import office_printing, printing

_LABELS = {
    "blank-form": "phiếu tự đánh giá (để trống)",
    "report": "báo cáo kết quả tự đánh giá",
    "tasks": "danh sách nhiệm vụ",
    "ranking": "bảng xếp hạng",
    "appraisal": "kết quả thẩm định",
}


@click.command("print", cls=Command, help="in biểu mẫu, báo cáo ra tệp PDF khổ A4")
@click.argument("kind", type=Choice(printing.KINDS), help="loại tài liệu")
@click.argument("unit", required=False, help="mã đơn vị (với appraisal)")
@click.option("--out", required=True, help="tệp PDF")
@click.option("--framework", help="mã bộ chỉ số (với blank-form)")
@click.option("--plan", help="mã kế hoạch (với tasks)")
@click.option("--period", help="kỳ đánh giá (với ranking, appraisal)")
@click.option("--approver", help="họ tên người ký duyệt (với report)")
@click.option("--position", help="chức vụ người ký duyệt (với report)")
@global_options
@pass_settings
def print_document(
    settings: Settings,
    kind: str,
    unit: str | None,
    out: str,
    framework: str | None,
    plan: str | None,
    period: str | None,
    approver: str | None,
    position: str | None,
) -> int:
    target = Path(out)
    if kind == "appraisal" and not unit:
        raise click.UsageError("in kết quả thẩm định cần mã đơn vị: parapp print appraisal UNIT")
    with open_ws(settings) as ws:
        if kind == "blank-form":
            printing.print_blank_form(ws, target, framework)
        elif kind == "report":
            printing.print_report(ws, target, approver or "", position or "")
        elif kind == "tasks":
            printing.print_tasks(ws, target, plan)
        elif kind == "ranking":
            office_printing.print_ranking(ws, target, period)
        elif kind == "appraisal" and unit:
            office_printing.print_appraisal(ws, unit, target, period)
    emit(settings, {"kind": kind, "file": str(target)}, f"Đã in {_LABELS[kind]} ra {target}.")
    return 0
