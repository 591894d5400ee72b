"""Status icons: one per :class:`AnswerStatus` plus a warning icon for broken evidence.

Drawn in code (:mod:`parapp.ui.icon_drawing`) at 16, 24, 32 and 48 px and shipped as PNG
files (``resources/icons/status``, written by ``tools/make_status_icons.py``); each size is
read only when Qt first paints it, so a start reads four small files instead of realising
``QPainter`` and drawing sixteen pixmaps (bench/bench_startup.py). Cached per name: icons are
asked for by every visible tree row.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from parapp.models.assessment import AnswerStatus
from parapp.resources import resource

SIZES = (16, 24, 32, 48)
NAMES = (*(s.value for s in AnswerStatus), "warning")
_cache: dict[str, QIcon] = {}


def icon_file(name: str, size: int) -> str:
    """The PNG of icon ``name`` at ``size`` px."""
    return str(resource("icons", "status", f"{name}-{size}.png"))


def _icon(name: str) -> QIcon:
    icon = _cache.get(name)
    if icon is None:
        icon = QIcon()
        for size in SIZES:
            icon.addFile(icon_file(name, size), QSize(size, size))
        _cache[name] = icon
    return icon


def status_icon(status: AnswerStatus) -> QIcon:
    """The tree's icon for one status (needs a QGuiApplication)."""
    return _icon(status.value)


def warning_icon() -> QIcon:
    return _icon("warning")
