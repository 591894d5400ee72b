"""Interchange layer: Excel, PDF, bundles and keys. Files in, files out; no SQL, no Qt."""
