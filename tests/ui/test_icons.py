"""Status icons: the shipped files are the drawings, and the app reads them lazily."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from parapp.models.assessment import AnswerStatus
from parapp.ui.icon_drawing import draw
from parapp.ui.icons import NAMES, SIZES, icon_file, status_icon, warning_icon


@pytest.mark.parametrize("name", NAMES)
def test_each_icon_file_is_its_drawing(name: str, qapp: QApplication) -> None:
    """A drawing changed without ``tools/make_status_icons.py`` fails here."""
    for size in SIZES:
        shipped = QImage(icon_file(name, size))
        assert not shipped.isNull(), icon_file(name, size)
        drawn = draw(size, name).toImage()
        fmt = QImage.Format.Format_ARGB32
        assert shipped.convertToFormat(fmt) == drawn.convertToFormat(fmt), (name, size)


def test_the_icons_give_every_size_and_a_crisp_125_percent(qapp: QApplication) -> None:
    for status in AnswerStatus:
        icon = status_icon(status)
        assert not icon.isNull()
        assert sorted(s.width() for s in icon.availableSizes()) == list(SIZES)
        pixmap = icon.pixmap(QSize(20, 20))  # 16 px at 125 %: from the 24 px drawing
        assert pixmap.width() == 20 and not pixmap.toImage().isNull()
    assert status_icon(AnswerStatus.COMPLETE) is status_icon(AnswerStatus.COMPLETE)
    complete = status_icon(AnswerStatus.COMPLETE).pixmap(16).toImage()
    green = complete.pixelColor(8, 3)  # inside the green disc, above the white tick
    assert (green.red(), green.green(), green.blue()) == (24, 128, 56)
    assert not warning_icon().isNull()
