"""The receiving office's own bundle upward: its consolidation and appraisal, plus each child
unit's bundle carried unchanged, signed with the office's key.

The level above runs ``parapp bundle verify FILE --recursive``: the office's signature covers
the children's files byte for byte, and each child is checked again against the public key
the office lists for it in ``children`` of ``data/assessment.json``, so every level is checked.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from parapp import __version__
from parapp.interchange.bundle import (
    CHILDREN_DIR,
    BundleInfo,
    BundleResult,
    make_assessment_doc,
)
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.models.text import clean
from parapp.services.bundle_output import write_bundle_via_workspace
from parapp.services.consolidation import consolidate
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalsRepo, InboxRepo

KIND = "consolidation"


def _child_name(unit_code: str, period: str, revision: int) -> str:
    raw = f"{unit_code}-{period}-r{revision}"
    return (
        re.sub(r"[^A-Za-z0-9._-]+", "_", raw.encode("ascii", "ignore").decode()).strip("._-")[:140]
        + ".zip"
    )


def export_office_bundle(
    ws: Workspace,
    out: Path,
    keypair: KeyPair,
    approver: str,
    approver_position: str = "Trưởng phòng Nội vụ",
    period: str | None = None,
) -> BundleResult:
    """Write the office's consolidation bundle for ``period`` (``out``: a file or folder)."""
    approver = clean(approver)
    if not approver:
        raise ParAppError("Chưa nhập họ tên lãnh đạo phê duyệt.")
    c = consolidate(ws, period)
    own = ws.require_unit()
    repo = InboxRepo(ws.db)
    current = repo.current(c.period)
    counter_key = f"office_bundle_revision:{c.period}"
    revision = int(ws.settings.get(counter_key, 0)) + 1
    info = BundleInfo(
        unit_code=own.code,
        unit_name=own.name,
        unit_level=own.level.value,
        parent_unit=own.parent_code or "",
        framework_id=c.framework.id,
        framework_hash=c.framework.content_hash,
        period=c.period,
        revision=revision,
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        app_version=__version__,
        approver=approver,
        approver_position=clean(approver_position),
        kind=KIND,
    )
    children: list[tuple[str, Path]] = []
    declared: list[dict[str, str]] = []
    for r in current:
        name = _child_name(str(r["unit_code"]), c.period, int(r["revision"]))
        path = ws.data_dir / str(r["stored_path"])
        if not path.is_file():
            raise ParAppError(f"Mất tệp hồ sơ đã nhận của đơn vị {r['unit_code']}: {path}.")
        children.append((name, path))
        declared.append(
            {
                "file": CHILDREN_DIR + name,
                "unit_code": str(r["unit_code"]),
                "public_key": str(r["signer_key"]),
            }
        )
    given = AppraisalsRepo(ws.db).for_period(c.period)
    extra = {
        "consolidation": c.as_dict(),
        "appraisals": {
            unit: [
                {
                    "code": code,
                    "score": g["score"],
                    "comment": g["comment"],
                    "based_on_revision": g["based_on_revision"],
                }
                for code, g in sorted(items.items())
            ]
            for unit, items in sorted(given.items())
        },
        "children_key_verified": {str(r["unit_code"]): bool(r["key_verified"]) for r in current},
    }
    doc = make_assessment_doc(info, c.framework, [], declared, extra)
    default_name = _child_name(f"tonghop-{own.code}", c.period, revision)
    target = out / default_name if out.is_dir() else out
    result = write_bundle_via_workspace(ws, target, info, doc, [], keypair, children=children)
    ws.settings.set(counter_key, revision)
    return result
