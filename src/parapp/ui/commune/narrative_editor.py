"""“Lời văn báo cáo”: the officer writes the report's sections in his own words.

One list of sections on the left, the text of the chosen one on the right. An empty section
shows the app's draft as a grey placeholder (that is what the report prints until the
officer writes something); "Dùng dự thảo" copies the draft in to edit from there. Saving
goes through :mod:`parapp.services.commune.narrative`, so the CLI and the printed report see it.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parapp.models.errors import ParAppError
from parapp.models.narrative import SECTIONS
from parapp.models.print_data import Narrative
from parapp.services.commune import narrative as service
from parapp.ui import messages
from parapp.ui.session import Session


class NarrativeEditor(QDialog):
    """Edit the narrative sections of the current assessment's report."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Lời văn báo cáo")
        self.resize(820, 560)
        stored = service.stored_narrative(session.ws)
        self.draft: Narrative = service.draft(session.ws)
        self.texts: dict[str, str] = {f.name: getattr(stored, f.name) for f in fields(stored)}
        self.keys = list(SECTIONS)

        self.sections = QListWidget()
        self.sections.addItems(list(SECTIONS.values()))
        self.sections.setMaximumWidth(220)
        self.editor = QPlainTextEdit()
        self.caption = QLabel()
        self.use_draft_button = QPushButton("Dùng &dự thảo")
        self.save_button = QPushButton("&Lưu")
        close = QPushButton("Đó&ng")
        self.use_draft_button.clicked.connect(self.use_draft)
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)

        right = QVBoxLayout()
        right.addWidget(self.caption)
        right.addWidget(self.editor)
        body = QHBoxLayout()
        body.addWidget(self.sections)
        body.addLayout(right)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_draft_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addLayout(buttons)

        self._current = self.keys[0]
        self.sections.currentRowChanged.connect(self._show)
        self.sections.setCurrentRow(0)
        self._show(0)

    @property
    def current_key(self) -> str:
        return self._current

    def _keep_edit(self) -> None:
        self.texts[self._current] = self.editor.toPlainText()

    def _show(self, row: int) -> None:
        if row < 0:
            return
        if self.editor.property("loaded"):
            self._keep_edit()
        self._current = self.keys[row]
        self.caption.setText(
            f"<b>{SECTIONS[self._current]}</b> — để trống thì báo cáo in dự thảo (chữ mờ)."
        )
        self.editor.setPlainText(self.texts.get(self._current, ""))
        self.editor.setPlaceholderText(getattr(self.draft, self._current))
        self.editor.setProperty("loaded", True)

    def use_draft(self) -> None:
        """Copy the app's draft of this section into the editor, to rewrite it."""
        self.editor.setPlainText(getattr(self.draft, self._current))

    def save(self) -> bool:
        """Save every section (an emptied one goes back to the draft)."""
        self._keep_edit()
        try:
            for key in self.keys:
                service.set_section(self.session.ws, key, self.texts.get(key, ""))
        except ParAppError as err:
            messages.show_exception(self, err, "Lời văn báo cáo")
            return False
        self.accept()
        return True
