"""The appraisal cycle on the command line (click objects; the CLI package wires them).

Exports, to be wired by the lead:

* ``appraise_state`` → ``parapp appraise state UNIT CODE STATE --note --score``
* ``appraise_review`` → ``parapp appraise review UNIT [--state S] [--changed]``
* ``appraise_changes`` → ``parapp appraise changes UNIT`` (the unit's change log)
* ``appraisal_export`` → ``parapp appraisal export UNIT FILE --preliminary|--final|--reopen|
  --partial [--deadline dd/mm/yyyy]`` (without a flag: the plain result, as before)
* ``appraisal_import`` → ``parapp appraisal import FILE`` (commune; keeps requests, locks)
* ``appraisal_reopen`` → ``parapp appraisal reopen UNIT --reason``
* ``appraisal_outstanding`` → ``parapp appraisal outstanding [--period]``
* ``appraisal_merge`` → ``parapp appraisal merge FILES… [--choose UNIT:CODE=MEMBER]``
* ``requests`` (group) → ``parapp requests list [--all]``
* ``audit`` → ``parapp audit [--unit U] [--period P] [--xlsx FILE]``
* ``bundle_supplement`` → ``parapp bundle supplement --out DIR --approver NAME`` (commune)
* ``inbox_import_supplement`` → ``parapp inbox import-supplement FILE`` (office; an ordinary
  bundle is imported as usual, so ``inbox import`` may call the same service)

All take ``--data-dir`` and ``--json``. Thin: the logic is in :mod:`parapp.services.office.review`,
:mod:`parapp.services.office.merge`, :mod:`parapp.services.commune.requests` and
:mod:`parapp.services.audit`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.models.review import (
    KIND_FINAL,
    KIND_LABELS,
    KIND_PARTIAL,
    KIND_PRELIMINARY,
    KIND_REOPEN,
    parse_state,
)
from parapp.models.text import format_points, parse_number
from parapp.services import audit as audit_service
from parapp.services import unit_keys
from parapp.services.appraisal_result import export_appraisal
from parapp.services.commune import requests as requests_service
from parapp.services.commune import supplement as supplement_service
from parapp.services.office import merge as merge_service
from parapp.services.office import review as review_service
from parapp.services.office import supplements as supplements_service
from parapp.services.paths import default_data_dir
from parapp.services.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A :class:`ParAppError` shown in Vietnamese, exit status 1, no traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def _common(f: F) -> F:
    f = click.option("--json", "as_json", is_flag=True, help="in JSON")(f)
    return click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="thư mục dữ liệu"
    )(f)


@contextmanager
def _workspace(data_dir: Path | None) -> Iterator[Workspace]:
    try:
        with Workspace.open(data_dir or default_data_dir()) as ws:
            yield ws
    except ParAppError as e:
        raise UserError(str(e)) from None


def _emit(as_json: bool, data: Any, text: str) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=1) if as_json else text)


def _date(text: str | None) -> date | None:
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise UserError(f"Ngày “{text}” không hợp lệ (dùng dd/mm/yyyy).")


def _keypair(ws: Workspace) -> KeyPair:
    passphrase = unit_keys.passphrase_from_env()
    if passphrase is None:
        passphrase = click.prompt("Mật khẩu khóa ký", hide_input=True)
    return unit_keys.unlock(ws, passphrase)


# -- office: states --------------------------------------------------------------------------
@click.command("state")
@click.argument("unit")
@click.argument("code")
@click.argument("state")
@click.option("--note", default="", help="ghi chú / lý do / nội dung yêu cầu")
@click.option("--score", help="điểm thẩm định (điều chỉnh điểm)")
@click.option("--period", help="kỳ đánh giá (mặc định: kỳ mới nhất)")
@_common
def appraise_state(
    unit: str,
    code: str,
    state: str,
    note: str,
    score: str | None,
    period: str | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Đặt trạng thái thẩm định cho một tiêu chí, một nhóm tiêu chí, hoặc cả đơn vị (CODE = *).

    STATE: chua-tham-dinh, dat, dieu-chinh-diem, yeu-cau-giai-trinh, yeu-cau-bo-sung-tai-lieu,
    khong-chap-nhan (hoặc not_reviewed, passed, adjusted, explain, supplement, rejected).
    """
    with _workspace(data_dir) as ws:
        try:
            st = parse_state(state.replace("-", " "))
            value = parse_number(score) if score else None
            codes = None if code == "*" else [code]
            n = review_service.set_states(ws, unit, st, note, codes, value, period)
            items = [
                i.to_dict()
                for i in review_service.review_items(ws, unit, period)
                if codes is None or i.code == code or i.code.startswith(code + ".")
            ]
        except ParAppError as e:
            raise UserError(str(e)) from None
    _emit(
        as_json,
        {"count": n, "items": items},
        f"Đã đặt trạng thái “{st.label}” cho {n} tiêu chí của đơn vị {unit}.",
    )


@click.command("review")
@click.argument("unit")
@click.option("--state", "state_filter", help="chỉ các tiêu chí ở trạng thái này")
@click.option("--changed", is_flag=True, help="chỉ các tiêu chí thay đổi so với lần nộp trước")
@click.option("--period", help="kỳ đánh giá")
@_common
def appraise_review(
    unit: str,
    state_filter: str | None,
    changed: bool,
    period: str | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Danh sách tiêu chí của đơn vị với trạng thái thẩm định và phản hồi của đơn vị."""
    with _workspace(data_dir) as ws:
        try:
            wanted = parse_state(state_filter.replace("-", " ")) if state_filter else None
            items = [
                i
                for i in review_service.review_items(ws, unit, period)
                if (wanted is None or i.state is wanted) and (not changed or i.changed)
            ]
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{i.code}\t{i.state_label}\t{format_points(i.appraised)}\t{i.note}"
        + (f"\t[{i.response}]" if i.response else "")
        + ("\t(thay đổi)" if i.changed else "")
        for i in items
    ]
    _emit(as_json, [i.to_dict() for i in items], "\n".join(lines) or "Không có tiêu chí nào.")


@click.command("changes")
@click.argument("unit")
@click.option("--period", help="kỳ đánh giá")
@_common
def appraise_changes(unit: str, period: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Nhật ký thay đổi đơn vị gửi kèm lần nộp hiện tại (so với lần nộp trước)."""
    with _workspace(data_dir) as ws:
        try:
            log = review_service.unit_changes(ws, unit, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{e['at']}\t{e['actor']}\t{e['code']}\t{e['field']}\t{e['before']} → {e['after']}"
        + (f"\t({e['reason']})" if e["reason"] else "")
        for e in log
    ]
    _emit(as_json, log, "\n".join(lines) or "Lần nộp này không kèm thay đổi nào.")


# -- office: results sent down ----------------------------------------------------------------
@click.command("export")
@click.argument("unit")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--preliminary", "kind", flag_value=KIND_PRELIMINARY, help="kết quả sơ bộ")
@click.option("--final", "kind", flag_value=KIND_FINAL, help="kết quả chính thức (khóa kỳ)")
@click.option("--reopen", "kind", flag_value=KIND_REOPEN, help="cho phép đơn vị sửa lại")
@click.option("--partial", "kind", flag_value=KIND_PARTIAL, help="kết quả của một thành viên")
@click.option("--deadline", help="hạn đơn vị trả lời (dd/mm/yyyy)")
@click.option("--approver", help="người ký (mặc định: cán bộ trong cài đặt)")
@click.option("--position", default="Trưởng phòng Nội vụ", help="chức vụ người ký")
@click.option("--member", default="", help="tên thành viên tổ thẩm định (--partial)")
@click.option("--period", help="kỳ đánh giá")
@_common
def appraisal_export(
    unit: str,
    file: Path,
    kind: str | None,
    deadline: str | None,
    approver: str | None,
    position: str,
    member: str,
    period: str | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Ghi tệp kết quả thẩm định có chữ ký số của đơn vị UNIT."""
    with _workspace(data_dir) as ws:
        try:
            signer = approver or ws.officer().get("name", "")
            kp = _keypair(ws)
            if kind is None:
                result = export_appraisal(ws, unit, file, kp, signer, position, period)
            else:
                result = review_service.export_result(
                    ws, unit, file, kp, signer, kind, _date(deadline), period, member
                )
        except ParAppError as e:
            raise UserError(str(e)) from None
    label = KIND_LABELS.get(kind or "", "Kết quả thẩm định")
    _emit(
        as_json,
        {"file": str(result.path), "sha256": result.sha256, "kind": kind or ""},
        f"Đã ghi {label.lower()} của đơn vị {unit}: {result.path}",
    )


@click.command("reopen")
@click.argument("unit")
@click.option("--reason", required=True, help="lý do mở lại (bắt buộc)")
@click.option("--period", help="kỳ đánh giá")
@_common
def appraisal_reopen(
    unit: str, reason: str, period: str | None, data_dir: Path | None, as_json: bool
) -> None:
    """Mở lại kỳ đánh giá đã có kết quả chính thức (sau đó gửi tệp --reopen cho đơn vị)."""
    with _workspace(data_dir) as ws:
        try:
            review_service.reopen(ws, unit, reason, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    _emit(
        as_json,
        {"unit": unit, "reopened": True},
        f"Đã mở lại kỳ đánh giá của đơn vị {unit}. Hãy gửi tệp “appraisal export {unit} "
        "TỆP --reopen” cho đơn vị.",
    )


@click.command("outstanding")
@click.option("--period", help="kỳ đánh giá (mặc định: kỳ mới nhất)")
@_common
def appraisal_outstanding(period: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Các đơn vị còn nợ trả lời yêu cầu giải trình, bổ sung."""
    from parapp.services.appraisal import default_period

    with _workspace(data_dir) as ws:
        try:
            rows = review_service.outstanding(ws, period or default_period(ws))
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{r['unit_code']}\tyêu cầu {r['requests']}\tđã trả lời {r['answered']}\t"
        f"còn nợ {r['owing']}" + ("\tđã khóa" if r["locked"] else "")
        for r in rows
    ]
    _emit(as_json, rows, "\n".join(lines) or "Chưa có yêu cầu nào.")


@click.command("merge")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--choose",
    multiple=True,
    help="giải quyết xung đột: ĐƠN_VỊ:MÃ=TÊN_THÀNH_VIÊN (lặp lại được)",
)
@_common
def appraisal_merge(
    files: tuple[Path, ...], choose: tuple[str, ...], data_dir: Path | None, as_json: bool
) -> None:
    """Hợp nhất kết quả thẩm định của các thành viên; xung đột phải được chọn rõ ràng."""
    with _workspace(data_dir) as ws:
        try:
            choices = merge_service.parse_choices(choose)
            report = merge_service.merge_partials(ws, list(files), choices)
        except ParAppError as e:
            raise UserError(str(e)) from None
    _emit(as_json, report.to_dict(), "\n".join(report.lines()))


# -- commune ------------------------------------------------------------------------------------
@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_common
def appraisal_import(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Nhập tệp kết quả thẩm định (sơ bộ, chính thức, mở lại) của đơn vị cấp trên."""
    with _workspace(data_dir) as ws:
        try:
            summary = requests_service.import_result(ws, file)
        except ParAppError as e:
            raise UserError(str(e)) from None
    text = (
        f"Đã nhập {summary.get('kind_label', 'kết quả thẩm định').lower()} kỳ {summary['period']}"
    )
    if summary.get("requests"):
        text += f"; có {summary['requests']} yêu cầu cần trả lời (“parapp requests list”)"
    if summary.get("locked"):
        text += "; kỳ đánh giá đã khóa"
    _emit(as_json, summary, text + ".")


@click.group("requests")
def requests() -> None:
    """Yêu cầu giải trình, bổ sung tài liệu của đơn vị cấp trên."""


@requests.command("list")
@click.option("--all", "include_all", is_flag=True, help="cả các tiêu chí không có yêu cầu")
@_common
def requests_list(include_all: bool, data_dir: Path | None, as_json: bool) -> None:
    """Các yêu cầu của cấp trên và việc đã trả lời hay chưa."""
    with _workspace(data_dir) as ws:
        try:
            found = requests_service.list_requests(ws, include_all=include_all)
            lock = requests_service.lock_status(ws)
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{r.code}\t{r.state.label}\t{r.note}\t"
        + (", ".join(r.answered) if r.answered else "Chưa trả lời")
        + (f"\tcòn {r.days_left} ngày" if r.days_left is not None else "")
        for r in found
    ]
    if lock["locked"]:
        lines.append(f"Kỳ đánh giá đã khóa từ {lock['since']}.")
    _emit(
        as_json,
        {"requests": [r.to_dict() for r in found], **lock},
        "\n".join(lines) or "Không có yêu cầu nào của cấp trên.",
    )


# -- both sides ---------------------------------------------------------------------------------
@click.command("audit")
@click.option("--unit", help="mã đơn vị")
@click.option("--period", help="kỳ đánh giá")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="ghi ra Excel")
@_common
def audit(
    unit: str | None,
    period: str | None,
    xlsx: Path | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Nhật ký thay đổi: ai, khi nào, trước, sau, lý do."""
    with _workspace(data_dir) as ws:
        try:
            rows = audit_service.entries(ws, unit, period)
            if xlsx is not None:
                audit_service.export_xlsx(ws, xlsx, unit, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{r['at']}\t{r['actor']}\t{r['unit_code']}\t{r['code']}\t{r['field']}\t"
        f"{r['before']} → {r['after']}" + (f"\t({r['reason']})" if r["reason"] else "")
        for r in rows
    ]
    if xlsx is not None:
        lines.append(f"Đã ghi {len(rows)} dòng vào {xlsx}.")
    _emit(as_json, rows, "\n".join(lines) or "Chưa có thay đổi nào.")


# -- supplements --------------------------------------------------------------------------------
@click.command("supplement")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="thư mục hoặc tệp")
@click.option("--approver", required=True, help="họ tên lãnh đạo ký duyệt")
@click.option("--position", default="Chủ tịch UBND", help="chức vụ người ký")
@_common
def bundle_supplement(
    out: Path, approver: str, position: str, data_dir: Path | None, as_json: bool
) -> None:
    """Nộp bổ sung: lần nộp mới, chỉ mang các tài liệu cấp trên chưa có."""
    with _workspace(data_dir) as ws:
        try:
            sent = supplement_service.export_supplement(ws, out, _keypair(ws), approver, position)
        except ParAppError as e:
            raise UserError(str(e)) from None
    _emit(
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


@click.command("import-supplement")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_common
def inbox_import_supplement(file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Nhập hồ sơ bổ sung (ghép lại đầy đủ từ lần nộp đã nhận rồi kiểm tra như mọi hồ sơ)."""
    with _workspace(data_dir) as ws:
        try:
            entry = supplements_service.import_any(ws, file)
        except ParAppError as e:
            raise UserError(str(e)) from None
    _emit(
        as_json,
        dataclasses.asdict(entry),
        f"{entry.unit_code} lần {entry.revision}: {entry.status}"
        + (f" — {entry.reason}" if entry.reason else ""),
    )
