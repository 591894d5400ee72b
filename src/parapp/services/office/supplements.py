"""Receiving a supplement: rebuild the complete signed bag from the revision already held,
then import it like any bundle (every check of :mod:`parapp.services.inbox` applies)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from parapp.interchange.supplement import read_supplement, reassemble
from parapp.models.errors import ParAppError
from parapp.services import inbox
from parapp.services.inbox import InboxEntry
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import ACCEPTED, InboxRepo

UNIT_LABEL = "ParApp-Unit-Code"
PERIOD_LABEL = "ParApp-Period"


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
        complete = Path(tmp) / Path(path).name.replace("-bosung", "-day-du")
        reassemble(Path(path), base, complete, fetch)
        return inbox.import_bundle(ws, complete)
