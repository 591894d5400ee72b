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
from parapp.interchange.bundle import BundleInfo, BundleResult, EvidenceFile, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError, ValidationError
from parapp.models.framework import framework_to_dict
from parapp.models.rollup import Problem, ProblemKind
from parapp.models.text import clean
from parapp.services.commune.change_log import changes_since
from parapp.services.workspace import Workspace
from parapp.storage.clock import now_iso
from parapp.storage.evidence_store import CancelFn, ProgressFn


@dataclass
class Preflight:
    """What stands between the assessment and a submission."""

    blocking: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.blocking


@dataclass(frozen=True)
class Revision:
    assessment_id: int
    revision: int
    frozen_at: str
    approver: str
    approver_position: str
    document: dict[str, Any]
    bundle_file: str
    bundle_sha256: str
    bundle_size: int
    key_fingerprint: str


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


def build_document(
    ws: Workspace, revision: int, approver: str, approver_position: str, created_at: str
) -> dict[str, Any]:
    """The ``data/assessment.json`` of a bundle (schema ``parapp.assessment/1``)."""
    a = ws.require_assessment()
    fw = ws.framework(a.framework_id)
    unit = ws.units.get(a.unit_code)
    r = ws.rollup()
    answers = ws.answers()
    previous = [rev.frozen_at for rev in revisions(ws) if rev.revision < revision]
    changes = changes_since(ws, a, max(previous, default=""))  # appraisal cycle: change log
    return {
        "schema": "parapp.assessment/1",
        "unit": {
            "code": unit.code,
            "name": unit.name,
            "level": unit.level.value,
            "parent": unit.parent_code,
        },
        "framework": {
            "id": fw.id,
            "name": fw.name,
            "hash": fw.content_hash,
            "content": framework_to_dict(fw),
        },
        "period": a.period,
        "revision": revision,
        "approver": {"name": approver, "position": approver_position},
        "created_at": created_at,
        "answers": [
            {
                "code": ans.code,
                "value": ans.value,
                "numerator": ans.numerator,
                "denominator": ans.denominator,
                "self_score": ans.self_score,
                "explanation": ans.explanation,
                "evidence": [
                    {
                        "sha256": e.sha256,
                        "file_name": e.file_name,
                        "size": e.size,
                        "ref": e.ref,
                        "note": e.note,
                    }
                    for e in ans.evidence
                ],
            }
            for c in fw.leaves()
            if (ans := answers.get(c.code)) is not None and ans.touched
        ],
        "totals": {
            "self_score": r.total_score,
            "assessable_max": r.assessable_max,
            "index_percent": r.index_percent,
        },
        "extra": {"changes": changes},
    }


def answers_digest(doc: dict[str, Any]) -> str:
    """Identity of what was answered (not when or by whom): decides whether to re-use a revision."""
    canonical = json.dumps(doc["answers"], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def revisions(ws: Workspace) -> list[Revision]:
    a = ws.require_assessment()
    return [
        Revision(
            int(str(r["assessment_id"])),
            int(str(r["revision"])),
            str(r["frozen_at"]),
            str(r["approver"]),
            str(r["approver_position"]),
            json.loads(str(r["document"])),
            str(r["bundle_file"]),
            str(r["bundle_sha256"]),
            int(str(r["bundle_size"])),
            str(r["key_fingerprint"]),
        )
        for r in ws.db.query(
            "SELECT * FROM revisions WHERE assessment_id = ? ORDER BY revision", [a.id]
        )
    ]


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
    same = [r for r in previous if _digest_of(ws, a.id, r.revision) == digest]
    if same and (same[-1].approver, same[-1].approver_position) == (approver, approver_position):
        number = same[-1].revision
        doc = same[-1].document
        created = doc["created_at"]
    else:
        number = (previous[-1].revision if previous else 0) + 1
        doc = build_document(ws, number, approver, approver_position, created)
    info = BundleInfo(
        unit_code=unit.code,
        unit_name=unit.name,
        unit_level=unit.level.value,
        parent_unit=unit.parent_code or "",
        framework_id=a.framework_id,
        framework_hash=a.framework_hash,
        period=a.period,
        revision=number,
        created_at=created,
        app_version=__version__,
        approver=approver,
        approver_position=approver_position,
    )
    evidence = _evidence_files(ws, doc)
    target = out / bundle_file_name(unit.code, a.period, number) if out.is_dir() else out
    result = write_bundle(target, info, doc, evidence, keypair, progress, cancel)
    with ws.db.atomic():
        ws.db.execute(
            """INSERT INTO revisions (assessment_id, revision, frozen_at, approver,
                   approver_position, document, answers_digest, bundle_file, bundle_sha256,
                   bundle_size, key_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(assessment_id, revision) DO UPDATE SET
               bundle_file=excluded.bundle_file, bundle_sha256=excluded.bundle_sha256,
               bundle_size=excluded.bundle_size, key_fingerprint=excluded.key_fingerprint""",
            [
                a.id,
                number,
                now_iso(),
                approver,
                approver_position,
                json.dumps(doc, ensure_ascii=False),
                digest,
                str(result.path),
                result.sha256,
                result.size,
                result.key_fingerprint,
            ],
        )
        ws.assessments.set_revision(a.id, number)
    rev = next(r for r in revisions(ws) if r.revision == number)
    return rev, result


def _digest_of(ws: Workspace, assessment_id: int, revision: int) -> str:
    rows = list(
        ws.db.query(
            "SELECT answers_digest FROM revisions WHERE assessment_id = ? AND revision = ?",
            [assessment_id, revision],
        )
    )
    return str(rows[0]["answers_digest"]) if rows else ""


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
    a = ws.require_assessment()
    previous = revisions(ws)
    if not previous:
        return True
    doc = build_document(ws, 1, "", "", "1970-01-01T00:00:00Z")
    return answers_digest(doc) != _digest_of(ws, a.id, previous[-1].revision)


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
