"""``parapp pdf verify``: check the signatures of a PDF against the unit's trust store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parapp.cli.common import UserError, command_data_dir, emit_json_or_text
from parapp.cli.sign import data_dir_option, json_option
from parapp.cli.vietnamese import Command, Group
from parapp.interchange.signing.pdf import PdfVerifyResult, local_time_text
from parapp.models.errors import ParAppError
from parapp.services.x509_sign import verify_pdf_file


def _verify_text(result: PdfVerifyResult) -> str:
    lines = [f"Tệp: {result.path}"]
    for i, sig in enumerate(result.signatures, 1):
        yes = {True: "có", False: "không"}
        lines += [
            f"Chữ ký {i} ({sig.field}): {sig.signer}",
            f"  Chuỗi chứng thư: {' → '.join(sig.chain) or sig.issuer}",
            "  Thời điểm ký: "
            + (local_time_text(sig.signing_time) if sig.signing_time else "không rõ"),
            f"  Toàn vẹn: {yes[sig.intact]}; được tin cậy: {yes[sig.trusted]}; "
            f"sửa sau khi ký: {yes[sig.modified_after_signing]}",
            f"  {sig.message}",
        ]
    lines.append(("HỢP LỆ. " if result.ok else "KHÔNG HỢP LỆ. ") + result.message)
    return "\n".join(lines)


@click.command("verify", cls=Command)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@data_dir_option
@json_option
def pdf_verify_command(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Kiểm tra chữ ký số của tệp PDF theo kho chứng thư tin cậy của đơn vị."""
    try:
        result = verify_pdf_file(command_data_dir(data_dir), file)
    except ParAppError as err:
        raise UserError(str(err)) from err
    emit_json_or_text(as_json, result.to_dict(), _verify_text(result))
    if not result.ok:
        sys.exit(1)


@click.group("pdf", cls=Group)
def pdf_group() -> None:
    """Tệp PDF: kiểm tra chữ ký số."""


pdf_group.add_command(pdf_verify_command)
