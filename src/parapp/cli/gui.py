"""Hand over to the desktop application (``parapp`` with no command)."""

from __future__ import annotations

import os
import sys


def launch(argv: list[str]) -> int:
    """Run the desktop app with ``argv`` (``--demo``, ``--data-dir DIR``, ``--open FILE``).

    ``PARAPP_NO_GUI`` refuses instead (exit 2), for scripts and tests on machines where a
    window must never open.
    """
    if os.environ.get("PARAPP_NO_GUI"):
        print("parapp: giao diện bị tắt (PARAPP_NO_GUI).", file=sys.stderr)
        return 2
    # The one deliberate deferred import of the CLI: parapp.app loads Qt (PySide6), which the
    # headless commands must never pay for nor need (tests/test_layering.py imports every
    # non-UI module, this one included, and fails when Qt gets loaded).
    from parapp.app import main as app_main

    return app_main(argv)
