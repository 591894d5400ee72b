"""``parapp print KIND --out FILE.pdf``: the official A4 documents, of both sides (the
commune's form, report and tasks; the office's ranking and appraisal), as PDF or as an
editable .docx, optionally signed with the official's certificate in the same step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.sign import KEY_OPTION_NAMES, key_options, sign_printed
from parapp.cli.vietnamese import Choice, Command
from parapp.models.errors import ParAppError
from parapp.services import documents
from parapp.services.commune import printing
from parapp.services.office import printing as office_printing

_LABELS = {
    "blank-form": "phiếu tự đánh giá (để trống)",
    "report": "báo cáo kết quả tự đánh giá",
    "tasks": "danh sách nhiệm vụ",
    "ranking": "bảng xếp hạng",
    "appraisal": "kết quả thẩm định",
}


@click.command("print", cls=Command, help="in biểu mẫu, báo cáo ra tệp PDF (hoặc DOCX) khổ A4")
@click.argument("kind", type=Choice(documents.KINDS), help="loại tài liệu")
@click.argument("unit", required=False, help="mã đơn vị (với appraisal)")
@click.option("--out", required=True, help="tệp PDF (hoặc DOCX)")
@click.option("--format", "fmt", type=Choice(documents.FORMATS), help="pdf (mặc định) hoặc docx")
@click.option("--framework", help="mã bộ chỉ số (với blank-form)")
@click.option("--plan", help="mã kế hoạch (với tasks)")
@click.option("--period", help="kỳ đánh giá (với ranking, appraisal)")
@click.option("--approver", help="họ tên người ký")
@click.option("--number", help="số văn bản (12 hoặc 12/BC-UBND); để trống để ghi tay")
@click.option("--date", "date_text", help="ngày ban hành dd/mm/yyyy; để trống để ghi tay")
@click.option("--place", help="địa danh ghi trước ngày tháng")
@click.option("--recipient", multiple=True, help="một nơi nhận (lặp lại cho nhiều nơi)")
@click.option("--sign", "sign_it", is_flag=True, help="ký số tệp PDF ngay sau khi in")
@key_options  # --position here is the signer's position, shared by the document and the stamp
@global_options
@pass_settings
def print_document(
    settings: Settings,
    /,
    kind: str,
    unit: str | None,
    out: str,
    fmt: str | None,
    framework: str | None,
    plan: str | None,
    period: str | None,
    approver: str | None,
    number: str | None,
    date_text: str | None,
    place: str | None,
    recipient: tuple[str, ...],
    sign_it: bool,
    **key: Any,
) -> int:
    if kind == "appraisal" and not unit:
        raise click.UsageError("in kết quả thẩm định cần mã đơn vị: parapp print appraisal UNIT")
    target = documents.output_path(Path(out), fmt or "")
    if sign_it and target.suffix.lower() != ".pdf":
        raise ParAppError("Chỉ ký số được tệp PDF; bỏ --format docx hoặc bỏ --sign.")
    options = documents.document_options(
        number=number or "",
        date_text=date_text or "",
        place=place or "",
        recipients=list(recipient),
        approver=approver or "",
        position=str(key.get("position") or ""),
    )
    with open_ws(settings) as ws:
        if kind == "blank-form":
            printing.print_blank_form(ws, target, framework, options)
        elif kind == "report":
            printing.print_report(ws, target, options=options)
        elif kind == "tasks":
            printing.print_tasks(ws, target, plan, options=options)
        elif kind == "ranking":
            office_printing.print_ranking(ws, target, period, options=options)
        elif kind == "appraisal" and unit:
            office_printing.print_appraisal(ws, unit, target, period, options=options)
    signers: list[str] = []
    if sign_it:
        signers = sign_printed(target, target, **{k: key[k] for k in KEY_OPTION_NAMES})
    emit(
        settings,
        {"kind": kind, "file": str(target), "signers": signers},
        f"Đã in {_LABELS[kind]} ra {target}."
        + (f" Đã ký số: {', '.join(signers)}." if signers else ""),
    )
    return 0
