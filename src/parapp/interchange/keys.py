"""Ed25519 unit keys, stored in minisign's own file formats.

A unit signs its bundles with one Ed25519 key. The key files are minisign's, byte for byte,
so a receiving office (or an auditor) can check a bundle with the stock ``minisign`` tool and
even sign with ParApp's secret key file from the command line:

* public key: ``untrusted comment: …`` + base64(``"Ed"`` ‖ key id (8) ‖ public key (32));
* secret key: ``untrusted comment: …`` + base64(``"Ed"`` ‖ ``"Sc"`` ‖ ``"B2"`` ‖ salt (32) ‖
  opslimit (u64 LE) ‖ memlimit (u64 LE) ‖ (key id ‖ secret key (64) ‖ checksum (32)) XOR
  scrypt(passphrase)). The checksum is BLAKE2b-256 of ``"Ed"`` ‖ key id ‖ secret key, so a
  wrong passphrase is detected (and reported in Vietnamese) instead of producing a wrong key.

The passphrase is normalised to Unicode NFC before use, so the same Vietnamese passphrase
typed through different input methods opens the same key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from parapp.fileio import atomic_write_text
from parapp.models.errors import ParAppError, WrongPassphrase

SIG_ALG = b"Ed"
KDF_ALG = b"Sc"
KDF_NONE = b"\x00\x00"
CHK_ALG = b"B2"
KEY_ID_BYTES = 8
PUBLIC_KEY_BYTES = 32
SECRET_KEY_BYTES = 64  # libsodium layout: seed (32) ‖ public key (32)
SALT_BYTES = 32
CHECKSUM_BYTES = 32
_KEYNUM_SK_BYTES = KEY_ID_BYTES + SECRET_KEY_BYTES + CHECKSUM_BYTES

# libsodium's crypto_pwhash_scryptsalsa208sha256_*_SENSITIVE: minisign's defaults
# (scrypt N = 2**20, r = 8, p = 1: 1 GiB of memory, a few seconds).
OPSLIMIT_SENSITIVE = 33_554_432
MEMLIMIT_SENSITIVE = 1_073_741_824
# ..._INTERACTIVE (N = 2**14, 16 MiB): only for tests and throw-away keys.
OPSLIMIT_INTERACTIVE = 524_288
MEMLIMIT_INTERACTIVE = 16_777_216
_MAX_N_LOG2 = 22  # refuse key files asking for more than 4 GiB of scrypt memory

PUBLIC_KEY_COMMENT = "minisign public key"
SECRET_KEY_COMMENT = "minisign encrypted secret key"

# Crockford's base32 alphabet: no I, L, O, U, so a fingerprint read over the phone is unambiguous.
_FINGERPRINT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class KeyFileError(ParAppError):
    """A key file cannot be read (malformed, wrong kind of file, unsupported algorithm)."""


class WrongPassphraseError(WrongPassphrase):
    """The passphrase does not open the secret key."""


# Encodings of the Ed25519 points of small order (the identity, and points of order 2, 4
# and 8), as libsodium's ``has_small_order`` lists them; compared with the sign bit cleared.
# A signature by such a "key" can be forged for any message, so no unit may own one.
_SMALL_ORDER = frozenset(
    bytes.fromhex(h)
    for h in (
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    )
)


def is_weak_public_key(key: bytes) -> bool:
    """True for an Ed25519 public key of small order (all zeros among them)."""
    return key[:31] + bytes([key[31] & 0x7F]) in _SMALL_ORDER if len(key) == 32 else True


@dataclass(frozen=True)
class PublicKey:
    """A unit's public key with its minisign key id (8 random bytes chosen at generation)."""

    key_id: bytes
    key: bytes

    def __post_init__(self) -> None:
        if len(self.key_id) != KEY_ID_BYTES or len(self.key) != PUBLIC_KEY_BYTES:
            raise KeyFileError("Khóa công khai không hợp lệ.")
        if is_weak_public_key(self.key):
            raise KeyFileError(
                "Khóa công khai không hợp lệ: đây là khóa yếu (điểm bậc nhỏ, ví dụ toàn số 0) "
                "mà ai cũng giả được chữ ký. Không tin khóa này."
            )

    @property
    def key_id_hex(self) -> str:
        """The key id as minisign prints it: the 8 bytes as a little-endian number, in hex."""
        return f"{int.from_bytes(self.key_id, 'little'):016X}"

    @property
    def fingerprint(self) -> str:
        return fingerprint(self)

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Raw Ed25519 verification; False for any bad signature."""
        try:
            Ed25519PublicKey.from_public_bytes(self.key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class KeyPair:
    """A public key and the 32-byte Ed25519 seed. ``repr`` never shows the seed."""

    public: PublicKey
    seed: bytes = field(repr=False)

    def sign(self, message: bytes) -> bytes:
        """Raw Ed25519 signature (64 bytes)."""
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)


def _keypair_from_seed(seed: bytes, key_id: bytes) -> KeyPair:
    private = Ed25519PrivateKey.from_private_bytes(seed)
    raw_pub = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return KeyPair(PublicKey(key_id, raw_pub), seed)


def generate_keypair() -> KeyPair:
    """A fresh key pair with a random key id, as ``minisign -G`` would make."""
    return _keypair_from_seed(secrets.token_bytes(32), secrets.token_bytes(KEY_ID_BYTES))


# -- fingerprint ------------------------------------------------------------------------------
def fingerprint(pub: PublicKey) -> str:
    """Short, phone-readable fingerprint: ``"K7QM-3XPA-9D2F-HW4N"``.

    The first 80 bits of SHA-256 of the raw 32-byte public key, in Crockford base32, grouped
    by four. Two people compare it over the phone before the receiving office trusts a key.
    """
    digest = int.from_bytes(hashlib.sha256(pub.key).digest()[:10], "big")
    chars = [_FINGERPRINT_ALPHABET[(digest >> (5 * (15 - i))) & 31] for i in range(16)]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


# -- public key files -------------------------------------------------------------------------
def public_key_to_base64(pub: PublicKey) -> str:
    """The second line of a minisign ``.pub`` file (also used in bag-info and JSON)."""
    return base64.b64encode(SIG_ALG + pub.key_id + pub.key).decode("ascii")


def public_key_from_base64(text: str) -> PublicKey:
    try:
        raw = base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as err:
        raise KeyFileError("Khóa công khai không đúng định dạng minisign.") from err
    if len(raw) != 2 + KEY_ID_BYTES + PUBLIC_KEY_BYTES or raw[:2] != SIG_ALG:
        raise KeyFileError(
            "Khóa công khai không đúng định dạng minisign (sai độ dài hoặc thuật toán)."
        )
    return PublicKey(raw[2:10], raw[10:])


def public_key_to_minisign(pub: PublicKey) -> str:
    """The text of a stock minisign ``.pub`` file (the key id travels inside ``pub``)."""
    return (
        f"untrusted comment: {PUBLIC_KEY_COMMENT} {pub.key_id_hex}\n{public_key_to_base64(pub)}\n"
    )


def public_key_from_minisign(text: str) -> PublicKey:
    """Parse a ``.pub`` file's text, or the bare base64 line (as ``minisign -P`` takes).

    Tolerates what Windows editors add: a byte-order mark and CRLF line ends.
    """
    text = text.lstrip("\ufeff")
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    if len(lines) == 2 and lines[0].startswith("untrusted comment:"):
        return public_key_from_base64(lines[1])
    if len(lines) == 1:
        return public_key_from_base64(lines[0])
    raise KeyFileError("Tệp khóa công khai không đúng định dạng minisign.")


def write_public_key(pub: PublicKey, path: Path | str) -> None:
    atomic_write_text(path, public_key_to_minisign(pub))


MAX_PUBLIC_KEY_FILE = 64 * 1024


def read_public_key(path: Path | str) -> PublicKey:
    """Read a ``.pub`` file: UTF-8 (with or without BOM) or UTF-16 with BOM (Notepad's
    "Unicode"), any line ends."""
    try:
        with Path(path).open("rb") as fh:
            raw = fh.read(MAX_PUBLIC_KEY_FILE + 1)
        if len(raw) > MAX_PUBLIC_KEY_FILE:
            raise KeyFileError(f"Tệp “{path}” quá lớn, không phải tệp khóa công khai.")
        encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
        text = raw.decode(encoding)
    except (OSError, UnicodeDecodeError) as err:
        raise KeyFileError(f"Không đọc được tệp khóa công khai “{path}”.") from err
    return public_key_from_minisign(text)


# -- secret key files -------------------------------------------------------------------------
def scrypt_params(opslimit: int, memlimit: int) -> tuple[int, int, int]:
    """(log2 N, r, p) exactly as libsodium's ``pickparams`` derives them, so files agree."""
    opslimit = max(opslimit, 32768)
    r = 8
    cpu_bound = opslimit < memlimit // 32
    max_n = opslimit // (r * 4) if cpu_bound else memlimit // (r * 128)
    n_log2 = 1
    while n_log2 < 63 and (1 << n_log2) <= max_n // 2:
        n_log2 += 1
    p = 1
    if not cpu_bound:
        max_rp = min((opslimit // 4) // (1 << n_log2), 0x3FFFFFFF)
        p = max(max_rp // r, 1)
    return n_log2, r, p


def _kdf_stream(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    n_log2, r, p = scrypt_params(opslimit, memlimit)
    if n_log2 > _MAX_N_LOG2 or p > 16:
        raise KeyFileError("Tệp khóa bí mật đòi hỏi tham số mã hóa quá lớn, không mở được.")
    password = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    need = 128 * r * (1 << n_log2) + 128 * r * p + 1024 * 1024
    try:
        return hashlib.scrypt(
            password, salt=salt, n=1 << n_log2, r=r, p=p, maxmem=need, dklen=_KEYNUM_SK_BYTES
        )
    except (MemoryError, ValueError) as err:
        raise ParAppError(
            "Không đủ bộ nhớ để mở khóa bí mật (cần khoảng "
            f"{(128 * r * (1 << n_log2)) >> 20} MB). Hãy đóng bớt chương trình rồi thử lại."
        ) from err


def _checksum(key_id: bytes, secret: bytes) -> bytes:
    return hashlib.blake2b(SIG_ALG + key_id + secret, digest_size=CHECKSUM_BYTES).digest()


def secret_key_to_minisign(
    kp: KeyPair,
    passphrase: str,
    *,
    opslimit: int = OPSLIMIT_SENSITIVE,
    memlimit: int = MEMLIMIT_SENSITIVE,
) -> str:
    """The text of a minisign encrypted secret key file for ``kp``."""
    if not passphrase:
        raise ParAppError("Mật khẩu không được để trống.")
    secret = kp.seed + kp.public.key
    salt = secrets.token_bytes(SALT_BYTES)
    plain = kp.public.key_id + secret + _checksum(kp.public.key_id, secret)
    stream = _kdf_stream(passphrase, salt, opslimit, memlimit)
    encrypted = bytes(a ^ b for a, b in zip(plain, stream, strict=True))
    blob = (
        SIG_ALG
        + KDF_ALG
        + CHK_ALG
        + salt
        + opslimit.to_bytes(8, "little")
        + memlimit.to_bytes(8, "little")
        + encrypted
    )
    return f"untrusted comment: {SECRET_KEY_COMMENT}\n{base64.b64encode(blob).decode('ascii')}\n"


def secret_key_from_minisign(text: str, passphrase: str) -> KeyPair:
    """Decrypt a minisign secret key file's text. Unencrypted (``-W``) keys are accepted too."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    bad = KeyFileError("Tệp khóa bí mật không đúng định dạng minisign.")
    if len(lines) != 2 or not lines[0].startswith("untrusted comment:"):
        raise bad
    try:
        blob = base64.b64decode(lines[1].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as err:
        raise bad from err
    header = 6 + SALT_BYTES + 16
    if len(blob) != header + _KEYNUM_SK_BYTES:
        raise bad
    sig_alg, kdf_alg, chk_alg = blob[0:2], blob[2:4], blob[4:6]
    if sig_alg != SIG_ALG or chk_alg != CHK_ALG or kdf_alg not in (KDF_ALG, KDF_NONE):
        raise KeyFileError("Tệp khóa bí mật dùng thuật toán không được hỗ trợ.")
    salt = blob[6 : 6 + SALT_BYTES]
    opslimit = int.from_bytes(blob[6 + SALT_BYTES : 14 + SALT_BYTES], "little")
    memlimit = int.from_bytes(blob[14 + SALT_BYTES : header], "little")
    body = blob[header:]
    if kdf_alg == KDF_ALG:
        stream = _kdf_stream(passphrase, salt, opslimit, memlimit)
        body = bytes(a ^ b for a, b in zip(body, stream, strict=True))
    key_id = body[:KEY_ID_BYTES]
    secret = body[KEY_ID_BYTES : KEY_ID_BYTES + SECRET_KEY_BYTES]
    chk = body[KEY_ID_BYTES + SECRET_KEY_BYTES :]
    if not hmac.compare_digest(chk, _checksum(key_id, secret)):
        raise WrongPassphraseError()
    kp = _keypair_from_seed(secret[:32], key_id)
    if kp.public.key != secret[32:]:
        raise bad
    return kp


def save_secret_key(
    kp: KeyPair,
    path: Path | str,
    passphrase: str,
    *,
    opslimit: int = OPSLIMIT_SENSITIVE,
    memlimit: int = MEMLIMIT_SENSITIVE,
) -> None:
    """Write the encrypted secret key atomically, readable only by the owner where possible."""
    text = secret_key_to_minisign(kp, passphrase, opslimit=opslimit, memlimit=memlimit)
    atomic_write_text(path, text)
    with contextlib.suppress(OSError):  # e.g. a FAT-formatted USB stick
        os.chmod(path, 0o600)


def load_secret_key(path: Path | str, passphrase: str) -> KeyPair:
    """Open a secret key file; a wrong passphrase raises :class:`WrongPassphraseError`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise KeyFileError(f"Không đọc được tệp khóa bí mật “{path}”.") from err
    return secret_key_from_minisign(text, passphrase)
