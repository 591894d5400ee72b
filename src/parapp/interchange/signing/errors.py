"""Errors of X.509 signing and verification, each with its own Vietnamese message.

A commune officer facing a USB token needs to know *which* thing to fix: the PIN, the token,
the driver, the certificate or the office's trust store. One class per cause lets the UI and
the CLI say exactly that, and lets the tests tell the causes apart.
"""

from __future__ import annotations

import datetime

from parapp.models.errors import ParAppError


class X509SignError(ParAppError):
    """Base of every signing/verification problem a user can cause or fix."""


class Pkcs11LibraryError(X509SignError):
    """The PKCS#11 library (the token's driver DLL) cannot be loaded."""

    def __init__(self, library: str) -> None:
        self.library = library
        super().__init__(
            f"Không nạp được thư viện PKCS#11 “{library}”. Hãy cài trình điều khiển (driver) "
            "của USB token và chọn đúng tệp thư viện (ví dụ eTPKCS11.dll, bit4xpki.dll)."
        )


class TokenNotFoundError(X509SignError):
    """No token (or no token with the requested label) is plugged in."""

    def __init__(self, token_label: str | None) -> None:
        self.token_label = token_label
        which = f" có nhãn “{token_label}”" if token_label else ""
        super().__init__(f"Không tìm thấy USB token{which}. Hãy cắm token vào máy rồi thử lại.")


class KeyNotFoundError(X509SignError):
    """The token holds no private key (or certificate) matching what was asked."""

    def __init__(self, what: str) -> None:
        super().__init__(f"Trên USB token không có {what}.")


class WrongPinError(X509SignError):
    """The PIN was refused; ``tries_hint`` is what the token says about tries left."""

    def __init__(self, tries_hint: str = "") -> None:
        self.tries_hint = tries_hint
        tail = f" {tries_hint}" if tries_hint else ""
        super().__init__(f"Mã PIN của USB token không đúng.{tail}")


class TokenLockedError(X509SignError):
    """Too many wrong PINs: the token refuses every login until unlocked."""

    def __init__(self) -> None:
        super().__init__(
            "USB token đã bị khóa do nhập sai mã PIN quá số lần cho phép. Hãy liên hệ tổ chức "
            "cấp chứng thư số để mở khóa."
        )


class WrongPasswordError(X509SignError):
    """The PKCS#12 file could not be decrypted (wrong password or not a PKCS#12 file)."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"Không mở được tệp chứng thư số “{path}”: sai mật khẩu hoặc tệp không phải "
            "PKCS#12 (.p12, .pfx)."
        )


class CertificateExpiredError(X509SignError):
    """The signer's certificate is outside its validity period."""

    def __init__(self, subject: str, not_after: datetime.datetime, not_yet: bool = False) -> None:
        self.subject = subject
        when = not_after.strftime("%d/%m/%Y")
        if not_yet:
            text = f"Chứng thư số của “{subject}” chưa có hiệu lực (hiệu lực từ ngày {when})."
        else:
            text = f"Chứng thư số của “{subject}” đã hết hạn từ ngày {when}."
        super().__init__(text)


class UntrustedCertificateError(X509SignError):
    """The certificate does not chain to a root in the office's trust store."""

    def __init__(self, subject: str) -> None:
        self.subject = subject
        super().__init__(
            f"Chứng thư số của “{subject}” không do tổ chức chứng thực nào trong danh sách tin "
            "cậy của đơn vị cấp (chứng thư gốc chưa được nhập vào kho tin cậy)."
        )


class SignatureFileError(X509SignError):
    """A file to sign or verify is unreadable, not a PDF, or not signed."""
