"""PAdES signatures on PDF documents: sign (baseline B-B, B-T with a timestamp server) with a
visible signature in the printed signature block, and verify against the office's trust store.

Why pyHanko: it writes and checks PAdES signatures the way Adobe Reader, Foxit and the
national verification portal expect (incremental update, ``ETSI.CAdES.detached``, signing
certificate attribute), and talks to PKCS#11 tokens through python-pkcs11.

The visible part is drawn with ReportLab in the app's own font (Vietnamese diacritics) as a
small one-page PDF that pyHanko imports as the signature's appearance. Where it goes: the
named destination :data:`parapp.interchange.pdf.layout.SIGNATURE_ANCHOR` that every ParApp
document records for the approver's signing room; on another PDF, the bottom right of the
last page.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pkcs11
from asn1crypto import x509
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import StaticStampStyle
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from parapp.fileio import atomic_write_bytes, describe_os_error
from parapp.interchange.pdf.layout import FONT, FONT_BOLD, SIGNATURE_ANCHOR, register_fonts
from parapp.interchange.signing.errors import (
    CertificateExpiredError,
    SignatureFileError,
    TokenNotFoundError,
    UntrustedCertificateError,
    X509SignError,
)
from parapp.interchange.signing.signers import LoadedSigner, check_validity, subject_name
from parapp.interchange.signing.trust import SIGNER_KEY_USAGE, TrustStore
from parapp.models.text import nfc

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_PDF_SIZE = 512 << 20
STAMP_WIDTH = 72 * mm
Box = tuple[float, float, float, float]


def local_time_text(moment: datetime.datetime) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam's time, as written on Vietnamese documents."""
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class SignerDetails:
    """What the visible signature says besides the certificate's name."""

    position: str = ""
    unit: str = ""


@dataclass(frozen=True)
class SignOptions:
    """How to sign. ``timestamp_url`` makes it PAdES B-T (needs that server reachable)."""

    details: SignerDetails = SignerDetails()
    seal_image: Path | None = None
    organisation: LoadedSigner | None = None
    timestamp_url: str | None = None
    timestamper: TimeStamper | None = None  # instead of ``timestamp_url`` (tests, other TSAs)
    reason: str = "Ký số báo cáo"
    box: tuple[int, Box] | None = None  # (page index, rectangle) instead of the anchor
    now: datetime.datetime | None = None


# -- placement -----------------------------------------------------------------------------
def _page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def _page_index(reader: PdfFileReader, ref: Any) -> int | None:
    for i in range(_page_count(reader)):
        page_ref, _ = reader.find_page_for_modification(i)
        if page_ref.idnum == ref.idnum:
            return i
    return None


def find_signature_room(reader: PdfFileReader) -> tuple[int, Box] | None:
    """The approver's signing room recorded by ParApp's printing, or ``None``."""
    with contextlib.suppress(KeyError, TypeError, ValueError, AttributeError, IndexError):
        names = reader.root["/Names"]["/Dests"]["/Names"]
        for i in range(0, len(names) - 1, 2):
            if str(names[i]) != SIGNATURE_ANCHOR:
                continue
            dest = names[i + 1].get_object()
            if isinstance(dest, dict):
                dest = dest["/D"]
            if str(dest[1]) != "/FitR":
                return None
            page = _page_index(reader, dest.raw_get(0))
            if page is None:
                return None
            left, bottom, right, top = (float(dest[k]) for k in range(2, 6))
            return page, (left, bottom, right, top)
    return None


def _default_room(reader: PdfFileReader) -> tuple[int, Box]:
    last = _page_count(reader) - 1
    page_ref, _ = reader.find_page_for_modification(last)
    _, y1, x2, _ = (float(v) for v in page_ref.get_object()["/MediaBox"])
    return last, (x2 - 20 * mm - STAMP_WIDTH, y1 + 20 * mm, x2 - 20 * mm, y1 + 44 * mm)


def _stamp_box(room: Box) -> Box:
    left, bottom, right, top = room
    width = min(STAMP_WIDTH, right - left)
    x = left + (right - left - width) / 2
    return (x, bottom, x + width, top)


def _seal_box(person: Box) -> Box:
    """Decree 30/2020: the seal covers about the left third of the person's signature."""
    left, bottom, right, top = person
    side = min(top - bottom, (right - left) * 0.45)
    centre_x = left + (right - left) / 6
    centre_y = (bottom + top) / 2
    return (centre_x - side / 2, centre_y - side / 2, centre_x + side / 2, centre_y + side / 2)


# -- appearance ----------------------------------------------------------------------------
def stamp_lines(name: str, details: SignerDetails, moment: datetime.datetime) -> list[str]:
    lines = [f"Ký bởi: {nfc(name)}"]
    if nfc(details.position):
        lines.append(f"Chức vụ: {nfc(details.position)}")
    if nfc(details.unit):
        lines.append(f"Cơ quan: {nfc(details.unit)}")
    lines.append(f"Thời gian ký: {local_time_text(moment)}")
    return lines


def render_appearance(
    out: Path,
    width: float,
    height: float,
    lines: list[str],
    seal: Path | None,
    free_left_third: bool = False,
) -> None:
    """A one-page PDF of the signature's look: text, and the seal over the left third.

    Without text the seal fills the box (the organisation's signature). ``free_left_third``
    keeps the text clear of a seal another signature puts there.
    """
    register_fonts()
    canvas = Canvas(str(out), pagesize=(width, height), pageCompression=1)
    pad = 3.0
    text_left = width / 3 if free_left_third else pad
    if seal is not None:
        side = min(height, width * 0.45) if lines else min(width, height)
        centre_x = width / 6 if lines else width / 2
        try:
            canvas.drawImage(
                str(seal), centre_x - side / 2, (height - side) / 2, side, side,
                mask="auto", preserveAspectRatio=True,
            )  # fmt: skip
        except OSError as err:
            raise SignatureFileError(
                f"Không đọc được ảnh con dấu “{seal.name}”: {err.strerror or err}"
            ) from err
        text_left = width / 3
    if lines:
        avail = width - text_left - pad
        widest = max(stringWidth(line, FONT, 1) for line in lines)
        size = min(9.5, avail / max(widest, 1), (height - 2 * pad) / (len(lines) * 1.25))
        canvas.setFillColor(colors.HexColor("#B00020"))
        canvas.setStrokeColor(colors.HexColor("#B00020"))
        canvas.setLineWidth(0.6)
        canvas.rect(0.3, 0.3, width - 0.6, height - 0.6)
        y = (height + len(lines) * size * 1.25) / 2 - size
        for i, line in enumerate(lines):
            canvas.setFont(FONT_BOLD if i == 0 else FONT, size)
            canvas.drawString(text_left, y, line)
            y -= size * 1.25
    canvas.showPage()
    canvas.save()


# -- signing -------------------------------------------------------------------------------
def _read_pdf(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_PDF_SIZE + 1)
    except OSError as err:
        raise SignatureFileError(describe_os_error(err, path)) from err
    if len(data) > MAX_PDF_SIZE:
        raise SignatureFileError(f"Tệp “{path.name}” quá lớn (tối đa 512 MB).")
    if not data.startswith(b"%PDF-"):
        raise SignatureFileError(f"Tệp “{path.name}” không phải tệp PDF.")
    return data


def _field_name(reader: PdfFileReader, base: str) -> str:
    taken = set()
    with contextlib.suppress(KeyError, TypeError):
        for f in reader.root["/AcroForm"]["/Fields"]:
            taken.add(str(f.get_object().get("/T", "")))
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def _sign_once(
    data: bytes,
    loaded: LoadedSigner,
    field: str,
    page: int,
    box: Box,
    lines: list[str],
    seal: Path | None,
    options: SignOptions,
    folder: Path,
    free_left_third: bool = False,
) -> bytes:
    left, bottom, right, top = box
    look = folder / f"{field}.pdf"
    render_appearance(look, right - left, top - bottom, lines, seal, free_left_third)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    name = _field_name(writer.prev, field)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=options.reason,
        name=loaded.name,
        location=nfc(options.details.unit) or None,
    )
    spec = fields.SigFieldSpec(
        sig_field_name=name,
        on_page=page,
        box=(round(left), round(bottom), round(right), round(top)),
    )
    style = StaticStampStyle(
        background=ImportedPdfPage(str(look)),
        border_width=0,
        background_opacity=1.0,
        background_layout=SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(0),
        ),
    )
    timestamper = options.timestamper
    if timestamper is None and options.timestamp_url:
        timestamper = HTTPTimeStamper(options.timestamp_url)
    pdf_signer = signers.PdfSigner(
        meta, loaded.signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


def sign_pdf(src: Path, dest: Path, person: LoadedSigner, options: SignOptions) -> None:
    """Sign ``src`` into ``dest`` (written atomically; ``src`` may equal ``dest``).

    The person's signature fills the signing room; with ``options.organisation`` the
    organisation signs next, its visible part being the seal over the left third of the
    person's signature (two signatures, as Decree 30/2020 describes for an agency).
    """
    moment = options.now or datetime.datetime.now(datetime.UTC)
    data = _read_pdf(src)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        room = options.box or find_signature_room(reader) or _default_room(reader)
    except X509SignError:
        raise
    except Exception as err:  # a broken or hostile PDF must not crash the program
        raise SignatureFileError(f"Không đọc được tệp PDF “{src.name}”.") from err
    page, area = room
    person_box = _stamp_box(area) if options.box is None else area
    person_seal = options.seal_image if options.organisation is None else None
    lines = stamp_lines(person.name, options.details, moment)
    try:
        with tempfile.TemporaryDirectory(prefix="parapp-sign-") as tmp:
            signed = _sign_once(
                data, person, "ChuKyCaNhan", page, person_box, lines, person_seal, options,
                Path(tmp), free_left_third=options.organisation is not None,
            )  # fmt: skip
            if options.organisation is not None:
                org = options.organisation
                org_lines = [] if options.seal_image else [f"Ký bởi: {org.name}"]
                signed = _sign_once(
                    signed, org, "ChuKyToChuc", page, _seal_box(person_box), org_lines,
                    options.seal_image, options, Path(tmp),
                )  # fmt: skip
    except X509SignError:
        raise
    except TimestampRequestError as err:
        raise X509SignError(
            f"Không lấy được dấu thời gian từ máy chủ “{options.timestamp_url}”. Hãy kiểm tra "
            "kết nối mạng, hoặc ký không kèm dấu thời gian (PAdES B-B)."
        ) from err
    except OSError as err:
        raise SignatureFileError(f"Không ký được (lỗi hệ thống: {err}).") from err
    except Exception as err:  # token errors surface here, often wrapped by pyHanko
        raise signing_failure(err, src.name) from err
    try:
        atomic_write_bytes(dest, signed)
    except OSError as err:
        raise SignatureFileError(describe_os_error(err, dest)) from err


def signing_failure(err: BaseException, file_name: str) -> X509SignError:
    """A Vietnamese error for a failure during the signature itself (the token pulled out,
    the token refusing the operation, a library bug), naming the token's own error code."""
    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, pkcs11.PKCS11Error):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, pkcs11.DeviceRemoved | pkcs11.TokenNotPresent):
        return TokenNotFoundError(None)
    if isinstance(cause, pkcs11.PKCS11Error):
        return X509SignError(
            f"USB token từ chối thao tác ký tệp “{file_name}” (mã lỗi {type(cause).__name__}). "
            "Hãy rút token ra, cắm lại rồi ký lại."
        )
    return X509SignError(f"Không ký được tệp “{file_name}”: {err}")


# -- verification --------------------------------------------------------------------------
@dataclass
class SignatureCheck:
    """One signature of a PDF as the office sees it."""

    field: str
    signer: str
    subject: str
    issuer: str
    chain: list[str]
    signing_time: datetime.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    covers_whole_file: bool
    modified_after_signing: bool
    changes_allowed: bool
    timestamped: bool
    message: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.changes_allowed

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "subject": self.subject,
            "issuer": self.issuer,
            "chain": self.chain,
            "signing_time": local_time_text(self.signing_time) if self.signing_time else None,
            "signing_time_iso": self.signing_time.isoformat() if self.signing_time else None,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "revoked": self.revoked,
            "covers_whole_file": self.covers_whole_file,
            "modified_after_signing": self.modified_after_signing,
            "changes_allowed": self.changes_allowed,
            "timestamped": self.timestamped,
            "ok": self.ok,
            "message": self.message,
        }


@dataclass
class PdfVerifyResult:
    path: Path
    signatures: list[SignatureCheck] = field(default_factory=list)
    problem: str | None = None  # the file itself could not be read

    @property
    def ok(self) -> bool:
        return self.problem is None and bool(self.signatures) and all(s.ok for s in self.signatures)

    @property
    def message(self) -> str:
        if self.problem:
            return self.problem
        if not self.signatures:
            return f"Tệp “{self.path.name}” không có chữ ký số nào."
        return " ".join(s.message for s in self.signatures)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "ok": self.ok,
            "message": self.message,
            "signatures": [s.to_dict() for s in self.signatures],
        }


def _issuer_name(cert: x509.Certificate) -> str:
    native = cert.issuer.native
    return str(native.get("common_name") or cert.issuer.human_friendly)


def _describe(status: PdfSignatureStatus, name: str) -> tuple[str, bool]:
    """A Vietnamese sentence for one signature, and whether later changes are allowed."""
    level = status.modification_level
    allowed = (
        bool(status.docmdp_ok) and level is not None and level <= ModificationLevel.FORM_FILLING
    )
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        allowed = True
    if not status.intact:
        return (
            f"Chữ ký của “{name}” không còn khớp: nội dung tệp đã bị thay đổi sau khi ký.",
            allowed,
        )
    if not status.valid:
        return f"Chữ ký của “{name}” không hợp lệ (sai chữ ký số).", allowed
    if not allowed:  # the content was changed after signing: say that first
        return (
            f"Tệp đã bị sửa nội dung sau khi “{name}” ký (không phải chỉ ký thêm): bản đang "
            "xem khác với bản đã ký.",
            allowed,
        )
    if status.revoked:
        return f"Chứng thư số của “{name}” đã bị thu hồi.", allowed
    if not status.trusted:
        try:
            check_validity(status.signing_cert)
        except CertificateExpiredError as expired:
            return str(expired), allowed
        return str(UntrustedCertificateError(name)), allowed
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return f"Chữ ký của “{name}” hợp lệ; sau đó tệp chỉ được ký thêm.", allowed
    return f"Chữ ký của “{name}” hợp lệ, tệp không bị thay đổi sau khi ký.", allowed


def _check(embedded: Any, trust: TrustStore) -> SignatureCheck:
    status = validate_pdf_signature(
        embedded, trust.validation_context(), key_usage_settings=SIGNER_KEY_USAGE
    )
    cert = status.signing_cert
    name = subject_name(cert)
    message, allowed = _describe(status, name)
    chain: list[str] = []
    if status.validation_path is not None:
        chain = [subject_name(c) for c in status.validation_path.iter_certs(include_root=True)]
    signing_time = status.signer_reported_dt
    if status.timestamp_validity is not None:
        signing_time = status.timestamp_validity.timestamp
    return SignatureCheck(
        field=str(embedded.field_name),
        signer=name,
        subject=cert.subject.human_friendly,
        issuer=_issuer_name(cert),
        chain=chain,
        signing_time=signing_time,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        # Changed bytes (not intact) or anything appended after the signed revision.
        modified_after_signing=(
            not status.intact or status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        ),
        changes_allowed=allowed,
        timestamped=status.timestamp_validity is not None,
        message=message,
    )


def verify_pdf(path: Path, trust: TrustStore) -> PdfVerifyResult:
    """Check every signature of a PDF offline; never raises on a bad file."""
    result = PdfVerifyResult(Path(path))
    try:
        data = _read_pdf(Path(path))
    except SignatureFileError as err:
        result.problem = str(err)
        return result
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        for embedded in reader.embedded_signatures:
            result.signatures.append(_check(embedded, trust))
    except Exception:  # hostile input: report, never crash
        result.problem = f"Tệp “{Path(path).name}” bị hỏng hoặc chữ ký sai cấu trúc."
        result.signatures.clear()
    return result
