"""CLI for legal (X.509) signatures: ``parapp sign``, ``parapp pdf verify``, ``parapp trust``.

Exported click objects (wired by the CLI package): :data:`sign_command`,
:data:`pdf_group` (holding :data:`pdf_verify_command`) and :data:`trust_group`; for
``parapp print report … --sign``, the :func:`key_options` decorator and :func:`sign_printed`.
The PIN or password comes from ``PARAPP_TOKEN_PIN`` or, at a terminal, from a hidden prompt;
it is never accepted as an option (it would end up in the shell history).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from parapp.cli.common import Settings
from parapp.cli.vietnamese import Command, Group
from parapp.interchange.signing.pdf import PdfVerifyResult, SignerDetails, local_time_text
from parapp.interchange.signing.signers import Pkcs11Source, Pkcs12Source, SignerSource
from parapp.models.errors import ParAppError
from parapp.services.paths import default_data_dir
from parapp.services.x509_sign import SignRequest, sign_pdf_file, verify_pdf_file
from parapp.services.x509_trust import add_certificates, add_crl, list_trust

PIN_ENV = "PARAPP_TOKEN_PIN"
ORG_PIN_ENV = "PARAPP_ORG_TOKEN_PIN"


class UserError(click.ClickException):
    """A :class:`ParAppError` shown as ``Lỗi: …`` (Vietnamese), exit status 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Lỗi: {self.message}", err=True)


def _workspace_dir(data_dir: Path | None) -> Path:
    """This command's ``--data-dir``, else the one given before the command (``parapp
    --data-dir X trust list``), else ``PARAPP_DATA_DIR`` / the per-user folder."""
    if data_dir is not None:
        return data_dir
    ctx = click.get_current_context(silent=True)
    settings = ctx.find_object(Settings) if ctx is not None else None
    return settings.resolved_data_dir() if settings is not None else default_data_dir()


def _wants_json(as_json: bool) -> bool:
    ctx = click.get_current_context(silent=True)
    settings = ctx.find_object(Settings) if ctx is not None else None
    return as_json or (settings is not None and settings.json)


def _emit(as_json: bool, data: dict[str, Any], text: str) -> None:
    if _wants_json(as_json):
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(text)


def _secret(env: str, what: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return str(click.prompt(what, hide_input=True))
    raise UserError(
        f"Cần {what.lower()}: nhập khi được hỏi, hoặc đặt biến môi trường {env} khi chạy tự động."
    )


def _source(lib: str | None, token: str | None, key: str | None, p12: Path | None) -> SignerSource:
    if (lib is None) == (p12 is None):
        raise UserError("Chọn đúng một nguồn khóa: --pkcs11-lib (USB token) hoặc --p12 (tệp).")
    if p12 is not None:
        return Pkcs12Source(p12)
    assert lib is not None
    return Pkcs11Source(lib, token, key)


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="thư mục dữ liệu (mặc định: PARAPP_DATA_DIR hoặc thư mục người dùng)",
)
json_option = click.option("--json", "as_json", is_flag=True, help="in kết quả dạng JSON")


F = TypeVar("F", bound=Callable[..., Any])

_KEY_OPTIONS = (
    click.option("--pkcs11-lib", help="thư viện PKCS#11 của token (eTPKCS11.dll, bit4xpki.dll…)"),
    click.option("--token-label", help="nhãn của token (khi cắm nhiều token)"),
    click.option("--key-label", help="nhãn của khóa/chứng thư trên token"),
    click.option("--p12", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                 help="tệp chứng thư số PKCS#12 (.p12, .pfx)"),
    click.option("--position", default="", help="chức vụ người ký, in trên chữ ký"),
    click.option("--unit", default="", help="cơ quan, in trên chữ ký"),
    click.option("--seal", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                 help="ảnh con dấu (PNG), đặt trùm 1/3 bên trái chữ ký"),
    click.option("--org-p12", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                 help="chứng thư số của cơ quan (PKCS#12) để ký thêm chữ ký tổ chức"),
    click.option("--timestamp-url", help="máy chủ cấp dấu thời gian (PAdES B-T)"),
)  # fmt: skip
# The keyword names :func:`key_options` adds: a command that also has its own options picks
# these out of its ``**kwargs`` for :func:`sign_printed`.
KEY_OPTION_NAMES = (
    *("pkcs11_lib", "token_label", "key_label", "p12", "position", "unit", "seal"),
    *("org_p12", "timestamp_url"),
)


def key_options(command: F) -> F:
    """The options that choose the key and what the signature shows; shared by
    ``parapp sign`` and ``parapp print report --sign`` (see :func:`sign_printed`)."""
    for option in reversed(_KEY_OPTIONS):
        command = option(command)
    return command


def sign_printed(src: Path, out: Path, **options: Any) -> list[str]:
    """Sign ``src`` into ``out`` with the :func:`key_options` values (their keyword names);
    the PIN or password is asked or read from the environment. Returns the signers' names.

    For ``print report --sign``: print to ``out``, then ``sign_printed(out, out, **opts)``.
    """
    p12 = options.get("p12")
    org_p12 = options.get("org_p12")
    source = _source(options.get("pkcs11_lib"), options.get("token_label"),
                     options.get("key_label"), p12)  # fmt: skip
    request = SignRequest(
        source=source,
        details=SignerDetails(options.get("position") or "", options.get("unit") or ""),
        seal_image=options.get("seal"),
        organisation=Pkcs12Source(org_p12) if org_p12 is not None else None,
        timestamp_url=options.get("timestamp_url"),
    )
    what = "Mã PIN của USB token" if p12 is None else "Mật khẩu tệp chứng thư số"
    secret = _secret(PIN_ENV, what)
    org_secret = _secret(ORG_PIN_ENV, "Mật khẩu chứng thư số của cơ quan") if org_p12 else ""
    try:
        return sign_pdf_file(src, out, request, secret, org_secret)
    except ParAppError as err:
        raise UserError(str(err)) from err


@click.command("sign", cls=Command)
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="tệp PDF đã ký (có thể trùng FILE)")  # fmt: skip
@key_options
@json_option
def sign_command(file: Path, out: Path, as_json: bool, **options: Any) -> None:
    """Ký số tệp PDF bằng chứng thư số (USB token hoặc tệp PKCS#12), chuẩn PAdES."""
    names = sign_printed(file, out, **options)
    _emit(
        as_json,
        {"file": str(file), "out": str(out), "signers": names},
        f"Đã ký “{file.name}” → “{out}” (người ký: {', '.join(names)}).",
    )


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
        result = verify_pdf_file(_workspace_dir(data_dir), file)
    except ParAppError as err:
        raise UserError(str(err)) from err
    _emit(as_json, result.to_dict(), _verify_text(result))
    if not result.ok:
        sys.exit(1)


@click.group("pdf", cls=Group)
def pdf_group() -> None:
    """Tệp PDF: kiểm tra chữ ký số."""


pdf_group.add_command(pdf_verify_command)


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
        added = add_certificates(_workspace_dir(data_dir), file)
    except ParAppError as err:
        raise UserError(str(err)) from err
    names = ", ".join(f"“{e.subject}”" for e in added)
    _emit(
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
        added = add_crl(_workspace_dir(data_dir), file)
    except ParAppError as err:
        raise UserError(str(err)) from err
    text = "; ".join(f"CRL của “{e.issuer}”, {e.revoked_count} chứng thư bị thu hồi" for e in added)
    _emit(
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
        listing = list_trust(_workspace_dir(data_dir))
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
    _emit(as_json, listing.to_dict(), "\n".join(lines) or "Kho tin cậy chưa có chứng thư nào.")
