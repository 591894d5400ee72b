"""The office's X.509 trust store, kept as plain files in the workspace.

``<data_dir>/x509-trust/certs/<sha256>.der`` holds each imported root or intermediate CA
certificate, ``<data_dir>/x509-trust/crls/<sha256>.crl`` each imported revocation list.
Files rather than tables: an administrator can see, back up and copy them as they are, and no
schema change is needed. Only CA certificates are accepted: trusting a person's certificate
directly would bypass the CA that vouches for it.
"""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import crl, x509

from parapp.fileio import atomic_write_bytes, describe_os_error
from parapp.interchange.bundle import read_x509_signature
from parapp.interchange.signing.cms import CmsCheck
from parapp.interchange.signing.errors import X509SignError
from parapp.interchange.signing.signers import subject_name
from parapp.interchange.signing.trust import (
    MAX_CERT_FILE_SIZE,
    MAX_CRL_FILE_SIZE,
    TrustStore,
    fingerprint,
    is_self_signed,
    parse_certificates,
    parse_crl,
)
from parapp.models.errors import ParAppError

TRUST_DIR = "x509-trust"


def trust_dir(data_dir: Path) -> Path:
    return Path(data_dir) / TRUST_DIR


def _date(value: datetime.datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class CertEntry:
    fingerprint: str
    subject: str
    issuer: str
    is_root: bool
    not_before: datetime.datetime
    not_after: datetime.datetime

    @property
    def expired(self) -> bool:
        return datetime.datetime.now(datetime.UTC) > self.not_after

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "subject": self.subject,
            "issuer": self.issuer,
            "kind": "root" if self.is_root else "intermediate",
            "valid_from": _date(self.not_before),
            "valid_until": _date(self.not_after),
            "expired": self.expired,
        }


@dataclass(frozen=True)
class CrlEntry:
    fingerprint: str
    issuer: str
    this_update: datetime.datetime | None
    next_update: datetime.datetime | None
    revoked_count: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "issuer": self.issuer,
            "this_update": _date(self.this_update),
            "next_update": _date(self.next_update),
            "revoked": self.revoked_count,
        }


def _cert_entry(cert: x509.Certificate) -> CertEntry:
    validity = cert["tbs_certificate"]["validity"]
    issuer = cert.issuer.native
    return CertEntry(
        fingerprint=fingerprint(cert),
        subject=subject_name(cert),
        issuer=str(issuer.get("common_name") or cert.issuer.human_friendly),
        is_root=is_self_signed(cert),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
    )


def _crl_entry(item: crl.CertificateList, digest: str) -> CrlEntry:
    tbs = item["tbs_cert_list"]
    issuer = tbs["issuer"].native
    revoked = tbs["revoked_certificates"]
    return CrlEntry(
        fingerprint=digest,
        issuer=str(issuer.get("common_name") or tbs["issuer"].human_friendly),
        this_update=tbs["this_update"].native,
        next_update=tbs["next_update"].native,
        revoked_count=len(revoked) if revoked.native is not None else 0,
    )


def _read(path: Path, limit: int) -> bytes:
    try:
        with Path(path).open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as err:
        raise ParAppError(describe_os_error(err, path)) from err
    if len(data) > limit:
        raise X509SignError(f"Tệp “{Path(path).name}” quá lớn.")
    return data


def _write(target: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(target, data)
    except OSError as err:
        raise ParAppError(describe_os_error(err, target)) from err


def add_certificates(data_dir: Path, path: Path) -> list[CertEntry]:
    """Import every CA certificate of a PEM or DER file; returns what was added (a
    certificate already in the store is not added twice)."""
    certs = parse_certificates(_read(path, MAX_CERT_FILE_SIZE), Path(path).name)
    for cert in certs:
        if not cert.ca:
            raise X509SignError(
                f"“{subject_name(cert)}” là chứng thư số của một cá nhân/tổ chức, không phải "
                "của tổ chức chứng thực: chỉ nhập chứng thư gốc hoặc trung gian của CA."
            )
    folder = trust_dir(data_dir) / "certs"
    added = []
    for cert in certs:
        target = folder / f"{fingerprint(cert)}.der"
        if not target.exists():
            _write(target, cert.dump())
            added.append(_cert_entry(cert))
    return added


def add_crl(data_dir: Path, path: Path) -> list[CrlEntry]:
    """Import a CRL file (PEM or DER) for offline revocation checks."""
    items = parse_crl(_read(path, MAX_CRL_FILE_SIZE), Path(path).name)
    folder = trust_dir(data_dir) / "crls"
    added = []
    for item in items:
        der = item.dump()
        digest = hashlib.sha256(der).hexdigest()
        target = folder / f"{digest}.crl"
        if not target.exists():
            _write(target, der)
            added.append(_crl_entry(item, digest))
    return added


def remove(data_dir: Path, fingerprint_prefix: str) -> Path:
    """Remove one certificate or CRL by (a unique prefix of) its fingerprint."""
    prefix = fingerprint_prefix.strip().lower()
    found = [
        p
        for sub in ("certs", "crls")
        for p in sorted((trust_dir(data_dir) / sub).glob(f"{prefix}*"))
        if len(prefix) >= 8
    ]
    if len(found) != 1:
        raise X509SignError(
            f"Không tìm thấy đúng một chứng thư/danh sách thu hồi có mã “{fingerprint_prefix}” "
            "(cần ít nhất 8 ký tự đầu của mã SHA-256)."
        )
    try:
        found[0].unlink()
    except OSError as err:
        raise ParAppError(describe_os_error(err, found[0])) from err
    return found[0]


def _stored(data_dir: Path, sub: str, suffix: str) -> list[Path]:
    folder = trust_dir(data_dir) / sub
    return sorted(folder.glob(f"*{suffix}")) if folder.is_dir() else []


def load_trust_store(data_dir: Path) -> TrustStore:
    """Everything the office imported, ready for verification."""
    certs: list[x509.Certificate] = []
    for path in _stored(data_dir, "certs", ".der"):
        certs += parse_certificates(_read(path, MAX_CERT_FILE_SIZE), path.name)
    crls: list[crl.CertificateList] = []
    for path in _stored(data_dir, "crls", ".crl"):
        crls += parse_crl(_read(path, MAX_CRL_FILE_SIZE), path.name)
    return TrustStore(tuple(certs), tuple(crls))


@dataclass(frozen=True)
class TrustListing:
    certificates: list[CertEntry]
    crls: list[CrlEntry]

    def to_dict(self) -> dict[str, Any]:
        return {
            "certificates": [c.to_dict() for c in self.certificates],
            "crls": [c.to_dict() for c in self.crls],
        }


def list_trust(data_dir: Path) -> TrustListing:
    store = load_trust_store(data_dir)
    certs = sorted(
        (_cert_entry(c) for c in store.certificates), key=lambda e: (not e.is_root, e.subject)
    )
    crls = [_crl_entry(c, hashlib.sha256(c.dump()).hexdigest()) for c in store.crls]
    return TrustListing(certs, sorted(crls, key=lambda e: e.issuer))


def official_signature(data_dir: Path, bundle_path: Path) -> CmsCheck | None:
    """Who signed a received bundle with an X.509 certificate, judged against the office's
    trust store (for the inbox, beside the unit key status); ``None`` when nobody did."""
    return read_x509_signature(bundle_path, load_trust_store(data_dir))


CMS_SUFFIX = "/tagmanifest-sha256.txt.p7s"


def official_name(data_dir: Path, bundle_path: Path) -> str:
    """The official who signed a received bundle with a certificate, as the inbox shows it
    beside the unit key ("Nguyễn Văn A — chứng thư tin cậy"); "" when nobody did.

    Most bundles carry no certificate: the zip's directory is read first, and the
    certificate machinery is loaded only for those that do.
    """
    try:
        with zipfile.ZipFile(bundle_path) as zf:
            signed = any(n.endswith(CMS_SUFFIX) for n in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return ""
    if not signed:
        return ""
    check = official_signature(data_dir, bundle_path)
    if check is None or not check.signer:
        return ""
    trust = "chứng thư tin cậy" if check.trusted else "chứng thư CHƯA được tin cậy"
    return f"{check.signer} — {trust}"
