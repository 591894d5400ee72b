"""``parapp keys`` / ``parapp bundle`` through the real entry point, as a user scripts it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AREAS = ("1", "2", "3", "4", "5", "6", "7", "8")


def parapp(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parapp", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return dict(
        os.environ,
        PARAPP_DATA_DIR=str(tmp_path / "ws"),
        PARAPP_PASSPHRASE="mat-khau-1234",
        PARAPP_KDF_PROFILE="interactive",
        PARAPP_NO_GUI="1",
    )


def test_export_then_verify_elsewhere(env: dict[str, str], tmp_path: Path) -> None:
    assert parapp("init", "--unit", "20551", env=env).returncode == 0
    assert parapp("assess", "start", "par-tinh-2018", "--period", "2026", env=env).returncode == 0
    assert parapp("keys", "init", env=env).returncode == 0
    assert (
        parapp("assess", "set", "1.2", "--score", "3", "--note", "Đủ 4 báo cáo", env=env).returncode
        == 0
    )
    scan = tmp_path / "Báo cáo quý.pdf"
    scan.write_bytes(b"%PDF-1.4 bao cao" * 100)
    assert parapp("evidence", "add", "1.2", str(scan), env=env).returncode == 0
    refused = parapp(
        "bundle", "export", "--out", str(tmp_path), "--approver", "Lê Thị Hoa", env=env
    )
    assert refused.returncode == 1 and "chưa chấm điểm" in refused.stderr
    assert "Lĩnh vực 1" in refused.stderr and "Traceback" not in refused.stderr
    assert list(tmp_path.glob("*.zip")) == []
    out = parapp(
        "bundle", "export", "--out", str(tmp_path), "--approver", "Lê Thị Hoa", "--json",
        "--confirm-unscored", ",".join(AREAS[:4]), *(a for x in AREAS[4:]
                                                     for a in ("--confirm-unscored", x)),
        env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    bundle = Path(json.loads(out.stdout)["file"])
    assert parapp("keys", "export-public", str(tmp_path / "xa.pub"), env=env).returncode == 0

    other = dict(env, PARAPP_DATA_DIR=str(tmp_path / "office"))
    ok = parapp(
        "bundle", "verify", str(bundle), "--pubkey", str(tmp_path / "xa.pub"), "--json", env=other
    )
    assert ok.returncode == 0, ok.stdout
    report = json.loads(ok.stdout)
    assert report["ok"] and report["key_pinned"]
    inspected = parapp("bundle", "inspect", str(bundle), "--json", env=other)
    assert inspected.returncode == 0

    wrong = dict(env, PARAPP_PASSPHRASE="khong-dung-dau")
    bad = parapp("bundle", "export", "--out", str(tmp_path), "--approver", "X", env=wrong)
    assert bad.returncode == 1 and "Mật khẩu không đúng" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_verify_missing_file_is_exit_1(env: dict[str, str], tmp_path: Path) -> None:
    out = parapp("bundle", "verify", str(tmp_path / "khong-co.zip"), env=env)
    assert out.returncode == 1 and "Không tìm thấy" in out.stderr


def test_export_with_the_officials_certificate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bundle export --p12 …`: the legal CMS signature beside the unit key's, and the
    office's inbox can name who signed (services.x509_trust.official_name)."""
    import zipfile

    from parapp.services.x509_trust import add_certificates, official_name
    from tests.cli.helpers import run
    from tests.interchange.x509_fixtures import P12_PASSWORD, SIGNER_NAME, shared_pki

    monkeypatch.setenv("PARAPP_PASSPHRASE", "mat-khau-1234")
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    monkeypatch.setenv("PARAPP_TOKEN_PIN", P12_PASSWORD)
    dd = ["--data-dir", str(tmp_path / "ws")]
    assert run(capsys, "init", "--unit", "20551", *dd)[0] == 0
    assert run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", *dd)[0] == 0
    assert run(capsys, "keys", "init", *dd)[0] == 0
    pki = shared_pki()
    p12 = pki.write_p12(pki.signer, "chu-tich")
    code, out, err = run(
        capsys, "bundle", "export", "--out", str(tmp_path), "--approver", SIGNER_NAME,
        "--confirm-all-unscored", "--p12", str(p12), "--json", *dd,
    )  # fmt: skip
    assert code == 0, err
    bundle = Path(json.loads(out)["file"])
    with zipfile.ZipFile(bundle) as zf:
        assert any(n.endswith("/tagmanifest-sha256.txt.p7s") for n in zf.namelist())
    office = tmp_path / "so-noi-vu"
    office.mkdir()
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.root.pem() + pki.intermediate.pem())
    add_certificates(office, ca)
    assert official_name(office, bundle) == f"{SIGNER_NAME} — chứng thư tin cậy"
