"""Pages of a PDF as pixels, for the print dialog's preview and for printing on paper.

The pages are drawn by PDFium (``pypdfium2``, the engine Qt's own QtPdf wraps): the
PySide6-Essentials wheel the app ships has no QtPdf, PySide6-Addons would add ~200 MB to
install for one module, and poppler's ``pdftoppm`` is not on a commune's Windows PC. PDFium
is one 4 MB library in the wheel, on every platform the app runs on, so the preview and the
paper are drawn from the very PDF the officer can save — paper equals the saved file.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from parapp.models.errors import ParAppError

#: PDF canvas units per inch
POINTS_PER_INCH = 72.0
#: above this a page would take more than ~140 MB of memory as pixels (A4 at 600 dpi)
MAX_DPI = 600


@dataclass(frozen=True)
class RasterPage:
    """One page as 32-bit pixels, byte order B, G, R, x (Qt's ``Format_RGB32``).

    ``width_pt``/``height_pt`` are the page's size in points, so a printer can place the
    picture at the page's real size whatever the resolution it was drawn at.
    """

    index: int
    width: int
    height: int
    stride: int
    pixels: bytes
    width_pt: float
    height_pt: float


def page_count(pdf: Path) -> int:
    """How many pages ``pdf`` has (a clear message when it is not a readable PDF)."""
    with _open(pdf) as doc:
        return len(doc)


def raster_pages(
    pdf: Path, dpi: float, pages: Sequence[int] | None = None
) -> Generator[RasterPage, None, None]:
    """The pages of ``pdf`` (0-based ``pages``, default all) drawn at ``dpi``, one at a time
    so a long document never holds more than one page of pixels."""
    if not 0 < dpi <= MAX_DPI:
        raise ParAppError(f"Độ phân giải {dpi:g} dpi không hợp lệ (1–{MAX_DPI} dpi).")
    with _open(pdf) as doc:
        count = len(doc)
        for index in range(count) if pages is None else pages:
            if not 0 <= index < count:
                raise ParAppError(f"Tệp {pdf.name} không có trang {index + 1} (có {count} trang).")
            page = doc[index]
            try:
                width_pt, height_pt = page.get_size()
                bitmap = page.render(
                    scale=dpi / POINTS_PER_INCH, prefer_bgrx=True, optimize_mode="print"
                )
                try:
                    yield RasterPage(
                        index=index,
                        width=bitmap.width,
                        height=bitmap.height,
                        stride=bitmap.stride,
                        pixels=bytes(bitmap.buffer),
                        width_pt=width_pt,
                        height_pt=height_pt,
                    )
                finally:
                    bitmap.close()
            finally:
                page.close()


class _open:
    """``pypdfium2.PdfDocument`` as a context manager with a Vietnamese error."""

    def __init__(self, pdf: Path) -> None:
        self.pdf = Path(pdf)
        self.doc: pypdfium2.PdfDocument | None = None

    def __enter__(self) -> pypdfium2.PdfDocument:
        try:
            self.doc = pypdfium2.PdfDocument(str(self.pdf))
        except (OSError, pypdfium2.PdfiumError) as err:
            raise ParAppError(f"Không đọc được tệp PDF {self.pdf}: {err}") from err
        return self.doc

    def __exit__(self, *_exc: object) -> None:
        if self.doc is not None:
            self.doc.close()
