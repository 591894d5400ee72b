"""Stock tools accept what ParApp writes: ``minisign -V``, ``minisign -S`` and ``bagit.py``.

CI installs minisign (Debian package ``minisign``); a missing binary fails with a clear
message rather than silently skipping the one test that proves the format.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from parapp.interchange import keys, minisign
from parapp.interchange.bundle import extract_bundle, verify_bundle
from tests.interchange.hostile_bundles import make_sample

FAST = {"opslimit": keys.OPSLIMIT_INTERACTIVE, "memlimit": keys.MEMLIMIT_INTERACTIVE}


def _minisign() -> str:
    exe = shutil.which("minisign")
    if exe is None:
        pytest.fail("minisign is not installed: run `apt-get install -y minisign` (CI does).")
    return exe


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120)


def test_minisign_verifies_bundle_signature(tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    pub = tmp_path / "unit.pub"
    keys.write_public_key(s.keypair.public, pub)
    bundle = extract_bundle(s.path, tmp_path / "inbox", s.keypair.public)
    manifest = bundle.bag_dir / "tagmanifest-sha256.txt"
    result = _run(_minisign(), "-Vm", str(manifest), "-x", f"{manifest}.minisig", "-p", str(pub))
    assert result.returncode == 0, result.stderr
    assert "parapp:20333/2024/r1" in result.stdout

    other = tmp_path / "other.pub"
    keys.write_public_key(keys.generate_keypair().public, other)
    refused = _run(_minisign(), "-Vm", str(manifest), "-x", f"{manifest}.minisig", "-p", str(other))
    assert refused.returncode != 0
    manifest.write_bytes(manifest.read_bytes() + b"\n")
    tampered = _run(_minisign(), "-Vm", str(manifest), "-x", f"{manifest}.minisig", "-p", str(pub))
    assert tampered.returncode != 0


def test_bagit_py_validates_extracted_bag(tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    bundle = extract_bundle(s.path, tmp_path / "inbox", s.keypair.public)
    result = _run(sys.executable, "-m", "bagit", "--validate", str(bundle.bag_dir))
    assert result.returncode == 0, result.stderr
    assert "is valid" in result.stderr
    evidence = next((bundle.bag_dir / "data" / "evidence").glob("*.pdf"))
    evidence.write_bytes(evidence.read_bytes()[:-1] + b"X")
    broken = _run(sys.executable, "-m", "bagit", "--validate", str(bundle.bag_dir))
    assert broken.returncode != 0


def test_minisign_signs_with_parapp_secret_key(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    key = tmp_path / "unit.key"
    keys.save_secret_key(kp, key, "mật khẩu", **FAST)
    doc = tmp_path / "doc.txt"
    doc.write_text("Báo cáo\n")
    result = _run(_minisign(), "-S", "-s", str(key), "-m", str(doc), "-t", "ok", stdin="mật khẩu\n")
    assert result.returncode == 0, result.stderr
    sig = Path(f"{doc}.minisig").read_text()
    assert minisign.verify(doc, sig, kp.public) == "ok"
    wrong = _run(_minisign(), "-S", "-s", str(key), "-m", str(doc), stdin="sai\n")
    assert wrong.returncode != 0


def test_parapp_reads_minisign_generated_keys(tmp_path: Path) -> None:
    pub, sec = tmp_path / "m.pub", tmp_path / "m.key"
    made = _run(_minisign(), "-G", "-p", str(pub), "-s", str(sec), stdin="pw\npw\n")
    assert made.returncode == 0, made.stderr
    kp = keys.load_secret_key(sec, "pw")
    assert kp.public == keys.read_public_key(pub)
    doc = tmp_path / "d.bin"
    doc.write_bytes(b"x" * 5000)
    Path(f"{doc}.minisig").write_text(minisign.sign(doc, kp, "tc"))
    checked = _run(_minisign(), "-Vm", str(doc), "-p", str(pub))
    assert checked.returncode == 0, checked.stderr
    with pytest.raises(keys.WrongPassphraseError):
        keys.load_secret_key(sec, "px")
    assert verify_bundle(tmp_path / "none.zip").failure_code == "unreadable"
