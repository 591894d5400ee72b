"""Draw the status icons (:mod:`parapp.ui.icon_drawing`) into ``resources/icons/status``.

Run after changing a drawing; ``tests/ui/test_icons.py`` fails until the files match.

    QT_QPA_PLATFORM=offscreen python tools/make_status_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from PySide6.QtCore import QBuffer, QIODevice  # noqa: E402 - after the path setup
from PySide6.QtGui import QGuiApplication  # noqa: E402

from parapp.fileio import atomic_write_bytes  # noqa: E402
from parapp.ui.icon_drawing import draw  # noqa: E402
from parapp.ui.icons import NAMES, SIZES, icon_file  # noqa: E402


def png_bytes(name: str, size: int) -> bytes:
    """The icon drawn now, as PNG bytes."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    draw(size, name).save(buffer, "PNG")
    return bytes(buffer.data().data())


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication([])
    for name in NAMES:
        for size in SIZES:
            path = Path(icon_file(name, size))
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, png_bytes(name, size))
            print(path.relative_to(REPO))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
