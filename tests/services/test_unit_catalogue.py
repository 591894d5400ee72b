from parapp.models.units import UnitLevel
from parapp.services import unit_catalogue


def test_catalogue_is_post_2025_two_tier() -> None:
    assert len(unit_catalogue.provinces()) == 34
    assert unit_catalogue.data_version() >= "2025-07-01"


def test_accent_insensitive_search_finds_dien_ban() -> None:
    names = [e.name for e in unit_catalogue.search("dien ban")]
    assert names[0] == "Phường Điện Bàn"
    assert "Xã Điện Bàn Tây" in names


def test_search_within_a_province_and_by_code() -> None:
    hits = unit_catalogue.search("hoan kiem", province_code="01")
    assert hits and hits[0].province_name == "Thành phố Hà Nội"
    assert unit_catalogue.search("20551")[0].name == "Phường Điện Bàn"


def test_lookup_gives_unit_with_province_parent() -> None:
    entry = unit_catalogue.lookup("20551")
    assert entry is not None
    unit = entry.to_unit()
    assert (unit.level, unit.parent_code, unit.province) == (
        UnitLevel.COMMUNE,
        "48",
        "Thành phố Đà Nẵng",
    )
    province = unit_catalogue.lookup("48")
    assert province is not None and province.level is UnitLevel.PROVINCE
