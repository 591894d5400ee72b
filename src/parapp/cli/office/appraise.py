"""``parapp appraise set|accept|show``: the office appraises each unit's self-assessment."""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, number_arg, open_ws, pass_settings
from parapp.cli.cycle_options import (
    UserError,
    cycle_emit,
    cycle_options,
    cycle_workspace,
)
from parapp.cli.vietnamese import Command, Group
from parapp.models.errors import ParAppError
from parapp.models.review import (
    parse_state,
)
from parapp.models.text import format_number, format_points, parse_number
from parapp.services.office import review as review_service
from parapp.services.office.appraisal import accept_self_scores, set_appraisal, unit_appraisal
from parapp.services.office.survey_results import import_survey_results, write_survey_sheet


@click.command("set", cls=Command, help="nhập điểm thẩm định một tiêu chí")
@click.argument("unit")
@click.argument("code")
@click.option("--score", required=True)
@click.option("--note")
@click.option("--period")
@global_options
@pass_settings
def set_score(
    settings: Settings, unit: str, code: str, score: str, note: str | None, period: str | None
) -> int:
    value = number_arg(score, "Điểm")
    if value is None:
        raise click.UsageError("cần --score")
    with open_ws(settings) as ws:
        item = set_appraisal(ws, unit, code, value, note or "", period)
    emit(
        settings,
        item.__dict__ | {"difference": item.difference},
        f"Đã thẩm định {unit} tiêu chí {item.code}: {format_number(item.appraised)} điểm "
        f"(tự chấm {format_number(item.self_score) or '—'}).",
    )
    return 0


@click.command("accept", cls=Command, help="chấp nhận điểm tự chấm (tiêu chí, lĩnh vực, đơn vị)")
@click.argument("unit")
@click.argument("code", required=False)
@click.option("--period")
@click.option("--overwrite", is_flag=True, help="ghi đè điểm/nhận xét thẩm định đã có")
@global_options
@pass_settings
def accept(
    settings: Settings, unit: str, code: str | None, period: str | None, overwrite: bool
) -> int:
    with open_ws(settings) as ws:
        n = accept_self_scores(ws, unit, code, period, overwrite=overwrite)
        done, todo = unit_appraisal(ws, unit, period).progress
    emit(
        settings,
        {"accepted": n, "appraised": done, "to_appraise": todo},
        f"Đã chấp nhận điểm tự chấm cho {n} tiêu chí. Tiến độ thẩm định: {done}/{todo}.",
    )
    return 0


@click.command("show", cls=Command, help="xem thẩm định của một đơn vị")
@click.argument("unit")
@click.option("--period")
@global_options
@pass_settings
def show(settings: Settings, unit: str, period: str | None) -> int:
    with open_ws(settings) as ws:
        ua = unit_appraisal(ws, unit, period)
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
        settings,
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


@click.command("state", cls=Command)
@click.argument("unit")
@click.argument("code")
@click.argument("state")
@click.option("--note", default="", help="ghi chú / lý do / nội dung yêu cầu")
@click.option("--score", help="điểm thẩm định (điều chỉnh điểm)")
@click.option("--period", help="kỳ đánh giá (mặc định: kỳ mới nhất)")
@cycle_options
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
    with cycle_workspace(data_dir) as ws:
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
    cycle_emit(
        as_json,
        {"count": n, "items": items},
        f"Đã đặt trạng thái “{st.label}” cho {n} tiêu chí của đơn vị {unit}.",
    )


@click.command("review", cls=Command)
@click.argument("unit")
@click.option("--state", "state_filter", help="chỉ các tiêu chí ở trạng thái này")
@click.option("--changed", is_flag=True, help="chỉ các tiêu chí thay đổi so với lần nộp trước")
@click.option("--period", help="kỳ đánh giá")
@cycle_options
def appraise_review(
    unit: str,
    state_filter: str | None,
    changed: bool,
    period: str | None,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Danh sách tiêu chí của đơn vị với trạng thái thẩm định và phản hồi của đơn vị."""
    with cycle_workspace(data_dir) as ws:
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
    cycle_emit(as_json, [i.to_dict() for i in items], "\n".join(lines) or "Không có tiêu chí nào.")


@click.command("changes", cls=Command)
@click.argument("unit")
@click.option("--period", help="kỳ đánh giá")
@cycle_options
def appraise_changes(unit: str, period: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Nhật ký thay đổi đơn vị gửi kèm lần nộp hiện tại (so với lần nộp trước)."""
    with cycle_workspace(data_dir) as ws:
        try:
            log = review_service.unit_changes(ws, unit, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    lines = [
        f"{e['at']}\t{e['actor']}\t{e['code']}\t{e['field']}\t{e['before']} → {e['after']}"
        + (f"\t({e['reason']})" if e["reason"] else "")
        for e in log
    ]
    cycle_emit(as_json, log, "\n".join(lines) or "Lần nộp này không kèm thay đổi nào.")


@click.command("survey-template", cls=Command)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", help="kỳ đánh giá (mặc định: kỳ mới nhất)")
@cycle_options
def survey_template(out: Path, period: str | None, data_dir: Path | None, as_json: bool) -> None:
    """Tạo bảng Excel để nhập điểm điều tra xã hội học (mỗi đơn vị đã nộp một dòng)."""
    with cycle_workspace(data_dir) as ws:
        try:
            n = write_survey_sheet(ws, out, period)
        except ParAppError as e:
            raise UserError(str(e)) from None
    cycle_emit(as_json, {"units": n, "file": str(out)}, f"Đã tạo {out} cho {n} đơn vị.")


@click.command("survey-import", cls=Command)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", help="kỳ đánh giá (mặc định: kỳ mới nhất)")
@click.option("--overwrite", is_flag=True, help="thay điểm điều tra XHH đã nhập trước")
@cycle_options
def survey_import(
    file: Path, period: str | None, overwrite: bool, data_dir: Path | None, as_json: bool
) -> None:
    """Nhập điểm điều tra xã hội học từ bảng Excel (tất cả hoặc không gì cả)."""
    with cycle_workspace(data_dir) as ws:
        try:
            n = import_survey_results(ws, file, period, overwrite=overwrite)
        except ParAppError as e:
            raise UserError(str(e)) from None
    cycle_emit(as_json, {"entered": n}, f"Đã nhập {n} điểm điều tra XHH.")


appraise = Group(
    "appraise",
    help="thẩm định",
    commands=[
        *(set_score, accept, show, appraise_state, appraise_review, appraise_changes),
        *(survey_template, survey_import),
    ],
)
