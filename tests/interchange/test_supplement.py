"""Supplement bundles: only the new evidence travels; the rebuilt bag is the signed one."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import (
    BundleInfo,
    EvidenceFile,
    make_assessment_doc,
    verify_bundle,
    write_bundle,
)
from parapp.interchange.keys import KeyPair
from parapp.interchange.supplement import derive_supplement, read_supplement, reassemble
from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.errors import ParAppError
from tests.models.sample_framework import sample_framework


def _file(tmp: Path, name: str, body: bytes) -> EvidenceFile:
    path = tmp / name
    path.write_bytes(body)
    return EvidenceFile(hashlib.sha256(body).hexdigest(), len(body), path, name)


def _bundle(tmp: Path, kp: KeyPair, revision: int, files: list[EvidenceFile]) -> Path:
    fw = sample_framework()
    info = BundleInfo("X1", "Xã Một", "commune", "D1", fw.id, fw.content_hash, "2026",
                      revision, "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch")  # fmt: skip
    links = tuple(EvidenceLink(f.sha256, f.original_name, f.size) for f in files)
    doc = make_assessment_doc(info, fw, [Answer("1.2", self_score=1.0, evidence=links)])
    out = tmp / f"r{revision}.zip"
    write_bundle(out, info, doc, files, kp)
    return out


def test_supplement_round_trip_and_refusals(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    scan = _file(tmp_path, "scan.pdf", b"%PDF scan " * 400)
    photo = _file(tmp_path, "anh.jpg", b"\xff\xd8 photo" * 300)
    r1 = _bundle(tmp_path, kp, 1, [scan])
    r2 = _bundle(tmp_path, kp, 2, [scan, photo])
    sup = tmp_path / "bosung.zip"
    assert derive_supplement(r2, sup, {scan.sha256}, 1) == [f"data/evidence/{scan.sha256}.pdf"]
    with zipfile.ZipFile(sup) as zf:
        assert not any(scan.sha256 in n for n in zf.namelist())
        assert any(photo.sha256 in n for n in zf.namelist())
    assert not verify_bundle(sup, kp.public).ok  # incomplete as sent: never imported as is
    found = read_supplement(sup)
    assert found is not None and read_supplement(r2) is None
    fetch, fields = found
    assert (fetch.base_revision, fields["ParApp-Unit-Code"]) == (1, "X1")
    rebuilt = tmp_path / "day-du.zip"
    reassemble(sup, r1, rebuilt, fetch)
    assert verify_bundle(rebuilt, kp.public).ok
    with zipfile.ZipFile(rebuilt) as a, zipfile.ZipFile(r2) as b:
        assert {i.filename: i.CRC for i in a.infolist()} == {
            i.filename: i.CRC for i in b.infolist()
        }

    # the earlier bundle lacks the file: refused with the reason
    (tmp_path / "x").mkdir()
    empty = _bundle(tmp_path / "x", kp, 1, [])
    with pytest.raises(ParAppError, match="không có tài liệu"):
        reassemble(sup, empty, tmp_path / "bad.zip", fetch)
    # a hint pointing at another file of the right size fails the signed manifest
    other = _file(tmp_path, "other.pdf", b"%PDF othe " * 400)
    (tmp_path / "y").mkdir()
    swapped = _bundle(tmp_path / "y", keys.generate_keypair(), 1, [other])
    forged = type(fetch)(1, ((f"data/evidence/{other.sha256}.pdf", other.size),))
    reassemble(sup, swapped, tmp_path / "forged.zip", forged)
    assert verify_bundle(tmp_path / "forged.zip", kp.public).failure_code is not None


def test_hostile_fetch_lists_are_refused(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    r2 = _bundle(tmp_path, kp, 2, [_file(tmp_path, "a.pdf", b"a" * 100)])
    for text in ("parapp-revision:1 100 ../../etc/passwd\n", "http://x 1 data/evidence/a\n",
                 "parapp-revision:1 5 data/evidence/" + "a" * 64 + ".pdf\n"
                 "parapp-revision:2 5 data/evidence/" + "b" * 64 + ".pdf\n"):  # fmt: skip
        bad = tmp_path / "bad.zip"
        with zipfile.ZipFile(r2) as src, zipfile.ZipFile(bad, "w") as dst:
            bag = src.namelist()[0].split("/")[0]
            for info in src.infolist():
                dst.writestr(info, src.read(info))
            dst.writestr(f"{bag}/fetch.txt", text)
        with pytest.raises(ParAppError, match=r"fetch\.txt|không hợp lệ"):
            read_supplement(bad)


def test_a_hostile_zip_is_refused_before_reading(tmp_path: Path) -> None:
    bad = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/fetch.txt", "")
        zf.writestr("bag/data/zeros.bin", b"\0" * (8 << 20))  # ratio far beyond the limit
    with pytest.raises(ParAppError, match=r"bị từ chối: .*bom zip"):
        read_supplement(bad)
    outside = tmp_path / "outside.zip"
    with zipfile.ZipFile(outside, "w") as zf:
        zf.writestr("bag/fetch.txt", "")
        zf.writestr("other/bag-info.txt", "ParApp-Unit-Code: X1\n")
    with pytest.raises(ParAppError, match="đúng một thư mục gốc"):
        read_supplement(outside)
