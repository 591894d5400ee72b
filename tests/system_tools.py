"""The system tools and shared data the suite drives, found or failed — never skipped.

`make test` installs the tools first (tools/system_deps.sh); a test that cannot find one
fails with the command to run, because a check that silently skips can hide a regression.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    """The path of a system tool, or an assertion error saying how to install it."""
    path = shutil.which(name)
    assert path is not None, f"{name} is not installed: run `make deps` (tools/system_deps.sh)"
    return path


def shared_dir() -> Path:
    """The steering repo's ``shared/`` folder beside the clone (CI lays it there)."""
    env = os.environ.get("PARAPP_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    assert path.is_dir(), f"the shared folder is missing at {path} (set PARAPP_SHARED)"
    return path


def seeds_dir() -> Path:
    """The seed documents (``shared/seeds``) the default data is built from."""
    env = os.environ.get("PARAPP_SEEDS_DIR")
    path = Path(env) if env else shared_dir() / "seeds"
    assert path.is_dir(), f"the seed documents are missing at {path} (set PARAPP_SEEDS_DIR)"
    return path
