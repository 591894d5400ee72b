"""``parapp --selftest``: run a whole self-assessment in a throw-away workspace.

Why: a commune officer installs ParApp alone, on a machine nobody else looks after. The
installed (frozen) program can miss a data file or a module that the source tree has, and
that only shows when the feature is used. The self-test uses each feature once, end to end,
with the real files the frozen app carries (default frameworks, fonts, the unit catalogue),
so the build checks the installed program, and support staff can ask an officer to run it.

Each step prints one Vietnamese line: ``[OK] …``, ``[LỖI] … — why`` or ``[BỎ QUA] … — why``.
The exit code is 0 only when no step failed; a step that cannot run in this build is
reported as skipped, never as passed.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from parapp import APP_NAME, __version__
from parapp.fileio import atomic_write_bytes
from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RuleKind
from parapp.models.text import format_number
from parapp.services.workspace import Workspace

#: A code from the official catalogue (Phường Điện Bàn, Đà Nẵng) that must be found.
CATALOGUE_PROBE = "20551"
#: How many leaves the self-test fills in.
ITEMS_TO_FILL = 4
#: Who "approves" the self-test's bundle (it is thrown away with the temporary folder).
APPROVER = "Người tự kiểm tra"
APPROVER_POSITION = "Chủ tịch UBND"


class Status(StrEnum):
    OK = "OK"
    FAILED = "LỖI"
    SKIPPED = "BỎ QUA"


@dataclass(frozen=True)
class StepResult:
    title: str
    status: Status
    detail: str = ""

    @property
    def line(self) -> str:
        tail = f" — {self.detail}" if self.detail else ""
        return f"[{self.status.value}] {self.title}{tail}"


class SkipStep(Exception):
    """Raised by a step that cannot run in this build (a feature not shipped yet)."""


class StepFailed(Exception):
    """Raised by a step whose check did not hold; the message is Vietnamese."""


@dataclass
class _Context:
    """What the steps hand to each other."""

    root: Path
    ws: Workspace | None = None
    filled: list[str] = field(default_factory=list)
    evidence_file: Path | None = None
    bundle: Path | None = None  # kept for later steps (and for a look when debugging)

    def workspace(self) -> Workspace:
        if self.ws is None:
            raise StepFailed("chưa mở được dữ liệu (bước nạp bộ chỉ số đã lỗi)")
        return self.ws


Step = Callable[[_Context], str]


# -- steps ----------------------------------------------------------------------------------
def _load_defaults(ctx: _Context) -> str:
    from parapp.services.defaults import open_demo

    ctx.ws = open_demo(ctx.root / "data")
    ws = ctx.ws
    frameworks = ws.frameworks.list()
    if not frameworks:
        raise StepFailed("không có bộ chỉ số nào được nạp")
    a = ws.require_assessment()
    fw = ws.framework(a.framework_id)
    leaves = sum(1 for _ in fw.leaves())
    if leaves == 0:
        raise StepFailed(f"bộ chỉ số {fw.id} không có tiêu chí nào")
    return f"{len(frameworks)} bộ chỉ số, {fw.id}: {leaves} tiêu chí"


def _catalogue(ctx: _Context) -> str:
    from parapp.services import unit_catalogue

    entry = unit_catalogue.lookup(CATALOGUE_PROBE)
    if entry is None:
        raise StepFailed(f"không tìm thấy mã {CATALOGUE_PROBE} trong danh mục")
    hits = unit_catalogue.search("dien ban", limit=5)
    if not any(h.code == CATALOGUE_PROBE for h in hits):
        raise StepFailed("tìm “dien ban” (không dấu) không ra Phường Điện Bàn")
    return entry.display


def _fill_items(ctx: _Context) -> str:
    ws = ctx.workspace()
    fw = ws.current_framework()
    for c in _fillable(fw)[:ITEMS_TO_FILL]:
        if c.rule.kind is RuleKind.YES_NO:
            ws.set_answer(c.code, value=1.0, explanation="Tự kiểm tra: có thực hiện.")
        elif c.rule.kind is RuleKind.BANDS:
            ws.set_answer(c.code, numerator=9.0, denominator=10.0, explanation="Tự kiểm tra.")
        else:
            ws.set_answer(c.code, self_score=c.max_points, explanation="Tự kiểm tra.")
        ctx.filled.append(c.code)
    if len(ctx.filled) < 1:
        raise StepFailed(f"bộ chỉ số {fw.id} không có tiêu chí nào tự chấm được")
    answers = ws.answers()
    missing = [code for code in ctx.filled if code not in answers]
    if missing:
        raise StepFailed("không đọc lại được câu trả lời " + ", ".join(missing))
    totals = ws.rollup()
    if totals.total_score <= 0:
        raise StepFailed("tổng điểm vẫn bằng 0 sau khi nhập")
    return f"{len(ctx.filled)} tiêu chí, tổng {format_number(totals.total_score)} điểm"


def _fillable(fw: Framework) -> list[Criterion]:
    """Leaves a commune scores itself (survey-only items are scored by the survey)."""
    return [c for c in fw.leaves() if not c.survey_only and c.rule.kind is not RuleKind.SURVEY]


def _attach_file(ctx: _Context) -> str:
    ws = ctx.workspace()
    if not ctx.filled:
        raise StepFailed("chưa có tiêu chí nào được nhập")
    code = ctx.filled[0]
    src = ctx.root / "Quyết định kiểm tra.txt"
    atomic_write_bytes(src, "Tài liệu kiểm chứng của bước tự kiểm tra.\n".encode())
    link = ws.add_evidence(code, src, ref="01/QĐ-UBND", note="Tự kiểm tra")
    stored = ws.evidence_path(link.sha256)
    if stored.read_bytes() != src.read_bytes():
        raise StepFailed("tệp đã lưu khác tệp gốc")
    problems = ws.check_evidence()
    if problems:
        raise StepFailed("; ".join(f"{c}: {f} — {p}" for c, f, p in problems))
    ctx.evidence_file = src
    return f"“{link.file_name}” gắn vào tiêu chí {code}"


def _bundle(ctx: _Context) -> str:
    from parapp.interchange.bundle import verify_bundle
    from parapp.interchange.keys import generate_keypair
    from parapp.services.commune.submission import export_bundle

    ws = ctx.workspace()
    keypair = generate_keypair()
    folder = ctx.root / "ho-so"
    folder.mkdir()
    revision, result = export_bundle(
        ws, folder, keypair, APPROVER, APPROVER_POSITION, confirm_all_unscored=True
    )
    report = verify_bundle(result.path, expected_pubkey=keypair.public)
    if not report.ok:
        raise StepFailed(report.first_failure or "hồ sơ không hợp lệ")
    if report.assessment is None or len(report.assessment.get("answers", [])) < len(ctx.filled):
        raise StepFailed("hồ sơ không chứa đủ các câu trả lời đã nhập")
    if verify_bundle(result.path, expected_pubkey=generate_keypair().public).ok:
        raise StepFailed("hồ sơ vẫn được chấp nhận với một khoá khác")
    ctx.bundle = result.path
    evidence = sum(1 for n in report.manifest if n.startswith("data/evidence/"))
    return f"{result.path.name}, lần nộp {revision.revision}, {evidence} tài liệu, chữ ký hợp lệ"


def _pdf(ctx: _Context) -> str:
    from parapp.services.commune.printing import latest_stamp, print_report

    ws = ctx.workspace()
    out = ctx.root / "bao-cao-tu-kiem-tra.pdf"
    stamped = latest_stamp(ws) is not None  # after the bundle step: the seal and its QR code
    print_report(ws, out, APPROVER, APPROVER_POSITION)
    data = out.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise StepFailed("tệp PDF tạo ra không hoàn chỉnh")
    if b"/FontFile2" not in data:
        raise StepFailed("PDF không nhúng phông chữ tiếng Việt")
    seal = ", có dấu xác thực hồ sơ" if stamped else ""
    return f"{out.name}, {format_number(len(data) / 1024, 0)} KB{seal}"


def _docx(ctx: _Context) -> str:
    import zipfile

    from parapp.services.commune.printing import print_report

    out = ctx.root / "bao-cao-tu-kiem-tra.docx"
    print_report(ctx.workspace(), out, APPROVER, APPROVER_POSITION)
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode("utf-8")
    if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in body or APPROVER not in body:
        raise StepFailed("bản Word thiếu quốc hiệu hoặc người ký")
    return f"{out.name}, {format_number(out.stat().st_size / 1024, 0)} KB"


def _x509(ctx: _Context) -> str:
    """Sign the report with a throw-away certificate and verify it against its own root:
    the frozen build must carry pyHanko, its certificate validator and the PKCS#12 reader."""
    from parapp.interchange.signing.pdf import SignerDetails, verify_pdf
    from parapp.interchange.signing.trust import TrustStore, parse_certificates
    from parapp.services.x509_sign import Pkcs12Source, SignRequest, sign_pdf_file

    src = ctx.root / "bao-cao-tu-kiem-tra.pdf"
    if not src.is_file():
        raise StepFailed("chưa in được báo cáo PDF để ký")
    root_der, p12 = _throwaway_pki(ctx.root / "thu-ky.p12")
    root = parse_certificates(root_der, "thu-ky-goc.cer")[0]
    signed = ctx.root / "bao-cao-da-ky.pdf"
    request = SignRequest(Pkcs12Source(p12), SignerDetails(position=APPROVER_POSITION))
    names = sign_pdf_file(src, signed, request, _P12_SECRET)
    result = verify_pdf(signed, TrustStore(certificates=(root,)))
    if not result.ok:
        raise StepFailed(f"chữ ký số không được xác minh: {result.message}")
    stranger_der, _ = _throwaway_pki(ctx.root / "la.p12")
    stranger = parse_certificates(stranger_der, "la-goc.cer")[0]
    if verify_pdf(signed, TrustStore(certificates=(stranger,))).ok:
        raise StepFailed("chữ ký vẫn được tin khi chứng thư gốc khác")
    return f"{signed.name}, người ký {names[0]}"


_P12_SECRET = "tu-kiem-tra"


def _throwaway_pki(p12: Path) -> tuple[bytes, Path]:
    """A root CA (DER) and a signer issued by it, the signer saved as a PKCS#12 file."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import (
        BestAvailableEncryption,
        Encoding,
        pkcs12,
    )
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def cert(
        subject: str, key: rsa.RSAPrivateKey, issuer: str,
        signer: rsa.RSAPrivateKey, ca: bool,
    ) -> x509.Certificate:  # fmt: skip
        return (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=not ca,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=ca,
                    crl_sign=ca,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .sign(signer, hashes.SHA256())
        )

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = cert("ParApp tự kiểm tra CA", root_key, "ParApp tự kiểm tra CA", root_key, True)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = cert(APPROVER, leaf_key, "ParApp tự kiểm tra CA", root_key, False)
    data = pkcs12.serialize_key_and_certificates(
        b"parapp", leaf_key, leaf, [root], BestAvailableEncryption(_P12_SECRET.encode())
    )
    atomic_write_bytes(p12, data)
    return root.public_bytes(Encoding.DER), p12


def _backup_restore(ctx: _Context) -> str:
    from parapp.storage.backup import backup_workspace, restore_workspace

    ws = ctx.workspace()
    archive = ctx.root / "sao-luu.zip"
    counts = backup_workspace(ws.conn, ws.data_dir, archive)
    restored_dir = ctx.root / "khoi-phuc"
    restore_workspace(archive, restored_dir)
    with Workspace.open(restored_dir, backup=False) as copy:
        if copy.answers() != ws.answers():
            raise StepFailed("dữ liệu khôi phục khác dữ liệu gốc")
        if copy.check_evidence():
            raise StepFailed("tài liệu kiểm chứng khôi phục bị hỏng")
    return f"{counts['evidence_files']} tài liệu"


STEPS: tuple[tuple[str, Step], ...] = (
    ("Nạp bộ chỉ số mặc định", _load_defaults),
    ("Đọc danh mục đơn vị hành chính", _catalogue),
    ("Nhập điểm tự chấm", _fill_items),
    ("Gắn tài liệu kiểm chứng", _attach_file),
    ("Xuất và kiểm tra hồ sơ điện tử có chữ ký", _bundle),
    ("In báo cáo PDF", _pdf),
    ("Xuất bản Word (.docx) để chỉnh sửa", _docx),
    ("Ký số báo cáo PDF bằng chứng thư số (thử) và xác minh", _x509),
    ("Sao lưu và khôi phục dữ liệu", _backup_restore),
)


# -- runner ---------------------------------------------------------------------------------
def run_step(title: str, step: Step, ctx: _Context) -> StepResult:
    """Run one step; any exception is a failure with a one-line reason (never a crash)."""
    try:
        detail = step(ctx)
    except SkipStep as err:
        return StepResult(title, Status.SKIPPED, str(err))
    except StepFailed as err:
        return StepResult(title, Status.FAILED, str(err))
    except Exception as err:  # the point is to report whatever breaks in a frozen build
        reason = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return StepResult(title, Status.FAILED, f"{type(err).__name__}: {reason}".rstrip(": "))
    return StepResult(title, Status.OK, detail)


def run_steps(root: Path, out: TextIO) -> list[StepResult]:
    """Run every step in ``root`` (an empty folder), printing each line as it finishes."""
    ctx = _Context(root)
    results = []
    try:
        for title, step in STEPS:
            result = run_step(title, step, ctx)
            results.append(result)
            print(result.line, file=out, flush=True)
    finally:
        if ctx.ws is not None:
            ctx.ws.close()
    return results


def run_selftest(out: TextIO | None = None) -> int:
    """Run the self-test in a temporary folder; 0 when no step failed, else 1."""
    stream = out if out is not None else sys.stdout
    print(f"{APP_NAME} {__version__} — tự kiểm tra", file=stream, flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="parapp-selftest-") as tmp:
            results = run_steps(Path(tmp), stream)
    except Exception:  # e.g. no writable temporary folder: still answer with a clear line
        print("[LỖI] Không tạo được thư mục tạm để tự kiểm tra.", file=stream)
        traceback.print_exc(file=sys.stderr)
        return 1
    failed = sum(r.status is Status.FAILED for r in results)
    skipped = sum(r.status is Status.SKIPPED for r in results)
    passed = len(results) - failed - skipped
    summary = f"Kết quả: {passed} bước đạt, {failed} bước lỗi, {skipped} bước bỏ qua."
    print(summary, file=stream, flush=True)
    return 1 if failed else 0
