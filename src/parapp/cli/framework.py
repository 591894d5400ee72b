"""``parapp framework list|show|import|export|template``: the frameworks (bộ chỉ số)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group
from parapp.interchange.excel_framework import write_framework_template
from parapp.models.framework import Framework
from parapp.models.framework_diff import Change, DiffEntry, diff_frameworks
from parapp.models.text import format_number
from parapp.services.framework_compare import export_framework_diff, load_framework
from parapp.services.framework_package import (
    import_package,
    is_package_path,
    level_phrase,
    package_record,
)
from parapp.services.importing import write_framework_file


def tree_json(fw: Framework) -> dict[str, Any]:
    """The framework as a nested tree (areas → criteria → leaves with their rule)."""

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


def tree_text(fw: Framework) -> str:
    lines = [f"{fw.name} ({fw.id}) — tổng {format_number(fw.total_points)} điểm"]
    for c in fw.criteria:
        mark = " [điều tra XHH]" if c.survey_only else ""
        indent = "  " * (c.depth - 1)
        lines.append(f"{indent}{c.code}  {c.title} — {format_number(c.max_points)}{mark}")
    return "\n".join(lines)


@click.command("list", cls=Command, help="liệt kê bộ chỉ số")
@global_options
@pass_settings
def list_frameworks(settings: Settings) -> int:
    with open_ws(settings) as ws:
        rows = [r | {"package": package_record(ws, str(r["id"]))} for r in ws.frameworks.list()]

    def origin(r: dict[str, Any]) -> str:
        p = r["package"]
        return f" — gói của {p['publisher_name']}, kỳ {p['period']}" if p else ""

    emit(
        settings,
        rows,
        lambda: (
            "\n".join(
                f"{r['id']:<24} {r['index_kind']:<5} {r['year'] or '':<5} {r['name']}{origin(r)}"
                for r in rows
            )
            or "Chưa có bộ chỉ số nào."
        ),
    )
    return 0


@click.command("show", cls=Command, help="xem cây tiêu chí")
@click.argument("framework_id", metavar="ID")
@global_options
@pass_settings
def show(settings: Settings, framework_id: str) -> int:
    with open_ws(settings) as ws:
        fw = ws.framework(framework_id)
    emit(settings, tree_json(fw), lambda: tree_text(fw))
    return 0


@click.command("import", cls=Command, help="nhập bộ chỉ số (Excel, JSON, gói .zip cấp trên gửi)")
@click.argument("file")
@global_options
@pass_settings
def import_framework(settings: Settings, file: str) -> int:
    """A ``.zip`` (or ``.parapp``) is a framework package signed by the office above: it is
    verified against that office's trusted key and brings its period, deadline and plan."""
    if is_package_path(Path(file)):
        return _import_package(settings, Path(file))
    with open_ws(settings) as ws:
        fw = ws.import_framework(Path(file))
    emit(
        settings,
        {"id": fw.id, "criteria": len(fw.criteria), "content_hash": fw.content_hash},
        f"Đã nhập bộ chỉ số {fw.id}: {len(fw.criteria)} tiêu chí, "
        f"{format_number(fw.total_points)} điểm.",
    )
    return 0


def _import_package(settings: Settings, path: Path) -> int:
    with open_ws(settings) as ws:
        done = import_package(ws, path)
    p = done.package
    lines = [
        f"Đã nhập gói bộ chỉ số {p.framework.id} ({p.framework.name}) do {p.publisher_name} "
        f"ban hành, lần {p.revision}; khóa ký {p.fingerprint} đã được kiểm tra.",
        f"Kỳ đánh giá {p.period}; áp dụng cho {level_phrase(p.level)}; hạn nộp "
        f"{p.deadline.strftime('%d/%m/%Y') if p.deadline else 'chưa đặt'}; "
        f"{len(p.framework.criteria)} tiêu chí, {format_number(p.framework.total_points)} điểm.",
    ]
    if p.plan is not None:
        lines.append(f"Kế hoạch nhiệm vụ: {p.plan.name} ({len(p.plan.tasks)} nhiệm vụ).")
    lines.append(f"Bắt đầu tự đánh giá: parapp assess start {p.framework.id} --period {p.period}")
    emit(settings, {"id": p.framework.id, "package": done.as_dict()}, "\n".join(lines))
    return 0


@click.command("export", cls=Command, help="xuất bộ chỉ số ra Excel/JSON")
@click.argument("framework_id", metavar="ID")
@click.argument("file")
@global_options
@pass_settings
def export(settings: Settings, framework_id: str, file: str) -> int:
    with open_ws(settings) as ws:
        fw = ws.framework(framework_id)
    write_framework_file(fw, Path(file))
    emit(settings, {"id": fw.id, "file": file}, f"Đã xuất bộ chỉ số {fw.id} ra {file}.")
    return 0


@click.command("template", cls=Command, help="tạo tệp Excel mẫu")
@click.argument("file")
@global_options
@pass_settings
def template(settings: Settings, file: str) -> int:
    write_framework_template(Path(file))
    emit(settings, {"file": file}, f"Đã tạo mẫu nhập bộ chỉ số: {file}.")
    return 0


def _title(entry: DiffEntry) -> str:
    item = entry.new or entry.old
    return item.title if item is not None else ""


@click.command("diff", cls=Command, help="so sánh hai bộ chỉ số (năm trước, năm nay)")
@click.argument("old")
@click.argument("new")
@click.option("--xlsx", "xlsx", help="ghi bảng so sánh ra tệp Excel")
@global_options
@pass_settings
def diff(settings: Settings, old: str, new: str, xlsx: str | None) -> int:
    """OLD, NEW: mã bộ chỉ số trong dữ liệu, hoặc tệp .xlsx/.json."""
    with open_ws(settings) as ws:
        if xlsx:
            result = export_framework_diff(old, new, Path(xlsx), ws)
        else:
            result = diff_frameworks(load_framework(old, ws), load_framework(new, ws))
    changed = [e for e in result.entries if e.main is not Change.UNCHANGED]
    rows: list[dict[str, Any]] = [
        {
            "old_code": e.old.code if e.old else None,
            "new_code": e.new.code if e.new else None,
            "title": _title(e),
            "changes": [c.value for c in e.changes],
        }
        for e in changed
    ]
    counts = {c.value: n for c, n in result.counts().items() if n}
    emit(
        settings,
        {"counts": counts, "changes": rows},
        lambda: "\n".join(
            [", ".join(f"{c.label}: {n}" for c, n in result.counts().items() if n)]
            + [
                f"{e.old.code if e.old else '—':>8} → {e.new.code if e.new else '—':<8} "
                f"{', '.join(c.label for c in e.changes)}: {_title(e)[:60]}"
                for e in changed
            ]
        ),
    )
    return 0


framework = Group(
    "framework",
    help="bộ chỉ số",
    commands=[list_frameworks, show, import_framework, export, template, diff],
)
