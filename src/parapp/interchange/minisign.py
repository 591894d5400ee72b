"""minisign signatures: the format ``minisign -V`` checks, written and read without minisign.

A signature file has four lines::

    untrusted comment: <free text, not signed>
    base64("ED" ‖ key id (8) ‖ Ed25519(BLAKE2b-512(file)) (64))
    trusted comment: <text>
    base64(Ed25519(signature (64) ‖ trusted comment bytes))

``"ED"`` (pre-hashed, minisign's default since 0.8) lets a file of any size be signed by
streaming it through BLAKE2b-512. The legacy ``"Ed"`` form (Ed25519 over the raw file) is
accepted when verifying. The trusted comment is covered by the second ("global") signature,
so it can carry facts (unit, revision) that must not be altered.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from parapp.interchange.keys import KEY_ID_BYTES, KeyPair, PublicKey
from parapp.models.errors import ParAppError

ALG_PREHASHED = b"ED"
ALG_LEGACY = b"Ed"
UNTRUSTED_PREFIX = "untrusted comment: "
TRUSTED_PREFIX = "trusted comment: "
MAX_COMMENT_BYTES = 8192  # minisign's TRUSTEDCOMMENTMAXBYTES
_CHUNK = 1 << 20

Data = bytes | BinaryIO | Path


class SignatureError(ParAppError):
    """A signature does not hold. ``code`` says why, for programs; the text, for people."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Signature:
    """A parsed signature file (nothing in it is trusted until :func:`verify` says so)."""

    algorithm: bytes
    key_id: bytes
    signature: bytes
    untrusted_comment: str
    trusted_comment: str
    global_signature: bytes

    @property
    def key_id_hex(self) -> str:
        return f"{int.from_bytes(self.key_id, 'little'):016X}"


def _chunks(data: Data) -> Iterable[bytes]:
    if isinstance(data, bytes):
        yield data
    elif isinstance(data, Path):
        with data.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    else:
        while chunk := data.read(_CHUNK):
            yield chunk


def prehash(data: Data) -> bytes:
    """BLAKE2b-512 of the data, streamed in 1 MiB chunks."""
    h = hashlib.blake2b(digest_size=64)
    for chunk in _chunks(data):
        h.update(chunk)
    return h.digest()


def _check_comment(text: str, what: str) -> bytes:
    raw = text.encode("utf-8")
    if "\n" in text or "\r" in text or len(raw) > MAX_COMMENT_BYTES:
        raise ParAppError(f"Chú thích {what} của chữ ký không hợp lệ (xuống dòng hoặc quá dài).")
    return raw


def sign(
    data: Data,
    keypair: KeyPair,
    trusted_comment: str,
    untrusted_comment: str = "signature from ParApp secret key",
) -> str:
    """The text of a minisign signature file (``"ED"`` algorithm) for ``data``."""
    trusted = _check_comment(trusted_comment, "tin cậy")
    _check_comment(untrusted_comment, "không tin cậy")
    signature = keypair.sign(prehash(data))
    global_signature = keypair.sign(signature + trusted)
    line2 = base64.b64encode(ALG_PREHASHED + keypair.public.key_id + signature).decode("ascii")
    line4 = base64.b64encode(global_signature).decode("ascii")
    return (
        f"{UNTRUSTED_PREFIX}{untrusted_comment}\n{line2}\n"
        f"{TRUSTED_PREFIX}{trusted_comment}\n{line4}\n"
    )


def _malformed(detail: str) -> SignatureError:
    return SignatureError("malformed", f"Tệp chữ ký không đúng định dạng minisign: {detail}.")


def _b64(line: str, length: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(line.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as err:
        raise _malformed(f"{what} không phải base64") from err
    if len(raw) != length:
        raise _malformed(f"{what} sai độ dài")
    return raw


def parse_signature(text: str) -> Signature:
    """Parse a signature file's text; raises :class:`SignatureError` (``malformed``)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln.removesuffix("\r") for ln in lines]
    if len(lines) != 4:
        raise _malformed("phải có đúng 4 dòng")
    if not lines[0].startswith(UNTRUSTED_PREFIX):
        raise _malformed("dòng 1 phải bắt đầu bằng “untrusted comment:”")
    if not lines[2].startswith(TRUSTED_PREFIX):
        raise _malformed("dòng 3 phải bắt đầu bằng “trusted comment:”")
    head = _b64(lines[1], 2 + KEY_ID_BYTES + 64, "dòng chữ ký")
    algorithm = head[:2]
    if algorithm not in (ALG_PREHASHED, ALG_LEGACY):
        raise SignatureError(
            "unsupported_algorithm", "Chữ ký dùng thuật toán không được hỗ trợ (chỉ nhận Ed25519)."
        )
    trusted = lines[2][len(TRUSTED_PREFIX) :]
    if len(trusted.encode("utf-8")) > MAX_COMMENT_BYTES:
        raise _malformed("chú thích tin cậy quá dài")
    return Signature(
        algorithm=algorithm,
        key_id=head[2:10],
        signature=head[10:],
        untrusted_comment=lines[0][len(UNTRUSTED_PREFIX) :],
        trusted_comment=trusted,
        global_signature=_b64(lines[3], 64, "dòng chữ ký toàn cục"),
    )


def verify(data: Data, sig_text: str, pubkey: PublicKey) -> str:
    """Check ``sig_text`` over ``data`` with ``pubkey``; return the trusted comment.

    Raises :class:`SignatureError` with code ``malformed``, ``unsupported_algorithm``,
    ``wrong_key`` (signed by another key), ``bad_signature`` (data changed or forged) or
    ``bad_trusted_comment`` (the trusted comment was altered).
    """
    sig = parse_signature(sig_text)
    if sig.key_id != pubkey.key_id:
        raise SignatureError(
            "wrong_key",
            f"Đây là chữ ký của khóa khác (mã khóa {sig.key_id_hex}), "
            f"không phải của khóa đang dùng để kiểm tra (mã khóa {pubkey.key_id_hex}).",
        )
    if sig.algorithm == ALG_PREHASHED:
        message = prehash(data)
    else:
        message = b"".join(_chunks(data))
    if not pubkey.verify(sig.signature, message):
        raise SignatureError(
            "bad_signature",
            "Chữ ký không khớp với nội dung: tệp đã bị thay đổi sau khi ký, "
            "hoặc chữ ký không phải do khóa này tạo ra.",
        )
    if not pubkey.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode()):
        raise SignatureError(
            "bad_trusted_comment", "Chú thích tin cậy của chữ ký đã bị sửa sau khi ký."
        )
    return sig.trusted_comment
