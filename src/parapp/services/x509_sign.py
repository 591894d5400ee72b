"""Sign a PDF with the official's certificate, verify one against the office's trust store:
the service layer the CLI (``parapp sign``, ``parapp pdf verify``) and the UI share."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from parapp.interchange.signing.pdf import (
    PdfVerifyResult,
    SignerDetails,
    SignOptions,
    sign_pdf,
    verify_pdf,
)
from parapp.interchange.signing.signers import (
    Pkcs11Source,
    Pkcs12Source,
    SignerSource,
    open_signer,
)
from parapp.services.x509_trust import load_trust_store

#: what the sign dialog builds its request from (the UI reaches interchange only here)
__all__ = [
    "Pkcs11Source",
    "Pkcs12Source",
    "SignRequest",
    "SignerDetails",
    "SignerSource",
    "sign_pdf_file",
    "verify_pdf_file",
]


@dataclass(frozen=True)
class SignRequest:
    """Everything a signature needs but the secrets (asked each time, never stored)."""

    source: SignerSource
    details: SignerDetails = field(default_factory=SignerDetails)
    seal_image: Path | None = None
    organisation: SignerSource | None = None
    timestamp_url: str | None = None


def sign_pdf_file(
    src: Path, dest: Path, request: SignRequest, secret: str, organisation_secret: str = ""
) -> list[str]:
    """Sign ``src`` into ``dest`` (may be the same file); returns the signers' names.

    Used after printing too (``parapp print report … --sign``): print to a file, then sign it
    in place, so the signed PDF replaces the unsigned one atomically.
    """
    with contextlib.ExitStack() as stack:
        person = stack.enter_context(open_signer(request.source, secret))
        org = None
        if request.organisation is not None:
            org = stack.enter_context(open_signer(request.organisation, organisation_secret))
        options = SignOptions(
            details=request.details,
            seal_image=request.seal_image,
            organisation=org,
            timestamp_url=request.timestamp_url,
        )
        sign_pdf(Path(src), Path(dest), person, options)
        return [person.name] + ([org.name] if org is not None else [])


def verify_pdf_file(data_dir: Path, path: Path) -> PdfVerifyResult:
    """Verify every signature of ``path`` against the workspace's trust store."""
    return verify_pdf(Path(path), load_trust_store(data_dir))
