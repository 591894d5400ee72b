"""Writing a signed bundle to an officer's folder without ever leaving a partial file there.

Shared by the commune's export, the office's bundle upward and the appraisal result: the
bundle is written in the workspace's ``tmp/`` folder and only then moved to the chosen
file (:func:`parapp.storage.scratch.publish`), so a crash, a kill or a cancel leaves
nothing in the officer's folder and the next start removes the partial file.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parapp import __version__
from parapp.interchange.bundle import BundleInfo, BundleResult, EvidenceFile, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.units import Unit
from parapp.services.workspace import Workspace
from parapp.storage.scratch import publish, scratch_dir


def utc_stamp() -> str:
    """Now, as every bundle's ``created_at`` says it: ISO 8601, UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def own_bundle_info(
    unit: Unit,
    framework_id: str,
    framework_hash: str,
    period: str,
    revision: int,
    approver: str,
    approver_position: str,
    created_at: str | None = None,
    **more: Any,
) -> BundleInfo:
    """What ``bag-info.txt`` says of a bundle ``unit`` signs: the commune's self-assessment,
    the office's bundle upward and its appraisal result differ only in ``more`` (``kind``,
    ``extra``)."""
    return BundleInfo(
        unit_code=unit.code,
        unit_name=unit.name,
        unit_level=unit.level.value,
        parent_unit=unit.parent_code or "",
        framework_id=framework_id,
        framework_hash=framework_hash,
        period=period,
        revision=revision,
        created_at=created_at or utc_stamp(),
        app_version=__version__,
        approver=approver,
        approver_position=approver_position,
        **more,
    )


def write_bundle_via_workspace(
    ws: Workspace,
    target: Path,
    info: BundleInfo,
    doc: dict[str, Any],
    evidence: list[EvidenceFile],
    keypair: KeyPair,
    *args: Any,
    **kwargs: Any,
) -> BundleResult:
    """:func:`parapp.interchange.bundle.write_bundle` to ``target`` through ``tmp/``."""
    work = scratch_dir(ws.data_dir, "bundle")
    try:
        result = write_bundle(work / target.name, info, doc, evidence, keypair, *args, **kwargs)
        publish(ws.data_dir, result.path, target)
        return replace(result, path=target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
