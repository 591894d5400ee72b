"""The top-level handler: an unexpected error is one Vietnamese line naming a log file that
holds the traceback; a closed output pipe ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from parapp.cli import main
from parapp.services import unit_catalogue
from parapp.services.workspace import Workspace


def _boom(*_args: object, **_kwargs: object) -> object:
    raise RuntimeError("hỏng giữa chừng (giả lập)")


def _log_named_in(err: str) -> Path:
    assert "Chi tiết đã ghi vào " in err
    return Path(err.split("Chi tiết đã ghi vào ", 1)[1].split(" — ", 1)[0])


def test_unexpected_error_is_a_vietnamese_line_and_a_log_in_the_workspace(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dd = tmp_path / "ws"
    assert main(["init", "--unit", "20551", "--data-dir", str(dd)]) == 0
    capsys.readouterr()
    monkeypatch.setattr(Workspace, "rollup", _boom)
    assert (
        main(["assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", str(dd)]) == 0
    )
    capsys.readouterr()

    code = main(["assess", "show", "--json", "--data-dir", str(dd)])

    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("Lỗi không mong đợi")
    assert "Traceback" not in err and "RuntimeError" not in err
    log = _log_named_in(err)
    assert log.parent == dd / "logs"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: hỏng giữa chừng (giả lập)" in text
    assert "parapp assess show --json" in text


def test_without_a_workspace_the_log_goes_to_the_user_log_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    user_logs = tmp_path / "user-logs"
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda *_a, **_k: str(user_logs))
    monkeypatch.setattr(unit_catalogue, "search", _boom)
    dd = tmp_path / "never-created"

    code = main(["units", "search", "dien ban", "--data-dir", str(dd)])

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    log = _log_named_in(err)
    assert log.parent == user_logs
    assert "RuntimeError" in log.read_text(encoding="utf-8")
    assert not dd.exists()  # a failing command leaves no stray folder behind


def test_no_log_folder_writable_still_no_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda *_a, **_k: str(blocker / "logs"))
    monkeypatch.setattr(unit_catalogue, "search", _boom)

    assert main(["units", "search", "x"]) == 1
    err = capsys.readouterr().err
    assert "Lỗi không mong đợi" in err and "Không ghi được tệp nhật ký" in err
    assert "Traceback" not in err


def test_ctrl_c_is_a_short_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_a: object, **_k: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(unit_catalogue, "search", interrupted)
    assert main(["units", "search", "x"]) == 1
    assert capsys.readouterr().err.strip() == "Đã dừng."


@pytest.mark.slow
def test_output_closed_early_ends_quietly(tmp_path: Path) -> None:
    """`parapp units search xa --json | head -1`: far more than a pipe buffer of output, the
    reader goes away after one line; no traceback, no "Exception ignored", no crash log."""
    user_state = tmp_path / "state"
    env = dict(
        os.environ,
        PARAPP_NO_GUI="1",
        PARAPP_DATA_DIR=str(tmp_path / "ws"),
        XDG_STATE_HOME=str(user_state),
        PYTHONIOENCODING="utf-8",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "parapp", "units", "search", "xa", "--json", "--limit", "5000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == b"["
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert err == ""
    assert not user_state.exists()
