"""CLI for legal (X.509) signatures: ``parapp sign``, ``parapp pdf verify``, ``parapp trust``.

``parapp sign`` lives here with what the other signature commands share (the key options,
:func:`sign_printed` for ``parapp print report … --sign``, output and folder helpers);
``parapp pdf verify`` is in :mod:`parapp.cli.pdf`, ``parapp trust`` in :mod:`parapp.cli.trust`.
The PIN or password comes from ``PARAPP_TOKEN_PIN`` or, at a terminal, from a hidden prompt;
it is never accepted as an option (it would end up in the shell history).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from parapp.cli.common import UserError as UserError
from parapp.cli.common import emit_json_or_text
from parapp.cli.vietnamese import Command
from parapp.interchange.signing.pdf import SignerDetails
from parapp.interchange.signing.signers import Pkcs11Source, Pkcs12Source, SignerSource
from parapp.models.errors import ParAppError
from parapp.services.x509_sign import SignRequest, sign_pdf_file

PIN_ENV = "PARAPP_TOKEN_PIN"
ORG_PIN_ENV = "PARAPP_ORG_TOKEN_PIN"


def signer_secret(env: str, what: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return str(click.prompt(what, hide_input=True))
    raise UserError(
        f"Cần {what.lower()}: nhập khi được hỏi, hoặc đặt biến môi trường {env} khi chạy tự động."
    )


def signer_source(
    lib: str | None, token: str | None, key: str | None, p12: Path | None
) -> SignerSource:
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
    click.option("--agency", default="", help="cơ quan, in trên chữ ký"),
    click.option("--seal", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                 help="ảnh con dấu (PNG), đặt trùm 1/3 bên trái chữ ký"),
    click.option("--org-p12", type=click.Path(path_type=Path, dir_okay=False, exists=True),
                 help="chứng thư số của cơ quan (PKCS#12) để ký thêm chữ ký tổ chức"),
    click.option("--timestamp-url", help="máy chủ cấp dấu thời gian (PAdES B-T)"),
)  # fmt: skip
# The keyword names :func:`key_options` adds: a command that also has its own options picks
# these out of its ``**kwargs`` for :func:`sign_printed`.
KEY_OPTION_NAMES = (
    *("pkcs11_lib", "token_label", "key_label", "p12", "position", "agency", "seal"),
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
    source = signer_source(options.get("pkcs11_lib"), options.get("token_label"),
                     options.get("key_label"), p12)  # fmt: skip
    request = SignRequest(
        source=source,
        details=SignerDetails(options.get("position") or "", options.get("agency") or ""),
        seal_image=options.get("seal"),
        organisation=Pkcs12Source(org_p12) if org_p12 is not None else None,
        timestamp_url=options.get("timestamp_url"),
    )
    what = "Mã PIN của USB token" if p12 is None else "Mật khẩu tệp chứng thư số"
    secret = signer_secret(PIN_ENV, what)
    org_secret = signer_secret(ORG_PIN_ENV, "Mật khẩu chứng thư số của cơ quan") if org_p12 else ""
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
    emit_json_or_text(
        as_json,
        {"file": str(file), "out": str(out), "signers": names},
        f"Đã ký “{file.name}” → “{out}” (người ký: {', '.join(names)}).",
    )
