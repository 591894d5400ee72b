"""Regenerate docs/samples/*.pdf: one sample of every printed document, from the sample data.

Run ``python tools/make_pdf_samples.py`` after changing the layout or the default data and
commit the PDFs; the samples are rendered with reportlab's invariant mode (fixed dates and
ids), so an unchanged layout produces byte-identical files and a clean diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab import rl_config

from parapp.interchange.pdf.sample_data import write_samples

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else REPO / "docs" / "samples"
    rl_config.invariant = 1
    for kind, path in write_samples(folder).items():
        print(f"{kind:12} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
