"""The office's appraisal screen at real scale: 200 units × 100 items.

Two things an appraiser does all day: switch to the next unit, and type a score. Each is
timed (median of 20) on the real ``AppraisalView`` over a workspace that imported 200 signed
bundles, against a baseline measured in the same run: a plain ``QTableView`` over a
``QStandardItemModel`` of the same size, refilled (switch) or edited (typing). Target: both
under 100 ms.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PARAPP_KDF_PROFILE", "interactive")

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the 200-unit builder lives with the tests

from parapp.ui.office.appraisal_view import COL_SCORE, AppraisalView  # noqa: E402
from parapp.ui.session import Session  # noqa: E402
from tests.ui.office.big_office import build_office, synthetic_framework  # noqa: E402

UNITS, ITEMS, RUNS = 200, 100, 20
TARGET_MS = 100.0


def _median_ms(action: Any, app: QApplication, runs: int = RUNS) -> float:
    times = []
    for i in range(runs):
        started = time.perf_counter()
        action(i)
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(argv: list[str] | None = None) -> list[dict[str, Any]]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        ws = build_office(Path(tmp), UNITS, synthetic_framework(10, ITEMS // 10))
        session = Session(ws)
        view = AppraisalView(session)
        view.resize(1366, 700)
        view.show()
        codes = [f"X{n:03d}" for n in range(UNITS)]
        switch = _median_ms(lambda i: view.select_unit(codes[(i * 7) % UNITS]), app)
        view.select_unit(codes[0])
        score = view.model.index(0, COL_SCORE)
        typing = _median_ms(
            lambda i: view.model.setData(view.model.index(i % 50, COL_SCORE), "0,5"), app
        )
        assert score.isValid()
        view.close()
        view.deleteLater()  # Qt objects go in order, on this thread, before Python exits
        app.processEvents()
        session.deleteLater()
        app.processEvents()
        gc.collect()
        ws.close()

        base_model = QStandardItemModel(ITEMS, 8)
        table = QTableView()
        table.setModel(base_model)
        table.resize(1366, 700)
        table.show()

        def refill(i: int) -> None:
            base_model.clear()
            base_model.setColumnCount(8)
            for r in range(ITEMS):
                base_model.appendRow([QStandardItem(f"{i}.{r}.{c}") for c in range(8)])

        base_switch = _median_ms(refill, app)
        base_typing = _median_ms(
            lambda i: base_model.setData(base_model.index(i % 50, 5), "0,5"), app
        )
        table.close()
        table.deleteLater()
        app.processEvents()
        gc.collect()
    return [
        {"name": f"appraisal: switch unit ({UNITS} units × {ITEMS} items)",
         "value": round(switch, 1), "unit": "ms", "target": f"< {TARGET_MS:g}",
         "ok": switch < TARGET_MS},
        {"name": "baseline: refill a plain table of the same size",
         "value": round(base_switch, 1), "unit": "ms"},
        {"name": "appraisal: type a score (saved, totals updated)",
         "value": round(typing, 1), "unit": "ms", "target": f"< {TARGET_MS:g}",
         "ok": typing < TARGET_MS},
        {"name": "baseline: edit a plain table cell", "value": round(base_typing, 2),
         "unit": "ms"},
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(row)
