"""The appraisal result file: the office's appraisal of one unit, signed, sent back down.

It is an ordinary ParApp bundle (same BagIt + minisign checks) of kind ``appraisal``:
``bag-info.txt`` names the office as the signing unit and ``ParApp-X-Appraised-Unit`` the
appraised unit; ``data/assessment.json`` carries the framework, no answers, and the
appraisal under ``extra.appraisal`` (see ``docs/bundle-format.md``). The commune checks it
against its parent's key, enrolled with ``parapp keys trust PARENT PUBFILE``, and keeps the
scores and comments in ``appraisal_results`` to show them beside its own.

Each result file carries its own revision (``ParApp-Revision``: the office's n-th result for
that unit and period; ``extra.appraisal.based_on_revision`` names the submission it
appraised). The commune keeps the newest: an older result never replaces a newer one. Every
item is checked before anything is stored: a code of the framework, a score within 0..max,
no code twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parapp.interchange.appraisal_doc import APPRAISED_UNIT_LABEL, KIND
from parapp.interchange.bundle import BundleResult, make_assessment_doc
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.models.text import clean
from parapp.services.bundle_output import own_bundle_info, write_bundle_via_workspace
from parapp.services.office.appraisal import unit_appraisal
from parapp.services.workspace import Workspace


def export_appraisal(
    ws: Workspace,
    unit_code: str,
    out: Path,
    keypair: KeyPair,
    approver: str,
    approver_position: str = "Trưởng phòng Nội vụ",
    period: str | None = None,
    cycle: dict[str, Any] | None = None,
) -> BundleResult:
    """Write the signed appraisal result of ``unit_code`` (``out``: a file or a folder).

    ``cycle``: the appraisal-cycle section (kind, per-item states and requests; see
    :mod:`parapp.interchange.appraisal_doc`), written under ``extra.appraisal.cycle``.
    """
    approver = clean(approver)
    if not approver:
        raise ParAppError("Chưa nhập họ tên người ký kết quả thẩm định.")
    ua = unit_appraisal(ws, unit_code, period)
    own = ws.require_unit()
    counter_key = f"appraisal_result_revision:{ua.unit_code}:{ua.period}"
    revision = int(ws.settings.get(counter_key, 0)) + 1
    info = own_bundle_info(
        own,
        ua.framework.id,
        ua.framework.content_hash,
        ua.period,
        revision,
        approver,
        clean(approver_position),
        kind=KIND,
        extra=((APPRAISED_UNIT_LABEL, ua.unit_code),),
    )
    done, todo = ua.progress
    extra = {
        "appraisal": {
            "unit_code": ua.unit_code,
            "unit_name": ua.unit_name,
            "revision": ua.revision,
            "based_on_revision": ua.revision,
            "complete": done == todo,
            "items": [
                {"code": i.code, "score": i.appraised, "comment": i.comment}
                for i in ua.items
                if i.appraised is not None or i.comment
            ],
        }
    }
    doc = make_assessment_doc(info, ua.framework, [], extra=extra)
    if cycle is not None:
        doc["extra"]["appraisal"]["cycle"] = cycle
    target = out / f"thamdinh-{ua.unit_code}-{ua.period}-r{revision}.zip" if out.is_dir() else out
    result = write_bundle_via_workspace(ws, target, info, doc, [], keypair)
    ws.settings.set(counter_key, revision)
    return result
