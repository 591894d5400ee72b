"""The ``parapp`` command line (``click``) over the services layer.

Conventions: ``--data-dir`` picks the workspace, ``--json`` prints machine-readable output
(both accepted before or after the command), exit code 0 on success, 1 on a user or data error
(message on stderr, in Vietnamese), 2 on bad usage. With no command the desktop app opens (on
``--data-dir`` when given); with a single bundle file it opens the app's bundle check.

The command tree is in :mod:`parapp.cli.root`; each command's code is in the module named like
it: ``cli/workspace.py`` (init, backup, restore), ``cli/units.py``, ``cli/framework.py``,
``cli/tasks.py``, ``cli/printing.py``, ``cli/verify.py``, the commune's side in
``cli/commune/`` and the receiving office's in ``cli/office/``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from click.exceptions import NoArgsIsHelpError

from parapp.cli import crash, gui
from parapp.cli.common import Settings
from parapp.cli.root import OpenDesktopApp, root
from parapp.cli.vietnamese import usage_hint, usage_message
from parapp.models.errors import ParAppError

__all__ = ["main"]

BUNDLE_SUFFIXES = (".zip", ".parapp")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``parapp`` command line; returns the process exit code (never raises, never
    prints a traceback: an unexpected error is logged to a file and named on stderr)."""
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    try:
        return _dispatch(args, settings)
    except BrokenPipeError as err:
        if _stdout_is_gone():  # `parapp … --json | head -1`: the reader has had enough
            return 1
        crash.report(err, args, settings.resolved_data_dir())
        return 1
    except Exception as err:  # the top-level handler: anything nobody planned for
        crash.report(err, args, settings.resolved_data_dir())
        return 1


def is_bundle_path(arg: str) -> bool:
    """A submission bundle given alone (Explorer's "open with" passes just the file)."""
    return Path(arg).suffix.lower() in BUNDLE_SUFFIXES and Path(arg).is_file()


def _dispatch(args: list[str], settings: Settings) -> int:
    if len(args) == 1 and is_bundle_path(args[0]):
        return gui.launch(["--open", args[0]])
    try:
        with root.make_context("parapp", args, obj=settings) as ctx:
            result = root.invoke(ctx)
        return result if isinstance(result, int) else 0
    except OpenDesktopApp as request:  # no command, or --demo
        return gui.launch(request.argv)
    except click.exceptions.Exit as done:  # --help, --version, --selftest
        return done.exit_code
    except NoArgsIsHelpError as err:  # a group without its sub-command: show its commands
        crash.say(err.ctx.get_help())
        return 2
    except click.UsageError as err:
        crash.say(f"parapp: lỗi cú pháp: {usage_message(err)}\n{usage_hint(err)}")
        return 2
    except (click.Abort, KeyboardInterrupt, EOFError):
        crash.say("Đã dừng.")
        return 1
    except click.ClickException as err:
        crash.say(f"Lỗi: {err.format_message()}")
        return 1
    except ParAppError as err:
        crash.say(f"Lỗi: {err}")
        return 1


def _stdout_is_gone() -> bool:
    """True when standard output is a closed pipe; then point it at the null device so the
    interpreter's final flush does not print a second error on the way out.

    A broken pipe elsewhere (a child process) is a real error: the probe, one more line on
    standard output, tells the two apart (the failed write may have left nothing buffered,
    so a bare flush would not)."""
    try:
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except (OSError, ValueError):
        return False
    else:
        return False
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return True
