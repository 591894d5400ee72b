"""The framework package: one signed file in which a receiving office issues the year's framework.

It is an ordinary ParApp bundle (BagIt in a zip, the tag manifest signed in minisign
format; see ``docs/bundle-format.md``) of kind ``framework-package``, so every check a
bundle gets it gets too — bounded zip directory, signature, manifests, hashes, the schema of
``data/assessment.json``, the framework's content hash and its validity — and ``minisign
-V`` and ``bagit.py --validate`` check it without ParApp:

* ``bag-info.txt`` names the publishing office (``ParApp-Unit-Code``, ``-Unit-Name``), its
  public key and fingerprint, the framework (``ParApp-Framework-Id``, ``-Framework-Hash``),
  the period and the package's revision (the office's n-th issue of that framework for that
  period);
* ``data/assessment.json`` carries the whole framework (``framework.content``), no answers,
  and the package under ``extra.framework_package``::

      {"format": 1, "level": "commune", "deadline": "2026-01-15" | "",
       "bands": [["Xuất sắc", 90.0], …, ["Yếu", 0.0]],
       "plan": {task plan, as parapp.models.tasks.task_plan_to_dict} | null,
       "publisher": {"code": "48", "name": "…", "fingerprint": "K7QM-…"},
       "note": "…"}

Nothing else may be in the bag (no evidence, no child bundles). Reading is bounded before
parsing: the file's size first, then the zip directory (entries, sizes, compression ratio)
with limits sized for a framework, then the JSON (size, depth, numbers), then every field of
the section (types, lengths, counts) — a package is refused whole, with one Vietnamese
sentence, at the first thing that is not right.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from parapp.interchange.bagzip import Limits
from parapp.interchange.bundle import (
    ASSESSMENT_PATH,
    BundleInfo,
    VerifyReport,
    inspect_bundle,
    make_assessment_doc,
    verify_bundle,
)
from parapp.interchange.keys import PublicKey, fingerprint
from parapp.models.consolidation import format_thresholds, parse_thresholds
from parapp.models.errors import ParAppError, ValidationError
from parapp.models.framework import Framework, framework_from_dict
from parapp.models.tasks import Task, TaskPlan, TaskStatus, task_plan_to_dict
from parapp.models.text import nfc
from parapp.models.units import UnitLevel

#: the bundle kind (``ParApp-Bundle-Kind``) of a framework package
PACKAGE_KIND = "framework-package"
SECTION = "framework_package"
PACKAGE_FORMAT = 1
#: a framework with its guidance and a year's plan is a few hundred KB; 32 MB is generous
MAX_PACKAGE_BYTES = 32 << 20
PACKAGE_LIMITS = Limits(
    max_total_size=64 << 20,
    max_entries=16,
    max_ratio=200,
    ratio_min_size=256 << 10,
    max_tag_file_size=1 << 20,
    max_json_size=32 << 20,
    max_nesting=0,
)
MAX_TASKS = 5000
MAX_BANDS = 20
MAX_TEXT = 5000
MAX_SHORT = 300
MAX_CODES = 200
SUFFIXES = (".zip", ".parapp")


class PackageRefused(ParAppError):
    """A framework package is not accepted; the message says why, in Vietnamese."""


class UntrustedPublisherError(PackageRefused):
    """The office that signed the package has no trusted key in this workspace (yet).

    Carries what the package *claims* (unverified) so the officer can be shown whose key to
    enrol and which fingerprint to compare on the phone.
    """

    def __init__(self, message: str, claims: PackageClaims) -> None:
        self.claims = claims
        super().__init__(message)


@dataclass(frozen=True)
class PackageClaims:
    """What a package says about itself before anything is verified (shown, never trusted)."""

    kind: str
    publisher_code: str
    publisher_name: str
    publisher_level: str
    fingerprint: str
    framework_id: str
    period: str


@dataclass(frozen=True)
class FrameworkPackage:
    """A verified package: everything in it was signed by ``signer``."""

    framework: Framework
    period: str
    revision: int
    level: UnitLevel
    deadline: date | None
    bands: tuple[tuple[str, float], ...]
    plan: TaskPlan | None
    publisher_code: str
    publisher_name: str
    fingerprint: str
    created_at: str
    approver: str
    approver_position: str
    note: str
    signer: PublicKey


def is_package_path(path: Path) -> bool:
    """Whether ``path`` names a package by its extension (``.zip``; ``.parapp`` too)."""
    return Path(path).suffix.lower() in SUFFIXES


# -- writing ----------------------------------------------------------------------------------
def package_section(
    *,
    level: UnitLevel,
    deadline: date | None,
    bands: tuple[tuple[str, float], ...],
    plan: TaskPlan | None,
    publisher_code: str,
    publisher_name: str,
    fingerprint: str,
    note: str = "",
) -> dict[str, Any]:
    """The ``extra.framework_package`` section (see the module docstring)."""
    return {
        "format": PACKAGE_FORMAT,
        "level": level.value,
        "deadline": deadline.isoformat() if deadline else "",
        "bands": [[label, float(bound)] for label, bound in bands],
        "plan": _plan_to_wire(plan) if plan is not None else None,
        "publisher": {"code": publisher_code, "name": publisher_name, "fingerprint": fingerprint},
        "note": note,
    }


def _plan_to_wire(plan: TaskPlan) -> dict[str, Any]:
    """The plan as issued: the office's own progress (status, notes) does not travel."""
    wire = task_plan_to_dict(plan)
    for task in wire["tasks"]:
        del task["status"], task["note"]
    return wire


def package_doc(info: BundleInfo, framework: Framework, section: dict[str, Any]) -> dict[str, Any]:
    """The signed document of a package, through the one builder of every signed document."""
    return make_assessment_doc(info, framework, [], extra={SECTION: section})


# -- reading ----------------------------------------------------------------------------------
def read_claims(path: Path) -> PackageClaims:
    """What ``path`` claims (publisher, key fingerprint), read without trusting anything.

    Refuses a file that is too big or not a bundle at all; says nothing about validity.
    """
    path = Path(path)
    _check_size(path)
    claims = inspect_bundle(path)
    problem = claims.get("problem")
    if problem:
        raise PackageRefused(f"“{path.name}” không phải gói bộ chỉ số hợp lệ: {problem['message']}")
    info = {k: nfc(str(v))[:MAX_SHORT] for k, v in claims.get("bag_info", {}).items()}
    kind = info.get("ParApp-Bundle-Kind", "")
    if kind != PACKAGE_KIND:
        raise PackageRefused(_not_a_package(path, kind))
    return PackageClaims(
        kind=kind,
        publisher_code=info.get("ParApp-Unit-Code", ""),
        publisher_name=info.get("ParApp-Unit-Name", ""),
        publisher_level=info.get("ParApp-Unit-Level", ""),
        fingerprint=str(claims.get("key_fingerprint", "")),
        framework_id=info.get("ParApp-Framework-Id", ""),
        period=info.get("ParApp-Period", ""),
    )


def _not_a_package(path: Path, kind: str) -> str:
    what = {
        "self-assessment": "hồ sơ tự đánh giá của một đơn vị",
        "consolidation": "hồ sơ tổng hợp của đơn vị nhận",
        "appraisal": "tệp kết quả thẩm định",
    }.get(kind, "một tệp khác")
    return f"“{path.name}” là {what}, không phải gói bộ chỉ số do cấp trên ban hành."


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as err:
        raise PackageRefused(f"Không tìm thấy tệp “{path}”.") from err
    except OSError as err:
        raise PackageRefused(f"Không đọc được tệp “{path.name}” ({err.strerror}).") from err
    if not path.is_file():
        raise PackageRefused(f"“{path}” không phải là tệp.")
    if size > MAX_PACKAGE_BYTES:
        raise PackageRefused(
            f"Tệp “{path.name}” quá lớn để là gói bộ chỉ số ({size >> 20} MB; tối đa "
            f"{MAX_PACKAGE_BYTES >> 20} MB). Không nhập."
        )


def read_package(path: Path, trusted: PublicKey) -> FrameworkPackage:
    """Verify ``path`` against the publisher's ``trusted`` key and return its content.

    Raises :class:`PackageRefused` naming the first check that failed; nothing about a
    refused package is returned.
    """
    path = Path(path)
    _check_size(path)
    report = verify_bundle(path, trusted, None, PACKAGE_LIMITS)
    if not report.ok or report.info is None or report.assessment is None:
        raise PackageRefused(_refusal(path, report))
    info, doc = report.info, report.assessment
    if info.kind != PACKAGE_KIND:
        raise PackageRefused(_not_a_package(path, info.kind))
    assert report.signer is not None
    extra = set(report.manifest) - {ASSESSMENT_PATH}
    if extra:
        raise PackageRefused(
            f"Gói bộ chỉ số “{path.name}” chứa tệp lạ ({sorted(extra)[0][:80]}); không nhập."
        )
    fw = framework_from_dict(doc["framework"]["content"])  # checked by the verifier
    section = (doc.get("extra") or {}).get(SECTION)
    try:
        return _parse_section(section, fw, info, report)
    except _Bad as err:
        raise PackageRefused(
            f"Gói bộ chỉ số “{path.name}” sai cấu trúc: {err.detail}. Không nhập."
        ) from None


def _refusal(path: Path, report: VerifyReport) -> str:
    if report.failure_code == "unexpected_key":
        return (
            f"CẢNH BÁO: gói bộ chỉ số “{path.name}” được ký bằng khóa KHÁC với khóa đã đăng ký "
            f"của đơn vị ban hành — có thể bị giả mạo. Không nhập. {report.first_failure}"
        )
    return f"Gói bộ chỉ số “{path.name}” bị từ chối, không nhập gì. {report.first_failure or ''}"


class _Bad(Exception):
    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)


def _text(value: Any, what: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{what} không phải văn bản")
    if len(value) > limit:
        raise _Bad(f"{what} quá dài")
    text = nfc(value)
    if required and not text.strip():
        raise _Bad(f"thiếu {what}")
    return text


def _iso_date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise _Bad(f"{what} không đúng dạng ngày")
    try:
        return date.fromisoformat(value)
    except ValueError as err:
        raise _Bad(f"{what} không phải ngày có thật") from err


def _parse_section(
    section: Any, fw: Framework, info: BundleInfo, report: VerifyReport
) -> FrameworkPackage:
    if not isinstance(section, dict):
        raise _Bad("thiếu phần “framework_package”")
    if section.get("format") != PACKAGE_FORMAT:
        raise _Bad("phiên bản định dạng gói không được hỗ trợ")
    try:
        level = UnitLevel(_text(section.get("level"), "cấp áp dụng", 32, required=True))
    except ValueError as err:
        raise _Bad("cấp áp dụng không hợp lệ") from err
    deadline = _iso_date(section.get("deadline"), "hạn nộp")
    bands = _bands(section.get("bands"))
    plan = _plan(section.get("plan"), fw)
    publisher = section.get("publisher")
    if not isinstance(publisher, dict):
        raise _Bad("thiếu đơn vị ban hành")
    assert report.signer is not None
    signed_by = fingerprint(report.signer)
    if (
        _text(publisher.get("code"), "mã đơn vị ban hành", 64) != info.unit_code
        or _text(publisher.get("fingerprint"), "dấu vân tay", 64) != signed_by
    ):
        raise _Bad("đơn vị ban hành hoặc dấu vân tay khác với chữ ký của gói")
    return FrameworkPackage(
        framework=fw,
        period=info.period,
        revision=info.revision,
        level=level,
        deadline=deadline,
        bands=bands,
        plan=plan,
        publisher_code=info.unit_code,
        publisher_name=nfc(info.unit_name)[:MAX_SHORT],
        fingerprint=signed_by,
        created_at=info.created_at,
        approver=nfc(info.approver)[:MAX_SHORT],
        approver_position=nfc(info.approver_position)[:MAX_SHORT],
        note=_text(section.get("note"), "ghi chú"),
        signer=report.signer,
    )


def _bands(raw: Any) -> tuple[tuple[str, float], ...]:
    if raw in (None, []):
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_BANDS:
        raise _Bad("mức xếp loại không hợp lệ")
    pairs: list[tuple[str, float]] = []
    for band in raw:
        if (
            not isinstance(band, list)
            or len(band) != 2
            or isinstance(band[1], bool)
            or not isinstance(band[1], int | float)
            or not math.isfinite(band[1])
        ):
            raise _Bad("mức xếp loại không hợp lệ")
        pairs.append((_text(band[0], "tên mức xếp loại", 100, required=True), float(band[1])))
    try:  # the office's own rule for bands, so both sides accept the same ones
        return parse_thresholds(format_thresholds(pairs))
    except ValidationError as err:
        raise _Bad(f"mức xếp loại: {err.problems[0]}") from err


def _plan(raw: Any, fw: Framework) -> TaskPlan | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _Bad("kế hoạch nhiệm vụ không hợp lệ")
    tasks_raw = raw.get("tasks")
    if not isinstance(tasks_raw, list) or len(tasks_raw) > MAX_TASKS:
        raise _Bad(f"danh sách nhiệm vụ không hợp lệ (tối đa {MAX_TASKS})")
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2200:
        raise _Bad("năm của kế hoạch không hợp lệ")
    tasks: list[Task] = []
    seen: set[str] = set()
    for n, t in enumerate(tasks_raw, 1):
        if not isinstance(t, dict):
            raise _Bad(f"nhiệm vụ thứ {n} không hợp lệ")
        code = _text(t.get("code"), f"mã nhiệm vụ thứ {n}", 64, required=True)
        if code in seen:
            raise _Bad(f"mã nhiệm vụ “{code}” lặp lại")
        seen.add(code)
        codes = t.get("criteria_codes") or []
        if not isinstance(codes, list) or len(codes) > MAX_CODES:
            raise _Bad(f"tiêu chí của nhiệm vụ {code} không hợp lệ")
        criteria = tuple(_text(c, f"tiêu chí của nhiệm vụ {code}", 64) for c in codes)
        unknown = [c for c in criteria if c not in fw.by_code]
        if unknown:
            raise _Bad(f"nhiệm vụ {code} gắn với tiêu chí “{unknown[0]}” không có trong bộ chỉ số")
        order = t.get("order", n)
        if isinstance(order, bool) or not isinstance(order, int) or abs(order) > 10**6:
            raise _Bad(f"thứ tự của nhiệm vụ {code} không hợp lệ")
        parent = t.get("parent_code")
        tasks.append(
            Task(
                code=code,
                title=_text(t.get("title"), f"tên nhiệm vụ {code}", required=True),
                parent_code=_text(parent, f"nhiệm vụ cha của {code}", 64) or None,
                order=order,
                deadline_text=_text(t.get("deadline_text"), f"thời hạn của {code}", MAX_SHORT),
                due_date=_iso_date(t.get("due_date"), f"hạn của nhiệm vụ {code}"),
                lead=_text(t.get("lead"), f"đơn vị chủ trì của {code}"),
                coordinators=_text(t.get("coordinators"), f"đơn vị phối hợp của {code}"),
                product=_text(t.get("product"), f"sản phẩm của {code}"),
                criteria_codes=criteria,
                status=TaskStatus.TODO,
            )
        )
    missing = [t.parent_code for t in tasks if t.parent_code and t.parent_code not in seen]
    if missing:
        raise _Bad(f"nhiệm vụ cha “{missing[0]}” không có trong kế hoạch")
    return TaskPlan(
        id=_text(raw.get("id"), "mã kế hoạch", 64, required=True),
        name=_text(raw.get("name"), "tên kế hoạch", MAX_SHORT * 3, required=True),
        year=year,
        decision=_text(raw.get("decision"), "văn bản ban hành kế hoạch"),
        tasks=tuple(tasks),
    )
