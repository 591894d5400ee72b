"""Where a workspace lives: ``--data-dir``, else ``PARAPP_DATA_DIR``, else the user data dir.

A marker file ``portable.txt`` next to the program switches to portable mode (data next to
the program, for a USB stick) — see the installer issue.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from parapp import APP_NAME

PORTABLE_MARKER = "portable.txt"


def program_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[3]


def default_data_dir() -> Path:
    override = os.environ.get("PARAPP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    if getattr(sys, "frozen", False) and (program_dir() / PORTABLE_MARKER).exists():
        return program_dir() / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_data_dir() -> Path:
    """The embedded demo workspace used by ``make run`` (separate from real data)."""
    override = os.environ.get("PARAPP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo"


def office_demo_data_dir() -> Path:
    """The office demo workspace used by ``make run-office`` (beside the commune demo)."""
    override = os.environ.get("PARAPP_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "demo-office"
