"""``parapp appraise set|accept|show``: the office appraises each unit's self-assessment."""

from __future__ import annotations

import click

from parapp.cli.common import Settings, emit, global_options, number_arg, open_ws, pass_settings
from parapp.cli.vietnamese import Command, Group
from parapp.models.text import format_number
from parapp.services.appraisal import accept_self_scores, set_appraisal, unit_appraisal


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


appraise = Group("appraise", help="thẩm định", commands=[set_score, accept, show])
