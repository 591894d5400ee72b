"""The ``parapp`` command line: conventions (exit codes, --json, --data-dir, the app when no
command is given); each command's own tests are in the file named like its module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parapp import __version__
from parapp.cli import gui, main
from tests.cli.helpers import run


def test_data_errors_exit_1_with_vietnamese_message(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "framework", "show", "khong-co", "--data-dir", dd)
    assert code == 1 and "Không có bộ chỉ số mã “khong-co”" in err
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    code, _, err = run(capsys, "framework", "import", str(bad), "--data-dir", dd)
    assert code == 1 and "chỉ nhận tệp Excel" in err
    code, _, err = run(
        capsys, "framework", "import", str(tmp_path / "missing.xlsx"), "--data-dir", dd
    )
    assert code == 1 and "Không tìm thấy" in err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["framework", "frobnicate"]) == 2
    assert main(["init"]) == 2


def test_python_dash_m_entry_point_and_env_data_dir(tmp_path: Path) -> None:
    env = dict(os.environ, PARAPP_DATA_DIR=str(tmp_path / "envdir"), PARAPP_NO_GUI="1")
    out = subprocess.run(
        [sys.executable, "-m", "parapp", "init", "--unit", "20551"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "envdir" / "parapp.sqlite").is_file()
    no_args = subprocess.run(
        [sys.executable, "-m", "parapp"],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert no_args.returncode == 2 and "giao diện" in no_args.stderr


def test_global_options_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    before = run(capsys, "--json", "--data-dir", dd, "units", "list")
    after = run(capsys, "units", "list", "--json", "--data-dir", dd)
    mixed = run(capsys, "--data-dir", dd, "units", "list", "--json")
    assert before == after == mixed
    assert before[0] == 0 and json.loads(before[1])[0]["code"]
    # as with argparse, the command's own --data-dir wins over the one before it
    other = str(tmp_path / "other")
    assert run(capsys, "--data-dir", other, "units", "list", "--json", "--data-dir", dd) == before
    assert not Path(other).exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"ParApp {__version__}\n", "")


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The desktop app's launcher, replaced by a recorder (Qt never starts)."""
    seen: list[list[str]] = []

    def record(argv: list[str]) -> int:
        seen.append(argv)
        return 0

    monkeypatch.setattr(gui, "launch", record)
    return seen


def test_without_a_command_the_app_opens(
    launched: list[list[str]], capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    bundle = tmp_path / "20551-2026-r1.zip"
    bundle.write_bytes(b"PK\x05\x06" + bytes(18))
    assert main([]) == 0
    assert main(["--data-dir", dd]) == 0  # issue 18: the app on that workspace, not the help
    assert main(["--demo"]) == 0
    assert main(["--demo", "--data-dir", dd]) == 0
    assert main(["--demo-office"]) == 0
    assert main([str(bundle)]) == 0
    assert launched == [
        [],
        ["--data-dir", dd],
        ["--demo"],
        ["--demo", "--data-dir", dd],
        ["--demo-office"],
        ["--open", str(bundle)],
    ]
    assert capsys.readouterr() == ("", "")


def test_a_command_never_opens_the_app(
    launched: list[list[str]], capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    assert run(capsys, "--data-dir", dd, "init", "--unit", "20551")[0] == 0
    assert run(capsys, "--data-dir", dd, "framework")[0] == 2
    assert run(capsys, "--data-dir", dd, "--help")[0] == 0
    assert launched == []
