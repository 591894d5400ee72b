"""Legal (X.509) signatures: PAdES on PDFs, detached CMS on a bundle's tag manifest, and
their verification against the office's trust store. See ``docs/x509-signing.md``."""
