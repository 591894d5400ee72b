"""The built-in guide: Vietnamese pages with pictures, opened by F1 at the current screen.

A ``QTextBrowser`` over ``resources/guide/index.html`` (plain HTML and PNGs: no web engine,
no network), so it works offline on any PC the app runs on. One guide window at a time;
F1 again brings it forward at the section of the screen the officer is on.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from parapp.models.errors import ParAppError
from parapp.resources import resource

GUIDE = "index.html"


class GuideDialog(QDialog):
    """A non-modal window showing the guide, scrolled to ``section``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng ParApp")
        self.resize(860, 680)
        folder = resource("guide")
        if not (folder / GUIDE).is_file():
            raise ParAppError(f"Không tìm thấy tài liệu hướng dẫn tại “{folder}”.")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(folder)])
        self.browser.setSource(QUrl.fromLocalFile(str(folder / GUIDE)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def show_section(self, section: str) -> None:
        """Show the guide at ``section`` (an anchor of the page, e.g. ``"nop"``)."""
        if section:
            self.browser.scrollToAnchor(section)
        self.show()
        self.raise_()
        self.activateWindow()
