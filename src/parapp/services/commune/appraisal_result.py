"""The commune side of the appraisal result file: import the office's signed result,
check every item, keep the newest (see :mod:`parapp.services.office.appraisal_result`
for what the file is)."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path
from typing import Any

from parapp.fileio import sha256_file
from parapp.interchange.appraisal_doc import KIND
from parapp.interchange.bundle import verify_bundle
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework, framework_from_dict
from parapp.models.text import format_number, nfc
from parapp.services.trusted_keys import trusted_key
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalResultsRepo


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
    try:  # the signed framework, already checked against the known hashes by the verifier
        fw = framework_from_dict(doc["framework"]["content"])
    except (KeyError, TypeError, ValueError) as err:
        raise ParAppError(f"“{Path(path).name}” không có bộ chỉ số hợp lệ.") from err
    rows = _rows(appraisal.get("items"), fw)
    digest = _sha256(Path(path))
    seen_key = f"appraisal_result_seen:{info.period}:{info.framework_id}"
    seen = ws.settings.get(seen_key) or {}
    if isinstance(seen, dict) and isinstance(seen.get("revision"), int):
        newest = int(seen["revision"])
        if info.revision < newest:
            raise ParAppError(
                f"Kết quả thẩm định “{Path(path).name}” là lần {info.revision}, cũ hơn kết quả "
                f"lần {newest} đã nhận; không thay thế kết quả mới hơn."
            )
        if info.revision == newest and seen.get("sha256") != digest:
            raise ParAppError(
                f"Kết quả thẩm định lần {info.revision} đã nhận trước đó với nội dung khác; "
                f"“{Path(path).name}” không được dùng. Hãy đề nghị cấp trên gửi lần mới hơn."
            )
    try:
        with ws.db.atomic():
            AppraisalResultsRepo(ws.db).replace(
                info.period, info.framework_id, rows, info.unit_code, info.revision, digest
            )
            ws.settings.set(seen_key, {"revision": info.revision, "sha256": digest})
    except (sqlite3.Error, OverflowError) as err:  # never a traceback; nothing was changed
        raise ParAppError(
            f"Không lưu được kết quả thẩm định “{Path(path).name}” ({str(err)[:120]}); "
            "dữ liệu cũ được giữ nguyên."
        ) from err
    return {
        "office": info.unit_code,
        "office_name": info.unit_name,
        "period": info.period,
        "framework_id": info.framework_id,
        "revision": info.revision,
        "based_on_revision": _based_on(appraisal, info.revision),
        "items": len(rows),
        "approver": info.approver,
    }


MAX_ITEMS = 10_000


def _based_on(appraisal: dict[str, Any], fallback: int) -> int:
    """The unit's own revision the parent appraised. ``revision`` of the file is the
    parent's count of results it sent, a different sequence; a requests answer (a
    supplement) must build on the unit's revision, so the two are never mixed up."""
    value = appraisal.get("based_on_revision")
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1_000_000:
        return value
    return fallback


def _rows(items: Any, fw: Framework) -> list[tuple[str, float | None, str]]:
    """Check every item (code of ``fw``, score 0..max, no duplicate) before storing any."""
    bad = "Kết quả thẩm định sai cấu trúc"
    if not isinstance(items, list):
        raise ParAppError(f"{bad} (thiếu danh sách tiêu chí).")
    if len(items) > MAX_ITEMS:
        raise ParAppError(f"{bad}: quá nhiều tiêu chí ({len(items)}).")
    out: list[tuple[str, float | None, str]] = []
    seen: set[str] = set()
    for n, it in enumerate(items, 1):
        if not isinstance(it, dict) or not isinstance(it.get("code"), str):
            raise ParAppError(f"{bad} ở mục thứ {n}: thiếu mã tiêu chí.")
        code = nfc(it["code"])[:64]
        score = it.get("score")
        comment = it.get("comment", "")
        if code in seen:
            raise ParAppError(f"{bad}: tiêu chí {code} xuất hiện hai lần.")
        seen.add(code)
        c = fw.by_code.get(code)
        if c is None:
            raise ParAppError(f"{bad}: không có tiêu chí mã “{code}” trong bộ chỉ số {fw.id}.")
        if score is not None:
            if isinstance(score, bool) or not isinstance(score, int | float):
                raise ParAppError(f"{bad}: điểm của tiêu chí {code} không phải là số.")
            if isinstance(score, int) and abs(score) > 10**9:
                raise ParAppError(f"{bad}: điểm của tiêu chí {code} quá lớn.")
            if not math.isfinite(score) or not 0 <= score <= c.max_points:
                raise ParAppError(
                    f"{bad}: điểm của tiêu chí {code} phải từ 0 đến {format_number(c.max_points)}."
                    if math.isfinite(score) and abs(score) < 10**9
                    else f"{bad}: điểm của tiêu chí {code} quá lớn."
                )
        if not isinstance(comment, str):
            raise ParAppError(f"{bad}: nhận xét của tiêu chí {code} không phải là văn bản.")
        out.append((code, None if score is None else float(score), nfc(comment)[:10000]))
    return out


def _sha256(path: Path) -> str:
    """Streamed: the file was verified but may still be large."""
    try:
        return sha256_file(path)
    except OSError as err:
        raise ParAppError(f"Không đọc được “{path.name}” ({err.strerror}).") from err


def appraisal_for_own_assessment(ws: Workspace) -> dict[str, tuple[float | None, str]]:
    """``{code: (appraised score, comment)}`` for the current own assessment (UI, reports)."""
    a = ws.current_assessment()
    if a is None:
        return {}
    return {
        str(r["code"]): (None if r["score"] is None else float(r["score"]), str(r["comment"]))
        for r in AppraisalResultsRepo(ws.db).for_assessment(a.period, a.framework_id)
    }
