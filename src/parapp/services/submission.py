"""Submitting a self-assessment: pre-flight check, frozen revisions, the signed bundle.

A revision is the content of one submission, frozen: the assessment document as it went into
the bundle is stored in ``revisions`` so every exported revision stays readable; editing
afterwards starts the next revision. Exporting again without any edit re-uses the revision.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parapp import __version__
from parapp.interchange.bundle import (
    BundleInfo,
    BundleResult,
    EvidenceFile,
    make_assessment_doc,
    write_bundle,
)
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError, ValidationError
from parapp.models.rollup import Problem, ProblemKind
from parapp.models.text import clean
from parapp.services.workspace import Workspace
from parapp.storage.evidence_store import CancelFn, ProgressFn
from parapp.storage.revisions_repo import Revision as Revision  # re-exported for callers


@dataclass
class Preflight:
    """What stands between the assessment and a submission."""

    blocking: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blocking


def preflight(ws: Workspace) -> Preflight:
    """Blocking: invalid scores, evidence files missing or changed in the store.
    Warnings: items not started, without score, evidence or explanation, contradictions."""
    result = Preflight()
    for p in ws.rollup().problems:
        (result.blocking if p.blocking else result.warnings).append(p)
    for code, name, problem in ws.check_evidence(full=False):
        result.blocking.append(
            Problem(code, "evidence_broken", f"Tài liệu “{name}”: {problem}.", blocking=True)
        )
    return result


def bundle_info(
    ws: Workspace, revision: int, approver: str, approver_position: str, created_at: str
) -> BundleInfo:
    """What ``bag-info.txt`` says about the current assessment's revision ``revision``."""
    a = ws.require_assessment()
    unit = ws.units.get(a.unit_code)
    return BundleInfo(
        unit_code=unit.code,
        unit_name=unit.name,
        unit_level=unit.level.value,
        parent_unit=unit.parent_code or "",
        framework_id=a.framework_id,
        framework_hash=a.framework_hash,
        period=a.period,
        revision=revision,
        created_at=created_at,
        app_version=__version__,
        approver=approver,
        approver_position=approver_position,
    )


def build_document(
    ws: Workspace, revision: int, approver: str, approver_position: str, created_at: str
) -> dict[str, Any]:
    """The ``data/assessment.json`` of a bundle, by the one builder every document uses."""
    info = bundle_info(ws, revision, approver, approver_position, created_at)
    return make_assessment_doc(info, ws.current_framework(), ws.answers().values())


def answers_digest(doc: dict[str, Any]) -> str:
    """Identity of what was answered (not when or by whom): decides whether to re-use a revision."""
    canonical = json.dumps(doc["answers"], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def revisions(ws: Workspace) -> list[Revision]:
    """Every exported revision of the current assessment, oldest first."""
    return ws.revisions()


def bundle_file_name(unit_code: str, period: str, revision: int) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in f"{unit_code}-{period}")
    return f"hoso-{safe}-r{revision}.zip"


def export_bundle(
    ws: Workspace,
    out: Path,
    keypair: KeyPair,
    approver: str,
    approver_position: str = "Chủ tịch UBND",
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> tuple[Revision, BundleResult]:
    """Freeze a revision (or re-use the last one if nothing changed) and write its bundle.

    ``out`` is a file path or an existing folder (then the standard file name is used).
    Raises :class:`ValidationError` listing the blocking problems, if any.
    """
    approver = clean(approver)
    approver_position = clean(approver_position)
    if not approver:
        raise ValidationError("Chưa nhập họ tên người phê duyệt (lãnh đạo ký duyệt).")
    check = preflight(ws)
    if not check.ok:
        raise ValidationError(
            ["Chưa thể nộp hồ sơ vì còn lỗi phải sửa:"]
            + [f"- {p.code}: {p.message}" for p in check.blocking]
        )
    a = ws.require_assessment()
    unit = ws.units.get(a.unit_code)
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    previous = revisions(ws)
    probe = build_document(ws, 1, approver, approver_position, created)
    digest = answers_digest(probe)
    same = [r for r in previous if r.answers_digest == digest]
    if same and (same[-1].approver, same[-1].approver_position) == (approver, approver_position):
        number = same[-1].revision
        doc = same[-1].document
        created = doc["created_at"]
    else:
        number = (previous[-1].revision if previous else 0) + 1
        doc = build_document(ws, number, approver, approver_position, created)
    info = bundle_info(ws, number, approver, approver_position, created)
    evidence = _evidence_files(ws, doc)
    target = out / bundle_file_name(unit.code, a.period, number) if out.is_dir() else out
    result = write_bundle(target, info, doc, evidence, keypair, progress, cancel)
    rev = ws.record_revision(
        number,
        approver,
        approver_position,
        doc,
        digest,
        str(result.path),
        result.sha256,
        result.size,
        result.key_fingerprint,
    )
    return rev, result


def _evidence_files(ws: Workspace, doc: dict[str, Any]) -> list[EvidenceFile]:
    seen: dict[str, EvidenceFile] = {}
    for answer in doc["answers"]:
        for e in answer["evidence"]:
            if e["sha256"] not in seen:
                path = ws.evidence_path(e["sha256"])
                if not path.is_file():
                    raise ParAppError(
                        f"Tài liệu “{e['file_name']}” của tiêu chí {answer['code']} không còn "
                        "trong kho. Hãy gắn lại tệp."
                    )
                seen[e["sha256"]] = EvidenceFile(e["sha256"], e["size"], path, e["file_name"])
    return list(seen.values())


def has_unsubmitted_changes(ws: Workspace) -> bool:
    """True when the answers differ from the last frozen revision (or none was frozen)."""
    last = ws.last_revision()
    if last is None:
        return True
    doc = build_document(ws, 1, "", "", "1970-01-01T00:00:00Z")
    return answers_digest(doc) != last.answers_digest


def warnings_summary(check: Preflight) -> dict[str, int]:
    """Counts of warnings by kind, for the pre-flight screen."""
    out: dict[str, int] = {}
    for p in check.warnings:
        out[p.kind] = out.get(p.kind, 0) + 1
    return out


PROBLEM_LABELS = {
    ProblemKind.NOT_STARTED: "chưa tự chấm",
    ProblemKind.NO_SCORE: "chưa có điểm",
    ProblemKind.NO_EVIDENCE: "chưa có tài liệu kiểm chứng",
    ProblemKind.NO_EXPLANATION: "chưa giải trình",
    ProblemKind.CONTRADICTION: "giá trị và điểm mâu thuẫn",
    ProblemKind.OVER_MAX: "điểm ngoài giới hạn",
    "evidence_broken": "tài liệu bị mất hoặc hỏng",
}
