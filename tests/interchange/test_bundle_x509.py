"""The official's X.509 CMS signature of a bundle's tag manifest: written on request only,
verified by ParApp (the official's name in the report) and by ``openssl cms -verify``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from parapp.interchange.bundle import (
    CMS_SIGNATURE_FILE,
    SIGNATURE_FILE,
    extract_bundle,
    inspect_bundle,
    verify_bundle,
    write_bundle,
)
from parapp.interchange.signing.signers import Pkcs11Source, Pkcs12Source, open_signer
from parapp.interchange.signing.trust import TrustStore, parse_certificates
from tests.interchange.hostile_bundles import Sample, make_sample, read_entries, write_bag
from tests.interchange.x509_fixtures import (
    P12_PASSWORD,
    SIGNER_NAME,
    TOKEN_LABEL,
    USER_PIN,
    Pki,
    shared_pki,
    shared_token,
)

TAGMANIFEST = "tagmanifest-sha256.txt"


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture(scope="module")
def trust(pki: Pki) -> TrustStore:
    return TrustStore(tuple(parse_certificates(pki.root.pem() + pki.intermediate.pem())))


def _signed_copy(s: Sample, pki: Pki, out: Path, who: str = "signer") -> Path:
    p12 = pki.write_p12(getattr(pki, who), f"bundle-{who}")
    with open_signer(Pkcs12Source(p12), P12_PASSWORD) as signer:
        write_bundle(out, s.info, s.doc, s.evidence, s.keypair, x509_signer=signer)
    return out


def test_signed_bundle_names_the_official(pki: Pki, trust: TrustStore, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    signed = _signed_copy(s, pki, tmp_path / "signed.zip")
    report = verify_bundle(signed, s.keypair.public, {s.framework.content_hash}, trust=trust)
    assert report.ok, report.first_failure
    assert report.official == SIGNER_NAME
    assert report.x509 is not None and report.x509.trusted
    assert [c.step for c in report.checks][:5] == ["zip", "bagit", "signature", "key", "x509"]
    assert inspect_bundle(signed)["x509_signature"] is True
    # Without the office's trust store the signature still matches, the name is shown,
    # and the report says the certificate is not trusted.
    plain = verify_bundle(signed, s.keypair.public)
    assert plain.ok and plain.official == SIGNER_NAME
    assert plain.x509 is not None and not plain.x509.trusted
    assert "không do tổ chức chứng thực" in plain.x509.message


def test_without_a_signer_nothing_changes(pki: Pki, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    signed = _signed_copy(s, pki, tmp_path / "signed.zip")
    _, plain_files = read_entries(s.path)
    _, signed_files = read_entries(signed)
    assert CMS_SIGNATURE_FILE not in plain_files
    assert set(signed_files) == {*plain_files, CMS_SIGNATURE_FILE}
    assert all(signed_files[name] == data for name, data in plain_files.items())
    assert verify_bundle(s.path).x509 is None
    again = tmp_path / "again.zip"
    write_bundle(again, s.info, s.doc, s.evidence, s.keypair)
    assert again.read_bytes() == s.path.read_bytes()


def test_openssl_cms_verify_against_the_test_ca(pki: Pki, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    signed = _signed_copy(s, pki, tmp_path / "signed.zip")
    _, files = read_entries(signed)
    content = tmp_path / TAGMANIFEST
    content.write_bytes(files[TAGMANIFEST])
    p7s = tmp_path / CMS_SIGNATURE_FILE
    p7s.write_bytes(files[CMS_SIGNATURE_FILE])
    ca = pki.write_pem(pki.root, "ca")

    def openssl(content_file: Path, ca_file: Path) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(p7s),
             "-content", str(content_file), "-CAfile", str(ca_file), "-out", str(tmp_path / "o")],
            capture_output=True, timeout=60,
        )  # fmt: skip

    ok = openssl(content, ca)
    assert ok.returncode == 0, ok.stderr
    assert b"Verification successful" in ok.stderr
    changed = tmp_path / "changed.txt"
    changed.write_bytes(files[TAGMANIFEST].replace(b"bagit.txt", b"bagit.TXT"))
    assert openssl(changed, ca).returncode != 0
    assert openssl(content, pki.write_pem(pki.stranger_root, "other-ca")).returncode != 0


def test_token_signed_bundle(trust: TrustStore, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    out = tmp_path / "token.zip"
    with open_signer(Pkcs11Source(shared_token(), TOKEN_LABEL), USER_PIN) as signer:
        write_bundle(out, s.info, s.doc, s.evidence, s.keypair, x509_signer=signer)
    report = verify_bundle(out, s.keypair.public, trust=trust)
    assert report.ok and report.official == SIGNER_NAME and report.x509 is not None
    assert report.x509.trusted


def test_a_foreign_cms_signature_refuses_the_bundle(pki: Pki, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    signed = _signed_copy(s, pki, tmp_path / "signed.zip")
    other = make_sample(tmp_path / "other")  # same unit, other evidence: other manifest
    other_signed = _signed_copy(other, pki, tmp_path / "other-signed.zip")
    bag, files = read_entries(signed)
    _, foreign = read_entries(other_signed)
    files[CMS_SIGNATURE_FILE] = foreign[CMS_SIGNATURE_FILE]
    broken = write_bag(tmp_path / "foreign.zip", bag, files)
    report = verify_bundle(broken, s.keypair.public)
    assert not report.ok
    assert report.failure is not None and report.failure.step == "x509"
    assert report.failure_code == "x509_invalid"
    files[CMS_SIGNATURE_FILE] = b"not a signature"
    junk = verify_bundle(write_bag(tmp_path / "junk.zip", bag, files), s.keypair.public)
    assert junk.failure_code == "x509_malformed"


def test_extraction_keeps_the_cms_signature(pki: Pki, trust: TrustStore, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    signed = _signed_copy(s, pki, tmp_path / "signed.zip")
    extracted = extract_bundle(signed, tmp_path / "inbox", s.keypair.public, trust=trust)
    try:
        _, files = read_entries(signed)
        kept = extracted.bag_dir / CMS_SIGNATURE_FILE
        assert kept.read_bytes() == files[CMS_SIGNATURE_FILE]
        assert (extracted.bag_dir / SIGNATURE_FILE).exists()
        assert extracted.report.official == SIGNER_NAME
    finally:
        extracted.cleanup()
