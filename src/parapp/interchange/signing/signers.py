"""Where the signing key lives: a PKCS#11 token (USB token of VGCA, Viettel-CA, VNPT-CA...)
or a PKCS#12 file. Both give a pyHanko :class:`~pyhanko.sign.signers.Signer`.

The PIN or password is only passed through to the token or the decryptor; it is never kept,
logged or written anywhere. Every failure a user can fix is turned into its own
:mod:`parapp.interchange.signing.errors` class.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from asn1crypto import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from pkcs11.constants import Attribute, ObjectClass, TokenFlag
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.signers import Signer, SimpleSigner

from parapp.fileio import describe_os_error
from parapp.interchange.signing.errors import (
    CertificateExpiredError,
    KeyNotFoundError,
    Pkcs11LibraryError,
    SignatureFileError,
    TokenLockedError,
    TokenNotFoundError,
    WrongPasswordError,
    WrongPinError,
)

MAX_PKCS12_SIZE = 1 << 20  # a .p12 holds a key and a few certificates: kilobytes


@dataclass(frozen=True)
class Pkcs11Source:
    """A key on a PKCS#11 token. Without ``key_label`` the token's only (or first) signing
    key is used, with the certificate that has the same CKA_ID."""

    library: str
    token_label: str | None = None
    key_label: str | None = None


@dataclass(frozen=True)
class Pkcs12Source:
    """A key and its certificate chain in a password-protected PKCS#12 file (.p12, .pfx)."""

    path: Path


SignerSource = Pkcs11Source | Pkcs12Source


@dataclass(frozen=True)
class LoadedSigner:
    """A ready pyHanko signer and the certificate it signs with."""

    signer: Signer
    certificate: x509.Certificate

    @property
    def name(self) -> str:
        """The signer's common name, as shown in the signature and by the verifier."""
        return subject_name(self.certificate)


def subject_name(cert: x509.Certificate) -> str:
    """Common name of a certificate's subject (or its whole subject when it has none)."""
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def check_validity(cert: x509.Certificate, now: datetime.datetime | None = None) -> None:
    """Refuse a certificate outside its validity period, before anything is signed."""
    moment = now or datetime.datetime.now(datetime.UTC)
    validity = cert["tbs_certificate"]["validity"]
    not_before = validity["not_before"].native
    not_after = validity["not_after"].native
    if moment > not_after:
        raise CertificateExpiredError(subject_name(cert), not_after)
    if moment < not_before:
        raise CertificateExpiredError(subject_name(cert), not_before, not_yet=True)


@contextlib.contextmanager
def open_signer(
    source: SignerSource, secret: str, now: datetime.datetime | None = None
) -> Iterator[LoadedSigner]:
    """Open the key for the duration of the ``with`` block (a token session is closed after).

    ``secret`` is the token PIN or the PKCS#12 password.
    """
    if isinstance(source, Pkcs12Source):
        loaded = _load_pkcs12(source.path, secret)
        check_validity(loaded.certificate, now)
        yield loaded
        return
    session = _open_session(source, secret)
    try:
        loaded = _pkcs11_signer(session, source.key_label)
        check_validity(loaded.certificate, now)
        yield loaded
    finally:
        with contextlib.suppress(pkcs11.PKCS11Error):  # token pulled out meanwhile
            session.close()


def _load_pkcs12(path: Path, password: str) -> LoadedSigner:
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_PKCS12_SIZE + 1)
    except OSError as err:
        raise SignatureFileError(describe_os_error(err, path)) from err
    if len(data) > MAX_PKCS12_SIZE:
        raise WrongPasswordError(str(path))
    secret = password.encode("utf-8") if password else None
    try:
        key, cert, _ = pkcs12.load_key_and_certificates(data, secret)
    except (ValueError, TypeError) as err:
        raise WrongPasswordError(str(path)) from err
    if key is None or cert is None:
        raise KeyNotFoundError(f"khóa bí mật và chứng thư số trong tệp “{path.name}”")
    try:
        signer = SimpleSigner.load_pkcs12_data(data, [], secret)
    except ValueError as err:
        raise WrongPasswordError(str(path)) from err
    assert signer.signing_cert is not None
    return LoadedSigner(signer, signer.signing_cert)


def _tries_hint(token: pkcs11.Token) -> str:
    flags = token.flags
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return "Chỉ còn 1 lần thử: nhập sai nữa token sẽ bị khóa."
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return "Token báo đã nhập sai nhiều lần, chỉ còn ít lần thử."
    return ""


def _open_session(source: Pkcs11Source, pin: str) -> pkcs11.Session:
    try:
        lib = pkcs11.lib(source.library)
    except pkcs11.PKCS11Error as err:
        raise Pkcs11LibraryError(source.library) from err
    try:
        tokens = list(lib.get_tokens(token_label=source.token_label))
    except pkcs11.PKCS11Error as err:
        raise TokenNotFoundError(source.token_label) from err
    if not tokens:
        raise TokenNotFoundError(source.token_label)
    token = tokens[0]
    if token.flags & TokenFlag.USER_PIN_LOCKED:
        raise TokenLockedError()
    try:
        return token.open(user_pin=pin)
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.PinInvalid) as err:
        raise WrongPinError(_tries_hint(_fresh(token))) from err
    except pkcs11.PinLocked as err:
        raise TokenLockedError() from err
    except (pkcs11.TokenNotPresent, pkcs11.TokenNotRecognised, pkcs11.DeviceRemoved) as err:
        raise TokenNotFoundError(source.token_label) from err


def _fresh(token: pkcs11.Token) -> pkcs11.Token:
    """The token's flags as they are now (they change after a failed login)."""
    try:
        return token.slot.get_token()
    except pkcs11.PKCS11Error:
        return token


def _pkcs11_signer(session: pkcs11.Session, key_label: str | None) -> LoadedSigner:
    key_id: bytes | None = None
    if key_label is None:
        keys = list(
            session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True})
        )
        if not keys:
            raise KeyNotFoundError("khóa bí mật nào dùng để ký")
        key_id = bytes(keys[0][Attribute.ID])
    try:
        signer = PKCS11Signer(session, key_label=key_label, key_id=key_id)
        cert = signer.signing_cert
    except pkcs11.PKCS11Error as err:
        what = f"khóa/chứng thư số có nhãn “{key_label}”" if key_label else "chứng thư số"
        raise KeyNotFoundError(what) from err
    if cert is None:
        raise KeyNotFoundError("chứng thư số của khóa ký")
    return LoadedSigner(signer, cert)
