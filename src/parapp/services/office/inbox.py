"""The receiving office's inbox ("Hồ sơ nhận"): import child units' bundles, keep them.

Each file is first copied into a private folder of the workspace while its SHA-256 is taken
(so the bundle checked is exactly the one kept, even if the USB stick changes meanwhile),
then verified (:func:`parapp.interchange.bundle.verify_bundle`) with the unit's enrolled
key and the workspace's frameworks. The verified bundle itself is the one stored copy of its
evidence: it is kept read-only under ``inbox/<unit>/<period>/r<rev>-<sha12>.zip`` (it must
travel upward unchanged anyway) and :func:`received_evidence_file` takes one file out of it
when the appraiser opens it. Unpacking every file into the evidence store as well would
write each byte twice and cost more than the 1.5× of ``sha256sum -c`` the import may take.
The assessment goes into the database. Refusals are recorded too, with their Vietnamese reason.

Rules: the same file twice changes nothing; a newer revision supersedes an older one for
scoring (all stay viewable); the same revision with other content is kept but flagged as a
conflict and not scored; a bundle from a unit without an enrolled key is accepted but marked
"chưa xác minh khóa"; a bundle signed by another key than the enrolled one is refused.

The heavy file work of a batch runs on two worker threads; the database is written only by
the calling thread, one transaction per bundle.

Every import is all or nothing, one bundle at a time: a bundle that fails in any way
(hostile content, a database error, a full disk) is reported on its own line and the batch
goes on. The kept file is renamed into place inside the transaction that inserts its row
and removed again if that transaction does not commit; what a crash can still leave
(a copy in ``.incoming/``, a file without a row) is swept at the next start
(:func:`parapp.storage.inbox_files.sweep_inbox`). A full disk is not the bundle's fault:
it is reported as "chưa nhập được — thử lại" and nothing is recorded, so importing again
later works.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from parapp.fileio import describe_os_error
from parapp.interchange import keys
from parapp.interchange.bagzip import Cancelled
from parapp.interchange.bundle import VerifyReport, inspect_bundle, verify_bundle
from parapp.interchange.framework_package import PACKAGE_KIND
from parapp.interchange.keys import PublicKey
from parapp.models import safe_json
from parapp.models.errors import ParAppError
from parapp.models.file_names import clean_file_name
from parapp.models.text import clean, nfc
from parapp.services.framework_package import (
    framework_warning,
    published_by_period,
    published_deadline,
)
from parapp.services.trusted_keys import UNVERIFIED_LABEL
from parapp.services.workspace import Workspace
from parapp.storage.clock import now_iso
from parapp.storage.inbox_files import INCOMING_DIR, remove_file
from parapp.storage.office_repo import (
    ACCEPTED,
    STATUS_CONFLICT,
    STATUS_OK,
    STATUS_REFUSED,
    STATUS_UNVERIFIED,
    InboxRepo,
    Row,
    TrustedKeysRepo,
)

CHUNK = 1 << 20
WORKERS = 2
STATUS_DUPLICATE = "duplicate"  # an outcome only: nothing is stored for it
STATUS_RETRY = "retry"  # an outcome only: nothing stored, the same file can be imported later
STATUS_LABELS = {
    STATUS_OK: "Hợp lệ",
    STATUS_UNVERIFIED: f"Hợp lệ, {UNVERIFIED_LABEL}",
    STATUS_CONFLICT: "Xung đột: cùng lần nộp, khác nội dung",
    STATUS_REFUSED: "Bị từ chối",
    STATUS_DUPLICATE: "Đã nhận trước đó, không thay đổi",
    STATUS_RETRY: "Chưa nhập được — thử lại",
}
SCORE_FLAGS_LEAD = "Cần kiểm tra: "  # opens the note of an accepted bundle's contradictions
UNEXPECTED_MESSAGE = "Không đọc được hồ sơ (lỗi không lường trước); hồ sơ không được nhập."
BundleProgress = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class InboxEntry:
    """One row of the inbox table (also the outcome of importing one file)."""

    file: str
    status: str
    reason: str = ""
    unit_code: str = ""
    unit_name: str = ""
    period: str = ""
    revision: int = 0
    received_at: str = ""
    bundle_id: int | None = None
    file_sha256: str = ""
    key_fingerprint: str = ""
    stored_path: str = ""
    superseded: bool = False
    #: set when the bundle was made against a framework this office did not publish for
    #: the period, once it has published one (see :func:`framework_warning`)
    framework_warning: str = ""

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def warned(self) -> bool:
        """Refused, in conflict, accepted with self scores that contradict their rules, or
        made against a framework this office did not publish for the period."""
        return (
            self.status in (STATUS_REFUSED, STATUS_CONFLICT)
            or SCORE_FLAGS_LEAD in self.reason
            or bool(self.framework_warning)
        )

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__ | {"status_label": self.status_label}


@dataclass
class ImportReport:
    entries: list[InboxEntry] = field(default_factory=list)
    cancelled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)


@dataclass
class _Prepared:
    """The file work done for one bundle on a worker thread (no database)."""

    source: Path
    sha256: str = ""
    size: int = 0
    copy: Path | None = None
    report: VerifyReport | None = None
    claimed: dict[str, str] = field(default_factory=dict)
    refusal: str = ""
    retry: str = ""  # not the bundle's fault (full disk, source unreadable): try again later
    signer: PublicKey | None = None
    duplicate: bool = False


@dataclass(frozen=True)
class _Snapshot:
    """What a worker may know of the workspace, read once per batch in the caller's thread."""

    own_unit: str
    children: dict[str, str]  # code -> name
    keys: dict[str, PublicKey]
    known_hashes: frozenset[str]
    accepted_shas: frozenset[str]


def collect_bundle_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, plus every ``*.zip`` inside given folders (sorted, recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".zip")
            )
        elif p.is_file():
            out.append(p)
        else:
            raise ParAppError(f"Không tìm thấy tệp hoặc thư mục “{p}”.")
    unique: dict[Path, Path] = {}
    for f in out:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def inbox_dir(ws: Workspace) -> Path:
    return ws.data_dir / "inbox"


def _snapshot(ws: Workspace) -> _Snapshot:
    own = ws.require_unit()
    accepted = {
        str(r["file_sha256"]) for r in InboxRepo(ws.db).all() if r["status"] != STATUS_REFUSED
    }
    return _Snapshot(
        own.code,
        {u.code: u.name for u in ws.units.children(own.code)},
        {
            str(r["unit_code"]): keys.public_key_from_base64(str(r["public_key"]))
            for r in TrustedKeysRepo(ws.db).all()
        },
        frozenset(ws.frameworks.hashes()),
        frozenset(accepted),
    )


def import_bundles(
    ws: Workspace,
    paths: Iterable[Path | str],
    progress: BundleProgress | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    """Import files and folders of bundles. ``progress(done_bytes, total_bytes)``.

    Cancelling stops after the bundles already finished (each is committed on its own);
    the report says ``cancelled``.
    """
    files = collect_bundle_files(paths)
    snap = _snapshot(ws)
    work = inbox_dir(ws) / INCOMING_DIR
    try:
        work.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ParAppError(describe_os_error(err, inbox_dir(ws))) from err
    sizes = [_size(f) for f in files]
    published = published_by_period(ws)
    total, done = sum(sizes), 0
    report = ImportReport()
    stop = cancel or (lambda: False)
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="inbox") as pool:
        futures: list[Future[_Prepared]] = [
            pool.submit(_prepare, f, snap, work, stop) for f in files
        ]
        try:
            for size, fut in zip(sizes, futures, strict=True):
                try:
                    prepared = fut.result()
                except Cancelled:
                    report.cancelled = True
                    break
                except Exception:  # _prepare reports everything; never stop the batch
                    prepared = _Prepared(files[len(report.entries)], refusal=UNEXPECTED_MESSAGE)
                try:
                    entry = _commit_safely(ws, prepared)
                    report.entries.append(_flagged(entry, prepared, published))
                finally:
                    _cleanup(prepared)
                done += size
                if progress is not None:
                    progress(done, total)
                if stop():
                    report.cancelled = True
                    break
        finally:
            for fut in futures:
                fut.cancel()
            for fut in futures:
                if not fut.cancelled():
                    with contextlib.suppress(BaseException):  # reported or cancelled
                        _cleanup(fut.result())
    return report


def _flagged(entry: InboxEntry, p: _Prepared, published: dict[str, frozenset[str]]) -> InboxEntry:
    """``entry`` with the framework flag of an accepted bundle (see :func:`framework_warning`)."""
    if not entry.accepted or p.report is None or p.report.info is None:
        return entry
    info = p.report.info
    warning = framework_warning(published, entry.period, info.framework_hash, info.framework_id)
    return InboxEntry(**(entry.__dict__ | {"framework_warning": warning})) if warning else entry


def import_bundle(ws: Workspace, path: Path | str) -> InboxEntry:
    return import_bundles(ws, [path]).entries[0]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when the file is read


def _cleanup(p: _Prepared) -> None:
    if p.copy is not None:
        remove_file(p.copy)
        p.copy = None


def _prepare(source: Path, snap: _Snapshot, work: Path, cancel: CancelFn) -> _Prepared:
    """Copy + hash, claims, unit and key checks, verify. No database."""
    p = _Prepared(source)
    try:
        return _prepare_into(p, snap, work, cancel)
    except Cancelled:
        _cleanup(p)
        raise
    except _DestinationError as err:
        _cleanup(p)
        p.retry = describe_os_error(err.error, err.destination)
        return p
    except Exception:  # a hostile file must never stop the batch: refuse it
        _cleanup(p)
        p.refusal = UNEXPECTED_MESSAGE
        return p
    except BaseException:  # leave no temp file behind
        _cleanup(p)
        raise


class _DestinationError(Exception):
    """Writing the private copy failed (full disk…): name the destination, not the source."""

    def __init__(self, error: OSError, destination: Path) -> None:
        self.error, self.destination = error, destination
        super().__init__(str(error))


def _prepare_into(p: _Prepared, snap: _Snapshot, work: Path, cancel: CancelFn) -> _Prepared:
    source = p.source
    if cancel():
        raise Cancelled()
    try:
        p.copy, p.sha256, p.size = _copy_hashing(source, work, cancel)
    except OSError as err:  # reading the source (a removed USB stick…): not a refusal
        p.retry = f"Không đọc được tệp: {describe_os_error(err, source)}"
        return p
    if p.sha256 in snap.accepted_shas:
        p.duplicate = True
        return p
    claims = inspect_bundle(p.copy)
    p.claimed = {k: nfc(str(v)) for k, v in claims.get("bag_info", {}).items()}
    if claims.get("problem"):
        p.refusal = str(claims["problem"]["message"])
        return p
    unit = p.claimed.get("ParApp-Unit-Code", "")
    kind = p.claimed.get("ParApp-Bundle-Kind", "")
    if kind == PACKAGE_KIND:
        p.refusal = (
            "Đây là gói bộ chỉ số do cấp trên ban hành (gửi cho đơn vị cấp dưới), không phải "
            "hồ sơ nộp; đơn vị nhận gói dùng “parapp framework import”."
        )
        return p
    if kind == "appraisal":
        p.refusal = (
            "Đây là tệp kết quả thẩm định (gửi cho đơn vị cấp dưới), không phải hồ sơ nộp; "
            "đơn vị nhận kết quả dùng “parapp appraisal import”."
        )
        return p
    if unit not in snap.children:
        p.refusal = (
            f"Đơn vị “{unit}” không phải đơn vị cấp dưới của đơn vị {snap.own_unit}. Nếu đúng "
            f"là đơn vị cấp dưới, hãy thêm đơn vị (“parapp units add {unit} --name TÊN "
            f"--parent {snap.own_unit}”) rồi nhập lại."
        )
        return p
    expected = snap.keys.get(unit)
    report = verify_bundle(p.copy, expected, set(snap.known_hashes), recursive=True, cancel=cancel)
    p.signer = report.signer
    if not p.copy.is_file():  # removed under us (another start swept it): not a refusal
        p.retry = "Tệp tạm của lần nhập bị xóa trong khi kiểm tra; hãy nhập lại."
        return p
    if report.ok and report.assessment is not None:
        p.refusal = _children_problem(report, snap)
        if p.refusal:
            return p
    if not report.ok or report.assessment is None:
        if report.failure_code == "unexpected_key":
            p.refusal = (
                "CẢNH BÁO: hồ sơ được ký bằng khóa KHÁC với khóa đã đăng ký của đơn vị — có "
                f"thể bị giả mạo. {report.first_failure}"
            )
        else:
            p.refusal = report.first_failure or "Không đọc được hồ sơ."
        return p
    p.report = report
    return p


def _children_problem(report: VerifyReport, snap: _Snapshot) -> str:
    """Why a verified office bundle's children are not acceptable here (``""`` when fine).

    The recursive verification already checked every child's signature against the key its
    parent declares, its parent field and the nesting depth; a child unit whose key this
    office has enrolled itself must also be signed with exactly that key.
    """
    if report.children and report.info is not None and report.info.kind != "consolidation":
        return (
            f"Hồ sơ loại “{report.info.kind[:40]}” của đơn vị {report.info.unit_code} lại chứa "
            "hồ sơ của đơn vị khác; chỉ hồ sơ tổng hợp mới được chứa hồ sơ cấp dưới."
        )
    stack = list(report.children)
    while stack:
        child = stack.pop()
        stack.extend(child.children)
        if child.info is None or child.signer is None:
            return "Hồ sơ cấp dưới không đọc được."
        enrolled = snap.keys.get(child.info.unit_code)
        if enrolled is not None and enrolled != child.signer:
            return (
                f"CẢNH BÁO: hồ sơ cấp dưới của đơn vị {child.info.unit_code} được ký bằng khóa "
                f"{keys.fingerprint(child.signer)}, không phải khóa đã đăng ký "
                f"({keys.fingerprint(enrolled)}) — có thể bị giả mạo."
            )
    return ""


def _copy_hashing(source: Path, work: Path, cancel: CancelFn) -> tuple[Path, str, int]:
    """Copy ``source`` into ``work`` while hashing it. Source errors raise ``OSError``,
    errors writing the copy raise :class:`_DestinationError` (named after the inbox)."""
    try:
        fd, name = tempfile.mkstemp(prefix=f"bundle-{os.getpid()}-", suffix=".zip", dir=work)
    except OSError as err:
        raise _DestinationError(err, work.parent) from err
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(CHUNK):
                if cancel():
                    raise Cancelled()
                digest.update(chunk)
                try:
                    out.write(chunk)
                except OSError as err:
                    raise _DestinationError(err, work.parent) from err
                size += len(chunk)
            try:
                out.flush()
            except OSError as err:
                raise _DestinationError(err, work.parent) from err
    except BaseException:
        remove_file(Path(name))
        raise
    return Path(name), digest.hexdigest(), size


def _safe(text: str) -> str:
    return (
        re.sub(r"[^A-Za-z0-9._-]+", "_", text.encode("ascii", "ignore").decode()).strip("._")[:64]
        or "_"
    )


def _is_disk_full(err: BaseException) -> bool:
    if isinstance(err, OSError):
        return err.errno in (errno.ENOSPC, errno.EDQUOT)
    return (
        isinstance(err, sqlite3.Error)
        and getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    )


def _commit_safely(ws: Workspace, p: _Prepared) -> InboxEntry:
    """:func:`_commit`, turning any failure into this bundle's own outcome (never raising)."""
    name = clean_file_name(p.source.name)
    if p.retry:
        return InboxEntry(name, STATUS_RETRY, p.retry, file_sha256=p.sha256)
    try:
        return _commit(ws, p)
    except (OSError, sqlite3.Error) as err:
        if isinstance(err, OSError | sqlite3.OperationalError):  # full, locked, I/O: transient
            return _retry_entry(ws, p, name, err)
        p.refusal = f"Không ghi được hồ sơ vào cơ sở dữ liệu ({str(err)[:120]})."
    except Exception:  # hostile content that slipped past every check: refuse, go on
        p.refusal = UNEXPECTED_MESSAGE
    p.report = None
    try:
        return _commit(ws, p)
    except Exception as err:  # the refusal itself cannot be written: nothing was stored
        return _retry_entry(ws, p, name, err)


def _retry_entry(ws: Workspace, p: _Prepared, name: str, err: BaseException) -> InboxEntry:
    """Nothing was stored; the message names where ParApp could not write."""
    where = inbox_dir(ws) if isinstance(err, OSError) else ws.data_dir
    if isinstance(err, sqlite3.OperationalError) and not _is_disk_full(err):
        message = (
            f"Không ghi được vào cơ sở dữ liệu của “{where}” ({str(err)[:80]}); có thể một "
            "chương trình ParApp khác đang ghi. Hồ sơ chưa được nhập."
        )
    else:
        message = describe_os_error(_as_os_error(err), where)
    return InboxEntry(name, STATUS_RETRY, message, file_sha256=p.sha256)


def _as_os_error(err: BaseException) -> OSError:
    if isinstance(err, OSError):
        return err
    return OSError(errno.ENOSPC if _is_disk_full(err) else errno.EIO, str(err))


def _structural_problem(doc: dict[str, Any]) -> str:
    """What makes a verified document unfit for the database (``""`` when fine)."""
    repeated = safe_json.duplicate_codes(doc.get("answers"))
    if repeated:
        shown = ", ".join(f"“{c[:20]}”" for c in repeated[:5])
        return f"Hồ sơ có tiêu chí trả lời hai lần ({shown}); không rõ lần nào đúng."
    return ""


def _clean_evidence_names(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as stored and shown: every evidence name through :func:`clean_file_name`.

    The kept bundle stays byte for byte as signed; only the copy in the database (what the
    appraiser sees and what names a file taken out of it) is cleaned.
    """
    out = json.loads(json.dumps(doc))
    for answer in out.get("answers", []):
        for ev in answer.get("evidence", []):
            ev["file_name"] = clean_file_name(str(ev.get("file_name", "")))
    return dict(out)


def _commit(ws: Workspace, p: _Prepared) -> InboxEntry:
    """Record one prepared bundle (caller's thread, one transaction)."""
    repo = InboxRepo(ws.db)
    name = clean_file_name(p.source.name)
    if p.report is not None and p.report.assessment is not None and not p.refusal:
        p.refusal = _structural_problem(p.report.assessment)
    earlier = (
        [r for r in repo.by_sha(p.sha256) if r["status"] != STATUS_REFUSED] if p.sha256 else []
    )
    if p.duplicate or earlier:
        return (
            _entry(earlier[0], STATUS_DUPLICATE, name)
            if earlier
            else InboxEntry(name, STATUS_DUPLICATE, file_sha256=p.sha256)
        )
    signer_b64 = keys.public_key_to_base64(p.signer) if p.signer else ""
    row: Row = {
        "file_sha256": p.sha256,
        "file_name": name,
        "size": p.size,
        "received_at": now_iso(),
        "unit_code": p.claimed.get("ParApp-Unit-Code", "")[:64],
        "unit_name": p.claimed.get("ParApp-Unit-Name", "")[:300],
        "period": p.claimed.get("ParApp-Period", "")[:64],
        "revision": _int(p.claimed.get("ParApp-Revision", "")),
        "signer_key": signer_b64,
        "signer_fingerprint": keys.fingerprint(p.signer) if p.signer else "",
    }
    if p.refusal or p.report is None:
        row |= {"status": STATUS_REFUSED, "reason": p.refusal or "Không đọc được hồ sơ."}
        refused = [r for r in repo.by_sha(p.sha256) if r["status"] == STATUS_REFUSED]
        with ws.db.atomic():
            if refused and p.sha256:
                repo.touch_refusal(int(refused[0]["id"]), str(row["reason"]))
                row_id = int(refused[0]["id"])
            else:
                row_id = repo.add(row)
        return _entry(row | {"id": row_id}, STATUS_REFUSED, name)
    rep_ = p.report
    assert rep_.info is not None and rep_.assessment is not None
    info, doc = rep_.info, _clean_evidence_names(rep_.assessment)
    digest = hashlib.sha256(json.dumps(sorted(rep_.manifest.items())).encode()).hexdigest()
    row |= {
        "unit_code": info.unit_code,
        "unit_name": info.unit_name,
        "period": info.period,
        "revision": info.revision,
        "framework_id": info.framework_id,
        "framework_hash": info.framework_hash,
        "created_at": info.created_at,
        "content_digest": digest,
        "approver": info.approver,
        "document": json.dumps(doc, ensure_ascii=False),
        "key_verified": 1 if rep_.key_pinned else 0,
    }
    same = repo.same_revision(info.unit_code, info.period, info.revision)
    if any(r["content_digest"] == digest for r in same):
        twin = next(r for r in same if r["content_digest"] == digest)
        return _entry(twin, STATUS_DUPLICATE, name)
    if same:
        status = STATUS_CONFLICT
        reason = (
            f"Lần nộp {info.revision} của đơn vị {info.unit_code} đã nhận trước đó với nội dung "
            "khác; hồ sơ này được lưu để đối chiếu nhưng không dùng để tính điểm."
        )
    elif rep_.key_pinned:
        status, reason = STATUS_OK, ""
    else:
        status, reason = (
            STATUS_UNVERIFIED,
            (
                f"{UNVERIFIED_LABEL.capitalize()}: đơn vị chưa đăng ký khóa; hãy đối chiếu dấu vân "
                f"tay {row['signer_fingerprint']} với đơn vị (“parapp keys trust {info.unit_code} "
                "--fingerprint …”)."
            ),
        )
    if rep_.score_flags and status != STATUS_CONFLICT:
        reason = " ".join(x for x in (reason, score_flags_note(rep_.score_flags)) if x)
    row |= {"status": status, "reason": reason}
    target = (
        inbox_dir(ws)
        / _safe(info.unit_code)
        / _safe(info.period)
        / f"r{info.revision}-{p.sha256[:12]}.zip"
    )
    assert p.copy is not None
    row["stored_path"] = str(target.relative_to(ws.data_dir))
    moved = False
    try:
        with ws.db.atomic():  # the write lock is held from the insert to the commit
            row_id = repo.add(row, doc["answers"])
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(p.copy, target)
            moved = True
    except BaseException:
        if moved:  # the row did not commit: neither may the file stay
            try:
                os.replace(target, p.copy)
            except OSError:
                remove_file(target)
        raise
    p.copy = None
    with contextlib.suppress(OSError):
        os.chmod(target, 0o444)
    return _entry(row | {"id": row_id}, status, name)


def score_flags_note(flags: dict[str, str]) -> str:
    """The inbox note of a bundle accepted with contradicting self scores."""
    items = "; ".join(f"{code} ({msg})" for code, msg in sorted(flags.items())[:5])
    more = f" và {len(flags) - 5} tiêu chí khác" if len(flags) > 5 else ""
    return f"{SCORE_FLAGS_LEAD}{len(flags)} tiêu chí có {items}{more}."


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _entry(row: Row, status: str, file_name: str) -> InboxEntry:
    return InboxEntry(
        file=file_name,
        status=status,
        reason=str(row.get("reason", "")),
        unit_code=str(row.get("unit_code", "")),
        unit_name=str(row.get("unit_name", "")),
        period=str(row.get("period", "")),
        revision=int(row.get("revision", 0) or 0),
        received_at=str(row.get("received_at", "")),
        bundle_id=int(row["id"]) if row.get("id") is not None else None,
        file_sha256=str(row.get("file_sha256", "")),
        key_fingerprint=str(row.get("signer_fingerprint", "")),
        stored_path=str(row.get("stored_path", "")),
    )


def inbox_entries(ws: Workspace, period: str | None = None) -> list[InboxEntry]:
    """The whole inbox table (newest first), every revision and refusal, in one query.

    ``superseded`` marks accepted revisions that a newer one of the same unit replaces.
    """
    rows = InboxRepo(ws.db).all(period)
    published = published_by_period(ws)
    best: dict[tuple[str, str], int] = {}
    for r in rows:
        if r["status"] in ACCEPTED:
            key = (str(r["unit_code"]), str(r["period"]))
            best[key] = max(best.get(key, 0), int(r["revision"]))
    out = []
    for r in rows:
        e = _entry(r, str(r["status"]), str(r["file_name"]))
        if e.accepted and e.revision < best[(e.unit_code, e.period)]:
            e = InboxEntry(**(e.__dict__ | {"superseded": True}))
        if e.accepted:
            warning = framework_warning(
                published, e.period, str(r["framework_hash"]), str(r["framework_id"])
            )
            if warning:
                e = InboxEntry(**(e.__dict__ | {"framework_warning": warning}))
        out.append(e)
    return out


def received_evidence_file(ws: Workspace, bundle_id: int, sha256: str, file_name: str) -> Path:
    """One evidence file of a received bundle, copied out to a private temp folder.

    The stored bundle was verified on import and is read-only; the file is still checked
    against its SHA-256 on the way out, so a bundle changed on disk since is caught. The
    copy keeps the original name so the system viewer shows it, and cannot alter the bundle.
    """
    row = InboxRepo(ws.db).get(bundle_id)
    bundle = ws.data_dir / str(row["stored_path"])
    doc = json.loads(str(row["document"]))
    rel = next(
        (e["path"] for a in doc["answers"] for e in a["evidence"] if e["sha256"] == sha256),
        None,
    )
    if rel is None or not bundle.is_file():
        raise ParAppError(f"Không tìm thấy tài liệu “{file_name}” trong hồ sơ đã nhận.")
    safe_name = clean_file_name(file_name)
    out = Path(tempfile.mkdtemp(prefix="parapp-evidence-")) / safe_name
    digest = hashlib.sha256()
    with zipfile.ZipFile(bundle) as zf:
        member = next((n for n in zf.namelist() if n.endswith("/" + rel)), None)
        if member is None:
            raise ParAppError(f"Hồ sơ đã lưu thiếu tài liệu “{file_name}”.")
        with zf.open(member) as src, out.open("wb") as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
    if digest.hexdigest() != sha256:
        out.unlink()
        raise ParAppError(
            f"Tài liệu “{file_name}” trong hồ sơ đã lưu bị thay đổi (mã băm không khớp)."
        )
    out.chmod(0o444)
    return out


def received_document(ws: Workspace, bundle_id: int) -> dict[str, Any]:
    """The assessment document of one received bundle (any revision), as received."""
    return InboxRepo(ws.db).document(bundle_id)


# -- completeness --------------------------------------------------------------------------------
SUBMITTED, LATE, MISSING, OVERDUE = "submitted", "late", "missing", "overdue"
RECEIVED = "received"  # submitted while no deadline is set: "on time" would claim too much
STATE_LABELS = {
    SUBMITTED: "Đã nộp đúng hạn",
    RECEIVED: "Đã nộp",
    LATE: "Nộp muộn",
    MISSING: "Chưa nộp",
    OVERDUE: "Quá hạn, chưa nộp",
}


@dataclass(frozen=True)
class UnitSubmission:
    unit_code: str
    unit_name: str
    state: str
    revision: int = 0
    first_received_at: str = ""
    last_received_at: str = ""
    key_verified: bool = False

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Completeness:
    period: str
    deadline: date | None
    units: tuple[UnitSubmission, ...]

    def count(self, state: str) -> int:
        return sum(1 for u in self.units if u.state == state)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "counts": {s: self.count(s) for s in STATE_LABELS},
            "units": [u.__dict__ | {"state_label": u.state_label} for u in self.units],
        }


def deadline_for(ws: Workspace, period: str) -> date | None:
    """The period's own deadline if set, else the deadline of the framework package this
    office published for the period, else the workspace's submission deadline."""
    raw = ws.settings.get(f"deadline:{clean(period)}")
    if raw:
        return date.fromisoformat(raw)
    return published_deadline(ws, period) or ws.deadline()


def set_deadline_for(ws: Workspace, period: str, when: date | None) -> None:
    ws.settings.set(f"deadline:{clean(period)}", when.isoformat() if when else None)


def _local_date(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone().date()


def completeness(ws: Workspace, period: str, today: date | None = None) -> Completeness:
    """Which child units submitted (on time or late) and which did not, for one period."""
    deadline = deadline_for(ws, period)
    today = today or date.today()
    accepted = [r for r in InboxRepo(ws.db).all(period) if r["status"] in ACCEPTED]
    by_unit: dict[str, list[Row]] = {}
    for r in accepted:
        by_unit.setdefault(str(r["unit_code"]), []).append(r)
    units = []
    for child in ws.child_units():
        rows = sorted(by_unit.get(child.code, []), key=lambda r: str(r["received_at"]))
        if not rows:
            state = OVERDUE if deadline is not None and today > deadline else MISSING
            units.append(UnitSubmission(child.code, child.name, state))
            continue
        first = str(rows[0]["received_at"])
        late = deadline is not None and _local_date(first) > deadline
        top = max(rows, key=lambda r: int(r["revision"]))
        units.append(
            UnitSubmission(
                child.code,
                child.name,
                LATE if late else SUBMITTED if deadline is not None else RECEIVED,
                int(top["revision"]),
                first,
                str(rows[-1]["received_at"]),
                bool(top["key_verified"]),
            )
        )
    return Completeness(clean(period), deadline, tuple(units))
