"""Background operations: run a callable off the GUI thread with progress and cancel.

The callable receives ``progress(done, total)`` and ``cancelled()`` callbacks and must not
touch widgets (Anki's rule); results come back through queued signals, so every slot runs
in the GUI thread. A job that uses the workspace gets its own SQLite connection for its
thread (``WorkspaceDatabase``); the runner closes it when the job ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from parapp.models.errors import Cancelled, ParAppError
from parapp.services.workspace import end_background_work

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Job = Callable[[ProgressFn, CancelFn], Any]

_PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress signals a second reach the GUI


class BackgroundTask(QObject):
    """One background operation. Keep a reference until ``done`` is emitted.

    Signals: ``progress(done, total)``, ``finished(result)``, ``failed(message)`` (Vietnamese),
    ``cancelled()``, and ``done()`` after any of the last three.
    """

    progress = Signal(object, object)  # ints may exceed 2**31 (large files)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(_Runner(self))

    def cancel(self) -> None:
        """Ask the job to stop; it stops at its next ``cancelled()`` check."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    # -- called in the worker thread -------------------------------------------------------
    def _report(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_progress >= _PROGRESS_INTERVAL_S:
            self._last_progress = now
            self._emit(self.progress, done, total)

    def _run(self) -> None:
        try:
            result = self._job(self._report, self.is_cancelled)
        except Cancelled:
            self._emit(self.cancelled)
        except ParAppError as err:
            self._emit(self.failed, str(err))
        except Exception as err:  # a bug: still tell the user instead of dying silently
            self._emit(self.failed, f"Lỗi không mong đợi: {err}")
        else:
            self._emit(self.finished, result)
        finally:
            end_background_work()
        self._emit(self.done)

    def _emit(self, signal: Any, *args: object) -> None:
        """Emit, unless the window that asked for the work was closed and deleted meanwhile:
        then there is nobody left to tell, and the worker must end quietly."""
        try:
            signal.emit(*args)
        except RuntimeError:
            self._cancel.set()


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self._task._run()
