"""Checking a bundle from the UI: the verifier and the key fingerprint people read aloud.

The UI reaches the bundle format only through services; this names the two things its
check dialog needs (:func:`verify_bundle` never trusts the file, see
:mod:`parapp.interchange.bundle`)."""

from __future__ import annotations

from parapp.interchange.bundle import VerifyReport, verify_bundle
from parapp.interchange.keys import PublicKey, fingerprint

__all__ = ["PublicKey", "VerifyReport", "fingerprint", "verify_bundle"]
