"""Key rotation statements: the old key vouches for the new one.

Apart from :mod:`parapp.interchange.keys` because a statement is a minisign signature, and
minisign itself needs the key types: keeping rotation here leaves the import graph acyclic.
"""

from __future__ import annotations

from parapp.interchange.keys import (
    KeyFileError,
    KeyPair,
    PublicKey,
    fingerprint,
    public_key_from_base64,
    public_key_to_base64,
)
from parapp.interchange.minisign import SignatureError, sign, verify

ROTATION_HEADER = "ParApp key rotation statement v1"


def make_rotation_statement(old: KeyPair, new_pub: PublicKey, when: str = "") -> str:
    """A text, signed by the old key, saying the unit now signs with ``new_pub``.

    The receiving office that trusts the old key can then trust the new one without a phone
    call. Layout: header, ``old-key:``, ``new-key:``, ``new-fingerprint:``, ``date:`` lines,
    then a minisign signature (4 lines) of the text before it.
    """
    body = (
        f"{ROTATION_HEADER}\n"
        f"old-key: {public_key_to_base64(old.public)}\n"
        f"new-key: {public_key_to_base64(new_pub)}\n"
        f"new-fingerprint: {fingerprint(new_pub)}\n"
        f"date: {when}\n"
    )
    signature = sign(
        body.encode("utf-8"), old, trusted_comment=f"key rotation to {new_pub.key_id_hex}"
    )
    return body + signature


def verify_rotation_statement(text: str, old_pub: PublicKey) -> PublicKey:
    """The new public key, if ``text`` is a rotation statement signed by ``old_pub``."""
    lines = text.splitlines(keepends=True)
    if len(lines) < 9 or lines[0].rstrip("\n") != ROTATION_HEADER:
        raise SignatureError("malformed", "Văn bản chuyển đổi khóa không đúng định dạng.")
    body, sig = "".join(lines[:-4]), "".join(lines[-4:])
    verify(body.encode("utf-8"), sig, old_pub)
    fields = dict(ln.rstrip("\n").split(": ", 1) for ln in lines[1:-4] if ": " in ln)
    if fields.get("old-key") != public_key_to_base64(old_pub) or "new-key" not in fields:
        raise SignatureError("malformed", "Văn bản chuyển đổi khóa không khớp với khóa cũ.")
    try:
        return public_key_from_base64(fields["new-key"])
    except KeyFileError as err:
        raise SignatureError("malformed", str(err)) from err
