"""``parapp assess start|set|show``: scripted filling of the self-assessment."""

from __future__ import annotations

from typing import Any

import click

from parapp.cli.common import Settings, emit, global_options, number_arg, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group
from parapp.interchange.bundle import answer_entry
from parapp.models.assessment import Answer
from parapp.models.text import format_number
from parapp.services.framework_package import level_mismatch

_YES_NO = {"có": 1.0, "co": 1.0, "yes": 1.0, "không": 0.0, "khong": 0.0, "no": 0.0}


def answer_json(a: Answer) -> dict[str, Any]:
    """An answer as the signed document carries it, plus each evidence link's id and, while
    it is not reviewed, the period it was carried over from (never part of a bundle)."""
    data = answer_entry(a)
    for entry, link in zip(data["evidence"], a.evidence, strict=True):
        entry["id"] = link.id
    if a.carried_from:
        data["carried_from"] = a.carried_from
    return data


@click.command("start", cls=Command, help="bắt đầu (hoặc mở lại) bản tự đánh giá")
@click.argument("framework_id")
@click.option("--period", required=True)
@click.option(
    "--carry-over",
    is_flag=True,
    help="lấy câu trả lời và tài liệu kiểm chứng của kỳ trước (hoặc của bộ chỉ số cũ) sang "
    "các tiêu chí tương ứng, khớp theo mã và nội dung",
)
@global_options
@pass_settings
def start(settings: Settings, framework_id: str, period: str, carry_over: bool) -> int:
    with open_ws(settings) as ws:
        change = ws.framework_change(framework_id, period)
        unit = ws.require_unit()  # a framework for another level is said, not refused
        level_warning = level_mismatch(ws.framework(framework_id), unit)
        if carry_over:
            a = ws.start_assessment_carrying_over(framework_id, period)
        else:
            a = ws.start_assessment(framework_id, period)
    if change is not None:  # a framework change or a new period: say what happened
        click.echo(change.message(), err=True)
        if change.new_period:
            done = "Đã lấy các câu trả lời phù hợp, đánh dấu “từ kỳ trước” cho tới khi xem lại."
        else:
            done = "Đã chuyển các câu trả lời phù hợp."
        click.echo(
            done
            if carry_over
            else "Chưa chuyển câu trả lời nào; chạy lại với --carry-over để chuyển.",
            err=True,
        )
    if level_warning:  # e.g. a ward on a provincial example
        click.echo(f"Lưu ý: {level_warning}", err=True)
    emit(
        settings,
        {
            "id": a.id,
            "framework_id": a.framework_id,
            "period": a.period,
            "carried": [x.code for x in change.carried] if change and carry_over else [],
            "not_carried": [c for c, _ in change.not_carried] if change else [],
            "from_period": change.from_period if change and change.new_period else "",
        },
        f"Bản tự đánh giá {a.framework_id} kỳ {a.period} là bản hiện hành.",
    )
    return 0


@click.command("set", cls=Command, help="nhập giá trị/điểm của một tiêu chí")
@click.argument("code")
@click.option("--value")
@click.option("--numerator")
@click.option("--denominator")
@click.option("--score")
@click.option("--note")
@global_options
@pass_settings
def set_answer(
    settings: Settings,
    code: str,
    value: str | None,
    numerator: str | None,
    denominator: str | None,
    score: str | None,
    note: str | None,
) -> int:
    kwargs: dict[str, Any] = {}
    if value is not None:
        v = value.strip().casefold()
        kwargs["value"] = _YES_NO[v] if v in _YES_NO else number_arg(value, "Giá trị")
    if numerator is not None:
        kwargs["numerator"] = number_arg(numerator, "Tử số", whole=True)
    if denominator is not None:
        kwargs["denominator"] = number_arg(denominator, "Mẫu số", whole=True)
    if score is not None:
        kwargs["self_score"] = number_arg(score, "Điểm")
    if note is not None:
        kwargs["explanation"] = note
    if not kwargs:
        raise click.UsageError(
            "cần ít nhất một trong --value, --numerator, --denominator, --score, --note"
        )
    with open_ws(settings) as ws:
        a = ws.set_answer(code, **kwargs)
    emit(settings, answer_json(a), f"{a.code}: {format_number(a.self_score)} điểm.")
    return 0


@click.command("show", cls=Command, help="xem bản tự đánh giá hiện hành")
@global_options
@pass_settings
def show(settings: Settings) -> int:
    with open_ws(settings) as ws:
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
        "answers": [answer_json(answers[k]) for k in sorted(answers)],
        "problems": [
            {"code": p.code, "kind": p.kind, "message": p.message, "blocking": p.blocking}
            for p in r.problems
        ],
    }
    emit(
        settings,
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


assess = Group("assess", help="tự đánh giá", commands=[start, set_answer, show])
