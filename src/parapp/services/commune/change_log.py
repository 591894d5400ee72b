"""The change log a commune's bundle carries: what changed since its previous revision, and
why (from the audit trail), so the office sees the answers to its requests in context."""

from __future__ import annotations

from typing import Any

from parapp.models.assessment import Assessment
from parapp.services.workspace import Workspace
from parapp.storage.audit_repo import AuditRepo

MAX_ENTRIES = 5000
FIELDS = ("at", "actor", "code", "field", "before", "after", "reason")


def changes_since(ws: Workspace, a: Assessment, since: str) -> list[dict[str, Any]]:
    """Audit entries of ``a`` recorded after ``since`` (ISO UTC; ``""``: all), oldest first,
    at most the last :data:`MAX_ENTRIES`."""
    rows = [
        {k: str(r[k]) for k in FIELDS}
        for r in AuditRepo(ws.db).entries(a.unit_code, a.period)
        if str(r["at"]) > since
    ]
    return rows[-MAX_ENTRIES:]
