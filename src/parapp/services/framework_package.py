"""Framework packages: the office issues the year's framework, its units import it.

Since July 2025 each province issues its own criteria for its communes and wards and
reissues them every year. The receiving office publishes one signed file (see
:mod:`parapp.interchange.framework_package`) with the framework, the period, the submission
deadline, the rating bands, the level it applies to and the task plan; a unit imports it
after checking it against the office's key it trusts (enrolled like every unit key, see
:mod:`parapp.services.trusted_keys`). The unit's bundles then name that framework by its
hash, and the office flags a bundle made against a framework it did not publish for the
period (:func:`framework_warning`).

What is remembered, in the workspace settings (small JSON values, no schema change):

* office side: ``published_framework_packages`` — one entry per package written (period,
  framework id and hash, revision, level, deadline, file, SHA-256, time);
* unit side: ``framework_package:<framework id>`` — the package the framework came from
  (publisher, fingerprint, period, revision, deadline, level, bands, plan, file SHA-256).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from parapp.interchange import framework_package as fp
from parapp.interchange import keys
from parapp.interchange.framework_package import (
    FrameworkPackage,
    PackageClaims,
    PackageRefused,
    UntrustedPublisherError,
)
from parapp.interchange.keys import KeyPair
from parapp.models.consolidation import format_thresholds, parse_thresholds
from parapp.models.errors import NotFoundError, ParAppError
from parapp.models.framework import Framework
from parapp.models.tasks import TaskPlan, TaskStatus
from parapp.models.text import clean
from parapp.models.units import Unit, UnitLevel
from parapp.services.bundle_output import own_bundle_info, write_bundle_via_workspace
from parapp.services.defaults import example_label
from parapp.services.trusted_keys import TrustedKey, enrol_key_file, trusted_key
from parapp.services.workspace import Workspace
from parapp.storage.clock import now_iso

PUBLISHED_KEY = "published_framework_packages"
IMPORTED_PREFIX = "framework_package:"
NOT_PUBLISHED = "Bộ chỉ số không phải do cơ quan tiếp nhận ban hành"
LEVEL_PHRASES = {
    UnitLevel.COMMUNE: "cấp xã (xã, phường, đặc khu)",
    UnitLevel.AGENCY: "sở, ban, ngành (cơ quan, đơn vị)",
    UnitLevel.DISTRICT: "cấp huyện",
    UnitLevel.PROVINCE: "cấp tỉnh",
}

__all__ = [
    "NOT_PUBLISHED",
    "ImportedPackage",
    "PackageClaims",
    "PackageRefused",
    "PublishedPackage",
    "UntrustedPublisherError",
    "framework_level",
    "framework_warning",
    "import_package",
    "is_package_path",
    "level_mismatch",
    "package_record",
    "publish_package",
    "published_by_period",
    "published_packages",
    "trust_publisher_key",
]

is_package_path = fp.is_package_path


def level_phrase(level: UnitLevel) -> str:
    return LEVEL_PHRASES[level]


def framework_level(fw: Framework) -> UnitLevel | None:
    """The level a framework applies to, from its free-text ``level`` ("Cấp xã", "commune",
    "sở"…); ``None`` when it says nothing recognisable."""
    if not fw.level.strip():
        return None
    try:
        return UnitLevel.parse(fw.level)
    except ValueError:
        return None


def level_mismatch(fw: Framework, unit: Unit) -> str:
    """A Vietnamese warning when ``fw`` is for another level than ``unit``'s (else ``""``)."""
    level = framework_level(fw)
    if level is None or level is unit.level:
        return ""
    return (
        f"Bộ chỉ số “{fw.name}” dùng để đánh giá {level_phrase(level)}, còn {unit.name} là "
        f"đơn vị {level_phrase(unit.level)}: các tiêu chí, thời hạn và điểm có thể không áp "
        "dụng cho đơn vị. Nên dùng bộ chỉ số do cấp trên gửi."
    )


# -- office side: publish ------------------------------------------------------------------------
@dataclass(frozen=True)
class PublishedPackage:
    path: Path
    sha256: str
    size: int
    fingerprint: str
    framework_id: str
    framework_hash: str
    period: str
    revision: int
    level: UnitLevel
    deadline: date | None
    tasks: int
    level_set: bool  # the framework's own level was (re)written to the package's level

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "size": self.size,
            "fingerprint": self.fingerprint,
            "framework_id": self.framework_id,
            "framework_hash": self.framework_hash,
            "period": self.period,
            "revision": self.revision,
            "level": self.level.value,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "tasks": self.tasks,
            "level_set": self.level_set,
        }


def _safe_name(text: str) -> str:
    ascii_text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-._")[:60] or "bo-chi-so"


def publish_package(
    ws: Workspace,
    framework_id: str,
    out: Path,
    keypair: KeyPair,
    *,
    period: str,
    level: UnitLevel,
    approver: str,
    approver_position: str = "",
    deadline: date | None = None,
    bands: tuple[tuple[str, float], ...] = (),
    plan_id: str | None = None,
    note: str = "",
) -> PublishedPackage:
    """Write the signed package of ``framework_id`` for ``period`` (``out``: a file or folder).

    The framework's own ``level`` is set to ``level`` (and stored) when it said something
    else, so the framework a unit receives never speaks of another level. Tasks of the plan
    travel without the office's own progress; a task linked to a code the framework does
    not have is refused here rather than in every unit.
    """
    own = ws.require_unit()
    period = clean(period)
    approver = clean(approver)
    if not period:
        raise ParAppError("Chưa nhập kỳ đánh giá của gói bộ chỉ số (ví dụ: 2025).")
    if len(period) > 64:
        raise ParAppError("Kỳ đánh giá quá dài (tối đa 64 ký tự).")
    if not approver:
        raise ParAppError("Chưa nhập họ tên người ký ban hành gói bộ chỉ số.")
    signer = keys.fingerprint(keypair.public)
    fw = ws.framework(framework_id)
    level_set = framework_level(fw) is not level
    if level_set:  # stored with the record below, once the file is written
        fw = replace(fw, level=level.value)
    checked_bands = parse_thresholds(format_thresholds(bands)) if bands else ()
    plan = ws.tasks.get_plan(plan_id) if plan_id else None
    if plan is not None:
        unknown = [(t.code, c) for t in plan.tasks for c in t.criteria_codes if c not in fw.by_code]
        if unknown:
            raise ParAppError(
                f"Nhiệm vụ {unknown[0][0]} của kế hoạch “{plan.name}” gắn với tiêu chí "
                f"“{unknown[0][1]}” không có trong bộ chỉ số {fw.id}; hãy sửa rồi ban hành lại."
            )
    counter = f"framework_package_revision:{period}:{fw.id}"
    revision = int(ws.settings.get(counter, 0)) + 1
    info = own_bundle_info(
        own, fw.id, fw.content_hash, period, revision, approver, clean(approver_position),
        kind=fp.PACKAGE_KIND,
    )  # fmt: skip
    section = fp.package_section(
        level=level,
        deadline=deadline,
        bands=checked_bands,
        plan=plan,
        publisher_code=own.code,
        publisher_name=own.name,
        fingerprint=signer,
        note=clean(note),
    )
    doc = fp.package_doc(info, fw, section)
    out = Path(out)
    target = (
        out / f"bo-chi-so-{_safe_name(fw.id)}-{_safe_name(period)}-r{revision}.zip"
        if out.is_dir()
        else out
    )
    result = write_bundle_via_workspace(ws, target, info, doc, [], keypair)
    entry = {
        "period": period,
        "framework_id": fw.id,
        "framework_hash": fw.content_hash,
        "framework_name": fw.name,
        "revision": revision,
        "level": level.value,
        "deadline": deadline.isoformat() if deadline else "",
        "bands": [list(b) for b in checked_bands],
        "plan_id": plan.id if plan else "",
        "file": target.name,
        "sha256": result.sha256,
        "fingerprint": result.key_fingerprint,
        "published_at": now_iso(),
    }
    with ws.db.atomic():
        if level_set:
            ws.save_framework(fw)
        ws.settings.set(counter, revision)
        ws.settings.set(PUBLISHED_KEY, [*published_packages(ws), entry])
    return PublishedPackage(
        result.path,
        result.sha256,
        result.size,
        result.key_fingerprint,
        fw.id,
        fw.content_hash,
        period,
        revision,
        level,
        deadline,
        len(plan.tasks) if plan else 0,
        level_set,
    )


def published_packages(ws: Workspace) -> list[dict[str, Any]]:
    """Every package this workspace published, oldest first."""
    raw = ws.settings.get(PUBLISHED_KEY) or []
    return [dict(e) for e in raw if isinstance(e, dict)]


def published_by_period(ws: Workspace) -> dict[str, frozenset[str]]:
    """Period -> the framework hashes this office published for it (one settings read)."""
    out: dict[str, set[str]] = {}
    for e in published_packages(ws):
        out.setdefault(str(e.get("period", "")), set()).add(str(e.get("framework_hash", "")))
    return {k: frozenset(v) for k, v in out.items()}


def published_deadline(ws: Workspace, period: str) -> date | None:
    """The deadline of the latest package published for ``period`` (``None`` if none)."""
    for e in reversed(published_packages(ws)):
        if e.get("period") == clean(period) and e.get("deadline"):
            return date.fromisoformat(str(e["deadline"]))
    return None


def framework_warning(
    published: dict[str, frozenset[str]], period: str, framework_hash: str, framework_id: str = ""
) -> str:
    """The inbox flag of a bundle made against a framework the office did not publish for
    its period — only once the office has published at least one package for that period
    (before that, nothing says which framework is the right one)."""
    hashes = published.get(period)
    if not hashes or not framework_hash or framework_hash in hashes:
        return ""
    named = f"bộ chỉ số {framework_id}, " if framework_id else ""
    return (
        f"{NOT_PUBLISHED} cho kỳ {period} ({named}mã {framework_hash[:12]}); hãy đề nghị "
        "đơn vị nhập gói bộ chỉ số đã ban hành và nộp lại."
    )


# -- unit side: trust and import ---------------------------------------------------------------
@dataclass(frozen=True)
class ImportedPackage:
    package: FrameworkPackage
    file_sha256: str
    replaced: bool  # an earlier revision of the same framework and period was replaced

    def as_dict(self) -> dict[str, Any]:
        p = self.package
        return {
            "framework_id": p.framework.id,
            "framework_name": p.framework.name,
            "framework_hash": p.framework.content_hash,
            "criteria": len(p.framework.criteria),
            "period": p.period,
            "revision": p.revision,
            "level": p.level.value,
            "deadline": p.deadline.isoformat() if p.deadline else None,
            "bands": [list(b) for b in p.bands],
            "plan_id": p.plan.id if p.plan else None,
            "tasks": len(p.plan.tasks) if p.plan else 0,
            "publisher_code": p.publisher_code,
            "publisher_name": p.publisher_name,
            "fingerprint": p.fingerprint,
            "file_sha256": self.file_sha256,
        }


def read_claims(path: Path) -> PackageClaims:
    """What a package claims (publisher, fingerprint), unverified: for the trust dialog."""
    return fp.read_claims(Path(path))


def _untrusted(claims: PackageClaims) -> UntrustedPublisherError:
    who = f"{claims.publisher_name} (mã {claims.publisher_code})"
    return UntrustedPublisherError(
        f"Chưa tin khóa của đơn vị ban hành {who}, nên chưa kiểm tra được gói bộ chỉ số; "
        f"không nhập gì. Dấu vân tay khóa đã ký gói: {claims.fingerprint}. Hãy nhận tệp khóa "
        "công khai (.pub) của đơn vị ban hành, gọi điện so dấu vân tay, rồi đăng ký khóa "
        f"(“parapp keys trust {claims.publisher_code} TỆP.pub”) và nhập lại.",
        claims,
    )


def trust_publisher_key(ws: Workspace, package: Path, pub_file: Path) -> TrustedKey:
    """Trust the office key in ``pub_file`` for the office that signed ``package``.

    Only the key that actually signed the package is accepted (the officer has compared
    its fingerprint on the phone); the office is added to the unit list when it is not
    there yet, as a unit's parent would be.
    """
    claims = read_claims(package)
    pub = keys.read_public_key(pub_file)
    if keys.fingerprint(pub) != claims.fingerprint:
        raise ParAppError(
            f"Khóa trong tệp “{Path(pub_file).name}” (dấu vân tay {keys.fingerprint(pub)}) "
            f"không phải khóa đã ký gói bộ chỉ số ({claims.fingerprint}). Không tin khóa này; "
            f"hãy liên hệ lại {claims.publisher_name}."
        )
    if not claims.publisher_code:
        raise PackageRefused("Gói bộ chỉ số không ghi đơn vị ban hành; không nhập.")
    if ws.units.find(claims.publisher_code) is None:
        try:
            level = UnitLevel(claims.publisher_level)
        except ValueError:
            level = UnitLevel.PROVINCE
        ws.add_unit(Unit(claims.publisher_code, claims.publisher_name or "?", level))
    return enrol_key_file(ws, claims.publisher_code, Path(pub_file))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_package(ws: Workspace, path: Path, *, unit: Unit | None = None) -> ImportedPackage:
    """Verify ``path`` against the trusted key of the office that signed it and store it.

    ``unit`` is the importing unit (default: the workspace's own unit; the setup wizard
    passes the one being set up). All or nothing: refused — untrusted or other key,
    tampered, hostile, for another level, from an office that is not the unit's parent,
    older than the one already imported — nothing is written.
    """
    path = Path(path)
    unit = unit or ws.require_unit()
    claims = read_claims(path)
    pub = trusted_key(ws, claims.publisher_code) if claims.publisher_code else None
    if pub is None:
        raise _untrusted(claims)
    pkg = fp.read_package(path, pub)
    if unit.parent_code and pkg.publisher_code != unit.parent_code:
        raise PackageRefused(
            f"Gói bộ chỉ số do {pkg.publisher_name} (mã {pkg.publisher_code}) ban hành, không "
            f"phải đơn vị cấp trên của {unit.name} (mã {unit.parent_code}); không nhập."
        )
    if pkg.level is not unit.level:
        raise PackageRefused(
            f"Gói bộ chỉ số “{pkg.framework.name}” áp dụng cho {level_phrase(pkg.level)}, còn "
            f"{unit.name} là đơn vị {level_phrase(unit.level)}; không nhập. Hãy đề nghị "
            f"{pkg.publisher_name} gửi gói dành cho {level_phrase(unit.level)}."
        )
    digest = _sha256(path)
    before = package_record(ws, pkg.framework.id)
    replaced = False
    if before is not None and before.get("period") == pkg.period:
        old_rev = int(before.get("revision", 0))
        if pkg.revision < old_rev:
            raise PackageRefused(
                f"“{path.name}” là lần ban hành {pkg.revision}, cũ hơn lần {old_rev} đã nhập; "
                "không thay thế bộ chỉ số mới hơn."
            )
        if pkg.revision == old_rev and before.get("file_sha256") != digest:
            raise PackageRefused(
                f"Lần ban hành {pkg.revision} đã nhập trước đó với nội dung khác; “{path.name}” "
                "không được dùng. Hãy đề nghị cấp trên gửi lần ban hành mới hơn."
            )
        replaced = pkg.revision > old_rev
    record = {
        "framework_id": pkg.framework.id,
        "framework_hash": pkg.framework.content_hash,
        "period": pkg.period,
        "revision": pkg.revision,
        "level": pkg.level.value,
        "deadline": pkg.deadline.isoformat() if pkg.deadline else "",
        "bands": [list(b) for b in pkg.bands],
        "plan_id": pkg.plan.id if pkg.plan else "",
        "publisher_code": pkg.publisher_code,
        "publisher_name": pkg.publisher_name,
        "fingerprint": pkg.fingerprint,
        "approver": pkg.approver,
        "created_at": pkg.created_at,
        "file_sha256": digest,
        "imported_at": now_iso(),
    }
    with ws.db.atomic():
        ws.save_framework(pkg.framework)
        if ws.framework(pkg.framework.id).content_hash != pkg.framework.content_hash:
            raise PackageRefused("Bộ chỉ số đã lưu khác với bộ chỉ số trong gói; không nhập.")
        if pkg.plan is not None:
            ws.save_plan(_keep_progress(ws, pkg.plan))
            ws.set_current_plan(pkg.plan.id)
        if pkg.deadline is not None:
            ws.set_deadline(pkg.deadline)
        ws.settings.set(IMPORTED_PREFIX + pkg.framework.id, record)
    return ImportedPackage(pkg, digest, replaced)


def _keep_progress(ws: Workspace, plan: TaskPlan) -> TaskPlan:
    """The plan as issued, with the unit's own progress kept for tasks it already had (a
    corrected issue of the plan must not undo what the unit has done); new tasks are to do."""
    try:
        before = {t.code: t for t in ws.tasks.get_plan(plan.id).tasks}
    except NotFoundError:
        before = {}
    return replace(
        plan,
        tasks=tuple(
            replace(t, status=before[t.code].status, note=before[t.code].note)
            if t.code in before
            else replace(t, status=TaskStatus.TODO, note="")
            for t in plan.tasks
        ),
    )


def key_file_fingerprint(path: Path) -> str:
    """The fingerprint of the key in a ``.pub`` file, to read out on the phone."""
    return keys.fingerprint(keys.read_public_key(Path(path)))


def choice_label(ws: Workspace, row: dict[str, object]) -> str:
    """How a framework of ``ws.frameworks.list()`` is offered for choosing: embedded ones
    as labelled examples, a package's with its publisher and period."""
    fid = str(row["id"])
    label = example_label(fid)
    if label is not None:
        return label
    year = f" ({row['year']})" if row.get("year") else ""
    record = package_record(ws, fid)
    if record is not None:
        return (
            f"{row['name']}{year} — do {record.get('publisher_name', '')} ban hành, "
            f"kỳ {record.get('period', '')}"
        )
    return f"{row['name']}{year}"


def describe_import(done: ImportedPackage) -> str:
    """One paragraph saying what a package brought (the wizard shows it)."""
    p = done.package
    parts = [
        f"Đã nhập bộ chỉ số “{p.framework.name}” do {p.publisher_name} ban hành "
        f"(lần {p.revision}, khóa {p.fingerprint} đã được kiểm tra).",
        f"Kỳ đánh giá {p.period}, áp dụng cho {level_phrase(p.level)}; hạn nộp "
        f"{p.deadline.strftime('%d/%m/%Y') if p.deadline else 'chưa đặt'}.",
    ]
    if p.plan is not None:
        parts.append(f"Kèm kế hoạch “{p.plan.name}” ({len(p.plan.tasks)} nhiệm vụ).")
    return " ".join(parts)


def package_record(ws: Workspace, framework_id: str) -> dict[str, Any] | None:
    """The package ``framework_id`` was imported from (``None``: not from a package)."""
    raw = ws.settings.get(IMPORTED_PREFIX + framework_id)
    return dict(raw) if isinstance(raw, dict) else None
