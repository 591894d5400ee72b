"""Detached CMS (PKCS#7) signatures of arbitrary bytes: the bundle's tag manifest signed with
the official's certificate, next to the app's own minisign signature.

The file is plain DER ``SignedData`` (RFC 5652) with the signer's certificate chain inside,
so ``openssl cms -verify -binary -inform DER -content tagmanifest-sha256.txt -in
tagmanifest-sha256.txt.p7s -CAfile ca.pem`` checks it without ParApp.
"""

from __future__ import annotations

import asyncio
import datetime
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

from parapp.interchange.signing.errors import UntrustedCertificateError, X509SignError
from parapp.interchange.signing.pdf import local_time_text
from parapp.interchange.signing.signers import LoadedSigner, subject_name
from parapp.interchange.signing.trust import SIGNER_KEY_USAGE, TrustStore

MAX_CMS_SIZE = 256 * 1024  # a signature with a chain of a few certificates: ~10 KB


def sign_detached(data: bytes, loaded: LoadedSigner, now: datetime.datetime | None = None) -> bytes:
    """The DER of a detached CMS signature of ``data`` (SHA-256, signing time signed)."""
    attrs = PdfCMSSignedAttributes(signing_time=now or datetime.datetime.now(datetime.UTC))
    try:
        info = asyncio.run(
            loaded.signer.async_sign_general_data(
                data, "sha256", detached=True, signed_attr_settings=attrs
            )
        )
    except X509SignError:
        raise
    except Exception as err:  # the token was pulled out, refused the operation...
        raise X509SignError(f"Không ký được bằng chứng thư số của “{loaded.name}”: {err}") from err
    der: bytes = info.dump()
    return der


@dataclass(frozen=True)
class CmsCheck:
    """The outcome of :func:`verify_detached`."""

    signer: str
    subject: str
    issuer: str
    signing_time: datetime.datetime | None
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    message: str

    @property
    def ok(self) -> bool:
        return self.intact and self.valid

    def to_dict(self) -> dict[str, Any]:
        return {
            "signer": self.signer,
            "subject": self.subject,
            "issuer": self.issuer,
            "signing_time": local_time_text(self.signing_time) if self.signing_time else None,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "revoked": self.revoked,
            "message": self.message,
        }


def verify_detached(data: bytes, der: bytes, trust: TrustStore) -> CmsCheck:
    """Check a detached CMS signature of ``data``; raises :class:`X509SignError` only when
    ``der`` is not a CMS signature at all."""
    if len(der) > MAX_CMS_SIZE:
        raise X509SignError("Tệp chữ ký CMS quá lớn.")
    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise ValueError("not SignedData")
        signed = info["content"]
        status = asyncio.run(
            async_validate_detached_cms(
                data,
                signed,
                signer_validation_context=trust.validation_context(),
                key_usage_settings=SIGNER_KEY_USAGE,
            )
        )
    except Exception as err:  # hostile or broken input
        raise X509SignError("Tệp chữ ký CMS sai cấu trúc.") from err
    cert = status.signing_cert
    name = subject_name(cert)
    issuer = cert.issuer.native
    if not status.intact:
        message = f"Chữ ký của “{name}” không khớp: nội dung đã bị thay đổi sau khi ký."
    elif not status.valid:
        message = f"Chữ ký của “{name}” không hợp lệ (sai chữ ký số)."
    elif status.revoked:
        message = f"Chứng thư số của “{name}” đã bị thu hồi."
    elif not status.trusted:
        message = str(UntrustedCertificateError(name))
    else:
        message = f"Chữ ký số hợp lệ của “{name}”, chứng thư số được tin cậy."
    return CmsCheck(
        signer=name,
        subject=cert.subject.human_friendly,
        issuer=str(issuer.get("common_name") or cert.issuer.human_friendly),
        signing_time=status.signer_reported_dt,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        message=message,
    )
