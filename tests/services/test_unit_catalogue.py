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


# -- issue 14: the GSO catalogue with its 2025 lineage -------------------------------------
def test_34_provinces_and_3321_communes_in_force() -> None:
    provinces = unit_catalogue.provinces()
    assert len(provinces) == 34 and not any(p.historical for p in provinces)
    communes = [c for p in provinces for c in unit_catalogue.communes(p.code)]
    assert len(communes) == 3321
    assert {c.kind for c in communes} == {"xã", "phường", "đặc khu"}
    assert all(c.parent_code == c.province_code and c.valid_until is None for c in communes)


def test_every_province_code_resolves_to_a_province_never_to_a_ward() -> None:
    codes = {p.code for p in unit_catalogue.provinces()}
    assert {"04", "08", "25"} <= codes
    for n in range(1, 97):
        for text in (f"{n:02d}", str(n)):
            entry = unit_catalogue.lookup(text)
            if f"{n:02d}" in codes:
                assert entry is not None and entry.level is UnitLevel.PROVINCE, text
                assert entry.code == f"{n:02d}"
            else:
                assert entry is None, (text, entry)
    cao_bang = unit_catalogue.lookup("04")
    assert cao_bang is not None and cao_bang.name == "Tỉnh Cao Bằng"
    # The same bare code as a commune code is the ward, and the old ward has its own key.
    ward, old_ward = unit_catalogue.lookup("00004"), unit_catalogue.lookup("old-00004")
    assert ward is not None and ward.name == "Phường Ba Đình" and not ward.historical
    assert old_ward is not None and old_ward.name == "Phường Trúc Bạch" and old_ward.historical
    assert old_ward.valid_until == "30/06/2025"
    assert unit_catalogue.lookup("old:00004") == old_ward


def _names(links: tuple[unit_catalogue.Link, ...]) -> list[tuple[str, str, str]]:
    return [(link.code, link.name, link.how) for link in links]


def test_lineage_of_real_merges_both_ways() -> None:
    # Old commune merged whole into a new ward (Quảng Nam -> Đà Nẵng).
    old = unit_catalogue.lineage("old-20560")
    assert old.unit.name == "Phường Điện Thắng Bắc" and old.unit.district_name == "Thị xã Điện Bàn"
    assert _names(old.successors) == [("20557", "Phường Điện Bàn Bắc", "toàn bộ")]
    new = unit_catalogue.lineage("20557")
    assert ("old-20560", "Phường Điện Thắng Bắc", "toàn bộ") in _names(new.predecessors)
    assert {link.code for link in new.predecessors} == {
        "old-20554", "old-20557", "old-20560",
    }  # fmt: skip
    # A part of one old ward split across several new wards.
    ngoc_ha = unit_catalogue.lineage("old-00016")
    assert _names(ngoc_ha.successors) == [
        ("00004", "Phường Ba Đình", "một phần"),
        ("00008", "Phường Ngọc Hà", "một phần"),
    ]
    dien_bien = unit_catalogue.lineage("old-00019")
    assert [s.code for s in dien_bien.successors] == ["00004", "00070", "00190", "00226"]
    assert {s.how for s in dien_bien.successors} == {"một phần"}
    # The note of the conversion table is kept when it says more.
    thuy_khue = {s.code: s for s in unit_catalogue.lineage("old-00112").successors}
    assert thuy_khue["00103"].note == "Nhập một phần diện tích, toàn bộ dân số"
    assert thuy_khue["00103"].how == "một phần"
    # Provinces: Quảng Nam went whole into Đà Nẵng, which has two predecessors.
    assert _names(unit_catalogue.lineage("old-49").successors) == [
        ("48", "Thành phố Đà Nẵng", "toàn bộ")
    ]
    assert [p.code for p in unit_catalogue.lineage("48").predecessors] == ["old-48", "old-49"]
    # A whole island district became a special zone.
    assert _names(unit_catalogue.lineage("11948").predecessors) == [
        ("old-318", "Huyện Bạch Long Vĩ", "toàn bộ")
    ]


def test_lineage_agrees_with_the_conversion_table() -> None:
    import csv

    from tests.test_units_data import _units_dir

    expected: dict[str, set[tuple[str, str]]] = {}
    with (_units_dir() / "conversion-2025-07-01.csv").open(encoding="utf-8") as f:
        for row in list(csv.reader(f))[2:]:
            new, old, note = row[2].strip(), row[4].strip(), " ".join(row[5].split())
            if new and old:
                part = "một phần" in note.replace("Nhâp", "Nhập") or "Phần còn lại" in note
                expected.setdefault(new, set()).add(
                    (f"old-{old}", "một phần" if part else "toàn bộ")
                )
    # 5 special zones were whole island districts (no old commune; linked from the district).
    assert len(expected) == 3321 - 5

    def communes_before(code: str) -> set[tuple[str, str]]:
        predecessors = unit_catalogue.lineage(code).predecessors
        return {(p.code, p.how) for p in predecessors if len(p.code) == len("old-00000")}

    for code in ("00004", "00070", "20551", "20557", "26824", "24496", "31108", "03980"):
        assert communes_before(code) == expected[code], code
    assert [c for c, links in expected.items() if communes_before(c) != links] == []


def test_search_finds_old_names_with_the_unit_they_belong_to_now() -> None:
    hits = unit_catalogue.search("dien thang bac")
    assert hits[0].code == "old-20560"
    assert "nay thuộc Phường Điện Bàn Bắc (toàn bộ)" in hits[0].display
    assert "Thị xã Điện Bàn" in hits[0].display
    quang_nam = unit_catalogue.search("quang nam")[0]
    assert (quang_nam.code, quang_nam.level) == ("old-49", UnitLevel.PROVINCE)
    assert "nay thuộc Thành phố Đà Nẵng (toàn bộ)" in quang_nam.display
    assert unit_catalogue.search("tien giang")[0].name == "Tỉnh Tiền Giang"
    district = unit_catalogue.search("huyen dien ban")[0]
    assert (district.code, district.name) == ("old-507", "Thị xã Điện Bàn")
    # Only units in force when asked so (the setup wizard).
    assert all(not e.historical for e in unit_catalogue.search("dien ban", historical=False))


def test_search_knows_other_spellings_and_type_prefixes() -> None:
    for text in ("Daklak", "Đắc Lắc", "dak lak", "Đăk Lăk", "tinh dak lak"):
        first = unit_catalogue.search(text)[0]
        assert (first.code, first.name) == ("66", "Tỉnh Đắk Lắk"), text
    assert unit_catalogue.search("tp hcm")[0].code == "79"
    assert unit_catalogue.search("tp. Đà Nẵng")[0].code == "48"
    assert unit_catalogue.search("q.1")[0].name == "Quận 1"
    assert unit_catalogue.search("Q1")[0].name == "Quận 1"
    assert unit_catalogue.search("xã điện bàn tây")[0].name == "Xã Điện Bàn Tây"
    assert unit_catalogue.search("PHUONG  DIEN   BAN")[0].name == "Phường Điện Bàn"
    # A name that starts like a type word is still found first.
    assert unit_catalogue.search("quan hoa")[0].name == "Huyện Quan Hóa"
    assert unit_catalogue.search("xa dung")[0].name == "Xã Xa Dung"
    assert "Phường Phường Đúc" in [e.name for e in unit_catalogue.search("phuong duc")[:3]]


def test_whole_words_rank_first() -> None:
    names = [e.name for e in unit_catalogue.search("thu duc")]
    assert names[0] == "Phường Thủ Đức"
    assert names.index("Thành phố Thủ Đức") < names.index("Xã Thượng Đức")


def test_search_latency_stays_interactive() -> None:
    import time

    unit_catalogue.catalogue()
    start = time.perf_counter()
    for text in ("dien ban", "thu duc", "ha", "Daklak", "xa", "n"):
        unit_catalogue.search(text)
    assert (time.perf_counter() - start) / 6 < 0.25
