"""Compile the Qt translations: every ``resources/translations/*.ts`` into its ``.qm``.

Qt ships no Vietnamese translation of its own strings (dialog buttons, file dialogs, text
field menus), so ParApp keeps one as a ``.ts`` source and compiles it with Qt's own
``lrelease`` (installed with PySide6). The ``.qm`` files are committed so a source checkout
and the frozen app work without this step; a test rebuilds them and compares the bytes.

Usage: ``python tools/build_translations.py [OUT_DIR]``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "resources" / "translations"


def lrelease() -> str:
    """PySide6's ``lrelease`` next to the running Python, else on PATH."""
    here = Path(sys.executable).parent / "pyside6-lrelease"
    found = str(here) if here.exists() else shutil.which("pyside6-lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease not found: install PySide6 (make test does)")
    return found


def build(out_dir: Path = SOURCES) -> list[Path]:
    """Compile each ``.ts`` into ``out_dir``; return the ``.qm`` files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ts in sorted(SOURCES.glob("*.ts")):
        qm = out_dir / ts.with_suffix(".qm").name
        subprocess.run(
            [lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True
        )
        written.append(qm)
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCES):
        print(path)
