"""Portable mode: a ``portable.txt`` next to the frozen program keeps the data beside it.

The frozen app is faked by setting ``sys.frozen`` and ``sys.executable`` (what PyInstaller's
bootloader sets), so the real :func:`default_data_dir` decides from a real folder on disk.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from parapp.services.paths import PORTABLE_MARKER, default_data_dir, program_dir
from parapp.services.workspace import Workspace


@pytest.fixture
def frozen_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A program folder with a (dummy) executable, as sys.executable of a frozen app."""
    folder = tmp_path / "USB" / "ParApp"
    folder.mkdir(parents=True)
    exe = folder / "ParApp.exe"
    exe.write_bytes(b"MZ")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.delenv("PARAPP_DATA_DIR", raising=False)
    return folder


def test_without_marker_the_user_data_dir_is_used(frozen_program: Path) -> None:
    assert program_dir() == frozen_program.resolve()
    data = default_data_dir()
    assert data == Path(platformdirs.user_data_dir("ParApp", appauthor=False))
    assert frozen_program.resolve() not in data.parents


def test_marker_puts_the_data_next_to_the_program(frozen_program: Path) -> None:
    (frozen_program / PORTABLE_MARKER).write_text("portable\n", encoding="utf-8")
    data = default_data_dir()
    assert data == frozen_program.resolve() / "data"
    with Workspace.open(data) as ws:
        ws.settings.set("probe", "ok")
    assert (frozen_program / "data").is_dir()
    assert any((frozen_program / "data").iterdir())


def test_removing_the_marker_switches_back(frozen_program: Path) -> None:
    marker = frozen_program / PORTABLE_MARKER
    marker.write_text("", encoding="utf-8")
    assert default_data_dir() == frozen_program.resolve() / "data"
    marker.unlink()
    assert default_data_dir() != frozen_program.resolve() / "data"


def test_environment_override_wins_over_the_marker(
    frozen_program: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (frozen_program / PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setenv("PARAPP_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"


def test_marker_is_ignored_when_not_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From a source tree, a portable.txt next to the Python interpreter means nothing."""
    folder = tmp_path / "py"
    folder.mkdir()
    (folder / PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "python"))
    monkeypatch.delenv("PARAPP_DATA_DIR", raising=False)
    assert default_data_dir() != folder / "data"
    assert default_data_dir() == Path(platformdirs.user_data_dir("ParApp", appauthor=False))
