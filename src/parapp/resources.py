"""Where the bundled resources (default frameworks, fonts, icons, translations) live.

In a source tree they are in ``<repo>/resources``; in an installed wheel next to the package
is not possible (they are big and shared), so the frozen app (PyInstaller) puts them in
``sys._MEIPASS/resources``; ``PARAPP_RESOURCES`` overrides both (tests, portable builds).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The resources folder of this installation."""
    override = os.environ.get("PARAPP_RESOURCES")
    if override:
        return Path(override)
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Path:
    """Path of one resource, e.g. ``resource("defaults", "par.json")``."""
    return resources_dir().joinpath(*parts)
