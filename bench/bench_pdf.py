"""PDF printing speed: an officer waits for these, on an old office PC.

Targets (on the 2-core CI machine): a filled report of 150 items in under 2 s, a ranking
of 200 units in under 3 s. ``run()`` returns one row per case for ``python -m bench``.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parapp.interchange.pdf import render_ranking, render_report
from tests.interchange import pdf_sample_data as sd


def _timed(target: float, name: str, action: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    return {"name": name, "seconds": round(seconds, 3), "target": target, "ok": seconds < target}


def run() -> list[dict[str, Any]]:
    fw = sd.synthetic_framework()
    answers = sd.sample_answers(fw)
    items = sum(1 for _ in fw.leaves())
    ranking = sd.sample_ranking(fw, units=200)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Warm-up: font registration and reportlab's caches are paid once per process.
        sd.write_samples(folder / "warm", units=3)
        report_out, ranking_out = folder / "report.pdf", folder / "ranking.pdf"

        def report() -> None:
            render_report(
                fw, answers, sd.sample_header(), sd.sample_signature(), report_out,
                "UBND xã Điện Bàn", sd.SAMPLE_PERIOD, sd.sample_stamp(), sd.SAMPLE_DATE,
            )  # fmt: skip

        def ranking_pdf() -> None:
            office, signature = sd.sample_office_header(), sd.sample_office_signature()
            render_ranking(ranking, office, signature, ranking_out)

        return [
            _timed(2.0, f"pdf report, {items} items", report),
            _timed(3.0, f"pdf ranking, {len(ranking.rows)} units", ranking_pdf),
        ]


if __name__ == "__main__":
    for row in run():
        print(row)
