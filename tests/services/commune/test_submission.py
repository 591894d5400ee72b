"""Submission: pre-flight, frozen revisions, the signed bundle and its verification."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from parapp.interchange.bundle import verify_bundle
from parapp.interchange.keys import WrongPassphraseError
from parapp.interchange.signing.signers import Pkcs12Source, open_signer
from parapp.models.assessment import Answer
from parapp.models.errors import ParAppError, ValidationError
from parapp.services import unit_keys
from parapp.services.commune import submission
from parapp.services.workspace import Workspace
from tests.interchange.x509_fixtures import P12_PASSWORD, SIGNER_NAME, shared_pki
from tests.services.helpers import setup_ws

PASS = "mat-khau-du-dai"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = setup_ws(tmp_path / "ws")
    unit_keys.create_key(w, PASS)
    w.set_answer("1.1.1", value=1, explanation="QĐ số 12/QĐ-UBND")
    ev = tmp_path / "Quyết định 12.pdf"
    ev.write_bytes(b"%PDF-1.4 " + b"x" * 3000)
    w.add_evidence("1.1.1", ev, ref="trang 1")
    yield w  # type: ignore[misc]
    w.close()


def test_key_passphrase_rules(ws: Workspace) -> None:
    with pytest.raises(ParAppError, match="đã có khóa"):
        unit_keys.create_key(ws, PASS)
    with pytest.raises(WrongPassphraseError, match="Mật khẩu không đúng"):
        unit_keys.unlock(ws, "sai-mat-khau")
    with pytest.raises(ParAppError, match="ít nhất 8"):
        unit_keys.check_passphrase("ngan")


def test_export_freezes_revisions(ws: Workspace, tmp_path: Path) -> None:
    kp = unit_keys.unlock(ws, PASS)
    out = tmp_path / "out"
    out.mkdir()
    rev1, res1 = submission.export_bundle(ws, out, kp, "Trần Văn Bình", confirm_all_unscored=True)
    assert rev1.revision == 1 and res1.path.name == "hoso-20551-2026-r1.zip"
    assert not submission.has_unsubmitted_changes(ws)
    again, _ = submission.export_bundle(ws, out, kp, "Trần Văn Bình", confirm_all_unscored=True)
    assert again.revision == 1  # nothing changed: the same revision is re-exported
    ws.set_answer("1.2", self_score=1.5)
    assert submission.has_unsubmitted_changes(ws)
    rev2, res2 = submission.export_bundle(ws, out, kp, "Trần Văn Bình", confirm_all_unscored=True)
    assert rev2.revision == 2 and res2.path.name.endswith("-r2.zip")
    revs = submission.revisions(ws)
    assert [r.revision for r in revs] == [1, 2]
    assert [a["code"] for a in revs[0].document["answers"]] == ["1.1.1"]  # still readable
    assert ws.require_assessment().revision == 2
    report = verify_bundle(res2.path, kp.public, ws.frameworks.hashes())
    assert report.ok, report.first_failure
    assert report.assessment is not None
    assert report.assessment["totals"]["self_score"] == 2.5
    assert report.info is not None and report.info.approver == "Trần Văn Bình"


def test_blocking_problems_stop_the_export(ws: Workspace, tmp_path: Path) -> None:
    link = ws.answer("1.1.1").evidence[0]
    ws.evidence_path(link.sha256).unlink()
    check = submission.preflight(ws)
    assert [p.kind for p in check.blocking] == ["evidence_broken"]
    with pytest.raises(ValidationError, match=r"Quyết định 12\.pdf"):
        submission.export_bundle(
            ws, tmp_path / "x.zip", unit_keys.unlock(ws, PASS), "A", confirm_all_unscored=True
        )
    assert not (tmp_path / "x.zip").exists()
    assert submission.revisions(ws) == []


def test_corrupted_stored_evidence_is_caught_while_writing(ws: Workspace, tmp_path: Path) -> None:
    link = ws.answer("1.1.1").evidence[0]
    path = ws.evidence_path(link.sha256)
    path.write_bytes(b"%PDF-1.4 " + b"y" * 3000)  # same size, other content
    with pytest.raises(ParAppError):
        submission.export_bundle(
            ws, tmp_path / "x.zip", unit_keys.unlock(ws, PASS), "A", confirm_all_unscored=True
        )
    assert list(tmp_path.glob("*.zip")) == []


def test_approver_is_required(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="người phê duyệt"):
        submission.export_bundle(
            ws, tmp_path / "x.zip", unit_keys.unlock(ws, PASS), "  ", confirm_all_unscored=True
        )


def test_changed_byte_in_evidence_is_refused_naming_the_file(ws: Workspace, tmp_path: Path) -> None:
    kp = unit_keys.unlock(ws, PASS)
    _, res = submission.export_bundle(
        ws, tmp_path / "b.zip", kp, "Trần Văn Bình", confirm_all_unscored=True
    )
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(res.path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if "/data/evidence/" in info.filename:
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            dst.writestr(info, data)
    report = verify_bundle(tampered, kp.public)
    assert not report.ok
    assert report.failure_code == "payload_hash_mismatch"
    assert "data/evidence/" in (report.first_failure or "")


def test_key_rotation_statement_verifies_with_old_key(ws: Workspace) -> None:
    from parapp.interchange.key_rotation import verify_rotation_statement

    old = unit_keys.key_status(ws)
    assert old is not None
    new, statement = unit_keys.rotate_key(ws, PASS, "mat-khau-moi-123")
    assert new.fingerprint != old.fingerprint
    assert verify_rotation_statement(statement.read_text(), old.public) == new.public
    assert unit_keys.unlock(ws, "mat-khau-moi-123").public == new.public


def test_commune_export_and_fixture_builder_write_identical_bundles(
    ws: Workspace, tmp_path: Path
) -> None:
    """One builder: the real export and the fixture path (make_assessment_doc + write_bundle,
    as tests/interchange/hostile_bundles.py does) give byte-identical documents and bundles."""
    from parapp import __version__
    from parapp.interchange.bundle import (
        BundleInfo,
        EvidenceFile,
        make_assessment_doc,
        write_bundle,
    )
    from parapp.models.assessment import Answer, EvidenceLink
    from tests.models.sample_framework import sample_framework

    ws.set_answer("1.2", self_score=1.5)
    kp = unit_keys.unlock(ws, PASS)
    _, real = submission.export_bundle(
        ws, tmp_path / "real.zip", kp, "Trần Văn Bình", confirm_all_unscored=True
    )
    report = verify_bundle(real.path, kp.public)
    assert report.ok and report.info is not None
    link = ws.answer("1.1.1").evidence[0]
    info = BundleInfo(  # written by hand, as a fixture does
        unit_code="20551",
        unit_name="Phường Điện Bàn",
        unit_level="commune",
        parent_unit="48",
        framework_id="mau-2026",
        framework_hash=sample_framework().content_hash,
        period="2026",
        revision=1,
        created_at=report.info.created_at,  # the only value the export chose itself
        app_version=__version__,
        approver="Trần Văn Bình",
        approver_position="Chủ tịch UBND",
    )
    answers = [  # deliberately out of framework order: the builder orders them
        Answer("1.2", self_score=1.5),
        Answer(
            "1.1.1",
            value=1.0,
            self_score=1.0,
            explanation="QĐ số 12/QĐ-UBND",
            evidence=(EvidenceLink(link.sha256, "Quyết định 12.pdf", link.size, "trang 1"),),
        ),
    ]
    with zipfile.ZipFile(real.path) as zf:
        name = next(n for n in zf.namelist() if n.endswith("/data/assessment.json"))
        real_extra = json.loads(zf.read(name))["extra"]  # the change log is data too
    doc = make_assessment_doc(info, sample_framework(), answers, extra=real_extra)
    evidence = [
        EvidenceFile(link.sha256, link.size, tmp_path / "Quyết định 12.pdf", link.file_name)
    ]
    fixture = write_bundle(tmp_path / "fixture.zip", info, doc, evidence, kp)
    with zipfile.ZipFile(real.path) as a, zipfile.ZipFile(fixture.path) as b:
        name = next(n for n in a.namelist() if n.endswith("/data/assessment.json"))
        assert a.read(name) == b.read(name)
    assert real.path.read_bytes() == fixture.path.read_bytes()


def test_preflight_blocks_a_self_score_that_contradicts_its_rule(ws: Workspace) -> None:
    # An answer written verbatim (an older version, a restored backup): 1.1.2 measured 85 %
    # earns 0,5 under ">=100% → 1; >=80% → 0,5", the answer claims 1.
    ws.restore_answer(Answer("1.1.2", value=85.0, self_score=1.0, explanation="Đạt 85%"))
    check = submission.preflight(ws)
    assert not check.ok
    blocking = {p.code: p.message for p in check.blocking}
    assert blocking["1.1.2"] == "Điểm tự chấm không khớp quy tắc: tính lại được 0,5."
    assert not any(p.code == "1.1.2" and p.kind == "contradiction" for p in check.warnings)
    with pytest.raises(ValidationError, match="không khớp quy tắc"):
        submission.export_bundle(ws, Path("."), unit_keys.unlock(ws, PASS), "Trần Văn Bình")


def test_export_with_the_officials_certificate(ws: Workspace, tmp_path: Path) -> None:
    pki = shared_pki()
    kp = unit_keys.unlock(ws, PASS)
    with open_signer(Pkcs12Source(pki.write_p12(pki.signer, "chu-tich")), P12_PASSWORD) as s:
        _, result = submission.export_bundle(
            ws, tmp_path / "hs.zip", kp, SIGNER_NAME, confirm_all_unscored=True, x509_signer=s
        )
    with zipfile.ZipFile(result.path) as zf:
        assert any(n.endswith("/tagmanifest-sha256.txt.p7s") for n in zf.namelist())
    report = verify_bundle(result.path, kp.public)
    assert report.ok, report.first_failure
    assert report.official == SIGNER_NAME
