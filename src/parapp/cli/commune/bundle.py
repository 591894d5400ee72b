"""``parapp bundle export``: pre-flight check, freeze a revision, write the signed bundle.

(``bundle verify``/``inspect`` are in :mod:`parapp.cli.verify`, ``bundle export-office`` in
:mod:`parapp.cli.office.upward_bundle`; :mod:`parapp.cli.root` groups them under ``bundle``.)
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from parapp.cli.common import (
    Settings,
    emit,
    global_options,
    open_ws,
    pass_settings,
    read_passphrase,
)
from parapp.cli.cycle_options import (
    UserError,
    cycle_emit,
    cycle_keypair,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.sign import PIN_ENV, signer_secret, signer_source
from parapp.cli.vietnamese import Command
from parapp.interchange.signing.signers import open_signer
from parapp.models.errors import ParAppError
from parapp.services import unit_keys
from parapp.services.commune import supplement as supplement_service
from parapp.services.commune.submission import export_bundle, preflight


@click.command("export", cls=Command, help="đóng gói, ký và ghi hồ sơ nộp")
@click.option("--out", required=True, help="tệp .zip hoặc thư mục")
@click.option("--approver", required=True, help="họ tên lãnh đạo phê duyệt")
@click.option(
    "--position", default="Chủ tịch UBND", show_default=True, help="chức vụ người phê duyệt"
)
@click.option(
    "--confirm-unscored",
    multiple=True,
    metavar="LĨNH_VỰC",
    help="xác nhận nộp khi lĩnh vực này còn tiêu chí chưa chấm điểm "
    "(mã lĩnh vực; nhiều mã cách nhau bằng dấu phẩy, hoặc lặp lại tùy chọn)",
)
@click.option(
    "--p12",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="ký thêm bằng chứng thư số của lãnh đạo: tệp PKCS#12 (.p12, .pfx)",
)
@click.option("--pkcs11-lib", help="… hoặc USB token: thư viện PKCS#11 (eTPKCS11.dll…)")
@click.option("--token-label", help="nhãn của token (khi cắm nhiều token)")
@click.option("--key-label", help="nhãn của khóa/chứng thư trên token")
@click.option(
    "--confirm-all-unscored",
    "confirm_all",
    is_flag=True,
    help="xác nhận nộp khi mọi lĩnh vực còn tiêu chí chưa chấm điểm",
)
@global_options
@pass_settings
def export(
    settings: Settings,
    out: str,
    approver: str,
    position: str,
    confirm_unscored: tuple[str, ...],
    confirm_all: bool,
    p12: Path | None,
    pkcs11_lib: str | None,
    token_label: str | None,
    key_label: str | None,
) -> int:
    confirm_unscored = tuple(  # "1,2" and repeated options alike
        area.strip() for value in confirm_unscored for area in value.split(",") if area.strip()
    )
    with open_ws(settings) as ws:
        check = preflight(ws, confirm_unscored=confirm_unscored, confirm_all_unscored=confirm_all)
        kp = unit_keys.unlock(ws, read_passphrase())
        with contextlib.ExitStack() as stack:
            official = None
            if p12 is not None or pkcs11_lib is not None:  # the legal CMS signature as well
                source = signer_source(pkcs11_lib, token_label, key_label, p12)
                what = "Mã PIN của USB token" if p12 is None else "Mật khẩu tệp chứng thư số"
                official = stack.enter_context(open_signer(source, signer_secret(PIN_ENV, what)))
            rev, result = export_bundle(
                ws, Path(out), kp, approver, position,
                confirm_unscored=confirm_unscored, confirm_all_unscored=confirm_all,
                x509_signer=official,
            )  # fmt: skip
    data = {
        "file": str(result.path),
        "revision": rev.revision,
        "sha256": result.sha256,
        "size": result.size,
        "key_fingerprint": result.key_fingerprint,
        "warnings": [
            {"code": p.code, "kind": p.kind, "message": p.message} for p in check.warnings
        ],
    }
    emit(
        settings,
        data,
        f"Đã ghi hồ sơ lần {rev.revision}: {result.path}\n"
        f"Mã băm SHA-256: {result.sha256}\nDấu vân tay khóa: {result.key_fingerprint}\n"
        f"Lưu ý: còn {len(check.warnings)} mục cần hoàn thiện (không chặn việc nộp).",
    )
    return 0


@click.command("supplement", cls=Command)
@click.option("--out", type=click.Path(path_type=Path), required=True, help="thư mục hoặc tệp")
@click.option("--approver", required=True, help="họ tên lãnh đạo ký duyệt")
@click.option("--position", default="Chủ tịch UBND", help="chức vụ người ký")
@click.option(
    "--confirm-unscored",
    multiple=True,
    metavar="LĨNH_VỰC",
    help="xác nhận nộp khi lĩnh vực này có tiêu chí mới bị bỏ trống điểm (so với lần nộp "
    "cấp trên đã thẩm định)",
)
@click.option(
    "--confirm-all-unscored", "confirm_all", is_flag=True, help="xác nhận cho mọi lĩnh vực"
)
@cycle_options
def bundle_supplement(
    out: Path,
    approver: str,
    position: str,
    confirm_unscored: tuple[str, ...],
    confirm_all: bool,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Nộp bổ sung: lần nộp mới, chỉ mang các tài liệu cấp trên chưa có."""
    areas = [a.strip() for value in confirm_unscored for a in value.split(",") if a.strip()]
    with cycle_workspace(data_dir) as ws:
        try:
            sent = supplement_service.export_supplement(
                ws, out, cycle_keypair(ws), approver, position,
                confirm_unscored=areas, confirm_all_unscored=confirm_all,
            )  # fmt: skip
        except ParAppError as e:
            raise UserError(str(e)) from None
    cycle_emit(
        as_json,
        {
            "file": str(sent.path),
            "full_file": str(sent.full_path),
            "revision": sent.revision,
            "base_revision": sent.base_revision,
            "carried": sent.carried,
            "omitted": list(sent.omitted),
        },
        f"Đã ghi hồ sơ bổ sung lần {sent.revision}: {sent.path} ({sent.carried} tài liệu mới; "
        f"{len(sent.omitted)} tài liệu cấp trên đã có từ lần {sent.base_revision}).",
    )
