"""Receiving office: importing 200 child bundles of 20 MB each in one go.

Baseline on the same payload: ``sha256sum -c`` over the evidence files the bundles carry
(what an officer would do by hand to check them). Target: the whole import (copy + hash of
each bundle, signature and manifest checks, extraction, evidence into the store, database)
≤ 1.5× the baseline.

``python -m bench.bench_inbox [--small]`` (or ``PARAPP_BENCH_SMALL=1``: 20 × 2 MB).
Needs about 4 × the payload of free disk (sources, bundles, inbox copies, evidence store).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, EvidenceFile, make_assessment_doc, write_bundle
from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys
from parapp.services.office.inbox import import_bundles
from parapp.services.workspace import Workspace

TARGET = 1.5
FILES_PER_BUNDLE = 4


def _sample_framework() -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.models.sample_framework import sample_framework

    return sample_framework()


def _make_bundles(root: Path, units: int, bundle_mb: int) -> tuple[list[Path], Path, Any, Any]:
    fw = _sample_framework()
    kp = keys.generate_keypair()
    src, out = root / "src", root / "bundles"
    src.mkdir()
    out.mkdir()
    size = bundle_mb * (1 << 20) // FILES_PER_BUNDLE
    base = os.urandom(size)
    manifest = []
    paths = []
    leaves = [c.code for c in fw.leaves() if not c.survey_only]
    import hashlib

    for n in range(units):
        code = f"X{n:03d}"
        evidence, answers = [], []
        for k in range(FILES_PER_BUNDLE):
            data = f"{code}-{k}".encode().ljust(64, b"\0") + base[64:]
            path = src / f"{code}-{k}.pdf"
            path.write_bytes(data)
            sha = hashlib.sha256(data).hexdigest()
            manifest.append(f"{sha}  {path}\n")
            evidence.append(EvidenceFile(sha, len(data), path, path.name))
            answers.append(
                Answer(
                    leaves[k % len(leaves)] if k < len(leaves) else leaves[0],
                    self_score=0.0,
                    evidence=(EvidenceLink(sha, path.name, len(data)),),
                )
            )
        merged: dict[str, Answer] = {}
        for a in answers:  # several files on one item when there are few items
            old = merged.get(a.code)
            merged[a.code] = (
                a
                if old is None
                else Answer(a.code, self_score=0.0, evidence=old.evidence + a.evidence)
            )
        info = BundleInfo(code, f"Xã {n}", "commune", "D01", fw.id, fw.content_hash, "2026", 1,
                          "2026-01-05T08:00:00Z", "bench", "Trần Văn An", "Chủ tịch")  # fmt: skip
        doc = make_assessment_doc(info, fw, merged.values())
        target = out / f"hoso-{code}-2026-r1.zip"
        write_bundle(target, info, doc, evidence, kp)
        paths.append(target)
    (root / "payload.sha256").write_text("".join(manifest))
    return paths, root / "payload.sha256", kp, fw


def run(argv: list[str] | None = None) -> list[dict[str, Any]]:
    small = "--small" in (argv or []) or bool(os.environ.get("PARAPP_BENCH_SMALL"))
    units, mb = (20, 2) if small else (200, 20)
    units = int(os.environ.get("PARAPP_BENCH_UNITS", units))
    root = Path(tempfile.mkdtemp(prefix="parapp-bench-inbox-"))
    try:
        free = shutil.disk_usage(root).free
        if free < 4.5 * units * mb * (1 << 20):
            return [{"name": "inbox import", "value": 0.0, "unit": "×", "target": f"≤{TARGET}",
                     "ok": None, "skipped": f"không đủ đĩa trống ({free >> 30} GiB)"}]  # fmt: skip
        print(f"  tạo {units} hồ sơ × {mb} MB…", flush=True)
        _, manifest, kp, fw = _make_bundles(root, units, mb)

        os.sync()  # both runs start with the set-up's writes on disk
        start = time.perf_counter()
        subprocess.run(["sha256sum", "-c", "--quiet", str(manifest)], check=True)
        baseline = time.perf_counter() - start

        ws = Workspace.open(root / "office", backup=False)
        try:
            ws.save_framework(fw)
            ws.set_own_unit(
                Unit("D01", "Huyện Mẫu", UnitLevel.DISTRICT, "P01"),
                Unit("P01", "Tỉnh Mẫu", UnitLevel.PROVINCE),
            )
            pub = root / "unit.pub"
            keys.write_public_key(kp.public, pub)
            for n in range(units):
                ws.add_unit(Unit(f"X{n:03d}", f"Xã {n}", UnitLevel.COMMUNE, "D01"))
                trusted_keys.enrol_key_file(ws, f"X{n:03d}", pub)
            calls: list[int] = []
            os.sync()
            start = time.perf_counter()
            report = import_bundles(ws, [root / "bundles"], lambda d, t: calls.append(d))
            seconds = time.perf_counter() - start
            ok_count = report.count("ok")
        finally:
            ws.close()
        ratio = seconds / baseline if baseline else float("inf")
        return [
            {
                "name": f"inbox import {units}×{mb} MB",
                "value": ratio,
                "unit": "×",
                "seconds": round(seconds, 2),
                "baseline_seconds": round(baseline, 2),
                "ratio": round(ratio, 3),
                "target": f"≤{TARGET}",
                "ok": ratio <= TARGET and ok_count == units and bool(calls),
                "imported_ok": ok_count,
            }
        ]
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    for row in run(sys.argv[1:]):
        print(row)
