"""Shared fixtures: an isolated data dir per test, Qt offscreen, a filled demo workspace."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data dir from a test."""
    monkeypatch.setenv("PARAPP_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("PARAPP_PASSPHRASE", raising=False)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def workspace(data_dir: Path) -> Iterator[object]:
    """A workspace with the defaults installed, a commune, and a current PAR assessment."""
    from parapp.services.defaults import open_demo

    ws = open_demo(data_dir)
    try:
        yield ws
    finally:
        ws.close()
