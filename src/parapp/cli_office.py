"""The receiving office's commands: ``inbox``, ``appraise``, ``consolidate``, ``appraisal``,
and the handlers of ``keys trust``/``keys list``/``bundle export-office`` (whose sub-parsers
live with the other ``keys``/``bundle`` commands in :mod:`parapp.cli_bundles`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from parapp.cli import _EXTENSIONS, UsageError, command, emit, open_ws, parse_float_arg
from parapp.models.errors import ParAppError
from parapp.models.text import format_number


def _date_arg(text: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            from datetime import datetime

            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ParAppError(f"Ngày “{text}” không hợp lệ (dùng dd/mm/yyyy).")


def _vn_date(iso: str) -> str:
    if not iso:
        return ""
    from datetime import datetime

    return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


# -- keys ------------------------------------------------------------------------------------
@command("keys.trust")
def cmd_keys_trust(args: argparse.Namespace) -> int:
    from parapp.services import trusted_keys as tk

    with open_ws(args) as ws:
        if args.list:
            enrolled = tk.enrol_key_list(ws, Path(args.list), replace=args.replace)
        elif not args.unit:
            raise UsageError("cần MÃ_ĐƠN_VỊ (hoặc --list TỆP)")
        elif args.fingerprint:
            enrolled = [tk.trust_on_first_sight(ws, args.unit, args.fingerprint)]
        elif args.rotation:
            enrolled = [tk.apply_rotation(ws, args.unit, Path(args.rotation))]
        elif args.pubfile:
            enrolled = [tk.enrol_key_file(ws, args.unit, Path(args.pubfile), replace=args.replace)]
        else:
            raise UsageError("cần TỆP.pub, --fingerprint, --rotation hoặc --list")
    data = [_key_dict(k) for k in enrolled]
    emit(
        args,
        data,
        "\n".join(
            f"Đã tin khóa của đơn vị {k.unit_code} ({k.source_label}); dấu vân tay {k.fingerprint}."
            for k in enrolled
        ),
    )
    return 0


def _key_dict(k: Any) -> dict[str, Any]:
    return {
        "unit_code": k.unit_code,
        "unit_name": k.unit_name,
        "fingerprint": k.fingerprint,
        "source": k.source,
        "source_label": k.source_label,
        "enrolled_at": k.enrolled_at,
    }


@command("keys.list")
def cmd_keys_list(args: argparse.Namespace) -> int:
    from parapp.services import trusted_keys as tk

    with open_ws(args) as ws:
        rows = [_key_dict(k) for k in tk.list_keys(ws)]
    emit(
        args,
        rows,
        lambda: (
            "\n".join(
                f"{r['unit_code']:>8}  {r['fingerprint']}  {r['unit_name']}  ({r['source_label']})"
                for r in rows
            )
            or "Chưa đăng ký khóa nào."
        ),
    )
    return 0


# -- inbox -----------------------------------------------------------------------------------
def _progress_printer(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    if args.json or not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        pct = done * 100 // total if total else 100
        print(f"\rĐang nhập hồ sơ… {pct}%", end="", file=sys.stderr, flush=True)

    return show


@command("inbox.import")
def cmd_inbox_import(args: argparse.Namespace) -> int:
    from parapp.services.inbox import import_bundles

    with open_ws(args) as ws:
        report = import_bundles(ws, [Path(f) for f in args.files], _progress_printer(args))
    rows = [e.as_dict() for e in report.entries]
    emit(
        args,
        {"entries": rows, "cancelled": report.cancelled},
        lambda: "\n".join(
            f"{e.file}: {e.unit_code or '?'} kỳ {e.period or '?'} lần {e.revision} — "
            f"{e.status_label}{': ' + e.reason if e.reason else ''}"
            for e in report.entries
        ),
    )
    return 0 if all(e.status != "refused" for e in report.entries) else 1


@command("inbox.list")
def cmd_inbox_list(args: argparse.Namespace) -> int:
    from parapp.services.inbox import inbox_entries

    with open_ws(args) as ws:
        entries = inbox_entries(ws, args.period)
    emit(
        args,
        [e.as_dict() for e in entries],
        lambda: (
            "\n".join(
                f"{_vn_date(e.received_at)}  {e.unit_code:>8}  kỳ {e.period}  lần {e.revision}  "
                f"{e.status_label}{' (đã có lần nộp mới hơn)' if e.superseded else ''}"
                f"{': ' + e.reason if e.reason else ''}"
                for e in entries
            )
            or "Chưa nhận hồ sơ nào."
        ),
    )
    return 0


@command("inbox.status")
def cmd_inbox_status(args: argparse.Namespace) -> int:
    from parapp.services.appraisal import default_period
    from parapp.services.inbox import completeness, set_deadline_for

    with open_ws(args) as ws:
        period = args.period or default_period(ws)
        if args.deadline:
            set_deadline_for(ws, period, _date_arg(args.deadline))
        c = completeness(ws, period)
    data = c.as_dict()

    def text() -> str:
        head = f"Kỳ {c.period}; hạn nộp: {c.deadline.strftime('%d/%m/%Y') if c.deadline else '—'}"
        counts = ", ".join(f"{u}: {n}" for u, n in data["counts"].items())
        lines = [head, counts]
        lines += [
            f"{u.unit_code:>8}  {u.unit_name}  {u.state_label}"
            + (f" (lần {u.revision}, {_vn_date(u.first_received_at)})" if u.revision else "")
            for u in c.units
        ]
        return "\n".join(lines)

    emit(args, data, text)
    return 0


# -- appraisal -------------------------------------------------------------------------------
@command("appraise.set")
def cmd_appraise_set(args: argparse.Namespace) -> int:
    from parapp.services.appraisal import set_appraisal

    score = parse_float_arg(args.score, "Điểm")
    if score is None:
        raise UsageError("cần --score")
    with open_ws(args) as ws:
        item = set_appraisal(ws, args.unit, args.code, score, args.note or "", args.period)
    emit(
        args,
        item.__dict__ | {"difference": item.difference},
        f"Đã thẩm định {args.unit} tiêu chí {item.code}: {format_number(item.appraised)} điểm "
        f"(tự chấm {format_number(item.self_score) or '—'}).",
    )
    return 0


@command("appraise.accept")
def cmd_appraise_accept(args: argparse.Namespace) -> int:
    from parapp.services.appraisal import accept_self_scores, unit_appraisal

    with open_ws(args) as ws:
        n = accept_self_scores(ws, args.unit, args.code, args.period, overwrite=args.overwrite)
        done, todo = unit_appraisal(ws, args.unit, args.period).progress
    emit(
        args,
        {"accepted": n, "appraised": done, "to_appraise": todo},
        f"Đã chấp nhận điểm tự chấm cho {n} tiêu chí. Tiến độ thẩm định: {done}/{todo}.",
    )
    return 0


@command("appraise.show")
def cmd_appraise_show(args: argparse.Namespace) -> int:
    from parapp.services.appraisal import unit_appraisal

    with open_ws(args) as ws:
        ua = unit_appraisal(ws, args.unit, args.period)
    done, todo = ua.progress
    data = {
        "unit_code": ua.unit_code,
        "unit_name": ua.unit_name,
        "period": ua.period,
        "revision": ua.revision,
        "appraised": done,
        "to_appraise": todo,
        "items": [
            {k: v for k, v in i.__dict__.items() if k != "evidence"}
            | {"difference": i.difference, "evidence": list(i.evidence)}
            for i in ua.items
        ],
    }
    emit(
        args,
        data,
        lambda: "\n".join(
            [f"{ua.unit_name} ({ua.unit_code}) kỳ {ua.period} lần {ua.revision}: {done}/{todo}"]
            + [
                f"{i.code:>8}  tự chấm {format_number(i.self_score) or '—':>5}  thẩm định "
                f"{format_number(i.appraised) or '—':>5}  {i.comment}"
                for i in ua.items
            ]
        ),
    )
    return 0


# -- consolidation ---------------------------------------------------------------------------
@command("consolidate")
def cmd_consolidate(args: argparse.Namespace) -> int:
    from parapp.services import consolidation as cs

    with open_ws(args) as ws:
        if args.thresholds:
            cs.set_thresholds(ws, args.thresholds)
        c = cs.export_xlsx(ws, Path(args.xlsx), args.period) if args.xlsx else None
        c = c or cs.consolidate(ws, args.period)
    data = c.as_dict() | ({"xlsx": args.xlsx} if args.xlsx else {})

    def text() -> str:
        lines = [f"Kỳ {c.period} — {c.framework.name}" + (" (tạm tính)" if c.provisional else "")]
        for r in c.rows:
            res = r.result
            lines.append(
                f"{r.rank:>3}. {res.unit_name} ({res.unit_code}): {format_number(res.total)}/"
                f"{format_number(res.maximum)} = {format_number(res.index_percent)}% — {r.rating}"
                + (" — tạm tính" if res.provisional else "")
            )
        if args.xlsx:
            lines.append(f"Đã ghi bảng tính {args.xlsx}.")
        return "\n".join(lines)

    emit(args, data, text)
    return 0


# -- appraisal result files and the office bundle ----------------------------------------------
@command("appraisal.export")
def cmd_appraisal_export(args: argparse.Namespace) -> int:
    from parapp.cli_bundles import read_passphrase
    from parapp.services import unit_keys
    from parapp.services.appraisal_result import export_appraisal

    with open_ws(args) as ws:
        approver = args.approver or ws.officer().get("name", "")
        kp = unit_keys.unlock(ws, read_passphrase())
        result = export_appraisal(
            ws, args.unit, Path(args.file), kp, approver, args.position, args.period
        )
    emit(
        args,
        {"file": str(result.path), "sha256": result.sha256, "fingerprint": result.key_fingerprint},
        f"Đã ghi kết quả thẩm định của đơn vị {args.unit}: {result.path}",
    )
    return 0


@command("appraisal.import")
def cmd_appraisal_import(args: argparse.Namespace) -> int:
    from parapp.services.appraisal_result import import_appraisal

    with open_ws(args) as ws:
        summary = import_appraisal(ws, Path(args.file))
    emit(
        args,
        summary,
        f"Đã nhận kết quả thẩm định của {summary['office_name']} kỳ {summary['period']} "
        f"({summary['items']} tiêu chí).",
    )
    return 0


@command("appraisal.show")
def cmd_appraisal_show(args: argparse.Namespace) -> int:
    from parapp.services.appraisal_result import appraisal_for_own_assessment

    with open_ws(args) as ws:
        result = appraisal_for_own_assessment(ws)
        answers = ws.answers() if ws.current_assessment() else {}
    rows: list[dict[str, Any]] = [
        {
            "code": code,
            "self_score": answers[code].self_score if code in answers else None,
            "appraised_score": score,
            "comment": comment,
        }
        for code, (score, comment) in sorted(result.items())
    ]
    emit(
        args,
        rows,
        lambda: (
            "\n".join(
                f"{r['code']:>8}  tự chấm {format_number(r['self_score']) or '—':>5}  thẩm định "
                f"{format_number(r['appraised_score']) or '—':>5}  {r['comment']}"
                for r in rows
            )
            or "Chưa có kết quả thẩm định."
        ),
    )
    return 0


@command("bundle.export-office")
def cmd_bundle_export_office(args: argparse.Namespace) -> int:
    from parapp.cli_bundles import read_passphrase
    from parapp.services import unit_keys
    from parapp.services.office_bundle import export_office_bundle

    with open_ws(args) as ws:
        kp = unit_keys.unlock(ws, read_passphrase())
        result = export_office_bundle(
            ws, Path(args.out), kp, args.approver, args.position, args.period
        )
    emit(
        args,
        {"file": str(result.path), "sha256": result.sha256, "fingerprint": result.key_fingerprint},
        f"Đã ghi hồ sơ tổng hợp của đơn vị: {result.path}\nMã băm SHA-256: {result.sha256}",
    )
    return 0


def register_keys_and_bundle(keys_p: Any, bundle_p: Any, add: Any) -> None:
    """Sub-parsers under ``keys`` and ``bundle`` (called from :mod:`parapp.cli_bundles`)."""
    s = add(keys_p, "trust", "keys.trust", "tin khóa công khai của đơn vị khác")
    s.add_argument("unit", nargs="?", help="mã đơn vị")
    s.add_argument("pubfile", nargs="?", help="tệp khóa công khai .pub")
    s.add_argument("--fingerprint", help="dấu vân tay đơn vị đọc qua điện thoại")
    s.add_argument("--rotation", help="văn bản chuyển đổi khóa ký bằng khóa đã đăng ký")
    s.add_argument("--list", help="danh sách khóa (mỗi dòng: mã đơn vị, khóa)")
    s.add_argument("--replace", action="store_true", help="thay khóa đã đăng ký")
    add(keys_p, "list", "keys.list", "liệt kê khóa đã tin")
    s = add(bundle_p, "export-office", "bundle.export-office", "hồ sơ tổng hợp gửi cấp trên")
    s.add_argument("--out", required=True, help="tệp .zip hoặc thư mục")
    s.add_argument("--approver", required=True, help="họ tên lãnh đạo phê duyệt")
    s.add_argument("--position", default="Trưởng phòng Nội vụ")
    s.add_argument("--period")


def _register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    inbox = sub.add_parser("inbox", help="hồ sơ nhận từ đơn vị cấp dưới").add_subparsers(
        dest="sub", required=True
    )
    s = add(inbox, "import", "inbox.import", "nhập hồ sơ (tệp hoặc thư mục)")
    s.add_argument("files", nargs="+")
    add(inbox, "list", "inbox.list", "danh sách hồ sơ đã nhận").add_argument("--period")
    s = add(inbox, "status", "inbox.status", "đơn vị đã nộp, chưa nộp, nộp muộn")
    s.add_argument("--period")
    s.add_argument("--deadline", help="đặt hạn nộp của kỳ (dd/mm/yyyy)")

    ap = sub.add_parser("appraise", help="thẩm định").add_subparsers(dest="sub", required=True)
    s = add(ap, "set", "appraise.set", "nhập điểm thẩm định một tiêu chí")
    s.add_argument("unit")
    s.add_argument("code")
    s.add_argument("--score", required=True)
    s.add_argument("--note")
    s.add_argument("--period")
    s = add(ap, "accept", "appraise.accept", "chấp nhận điểm tự chấm (tiêu chí, lĩnh vực, đơn vị)")
    s.add_argument("unit")
    s.add_argument("code", nargs="?")
    s.add_argument("--period")
    s.add_argument("--overwrite", action="store_true", help="ghi đè điểm/nhận xét thẩm định đã có")
    s = add(ap, "show", "appraise.show", "xem thẩm định của một đơn vị")
    s.add_argument("unit")
    s.add_argument("--period")

    s = add(sub, "consolidate", "consolidate", "tổng hợp, xếp hạng các đơn vị")
    s.add_argument("--period")
    s.add_argument("--xlsx", help="ghi bảng tính Excel tổng hợp")
    s.add_argument("--thresholds", help="mức xếp loại, ví dụ “Xuất sắc=90, Tốt=80, Yếu=0”")

    ar = sub.add_parser("appraisal", help="tệp kết quả thẩm định").add_subparsers(
        dest="sub", required=True
    )
    s = add(ar, "export", "appraisal.export", "xuất kết quả thẩm định (ký số) cho một đơn vị")
    s.add_argument("unit")
    s.add_argument("file")
    s.add_argument("--approver", help="họ tên người ký")
    s.add_argument("--position", default="Trưởng phòng Nội vụ")
    s.add_argument("--period")
    add(ar, "import", "appraisal.import", "nhận kết quả thẩm định từ cấp trên").add_argument("file")
    add(ar, "show", "appraisal.show", "xem kết quả thẩm định của đơn vị mình")


_EXTENSIONS.append(_register)
