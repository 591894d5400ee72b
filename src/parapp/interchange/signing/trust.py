"""The office's trust store in memory: root and intermediate certificates and CRLs.

Only certificates the office chose to import are trusted (e.g. the VGCA root "Cơ quan chứng
thực số chuyên dùng Chính phủ"); the operating system's list is never consulted, and nothing
is fetched from the network: revocation is checked against the imported CRL files only.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from asn1crypto import crl, pem, x509
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext

from parapp.interchange.signing.errors import X509SignError

# pyHanko by default wants nonRepudiation on a PDF signer; some Vietnamese CAs issue signing
# certificates with digitalSignature only. Either one is a signing certificate.
SIGNER_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"})

MAX_CERT_FILE_SIZE = 1 << 20  # a certificate is about 2 KB; a bundle of a few: still small
MAX_CRL_FILE_SIZE = 64 << 20  # a national CA's CRL can hold hundreds of thousands of entries


def _der_blocks(data: bytes, kinds: tuple[str, ...], what: str) -> list[bytes]:
    if pem.detect(data):
        blocks = [der for kind, _, der in pem.unarmor(data, multiple=True) if kind in kinds]
        if not blocks:
            raise X509SignError(f"Tệp PEM không chứa {what} nào.")
        return blocks
    return [data]


def parse_certificates(data: bytes, source: str = "") -> list[x509.Certificate]:
    """Every certificate of a PEM file (one or more blocks) or a DER file."""
    if len(data) > MAX_CERT_FILE_SIZE:
        raise X509SignError(f"Tệp “{source}” quá lớn để là một chứng thư số.")
    try:
        out = []
        for der in _der_blocks(data, ("CERTIFICATE",), "chứng thư số"):
            cert = x509.Certificate.load(der)
            cert.native  # noqa: B018 - forces a full parse: a bad file fails here, not later
            out.append(cert)
        return out
    except (ValueError, TypeError, KeyError) as err:
        raise X509SignError(
            f"Tệp “{source}” không phải chứng thư số X.509 (PEM hoặc DER)."
        ) from err


def parse_crl(data: bytes, source: str = "") -> list[crl.CertificateList]:
    """Every CRL of a PEM or DER file."""
    if len(data) > MAX_CRL_FILE_SIZE:
        raise X509SignError(f"Tệp danh sách thu hồi “{source}” quá lớn.")
    try:
        out = []
        for der in _der_blocks(data, ("X509 CRL",), "danh sách thu hồi"):
            item = crl.CertificateList.load(der)
            item["tbs_cert_list"]["issuer"].native  # noqa: B018 - forces a parse
            out.append(item)
        return out
    except (ValueError, TypeError, KeyError) as err:
        raise X509SignError(
            f"Tệp “{source}” không phải danh sách chứng thư số bị thu hồi (CRL)."
        ) from err


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 of the DER certificate, hex: how the office tells two certificates apart."""
    return hashlib.sha256(cert.dump()).hexdigest()


def is_self_signed(cert: x509.Certificate) -> bool:
    return bool(cert.self_signed in ("maybe", "yes"))


@dataclass(frozen=True)
class TrustStore:
    """Roots (self-signed) are trust anchors; other certificates help build chains."""

    certificates: tuple[x509.Certificate, ...] = ()
    crls: tuple[crl.CertificateList, ...] = field(default=())

    @property
    def roots(self) -> list[x509.Certificate]:
        return [c for c in self.certificates if is_self_signed(c)]

    @property
    def intermediates(self) -> list[x509.Certificate]:
        return [c for c in self.certificates if not is_self_signed(c)]

    def validation_context(self, moment: datetime.datetime | None = None) -> ValidationContext:
        """An offline pyHanko validation context: no fetching, CRLs only when imported."""
        return ValidationContext(
            trust_roots=self.roots,
            other_certs=self.intermediates,
            crls=list(self.crls),
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=moment,
        )
