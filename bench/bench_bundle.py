"""Bundle export/verify speed against stock tools, and memory with 2 GiB of evidence.

Baselines on the same files: export = ``sha256sum`` + ``zip -0 -r`` (hash, then store);
verify = ``sha256sum -c``. Targets: export ≤ 1.5×, verify ≤ 1.3× the baseline; peak RSS of
``write_bundle`` + ``verify_bundle`` over 2 GiB of evidence < 250 MB (child process).

``python -m bench.bench_bundle [--small] [--dir DIR]``; default 200 × 5 MB incompressible
PDF-like files (1 GiB) plus 1 GiB more for the memory run.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parapp.interchange import keys
from parapp.interchange.bundle import (
    BundleInfo,
    EvidenceFile,
    make_assessment_doc,
    verify_bundle,
    write_bundle,
)
from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.framework import Criterion, Framework

MB = 1_000_000


def _make_files(folder: Path, count: int, size: int, prefix: str) -> list[EvidenceFile]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        path = folder / f"{prefix}{i:04d}.pdf"
        h = hashlib.sha256()
        with path.open("wb") as fh:
            left = size
            while left:
                chunk = os.urandom(min(left, 1 << 20))
                h.update(chunk)
                fh.write(chunk)
                left -= len(chunk)
        out.append(EvidenceFile(h.hexdigest(), size, path, path.name))
    return out


def _inputs(evidence: list[EvidenceFile]) -> tuple[BundleInfo, dict[str, Any]]:
    fw = Framework("bench", "Bench", criteria=(Criterion("1", "Một", 10.0),))
    info = BundleInfo("20333", "UBND xã Bench", "commune", "503", fw.id, fw.content_hash,
                      "2024", 1, "2025-01-15T08:30:00Z", "0.1.0", "A", "B")  # fmt: skip
    links = tuple(EvidenceLink(e.sha256, e.original_name, e.size) for e in evidence)
    doc = make_assessment_doc(info, fw, [Answer("1", self_score=5.0, evidence=links)])
    return info, doc


def _best(action: Callable[[], object], repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def _sh(cmd: str, cwd: Path) -> None:
    subprocess.run(cmd, shell=True, check=True, cwd=cwd, stdout=subprocess.DEVNULL)


def rss_child(folder: str, out: str) -> None:
    """Entry of the child process: export and verify every ``*.pdf`` under ``folder``."""
    files = sorted(Path(folder).rglob("*.pdf"))
    evidence = []
    for path in files:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        evidence.append(EvidenceFile(h.hexdigest(), path.stat().st_size, path, path.name))
    info, doc = _inputs(evidence)
    kp = keys.generate_keypair()
    write_bundle(Path(out), info, doc, evidence, kp)
    report = verify_bundle(Path(out), kp.public)
    if not report.ok:
        raise SystemExit(report.first_failure)


def run(argv: list[str] | None = None) -> list[dict[str, Any]]:
    argv = list(argv or [])
    small = "--small" in argv
    base_dir = argv[argv.index("--dir") + 1] if "--dir" in argv else None
    count, size = (20, 1 * MB) if small else (200, 5 * MB)
    extra_count, extra_size = (20, 1 * MB) if small else (100, 10_737_419)  # +1 GiB
    if shutil.which("zip") is None or shutil.which("sha256sum") is None:
        raise SystemExit("bench_bundle needs `zip` and `sha256sum` (apt-get install -y zip)")
    root = Path(tempfile.mkdtemp(prefix="parapp-bench-", dir=base_dir))
    try:
        ev_dir = root / "evidence"
        evidence = _make_files(ev_dir, count, size, "scan")
        info, doc = _inputs(evidence)
        kp = keys.generate_keypair()
        total = count * size

        def baseline_export() -> None:
            (root / "base.zip").unlink(missing_ok=True)
            _sh("sha256sum evidence/*.pdf > sums.txt && zip -q -0 -r base.zip evidence", root)

        def parapp_export() -> None:
            write_bundle(root / "bundle.zip", info, doc, evidence, kp)

        t_base_export = _best(baseline_export)
        t_export = _best(parapp_export)
        t_base_verify = _best(lambda: _sh("sha256sum --quiet -c sums.txt", root))
        reports = []
        t_verify = _best(lambda: reports.append(verify_bundle(root / "bundle.zip", kp.public)))
        assert all(r.ok for r in reports), reports[-1].first_failure

        _make_files(root / "evidence-2", extra_count, extra_size, "more")
        code = (
            "import sys; from bench.bench_bundle import rss_child; "
            "rss_child(sys.argv[1], sys.argv[2])"
        )
        subprocess.run(
            [sys.executable, "-c", code, str(root), str(root / "rss.zip")],
            check=True,
            cwd=Path(__file__).resolve().parents[1],
        )
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rss_total = total + extra_count * extra_size
    finally:
        shutil.rmtree(root, ignore_errors=True)
    export_ratio = t_export / t_base_export
    verify_ratio = t_verify / t_base_verify
    gib = total / (1 << 30)
    return [
        {"name": f"evidence size ({count} files)", "value": round(gib, 3), "unit": "GiB"},
        {"name": "export: sha256sum + zip -0", "value": t_base_export, "unit": "s"},
        {"name": "export: write_bundle", "value": t_export, "unit": "s"},
        {"name": "export ratio", "value": export_ratio, "unit": "×", "target": "≤ 1.5",
         "ok": export_ratio <= 1.5},
        {"name": "verify: sha256sum -c", "value": t_base_verify, "unit": "s"},
        {"name": "verify: verify_bundle", "value": t_verify, "unit": "s"},
        {"name": "verify ratio", "value": verify_ratio, "unit": "×", "target": "≤ 1.3",
         "ok": verify_ratio <= 1.3},
        {"name": f"peak RSS, {rss_total / (1 << 30):.2f} GiB write+verify", "value": peak_mb,
         "unit": "MB", "target": "< 250", "ok": peak_mb < 250},
    ]  # fmt: skip


def main() -> None:
    for row in run(sys.argv[1:]):
        print(row)


if __name__ == "__main__":
    main()
