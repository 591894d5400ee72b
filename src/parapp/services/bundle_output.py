"""Writing a signed bundle to an officer's folder without ever leaving a partial file there.

Shared by the commune's export, the office's bundle upward and the appraisal result: the
bundle is written in the workspace's ``tmp/`` folder and only then moved to the chosen
file (:func:`parapp.storage.scratch.publish`), so a crash, a kill or a cancel leaves
nothing in the officer's folder and the next start removes the partial file.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from parapp.interchange.bundle import BundleInfo, BundleResult, EvidenceFile, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.services.workspace import Workspace
from parapp.storage.scratch import publish, scratch_dir


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
