"""“Thiết lập lại…” with next year: the wizard offers last period's answers and evidence
(“Kỳ đánh giá mới”), going back changes nothing, taking them marks them “từ kỳ trước”."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from parapp.models.carry_over import FrameworkChange
from parapp.services.workspace import Workspace
from parapp.ui.session import Session
from parapp.ui.setup_wizard import SetupWizard


def test_next_year_offers_last_periods_answers(
    qtbot: QtBot, workspace: Workspace, data_dir: Path
) -> None:
    old = workspace.require_assessment()
    leaf = next(c for c in workspace.current_framework().leaves() if not c.survey_only)
    workspace.set_answer(leaf.code, explanation="Đã ban hành kế hoạch.")
    scan = data_dir.parent / "kh.pdf"
    scan.write_bytes(b"%PDF-1.4 ke hoach")
    workspace.add_evidence(leaf.code, scan)
    next_year = int(old.period) + 1
    session = Session(workspace)
    w = SetupWizard(session, data_dir)
    qtbot.addWidget(w)
    w.framework_page.load_frameworks(select=old.framework_id)
    w.framework_page.year_spin.setValue(next_year)
    asked: list[FrameworkChange] = []

    def back(change: FrameworkChange) -> bool | None:
        asked.append(change)
        return None

    w.ask_carry_over = back  # type: ignore[method-assign]
    w.accept()
    assert asked[0].title == "Kỳ đánh giá mới" and asked[0].from_period == old.period
    assert f"Có thể lấy 1 câu trả lời cùng 1 tài liệu kiểm chứng của kỳ {old.period}" in (
        asked[0].message()
    )
    assert w.confirm_page.message_label.text() == (
        f"Chưa lưu được thiết lập: Chưa bắt đầu kỳ {next_year}. Hãy chọn lại hoặc nhấn "
        "“Hoàn tất” lần nữa."
    )
    assert workspace.require_assessment().id == old.id

    w.ask_carry_over = lambda change: True  # type: ignore[method-assign]
    w.accept()
    current = workspace.require_assessment()
    assert current.period == str(next_year) and current.id != old.id
    answer = workspace.answer(leaf.code)
    assert answer.explanation == "Đã ban hành kế hoạch." and answer.carried_from == old.period
    assert [e.file_name for e in answer.evidence] == ["kh.pdf"]
