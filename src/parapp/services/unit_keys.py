"""The workspace's signing key: creation, passphrase, export, rotation.

The secret key is kept in ``keys/unit.key`` in minisign's own encrypted format (scrypt +
XOR, checksum), so the stock ``minisign -S`` can sign with it too. Non-interactive use (CLI,
tests) reads the passphrase from ``PARAPP_PASSPHRASE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from parapp.fileio import atomic_write_text
from parapp.interchange import key_rotation, keys
from parapp.interchange.keys import KeyPair, PublicKey
from parapp.models.errors import ParAppError
from parapp.services.workspace import Workspace

#: scrypt cost of new keys: 256 MiB and ~1 s on an old PC (minisign's own "sensitive" level
#: needs 1 GiB, too much for many commune PCs). ``PARAPP_KDF_PROFILE=interactive`` makes
#: cheap keys for tests only.
KDF_OPSLIMIT = keys.OPSLIMIT_SENSITIVE
KDF_MEMLIMIT = 256 * 1024 * 1024
MIN_PASSPHRASE = 8


class NoKeyError(ParAppError):
    def __init__(self) -> None:
        super().__init__(
            "Đơn vị chưa có khóa ký số. Hãy tạo khóa (Thiết lập → Khóa ký, hoặc "
            "“parapp keys init”)."
        )


@dataclass(frozen=True)
class KeyStatus:
    public: PublicKey
    fingerprint: str
    created_at: str
    path: Path


def secret_key_path(ws: Workspace) -> Path:
    return ws.data_dir / "keys" / "unit.key"


def passphrase_from_env() -> str | None:
    return os.environ.get("PARAPP_PASSPHRASE")


def _kdf() -> tuple[int, int]:
    if os.environ.get("PARAPP_KDF_PROFILE") == "interactive":
        return keys.OPSLIMIT_INTERACTIVE, keys.MEMLIMIT_INTERACTIVE
    return KDF_OPSLIMIT, KDF_MEMLIMIT


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ParAppError(f"Mật khẩu của khóa phải có ít nhất {MIN_PASSPHRASE} ký tự.")


def key_status(ws: Workspace) -> KeyStatus | None:
    text = ws.settings.get("public_key")
    if not text:
        return None
    pub = keys.public_key_from_minisign(text)
    return KeyStatus(
        pub, keys.fingerprint(pub), str(ws.settings.get("key_created_at", "")), secret_key_path(ws)
    )


def create_key(ws: Workspace, passphrase: str, *, replace: bool = False) -> KeyStatus:
    """Create the unit's key pair. Refuses to overwrite an existing key unless ``replace``."""
    check_passphrase(passphrase)
    if key_status(ws) is not None and not replace:
        raise ParAppError(
            "Đơn vị đã có khóa ký số. Muốn đổi khóa, hãy dùng chức năng đổi khóa "
            "(“parapp keys rotate”) để đơn vị cấp trên tin khóa mới."
        )
    kp = keys.generate_keypair()
    ops, mem = _kdf()
    keys.save_secret_key(kp, secret_key_path(ws), passphrase, opslimit=ops, memlimit=mem)
    _remember_public(ws, kp.public)
    status = key_status(ws)
    assert status is not None
    return status


def _remember_public(ws: Workspace, pub: PublicKey) -> None:
    with ws.db.atomic():
        ws.settings.set("public_key", keys.public_key_to_minisign(pub))
        ws.settings.set("key_created_at", datetime.now(UTC).isoformat(timespec="seconds"))


def unlock(ws: Workspace, passphrase: str) -> KeyPair:
    """The key pair, decrypted; :class:`keys.WrongPassphraseError` on a wrong passphrase."""
    status = key_status(ws)
    if status is None or not status.path.is_file():
        raise NoKeyError()
    kp = keys.load_secret_key(status.path, passphrase)
    if kp.public != status.public:
        raise ParAppError("Tệp khóa bí mật không khớp với khóa công khai của đơn vị.")
    return kp


def export_public(ws: Workspace, out: Path) -> KeyStatus:
    status = key_status(ws)
    if status is None:
        raise NoKeyError()
    keys.write_public_key(status.public, out)
    return status


def rotate_key(ws: Workspace, old_passphrase: str, new_passphrase: str) -> tuple[KeyStatus, Path]:
    """Make a new key, introduced by a statement signed with the old one.

    The statement is saved as ``keys/rotation-<time>.txt``; the unit sends it upward with its
    next bundle (and the office imports it) so the new key is trusted without a phone call.
    The old secret key is kept as ``keys/unit-<time>.key`` so old revisions stay explainable.
    """
    check_passphrase(new_passphrase)
    old = unlock(ws, old_passphrase)
    new = keys.generate_keypair()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    statement = key_rotation.make_rotation_statement(
        old, new.public, datetime.now(UTC).isoformat(timespec="seconds")
    )
    statement_path = ws.data_dir / "keys" / f"rotation-{stamp}.txt"
    atomic_write_text(statement_path, statement)
    secret = secret_key_path(ws)
    pending = secret.with_name("unit.key.new")
    ops, mem = _kdf()
    keys.save_secret_key(new, pending, new_passphrase, opslimit=ops, memlimit=mem)
    secret.replace(secret.with_name(f"unit-{stamp}.key"))
    pending.replace(secret)
    _remember_public(ws, new.public)
    status = key_status(ws)
    assert status is not None
    return status, statement_path
