"""The office's trust store as files in the workspace: import, list, use, remove."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from parapp.interchange.bundle import write_bundle
from parapp.interchange.signing.errors import X509SignError
from parapp.interchange.signing.signers import Pkcs12Source, open_signer
from parapp.services.x509_trust import (
    add_certificates,
    add_crl,
    list_trust,
    load_trust_store,
    official_signature,
    remove,
    trust_dir,
)
from tests.interchange.hostile_bundles import make_sample
from tests.interchange.x509_fixtures import P12_PASSWORD, SIGNER_NAME, Pki, shared_pki


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


def test_import_list_and_remove(pki: Pki, tmp_path: Path) -> None:
    data = tmp_path / "ws"
    bundle = tmp_path / "chain.pem"
    bundle.write_bytes(pki.root.pem() + pki.intermediate.pem())
    added = add_certificates(data, bundle)
    assert [e.subject for e in added] == ["ParApp Test Root CA", "ParApp Test Issuing CA"]
    assert add_certificates(data, bundle) == []  # already there: nothing twice
    der = tmp_path / "root.cer"
    der.write_bytes(pki.root.cert.public_bytes(Encoding.DER))
    assert add_certificates(data, der) == []  # DER of the same root
    stored = sorted(p.name for p in (trust_dir(data) / "certs").iterdir())
    assert stored == sorted(f"{e.fingerprint}.der" for e in added)

    crl = add_crl(data, pki.write_crl([pki.signer], "issuing"))
    assert crl[0].issuer == "ParApp Test Issuing CA" and crl[0].revoked_count == 1

    listing = list_trust(data).to_dict()
    assert [(c["subject"], c["kind"]) for c in listing["certificates"]] == [
        ("ParApp Test Root CA", "root"),
        ("ParApp Test Issuing CA", "intermediate"),
    ]
    assert listing["crls"][0]["revoked"] == 1
    assert len(load_trust_store(data).roots) == 1
    assert len(load_trust_store(data).crls) == 1

    remove(data, added[1].fingerprint[:12])
    assert [c.subject for c in list_trust(data).certificates] == ["ParApp Test Root CA"]
    with pytest.raises(X509SignError, match="Không tìm thấy"):
        remove(data, "abc")


def test_refuses_a_person_certificate_and_junk(pki: Pki, tmp_path: Path) -> None:
    data = tmp_path / "ws"
    with pytest.raises(X509SignError, match="không phải của tổ chức chứng thực"):
        add_certificates(data, pki.write_pem(pki.signer, "person"))
    junk = tmp_path / "junk.cer"
    junk.write_bytes(b"\x30\x03\x02\x01")
    with pytest.raises(X509SignError, match=r"không phải chứng thư số X\.509"):
        add_certificates(data, junk)
    with pytest.raises(X509SignError, match="không phải danh sách chứng thư số bị thu hồi"):
        add_crl(data, junk)
    assert not trust_dir(data).exists()  # nothing half-written
    assert list_trust(data).certificates == []


def test_official_of_a_received_bundle(pki: Pki, tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    signed = tmp_path / "signed.zip"
    with open_signer(Pkcs12Source(pki.write_p12(pki.signer, "o")), P12_PASSWORD) as signer:
        write_bundle(signed, s.info, s.doc, s.evidence, s.keypair, x509_signer=signer)
    data = tmp_path / "office"
    assert official_signature(data, s.path) is None  # no X.509 signature: nobody to show
    before = official_signature(data, signed)
    assert before is not None and before.signer == SIGNER_NAME and not before.trusted
    chain = tmp_path / "chain.pem"
    chain.write_bytes(pki.root.pem() + pki.intermediate.pem())
    add_certificates(data, chain)
    after = official_signature(data, signed)
    assert after is not None and after.trusted and after.signer == SIGNER_NAME


def test_the_inbox_names_the_official_who_signed_a_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside the unit key: who signed with a certificate, and whether it is trusted."""
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    from parapp.services import unit_keys
    from parapp.services.commune import submission
    from parapp.services.x509_trust import add_certificates, official_name
    from tests.interchange.x509_fixtures import P12_PASSWORD, SIGNER_NAME, shared_pki
    from tests.services.helpers import setup_ws

    ws = setup_ws(tmp_path / "xa")
    pki = shared_pki()
    unit_keys.create_key(ws, "mat-khau-du-dai")
    kp = unit_keys.unlock(ws, "mat-khau-du-dai")
    plain = submission.export_bundle(
        ws, tmp_path / "thuong.zip", kp, "Trần Văn Bình", confirm_all_unscored=True
    )[1]
    office = tmp_path / "so-noi-vu"
    office.mkdir()
    assert official_name(office, plain.path) == ""  # no certificate: nothing to show
    ws.set_answer("1.2", explanation="Có chữ ký số")
    p12 = Pkcs12Source(pki.write_p12(pki.signer, "chu-tich"))
    with open_signer(p12, P12_PASSWORD) as signer:
        signed = submission.export_bundle(
            ws, tmp_path / "ky-so.zip", kp, SIGNER_NAME, confirm_all_unscored=True,
            x509_signer=signer,
        )[1]  # fmt: skip
    assert official_name(office, signed.path) == f"{SIGNER_NAME} — chứng thư CHƯA được tin cậy"
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.root.pem() + pki.intermediate.pem())
    add_certificates(office, ca)
    assert official_name(office, signed.path) == f"{SIGNER_NAME} — chứng thư tin cậy"
    ws.close()
