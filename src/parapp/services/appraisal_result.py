"""The appraisal result file: the office's appraisal of one unit, signed, sent back down.

It is an ordinary ParApp bundle (same BagIt + minisign checks) of kind ``appraisal``:
``bag-info.txt`` names the office as the signing unit and ``ParApp-X-Appraised-Unit`` the
appraised unit; ``data/assessment.json`` carries the framework, no answers, and the
appraisal under ``extra.appraisal`` (see ``docs/bundle-format.md``). The commune checks it
against its parent's key, enrolled with ``parapp keys trust PARENT PUBFILE``, and keeps the
scores and comments in ``appraisal_results`` to show them beside its own.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parapp import __version__
from parapp.interchange.bundle import BundleInfo, BundleResult, make_assessment_doc, verify_bundle
from parapp.interchange.bundle import write_bundle as _write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.models.text import clean, nfc
from parapp.services.appraisal import unit_appraisal
from parapp.services.trusted_keys import trusted_key
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalResultsRepo

KIND = "appraisal"
APPRAISED_UNIT_LABEL = "ParApp-X-Appraised-Unit"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


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
    info = BundleInfo(
        unit_code=own.code,
        unit_name=own.name,
        unit_level=own.level.value,
        parent_unit=own.parent_code or "",
        framework_id=ua.framework.id,
        framework_hash=ua.framework.content_hash,
        period=ua.period,
        revision=ua.revision,
        created_at=_now(),
        app_version=__version__,
        approver=approver,
        approver_position=clean(approver_position),
        kind=KIND,
        extra=((APPRAISED_UNIT_LABEL, ua.unit_code),),
    )
    doc = make_assessment_doc(info, ua.framework, [])
    done, todo = ua.progress
    doc["extra"] = {
        "appraisal": {
            "unit_code": ua.unit_code,
            "unit_name": ua.unit_name,
            "revision": ua.revision,
            "complete": done == todo,
            "items": [
                {"code": i.code, "score": i.appraised, "comment": i.comment}
                for i in ua.items
                if i.appraised is not None or i.comment
            ],
        }
    }
    if cycle is not None:
        doc["extra"]["appraisal"]["cycle"] = cycle
    target = (
        out / f"thamdinh-{ua.unit_code}-{ua.period}-r{ua.revision}.zip" if out.is_dir() else out
    )
    return _write_bundle(target, info, doc, [], keypair)


def import_appraisal(ws: Workspace, path: Path) -> dict[str, Any]:
    """Check an appraisal result against the parent's enrolled key and store it.

    Returns a summary (office, period, revision, item count). Refuses loudly when the
    parent's key is not enrolled, the signature or key is wrong, or the file is for
    another unit.
    """
    own = ws.require_unit()
    parent = own.parent_code
    pub = trusted_key(ws, parent) if parent else None
    if pub is None:
        raise ParAppError(
            f"Chưa đăng ký khóa công khai của đơn vị cấp trên ({parent or 'chưa rõ'}). Hãy "
            f"nhập tệp khóa của đơn vị cấp trên: “parapp keys trust {parent or 'MÃ'} TỆP.pub”."
        )
    report = verify_bundle(Path(path), pub, ws.frameworks.hashes())
    if not report.ok or report.info is None or report.assessment is None:
        raise ParAppError(
            f"Kết quả thẩm định “{Path(path).name}” bị từ chối. {report.first_failure or ''}"
        )
    info, doc = report.info, report.assessment
    appraisal = (doc.get("extra") or {}).get("appraisal")
    if info.kind != KIND or not isinstance(appraisal, dict):
        raise ParAppError(f"“{Path(path).name}” không phải tệp kết quả thẩm định.")
    if info.unit_code != parent:
        raise ParAppError(f"Kết quả thẩm định do đơn vị {info.unit_code} ký, không phải cấp trên.")
    if nfc(str(appraisal.get("unit_code"))) != own.code:
        raise ParAppError(
            f"Kết quả thẩm định này dành cho đơn vị {appraisal.get('unit_code')}, không phải "
            f"đơn vị {own.code}."
        )
    rows = _rows(appraisal.get("items"))
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    with ws.db.atomic():
        AppraisalResultsRepo(ws.db).replace(
            info.period, info.framework_id, rows, info.unit_code, info.revision, digest
        )
    return {
        "office": info.unit_code,
        "office_name": info.unit_name,
        "period": info.period,
        "framework_id": info.framework_id,
        "revision": info.revision,
        "items": len(rows),
        "approver": info.approver,
    }


def _rows(items: Any) -> list[tuple[str, float | None, str]]:
    if not isinstance(items, list):
        raise ParAppError("Kết quả thẩm định sai cấu trúc (thiếu danh sách tiêu chí).")
    out = []
    for it in items:
        score = it.get("score") if isinstance(it, dict) else None
        if (
            not isinstance(it, dict)
            or not isinstance(it.get("code"), str)
            or not (score is None or (isinstance(score, int | float) and score >= 0))
            or not isinstance(it.get("comment", ""), str)
        ):
            raise ParAppError("Kết quả thẩm định sai cấu trúc ở một tiêu chí.")
        out.append(
            (
                nfc(it["code"])[:64],
                None if score is None else float(score),
                nfc(it.get("comment", ""))[:10000],
            )
        )
    return out


def appraisal_for_own_assessment(ws: Workspace) -> dict[str, tuple[float | None, str]]:
    """``{code: (appraised score, comment)}`` for the current own assessment (UI, reports)."""
    a = ws.current_assessment()
    if a is None:
        return {}
    return {
        str(r["code"]): (None if r["score"] is None else float(r["score"]), str(r["comment"]))
        for r in AppraisalResultsRepo(ws.db).for_assessment(a.period, a.framework_id)
    }
