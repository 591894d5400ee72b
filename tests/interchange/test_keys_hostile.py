"""Hostile and awkward public keys (issue 12): small-order keys refused everywhere, Windows
editors' .pub files accepted, one key for two units warned about, and the unit name the
office shows comes from its own list."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import verify_bundle
from parapp.interchange.keys import KeyFileError
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys
from parapp.services.office import inbox
from parapp.services.workspace import Workspace
from tests.interchange.hostile_bundles import (
    make_sample,
    read_entries,
    reseal,
    set_info,
    write_bag,
)
from tests.models.sample_framework import sample_framework

SMALL_ORDER_HEX = [
    "00" * 32,
    "01" + "00" * 31,
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "ec" + "ff" * 30 + "7f",
    "ed" + "ff" * 30 + "7f",
    "ee" + "ff" * 30 + "7f",
]
# the same points with the sign bit set
SMALL_ORDER = [bytes.fromhex(h) for h in SMALL_ORDER_HEX] + [
    bytes.fromhex(h)[:31] + bytes([bytes.fromhex(h)[31] | 0x80]) for h in SMALL_ORDER_HEX
]


def _pub_text(raw_key: bytes) -> str:
    b64 = base64.b64encode(b"Ed" + b"\x01" * 8 + raw_key).decode()
    return f"untrusted comment: minisign public key 0101010101010101\n{b64}\n"


@pytest.mark.parametrize("raw", SMALL_ORDER, ids=[f"small-order-{i}" for i in range(14)])
def test_small_order_public_keys_are_refused(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "yeu.pub"
    path.write_text(_pub_text(raw))
    with pytest.raises(KeyFileError, match="khóa yếu"):
        keys.read_public_key(path)


def test_a_real_key_is_not_weak() -> None:
    for _ in range(20):
        assert not keys.is_weak_public_key(keys.generate_keypair().public.key)


@pytest.fixture
def office(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "office", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("503", "Huyện Điện Bàn", UnitLevel.DISTRICT, "P1"),
        Unit("P1", "Tỉnh", UnitLevel.PROVINCE),
    )
    for code, name in (("20333", "Xã Điện Hòa"), ("20334", "Xã Điện Thắng")):
        ws.add_unit(Unit(code, name, UnitLevel.COMMUNE, "503"))
    yield ws  # type: ignore[misc]
    ws.close()


def test_enrolling_an_all_zero_key_stores_nothing(office: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "zero.pub"
    path.write_text(_pub_text(bytes(32)))
    with pytest.raises(ParAppError, match="khóa yếu"):
        trusted_keys.enrol_key_file(office, "20333", path)
    assert trusted_keys.list_keys(office) == []
    key_list = tmp_path / "ds.txt"
    key_list.write_text(f"20333 {base64.b64encode(b'Ed' + bytes(8) + bytes(32)).decode()}\n")
    with pytest.raises(ParAppError, match=r"Dòng 1: .*khóa yếu"):
        trusted_keys.enrol_key_list(office, key_list)
    assert trusted_keys.list_keys(office) == []


def test_bundle_carrying_an_all_zero_key_is_refused(tmp_path: Path) -> None:
    s = make_sample(tmp_path / "s")
    bag, files = read_entries(s.path)
    zero = base64.b64encode(b"Ed" + bytes(8) + bytes(32)).decode()
    files = reseal(set_info(files, "ParApp-Public-Key", zero), s.keypair)
    crafted = write_bag(tmp_path / "zero-key.zip", bag, files)
    report = verify_bundle(crafted)
    assert not report.ok and report.first_failure


@pytest.mark.parametrize(
    ("encode", "name"),
    [
        (lambda t: ("\ufeff" + t.replace("\n", "\r\n")).encode("utf-8"), "bom-crlf"),
        (lambda t: t.replace("\n", "\r\n").encode("utf-8"), "crlf"),
        (lambda t: ("\ufeff" + t.replace("\n", "\r\n")).encode("utf-16-le"), "utf16-notepad"),
        (lambda t: ("\ufeff" + t).encode("utf-8"), "bom-lf"),
        (lambda t: t.replace("\n", "\r\n").rstrip("\r\n").encode("utf-8"), "no-final-newline"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_pub_files_saved_by_windows_editors_are_read(
    office: Workspace, tmp_path: Path, encode: object, name: str
) -> None:
    kp = keys.generate_keypair()
    path = tmp_path / f"{name}.pub"
    path.write_bytes(encode(keys.public_key_to_minisign(kp.public)))  # type: ignore[operator]
    assert keys.read_public_key(path) == kp.public
    enrolled = trusted_keys.enrol_key_file(office, "20333", path)
    assert enrolled.fingerprint == keys.fingerprint(kp.public)


def test_one_key_trusted_for_two_units_is_warned(office: Workspace, tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    keys.write_public_key(kp.public, tmp_path / "k.pub")
    first = trusted_keys.enrol_key_file(office, "20333", tmp_path / "k.pub")
    assert first.warning == ""
    second = trusted_keys.enrol_key_file(office, "20334", tmp_path / "k.pub")
    assert second.shared_with == ("20333",)
    assert "cũng đang được tin cho đơn vị 20333" in second.warning
    listed = {k.unit_code: k for k in trusted_keys.list_keys(office)}
    assert listed["20333"].shared_with == ("20334",) and listed["20333"].warning


def test_unit_name_comes_from_the_office_list(office: Workspace, tmp_path: Path) -> None:
    """bag-info may call itself another unit's name; the office shows its own name."""
    from dataclasses import replace

    from parapp.interchange.bundle import make_assessment_doc, write_bundle
    from tests.interchange.hostile_bundles import sample_info

    fw = sample_framework()
    kp = keys.generate_keypair()
    liar = replace(sample_info(fw, unit_code="20333"), unit_name="Xã Điện Thắng")
    write_bundle(tmp_path / "a.zip", liar, make_assessment_doc(liar, fw, []), [], kp)
    stranger = replace(sample_info(fw, unit_code="99999"), unit_name="Xã Lạ")
    write_bundle(tmp_path / "b.zip", stranger, make_assessment_doc(stranger, fw, []), [], kp)
    report = inbox.import_bundles(office, [tmp_path / "a.zip", tmp_path / "b.zip"])
    assert len(report.entries) == 2
    names = {e.unit_code: e.unit_name for e in inbox.inbox_entries(office)}
    assert names["20333"] == "Xã Điện Hòa"
    assert names["99999"] == "Xã Lạ (tên do hồ sơ tự khai)"
