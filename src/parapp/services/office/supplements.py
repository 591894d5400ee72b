"""Receiving a supplement: rebuild the complete signed bag from the revision already held,
then import it like any bundle (every check of :mod:`parapp.services.office.inbox` applies)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from parapp.interchange.supplement import read_supplement, reassemble
from parapp.models.errors import ParAppError
from parapp.services.office import inbox
from parapp.services.office.inbox import BundleProgress, CancelFn, ImportReport, InboxEntry
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import ACCEPTED, STATUS_REFUSED, InboxRepo

UNIT_LABEL = "ParApp-Unit-Code"
PERIOD_LABEL = "ParApp-Period"


def import_paths(
    ws: Workspace,
    files: Sequence[Path],
    progress: BundleProgress | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Import bundle files as :func:`parapp.services.office.inbox.import_bundles` does; supplements
    are completed after the ordinary bundles (their base revision may be among them)."""
    files = inbox.collect_bundle_files(files)  # folders: every bundle inside
    plain = [f for f in files if not _is_supplement(Path(f))]
    report = inbox.import_bundles(ws, plain, progress, cancel)
    for f in files:
        if f in plain or report.cancelled or (cancel is not None and cancel()):
            continue
        try:
            report.entries.append(import_any(ws, Path(f)))
        except ParAppError as err:
            report.entries.append(InboxEntry(Path(f).name, STATUS_REFUSED, str(err)))
    return report


def import_any(ws: Workspace, path: Path) -> InboxEntry:
    """Import a bundle; a supplement is first completed from the earlier revision held."""
    found = read_supplement(Path(path))
    if found is None:
        return inbox.import_bundle(ws, path)
    fetch, fields = found
    unit, period = fields.get(UNIT_LABEL, ""), fields.get(PERIOD_LABEL, "")
    rows = [
        r
        for r in InboxRepo(ws.db).same_revision(unit, period, fetch.base_revision)
        if r["status"] in ACCEPTED and r["stored_path"]
    ]
    if not rows:
        raise ParAppError(
            f"Hồ sơ bổ sung của đơn vị {unit} dẫn chiếu lần nộp {fetch.base_revision} kỳ "
            f"{period}, nhưng chưa nhận lần nộp đó; hãy nhập lần nộp đó trước hoặc đề nghị "
            "đơn vị gửi hồ sơ đầy đủ."
        )
    base = ws.data_dir / str(rows[0]["stored_path"])
    with tempfile.TemporaryDirectory(prefix="parapp-supplement-") as tmp:
        complete = Path(tmp) / Path(path).name  # the inbox lists the file the user chose
        reassemble(Path(path), base, complete, fetch)
        return inbox.import_bundle(ws, complete)


def _is_supplement(path: Path) -> bool:
    """A damaged or hostile file is left to the inbox, which records why it refused it."""
    try:
        return read_supplement(path) is not None
    except (ParAppError, OSError):
        return False
