"""``parapp keys …`` and ``parapp bundle …``: unit keys, submission and verification."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parapp.cli import _EXTENSIONS, command, emit, open_ws
from parapp.models.errors import ParAppError
from parapp.services import unit_keys
from parapp.services.paths import default_data_dir


def read_passphrase(prompt: str = "Mật khẩu khóa ký: ", *, confirm: bool = False) -> str:
    """``PARAPP_PASSPHRASE`` when set, else ask on the terminal; never echo."""
    env = unit_keys.passphrase_from_env()
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise ParAppError(
            "Cần mật khẩu của khóa ký: đặt biến môi trường PARAPP_PASSPHRASE khi chạy không "
            "tương tác."
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ParAppError("Hai lần nhập mật khẩu không giống nhau.")
    return first


@command("keys.init")
def cmd_keys_init(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        status = unit_keys.create_key(ws, read_passphrase(confirm=True))
    emit(
        args,
        {"fingerprint": status.fingerprint, "key_id": status.public.key_id_hex},
        f"Đã tạo khóa ký số. Dấu vân tay: {status.fingerprint} — đọc dấu vân tay này cho "
        "đơn vị cấp trên khi đăng ký khóa.",
    )
    return 0


@command("keys.show")
def cmd_keys_show(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        status = unit_keys.key_status(ws)
    if status is None:
        raise unit_keys.NoKeyError()
    emit(
        args,
        {
            "fingerprint": status.fingerprint,
            "key_id": status.public.key_id_hex,
            "created_at": status.created_at,
        },
        f"Dấu vân tay khóa: {status.fingerprint} (mã khóa {status.public.key_id_hex})",
    )
    return 0


@command("keys.export-public")
def cmd_keys_export_public(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        status = unit_keys.export_public(ws, Path(args.file))
    emit(
        args,
        {"file": args.file, "fingerprint": status.fingerprint},
        f"Đã xuất khóa công khai ra {args.file} (dấu vân tay {status.fingerprint}).",
    )
    return 0


@command("keys.rotate")
def cmd_keys_rotate(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        old = read_passphrase("Mật khẩu khóa hiện tại: ")
        import os

        new = os.environ.get("PARAPP_NEW_PASSPHRASE") or read_passphrase(
            "Mật khẩu cho khóa mới: ", confirm=True
        )
        status, statement = unit_keys.rotate_key(ws, old, new)
    emit(
        args,
        {"fingerprint": status.fingerprint, "statement": str(statement)},
        f"Đã đổi khóa. Dấu vân tay mới: {status.fingerprint}. Gửi văn bản {statement} cho "
        "đơn vị cấp trên.",
    )
    return 0


@command("bundle.export")
def cmd_bundle_export(args: argparse.Namespace) -> int:
    from parapp.services.submission import export_bundle, preflight

    confirm = {"confirm_unscored": args.confirm_unscored or (), "confirm_all_unscored": args.all}
    with open_ws(args) as ws:
        check = preflight(ws, **confirm)
        kp = unit_keys.unlock(ws, read_passphrase())
        rev, result = export_bundle(ws, Path(args.out), kp, args.approver, args.position, **confirm)
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
        args,
        data,
        f"Đã ghi hồ sơ lần {rev.revision}: {result.path}\n"
        f"Mã băm SHA-256: {result.sha256}\nDấu vân tay khóa: {result.key_fingerprint}\n"
        f"Lưu ý: còn {len(check.warnings)} mục cần hoàn thiện (không chặn việc nộp).",
    )
    return 0


def _verify_context(args: argparse.Namespace) -> tuple[Any, set[str] | None]:
    """The expected key (``--pubkey``) and the frameworks this workspace knows, if any."""
    from parapp.interchange.keys import read_public_key

    pub = read_public_key(args.pubkey) if args.pubkey else None
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    known: set[str] | None = None
    if (data_dir / "parapp.sqlite").is_file():
        with open_ws(args) as ws:
            known = ws.frameworks.hashes() or None
            if pub is None:
                pub = _trusted_key_for(ws, args.file)
    return pub, known


def _trusted_key_for(ws: Any, bundle: str) -> Any:
    """Hook for the receiving office's trusted-key registry (None when not available)."""
    import importlib

    try:
        module = importlib.import_module("parapp.services.trusted_keys")
    except ModuleNotFoundError:
        return None
    return module.expected_key_for_bundle(ws, Path(bundle))


def report_json(report: Any) -> dict[str, Any]:
    return {
        "file": str(report.path),
        "ok": report.ok,
        "failure_code": report.failure_code,
        "first_failure": report.first_failure,
        "key_pinned": report.key_pinned,
        "signer_fingerprint": report.signer.fingerprint if report.signer else None,
        "info": report.info.__dict__ if report.info else None,
        "checks": [
            {"step": c.step, "name": c.name, "ok": c.ok, "code": c.code, "message": c.message_vi}
            for c in report.checks
        ],
        "children": [report_json(ch) for ch in report.children],
    }


def report_text(report: Any) -> str:
    lines = [f"Kiểm tra hồ sơ {report.path.name}:"]
    for c in report.checks:
        lines.append(f"  [{'ĐẠT' if c.ok else 'LỖI'}] {c.name}: {c.message_vi}")
    for child in report.children:
        lines.extend("  " + ln for ln in report_text(child).splitlines())
    lines.append(
        "KẾT LUẬN: hồ sơ hợp lệ."
        if report.ok
        else f"KẾT LUẬN: hồ sơ bị từ chối — {report.first_failure}"
    )
    if report.ok and not report.key_pinned:
        lines.append("Lưu ý: chưa đối chiếu khóa ký với khóa đã đăng ký của đơn vị.")
    return "\n".join(lines)


@command("bundle.verify")
def cmd_bundle_verify(args: argparse.Namespace) -> int:
    from parapp.interchange.bundle import verify_bundle

    if not Path(args.file).is_file():
        raise ParAppError(f"Không tìm thấy tệp hồ sơ “{args.file}”.")
    pub, known = _verify_context(args)
    report = verify_bundle(Path(args.file), pub, known, recursive=args.recursive)
    emit(args, report_json(report), lambda: report_text(report))
    return 0 if report.ok else 1


@command("bundle.inspect")
def cmd_bundle_inspect(args: argparse.Namespace) -> int:
    from parapp.interchange.bundle import inspect_bundle

    if not Path(args.file).is_file():
        raise ParAppError(f"Không tìm thấy tệp hồ sơ “{args.file}”.")
    data = inspect_bundle(Path(args.file))
    import json

    emit(args, data, lambda: json.dumps(data, ensure_ascii=False, indent=1, default=str))
    return 0


def _register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    keys_p = sub.add_parser("keys", help="khóa ký số của đơn vị").add_subparsers(
        dest="sub", required=True
    )
    add(keys_p, "init", "keys.init", "tạo khóa ký số (mật khẩu: PARAPP_PASSPHRASE)")
    add(keys_p, "show", "keys.show", "xem dấu vân tay khóa")
    add(keys_p, "export-public", "keys.export-public", "xuất khóa công khai (.pub)").add_argument(
        "file"
    )
    add(keys_p, "rotate", "keys.rotate", "đổi khóa (văn bản chuyển đổi ký bằng khóa cũ)")

    b = sub.add_parser("bundle", help="hồ sơ nộp (gói ký số)").add_subparsers(
        dest="sub", required=True
    )
    s = add(b, "export", "bundle.export", "đóng gói, ký và ghi hồ sơ nộp")
    s.add_argument("--out", required=True, help="tệp .zip hoặc thư mục")
    s.add_argument("--approver", required=True, help="họ tên lãnh đạo phê duyệt")
    s.add_argument("--position", default="Chủ tịch UBND", help="chức vụ người phê duyệt")
    s.add_argument(
        "--confirm-unscored",
        nargs="+",
        metavar="LĨNH_VỰC",
        help="xác nhận nộp khi lĩnh vực này còn tiêu chí chưa chấm điểm (mã lĩnh vực)",
    )
    s.add_argument(
        "--confirm-all-unscored",
        dest="all",
        action="store_true",
        help="xác nhận nộp khi mọi lĩnh vực còn tiêu chí chưa chấm điểm",
    )
    s = add(b, "verify", "bundle.verify", "kiểm tra hồ sơ (mã băm, chữ ký, cấu trúc)")
    s.add_argument("file")
    s.add_argument("--pubkey", help="tệp khóa công khai .pub của đơn vị gửi")
    s.add_argument("--recursive", action="store_true", help="kiểm tra cả hồ sơ cấp dưới")
    add(b, "inspect", "bundle.inspect", "xem nội dung hồ sơ (không tin cậy)").add_argument("file")
    try:  # the receiving office's keys trust/list and bundle export-office
        from parapp.cli_office import register_keys_and_bundle
    except ModuleNotFoundError:
        return
    register_keys_and_bundle(keys_p, b, add)


_EXTENSIONS.append(_register)
