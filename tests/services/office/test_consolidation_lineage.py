"""Previous-period comparison for units formed on 1 July 2025 (lineage from the catalogue)."""

from __future__ import annotations

from parapp.models.consolidation import RankedUnit, UnitResult, compare
from parapp.services.office.consolidation import lineage_references


def _ranked(code: str, name: str, rank: int, total: float) -> RankedUnit:
    return RankedUnit(UnitResult(code, name, (total,), total, 100.0, total, 1, 1), rank, "Khá")


def test_a_new_ward_gets_its_predecessors_results_for_reference_only() -> None:
    # 2024: old communes of Thị xã Điện Bàn, under bare old codes or old- codes.
    before = (
        _ranked("20554", "UBND xã Điện Tiến", 1, 90.0),
        _ranked("old-20560", "Phường Điện Thắng Bắc", 2, 80.0),
        _ranked("20557", "Xã Điện Hòa", 3, 70.0),  # the bare code the new ward re-uses
        _ranked("20551", "Phường Vĩnh Điện", 4, 60.0),
        _ranked("99", "Xã Ngoài Danh Mục", 5, 50.0),
    )
    # 2026: new Phường Điện Bàn Bắc (20557), from Điện Tiến, Điện Hòa, Điện Thắng Bắc.
    now = [
        _ranked("20557", "Phường Điện Bàn Bắc", 1, 85.0),
        _ranked("99", "Xã Ngoài Danh Mục", 2, 55.0),
    ]
    comparison, refs = lineage_references(now, before, compare(now, before))
    # Same code, different unit: not compared as if it were the same unit.
    assert comparison["20557"].previous_rank is None
    assert comparison["20557"].index_change(85.0) is None
    # A unit outside the catalogue keeps the ordinary comparison.
    assert comparison["99"].previous_rank == 5 and "99" not in refs
    assert [(p.code, p.name, p.how, p.rank, p.index_percent) for p in refs["20557"]] == [
        ("20554", "UBND xã Điện Tiến", "toàn bộ", 1, 90.0),
        ("20557", "Xã Điện Hòa", "toàn bộ", 3, 70.0),
        ("old-20560", "Phường Điện Thắng Bắc", "toàn bộ", 2, 80.0),
    ]
    assert all(p.as_dict()["reference_only"] for p in refs["20557"])
    assert "20551" not in {p.code for p in refs["20557"]}  # Vĩnh Điện went to Điện Bàn


def test_the_same_unit_in_both_periods_is_compared_normally() -> None:
    before = (_ranked("20551", "UBND phường Điện Bàn", 2, 70.0),)
    now = [_ranked("20551", "Phường Điện Bàn", 1, 80.0)]
    comparison, refs = lineage_references(now, before, compare(now, before))
    assert comparison["20551"].previous_rank == 2 and refs == {}
