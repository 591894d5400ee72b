"""``parapp print KIND --out FILE.pdf``: the official A4 documents."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parapp.cli import _EXTENSIONS, UsageError, command, emit, open_ws
from parapp.services import printing

_LABELS = {
    "blank-form": "phiếu tự đánh giá (để trống)",
    "report": "báo cáo kết quả tự đánh giá",
    "tasks": "danh sách nhiệm vụ",
    "ranking": "bảng xếp hạng",
    "appraisal": "kết quả thẩm định",
}


def _office_printing() -> Any:
    """The receiving office's print functions (ranking, appraisal), in their own module."""
    return importlib.import_module("parapp.services.office_printing")


@command("print")
def cmd_print(args: argparse.Namespace) -> int:
    out = printing.output_path(Path(args.out), args.format or "")
    options = printing.document_options(
        number=args.number or "",
        date_text=args.date or "",
        place=args.place or "",
        recipients=args.recipient or [],
        approver=args.approver or "",
        position=args.position or "",
    )
    with open_ws(args) as ws:
        if args.kind == "blank-form":
            printing.print_blank_form(ws, out, args.framework, options)
        elif args.kind == "report":
            printing.print_report(ws, out, options=options)
        elif args.kind == "tasks":
            printing.print_tasks(ws, out, args.plan, options=options)
        elif args.kind == "ranking":
            _office_printing().print_ranking(ws, out, args.period, options=options)
        elif args.kind == "appraisal":
            if not args.unit:
                raise UsageError("in kết quả thẩm định cần mã đơn vị: parapp print appraisal UNIT")
            _office_printing().print_appraisal(ws, args.unit, out, args.period, options=options)
    emit(args, {"kind": args.kind, "file": str(out)}, f"Đã in {_LABELS[args.kind]} ra {out}.")
    return 0


def _register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    s = add(sub, "print", "print", "in biểu mẫu, báo cáo ra tệp PDF khổ A4")
    s.add_argument("kind", choices=printing.KINDS, help="loại tài liệu")
    s.add_argument("unit", nargs="?", help="mã đơn vị (với appraisal)")
    s.add_argument("--out", required=True, help="tệp PDF (hoặc DOCX)")
    s.add_argument("--format", choices=printing.FORMATS, help="pdf (mặc định) hoặc docx")
    s.add_argument("--framework", help="mã bộ chỉ số (với blank-form)")
    s.add_argument("--plan", help="mã kế hoạch (với tasks)")
    s.add_argument("--period", help="kỳ đánh giá (với ranking, appraisal)")
    s.add_argument("--approver", help="họ tên người ký")
    s.add_argument("--position", help="chức vụ người ký (Chủ tịch, Phó Chủ tịch, Giám đốc…)")
    s.add_argument("--number", help="số văn bản (12 hoặc 12/BC-UBND); để trống để ghi tay")
    s.add_argument("--date", help="ngày ban hành dd/mm/yyyy; để trống để ghi tay")
    s.add_argument("--place", help="địa danh ghi trước ngày tháng")
    s.add_argument("--recipient", action="append", help="một nơi nhận (lặp lại cho nhiều nơi)")


_EXTENSIONS.append(_register)
