"""The receiving office's own bundle upward: its consolidation and appraisal, plus each child
unit's bundle carried unchanged, signed with the office's key.

The level above runs ``parapp bundle verify FILE --recursive``: the office's signature covers
the children's files byte for byte, and each child is checked again against the public key
the office lists for it in ``children`` of ``data/assessment.json``, so every level is checked.

Before signing, every stored child bundle is checked again (its SHA-256 as received, then a
full recursive verification with the key it was accepted under): the office's signature
must never vouch for a file that changed on disk since. Units that did not submit and units
whose appraisal is unfinished are reported as warnings, and listed in the bundle itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from parapp.fileio import sha256_file
from parapp.interchange.bundle import (
    CHILDREN_DIR,
    make_assessment_doc,
    verify_bundle,
)
from parapp.interchange.bundle import (
    BundleResult as BundleResult,  # re-exported: the office screens show the result
)
from parapp.interchange.keys import KeyFileError, KeyPair, public_key_from_base64
from parapp.models.errors import ParAppError
from parapp.models.text import clean
from parapp.services.bundle_output import own_bundle_info, write_bundle_via_workspace
from parapp.services.office.consolidation import Consolidation, consolidate
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalsRepo, InboxRepo, Row

KIND = "consolidation"


def _child_name(unit_code: str, period: str, revision: int) -> str:
    raw = f"{unit_code}-{period}-r{revision}"
    return (
        re.sub(r"[^A-Za-z0-9._-]+", "_", raw.encode("ascii", "ignore").decode()).strip("._-")[:140]
        + ".zip"
    )


def check_stored_child(ws: Workspace, row: Row) -> Path:
    """The stored bundle of ``row``, checked again; :class:`ParAppError` when it changed."""
    unit = str(row["unit_code"])
    path = ws.data_dir / str(row["stored_path"])
    redo = "Hãy nhập lại hồ sơ gốc của đơn vị rồi xuất lại."
    if not row["stored_path"] or not path.is_file():
        raise ParAppError(f"Mất tệp hồ sơ đã nhận của đơn vị {unit}: “{path}”. {redo}")
    try:
        same = sha256_file(path) == str(row["file_sha256"])
        key = public_key_from_base64(str(row["signer_key"]))
    except (OSError, KeyFileError) as err:
        raise ParAppError(f"Không đọc được hồ sơ đã nhận của đơn vị {unit}: {err}. {redo}") from err
    if not same:
        raise ParAppError(
            f"Hồ sơ đã nhận của đơn vị {unit} (“{path.name}”) đã bị thay đổi trên đĩa kể từ khi "
            f"nhận (sai mã băm); không ký hồ sơ tổng hợp. {redo}"
        )
    report = verify_bundle(path, key, set(ws.frameworks.hashes()), recursive=True)
    if not report.ok:
        raise ParAppError(
            f"Hồ sơ đã nhận của đơn vị {unit} không còn hợp lệ: {report.first_failure}; "
            f"không ký hồ sơ tổng hợp. {redo}"
        )
    return path


def upward_warnings(ws: Workspace, c: Consolidation) -> list[str]:
    """What the level above should know: units that did not submit, unfinished appraisals,
    keys not yet verified (Vietnamese sentences, one per problem)."""
    from parapp.services.office.inbox import MISSING, OVERDUE, completeness

    out: list[str] = []
    missing = [
        f"{u.unit_code} ({u.unit_name})"
        for u in completeness(ws, c.period).units
        if u.state in (MISSING, OVERDUE)
    ]
    if missing:
        out.append(f"{len(missing)} đơn vị chưa nộp hồ sơ kỳ {c.period}: {', '.join(missing)}.")
    provisional = [
        f"{r.result.unit_code} (đã thẩm định {r.result.appraised_items}/"
        f"{r.result.appraisable_items} tiêu chí)"
        for r in c.rows
        if r.result.provisional
    ]
    if provisional:
        out.append(
            f"{len(provisional)} đơn vị chưa thẩm định xong, điểm còn tạm tính: "
            f"{', '.join(provisional)}."
        )
    if c.other_framework_units:
        out.append(
            f"Đơn vị nộp theo bộ chỉ số khác, không xếp hạng: {', '.join(c.other_framework_units)}."
        )
    return out


def export_office_bundle(
    ws: Workspace,
    out: Path,
    keypair: KeyPair,
    approver: str,
    approver_position: str = "Trưởng phòng Nội vụ",
    period: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> BundleResult:
    """Write the office's consolidation bundle for ``period`` (``out``: a file or folder).

    Every stored child bundle is re-verified first (:func:`check_stored_child`); each of
    :func:`upward_warnings` is passed to ``warn`` and recorded in the bundle.
    """
    approver = clean(approver)
    if not approver:
        raise ParAppError("Chưa nhập họ tên lãnh đạo phê duyệt.")
    c = consolidate(ws, period)
    own = ws.require_unit()
    repo = InboxRepo(ws.db)
    current = repo.current(c.period)
    counter_key = f"office_bundle_revision:{c.period}"
    revision = int(ws.settings.get(counter_key, 0)) + 1
    info = own_bundle_info(
        own,
        c.framework.id,
        c.framework.content_hash,
        c.period,
        revision,
        approver,
        approver_position=clean(approver_position),
        kind=KIND,
    )
    children: list[tuple[str, Path]] = []
    declared: list[dict[str, str]] = []
    for r in current:
        name = _child_name(str(r["unit_code"]), c.period, int(r["revision"]))
        path = check_stored_child(ws, r)
        children.append((name, path))
        declared.append(
            {
                "file": CHILDREN_DIR + name,
                "unit_code": str(r["unit_code"]),
                "public_key": str(r["signer_key"]),
            }
        )
    warnings = upward_warnings(ws, c)
    for text in warnings:
        if warn is not None:
            warn(text)
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
        "warnings": warnings,
    }
    doc = make_assessment_doc(info, c.framework, [], declared, extra)
    default_name = _child_name(f"tonghop-{own.code}", c.period, revision)
    target = out / default_name if out.is_dir() else out
    result = write_bundle_via_workspace(ws, target, info, doc, [], keypair, children=children)
    ws.settings.set(counter_key, revision)
    return result
