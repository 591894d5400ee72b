"""Draw the ParApp icon and write it as ``resources/icons/parapp.png`` and
``installer/parapp.ico``, with the standard library only (no Pillow dependency).

Why by hand: the icon is a simple shape (a blue rounded square with a white tick), and an
image library only for this would be one more thing to install on every build machine.
The ICO holds 16, 24, 32 and 48 px as classic 32-bit DIBs (every Windows, NSIS and
PyInstaller read those) and 256 px as PNG (what Windows Vista and later expect).

    python tools/make_icon.py
"""

from __future__ import annotations

import math
import struct
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from parapp.fileio import atomic_write_bytes  # noqa: E402 - after the path setup

Pixel = tuple[int, int, int, int]  # RGBA
BLUE = (31, 90, 166)
WHITE = (255, 255, 255)
DIB_SIZES = (16, 24, 32, 48)
PNG_SIZE = 256
SUPERSAMPLE = 4


def _segment_distance(
    px: float, py: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _inside_rounded_square(x: float, y: float, radius: float) -> bool:
    """(x, y) in the unit square [0, 1]² with rounded corners."""
    cx = min(max(x, radius), 1 - radius)
    cy = min(max(y, radius), 1 - radius)
    return math.hypot(x - cx, y - cy) <= radius


def _shade(x: float, y: float) -> tuple[int, int, int] | None:
    """Colour of one sample point in unit coordinates, or ``None`` for transparent."""
    if not _inside_rounded_square(x, y, 0.2):
        return None
    tick = ((0.24, 0.52), (0.43, 0.71), (0.77, 0.3))
    width = 0.075
    if min(_segment_distance(x, y, tick[0], tick[1]), _segment_distance(x, y, tick[1], tick[2])) < (
        width
    ):
        return WHITE
    return BLUE


def render(size: int) -> list[list[Pixel]]:
    """The icon at ``size`` px, antialiased by averaging SUPERSAMPLE² samples per pixel."""
    rows = []
    n = SUPERSAMPLE
    for j in range(size):
        row = []
        for i in range(size):
            r = g = b = a = 0
            for sj in range(n):
                for si in range(n):
                    c = _shade((i + (si + 0.5) / n) / size, (j + (sj + 0.5) / n) / size)
                    if c is not None:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            if a:
                row.append((r // a, g // a, b // a, round(255 * a / (n * n))))
            else:
                row.append((0, 0, 0, 0))
        rows.append(row)
    return rows


def png_bytes(pixels: list[list[Pixel]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def dib_bytes(pixels: list[list[Pixel]]) -> bytes:
    """A 32-bit BGRA DIB as stored in an ICO: bottom-up, double height, with an AND mask."""
    size = len(pixels)
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    xor = b"".join(bytes((p[2], p[1], p[0], p[3])) for row in reversed(pixels) for p in row)
    mask_row = ((size + 31) // 32) * 4
    and_mask = bytearray()
    for row in reversed(pixels):
        bits = bytearray(mask_row)
        for i, p in enumerate(row):
            if p[3] == 0:
                bits[i // 8] |= 0x80 >> (i % 8)
        and_mask += bits
    return header + xor + bytes(and_mask)


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file from ``(size, image data)`` entries (DIB or PNG)."""
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    body = b""
    for size, data in images:
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        body += data
    return out + body


def main() -> int:
    big = render(PNG_SIZE)
    png = png_bytes(big)
    images = [(s, dib_bytes(render(s))) for s in DIB_SIZES] + [(PNG_SIZE, png)]
    png_path = REPO / "resources" / "icons" / "parapp.png"
    ico_path = REPO / "installer" / "parapp.ico"
    png_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(png_path, png)
    atomic_write_bytes(ico_path, ico_bytes(images))
    print(f"{png_path.relative_to(REPO)}: {len(png)} bytes")
    print(f"{ico_path.relative_to(REPO)}: {ico_path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
