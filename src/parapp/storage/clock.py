"""Timestamps as stored: ISO 8601 UTC with seconds. One place, so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")
