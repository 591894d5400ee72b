"""Submitting a self-assessment: pre-flight check, frozen revisions, the signed bundle.

A revision is the content of one submission, frozen: the assessment document as it went into
the bundle is stored in ``revisions`` so every exported revision stays readable; editing
afterwards starts the next revision. The numbering rule is :mod:`parapp.models.revisions`
(one place for the export, the submit dialog and the CLI): last + 1 whenever the content
differs from the last exported revision; only an unchanged export re-uses its number.

Items without a score block the export unless the officer confirms, area by area, that the
unit submits them unscored (``confirm_unscored``): a nearly empty assessment is never signed
by accident behind a count of warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parapp.interchange.bundle import (
    BundleInfo,
    BundleResult,
    EvidenceFile,
    make_assessment_doc,
)
from parapp.interchange.keys import KeyPair
from parapp.models import revisions as revision_rule
from parapp.models.answer_check import answer_mapping, check_answers
from parapp.models.errors import ParAppError, ValidationError
from parapp.models.revisions import LastRevision, NextRevision
from parapp.models.rollup import Problem, ProblemKind
from parapp.models.text import clean
from parapp.services.bundle_output import own_bundle_info, utc_stamp, write_bundle_via_workspace
from parapp.services.commune.change_log import changes_since
from parapp.services.commune.narrative import frozen_narrative
from parapp.services.workspace import Workspace
from parapp.storage.evidence_store import CancelFn, ProgressFn
from parapp.storage.revisions_repo import Revision as Revision  # re-exported for callers

UNSCORED_KINDS = frozenset({ProblemKind.NOT_STARTED, ProblemKind.NO_SCORE})

if TYPE_CHECKING:  # pyHanko is imported only when a certificate is actually used
    from parapp.interchange.signing.signers import LoadedSigner


@dataclass
class Preflight:
    """What stands between the assessment and a submission.

    ``unscored`` groups the items without a score by area (top-level criterion code); each
    group blocks until it is in ``confirmed``. Unscored items are listed in ``warnings`` too.
    """

    blocking: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unscored: dict[str, list[Problem]] = field(default_factory=dict)
    area_titles: dict[str, str] = field(default_factory=dict)
    confirmed: frozenset[str] = frozenset()

    @property
    def unconfirmed(self) -> list[str]:
        """Areas whose unscored items the officer has not confirmed yet."""
        return [area for area in self.unscored if area not in self.confirmed]

    @property
    def ok(self) -> bool:
        return not self.blocking and not self.unconfirmed

    def confirm(self, areas: Iterable[str]) -> Preflight:
        """The same check with ``areas`` confirmed (the dialog's check boxes)."""
        return replace(self, confirmed=frozenset(areas) & frozenset(self.unscored))

    def unconfirmed_message(self) -> list[str]:
        """One Vietnamese line per unconfirmed area, naming its unscored items."""
        lines = []
        for area in self.unconfirmed:
            codes = [p.code for p in self.unscored[area]]
            shown = ", ".join(codes[:8]) + (
                f" và {len(codes) - 8} tiêu chí khác" if len(codes) > 8 else ""
            )
            lines.append(
                f"- Lĩnh vực {area} ({self.area_titles.get(area, '')}): {len(codes)} tiêu chí "
                f"chưa chấm điểm ({shown})."
            )
        return lines


def preflight(
    ws: Workspace, confirm_unscored: Iterable[str] = (), *, confirm_all_unscored: bool = False
) -> Preflight:
    """Blocking: invalid scores, self scores the office's checker would refuse or flag as
    contradicting the rule (:mod:`parapp.models.answer_check`), evidence files missing or
    changed in the store, and the unscored items of every area not named in
    ``confirm_unscored`` (all when ``confirm_all_unscored``). Warnings: items not started,
    without score, evidence or explanation."""
    confirm_unscored = list(confirm_unscored)
    result = Preflight()
    fw = ws.current_framework()
    result.area_titles = {a.code: a.title for a in fw.areas}
    a = ws.require_assessment()
    check = check_answers(
        ws.framework(a.framework_id), [answer_mapping(x) for x in ws.answers().values()]
    )
    checked = {f.code for f in check.findings}
    for p in ws.rollup().problems:
        if p.kind in (ProblemKind.CONTRADICTION, ProblemKind.OVER_MAX) and p.code in checked:
            continue  # the office's checker says it (below), as blocking
        (result.blocking if p.blocking else result.warnings).append(p)
        if not p.blocking and p.kind in UNSCORED_KINDS and p.code in fw.by_code:
            result.unscored.setdefault(fw.area_of(p.code).code, []).append(p)
    for f in check.findings:  # what the receiving office would refuse or flag
        text = f.message[:1].upper() + f.message[1:]
        result.blocking.append(Problem(f.code, f"score_{f.kind}", f"{text}.", blocking=True))
    for code, name, problem in ws.check_evidence(full=False):
        result.blocking.append(
            Problem(code, "evidence_broken", f"Tài liệu “{name}”: {problem}.", blocking=True)
        )
    unknown = sorted(set(confirm_unscored) - set(result.area_titles))
    if unknown:
        raise ValidationError(
            f"Không có lĩnh vực mã “{', '.join(unknown)}” trong bộ chỉ số {fw.id} "
            f"(có: {', '.join(result.area_titles)})."
        )
    return result.confirm(result.unscored if confirm_all_unscored else confirm_unscored)


def bundle_info(
    ws: Workspace, revision: int, approver: str, approver_position: str, created_at: str
) -> BundleInfo:
    """What ``bag-info.txt`` says about the current assessment's revision ``revision``."""
    a = ws.require_assessment()
    return own_bundle_info(
        ws.unit(a.unit_code), a.framework_id, a.framework_hash, a.period, revision,
        approver, approver_position, created_at,
    )  # fmt: skip


def build_document(
    ws: Workspace, revision: int, approver: str, approver_position: str, created_at: str
) -> dict[str, Any]:
    """The ``data/assessment.json`` of a bundle, by the one builder every document uses,
    with the officer's own words (optional: readers of older documents see none) and the
    change log since the previous revision (``extra.changes``, for the appraisers)."""
    a = ws.require_assessment()
    info = bundle_info(ws, revision, approver, approver_position, created_at)
    previous = [rev.frozen_at for rev in revisions(ws) if rev.revision < revision]
    changes = changes_since(ws, a, max(previous, default=""))
    doc = make_assessment_doc(
        info, ws.current_framework(), ws.answers().values(), extra={"changes": changes}
    )
    narrative = frozen_narrative(ws)
    if narrative:
        doc["narrative"] = narrative
    return doc


def answers_digest(doc: dict[str, Any]) -> str:
    """Identity of what was answered (not when or by whom): decides whether to re-use a revision."""
    return revision_rule.answers_digest(doc["answers"], doc.get("narrative"))


def revisions(ws: Workspace) -> list[Revision]:
    """Every exported revision of the current assessment, oldest first."""
    return ws.revisions()


def _current_digest(ws: Workspace) -> str:
    return answers_digest(build_document(ws, 1, "", "", "1970-01-01T00:00:00Z"))


def next_revision(ws: Workspace, approver: str, approver_position: str) -> NextRevision:
    """The revision the next export will write, by the one rule (export, dialog, CLI)."""
    last = ws.last_revision()
    known = (
        None
        if last is None
        else LastRevision(last.revision, last.answers_digest, last.approver, last.approver_position)
    )
    return revision_rule.next_revision(
        known, _current_digest(ws), clean(approver), clean(approver_position)
    )


@dataclass(frozen=True)
class SubmissionState:
    """What the main window says about submissions: the last one and whether edits followed."""

    last: Revision | None
    unsubmitted_changes: bool

    def label(self) -> str:
        """``Đã nộp lần 2 lúc 14:05 ngày 02/12/2026 · có thay đổi chưa nộp`` (local time)."""
        if self.last is None:
            return "Chưa nộp hồ sơ lần nào"
        when = datetime.fromisoformat(self.last.frozen_at.replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        local = when.astimezone()
        text = f"Đã nộp lần {self.last.revision} lúc {local:%H:%M} ngày {local:%d/%m/%Y}"
        return text + (
            " · có thay đổi chưa nộp" if self.unsubmitted_changes else " · không có thay đổi mới"
        )


def submission_state(ws: Workspace) -> SubmissionState:
    last = ws.last_revision()
    changed = last is None or _current_digest(ws) != last.answers_digest
    return SubmissionState(last, changed)


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
    *,
    confirm_unscored: Iterable[str] = (),
    confirm_all_unscored: bool = False,
    x509_signer: LoadedSigner | None = None,
) -> tuple[Revision, BundleResult]:
    """Freeze a revision (or re-use the last one if nothing changed) and write its bundle.

    ``out`` is a file path or an existing folder (then the standard file name is used).
    Raises :class:`ValidationError` listing the blocking problems and the areas whose
    unscored items were not confirmed (``confirm_unscored``), if any. ``x509_signer`` (the
    official's certificate, opened by the caller) adds the legal CMS signature of the tag
    manifest.
    """
    approver = clean(approver)
    approver_position = clean(approver_position)
    if not approver:
        raise ValidationError("Chưa nhập họ tên người phê duyệt (lãnh đạo ký duyệt).")
    check = preflight(ws, confirm_unscored, confirm_all_unscored=confirm_all_unscored)
    if check.blocking:
        raise ValidationError(
            ["Chưa thể nộp hồ sơ vì còn lỗi phải sửa:"]
            + [f"- {p.code}: {p.message}" for p in check.blocking]
        )
    if check.unconfirmed:
        raise ValidationError(
            [
                "Chưa thể nộp hồ sơ: còn tiêu chí chưa chấm điểm. Hãy chấm điểm, hoặc xác nhận "
                "nộp khi chưa chấm cho từng lĩnh vực sau:",
                *check.unconfirmed_message(),
            ]
        )
    a = ws.require_assessment()
    created = utc_stamp()
    nxt = next_revision(ws, approver, approver_position)
    last = ws.last_revision()
    if nxt.reuses_last and last is not None:
        doc = last.document
        created = str(doc["created_at"])
    else:
        doc = build_document(ws, nxt.number, approver, approver_position, created)
    number = nxt.number
    digest = answers_digest(doc)
    info = bundle_info(ws, number, approver, approver_position, created)
    evidence = _evidence_files(ws, doc)
    target = out / bundle_file_name(a.unit_code, a.period, number) if out.is_dir() else out
    result = write_bundle_via_workspace(
        ws, target, info, doc, evidence, keypair, progress, cancel, x509_signer=x509_signer
    )
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
    return submission_state(ws).unsubmitted_changes


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
