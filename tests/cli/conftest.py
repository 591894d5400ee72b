"""Fixtures of the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def dd(tmp_path: Path) -> str:
    """A workspace folder (not created yet) as given to ``--data-dir``."""
    return str(tmp_path / "ws")
