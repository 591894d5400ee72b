"""Unit keys: minisign key files, passphrases, fingerprints, signatures and key rotation."""

from __future__ import annotations

import base64
import re
import unicodedata
from pathlib import Path

import pytest

from parapp.interchange import key_rotation, keys, minisign
from parapp.interchange.keys import WrongPassphraseError
from parapp.interchange.minisign import SignatureError

FAST = {"opslimit": keys.OPSLIMIT_INTERACTIVE, "memlimit": keys.MEMLIMIT_INTERACTIVE}


def test_secret_key_round_trip_with_minisign_defaults(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    path = tmp_path / "unit.key"
    keys.save_secret_key(kp, path, "mật khẩu dài")
    text = path.read_text()
    assert text.startswith("untrusted comment: minisign encrypted secret key\n")
    blob = base64.b64decode(text.splitlines()[1])
    assert blob[:6] == b"EdScB2" and len(blob) == 158
    assert int.from_bytes(blob[38:46], "little") == 33_554_432  # OPSLIMIT_SENSITIVE
    assert int.from_bytes(blob[46:54], "little") == 1_073_741_824  # MEMLIMIT_SENSITIVE
    assert kp.seed not in blob and kp.seed.hex() not in text
    assert keys.load_secret_key(path, "mật khẩu dài") == kp
    assert (path.stat().st_mode & 0o777) == 0o600


def test_scrypt_params_match_libsodium() -> None:
    assert keys.scrypt_params(keys.OPSLIMIT_SENSITIVE, keys.MEMLIMIT_SENSITIVE) == (20, 8, 1)
    assert keys.scrypt_params(keys.OPSLIMIT_INTERACTIVE, keys.MEMLIMIT_INTERACTIVE) == (14, 8, 1)


def test_wrong_passphrase(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    path = tmp_path / "unit.key"
    keys.save_secret_key(kp, path, "đúng", **FAST)
    with pytest.raises(WrongPassphraseError, match=r"^Mật khẩu không đúng\.$"):
        keys.load_secret_key(path, "sai")


def test_passphrase_is_normalised_to_nfc(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    path = tmp_path / "unit.key"
    keys.save_secret_key(kp, path, unicodedata.normalize("NFD", "Hà Nội"), **FAST)
    assert keys.load_secret_key(path, unicodedata.normalize("NFC", "Hà Nội")) == kp


def test_empty_passphrase_and_garbage_files(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    with pytest.raises(keys.ParAppError):
        keys.save_secret_key(kp, tmp_path / "k", "")
    (tmp_path / "g").write_text("untrusted comment: x\nAAAA\n")
    with pytest.raises(keys.KeyFileError):
        keys.load_secret_key(tmp_path / "g", "x")
    with pytest.raises(keys.KeyFileError):
        keys.load_secret_key(tmp_path / "none", "x")


def test_public_key_text_and_fingerprint() -> None:
    kp = keys.generate_keypair()
    text = keys.public_key_to_minisign(kp.public)
    first, second = text.splitlines()
    assert first == f"untrusted comment: minisign public key {kp.public.key_id_hex}"
    assert base64.b64decode(second) == b"Ed" + kp.public.key_id + kp.public.key
    assert keys.public_key_from_minisign(text) == kp.public
    assert keys.public_key_from_minisign(second) == kp.public
    fp = keys.fingerprint(kp.public)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", fp)
    assert fp != keys.fingerprint(keys.generate_keypair().public)
    with pytest.raises(keys.KeyFileError):
        keys.public_key_from_minisign("untrusted comment: x\nRWQ=\n")


def test_sign_and_verify_reasons(tmp_path: Path) -> None:
    kp, other = keys.generate_keypair(), keys.generate_keypair()
    data = b"noi dung" * 1000
    sig = minisign.sign(data, kp, "unit:20333")
    assert minisign.verify(data, sig, kp.public) == "unit:20333"
    big = tmp_path / "big.bin"
    big.write_bytes(data * 300)
    assert minisign.verify(big, minisign.sign(big, kp, "f"), kp.public) == "f"

    def reason(d: bytes, s: str, pub: keys.PublicKey) -> str:
        with pytest.raises(SignatureError) as info:
            minisign.verify(d, s, pub)
        assert not str(info.value).isascii()
        return info.value.code

    assert reason(data, sig, other.public) == "wrong_key"
    assert reason(data + b"!", sig, kp.public) == "bad_signature"
    lines = sig.split("\n")
    assert (
        reason(data, "\n".join([*lines[:2], "trusted comment: unit:1", *lines[3:]]), kp.public)
        == "bad_trusted_comment"
    )
    assert reason(data, "hello", kp.public) == "malformed"
    assert reason(data, sig.replace("untrusted", "trusted", 1), kp.public) == "malformed"
    with pytest.raises(keys.ParAppError):
        minisign.sign(data, kp, "two\nlines")


def test_key_rotation() -> None:
    old, new, thief = keys.generate_keypair(), keys.generate_keypair(), keys.generate_keypair()
    text = key_rotation.make_rotation_statement(old, new.public, "2025-02-01T00:00:00Z")
    assert keys.fingerprint(new.public) in text
    assert key_rotation.verify_rotation_statement(text, old.public) == new.public
    with pytest.raises(SignatureError) as info:
        key_rotation.verify_rotation_statement(text, thief.public)
    assert info.value.code == "wrong_key"
    forged = text.replace(
        keys.public_key_to_base64(new.public), keys.public_key_to_base64(thief.public)
    )
    with pytest.raises(SignatureError) as info:
        key_rotation.verify_rotation_statement(forged, old.public)
    assert info.value.code == "bad_signature"
    with pytest.raises(SignatureError):
        key_rotation.verify_rotation_statement("hello\n", old.public)
