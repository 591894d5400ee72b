"""A test PKI made with ``cryptography``: a root CA, an intermediate CA, a signer and an
organisation certificate, an expired signer, a stranger CA; PKCS#12 files; and a SoftHSM2
token holding the signer's key and certificate (as pyHanko's own CI does)."""

from __future__ import annotations

import atexit
import datetime
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

SOFTHSM_LIB = next(
    p
    for p in (
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    )
    if Path(p).exists()
)
TOKEN_LABEL = "ParApp-Test"
USER_PIN = "123456"
SO_PIN = "12345678"
P12_PASSWORD = "mật-khẩu"
SIGNER_NAME = "Nguyễn Văn An"
ORG_NAME = "UBND xã Điện Bàn"
NOW = datetime.datetime.now(datetime.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ParApp Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _issue(
    cn: str,
    issuer: Issued | None,
    *,
    ca: bool,
    not_before: datetime.datetime = NOW - datetime.timedelta(days=30),
    not_after: datetime.datetime = NOW + datetime.timedelta(days=365),
    time_stamping: bool = False,
    non_repudiation: bool = True,
) -> Issued:
    key = _key()
    signing_key = key if issuer is None else issuer.key
    issuer_name = _name(cn) if issuer is None else issuer.cert.subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        # Declared like a real CA does, so a validator checks the (imported) CRL; the
        # address is never fetched (the tests and ParApp work offline).
        point = x509.DistributionPoint(
            [x509.UniformResourceIdentifier("http://crl.parapp.invalid/issuing.crl")],
            None,
            None,
            None,
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), False)
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    usage = dict.fromkeys(
        ("content_commitment", "key_encipherment", "data_encipherment", "key_agreement",
         "key_cert_sign", "crl_sign", "encipher_only", "decipher_only"),
        False,
    )  # fmt: skip
    if ca:
        usage.update(key_cert_sign=True, crl_sign=True)
        builder = builder.add_extension(x509.KeyUsage(digital_signature=True, **usage), True)
    else:
        usage.update(content_commitment=non_repudiation)
        builder = builder.add_extension(x509.KeyUsage(digital_signature=True, **usage), True)
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), True
        )
    return Issued(key, builder.sign(signing_key, hashes.SHA256()))


@dataclass
class Pki:
    root: Issued
    intermediate: Issued
    signer: Issued
    organisation: Issued
    expired: Issued
    stranger_root: Issued
    stranger: Issued
    tsa: Issued
    digital_only: Issued
    folder: Path

    def write_p12(self, who: Issued, name: str, password: str = P12_PASSWORD) -> Path:
        data = pkcs12.serialize_key_and_certificates(
            name.encode(),
            who.key,
            who.cert,
            [self.intermediate.cert, self.root.cert],
            serialization.BestAvailableEncryption(password.encode("utf-8")),
        )
        path = self.folder / f"{name}.p12"
        path.write_bytes(data)
        return path

    def write_pem(self, who: Issued, name: str) -> Path:
        path = self.folder / f"{name}.pem"
        path.write_bytes(who.pem())
        return path

    def write_crl(self, revoked: list[Issued], name: str) -> Path:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.intermediate.cert.subject)
            .last_update(NOW - datetime.timedelta(days=1))
            .next_update(NOW + datetime.timedelta(days=30))
        )
        for who in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(who.cert.serial_number)
                .revocation_date(NOW - datetime.timedelta(days=2))
                .build()
            )
        crl = builder.sign(self.intermediate.key, hashes.SHA256())
        path = self.folder / f"{name}.crl"
        path.write_bytes(crl.public_bytes(serialization.Encoding.DER))
        return path


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    root = _issue("ParApp Test Root CA", None, ca=True)
    inter = _issue("ParApp Test Issuing CA", root, ca=True)
    signer = _issue(SIGNER_NAME, inter, ca=False)
    org = _issue(ORG_NAME, inter, ca=False)
    expired = _issue(
        "Trần Thị Hết Hạn",
        inter,
        ca=False,
        not_before=NOW - datetime.timedelta(days=400),
        not_after=NOW - datetime.timedelta(days=10),
    )
    stranger_root = _issue("Stranger Root CA", None, ca=True)
    stranger = _issue("Lê Văn Lạ", stranger_root, ca=False)
    tsa = _issue("ParApp Test TSA", inter, ca=False, time_stamping=True)
    digital_only = _issue("Phạm Văn Số", inter, ca=False, non_repudiation=False)
    return Pki(
        root, inter, signer, org, expired, stranger_root, stranger, tsa, digital_only, folder
    )


def init_softhsm(folder: Path, pki: Pki) -> dict[str, str]:
    """A fresh SoftHSM2 token in ``folder`` with the signer's key and certificate; returns the
    environment variables (``SOFTHSM2_CONF``) the library must see."""
    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}

    def run(*args: str) -> None:
        subprocess.run(args, check=True, capture_output=True, env=env, timeout=60)

    run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,
        "--pin", USER_PIN, "--so-pin", SO_PIN)  # fmt: skip
    key_der = folder / "signer-key.der"
    key_der.write_bytes(
        pki.signer.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_der = folder / "signer-cert.der"
    cert_der.write_bytes(pki.signer.cert.public_bytes(serialization.Encoding.DER))
    common = ("pkcs11-tool", "--module", SOFTHSM_LIB, "--token-label", TOKEN_LABEL,
              "--login", "--pin", USER_PIN, "--id", "01", "--label", "signer")  # fmt: skip
    run(*common, "--write-object", str(key_der), "--type", "privkey", "--usage-sign")
    run(*common, "--write-object", str(cert_der), "--type", "cert")
    key_der.unlink()
    return {"SOFTHSM2_CONF": str(conf)}


_STATE: dict[str, object] = {}


def shared_pki() -> Pki:
    """One PKI per test process (RSA key generation is the slow part)."""
    if "pki" not in _STATE:
        folder = Path(tempfile.mkdtemp(prefix="parapp-pki-"))
        atexit.register(shutil.rmtree, folder, True)
        _STATE["pki"] = make_pki(folder)
    pki = _STATE["pki"]
    assert isinstance(pki, Pki)
    return pki


def shared_token() -> str:
    """The SoftHSM2 token, initialised once per process: the PKCS#11 library reads its
    configuration once, when first loaded, so every test must see the same one."""
    if "token" not in _STATE:
        folder = Path(tempfile.mkdtemp(prefix="parapp-softhsm-"))
        atexit.register(shutil.rmtree, folder, True)
        env = init_softhsm(folder, shared_pki())
        os.environ.update(env)
        _STATE["token"] = SOFTHSM_LIB
    return SOFTHSM_LIB
