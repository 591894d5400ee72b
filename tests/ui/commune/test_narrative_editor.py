"""The narrative editor: the draft as placeholder, edits kept across sections, saved."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from parapp.services.commune import narrative as service
from parapp.ui.commune.narrative_editor import NarrativeEditor
from parapp.ui.session import Session


def test_edit_two_sections_and_save(session: Session, qtbot: QtBot) -> None:
    dlg = NarrativeEditor(session)
    qtbot.addWidget(dlg)
    assert dlg.current_key == "general"
    assert dlg.editor.toPlainText() == ""
    assert dlg.editor.placeholderText() == service.draft(session.ws).general
    dlg.editor.setPlainText("Năm nay phường tập trung số hóa hồ sơ.")
    dlg.sections.setCurrentRow(3)  # causes
    assert dlg.current_key == "causes"
    dlg.use_draft()
    assert dlg.editor.toPlainText() == service.draft(session.ws).causes
    dlg.editor.setPlainText("Công chức kiêm nhiệm nhiều việc.")
    dlg.sections.setCurrentRow(0)
    assert dlg.editor.toPlainText() == "Năm nay phường tập trung số hóa hồ sơ."  # kept
    assert dlg.save()
    stored = service.stored_narrative(session.ws)
    assert stored.general == "Năm nay phường tập trung số hóa hồ sơ."
    assert stored.causes == "Công chức kiêm nhiệm nhiều việc."
    assert stored.results == ""  # untouched: the report keeps printing the draft


def test_too_long_text_is_refused_with_a_message(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr("parapp.ui.messages.present", lambda box: shown.append(box.text()) or 0)
    dlg = NarrativeEditor(session)
    qtbot.addWidget(dlg)
    dlg.editor.setPlainText("x" * 20_001)
    assert not dlg.save()
    assert shown and "quá giới hạn" in shown[0]
    assert service.stored_narrative(session.ws).general == ""
