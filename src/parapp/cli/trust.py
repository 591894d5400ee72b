"""``parapp trust add-cert|add-crl|list``: the unit's store of trusted X.509 certificates."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import UserError, command_data_dir, emit_json_or_text
from parapp.cli.sign import data_dir_option, json_option
from parapp.cli.vietnamese import Command, Group
from parapp.models.errors import ParAppError
from parapp.services.x509_trust import add_certificates, add_crl, list_trust


@click.group("trust", cls=Group)
def trust_group() -> None:
    """Kho chứng thư số tin cậy của đơn vị (chứng thư gốc, trung gian, CRL)."""


@trust_group.command("add-cert", cls=Command)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@data_dir_option
@json_option
def trust_add_cert(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Nhập chứng thư gốc/trung gian của tổ chức chứng thực (PEM hoặc DER)."""
    try:
        added = add_certificates(command_data_dir(data_dir), file)
    except ParAppError as err:
        raise UserError(str(err)) from err
    names = ", ".join(f"“{e.subject}”" for e in added)
    emit_json_or_text(
        as_json,
        {"added": [e.to_dict() for e in added]},
        f"Đã nhập {len(added)} chứng thư: {names}." if added else "Chứng thư đã có trong kho.",
    )


@trust_group.command("add-crl", cls=Command)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@data_dir_option
@json_option
def trust_add_crl(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Nhập danh sách chứng thư bị thu hồi (CRL) để kiểm tra khi không có mạng."""
    try:
        added = add_crl(command_data_dir(data_dir), file)
    except ParAppError as err:
        raise UserError(str(err)) from err
    text = "; ".join(f"CRL của “{e.issuer}”, {e.revoked_count} chứng thư bị thu hồi" for e in added)
    emit_json_or_text(
        as_json,
        {"added": [e.to_dict() for e in added]},
        f"Đã nhập: {text}." if added else "Danh sách thu hồi đã có trong kho.",
    )


@trust_group.command("list", cls=Command)
@data_dir_option
@json_option
def trust_list(data_dir: Path | None, as_json: bool) -> None:
    """Liệt kê chứng thư và CRL trong kho tin cậy."""
    try:
        listing = list_trust(command_data_dir(data_dir))
    except ParAppError as err:
        raise UserError(str(err)) from err
    lines = []
    for c in listing.certificates:
        kind = "gốc" if c.is_root else "trung gian"
        state = " (HẾT HẠN)" if c.expired else ""
        lines.append(
            f"[{kind}] {c.subject} — cấp bởi {c.issuer}, hiệu lực đến "
            f"{c.not_after.strftime('%d/%m/%Y')}{state} — {c.fingerprint[:16]}"
        )
    for r in listing.crls:
        until = r.next_update.strftime("%d/%m/%Y") if r.next_update else "?"
        lines.append(f"[CRL] {r.issuer} — {r.revoked_count} thu hồi, cập nhật tiếp {until}")
    emit_json_or_text(
        as_json, listing.to_dict(), "\n".join(lines) or "Kho tin cậy chưa có chứng thư nào."
    )
