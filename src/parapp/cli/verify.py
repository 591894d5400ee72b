"""``parapp bundle verify`` and ``parapp bundle inspect``: check a received bundle, or look
inside it without trusting it. Used by both sides (a commune checks its own export, the
office every bundle it receives), so it sits outside ``commune/`` and ``office/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from parapp.cli.common import (
    Settings,
    emit,
    global_options,
    open_ws,
    pass_settings,
    workspace_exists,
)
from parapp.cli.vietnamese import Command
from parapp.interchange.bundle import VerifyReport, inspect_bundle, verify_bundle
from parapp.interchange.keys import PublicKey, read_public_key
from parapp.models.errors import ParAppError
from parapp.services.trusted_keys import expected_key_for_bundle


def _context(
    settings: Settings, file: Path, pubkey: str | None
) -> tuple[PublicKey | None, set[str] | None]:
    """The expected key (``--pubkey``, else the one the office enrolled for the unit the
    bundle names) and the frameworks this workspace knows, when there is a workspace."""
    pub = read_public_key(pubkey) if pubkey else None
    known: set[str] | None = None
    if workspace_exists(settings):
        with open_ws(settings) as ws:
            known = ws.frameworks.hashes() or None
            if pub is None:
                pub = expected_key_for_bundle(ws, file)
    return pub, known


def report_json(report: VerifyReport) -> dict[str, Any]:
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


def report_text(report: VerifyReport) -> str:
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


def _existing(file: str) -> Path:
    path = Path(file)
    if not path.is_file():
        raise ParAppError(f"Không tìm thấy tệp hồ sơ “{file}”.")
    return path


@click.command("verify", cls=Command, help="kiểm tra hồ sơ (mã băm, chữ ký, cấu trúc)")
@click.argument("file")
@click.option("--pubkey", help="tệp khóa công khai .pub của đơn vị gửi")
@click.option("--recursive", is_flag=True, help="kiểm tra cả hồ sơ cấp dưới")
@global_options
@pass_settings
def verify(settings: Settings, file: str, pubkey: str | None, recursive: bool) -> int:
    path = _existing(file)
    pub, known = _context(settings, path, pubkey)
    report = verify_bundle(path, pub, known, recursive=recursive)
    emit(settings, report_json(report), lambda: report_text(report))
    return 0 if report.ok else 1


@click.command("inspect", cls=Command, help="xem nội dung hồ sơ (không tin cậy)")
@click.argument("file")
@global_options
@pass_settings
def inspect(settings: Settings, file: str) -> int:
    data = inspect_bundle(_existing(file))
    emit(settings, data, lambda: json.dumps(data, ensure_ascii=False, indent=1, default=str))
    return 0
