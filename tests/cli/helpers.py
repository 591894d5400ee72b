"""Run the CLI in-process, as the entry point does."""

from __future__ import annotations

import pytest

from parapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``parapp ARGS``."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
