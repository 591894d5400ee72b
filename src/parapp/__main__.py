"""``python -m parapp``: the desktop app when no command is given, else the command line.

The desktop cases (nothing, ``--demo``, ``--demo-office``, ``--data-dir DIR``) go straight
to the app without loading the command tree, whose command modules pull in reportlab,
openpyxl and the signature libraries: the window shows in about half the time
(``bench/bench_startup.py``). Automatic garbage collection is off from here on, as the
window wants it (:mod:`parapp.ui.main_thread_gc`).
Everything else, including help and errors, is :func:`parapp.cli.main`.
"""

from __future__ import annotations

import gc
import os
import sys


def opens_desktop(args: list[str]) -> bool:
    """Whether ``args`` only ask for the desktop app (the CLI would open it too)."""
    rest = list(args)
    while rest:
        head = rest.pop(0)
        if head in ("--demo", "--demo-office"):
            continue
        if head == "--data-dir" and rest and not rest[0].startswith("-"):
            rest.pop(0)
            continue
        if head.startswith("--data-dir=") and len(head) > len("--data-dir="):
            continue
        return False
    return True


def run(args: list[str]) -> int:
    if opens_desktop(args) and not os.environ.get("PARAPP_NO_GUI"):  # else the CLI refuses
        # The window collects from its own GUI-thread timer (parapp.ui.main_thread_gc);
        # switching automatic collection off now also spares the ~50 collections the start's
        # imports would set off (~10 ms, bench/bench_startup.py). parapp.app.settle_start_up
        # freezes what the start made once the window is painted.
        gc.disable()
        from parapp.app import main as desktop  # loads Qt: only when the window is wanted

        return desktop(args)
    from parapp.cli import main as command_line

    return command_line(args)


def main() -> int:
    """The ``parapp`` and ``parapp-gui`` scripts (pyproject.toml): the same split as
    ``python -m parapp``, so a plain ``parapp`` opens the window without the command tree."""
    return run(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
