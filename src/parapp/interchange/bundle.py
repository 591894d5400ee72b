"""The ParApp bundle: a signed BagIt bag in a zip carrying one unit's self-assessment.

Layout (see ``docs/bundle-format.md``)::

    <bag>/bagit.txt
    <bag>/bag-info.txt                      unit, framework, period, revision, key...
    <bag>/manifest-sha256.txt               every payload file
    <bag>/tagmanifest-sha256.txt            bagit.txt, bag-info.txt, manifest-sha256.txt
    <bag>/tagmanifest-sha256.txt.minisig    minisign signature of the tag manifest
    <bag>/tagmanifest-sha256.txt.p7s        (optional) the official's X.509 CMS signature of it
    <bag>/data/assessment.json              the assessment (schema parapp.assessment/1)
    <bag>/data/evidence/<sha256><.ext>      evidence files, once each
    <bag>/data/children/<name>.zip          (receiving office) child units' bundles, unchanged

One signature over the tag manifest covers every byte of the bag: it fixes the manifests,
which fix every payload file. Reading refuses the whole bundle at the first failed check and
says why in Vietnamese; nothing is written anywhere unless :func:`extract_bundle` is asked to,
and then only into a fresh private folder.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from parapp import __version__
from parapp.fileio import atomic_write, describe_os_error
from parapp.interchange import bagzip
from parapp.interchange.bagzip import (
    DEFAULT_LIMITS,
    TAGMANIFEST,
    BagContents,
    CancelFn,
    Cancelled,
    Check,
    Limits,
    OpenedBag,
    ProgressFn,
    Refused,
)
from parapp.interchange.keys import (
    KeyFileError,
    KeyPair,
    PublicKey,
    fingerprint,
    public_key_from_base64,
    public_key_from_minisign,
    public_key_to_base64,
)
from parapp.interchange.minisign import SignatureError, parse_signature, sign, verify
from parapp.models import safe_json
from parapp.models.answer_check import check_answers
from parapp.models.assessment import Answer
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework, framework_from_dict, framework_to_dict
from parapp.models.rollup import rollup
from parapp.models.validation import framework_problems

if TYPE_CHECKING:  # pyHanko takes seconds to import: only loaded when X.509 is in use
    from parapp.interchange.signing.cms import CmsCheck
    from parapp.interchange.signing.signers import LoadedSigner
    from parapp.interchange.signing.trust import TrustStore

SCHEMA_ID = "parapp.assessment/1"
BUNDLE_FORMAT_VERSION = "1"
SIGNATURE_FILE = TAGMANIFEST + ".minisig"
CMS_SIGNATURE_FILE = TAGMANIFEST + ".p7s"  # optional: the official's X.509 signature
ASSESSMENT_PATH = "data/assessment.json"
EVIDENCE_DIR = "data/evidence/"
CHILDREN_DIR = "data/children/"
CORRUPT_MESSAGE = "Tệp hồ sơ bị hỏng hoặc không đúng định dạng."

# Already-compressed formats are stored as is: deflating them again only costs time.
STORED_EXTENSIONS = frozenset(
    (
        *("pdf", "jpg", "jpeg", "png", "gif", "webp", "heic", "tif", "tiff", "docx", "xlsx"),
        *("pptx", "odt", "ods", "odp", "zip", "7z", "rar", "gz", "bz2", "xz", "mp3", "mp4"),
        *("m4a", "mov", "avi", "mkv"),
    )
)


@dataclass(frozen=True)
class BundleInfo:
    """What ``bag-info.txt`` says about a bundle (every field has a ``ParApp-…`` label)."""

    unit_code: str
    unit_name: str
    unit_level: str
    parent_unit: str
    framework_id: str
    framework_hash: str
    period: str
    revision: int
    created_at: str  # ISO 8601, UTC, e.g. "2025-03-01T08:30:00Z"
    app_version: str
    approver: str
    approver_position: str
    kind: str = "self-assessment"  # "consolidation" for a receiving office's bundle
    extra: tuple[tuple[str, str], ...] = ()  # more "ParApp-X-…" fields, in order


@dataclass(frozen=True)
class EvidenceFile:
    """An evidence file to put in a bundle; ``sha256`` and ``size`` are checked on the way."""

    sha256: str
    size: int
    source_path: Path
    original_name: str


@dataclass(frozen=True)
class BundleResult:
    path: Path
    sha256: str
    size: int
    key_fingerprint: str


_INFO_LABELS: dict[str, str] = {
    "kind": "ParApp-Bundle-Kind",
    "unit_code": "ParApp-Unit-Code",
    "unit_name": "ParApp-Unit-Name",
    "unit_level": "ParApp-Unit-Level",
    "parent_unit": "ParApp-Parent-Unit",
    "framework_id": "ParApp-Framework-Id",
    "framework_hash": "ParApp-Framework-Hash",
    "period": "ParApp-Period",
    "revision": "ParApp-Revision",
    "created_at": "ParApp-Created-At",
    "app_version": "ParApp-App-Version",
    "approver": "ParApp-Approver",
    "approver_position": "ParApp-Approver-Position",
}
LABEL_FORMAT = "ParApp-Bundle-Format"
LABEL_PUBLIC_KEY = "ParApp-Public-Key"
LABEL_FINGERPRINT = "ParApp-Key-Fingerprint"
_EXTRA_PREFIX = "ParApp-X-"


# -- names ------------------------------------------------------------------------------------
def evidence_extension(original_name: str) -> str:
    """``".pdf"`` for ``"Quyết định.PDF"``; ``""`` when there is no plain short extension."""
    suffix = Path(original_name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def evidence_path(sha256: str, original_name: str) -> str:
    """Where an evidence file lives inside the bag: ``data/evidence/<sha256><ext>``."""
    return f"{EVIDENCE_DIR}{sha256}{evidence_extension(original_name)}"


def bag_name(info: BundleInfo) -> str:
    """``parapp-<unit>-<period>-r<revision>``, reduced to ``[A-Za-z0-9._-]``."""
    raw = f"parapp-{info.unit_code}-{info.period}-r{info.revision}"
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", raw.encode("ascii", "ignore").decode())
    return ascii_name.strip("._-")[:150] or "parapp-bundle"


def trusted_comment(info: BundleInfo) -> str:
    """The signed comment ``minisign -V`` prints; it repeats the facts that identify the bag."""
    stamp = int(_parse_utc(info.created_at).timestamp())
    words = [re.sub(r"\s+", "_", v) for v in (info.unit_code, info.period)]
    return f"timestamp:{stamp}\tfile:{TAGMANIFEST}\tparapp:{words[0]}/{words[1]}/r{info.revision}"


def _parse_utc(text: str) -> datetime:
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def bag_info_fields(info: BundleInfo, pub: PublicKey) -> list[tuple[str, str]]:
    """Every ``bag-info.txt`` field but ``Payload-Oxum`` (added by the bag writer)."""
    created = _parse_utc(info.created_at)
    out: list[tuple[str, str]] = [
        ("Source-Organization", info.unit_name),
        ("External-Identifier", bag_name(info)),
        ("Bagging-Date", created.strftime("%Y-%m-%d")),
        ("Bag-Software-Agent", f"ParApp {info.app_version or __version__}"),
        (LABEL_FORMAT, BUNDLE_FORMAT_VERSION),
    ]
    for name, label in _INFO_LABELS.items():
        out.append((label, str(getattr(info, name))))
    out.append((LABEL_PUBLIC_KEY, public_key_to_base64(pub)))
    out.append((LABEL_FINGERPRINT, fingerprint(pub)))
    for label, value in info.extra:
        out.append((label if label.startswith(_EXTRA_PREFIX) else _EXTRA_PREFIX + label, value))
    return out


def _info_from_fields(pairs: list[tuple[str, str]]) -> BundleInfo:
    """Parse ``bag-info.txt`` fields; raises :class:`Refused` naming a missing/bad field."""
    found: dict[str, str] = {}
    for label, value in pairs:
        if label in found and label.startswith("ParApp-") and not label.startswith(_EXTRA_PREFIX):
            raise Refused("bagit", "bag_info_invalid", f"Trường “{label}” lặp lại trong bag-info.")
        found.setdefault(label, value)
    values: dict[str, Any] = {}
    for name, label in _INFO_LABELS.items():
        if label not in found:
            raise Refused(
                "bagit", "bag_info_field_missing", f"bag-info.txt thiếu trường “{label}”."
            )
        values[name] = found[label]
    if found.get(LABEL_FORMAT) != BUNDLE_FORMAT_VERSION:
        raise Refused(
            "bagit", "format_version", "Hồ sơ được tạo theo định dạng ParApp không được hỗ trợ."
        )
    if not re.fullmatch(r"[1-9][0-9]{0,8}", values["revision"]):
        raise Refused(
            "revision",
            "revision_invalid",
            f"Lần nộp “{values['revision'][:20]}” trong bag-info.txt không phải số nguyên dương.",
        )
    values["revision"] = int(values["revision"])
    try:
        _parse_utc(values["created_at"])
    except ValueError as err:
        raise Refused("bagit", "bag_info_invalid", "Thời điểm tạo hồ sơ sai định dạng.") from err
    extra = tuple((k, v) for k, v in pairs if k.startswith(_EXTRA_PREFIX))
    return BundleInfo(**values, extra=extra)


# -- assessment schema ------------------------------------------------------------------------
@cache
def assessment_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``data/assessment.json``."""
    source = resources.files("parapp.interchange").joinpath("assessment_schema.json")
    text = source.read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_JSON_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_problems(value: Any, schema: dict[str, Any], where: str = "$") -> Iterator[str]:
    """Validate against the subset of JSON Schema our schema uses (no third-party library).

    Supported: ``$ref`` (local), ``type``, ``const``, ``enum``, ``required``, ``properties``,
    ``additionalProperties`` (boolean), ``items``, ``prefixItems``, ``minItems``, ``maxItems``,
    ``minLength``, ``maxLength``, ``pattern``, ``minimum``, ``maximum``, ``exclusiveMinimum``.
    Yields a short English path + problem for each violation.
    """
    if "$ref" in schema:
        target: Any = assessment_schema()
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        yield from schema_problems(value, target, where)
        return
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_JSON_TYPES[t](value) for t in names):
            yield f"{where}: expected {'/'.join(names)}"
            return
    if "const" in schema and value != schema["const"]:
        yield f"{where}: must be {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: not one of {schema['enum']}"
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", 1 << 62):
            yield f"{where}: bad length"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield f"{where}: does not match {schema['pattern']}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            yield f"{where}: not finite"
        elif "minimum" in schema and value < schema["minimum"]:
            yield f"{where}: below {schema['minimum']}"
        elif "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            yield f"{where}: not above {schema['exclusiveMinimum']}"
        elif "maximum" in schema and value > schema["maximum"]:
            yield f"{where}: above {schema['maximum']}"
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                yield f"{where}: missing {key!r}"
        props: dict[str, Any] = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                yield from schema_problems(item, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                yield f"{where}: unexpected {key!r}"
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", 1 << 62):
            yield f"{where}: too many items"
        if len(value) < schema.get("minItems", 0):
            yield f"{where}: too few items"
        for i, (item, sub) in enumerate(zip(value, schema.get("prefixItems", []), strict=False)):
            yield from schema_problems(item, sub, f"{where}[{i}]")
        if "items" in schema:
            for i, item in enumerate(value):
                yield from schema_problems(item, schema["items"], f"{where}[{i}]")


# -- building the document -------------------------------------------------------------------
def answer_entry(a: Answer) -> dict[str, Any]:
    """One answer as the wire document carries it (also the CLI's JSON view of an answer)."""
    return {
        "code": a.code,
        "value": a.value,
        "numerator": a.numerator,
        "denominator": a.denominator,
        "self_score": a.self_score,
        "explanation": a.explanation,
        **({"not_applicable": True} if a.not_applicable else {}),
        "evidence": [
            {
                "sha256": e.sha256,
                "file_name": e.file_name,
                "size": e.size,
                "ref": e.ref,
                "note": e.note,
            }
            for e in a.evidence
        ],
    }


def make_assessment_doc(
    info: BundleInfo,
    framework: Framework,
    answers: Iterable[Answer],
    children: list[dict[str, str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``data/assessment.json`` document for ``info`` (schema ``parapp.assessment/1``).

    The one builder of every signed document: a commune's real export, the office's bundle
    upward (``children``, ``extra.consolidation``), the appraisal result (``extra.appraisal``)
    and every test fixture go through here, so what tests check is what is sent.

    Answers are those of the framework's leaves that hold anything (touched), in the
    framework's order. Evidence ``path`` fields are filled in by :func:`write_bundle`, which
    knows the files. Totals come from :func:`parapp.models.rollup.rollup`, as on screen and
    on paper.
    """
    by_code = {a.code: a for a in answers}
    answer_list = [
        a for c in framework.leaves() if (a := by_code.get(c.code)) is not None and a.touched
    ]
    totals = rollup(framework, by_code)
    doc: dict[str, Any] = {
        "schema": SCHEMA_ID,
        "unit": {
            "code": info.unit_code,
            "name": info.unit_name,
            "level": info.unit_level,
            "parent": info.parent_unit or None,
        },
        "framework": {
            "id": framework.id,
            "name": framework.name,
            "hash": framework.content_hash,
            "content": framework_to_dict(framework),
        },
        "period": info.period,
        "revision": info.revision,
        "approver": {"name": info.approver, "position": info.approver_position},
        "created_at": info.created_at,
        "answers": [answer_entry(a) for a in answer_list],
        "totals": {
            "self_score": totals.total_score,
            "assessable_max": totals.assessable_max,
            "index_percent": totals.index_percent,
        },
    }
    if children:
        doc["children"] = children
    if extra is not None:
        doc["extra"] = extra
    return doc


# -- writing ----------------------------------------------------------------------------------
def _zip_time(info: BundleInfo) -> tuple[int, int, int, int, int, int]:
    t = _parse_utc(info.created_at)
    if t.year < 1980:
        raise ValueError(info.created_at)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def _prepare_doc(doc: dict[str, Any], info: BundleInfo, evidence: list[EvidenceFile]) -> bytes:
    """Fill each evidence ``path``, check the doc against the schema and the info; to bytes."""
    doc = copy.deepcopy(doc)
    by_sha = {e.sha256: e for e in evidence}
    for answer in doc.get("answers", []):
        for ev in answer.get("evidence", []):
            if ev.get("sha256") not in by_sha:
                raise ValueError(f"evidence {ev.get('sha256')} of {answer.get('code')} not given")
            ev.setdefault("path", evidence_path(ev["sha256"], by_sha[ev["sha256"]].original_name))
    problems = list(schema_problems(doc, assessment_schema()))
    problems += _doc_vs_info(doc, info) if not problems else []
    if problems:
        raise ValueError("assessment document: " + "; ".join(problems[:10]))
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False).encode()


def _doc_vs_info(doc: dict[str, Any], info: BundleInfo) -> list[str]:
    pairs = [
        (doc["unit"]["code"], info.unit_code, "unit.code"),
        (doc["framework"]["id"], info.framework_id, "framework.id"),
        (doc["framework"]["hash"], info.framework_hash, "framework.hash"),
        (doc["period"], info.period, "period"),
        (doc["revision"], info.revision, "revision"),
    ]
    return [f"{name}: {a!r} != bag-info {b!r}" for a, b, name in pairs if a != b]


def write_bundle(
    out_path: Path | str,
    info: BundleInfo,
    assessment_doc: dict[str, Any],
    evidence: list[EvidenceFile],
    keypair: KeyPair,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    children: list[tuple[str, Path]] | None = None,
    x509_signer: LoadedSigner | None = None,
) -> BundleResult:
    """Write a signed bundle atomically; see the module docstring for the layout.

    With ``x509_signer`` (the official's certificate, from a token or a PKCS#12 file) the
    tag manifest is also signed as detached CMS into ``tagmanifest-sha256.txt.p7s``; without
    it the bundle is byte for byte what it always was.

    Evidence files are streamed (1 MiB at a time) and their SHA-256 and size checked against
    the store's; a mismatch means the stored file is corrupt and nothing is written.
    ``children`` (receiving office) are ``(file name, path)`` of child bundles to carry
    unchanged under ``data/children/``. ``cancel`` is polled between chunks.
    """
    out = Path(out_path)
    unique = list({e.sha256: e for e in evidence}.values())
    doc_bytes = _prepare_doc(assessment_doc, info, unique)
    child_items = [(f"{CHILDREN_DIR}{name}", Path(p)) for name, p in (children or [])]
    total = (
        len(doc_bytes)
        + sum(e.size for e in unique)
        + sum(_size_of(p, name) for name, p in child_items)
    )
    done = 0

    def on_bytes(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    def sign_tags(tagmanifest: bytes) -> dict[str, bytes]:
        text = sign(
            tagmanifest,
            keypair,
            trusted_comment(info),
            f"ParApp signature, key {keypair.public.key_id_hex}, {fingerprint(keypair.public)}",
        )
        files = {SIGNATURE_FILE: text.encode("utf-8")}
        if x509_signer is not None:
            from parapp.interchange.signing.cms import sign_detached

            files[CMS_SIGNATURE_FILE] = sign_detached(
                tagmanifest, x509_signer, _parse_utc(info.created_at)
            )
        return files

    with atomic_write(out) as fh:
        writer = bagzip.BagZipWriter(fh, bag_name(info), _zip_time(info), cancel)
        try:
            writer.add_payload(ASSESSMENT_PATH, doc_bytes, size=len(doc_bytes), compress=True)
            on_bytes(len(doc_bytes))
            for rel, src in child_items:
                with _open_source(src, rel) as stream:
                    writer.add_payload(
                        rel, stream, size=_size_of(src, rel), compress=False, on_bytes=on_bytes
                    )
            for ev in sorted(unique, key=lambda e: e.sha256):
                _add_evidence(writer, ev, on_bytes)
            writer.finish(bag_info_fields(info, keypair.public), sign_tags)
        except BaseException:
            writer.abort()
            raise
    size, digest = _file_sha256(out)
    return BundleResult(out, digest, size, fingerprint(keypair.public))


def _size_of(path: Path, what: str) -> int:
    try:
        return path.stat().st_size
    except OSError as err:
        raise ParAppError(f"Không đọc được tệp “{what}”: {describe_os_error(err, path)}") from err


def _open_source(path: Path, what: str) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as err:
        raise ParAppError(f"Không đọc được tệp “{what}”: {describe_os_error(err, path)}") from err


def _add_evidence(
    writer: bagzip.BagZipWriter, ev: EvidenceFile, on_bytes: Callable[[int], None]
) -> None:
    corrupt = ParAppError(
        f"Tệp tài liệu kiểm chứng “{ev.original_name}” trong kho đã bị hỏng (nội dung không "
        f"khớp mã băm {ev.sha256[:12]}…). Hãy đính kèm lại tệp gốc rồi xuất lại hồ sơ."
    )
    if _size_of(ev.source_path, ev.original_name) != ev.size:
        raise corrupt
    with _open_source(ev.source_path, ev.original_name) as stream:
        ext = evidence_extension(ev.original_name).lstrip(".")
        try:
            writer.add_payload(
                evidence_path(ev.sha256, ev.original_name),
                stream,
                size=ev.size,
                compress=ext not in STORED_EXTENSIONS,
                expected_sha256=ev.sha256,
                on_bytes=on_bytes,
            )
        except ValueError as err:
            raise corrupt from err


def _file_sha256(path: Path) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(bagzip.CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


# -- reading ----------------------------------------------------------------------------------
@dataclass
class VerifyReport:
    """The outcome of :func:`verify_bundle`: every check run, in order, up to the first failure."""

    path: Path
    checks: list[Check] = field(default_factory=list)
    info: BundleInfo | None = None
    assessment: dict[str, Any] | None = None
    signer: PublicKey | None = None
    key_pinned: bool = False  # True when the signer was compared with an expected key
    bag_name: str = ""
    children: list[VerifyReport] = field(default_factory=list)
    manifest: dict[str, str] = field(default_factory=dict)
    #: item code -> "điểm tự chấm không khớp quy tắc: tính lại được …" (accepted, flagged)
    score_flags: dict[str, str] = field(default_factory=dict)
    x509: CmsCheck | None = None  # the official's CMS signature, when the bundle has one

    @property
    def official(self) -> str | None:
        """Who signed with an X.509 certificate (shown beside the unit key status)."""
        return None if self.x509 is None else self.x509.signer

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failure(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    @property
    def failure_code(self) -> str | None:
        f = self.failure
        return None if f is None else f.code

    @property
    def first_failure(self) -> str | None:
        """A Vietnamese sentence for the user, naming the file (``None`` when all is well)."""
        f = self.failure
        return None if f is None else f"{f.name}: {f.message_vi}"


class BundleRejectedError(ParAppError):
    """A bundle failed verification; ``report`` says which check and why."""

    def __init__(self, report: VerifyReport) -> None:
        self.report = report
        super().__init__(
            f"Hồ sơ “{report.path.name}” bị từ chối. {report.first_failure or CORRUPT_MESSAGE}"
        )


def verify_bundle(
    path: Path | str,
    expected_pubkey: PublicKey | None = None,
    known_framework_hashes: set[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    recursive: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    trust: TrustStore | None = None,
) -> VerifyReport:
    """Check everything about a bundle without writing anything; never raises on bad input.

    Only :class:`Cancelled` escapes (when ``cancel`` says so). ``recursive`` also verifies
    each ``data/children/*.zip`` against the public key the parent's assessment gives for it.
    An X.509 CMS signature, when present, must match the tag manifest; whether its
    certificate is trusted is judged against ``trust`` (an empty store when not given) and
    reported in ``report.x509`` without refusing the bundle.
    """
    report = VerifyReport(Path(path))
    _run(report, Path(path), expected_pubkey, known_framework_hashes, limits, recursive, 0,
         progress, cancel, trust)  # fmt: skip
    return report


def _run(
    report: VerifyReport,
    source: Path | IO[bytes],
    expected: PublicKey | None,
    known: set[str] | None,
    limits: Limits,
    recursive: bool,
    depth: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
    trust: TrustStore | None,
) -> None:
    bag: OpenedBag | None = None
    try:
        try:
            fh: IO[bytes] = source.open("rb") if isinstance(source, Path) else source
        except OSError as err:
            raise Refused("file", "unreadable", describe_os_error(err, str(source))) from err
        try:
            bag = bagzip.open_bag(fh, limits)
            report.bag_name = bag.bag_name
            report.checks.append(bagzip.passed("zip", f"{len(bag.files)} tệp, cấu trúc an toàn."))
            contents = bagzip.check_tags(bag, frozenset({SIGNATURE_FILE, CMS_SIGNATURE_FILE}))
            report.info = _info_from_fields(contents.bag_info)
            report.checks.append(bagzip.passed("bagit", "Đúng cấu trúc BagIt 1.0."))
            _check_signature(report, bag, contents, expected)
            if CMS_SIGNATURE_FILE in bag.files:
                _check_x509(report, bag, contents, trust)
            bagzip.check_manifest(bag, contents)
            report.manifest = dict(contents.manifest)
            report.checks.append(
                bagzip.passed("manifest", f"Danh mục khớp với {len(contents.manifest)} tệp.")
            )
            bagzip.check_payload(bag, contents, progress, cancel)
            report.checks.append(bagzip.passed("payload", "Mọi tệp đúng mã băm SHA-256."))
            bagzip.check_oxum(contents)
            report.checks.append(bagzip.passed("oxum", "Đúng tổng dung lượng và số tệp."))
            doc = _check_assessment(report.info, bag, contents, known)
            report.checks.append(bagzip.passed("assessment", "Bản tự đánh giá hợp lệ."))
            report.checks.append(bagzip.passed("framework", "Bộ tiêu chí khớp mã băm."))
            report.score_flags = _check_scores(doc)
            flagged = len(report.score_flags)
            report.checks.append(
                bagzip.passed(
                    "scores",
                    "Mọi điểm tự chấm được tính lại theo quy tắc"
                    + (f"; {flagged} tiêu chí không khớp (đã đánh dấu)." if flagged else "."),
                )
            )
            report.checks.append(bagzip.passed("revision", f"Lần nộp thứ {report.info.revision}."))
            if recursive:
                _check_children(report, bag, doc, known, limits, depth, cancel, trust)
            report.assessment = doc
        finally:
            if bag is not None:
                bag.close()
            if isinstance(source, Path):
                fh.close()
    except Refused as r:
        report.checks.append(bagzip.failed(r))
    except Cancelled:
        raise
    except Exception:  # a hostile file must never crash the program
        report.checks.append(Check("file", bagzip.STEP_NAMES["file"], False, "corrupt",
                                   CORRUPT_MESSAGE))  # fmt: skip
    if report.ok is False and report.assessment is not None:
        report.assessment = None


def _check_signature(
    report: VerifyReport, bag: OpenedBag, contents: BagContents, expected: PublicKey | None
) -> None:
    info_fields = dict(contents.bag_info)
    try:
        embedded = public_key_from_base64(info_fields.get(LABEL_PUBLIC_KEY, ""))
    except KeyFileError as err:
        raise Refused(
            "signature", "public_key_invalid", "bag-info.txt thiếu hoặc sai khóa công khai."
        ) from err
    if SIGNATURE_FILE not in bag.files:
        raise Refused("signature", "signature_missing", f"Thiếu tệp chữ ký “{SIGNATURE_FILE}”.")
    raw = bag.read_small(SIGNATURE_FILE, 64 * 1024, "signature")
    try:
        sig_text = raw.decode("utf-8")
        parse_signature(sig_text)
    except (UnicodeDecodeError, SignatureError) as err:
        raise Refused(
            "signature", "signature_malformed", f"Tệp chữ ký “{SIGNATURE_FILE}” sai định dạng."
        ) from err
    codes = {
        "wrong_key": "signature_wrong_key",
        "bad_signature": "signature_invalid",
        "bad_trusted_comment": "trusted_comment_invalid",
    }
    try:
        comment = verify(contents.tagmanifest, sig_text, embedded)
    except SignatureError as err:
        raise Refused(
            "signature", codes.get(err.code, "signature_malformed"), f"{SIGNATURE_FILE}: {err}"
        ) from err
    assert report.info is not None
    if comment != trusted_comment(report.info):
        raise Refused(
            "signature",
            "trusted_comment_mismatch",
            "Chú thích tin cậy của chữ ký không khớp với đơn vị/kỳ/lần nộp trong bag-info.txt.",
        )
    report.signer = embedded
    report.checks.append(
        bagzip.passed("signature", f"Chữ ký hợp lệ của khóa {fingerprint(embedded)}.")
    )
    if expected is not None:
        if expected != embedded:
            raise Refused(
                "key",
                "unexpected_key",
                f"Hồ sơ được ký bằng khóa {fingerprint(embedded)}, không phải khóa đã đăng ký "
                f"của đơn vị ({fingerprint(expected)}).",
            )
        report.key_pinned = True
        report.checks.append(bagzip.passed("key", "Đúng khóa đã đăng ký của đơn vị."))


def _check_x509(
    report: VerifyReport, bag: OpenedBag, contents: BagContents, trust: TrustStore | None
) -> None:
    from parapp.interchange.signing.cms import verify_detached
    from parapp.interchange.signing.errors import X509SignError
    from parapp.interchange.signing.trust import TrustStore

    der = bag.read_small(CMS_SIGNATURE_FILE, 256 * 1024, "x509")
    try:
        check = verify_detached(contents.tagmanifest, der, trust or TrustStore())
    except X509SignError as err:
        raise Refused("x509", "x509_malformed", f"{CMS_SIGNATURE_FILE}: {err}") from err
    if not check.ok:
        raise Refused("x509", "x509_invalid", check.message)
    report.x509 = check
    report.checks.append(bagzip.passed("x509", check.message))


def _check_assessment(
    info: BundleInfo, bag: OpenedBag, contents: BagContents, known: set[str] | None
) -> dict[str, Any]:
    if ASSESSMENT_PATH not in contents.manifest:
        raise Refused("assessment", "assessment_missing", f"Hồ sơ thiếu “{ASSESSMENT_PATH}”.")
    raw = bag.read_small(ASSESSMENT_PATH, bag.limits.max_json_size, "assessment")
    try:
        doc = safe_json.loads(raw, ASSESSMENT_PATH)
    except safe_json.UntrustedJsonError as err:
        code = {"number_too_large": "number_out_of_range", "too_deep": "assessment_too_deep"}
        raise Refused(
            "assessment", code.get(err.code, "assessment_invalid_json"), str(err)
        ) from err
    problems = list(schema_problems(doc, assessment_schema()))
    if problems:
        raise Refused(
            "assessment",
            "assessment_schema",
            f"“{ASSESSMENT_PATH}” sai cấu trúc ({len(problems)} lỗi, ví dụ: {problems[0][:200]}).",
        )
    mismatches = _doc_vs_info(doc, info)
    if mismatches:
        raise Refused(
            "assessment",
            "info_mismatch",
            f"Nội dung “{ASSESSMENT_PATH}” khác với bag-info.txt ({mismatches[0][:200]}).",
        )
    for answer in doc["answers"]:
        for ev in answer["evidence"]:
            where = f"tài liệu “{ev['file_name'][:100]}” của tiêu chí {answer['code'][:20]}"
            if contents.manifest.get(ev["path"]) is None:
                raise Refused("assessment", "evidence_missing", f"Hồ sơ thiếu tệp {where}.")
            if (
                contents.manifest[ev["path"]] != ev["sha256"]
                or bag.files[ev["path"]].file_size != ev["size"]
                or not ev["path"].startswith(EVIDENCE_DIR + ev["sha256"])
            ):
                raise Refused("assessment", "evidence_mismatch", f"Tệp {where} không khớp mã băm.")
    for rel in contents.manifest:
        if rel != ASSESSMENT_PATH and not rel.startswith((EVIDENCE_DIR, CHILDREN_DIR)):
            raise Refused("assessment", "unexpected_payload", f"Tệp lạ “{rel}” trong hồ sơ.")
    try:
        actual_hash = framework_from_dict(doc["framework"]["content"]).content_hash
    except (KeyError, TypeError, ValueError) as err:
        raise Refused(
            "framework", "framework_invalid", "Bộ tiêu chí trong hồ sơ sai cấu trúc."
        ) from err
    if actual_hash != doc["framework"]["hash"]:
        raise Refused(
            "framework",
            "framework_hash_mismatch",
            "Nội dung bộ tiêu chí trong hồ sơ không khớp mã băm đã khai.",
        )
    if known is not None and actual_hash not in known:
        raise Refused(
            "framework",
            "framework_unknown",
            f"Hồ sơ dùng bộ tiêu chí “{doc['framework']['name'][:100]}” (mã {actual_hash[:12]}) "
            "mà đơn vị nhận chưa có.",
        )
    return dict(doc)


def _check_scores(doc: dict[str, Any]) -> dict[str, str]:
    """Recompute every answer against the bundle's own framework (a signature proves who
    sent the numbers, not that they are possible). Impossible values refuse the bundle
    naming the item; contradicting self scores are returned as flags."""
    try:
        fw = framework_from_dict(doc["framework"]["content"])
    except (KeyError, TypeError, ValueError) as err:
        raise Refused(
            "framework", "framework_invalid", "Bộ tiêu chí trong hồ sơ sai cấu trúc."
        ) from err
    problems = framework_problems(fw)
    if problems:
        raise Refused(
            "framework", "framework_invalid", f"Bộ tiêu chí trong hồ sơ sai: {problems[0][:200]}"
        )
    check = check_answers(fw, doc["answers"])
    refusal = check.refusal()
    if refusal is not None:
        raise Refused("scores", check.impossible[0].kind, refusal[:1000])
    return check.flags


def _check_children(
    report: VerifyReport,
    bag: OpenedBag,
    doc: dict[str, Any],
    known: set[str] | None,
    limits: Limits,
    depth: int,
    cancel: CancelFn | None,
    trust: TrustStore | None,
) -> None:
    declared = {c["file"]: c for c in doc.get("children", [])}
    present = {rel for rel in bag.files if rel.startswith(CHILDREN_DIR)}
    for rel in sorted(present | set(declared)):
        if rel not in declared or rel not in present:
            raise Refused(
                "children", "child_undeclared", f"Hồ sơ cấp dưới “{rel}” không khớp danh sách."
            )
        if depth + 1 > limits.max_nesting:
            raise Refused("children", "nesting_too_deep", "Hồ sơ lồng nhau quá nhiều cấp.")
        window = bagzip.entry_window(bag, rel)
        if window is None:
            raise Refused("children", "child_compressed", f"Hồ sơ cấp dưới “{rel}” bị nén lại.")
        try:
            child_key = public_key_from_minisign(declared[rel]["public_key"])
        except KeyFileError as err:
            raise Refused("children", "child_key_invalid", f"Khóa của “{rel}” sai.") from err
        child = VerifyReport(report.path / rel)
        _run(child, window, child_key, known, limits, True, depth + 1, None, cancel, trust)
        report.children.append(child)
        if not child.ok:
            raise Refused("children", "child_invalid", f"“{rel}”: {child.first_failure}")
        if child.info is None or child.info.unit_code != declared[rel]["unit_code"]:
            raise Refused("children", "child_unit_mismatch", f"“{rel}” là hồ sơ của đơn vị khác.")
        assert report.info is not None
        if child.info.parent_unit != report.info.unit_code:
            raise Refused(
                "children",
                "child_parent_mismatch",
                f"“{rel}” ghi đơn vị cấp trên là “{child.info.parent_unit[:64]}”, không phải "
                f"đơn vị {report.info.unit_code} đã gửi hồ sơ tổng hợp.",
            )
    if present:
        report.checks.append(bagzip.passed("children", f"{len(present)} hồ sơ cấp dưới hợp lệ."))


def inspect_bundle(path: Path | str) -> dict[str, Any]:
    """What a bundle *claims*, read without trusting or hashing anything (for a preview)."""
    out: dict[str, Any] = {"file": str(path), "problem": None}
    try:
        out["size"] = Path(path).stat().st_size
        bag = bagzip.open_bag(Path(path), DEFAULT_LIMITS)
    except Refused as r:
        out["problem"] = {"code": r.code, "message": r.message}
        return out
    except Exception:  # hostile input
        out["problem"] = {"code": "corrupt", "message": CORRUPT_MESSAGE}
        return out
    try:
        out["bag_name"] = bag.bag_name
        out["entries"] = len(bag.files)
        out["declared_bytes"] = sum(i.file_size for i in bag.files.values())
        info_text = bagzip.read_tag_text(bag, bagzip.BAG_INFO_TXT)
        out["bag_info"] = dict(bagzip.parse_bag_info(info_text))
        if SIGNATURE_FILE in bag.files:
            sig = parse_signature(bag.read_small(SIGNATURE_FILE, 64 * 1024).decode("utf-8"))
            out["signature_key_id"] = sig.key_id_hex
            out["trusted_comment"] = sig.trusted_comment
        out["x509_signature"] = CMS_SIGNATURE_FILE in bag.files
        key_text = out["bag_info"].get(LABEL_PUBLIC_KEY)
        if key_text:
            out["key_fingerprint"] = fingerprint(public_key_from_base64(key_text))
    except Refused as r:
        out["problem"] = {"code": r.code, "message": r.message}
    except Exception:  # hostile input
        out["problem"] = {"code": "corrupt", "message": CORRUPT_MESSAGE}
    finally:
        bag.close()
    return out


def read_x509_signature(path: Path | str, trust: TrustStore | None = None) -> CmsCheck | None:
    """The official's X.509 signature of a bundle already verified and stored (the inbox
    shows who signed beside the unit key status), or ``None`` when it has none.

    Only the CMS signature is checked here, against the tag manifest and ``trust``;
    :func:`verify_bundle` is what ties the tag manifest to every byte of the bag.
    """
    from parapp.interchange.signing.cms import verify_detached
    from parapp.interchange.signing.errors import X509SignError
    from parapp.interchange.signing.trust import TrustStore

    bag = bagzip.open_bag(Path(path), DEFAULT_LIMITS)
    try:
        if CMS_SIGNATURE_FILE not in bag.files:
            return None
        der = bag.read_small(CMS_SIGNATURE_FILE, 256 * 1024, "x509")
        manifest = bagzip.read_tag_text(bag, TAGMANIFEST).encode("utf-8")
    finally:
        bag.close()
    try:
        return verify_detached(manifest, der, trust or TrustStore())
    except X509SignError as err:
        raise ParAppError(f"Hồ sơ “{Path(path).name}”: {err}") from err


# -- extraction -------------------------------------------------------------------------------
@dataclass
class ExtractedBundle:
    """A verified bundle unpacked into a private folder the caller owns (and must clean)."""

    root: Path
    bag_dir: Path
    report: VerifyReport
    info: BundleInfo
    assessment: dict[str, Any]

    def evidence_file(self, sha256: str, original_name: str) -> Path:
        return self.bag_dir / evidence_path(sha256, original_name)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def extract_bundle(
    path: Path | str,
    dest_dir: Path | str,
    expected_pubkey: PublicKey | None = None,
    known_framework_hashes: set[str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    trust: TrustStore | None = None,
) -> ExtractedBundle:
    """Verify, then unpack into a fresh private folder under ``dest_dir``.

    Every file is hashed again while written and compared with the manifests that passed
    verification, so what lands on disk is exactly what was verified even if the bundle file
    changes meanwhile. On any refusal the folder is removed and
    :class:`BundleRejectedError` is raised.
    """
    report = verify_bundle(
        path,
        expected_pubkey,
        known_framework_hashes,
        limits,
        progress=progress,
        cancel=cancel,
        trust=trust,
    )
    if not report.ok or report.info is None or report.assessment is None:
        raise BundleRejectedError(report)
    try:
        os.makedirs(dest_dir, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=".parapp-import-", dir=dest_dir))
    except OSError as err:
        raise ParAppError(describe_os_error(err, dest_dir)) from err
    try:
        _extract_into(Path(path), root, report, limits, cancel)
    except Refused as r:
        shutil.rmtree(root, ignore_errors=True)
        report.checks.append(bagzip.failed(r))
        raise BundleRejectedError(report) from None
    except OSError as err:
        shutil.rmtree(root, ignore_errors=True)
        raise ParAppError(describe_os_error(err, root)) from err
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return ExtractedBundle(root, root / report.bag_name, report, report.info, report.assessment)


def _extract_into(
    path: Path, root: Path, report: VerifyReport, limits: Limits, cancel: CancelFn | None
) -> None:
    bag = bagzip.open_bag(path, limits)
    try:
        if bag.bag_name != report.bag_name:
            raise Refused(
                "extract", "changed_during_import", "Tệp hồ sơ bị thay đổi khi đang nhập."
            )
        tag_text = bagzip.read_tag_text(bag, TAGMANIFEST)
        expected = dict(report.manifest)
        expected.update(bagzip.parse_manifest(tag_text, TAGMANIFEST, "extract"))
        expected_tagmanifest = hashlib.sha256(tag_text.encode("utf-8")).hexdigest()
        expected[TAGMANIFEST] = expected_tagmanifest
        base = os.path.realpath(root)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bag-extract") as pool:
            for rel in sorted(bag.files):
                if rel in (SIGNATURE_FILE, CMS_SIGNATURE_FILE):
                    continue
                if rel not in expected:
                    raise Refused("extract", "changed_during_import", f"Tệp lạ “{rel}”.")
                target = Path(base, bag.bag_name, *rel.split("/"))
                if os.path.commonpath([base, os.path.realpath(target.parent)]) != base:
                    raise Refused("extract", "path_traversal", f"“{rel}” ra ngoài thư mục.")
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                with target.open("xb") as out:

                    def sink(chunk: bytes, out: IO[bytes] = out) -> None:
                        if cancel is not None and cancel():
                            raise Cancelled()
                        out.write(chunk)

                    digest, _ = bag.hash_file(rel, pool, sink=sink)
                if digest != expected[rel]:
                    raise Refused(
                        "extract",
                        "changed_during_import",
                        f"Tệp “{rel}” bị thay đổi khi đang nhập.",
                    )
        sig = bag.read_small(SIGNATURE_FILE, 64 * 1024, "signature")
        try:
            assert report.signer is not None
            verify(tag_text.encode("utf-8"), sig.decode("utf-8"), report.signer)
        except (AssertionError, UnicodeDecodeError, SignatureError) as err:
            raise Refused(
                "extract", "changed_during_import", "Chữ ký bị thay đổi khi đang nhập."
            ) from err
        (Path(base, bag.bag_name) / SIGNATURE_FILE).write_bytes(sig)
        if report.x509 is not None and CMS_SIGNATURE_FILE in bag.files:
            from parapp.interchange.signing.cms import verify_detached
            from parapp.interchange.signing.errors import X509SignError
            from parapp.interchange.signing.trust import TrustStore

            cms_der = bag.read_small(CMS_SIGNATURE_FILE, 256 * 1024, "extract")
            try:
                check = verify_detached(tag_text.encode("utf-8"), cms_der, TrustStore())
            except X509SignError as err:
                raise Refused(
                    "extract", "changed_during_import", "Chữ ký X.509 bị thay đổi khi đang nhập."
                ) from err
            if not check.ok or check.signer != report.x509.signer:
                raise Refused(
                    "extract", "changed_during_import", "Chữ ký X.509 bị thay đổi khi đang nhập."
                )
            (Path(base, bag.bag_name) / CMS_SIGNATURE_FILE).write_bytes(cms_der)
    finally:
        bag.close()


def bundle_info_field_labels() -> dict[str, str]:
    """Field name -> ``bag-info.txt`` label, for documentation and the CLI's ``inspect``."""
    return dict(_INFO_LABELS)


__all__ = [
    "CMS_SIGNATURE_FILE",
    "DEFAULT_LIMITS",
    "BundleInfo",
    "BundleRejectedError",
    "BundleResult",
    "Check",
    "EvidenceFile",
    "ExtractedBundle",
    "Limits",
    "VerifyReport",
    "evidence_path",
    "extract_bundle",
    "inspect_bundle",
    "read_x509_signature",
    "verify_bundle",
    "write_bundle",
]
