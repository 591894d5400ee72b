"""Hostile bundles at the inbox: each refused (or deferred) with its own reason, in a batch
that goes on, leaving nothing in the workspace but the refusal's row.

Every bundle here is *correctly signed*: the defect sits behind a valid signature, as a
buggy program or an attacker holding a unit's key would produce it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, EvidenceFile, make_assessment_doc, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.units import Unit, UnitLevel
from parapp.services.office import inbox
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import InboxRepo
from tests.interchange.hostile_bundles import read_entries, reseal, write_bag
from tests.models.sample_framework import sample_framework

KP = keys.generate_keypair()


@pytest.fixture
def office(tmp_path: Path) -> Workspace:
    """A province P1 receiving from district D1 and communes X1, X2 (directly, for tests)."""
    ws = Workspace.open(tmp_path / "office", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(Unit("P1", "Tỉnh Một", UnitLevel.PROVINCE))
    ws.add_unit(Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"))
    for code in ("X1", "X2", "X3"):
        ws.add_unit(Unit(code, f"Xã {code}", UnitLevel.COMMUNE, "P1"))
    yield ws  # type: ignore[misc]
    ws.close()


def signed(
    out: Path,
    unit: str = "X1",
    *,
    parent: str = "P1",
    kp: KeyPair = KP,
    revision: int = 1,
    change: Callable[[dict[str, Any]], None] | None = None,
    evidence: list[tuple[str, bytes]] = (),  # type: ignore[assignment]
    children: list[tuple[str, Path, str, KeyPair]] | None = None,
    kind: str = "",
) -> Path:
    """A correctly signed bundle; ``change`` edits the document before signing."""
    fw = sample_framework()
    info = BundleInfo(unit, f"Đơn vị {unit}", "commune", parent, fw.id, fw.content_hash, "2026",
                      revision, "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch",
                      kind=kind or ("consolidation" if children else "self-assessment"),
                      )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    files, links = [], []
    for i, (name, data) in enumerate(evidence):
        src = out.parent / f"ev-{unit}-{revision}-{i}"
        src.write_bytes(data)
        digest = hashlib.sha256(data).hexdigest()
        files.append(EvidenceFile(digest, len(data), src, name))
        links.append(EvidenceLink(digest, name, len(data)))
    answers = [Answer("1.2", self_score=1.5, evidence=tuple(links))]
    pub = keys.public_key_to_minisign
    declared = [
        {"file": f"data/children/{n}", "unit_code": u, "public_key": pub(k.public)}
        for n, _, u, k in children or []
    ]
    doc = make_assessment_doc(info, fw, answers, declared or None)
    if change is not None:
        change(doc)
    write_bundle(out, info, doc, files, kp, children=[(n, p) for n, p, _, _ in children or []])
    return out


def resign_doc(path: Path, kp: KeyPair, edit: Callable[[bytes], bytes]) -> Path:
    """Edit ``data/assessment.json`` as raw bytes and sign the bag again (valid signature)."""
    bag, files = read_entries(path)
    files["data/assessment.json"] = edit(files["data/assessment.json"])
    return write_bag(path, bag, reseal(files, kp))


def visible_files(ws: Workspace) -> set[str]:
    """Every file under the inbox folder (what a user browsing the workspace would see)."""
    root = ws.data_dir / "inbox"
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def stored_paths(ws: Workspace) -> set[str]:
    rows = ws.db.conn.execute("SELECT stored_path FROM received_bundles WHERE stored_path != ''")
    return {str(Path(r[0]).relative_to("inbox")) for r in rows}


def batch(
    office: Workspace, tmp_path: Path, bad: Path
) -> tuple[inbox.InboxEntry, inbox.ImportReport]:
    """Import ``bad`` between two good bundles; the good ones must both be accepted."""
    before = signed(tmp_path / "good" / "x2.zip", "X2")
    after = signed(tmp_path / "good" / "x3.zip", "X3")
    report = inbox.import_bundles(office, [before, bad, after])
    assert [e.status for e in (report.entries[0], report.entries[2])] == ["unverified_key"] * 2
    assert visible_files(office) == stored_paths(office)  # nothing without its row
    assert not list((office.data_dir / "inbox" / ".incoming").iterdir())
    return report.entries[1], report


def assert_refused(entry: inbox.InboxEntry, *fragments: str) -> None:
    assert entry.status == "refused", entry
    assert not entry.stored_path and not entry.reason.isascii()
    for fragment in fragments:
        assert fragment in entry.reason, entry.reason


# -- answers that would crash the database -------------------------------------------------------
def test_duplicate_answer_code_is_refused_and_batch_goes_on(
    office: Workspace, tmp_path: Path
) -> None:
    bad = signed(tmp_path / "dup.zip", change=lambda d: d["answers"].append(dict(d["answers"][0])))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "hai lần", "1.2")


def test_huge_integer_is_refused(office: Workspace, tmp_path: Path) -> None:
    bad = signed(tmp_path / "big.zip")
    resign_doc(bad, KP, lambda b: b.replace(b'"self_score": 1.5', b'"self_score": 1' + b"0" * 30))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "quá lớn")


def test_integer_beyond_digit_limit_is_refused(office: Workspace, tmp_path: Path) -> None:
    bad = signed(tmp_path / "huge.zip")
    digits = b"9" * 5000
    resign_doc(bad, KP, lambda b: b.replace(b'"self_score": 1.5', b'"self_score": ' + digits))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "quá lớn")


def test_overflowing_float_is_refused(office: Workspace, tmp_path: Path) -> None:
    bad = signed(tmp_path / "inf.zip")
    resign_doc(bad, KP, lambda b: b.replace(b'"self_score": 1.5', b'"self_score": 1e999'))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "vượt quá giới hạn")


def test_infinity_constant_is_refused(office: Workspace, tmp_path: Path) -> None:
    bad = signed(tmp_path / "inf2.zip")
    resign_doc(bad, KP, lambda b: b.replace(b'"self_score": 1.5', b'"self_score": -Infinity'))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "không phải là số hữu hạn")


def test_deep_nesting_in_extra_is_refused(office: Workspace, tmp_path: Path) -> None:
    bad = signed(tmp_path / "deep.zip")
    deep = b'"extra": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b'}, "answers": ['
    resign_doc(bad, KP, lambda b: b.replace(b'"answers": [', deep))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "lồng nhau quá sâu")


def test_moderately_deep_nesting_is_refused(office: Workspace, tmp_path: Path) -> None:
    bad = signed(tmp_path / "deep2.zip")
    deep = b'"extra": {"x": ' + b"[" * 500 + b"]" * 500 + b'}, "answers": ['  # parses, too deep
    resign_doc(bad, KP, lambda b: b.replace(b'"answers": [', deep))
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "lồng nhau quá sâu")


def test_database_error_is_a_refusal_with_nothing_stored(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = signed(tmp_path / "x1.zip")
    real_add = InboxRepo.add

    def add(self: InboxRepo, row: dict[str, Any], answers: Any = ()) -> int:
        if row["unit_code"] == "X1" and row["status"] != "refused":
            real_add(self, row, answers)  # the row is written, then the insert fails
            raise sqlite3.IntegrityError("UNIQUE constraint failed: received_answers.code")
        return real_add(self, row, answers)

    monkeypatch.setattr(InboxRepo, "add", add)
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "cơ sở dữ liệu")
    rows = [r for r in InboxRepo(office.db).all() if r["unit_code"] == "X1"]
    assert [r["status"] for r in rows] == ["refused"]  # the half-written row was rolled back


def test_unexpected_crash_while_checking_is_a_refusal(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = signed(tmp_path / "boom.zip")
    real = inbox.verify_bundle

    def verify(path: Path, *a: Any, **kw: Any) -> Any:
        if zipfile.ZipFile(path).namelist()[0].startswith("parapp-X1"):
            raise RecursionError("hostile")
        return real(path, *a, **kw)

    monkeypatch.setattr(inbox, "verify_bundle", verify)
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "lỗi không lường trước")


# -- full disk, vanished source: "chưa nhập được — thử lại", nothing recorded ----------------------
def test_disk_full_while_copying_is_retryable(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = signed(tmp_path / "x1.zip")
    real = inbox._copy_hashing

    def copy(source: Path, work: Path, cancel: Any) -> Any:
        if source == bad:
            raise inbox._DestinationError(OSError(errno.ENOSPC, "No space left"), work.parent)
        return real(source, work, cancel)

    monkeypatch.setattr(inbox, "_copy_hashing", copy)
    entry, _ = batch(office, tmp_path, bad)
    assert entry.status == inbox.STATUS_RETRY and entry.status_label == "Chưa nhập được — thử lại"
    assert "Ổ đĩa đã đầy" in entry.reason and str(office.data_dir / "inbox") in entry.reason
    assert str(bad) not in entry.reason  # the destination is named, not the source
    assert not [r for r in InboxRepo(office.db).all() if r["unit_code"] == "X1"]
    monkeypatch.setattr(inbox, "_copy_hashing", real)
    assert inbox.import_bundle(office, bad).status == "unverified_key"  # a retry works


def test_disk_full_when_storing_is_retryable(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = signed(tmp_path / "x1.zip")
    real_replace = inbox.os.replace

    def replace(src: Any, dst: Any) -> None:
        if "X1" in str(dst):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(inbox.os, "replace", replace)
    entry, _ = batch(office, tmp_path, bad)
    assert entry.status == inbox.STATUS_RETRY
    assert "Ổ đĩa đã đầy" in entry.reason and "inbox" in entry.reason
    assert not [r for r in InboxRepo(office.db).all() if r["unit_code"] == "X1"]


def test_database_full_is_retryable(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = signed(tmp_path / "x1.zip")
    real_add = InboxRepo.add

    def add(self: InboxRepo, row: dict[str, Any], answers: Any = ()) -> int:
        if row["unit_code"] == "X1":
            err = sqlite3.OperationalError("database or disk is full")
            err.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
            raise err
        return real_add(self, row, answers)

    monkeypatch.setattr(InboxRepo, "add", add)
    entry, _ = batch(office, tmp_path, bad)
    assert entry.status == inbox.STATUS_RETRY and "Ổ đĩa đã đầy" in entry.reason


def test_source_vanishing_is_retryable(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "usb" / "x1.zip"  # listed, then the USB stick was pulled out
    monkeypatch.setattr(inbox, "collect_bundle_files", lambda paths: [Path(p) for p in paths])
    entry, _ = batch(office, tmp_path, gone)
    assert entry.status == inbox.STATUS_RETRY and "x1.zip" in entry.reason
    assert not [r for r in InboxRepo(office.db).all() if r["status"] == "refused"]


# -- crash leftovers -------------------------------------------------------------------------
def test_leftovers_are_swept_at_next_start(office: Workspace, tmp_path: Path) -> None:
    kept = inbox.import_bundle(office, signed(tmp_path / "x1.zip"))
    root = office.data_dir / "inbox"
    (root / ".incoming" / "bundle-999999999-abc.zip").write_bytes(b"copy of a dead process")
    live = root / ".incoming" / f"bundle-{os.getppid()}-def.zip"  # a process still running
    live.write_bytes(b"copy in flight")
    orphan = root / "X2" / "2026" / "r1-0123456789ab.zip"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"renamed but never committed")
    orphan.chmod(0o444)
    data_dir = office.data_dir
    office.close()
    again = Workspace.open(data_dir, backup=False)
    try:
        kept_path = str(Path(kept.stored_path).relative_to("inbox"))
        assert visible_files(again) == {kept_path, str(live.relative_to(root))}
        assert not (root / "X2").exists()
        live.unlink()
    finally:
        again.close()
    Workspace.open(data_dir, backup=False).close()  # the office fixture closes it again


# -- evidence names --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Ke hoach\u202efdp.exe", "Ke hoachfdp.exe"),
        ("bao\u200b cao\u200d.pdf", "bao cao.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("com1", "_com1"),
        ("bao cao.pdf. . ", "bao cao.pdf"),
        ("..\\..\\Windows\\evil.dll", "_.._Windows_evil.dll"),
        ("a/b:c*?.txt", "a_b_c__.txt"),
        ("\u2067\u2066", "tai-lieu"),
    ],
)
def test_evidence_names_are_stored_cleaned(
    office: Workspace, tmp_path: Path, name: str, shown: str
) -> None:
    path = signed(tmp_path / "x1.zip", evidence=[(name, b"%PDF-1.4 test")])
    entry = inbox.import_bundle(office, path)
    assert entry.accepted, entry.reason
    doc = inbox.received_document(office, int(entry.bundle_id or 0))
    assert doc["answers"][0]["evidence"][0]["file_name"] == shown
    evidence = InboxRepo(office.db).answers([int(entry.bundle_id or 0)])
    assert evidence[int(entry.bundle_id or 0)]["1.2"]["evidence"][0]["file_name"] == shown
    with zipfile.ZipFile(office.data_dir / entry.stored_path) as zf:  # kept as signed
        doc_kept = json.loads(
            zf.read(next(n for n in zf.namelist() if n.endswith("assessment.json")))
        )
    assert doc_kept["answers"][0]["evidence"][0]["file_name"] == name


# -- office bundles: every level checked -------------------------------------------------------
def _district(tmp_path: Path, child: Path, child_kp: KeyPair, unit: str = "X9") -> Path:
    return signed(tmp_path / "d1.zip", "D1", children=[(f"{unit}.zip", child, unit, child_kp)])


def test_office_bundle_with_good_child_is_accepted(office: Workspace, tmp_path: Path) -> None:
    ckp = keys.generate_keypair()
    child = signed(tmp_path / "c" / "x9.zip", "X9", parent="D1", kp=ckp)
    entry = inbox.import_bundle(office, _district(tmp_path, child, ckp))
    assert entry.accepted, entry.reason


def test_child_naming_another_parent_is_refused(office: Workspace, tmp_path: Path) -> None:
    ckp = keys.generate_keypair()
    child = signed(tmp_path / "c" / "x9.zip", "X9", parent="D7", kp=ckp)
    entry, _ = batch(office, tmp_path, _district(tmp_path, child, ckp))
    assert_refused(entry, "“D7”", "không phải đơn vị D1")


def test_altered_child_resigned_by_office_is_refused(office: Workspace, tmp_path: Path) -> None:
    ckp = keys.generate_keypair()
    child = signed(tmp_path / "c" / "x9.zip", "X9", parent="D1", kp=ckp)
    bag, files = read_entries(child)
    files["data/assessment.json"] = files["data/assessment.json"].replace(b"1.5", b"2.0")
    write_bag(child, bag, files)  # the child's own signature no longer covers it
    entry, _ = batch(office, tmp_path, _district(tmp_path, child, ckp))
    assert_refused(entry, "X9.zip", "sai mã băm")


def test_child_signed_by_other_key_than_enrolled_is_refused(
    office: Workspace, tmp_path: Path
) -> None:
    ckp, enrolled = keys.generate_keypair(), keys.generate_keypair()
    from parapp.services import trusted_keys

    keys.write_public_key(enrolled.public, tmp_path / "x9.pub")
    office.add_unit(Unit("X9", "Xã Chín", UnitLevel.COMMUNE, "D1"))
    trusted_keys.enrol_key_file(office, "X9", tmp_path / "x9.pub")
    child = signed(tmp_path / "c" / "x9.zip", "X9", parent="D1", kp=ckp)
    entry, _ = batch(office, tmp_path, _district(tmp_path, child, ckp))
    assert_refused(entry, "X9", "không phải khóa đã đăng ký")


def test_self_nesting_five_levels_is_refused(office: Workspace, tmp_path: Path) -> None:
    inner = signed(tmp_path / "n0" / "d1.zip", "D1", parent="D1")
    for level in range(1, 5):
        inner = signed(
            tmp_path / f"n{level}" / "d1.zip",
            "D1",
            parent="P1" if level == 4 else "D1",
            children=[("D1.zip", inner, "D1", KP)],
        )
    entry, _ = batch(office, tmp_path, inner)
    assert_refused(entry, "lồng nhau quá nhiều cấp")


def test_undeclared_child_is_refused(office: Workspace, tmp_path: Path) -> None:
    ckp = keys.generate_keypair()
    child = signed(tmp_path / "c" / "x9.zip", "X9", parent="D1", kp=ckp)
    bad = _district(tmp_path, child, ckp)

    def drop_children(raw: bytes) -> bytes:
        doc = json.loads(raw)
        doc.pop("children")
        return json.dumps(doc).encode()

    resign_doc(bad, KP, drop_children)
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "không khớp danh sách")


def test_locked_database_is_retryable_not_a_refusal(
    office: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = signed(tmp_path / "x1.zip")
    real_add = InboxRepo.add

    def add(self: InboxRepo, row: dict[str, Any], answers: Any = ()) -> int:
        if row["unit_code"] == "X1":
            raise sqlite3.OperationalError("database is locked")
        return real_add(self, row, answers)

    monkeypatch.setattr(InboxRepo, "add", add)
    entry, _ = batch(office, tmp_path, bad)
    assert entry.status == inbox.STATUS_RETRY and "ParApp khác" in entry.reason
    assert not [r for r in InboxRepo(office.db).all() if r["unit_code"] == "X1"]


def test_random_damage_in_one_batch_never_stops_it(office: Workspace, tmp_path: Path) -> None:
    good = signed(tmp_path / "x1.zip", evidence=[("scan.pdf", b"%PDF-1.4" + b"x" * 5000)])
    data = good.read_bytes()
    rng = random.Random(20261202)
    folder = tmp_path / "damaged"
    folder.mkdir()
    for i in range(30):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        (folder / f"d{i:02}.zip").write_bytes(bytes(damaged[: rng.choice([len(damaged), 200])]))
    (folder / "empty.zip").write_bytes(b"")
    (folder / "text.zip").write_text("không phải zip", "utf-8")
    report = inbox.import_bundles(office, [folder, signed(tmp_path / "x2.zip", "X2")])
    assert len(report.entries) == 33
    assert {e.status for e in report.entries} <= {"refused", "unverified_key", "duplicate"}
    assert report.entries[-1].status == "unverified_key"  # the good one after 32 bad ones
    assert all(e.reason and not e.reason.isascii() for e in report.entries if e.status == "refused")
    assert visible_files(office) == stored_paths(office)


def test_self_assessment_carrying_children_is_refused(office: Workspace, tmp_path: Path) -> None:
    ckp = keys.generate_keypair()
    child = signed(tmp_path / "c" / "x9.zip", "X9", parent="X1", kp=ckp)
    bad = signed(
        tmp_path / "x1.zip", "X1", children=[("X9.zip", child, "X9", ckp)], kind="self-assessment"
    )
    entry, _ = batch(office, tmp_path, bad)
    assert_refused(entry, "chỉ hồ sơ tổng hợp mới được chứa hồ sơ cấp dưới")


def test_three_revisions_and_a_crafted_bundle_in_one_batch(
    office: Workspace, tmp_path: Path
) -> None:
    revisions = [signed(tmp_path / f"r{n}" / "x1.zip", revision=n) for n in (1, 2, 3)]
    crafted = signed(
        tmp_path / "crafted.zip", "X2", change=lambda d: d["answers"].append(d["answers"][0])
    )
    report = inbox.import_bundles(office, [revisions[0], revisions[1], crafted, revisions[2]])
    assert [e.status for e in report.entries] == ["unverified_key"] * 2 + ["refused"] + [
        "unverified_key"
    ]
    assert "hai lần" in report.entries[2].reason
    (current,) = InboxRepo(office.db).current("2026")
    assert (current["unit_code"], current["revision"]) == ("X1", 3)
    assert visible_files(office) == stored_paths(office) and len(stored_paths(office)) == 3
