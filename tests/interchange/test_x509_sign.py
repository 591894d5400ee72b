"""PAdES signing of the app's own report PDF with a SoftHSM2 token and a PKCS#12 file,
checked by ParApp, by pyHanko's validator and by poppler's ``pdfsig``."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
from pathlib import Path

import pkcs11
import pytest
from asn1crypto import keys as asn1_keys
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStamp, TextStampStyle
from pyhanko_certvalidator import ValidationContext

from parapp.interchange.pdf import render_report
from parapp.interchange.signing import signers as signers_module
from parapp.interchange.signing.errors import (
    CertificateExpiredError,
    KeyNotFoundError,
    Pkcs11LibraryError,
    TokenLockedError,
    TokenNotFoundError,
    UntrustedCertificateError,
    WrongPasswordError,
    WrongPinError,
    X509SignError,
)
from parapp.interchange.signing.pdf import (
    SignerDetails,
    SignOptions,
    find_signature_room,
    sign_pdf,
    signing_failure,
    verify_pdf,
)
from parapp.interchange.signing.signers import (
    Pkcs11Source,
    Pkcs12Source,
    SignerSource,
    _tries_hint,
    open_signer,
)
from parapp.interchange.signing.trust import TrustStore, parse_certificates, parse_crl
from tests.interchange import pdf_sample_data as sd
from tests.interchange.x509_fixtures import (
    ORG_NAME,
    P12_PASSWORD,
    SIGNER_NAME,
    TOKEN_LABEL,
    USER_PIN,
    Pki,
    shared_pki,
    shared_token,
)

DETAILS = SignerDetails("Chủ tịch", "UBND xã Điện Bàn")


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture(scope="module")
def trust(pki: Pki) -> TrustStore:
    certs = parse_certificates(pki.root.pem() + pki.intermediate.pem(), "ca.pem")
    return TrustStore(tuple(certs))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The self-assessment report as the app prints it."""
    fw = sd.default_framework()
    out = tmp_path_factory.mktemp("report") / "bao-cao.pdf"
    render_report(
        fw, sd.sample_answers(fw), sd.sample_header(), sd.sample_signature(), out,
        "UBND xã Điện Bàn", "Năm 2026",
    )  # fmt: skip
    return out


def _pdfsig(path: Path) -> str:
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, timeout=60)
    return run.stdout.decode("utf-8", "replace")


def _pyhanko_bottom_line(path: Path, pki: Pki) -> list[bool]:
    from asn1crypto import x509 as asn1_x509

    def load(pem: bytes) -> asn1_x509.Certificate:
        return parse_certificates(pem)[0]

    vc = ValidationContext(
        trust_roots=[load(pki.root.pem())], other_certs=[load(pki.intermediate.pem())]
    )
    with path.open("rb") as fh:
        reader = PdfFileReader(fh)
        return [validate_pdf_signature(s, vc).bottom_line for s in reader.embedded_signatures]


def _sign_p12(pki: Pki, report: Path, out: Path, who: str = "signer") -> Path:
    p12 = pki.write_p12(getattr(pki, who), who)
    with open_signer(Pkcs12Source(p12), P12_PASSWORD) as signer:
        sign_pdf(report, out, signer, SignOptions(DETAILS))
    return out


def test_pkcs12_signature_verifies_with_parapp_pyhanko_and_pdfsig(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    signed = _sign_p12(pki, report, tmp_path / "signed.pdf")
    result = verify_pdf(signed, trust)
    assert result.ok, result.message
    (sig,) = result.signatures
    assert sig.signer == SIGNER_NAME
    assert sig.chain == ["ParApp Test Root CA", "ParApp Test Issuing CA", SIGNER_NAME]
    assert sig.intact and sig.trusted and sig.covers_whole_file
    assert not sig.modified_after_signing
    assert sig.signing_time is not None
    age = datetime.datetime.now(datetime.UTC) - sig.signing_time
    assert abs(age.total_seconds()) < 300
    assert _pyhanko_bottom_line(signed, pki) == [True]
    out = _pdfsig(signed)
    assert "Signature is Valid." in out
    assert f"Signer Certificate Common Name: {SIGNER_NAME}" in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out  # PAdES, not the legacy adbe.pkcs7.detached


def test_visible_signature_in_the_signing_room(pki: Pki, report: Path, tmp_path: Path) -> None:
    signed = _sign_p12(pki, report, tmp_path / "signed.pdf")
    with report.open("rb") as fh:
        room = find_signature_room(PdfFileReader(fh))
    assert room is not None
    page, (left, bottom, right, top) = room
    with signed.open("rb") as fh:
        reader = PdfFileReader(fh)
        (embedded,) = reader.embedded_signatures
        widget = embedded.sig_field
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        page_ref, _ = reader.find_page_for_modification(page)
        assert widget.raw_get("/P").idnum == page_ref.idnum
    assert left - 1 <= x1 < x2 <= right + 1 and bottom - 1 <= y1 < y2 <= top + 1
    text = subprocess.run(
        ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), str(signed), "-"],
        capture_output=True, check=True, timeout=60,
    ).stdout.decode("utf-8")  # fmt: skip
    assert f"Ký bởi: {SIGNER_NAME}" in text
    assert "Chức vụ: Chủ tịch" in text
    stamp = re.search(r"Thời gian ký: (\d\d/\d\d/\d{4} \d\d:\d\d)", text)
    assert stamp is not None
    local = datetime.datetime.strptime(stamp.group(1), "%d/%m/%Y %H:%M")
    vn_now = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=7)
    assert abs((vn_now.replace(tzinfo=None) - local).total_seconds()) < 300  # Vietnam's time


def test_softhsm_token_signature_verifies(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    lib = shared_token()
    signed = tmp_path / "token.pdf"
    with open_signer(Pkcs11Source(lib, TOKEN_LABEL, key_label="signer"), USER_PIN) as signer:
        assert signer.name == SIGNER_NAME
        sign_pdf(report, signed, signer, SignOptions(DETAILS))
    assert verify_pdf(signed, trust).ok
    assert _pyhanko_bottom_line(signed, pki) == [True]
    assert "Signature is Valid." in _pdfsig(signed)
    # Found without a key label too: the token's only signing key and its certificate.
    with open_signer(Pkcs11Source(lib, TOKEN_LABEL), USER_PIN) as signer:
        assert signer.name == SIGNER_NAME


def test_one_changed_byte_is_detected(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    signed = _sign_p12(pki, report, tmp_path / "signed.pdf")
    data = bytearray(signed.read_bytes())
    at = data.index(b"/Creator (ParApp)") + len(b"/Creator (")  # inside the signed bytes
    data[at] = ord("p")
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    result = verify_pdf(tampered, trust)
    assert not result.ok
    (sig,) = result.signatures
    assert not sig.intact and sig.modified_after_signing
    assert "đã bị thay đổi sau khi ký" in sig.message
    assert "Digest Mismatch" in _pdfsig(tampered)


def _refusal(kind: type[Exception], source: SignerSource, secret: str) -> str:
    """The message of the error ``kind`` that opening ``source`` must raise."""
    with pytest.raises(kind) as caught, open_signer(source, secret):
        pass
    return str(caught.value)


def test_wrong_pin_missing_token_expired_and_untrusted_each_say_so(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    lib = shared_token()
    messages = {
        "pin": _refusal(WrongPinError, Pkcs11Source(lib, TOKEN_LABEL), "000000"),
        "token": _refusal(TokenNotFoundError, Pkcs11Source(lib, "Token-Không-Có"), USER_PIN),
        "library": _refusal(
            Pkcs11LibraryError, Pkcs11Source(str(tmp_path / "eTPKCS11.dll")), USER_PIN
        ),
        "expired": _refusal(
            CertificateExpiredError, Pkcs12Source(pki.write_p12(pki.expired, "old")), P12_PASSWORD
        ),
        "password": _refusal(
            WrongPasswordError, Pkcs12Source(pki.write_p12(pki.signer, "p")), "sai"
        ),
    }
    stranger = _sign_p12(pki, report, tmp_path / "stranger.pdf", who="stranger")
    result = verify_pdf(stranger, trust)
    assert not result.ok and result.signatures[0].intact and not result.signatures[0].trusted
    messages["untrusted"] = result.message

    assert messages["pin"].startswith("Mã PIN của USB token không đúng.")
    assert "Không tìm thấy USB token có nhãn “Token-Không-Có”" in messages["token"]
    assert "eTPKCS11.dll" in messages["library"] and "trình điều khiển" in messages["library"]
    assert "Trần Thị Hết Hạn" in messages["expired"] and "đã hết hạn từ ngày" in messages["expired"]
    assert messages["untrusted"] == str(UntrustedCertificateError("Lê Văn Lạ"))
    assert "sai mật khẩu" in messages["password"]
    assert len(set(messages.values())) == len(messages)


def test_pin_tries_left_as_the_token_reports_them() -> None:
    from pkcs11.constants import TokenFlag

    class FakeToken:
        def __init__(self, flags: TokenFlag) -> None:
            self.flags = flags

    assert "1 lần thử" in _tries_hint(FakeToken(TokenFlag.USER_PIN_FINAL_TRY))  # type: ignore[arg-type]
    assert "ít lần thử" in _tries_hint(FakeToken(TokenFlag.USER_PIN_COUNT_LOW))  # type: ignore[arg-type]
    assert _tries_hint(FakeToken(TokenFlag(0))) == ""  # type: ignore[arg-type]
    assert "1 lần thử" in str(WrongPinError(_tries_hint(FakeToken(TokenFlag.USER_PIN_FINAL_TRY))))  # type: ignore[arg-type]


def test_person_and_organisation_with_seal(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    from PIL import Image, ImageDraw

    seal = tmp_path / "con-dau.png"
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((6, 6, 234, 234), outline=(210, 0, 0, 255), width=10)
    image.save(seal)
    person = pki.write_p12(pki.signer, "person")
    org = pki.write_p12(pki.organisation, "org")
    signed = tmp_path / "two.pdf"
    with (
        open_signer(Pkcs12Source(person), P12_PASSWORD) as p,
        open_signer(Pkcs12Source(org), P12_PASSWORD) as o,
    ):
        sign_pdf(report, signed, p, SignOptions(DETAILS, seal_image=seal, organisation=o))
    result = verify_pdf(signed, trust)
    assert result.ok, result.message
    first, second = result.signatures
    assert (first.signer, second.signer) == (SIGNER_NAME, ORG_NAME)
    assert first.modified_after_signing and first.changes_allowed  # only signed again
    assert second.covers_whole_file
    with signed.open("rb") as fh:
        person_sig, org_sig = PdfFileReader(fh).embedded_signatures
        px1, _, px2, _ = (float(v) for v in person_sig.sig_field["/Rect"])
        ox1, _, ox2, _ = (float(v) for v in org_sig.sig_field["/Rect"])
    centre = (ox1 + ox2) / 2
    assert px1 <= centre <= px1 + (px2 - px1) / 3  # the seal over the left third
    assert _pyhanko_bottom_line(signed, pki) == [True, True]
    assert _pdfsig(signed).count("Signature is Valid.") == 2


def test_a_revoked_certificate_is_refused_with_the_imported_crl(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    signed = _sign_p12(pki, report, tmp_path / "signed.pdf")
    crl_file = pki.write_crl([pki.signer], "revoked")
    with_crl = TrustStore(trust.certificates, tuple(parse_crl(crl_file.read_bytes())))
    result = verify_pdf(signed, with_crl)
    assert not result.ok
    assert result.signatures[0].revoked
    assert "đã bị thu hồi" in result.message
    clean = TrustStore(trust.certificates, tuple(parse_crl(pki.write_crl([], "c").read_bytes())))
    assert verify_pdf(signed, clean).ok


def test_unsigned_or_broken_files_are_reported_not_raised(
    trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    assert verify_pdf(report, trust).message.endswith("không có chữ ký số nào.")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 100)
    result = verify_pdf(junk, trust)
    assert not result.ok and result.problem is not None


def test_pades_b_t_with_a_timestamp(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    """B-T: a signature timestamp from a TSA (here pyHanko's in-process test TSA, so the
    test stays offline; in use, ``timestamp_url`` points at the CA's server)."""
    tsa_key = asn1_keys.PrivateKeyInfo.load(
        pki.tsa.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    stamper = DummyTimeStamper(parse_certificates(pki.tsa.pem())[0], tsa_key)
    p12 = pki.write_p12(pki.signer, "bt")
    signed = tmp_path / "bt.pdf"
    with open_signer(Pkcs12Source(p12), P12_PASSWORD) as signer:
        sign_pdf(report, signed, signer, SignOptions(DETAILS, timestamper=stamper))
    result = verify_pdf(signed, trust)
    assert result.ok, result.message
    (sig,) = result.signatures
    assert sig.timestamped
    assert "Signature is Valid." in _pdfsig(signed)


def test_an_expired_certificate_is_named_when_verifying(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    """Signed while still valid (a year ago), checked today: the office is told it expired."""
    p12 = pki.write_p12(pki.expired, "was-valid")
    back_then = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=200)
    signed = tmp_path / "old.pdf"
    with open_signer(Pkcs12Source(p12), P12_PASSWORD, now=back_then) as signer:
        sign_pdf(report, signed, signer, SignOptions(DETAILS))
    result = verify_pdf(signed, trust)
    assert not result.ok
    assert result.signatures[0].intact
    assert "Trần Thị Hết Hạn" in result.message and "đã hết hạn từ ngày" in result.message


def test_token_failures_during_signing_are_vietnamese() -> None:
    def wrapped(inner: Exception) -> Exception:
        try:
            try:
                raise inner
            except pkcs11.PKCS11Error as err:
                raise SigningError("PKCS#11 error") from err
        except SigningError as outer:
            return outer

    removed = signing_failure(wrapped(pkcs11.DeviceRemoved()), "bao-cao.pdf")
    assert isinstance(removed, TokenNotFoundError)
    refused = signing_failure(wrapped(pkcs11.FunctionFailed()), "bao-cao.pdf")
    assert "USB token từ chối thao tác ký tệp “bao-cao.pdf”" in str(refused)
    assert "FunctionFailed" in str(refused)


def test_unreachable_timestamp_server(pki: Pki, report: Path, tmp_path: Path) -> None:
    """Port 9 of the loopback interface: refused at once, no network involved."""
    p12 = pki.write_p12(pki.signer, "tsa-down")
    out = tmp_path / "never.pdf"
    with open_signer(Pkcs12Source(p12), P12_PASSWORD) as signer:
        options = SignOptions(DETAILS, timestamp_url="http://127.0.0.1:9/tsa")
        with pytest.raises(X509SignError, match="Không lấy được dấu thời gian"):
            sign_pdf(report, out, signer, options)
    assert not out.exists()


def test_a_missing_key_label_is_named(pki: Pki) -> None:
    lib = shared_token()
    message = _refusal(KeyNotFoundError, Pkcs11Source(lib, TOKEN_LABEL, "khong-co"), USER_PIN)
    assert message == "Trên USB token không có khóa/chứng thư số có nhãn “khong-co”."


class _FakeToken:
    """A token as python-pkcs11 shows it; SoftHSM2 never locks, so locking is simulated."""

    def __init__(self, flags: int, on_open: Exception | None = None) -> None:
        self.flags = pkcs11.TokenFlag(flags)
        self.on_open = on_open

    def open(self, user_pin: str) -> None:
        assert self.on_open is not None
        raise self.on_open


class _FakeLib:
    def __init__(self, token: _FakeToken) -> None:
        self.token = token

    def get_tokens(self, token_label: str | None = None) -> list[_FakeToken]:
        return [self.token]


def test_a_locked_token_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    locked = _FakeLib(_FakeToken(pkcs11.TokenFlag.USER_PIN_LOCKED))
    monkeypatch.setattr(signers_module.pkcs11, "lib", lambda path: locked)
    message = _refusal(TokenLockedError, Pkcs11Source("eTPKCS11.dll"), "123456")
    assert message.startswith("USB token đã bị khóa do nhập sai mã PIN")
    # Locked by this very attempt: the token answers CKR_PIN_LOCKED.
    now_locked = _FakeLib(_FakeToken(0, pkcs11.PinLocked()))
    monkeypatch.setattr(signers_module.pkcs11, "lib", lambda path: now_locked)
    assert _refusal(TokenLockedError, Pkcs11Source("eTPKCS11.dll"), "123456") == message


def test_a_digital_signature_only_certificate_is_accepted(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    """Some CAs leave out nonRepudiation; digitalSignature alone is still a signing cert."""
    signed = _sign_p12(pki, report, tmp_path / "ds.pdf", who="digital_only")
    result = verify_pdf(signed, trust)
    assert result.ok, result.message
    assert result.signatures[0].signer == "Phạm Văn Số"


def test_content_added_after_signing_is_reported(
    pki: Pki, trust: TrustStore, report: Path, tmp_path: Path
) -> None:
    """An incremental update that draws on a page (not a signature) breaks the document's
    integrity as signed, though the signed bytes themselves are untouched."""
    signed = _sign_p12(pki, report, tmp_path / "signed.pdf")
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    TextStamp(writer, TextStampStyle(stamp_text="DA SUA")).apply(0, 100, 100)
    changed = tmp_path / "changed.pdf"
    with changed.open("wb") as fh:
        writer.write(fh)
    result = verify_pdf(changed, trust)
    assert not result.ok
    (sig,) = result.signatures
    assert sig.intact and sig.trusted  # the signed revision itself is fine...
    assert sig.modified_after_signing and not sig.changes_allowed  # ...but something was added
    assert sig.message.startswith("Tệp đã bị sửa nội dung sau khi “Nguyễn Văn An” ký")
    assert "Not total document signed" in _pdfsig(changed)
