"""Python's garbage collector, run only on the GUI thread.

The cyclic collector runs in whichever thread happens to allocate when a threshold is
crossed; if that is a background worker, it may finalise Qt objects (widgets of a closed
dialog) off the GUI thread, which crashes Qt (seen: a segfault while a worker rendered a
PDF). Anki solves it the same way: automatic collection off, and a timer on the GUI thread
that collects when the generation-0 count has grown.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 1000


class MainThreadGC(QObject):
    """Disable automatic collection and collect from a GUI-thread timer instead."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(_INTERVAL_MS)

    def check(self) -> None:
        threshold0, threshold1, threshold2 = gc.get_threshold()
        count0, count1, count2 = gc.get_count()
        if count0 > threshold0:
            generation = 2 if count2 > threshold2 else 1 if count1 > threshold1 else 0
            gc.collect(generation)

    def stop(self) -> None:
        self.timer.stop()
        gc.enable()
