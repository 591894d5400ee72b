"""Framework packages end to end: the office publishes, a commune imports, fills, exports,
the office imports the bundle and flags bundles made against a framework it did not publish.

Real workspaces, real keys, real files read back: the package is checked by the bundle
verifier, the commune's stored framework by its hash, the plan by its rows, the office's
inbox by its entries.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import verify_bundle
from parapp.interchange.framework_package import MAX_PACKAGE_BYTES, PACKAGE_KIND
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from parapp.models.units import Unit, UnitLevel
from parapp.services import framework_package as fpk
from parapp.services import trusted_keys, unit_keys
from parapp.services.commune import submission
from parapp.services.office import consolidation, inbox
from parapp.services.office.consolidation import thresholds
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework
from tests.services.cycle_helpers import DISTRICT, PASS, make_office

PERIOD = "2026"
DEADLINE = date(2027, 1, 15)
PLAN = TaskPlan(
    "kh-cchc-2026",
    "Kế hoạch CCHC năm 2026 của Huyện Một",
    2026,
    "Kế hoạch số 12/KH-UBND",
    (
        Task("I", "Công tác chỉ đạo, điều hành"),
        Task(
            "1",
            "Ban hành kế hoạch CCHC của xã",
            "I",
            1,
            "Quý I",
            date(2026, 3, 31),
            lead="UBND xã",
            criteria_codes=("1.1.1",),
            status=TaskStatus.DONE,  # the office's own progress: must not travel
            note="xong ở huyện",
        ),
    ),
)


@dataclass
class World:
    root: Path
    office: Workspace
    office_key: KeyPair
    commune: Workspace
    commune_key: KeyPair

    def publish(self, **kw: object) -> fpk.PublishedPackage:
        args: dict[str, object] = {
            "period": PERIOD,
            "level": UnitLevel.COMMUNE,
            "approver": "Lê Thị Hoa",
            "approver_position": "Trưởng phòng Nội vụ",
            "deadline": DEADLINE,
            "bands": thresholds(self.office),
            "plan_id": PLAN.id,
        }
        args.update(kw)
        return fpk.publish_package(
            self.office,
            "mau-2026",
            self.root / "goi",
            self.office_key,
            **args,  # type: ignore[arg-type]
        )


def _commune(root: Path, code: str = "X1", name: str = "Xã Một") -> tuple[Workspace, KeyPair]:
    ws = Workspace.open(root / code, backup=False)
    ws.set_own_unit(
        Unit(code, name, UnitLevel.COMMUNE, DISTRICT),
        Unit(DISTRICT, "Huyện Một", UnitLevel.DISTRICT),
    )
    ws.set_officer(f"Cán bộ {name}", "Công chức Văn phòng")
    unit_keys.create_key(ws, PASS)
    return ws, unit_keys.unlock(ws, PASS)


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    office = make_office(tmp_path)
    unit_keys.create_key(office, PASS)
    office_key = unit_keys.unlock(office, PASS)
    keys.write_public_key(office_key.public, tmp_path / "D1.pub")
    office.save_plan(PLAN)
    (tmp_path / "goi").mkdir()
    commune, commune_key = _commune(tmp_path)
    keys.write_public_key(commune_key.public, tmp_path / "X1.pub")
    trusted_keys.enrol_key_file(office, "X1", tmp_path / "X1.pub")
    w = World(tmp_path, office, office_key, commune, commune_key)
    yield w  # type: ignore[misc]
    office.close()
    commune.close()


def _nothing_stored(ws: Workspace) -> None:
    assert ws.frameworks.list() == []
    assert ws.tasks.plans() == []
    assert ws.deadline() is None
    assert fpk.package_record(ws, "mau-2026") is None


def _fill_and_export(ws: Workspace, kp: KeyPair, framework_id: str, out: Path) -> Path:
    ws.start_assessment(framework_id, PERIOD)
    ws.set_answer("1.1.1", value=1.0, explanation="Đã ban hành kế hoạch")
    ws.set_answer("1.2", self_score=1.5, explanation="Đã tuyên truyền")
    _rev, result = submission.export_bundle(ws, out, kp, "Trần Văn An", confirm_all_unscored=True)
    return result.path


def test_publish_import_fill_export_office_import(world: World) -> None:
    published = world.publish()
    assert published.path.suffix == ".zip" and published.revision == 1
    assert published.level_set  # the sample framework said nothing of its level
    office_fw = world.office.framework("mau-2026")
    assert office_fw.level == "commune" and published.framework_hash == office_fw.content_hash

    # the file is an ordinary signed bundle of its own kind: the stock verifier accepts it
    report = verify_bundle(published.path, world.office_key.public)
    assert report.ok and report.info is not None and report.info.kind == PACKAGE_KIND
    with zipfile.ZipFile(published.path) as zf:
        names = sorted(n.split("/", 1)[1] for n in zf.namelist())
        doc = json.loads(zf.read(next(n for n in zf.namelist() if n.endswith("assessment.json"))))
    assert "data/assessment.json" in names and not any("evidence" in n for n in names)
    section = doc["extra"]["framework_package"]
    assert section["level"] == "commune" and section["deadline"] == "2027-01-15"
    assert section["publisher"] == {
        "code": DISTRICT,
        "name": "Huyện Một",
        "fingerprint": keys.fingerprint(world.office_key.public),
    }
    assert [t.get("status") for t in section["plan"]["tasks"]] == [None, None]

    # the commune trusts its district's key, as today's unit keys, and imports
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    done = fpk.import_package(world.commune, published.path)
    ws = world.commune
    fw = ws.framework("mau-2026")
    assert fw.content_hash == published.framework_hash
    assert ws.deadline() == DEADLINE
    plan = ws.tasks.get_plan(PLAN.id)
    assert [(t.code, t.status, t.criteria_codes) for t in plan.tasks] == [
        ("I", TaskStatus.TODO, ()),
        ("1", TaskStatus.TODO, ("1.1.1",)),
    ]
    assert plan.tasks[1].due_date == date(2026, 3, 31) and plan.tasks[1].note == ""
    assert ws.current_plan_id() == PLAN.id
    record = fpk.package_record(ws, "mau-2026")
    assert record is not None
    assert record["framework_hash"] == published.framework_hash
    assert (record["publisher_code"], record["period"], record["revision"]) == (DISTRICT, "2026", 1)
    assert record["fingerprint"] == keys.fingerprint(world.office_key.public)
    assert record["bands"][0] == ["Xuất sắc", 90.0] and record["bands"][-1][1] == 0.0
    assert done.as_dict()["tasks"] == 2

    # fill, export, and the office imports a bundle made against what it published
    bundle = _fill_and_export(ws, world.commune_key, "mau-2026", world.root / "nop")
    entry = inbox.import_bundle(world.office, bundle)
    assert entry.status == "ok", entry.reason
    assert entry.framework_warning == ""
    assert [e.framework_warning for e in inbox.inbox_entries(world.office)] == [""]
    assert inbox.deadline_for(world.office, PERIOD) == DEADLINE  # the published deadline


def test_bundle_against_an_unpublished_framework_is_flagged(world: World) -> None:
    # the commune fills an example framework the office also has, before anything is published
    other = replace(sample_framework(), id="vi-du-tinh", name="Ví dụ: bộ chỉ số cấp tỉnh")
    for ws in (world.office, world.commune):
        ws.save_framework(other)
    bundle = _fill_and_export(world.commune, world.commune_key, "vi-du-tinh", world.root / "nop")
    before = inbox.import_bundle(world.office, bundle)
    assert before.status == "ok" and before.framework_warning == ""  # nothing published yet

    world.publish()  # now the office has said which framework is the period's
    [entry] = inbox.inbox_entries(world.office)
    assert entry.framework_warning.startswith(fpk.NOT_PUBLISHED)
    assert "kỳ 2026" in entry.framework_warning

    # a second commune's revision imported after publishing is flagged at import too
    ws2, kp2 = _commune(world.root, "X2", "Xã Hai")
    keys.write_public_key(kp2.public, world.root / "X2.pub")
    trusted_keys.enrol_key_file(world.office, "X2", world.root / "X2.pub")
    ws2.save_framework(other)
    try:
        flagged = inbox.import_bundle(
            world.office, _fill_and_export(ws2, kp2, "vi-du-tinh", world.root / "nop2")
        )
    finally:
        ws2.close()
    assert flagged.status == "ok" and flagged.framework_warning.startswith(fpk.NOT_PUBLISHED)
    # another period's bundles are not judged by this period's package
    assert fpk.framework_warning(fpk.published_by_period(world.office), "2025", "ab" * 32) == ""


def test_tampered_package_is_refused_and_nothing_is_written(world: World) -> None:
    published = world.publish()
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    tampered = world.root / "sua.zip"
    with zipfile.ZipFile(published.path) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("assessment.json"):  # one deadline moved a month later
                data = data.replace(b'"2027-01-15"', b'"2027-02-15"')
                assert b"2027-02-15" in data
            dst.writestr(item, data)
    with pytest.raises(fpk.PackageRefused, match="bị từ chối, không nhập gì") as err:
        fpk.import_package(world.commune, tampered)
    assert "mã băm" in str(err.value) or "không khớp" in str(err.value)
    _nothing_stored(world.commune)


def test_untrusted_and_other_keys_are_refused(world: World, tmp_path: Path) -> None:
    published = world.publish()
    # no key of the district enrolled yet: refused, naming whose key and its fingerprint
    with pytest.raises(fpk.UntrustedPublisherError) as err:
        fpk.import_package(world.commune, published.path)
    fingerprint = keys.fingerprint(world.office_key.public)
    assert fingerprint in str(err.value) and "parapp keys trust D1" in str(err.value)
    assert err.value.claims.publisher_code == DISTRICT
    _nothing_stored(world.commune)

    # a forger's office workspace with the same unit code signs with its own key
    forger = make_office(tmp_path, "forger")
    unit_keys.create_key(forger, PASS)
    forger.save_plan(PLAN)
    fake = fpk.publish_package(
        forger, "mau-2026", tmp_path / "gia.zip", unit_keys.unlock(forger, PASS),
        period=PERIOD, level=UnitLevel.COMMUNE, approver="Kẻ giả",
    )  # fmt: skip
    forger.close()
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    with pytest.raises(fpk.PackageRefused, match="khóa KHÁC"):
        fpk.import_package(world.commune, fake.path)
    _nothing_stored(world.commune)
    fpk.import_package(world.commune, published.path)  # the real one still goes in
    assert fpk.package_record(world.commune, "mau-2026") is not None


def test_enrolling_the_office_key_from_the_package_flow(world: World) -> None:
    published = world.publish()
    stranger = keys.generate_keypair()
    keys.write_public_key(stranger.public, world.root / "la.pub")
    with pytest.raises(ParAppError, match="không phải khóa đã ký gói bộ chỉ số"):
        fpk.trust_publisher_key(world.commune, published.path, world.root / "la.pub")
    assert trusted_keys.list_keys(world.commune) == []
    enrolled = fpk.trust_publisher_key(world.commune, published.path, world.root / "D1.pub")
    assert enrolled.unit_code == DISTRICT
    assert enrolled.fingerprint == keys.fingerprint(world.office_key.public)
    fpk.import_package(world.commune, published.path)
    assert world.commune.framework("mau-2026").content_hash == published.framework_hash


def test_wrong_level_and_wrong_publisher_are_refused(world: World, tmp_path: Path) -> None:
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    agencies = world.publish(level=UnitLevel.AGENCY)
    with pytest.raises(fpk.PackageRefused, match="áp dụng cho sở, ban, ngành"):
        fpk.import_package(world.commune, agencies.path)
    _nothing_stored(world.commune)

    # a unit whose parent is another office refuses this district's package
    orphan = Workspace.open(tmp_path / "X9", backup=False)
    try:
        orphan.set_own_unit(
            Unit("X9", "Xã Chín", UnitLevel.COMMUNE, "D9"),
            Unit("D9", "Huyện Chín", UnitLevel.DISTRICT),
        )
        orphan.add_unit(Unit(DISTRICT, "Huyện Một", UnitLevel.DISTRICT))
        trusted_keys.enrol_key_file(orphan, DISTRICT, world.root / "D1.pub")
        right = world.publish()
        with pytest.raises(fpk.PackageRefused, match="không phải đơn vị cấp trên"):
            fpk.import_package(orphan, right.path)
        assert orphan.frameworks.list() == []
    finally:
        orphan.close()


def test_revisions_newer_replaces_older_refused_progress_kept(world: World) -> None:
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    first = world.publish()
    fpk.import_package(world.commune, first.path)
    world.commune.set_task_status(PLAN.id, "1", TaskStatus.DONE, "đã ban hành")
    second = world.publish(deadline=date(2027, 1, 31))
    assert second.revision == 2
    again = fpk.import_package(world.commune, second.path)
    assert again.replaced
    assert world.commune.deadline() == date(2027, 1, 31)
    kept = world.commune.task(PLAN.id, "1")
    assert (kept.status, kept.note) == (TaskStatus.DONE, "đã ban hành")
    with pytest.raises(fpk.PackageRefused, match="cũ hơn lần 2"):
        fpk.import_package(world.commune, first.path)
    assert world.commune.deadline() == date(2027, 1, 31)
    assert [e["revision"] for e in fpk.published_packages(world.office)] == [1, 2]


def test_hostile_files_are_refused_before_parsing(world: World, tmp_path: Path) -> None:
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    huge = tmp_path / "to.zip"
    with huge.open("wb") as fh:  # sparse: the size alone refuses it
        fh.truncate(MAX_PACKAGE_BYTES + 1)
    with pytest.raises(fpk.PackageRefused, match="quá lớn"):
        fpk.import_package(world.commune, huge)
    junk = tmp_path / "rac.zip"
    junk.write_bytes(b"PK\x03\x04 khong phai zip")
    with pytest.raises(fpk.PackageRefused, match="không phải gói bộ chỉ số hợp lệ"):
        fpk.import_package(world.commune, junk)
    bomb = tmp_path / "bom.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        zf.writestr("bag/data/assessment.json", b"0" * (20 << 20))
    with pytest.raises(fpk.PackageRefused, match="bom zip"):
        fpk.import_package(world.commune, bomb)
    # a commune's self-assessment bundle is not a package
    world.commune.save_framework(sample_framework())
    bundle = _fill_and_export(world.commune, world.commune_key, "mau-2026", tmp_path / "nop")
    with pytest.raises(fpk.PackageRefused, match="là hồ sơ tự đánh giá của một đơn vị"):
        fpk.import_package(world.commune, bundle)
    assert fpk.package_record(world.commune, "mau-2026") is None


def test_office_inbox_refuses_a_package_dropped_into_it(world: World) -> None:
    published = world.publish()
    entry = inbox.import_bundle(world.office, published.path)
    assert entry.status == "refused" and "gói bộ chỉ số do cấp trên ban hành" in entry.reason


def test_publish_refuses_a_plan_linked_to_unknown_items(world: World) -> None:
    bad = replace(PLAN, id="kh-sai", tasks=(Task("1", "Việc", criteria_codes=("9.9",)),))
    world.office.save_plan(bad)
    with pytest.raises(ParAppError, match=r"“9\.9” không có trong bộ chỉ số"):
        world.publish(plan_id="kh-sai")
    assert fpk.published_packages(world.office) == []
    assert list((world.root / "goi").iterdir()) == []
    assert world.office.framework("mau-2026").level == ""  # nothing changed either


def test_level_mismatch_words() -> None:
    unit = Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48")
    province_fw = replace(sample_framework(), level="province")
    text = fpk.level_mismatch(province_fw, unit)
    assert "đánh giá cấp tỉnh" in text and "Phường Điện Bàn là đơn vị cấp xã" in text
    assert fpk.level_mismatch(replace(province_fw, level="Cấp xã"), unit) == ""
    assert fpk.level_mismatch(replace(province_fw, level=""), unit) == ""


def test_the_published_framework_ranks_even_when_fewer_units_used_it(world: World) -> None:
    """Two units on an example, one on the published framework: the office ranks by what it
    published and lists the others apart (most-used would have picked the example)."""
    published = world.publish()
    trusted_keys.enrol_key_file(world.commune, DISTRICT, world.root / "D1.pub")
    fpk.import_package(world.commune, published.path)
    inbox.import_bundle(
        world.office,
        _fill_and_export(world.commune, world.commune_key, "mau-2026", world.root / "a"),
    )
    other = replace(sample_framework(), id="vi-du-tinh", name="Ví dụ: bộ chỉ số cấp tỉnh")
    world.office.save_framework(other)
    for code, name in (("X2", "Xã Hai"), ("X3", "Xã Ba")):
        ws, kp = _commune(world.root, code, name)
        keys.write_public_key(kp.public, world.root / f"{code}.pub")
        trusted_keys.enrol_key_file(world.office, code, world.root / f"{code}.pub")
        ws.save_framework(other)
        try:
            entry = inbox.import_bundle(
                world.office, _fill_and_export(ws, kp, "vi-du-tinh", world.root / code.lower())
            )
        finally:
            ws.close()
        assert "bộ chỉ số vi-du-tinh" in entry.framework_warning
    result = consolidation.consolidate(world.office, PERIOD)
    assert result.framework.id == "mau-2026"
    assert [r.result.unit_code for r in result.rows] == ["X1"]
    assert result.other_framework_units == ("X2", "X3")
