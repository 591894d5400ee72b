"""Background operations: run a callable off the GUI thread with progress and cancel.

The callable receives ``progress(done, total)`` and ``cancelled()`` callbacks and must not
touch widgets (Anki's rule); results come back through queued signals, so every slot runs
in the GUI thread. A job that uses the workspace gets its own SQLite connection for its
thread (``WorkspaceDatabase``); the runner closes it when the job ends.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from parapp.models.errors import Cancelled, ParAppError
from parapp.services.workspace import end_background_work

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Job = Callable[[ProgressFn, CancelFn], Any]

_PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress signals a second reach the GUI
UNEXPECTED_TEXT = (
    "ParApp gặp lỗi không mong đợi, việc vừa làm chưa xong. Dữ liệu đã lưu trước đó vẫn an "
    "toàn; hãy thử lại, và gửi phần “Chi tiết” cho bộ phận hỗ trợ nếu lỗi lặp lại."
)


@dataclass(frozen=True)
class Failure:
    """How a job failed: the plain Vietnamese ``text`` for the user and the technical
    ``detail`` (exception types, causes, traceback) for the "Chi tiết" of a message box.
    ``str()`` gives the text, so a view that only shows a line keeps working."""

    text: str
    detail: str | None = None

    def __str__(self) -> str:
        return self.text


def failure_of(err: BaseException) -> Failure:
    """A domain error keeps its own message (its causes go to the detail); anything else
    is a bug: one plain sentence, and the exception with its traceback as the detail."""
    if isinstance(err, ParAppError):
        causes = []
        cause, seen = err.__cause__ or err.__context__, {id(err)}
        while cause is not None and id(cause) not in seen:
            seen.add(id(cause))
            causes.append(f"{type(cause).__module__}.{type(cause).__name__}: {cause}")
            cause = cause.__cause__ or cause.__context__
        detail = "\n".join([type(err).__name__, *causes]) if causes else None
        return Failure(str(err), detail)
    trace = "".join(traceback.format_exception(type(err), err, err.__traceback__))
    return Failure(UNEXPECTED_TEXT, trace.strip())


class BackgroundTask(QObject):
    """One background operation. Keep a reference until ``done`` is emitted.

    Signals: ``progress(done, total)``, ``finished(result)``, ``failed(message)`` (plain
    Vietnamese; :attr:`failure` holds it with its technical detail), ``cancelled()``, and
    ``done()`` after any of the last three.
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
        self.failure: Failure | None = None

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
        except Exception as err:  # a bug too: still tell the user instead of dying silently
            self.failure = failure_of(err)
            self._emit(self.failed, self.failure.text)
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
