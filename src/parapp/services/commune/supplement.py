"""Answering the parent's requests with a supplement: the next revision, signed as usual,
carrying only the evidence files the parent does not already hold.

The parent holds the revision its preliminary appraisal was made on (the ``revision`` of
the imported requests). The complete bundle is written as every submission is (and kept in
``supplements/`` of the workspace); the file to send leaves out the evidence files of that
revision (see :mod:`parapp.interchange.supplement`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parapp.fileio import sha256_file
from parapp.interchange.bundle import BundleResult
from parapp.interchange.keys import KeyPair
from parapp.interchange.supplement import derive_supplement
from parapp.models.errors import ParAppError
from parapp.services.commune import submission
from parapp.services.workspace import Workspace
from parapp.storage.evidence_store import CancelFn, ProgressFn
from parapp.storage.review_repo import ReviewRequestsRepo
from parapp.storage.revisions_repo import Revision


@dataclass(frozen=True)
class Supplement:
    path: Path
    full_path: Path
    revision: int
    base_revision: int
    omitted: tuple[str, ...]  # evidence paths left out (the parent holds them)
    carried: int  # evidence files carried
    sent: BundleResult | None = None  # the file to send: its size, hash, key fingerprint
    frozen: Revision | None = None  # the revision it carries


def appraised_revision(ws: Workspace) -> int | None:
    """The own revision the parent's imported requests were made on, if there are any
    (only then can a supplement be sent instead of the whole bundle)."""
    a = ws.current_assessment()
    if a is None:
        return None
    rows = ReviewRequestsRepo(ws.db).for_assessment(a.period, a.framework_id)
    return max((int(r["revision"]) for r in rows.values()), default=None)


def export_supplement(
    ws: Workspace,
    out: Path,
    keypair: KeyPair,
    approver: str,
    approver_position: str = "Chủ tịch UBND",
    *,
    confirm_unscored: Iterable[str] = (),
    confirm_all_unscored: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Supplement:
    """Freeze and sign the next revision; write the supplement to ``out`` (file or folder).

    An area whose unscored items were already unscored in the revision the parent appraised
    counts as confirmed: the officer confirmed it when that revision was sent, and a
    supplement answers the parent's requests, it does not reopen that decision. An item that
    lost its score since then still has to be confirmed (``confirm_unscored``).
    """
    a = ws.require_assessment()
    rows = ReviewRequestsRepo(ws.db).for_assessment(a.period, a.framework_id)
    if not rows:
        raise ParAppError(
            "Chưa nhận kết quả thẩm định sơ bộ của cấp trên cho kỳ này; hãy nộp hồ sơ đầy đủ "
            "(“parapp bundle export”)."
        )
    base = max(int(r["revision"]) for r in rows.values())
    base_doc = next((r.document for r in submission.revisions(ws) if r.revision == base), None)
    if base_doc is None:
        raise ParAppError(
            f"Không tìm thấy lần nộp {base} mà cấp trên đã thẩm định; hãy nộp hồ sơ đầy đủ."
        )
    held = {e["sha256"] for ans in base_doc["answers"] for e in ans.get("evidence", [])}
    already = _areas_unscored_as_before(ws, base_doc)
    keep = ws.data_dir / "supplements"
    keep.mkdir(exist_ok=True)
    rev, full = submission.export_bundle(
        ws, keep, keypair, approver, approver_position, progress, cancel,
        confirm_unscored=[*confirm_unscored, *already],
        confirm_all_unscored=confirm_all_unscored,
    )  # fmt: skip
    if rev.revision <= base:
        raise ParAppError(
            f"Hồ sơ chưa thay đổi so với lần nộp {base} cấp trên đã thẩm định: hãy ghi giải "
            "trình hoặc thêm tài liệu theo yêu cầu trước khi gửi bổ sung."
        )
    name = full.path.name.replace(".zip", f"-bosung-tu-lan-{base}.zip")
    target = Path(out) / name if Path(out).is_dir() else Path(out)
    omitted = derive_supplement(full.path, target, held, base)
    carried = {e["sha256"] for ans in rev.document["answers"] for e in ans.get("evidence", [])}
    sent = BundleResult(target, sha256_file(target), target.stat().st_size, full.key_fingerprint)
    return Supplement(
        target, full.path, rev.revision, base, tuple(omitted), len(carried - held), sent, rev
    )


def _areas_unscored_as_before(ws: Workspace, base_doc: dict[str, Any]) -> list[str]:
    """Areas all of whose unscored items were unscored in ``base_doc`` as well."""
    scored_then = {
        str(ans["code"]) for ans in base_doc["answers"] if ans.get("self_score") is not None
    }
    unscored_now = submission.preflight(ws, confirm_all_unscored=True).unscored
    return [
        area
        for area, problems in unscored_now.items()
        if not any(p.code in scored_then for p in problems)
    ]
