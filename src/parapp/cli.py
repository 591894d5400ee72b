"""The ``parapp`` command line over the services layer.

Conventions: ``--data-dir`` picks the workspace, ``--json`` prints machine-readable output,
exit code 0 on success, 1 on a user or data error (message on stderr, in Vietnamese),
2 on bad usage. With no arguments, the desktop app opens.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from parapp import __version__
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework
from parapp.models.numbers import read_number
from parapp.models.text import format_number
from parapp.models.units import Unit, UnitLevel
from parapp.services.paths import default_data_dir
from parapp.services.workspace import Workspace

Handler = Callable[[argparse.Namespace], int]
_HANDLERS: dict[str, Handler] = {}


class UsageError(Exception):
    """Bad usage (exit 2), raised by handlers for arguments argparse cannot check."""


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[name] = fn
        return fn

    return register


# -- output helpers --------------------------------------------------------------------------
def emit(args: argparse.Namespace, data: Any, text: str | Callable[[], str]) -> None:
    """Print ``data`` as JSON with ``--json``, else the human text."""
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    else:
        print(text() if callable(text) else text)


def open_ws(args: argparse.Namespace) -> Workspace:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    return Workspace.open(data_dir)


def parse_float_arg(text: str | None, what: str, whole: bool = False) -> float | None:
    """A number option read by the one Vietnamese number reader (``1.234`` = 1234)."""
    if text is None or text.strip() == "":
        return None
    return read_number(text, what=what, whole=whole)


# -- init and units ----------------------------------------------------------------------------
@command("init")
def cmd_init(args: argparse.Namespace) -> int:
    from parapp.services import unit_catalogue

    entry = unit_catalogue.lookup(args.unit)
    parent: Unit | None = None
    if entry is not None:
        unit = entry.to_unit()
        if entry.level is UnitLevel.COMMUNE:
            prov = unit_catalogue.lookup(entry.province_code)
            parent = prov.to_unit() if prov else None
        if args.name:
            unit = Unit(unit.code, args.name, unit.level, unit.parent_code, unit.province)
    else:
        if not args.name:
            raise ParAppError(
                f"Mã “{args.unit}” không có trong danh mục đơn vị hành chính; "
                "hãy nhập thêm --name (và --level, --parent) để tạo đơn vị tự nhập."
            )
        unit = Unit(args.unit, args.name, UnitLevel.COMMUNE, args.parent)
    if args.level:
        unit = Unit(unit.code, unit.name, _level(args.level), unit.parent_code, unit.province)
    if args.parent:
        unit = Unit(unit.code, unit.name, unit.level, args.parent, unit.province)
        p_entry = unit_catalogue.lookup(args.parent)
        parent = p_entry.to_unit() if p_entry else None
    with open_ws(args) as ws:
        if parent is None and unit.parent_code and ws.units.find(unit.parent_code) is None:
            parent = Unit(unit.parent_code, unit.parent_code, UnitLevel.DISTRICT)
        ws.set_own_unit(unit, parent)
        if not ws.frameworks.list():
            from parapp.services.defaults import install_defaults

            install_defaults(ws)
        emit(
            args,
            {"unit": unit.__dict__ | {"level": unit.level.value}, "data_dir": str(ws.data_dir)},
            f"Đã thiết lập đơn vị {unit.display} tại {ws.data_dir}.",
        )
    return 0


def _level(text: str) -> UnitLevel:
    try:
        return UnitLevel.parse(text)
    except ValueError:
        raise ParAppError(f"Cấp “{text}” không hợp lệ (dùng: tỉnh, huyện, xã, cơ quan).") from None


def _unit_dict(u: Unit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "level": u.level.value,
        "parent_code": u.parent_code,
        "province": u.province,
    }


@command("units.search")
def cmd_units_search(args: argparse.Namespace) -> int:
    from parapp.services import unit_catalogue

    hits = unit_catalogue.search(args.text, limit=args.limit)
    emit(
        args,
        [
            {
                "code": e.code,
                "name": e.name,
                "kind": e.kind,
                "province_code": e.province_code,
                "province_name": e.province_name,
            }
            for e in hits
        ],
        lambda: "\n".join(e.display for e in hits) or "Không tìm thấy đơn vị nào.",
    )
    return 0


@command("units.add")
def cmd_units_add(args: argparse.Namespace) -> int:
    unit = Unit(args.code, args.name, _level(args.level or "xã"), args.parent)
    with open_ws(args) as ws:
        ws.add_unit(unit)
    emit(args, _unit_dict(unit), f"Đã thêm đơn vị {unit.display}.")
    return 0


@command("units.list")
def cmd_units_list(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        own = ws.own_unit()
        units = ws.units.all()
    rows = [_unit_dict(u) | {"own": own is not None and u.code == own.code} for u in units]
    emit(
        args,
        rows,
        lambda: (
            "\n".join(
                f"{'*' if r['own'] else ' '} {r['code']:>8}  {r['name']}  "
                f"({UnitLevel(r['level']).label})"
                for r in rows
            )
            or "Chưa có đơn vị nào."
        ),
    )
    return 0


# -- frameworks -----------------------------------------------------------------------------------
def _tree_json(fw: Framework) -> dict[str, Any]:
    def node(code: str) -> dict[str, Any]:
        c = fw.by_code[code]
        out: dict[str, Any] = {"code": c.code, "title": c.title, "max_points": c.max_points}
        if fw.is_leaf(code):
            out["rule"] = c.rule.kind.value
            out["survey_only"] = c.survey_only
        else:
            out["children"] = [node(k.code) for k in fw.children(code)]
        return out

    return {
        "id": fw.id,
        "name": fw.name,
        "index_kind": fw.index_kind,
        "year": fw.year,
        "content_hash": fw.content_hash,
        "total_points": fw.total_points,
        "areas": [node(a.code) for a in fw.areas],
    }


def _tree_text(fw: Framework) -> str:
    lines = [f"{fw.name} ({fw.id}) — tổng {format_number(fw.total_points)} điểm"]
    for c in fw.criteria:
        mark = " [điều tra XHH]" if c.survey_only else ""
        indent = "  " * (c.depth - 1)
        lines.append(f"{indent}{c.code}  {c.title} — {format_number(c.max_points)}{mark}")
    return "\n".join(lines)


@command("framework.list")
def cmd_framework_list(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        rows = ws.frameworks.list()
    emit(
        args,
        rows,
        lambda: (
            "\n".join(
                f"{r['id']:<24} {r['index_kind']:<5} {r['year'] or '':<5} {r['name']}" for r in rows
            )
            or "Chưa có bộ chỉ số nào."
        ),
    )
    return 0


@command("framework.show")
def cmd_framework_show(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        fw = ws.framework(args.id)
    emit(args, _tree_json(fw), lambda: _tree_text(fw))
    return 0


@command("framework.import")
def cmd_framework_import(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        fw = ws.import_framework(Path(args.file))
    emit(
        args,
        {"id": fw.id, "criteria": len(fw.criteria), "content_hash": fw.content_hash},
        f"Đã nhập bộ chỉ số {fw.id}: {len(fw.criteria)} tiêu chí, "
        f"{format_number(fw.total_points)} điểm.",
    )
    return 0


@command("framework.export")
def cmd_framework_export(args: argparse.Namespace) -> int:
    from parapp.services.importing import write_framework_file

    with open_ws(args) as ws:
        fw = ws.framework(args.id)
    write_framework_file(fw, Path(args.file))
    emit(args, {"id": fw.id, "file": args.file}, f"Đã xuất bộ chỉ số {fw.id} ra {args.file}.")
    return 0


@command("framework.template")
def cmd_framework_template(args: argparse.Namespace) -> int:
    from parapp.interchange.excel_framework import write_framework_template

    write_framework_template(Path(args.file))
    emit(args, {"file": args.file}, f"Đã tạo mẫu nhập bộ chỉ số: {args.file}.")
    return 0


# -- tasks ----------------------------------------------------------------------------------------
@command("tasks.list")
def cmd_tasks_list(args: argparse.Namespace) -> int:
    from datetime import date

    with open_ws(args) as ws:
        plan_id = args.plan or ws.current_plan_id()
        if plan_id is None:
            raise ParAppError("Chưa có kế hoạch nhiệm vụ nào. Hãy nhập bằng “parapp tasks import”.")
        plan = ws.tasks.get_plan(plan_id)
    today = date.today()
    rows = [
        {
            "code": t.code,
            "title": t.title,
            "parent_code": t.parent_code,
            "deadline_text": t.deadline_text,
            "due_date": t.due_date,
            "lead": t.lead,
            "status": t.status.value,
            "overdue": t.is_overdue(today),
        }
        for t in plan.tasks
    ]
    emit(
        args,
        {"plan": plan.id, "name": plan.name, "year": plan.year, "tasks": rows},
        lambda: "\n".join(
            [f"{plan.name} ({plan.id})"]
            + [
                f"{t.code:<10} {t.status.label:<16} "
                f"{t.due_date.strftime('%d/%m/%Y') if t.due_date else t.deadline_text[:16]:<16} "
                f"{t.title[:70]}{' (QUÁ HẠN)' if t.is_overdue(today) else ''}"
                for t in plan.tasks
            ]
        ),
    )
    return 0


@command("tasks.import")
def cmd_tasks_import(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        plan = ws.import_tasks(Path(args.file))
    emit(
        args,
        {"plan": plan.id, "tasks": len(plan.tasks)},
        f"Đã nhập kế hoạch {plan.id}: {len(plan.tasks)} nhiệm vụ.",
    )
    return 0


@command("tasks.export")
def cmd_tasks_export(args: argparse.Namespace) -> int:
    from parapp.services.importing import write_tasks_file

    with open_ws(args) as ws:
        plan_id = args.plan or ws.current_plan_id()
        if plan_id is None:
            raise ParAppError("Chưa có kế hoạch nhiệm vụ nào để xuất.")
        plan = ws.tasks.get_plan(plan_id)
    write_tasks_file(plan, Path(args.file))
    emit(args, {"plan": plan.id, "file": args.file}, f"Đã xuất kế hoạch {plan.id} ra {args.file}.")
    return 0


# -- backup ---------------------------------------------------------------------------------------
@command("backup")
def cmd_backup(args: argparse.Namespace) -> int:
    from parapp.storage.backup import backup_workspace

    with open_ws(args) as ws:
        counts = backup_workspace(ws.conn, ws.data_dir, Path(args.file))
    emit(
        args,
        {"file": args.file, **counts},
        f"Đã sao lưu toàn bộ dữ liệu ({counts['evidence_files']} tài liệu) vào {args.file}.",
    )
    return 0


@command("restore")
def cmd_restore(args: argparse.Namespace) -> int:
    from parapp.storage.backup import restore_workspace

    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    counts = restore_workspace(Path(args.file), data_dir)
    emit(
        args,
        {"file": args.file, "data_dir": str(data_dir), **counts},
        f"Đã khôi phục dữ liệu từ {args.file} ({counts['evidence_files']} tài liệu). "
        "Dữ liệu cũ được giữ trong thư mục backups.",
    )
    return 0


# -- scripted filling ------------------------------------------------------------------
def _answer_json(a: Any) -> dict[str, Any]:
    return {
        "code": a.code,
        "value": a.value,
        "numerator": a.numerator,
        "denominator": a.denominator,
        "self_score": a.self_score,
        "explanation": a.explanation,
        "evidence": [
            {
                "id": e.id,
                "sha256": e.sha256,
                "file_name": e.file_name,
                "size": e.size,
                "ref": e.ref,
                "note": e.note,
            }
            for e in a.evidence
        ],
    }


@command("assess.start")
def cmd_assess_start(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        a = ws.start_assessment(args.framework_id, args.period)
    emit(
        args,
        {"id": a.id, "framework_id": a.framework_id, "period": a.period},
        f"Bản tự đánh giá {a.framework_id} kỳ {a.period} là bản hiện hành.",
    )
    return 0


@command("assess.set")
def cmd_assess_set(args: argparse.Namespace) -> int:
    kwargs: dict[str, Any] = {}
    if args.value is not None:
        v = args.value.strip().casefold()
        yes_no = {"có": 1.0, "co": 1.0, "yes": 1.0, "không": 0.0, "khong": 0.0, "no": 0.0}
        kwargs["value"] = yes_no[v] if v in yes_no else parse_float_arg(args.value, "Giá trị")
    if args.numerator is not None:
        kwargs["numerator"] = parse_float_arg(args.numerator, "Tử số", whole=True)
    if args.denominator is not None:
        kwargs["denominator"] = parse_float_arg(args.denominator, "Mẫu số", whole=True)
    if args.score is not None:
        kwargs["self_score"] = parse_float_arg(args.score, "Điểm")
    if args.note is not None:
        kwargs["explanation"] = args.note
    if not kwargs:
        raise UsageError(
            "cần ít nhất một trong --value, --numerator, --denominator, --score, --note"
        )
    with open_ws(args) as ws:
        a = ws.set_answer(args.code, **kwargs)
    emit(args, _answer_json(a), f"{a.code}: {format_number(a.self_score)} điểm.")
    return 0


@command("assess.show")
def cmd_assess_show(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        a = ws.require_assessment()
        fw = ws.framework(a.framework_id)
        answers = ws.answers()
        r = ws.rollup()
    data = {
        "unit_code": a.unit_code,
        "framework_id": a.framework_id,
        "framework_hash": a.framework_hash,
        "period": a.period,
        "revision": a.revision,
        "total_score": r.total_score,
        "assessable_max": r.assessable_max,
        "index_percent": r.index_percent,
        "done": r.done,
        "leaves": r.leaves,
        "areas": [
            {
                "code": ar.code,
                "title": ar.title,
                "max_points": ar.max_points,
                "self_score": r.nodes[ar.code].self_score,
            }
            for ar in fw.areas
        ],
        "answers": [_answer_json(answers[k]) for k in sorted(answers)],
        "problems": [
            {"code": p.code, "kind": p.kind, "message": p.message, "blocking": p.blocking}
            for p in r.problems
        ],
    }
    emit(
        args,
        data,
        lambda: "\n".join(
            [
                f"{fw.name} — kỳ {a.period}",
                f"Tổng điểm tự chấm: {format_number(r.total_score)}/"
                f"{format_number(r.assessable_max)} "
                f"({format_number(r.index_percent)}%), đã làm {r.done}/{r.leaves} tiêu chí.",
                *(
                    f"  {ar.code}. {ar.title}: {format_number(r.nodes[ar.code].self_score)}/"
                    f"{format_number(ar.max_points)}"
                    for ar in fw.areas
                ),
                f"Còn {len(r.problems)} vấn đề cần xử lý.",
            ]
        ),
    )
    return 0


@command("evidence.add")
def cmd_evidence_add(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        link = ws.add_evidence(args.code, Path(args.file), ref=args.ref or "", note=args.note or "")
    emit(
        args,
        {
            "id": link.id,
            "sha256": link.sha256,
            "file_name": link.file_name,
            "size": link.size,
            "ref": link.ref,
        },
        f"Đã gắn “{link.file_name}” vào tiêu chí {args.code}.",
    )
    return 0


@command("evidence.check")
def cmd_evidence_check(args: argparse.Namespace) -> int:
    with open_ws(args) as ws:
        problems = ws.check_evidence()
    emit(
        args,
        [{"code": c, "file_name": f, "problem": p} for c, f, p in problems],
        lambda: (
            "\n".join(f"{c}: {f} — {p}" for c, f, p in problems)
            or "Mọi tài liệu kiểm chứng đều nguyên vẹn."
        ),
    )
    return 1 if problems else 0


# -- parser ---------------------------------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        print(f"parapp: lỗi cú pháp: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="thư mục dữ liệu (mặc định: PARAPP_DATA_DIR hoặc thư mục người dùng)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="in kết quả dạng JSON"
    )

    p = _Parser(
        prog="parapp",
        description="ParApp — tự đánh giá Chỉ số cải cách hành chính.",
        parents=[common],
    )
    p.add_argument("--version", action="version", version=f"ParApp {__version__}")
    p.add_argument("--demo", action="store_true", help="mở ứng dụng với dữ liệu mẫu")
    p.add_argument("--selftest", action="store_true", help="tự kiểm tra toàn bộ chức năng")
    sub = p.add_subparsers(dest="cmd", parser_class=_Parser)

    def add(parent: Any, name: str, key: str, help_text: str) -> argparse.ArgumentParser:
        sp: argparse.ArgumentParser = parent.add_parser(name, help=help_text, parents=[common])
        sp.set_defaults(handler=key)
        return sp

    s = add(sub, "init", "init", "thiết lập đơn vị của không gian làm việc")
    s.add_argument("--unit", required=True, help="mã đơn vị (mã hành chính hoặc mã tự đặt)")
    s.add_argument("--name")
    s.add_argument("--level")
    s.add_argument("--parent")

    units = sub.add_parser("units", help="đơn vị hành chính").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    s = add(units, "search", "units.search", "tìm đơn vị trong danh mục (không dấu cũng được)")
    s.add_argument("text")
    s.add_argument("--limit", type=int, default=20)
    s = add(units, "add", "units.add", "thêm đơn vị tự nhập")
    s.add_argument("code")
    s.add_argument("--name", required=True)
    s.add_argument("--level")
    s.add_argument("--parent", required=True)
    add(units, "list", "units.list", "liệt kê đơn vị trong dữ liệu")

    fw = sub.add_parser("framework", help="bộ chỉ số").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    add(fw, "list", "framework.list", "liệt kê bộ chỉ số")
    add(fw, "show", "framework.show", "xem cây tiêu chí").add_argument("id")
    add(fw, "import", "framework.import", "nhập bộ chỉ số từ Excel/JSON").add_argument("file")
    s = add(fw, "export", "framework.export", "xuất bộ chỉ số ra Excel/JSON")
    s.add_argument("id")
    s.add_argument("file")
    add(fw, "template", "framework.template", "tạo tệp Excel mẫu").add_argument("file")

    tasks = sub.add_parser("tasks", help="kế hoạch nhiệm vụ").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    add(tasks, "list", "tasks.list", "liệt kê nhiệm vụ").add_argument("--plan")
    add(tasks, "import", "tasks.import", "nhập kế hoạch từ Excel/JSON").add_argument("file")
    s = add(tasks, "export", "tasks.export", "xuất kế hoạch ra Excel/JSON")
    s.add_argument("file")
    s.add_argument("--plan")

    add(sub, "backup", "backup", "sao lưu toàn bộ dữ liệu ra một tệp").add_argument("file")
    add(sub, "restore", "restore", "khôi phục dữ liệu từ tệp sao lưu").add_argument("file")

    assess = sub.add_parser("assess", help="tự đánh giá").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    s = add(assess, "start", "assess.start", "bắt đầu (hoặc mở lại) bản tự đánh giá")
    s.add_argument("framework_id")
    s.add_argument("--period", required=True)
    s = add(assess, "set", "assess.set", "nhập giá trị/điểm của một tiêu chí")
    s.add_argument("code")
    s.add_argument("--value")
    s.add_argument("--numerator")
    s.add_argument("--denominator")
    s.add_argument("--score")
    s.add_argument("--note")
    add(assess, "show", "assess.show", "xem bản tự đánh giá hiện hành")

    ev = sub.add_parser("evidence", help="tài liệu kiểm chứng").add_subparsers(
        dest="sub", required=True, parser_class=_Parser
    )
    s = add(ev, "add", "evidence.add", "gắn tệp vào tiêu chí")
    s.add_argument("code")
    s.add_argument("file")
    s.add_argument("--ref")
    s.add_argument("--note")
    add(ev, "check", "evidence.check", "kiểm tra các tệp đã lưu")

    for extend in _EXTENSIONS:
        extend(sub, add)
    return p


#: Other modules add their sub-commands here: ``fn(subparsers, add)``.
_EXTENSIONS: list[Callable[[Any, Callable[..., argparse.ArgumentParser]], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _load_extensions()
    if not argv:
        return _gui([])
    if len(argv) == 1 and _is_bundle_path(argv[0]):
        return _gui(["--open", argv[0]])  # Explorer's "open with" passes just the file
    parser = build_parser()
    args = parser.parse_args(argv)
    for attr, default in (("data_dir", None), ("json", False)):
        if not hasattr(args, attr):
            setattr(args, attr, default)
    if args.selftest:
        from parapp.services.selftest import run_selftest

        return run_selftest()
    if args.demo:
        return _gui(["--demo"])
    handler_key = getattr(args, "handler", None)
    if handler_key is None:
        parser.print_help()
        return 2
    try:
        return _HANDLERS[handler_key](args)
    except UsageError as err:
        print(f"parapp: lỗi cú pháp: {err}", file=sys.stderr)
        return 2
    except ParAppError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 1


def _is_bundle_path(arg: str) -> bool:
    return Path(arg).suffix.lower() in (".zip", ".parapp") and Path(arg).is_file()


def _load_extensions() -> None:
    """Import the modules that register extra sub-commands (bundles, keys, inbox...)."""
    import importlib

    for name in ("parapp.cli_bundles", "parapp.cli_office", "parapp.cli_print"):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise


def _gui(argv: list[str]) -> int:
    if os.environ.get("PARAPP_NO_GUI"):
        print("parapp: giao diện bị tắt (PARAPP_NO_GUI).", file=sys.stderr)
        return 2
    from parapp.app import main as app_main

    return app_main(argv)
