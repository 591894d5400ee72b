"""``parapp report narrative show|set SECTION|draft``: the report's own words.

The narrative sections (general assessment, results, shortcomings, causes, solutions,
recommendations) are the officer's text, stored with the assessment and frozen into each
revision; :mod:`parapp.services.commune.narrative` holds the logic, this is a thin click layer.
"""

from __future__ import annotations

from pathlib import Path

import click

from parapp.cli.common import Settings, emit, global_options, open_ws, pass_settings
from parapp.cli.vietnamese import Choice, Command, Group
from parapp.models.errors import ParAppError
from parapp.models.narrative import SECTIONS, narrative_to_dict
from parapp.models.print_data import Narrative
from parapp.services.commune import narrative as service


def _text(text: Narrative, only: str | None = None) -> str:
    values = narrative_to_dict(text)
    lines: list[str] = []
    for key, title in SECTIONS.items():
        if only and key != only:
            continue
        lines += [f"== {title} ({key}) ==", values.get(key, "") or "(trống)", ""]
    return "\n".join(lines).rstrip()


@click.command("show", cls=Command, help="in lời văn sẽ in trong báo cáo")
@click.argument("section", required=False, type=Choice(list(SECTIONS)))
@global_options
@pass_settings
def show(settings: Settings, section: str | None) -> int:
    """Mục chưa viết lấy theo dự thảo của ứng dụng."""
    with open_ws(settings) as ws:
        text = service.report_narrative(ws)
    values = narrative_to_dict(text)
    data = {k: v for k, v in values.items() if not section or k == section}
    emit(settings, data, lambda: _text(text, section))
    return 0


@click.command("set", cls=Command, help="ghi nội dung một mục (trống: trở lại dự thảo)")
@click.argument("section", type=Choice(list(SECTIONS)))
@click.option("--text", "text", metavar="NỘI_DUNG", help="nội dung mục")
@click.option("--file", "file", help="tệp văn bản UTF-8")
@global_options
@pass_settings
def set_text(settings: Settings, section: str, text: str | None, file: str | None) -> int:
    if (text is None) == (file is None):
        raise click.UsageError("Hãy dùng đúng một trong hai: --text hoặc --file.")
    if file is not None:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ParAppError(f"Không đọc được tệp “{file}” (UTF-8).") from err
    with open_ws(settings) as ws:
        service.set_section(ws, section, text or "")
    emit(settings, {"section": section}, f"Đã lưu mục “{SECTIONS[section]}”.")
    return 0


@click.command("draft", cls=Command, help="dự thảo lời văn từ số liệu")
@click.option("--save", is_flag=True, help="chép dự thảo vào các mục còn trống để sửa tiếp")
@global_options
@pass_settings
def draft(settings: Settings, save: bool) -> int:
    with open_ws(settings) as ws:
        if save:
            service.adopt_draft(ws)
            emit(settings, {"saved": True}, "Đã chép dự thảo vào các mục còn trống.")
            return 0
        text = service.draft(ws)
    emit(settings, narrative_to_dict(text), lambda: _text(text))
    return 0


narrative = Group(
    "narrative",
    help="lời văn của báo cáo: đánh giá chung, kết quả, tồn tại, nguyên nhân, giải pháp, kiến nghị",
    commands=[show, set_text, draft],
)
report = Group("report", help="báo cáo tự đánh giá", commands=[narrative])
