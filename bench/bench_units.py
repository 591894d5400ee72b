"""Unit catalogue: file size, start-up (load + index) and search latency.

The setup wizard searches on every keystroke, so a search must feel instant on an old PC:
target under 50 ms for the median query and under 200 ms for the worst (one letter, which
matches most of the 14,000 current and historical units).
"""

from __future__ import annotations

import gzip
import statistics
import time
from typing import Any

from parapp.models.catalogue import Catalogue
from parapp.resources import resource
from parapp.services import unit_catalogue

QUERIES = (
    "dien ban", "thu duc", "dien thang bac", "quang nam", "tien giang", "huyen dien ban",
    "Daklak", "Đắc Lắc", "tp hcm", "q1", "phuong 1", "hoan kiem", "ha", "h", "x", "20551",
    "old-00004", "04", "nguyen", "thanh",
)  # fmt: skip


def run() -> list[dict[str, Any]]:
    path = resource("units", "units.json")
    data = path.read_bytes()
    rows: list[dict[str, Any]] = [
        {"name": "units.json size", "value": len(data) // 1024, "unit": "KiB"},
        {"name": "units.json gzip -9", "value": len(gzip.compress(data, 9)) // 1024,
         "unit": "KiB"},
    ]  # fmt: skip
    units = unit_catalogue._document()["units"]
    assert isinstance(units, list)
    started = time.perf_counter()
    Catalogue(units)
    load = time.perf_counter() - started
    rows.append({"name": "build the index", "value": round(load * 1000, 1), "unit": "ms",
                 "target": "< 500", "ok": load < 0.5})  # fmt: skip
    cat = unit_catalogue.catalogue()
    times = []
    for text in QUERIES * 3:
        started = time.perf_counter()
        cat.search(text)
        times.append(time.perf_counter() - started)
    median, worst = statistics.median(times), max(times)
    rows.append({"name": "search, median", "value": round(median * 1000, 2), "unit": "ms",
                 "target": "< 50", "ok": median < 0.05})  # fmt: skip
    rows.append({"name": "search, worst", "value": round(worst * 1000, 1), "unit": "ms",
                 "target": "< 200", "ok": worst < 0.2})  # fmt: skip
    return rows
