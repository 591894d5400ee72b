"""Write a bundle, read it back: same assessment, same evidence bytes, stable bytes."""

from __future__ import annotations

import hashlib
import itertools
import json
import zipfile
from pathlib import Path

import pytest

from parapp.interchange import keys
from parapp.interchange.bagzip import Cancelled
from parapp.interchange.bundle import (
    EvidenceFile,
    extract_bundle,
    inspect_bundle,
    verify_bundle,
    write_bundle,
)
from parapp.models.errors import ParAppError
from tests.interchange.hostile_bundles import make_sample, read_entries


def test_round_trip(tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    report = verify_bundle(s.path, s.keypair.public, {s.framework.content_hash})
    assert report.ok, report.first_failure
    assert report.key_pinned and report.signer == s.keypair.public
    assert report.info == s.info
    assert [c.step for c in report.checks] == [
        "zip",
        "bagit",
        "signature",
        "key",
        "manifest",
        "payload",
        "oxum",
        "assessment",
        "framework",
        "scores",
        "revision",
    ]
    assert report.assessment is not None
    doc = report.assessment
    assert doc["unit"]["code"] == "20333" and doc["totals"]["self_score"] == 2.5
    assert doc["answers"] == [
        {
            **a,
            "evidence": [
                {**e, "path": "data/evidence/" + e["sha256"] + ext}
                for e, ext in zip(a["evidence"], exts, strict=True)
            ],
        }
        for a, exts in zip(s.doc["answers"], [[".pdf"], [".jpg", ".txt"]], strict=True)
    ]

    extracted = extract_bundle(s.path, tmp_path / "inbox", s.keypair.public)
    try:
        for ev in s.evidence:
            got = extracted.evidence_file(ev.sha256, ev.original_name).read_bytes()
            assert got == s.evidence_bytes[ev.sha256]
        saved = json.loads((extracted.bag_dir / "data" / "assessment.json").read_bytes())
        assert saved == doc
        assert extracted.bag_dir.parent == extracted.root
        assert extracted.root.parent == tmp_path / "inbox"
    finally:
        extracted.cleanup()
    assert not extracted.root.exists()


def test_layout_and_bag_info(tmp_path: Path) -> None:
    s = make_sample(tmp_path)
    bag, files = read_entries(s.path)
    assert bag == "parapp-20333-2024-r1"
    assert files["bagit.txt"] == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    info = dict(ln.split(": ", 1) for ln in files["bag-info.txt"].decode().splitlines())
    assert info["ParApp-Unit-Name"] == "UBND xã Điện Hòa"
    assert info["ParApp-Revision"] == "1"
    assert info["Bagging-Date"] == "2025-01-15"
    assert info["Bag-Software-Agent"] == "ParApp 0.1.0"
    assert info["ParApp-Key-Fingerprint"] == keys.fingerprint(s.keypair.public)
    payload = {n: d for n, d in files.items() if n.startswith("data/")}
    assert info["Payload-Oxum"] == f"{sum(map(len, payload.values()))}.{len(payload)}"
    tagged = {ln.split("  ")[1] for ln in files["tagmanifest-sha256.txt"].decode().splitlines()}
    assert tagged == {"bagit.txt", "bag-info.txt", "manifest-sha256.txt"}
    with zipfile.ZipFile(s.path) as zf:
        kinds = {i.filename.rsplit(".", 1)[-1]: i.compress_type for i in zf.infolist()}
        assert all(i.date_time == (2025, 1, 15, 8, 30, 0) for i in zf.infolist())
    assert kinds["pdf"] == kinds["jpg"] == zipfile.ZIP_STORED
    assert kinds["txt"] == kinds["json"] == zipfile.ZIP_DEFLATED


def test_same_input_gives_same_bytes(tmp_path: Path) -> None:
    s = make_sample(tmp_path)
    again = write_bundle(tmp_path / "again.zip", s.info, s.doc, s.evidence, s.keypair)
    assert again.sha256 == hashlib.sha256(s.path.read_bytes()).hexdigest()
    assert again.size == s.path.stat().st_size
    assert again.key_fingerprint == keys.fingerprint(s.keypair.public)


def test_progress_and_cancel(tmp_path: Path) -> None:
    s = make_sample(tmp_path)
    seen: list[tuple[int, int]] = []
    write_bundle(
        tmp_path / "p.zip",
        s.info,
        s.doc,
        s.evidence,
        s.keypair,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1][0] == seen[-1][1] and all(a <= b for (a, _), (b, _) in itertools.pairwise(seen))

    out = tmp_path / "out" / "cancelled.zip"
    with pytest.raises(Cancelled):
        write_bundle(out, s.info, s.doc, s.evidence, s.keypair, cancel=lambda: True)
    assert not out.parent.exists() or not any(out.parent.iterdir())

    checked: list[int] = []
    with pytest.raises(Cancelled):
        verify_bundle(s.path, cancel=lambda: bool(checked.append(1)) or len(checked) > 1)


def test_corrupt_stored_evidence_is_named_and_nothing_written(tmp_path: Path) -> None:
    s = make_sample(tmp_path / "src")
    victim = s.evidence[1]
    data = bytearray(victim.source_path.read_bytes())
    data[100] ^= 0xFF
    victim.source_path.write_bytes(bytes(data))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(ParAppError, match=r"anh chup\.JPG"):
        write_bundle(out_dir / "b.zip", s.info, s.doc, s.evidence, s.keypair)
    assert not any(out_dir.iterdir())
    shorter = EvidenceFile(victim.sha256, victim.size + 1, victim.source_path, "x.jpg")
    with pytest.raises(ParAppError, match=r"x\.jpg"):
        write_bundle(
            out_dir / "b.zip", s.info, s.doc, [*s.evidence[:1], shorter, s.evidence[2]], s.keypair
        )
    assert not any(out_dir.iterdir())


def test_inspect_reports_claims_without_trust(tmp_path: Path) -> None:
    s = make_sample(tmp_path)
    seen = inspect_bundle(s.path)
    assert seen["problem"] is None
    assert seen["bag_info"]["ParApp-Unit-Code"] == "20333"
    assert seen["signature_key_id"] == s.keypair.public.key_id_hex
    assert seen["key_fingerprint"] == keys.fingerprint(s.keypair.public)


def test_nested_child_bundles(tmp_path: Path) -> None:
    child = make_sample(tmp_path / "child", unit_code="20334")
    declared = [
        {
            "file": "data/children/20334.zip",
            "unit_code": "20334",
            "public_key": keys.public_key_to_minisign(child.keypair.public),
        }
    ]
    parent = make_sample(
        tmp_path / "parent",
        unit_code="503",
        children=[("20334.zip", child.path)],
        children_doc=declared,
    )
    report = verify_bundle(parent.path, parent.keypair.public, recursive=True)
    assert report.ok, report.first_failure
    assert report.checks[-1].step == "children"
    assert report.children[0].ok and report.children[0].info is not None
    assert report.children[0].info.unit_code == "20334"
    assert verify_bundle(parent.path, parent.keypair.public).ok  # non-recursive: a payload file

    impostor = keys.generate_keypair()
    declared[0]["public_key"] = keys.public_key_to_minisign(impostor.public)
    bad = make_sample(
        tmp_path / "bad",
        unit_code="503",
        children=[("20334.zip", child.path)],
        children_doc=declared,
    )
    report = verify_bundle(bad.path, recursive=True)
    assert report.failure_code == "child_invalid"
    assert "20334.zip" in (report.first_failure or "")
    assert report.children[0].failure_code == "unexpected_key"
