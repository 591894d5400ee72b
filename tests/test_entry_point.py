"""``python -m parapp``: the desktop cases go to the app without loading the command tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parapp.__main__ import opens_desktop


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--demo"],
        ["--data-dir", "D"],
        ["--demo", "--data-dir", "D"],
        ["--data-dir=D"],
        ["--demo-office"],
        ["--demo-office", "--data-dir", "D"],
    ],
)
def test_desktop_cases(args: list[str]) -> None:
    assert opens_desktop(args)


@pytest.mark.parametrize(
    "args",
    [["init"], ["--data-dir"], ["--data-dir", "D", "units", "list"], ["--json"], ["--help"],
     ["hoso.zip"], ["--data-dir", "--json"]],
)  # fmt: skip
def test_command_cases(args: list[str]) -> None:
    assert not opens_desktop(args)


def test_commands_still_run_through_python_m(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "parapp", "units", "search", "dien ban", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Điện Bàn" in done.stdout
