"""Pure consolidation rules, checked against figures worked out by hand."""

from __future__ import annotations

import pytest

from parapp.models.consolidation import (
    DEFAULT_THRESHOLDS,
    compare,
    competition_ranks,
    format_thresholds,
    parse_thresholds,
    rank_units,
    rating_for,
    unit_result,
)
from parapp.models.errors import ValidationError
from parapp.models.scoring import RuleKind
from tests.models.sample_framework import sample_framework


def test_competition_ranks_share_places() -> None:
    assert competition_ranks([9, 8, 8, 7]) == [1, 2, 2, 4]
    assert competition_ranks([50.004, 50.001, 70]) == [2, 2, 1]  # equal to 2 decimals
    assert competition_ranks([]) == []


def test_rating_bands_and_parsing() -> None:
    assert [rating_for(x, DEFAULT_THRESHOLDS) for x in (95, 90, 89.99, 70, 49.99, 0)] == [
        "Xuất sắc", "Xuất sắc", "Tốt", "Khá", "Yếu", "Yếu",
    ]  # fmt: skip
    bands = parse_thresholds("Tốt=80, Đạt=50, Chưa đạt")
    assert bands == (("Tốt", 80.0), ("Đạt", 50.0), ("Chưa đạt", 0.0))
    assert parse_thresholds("A=72,5; B=0") == (("A", 72.5), ("B", 0.0))
    assert parse_thresholds(format_thresholds((("A", 72.5), ("B", 0.0)))) == (
        ("A", 72.5),
        ("B", 0.0),
    )
    with pytest.raises(ValidationError, match="không hợp lệ"):
        parse_thresholds("Tốt=120, Yếu=0")
    with pytest.raises(ValidationError, match="khác nhau"):
        parse_thresholds("Tốt=80, Khá=80")


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("không phải ngưỡng", "không phải ngưỡng"),  # one word: not a scale of one band
        ("Tốt, Khá=50, Yếu=0", "Tốt"),  # only the last band may omit its bound
        ("Tốt=80; Khá; Yếu=0", "Khá"),
    ],
)
def test_band_without_bound_is_refused_by_name(text: str, bad: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_thresholds(text)
    assert f"Mức xếp loại “{bad}” thiếu ngưỡng phần trăm" in str(caught.value)


def test_unit_result_rule_by_hand() -> None:
    fw = sample_framework()  # leaves 1.1.1 (1), 1.1.2 (1), 1.2 (2), 2.1 (3), survey 2.2 (3)
    self_scores = {"1.1.1": 1.0, "1.1.2": 0.5, "1.2": 2.0, "2.1": 1.5}
    # Nothing appraised: self scores stand in, provisional, max 7 (survey excluded).
    r = unit_result(fw, "X", "Xã X", self_scores, {})
    assert (r.area_totals, r.total, r.maximum, r.provisional) == ((3.5, 1.5), 5.0, 7.0, True)
    assert r.index_percent == 71.43
    # Appraised 1.2 down to 1 and the survey item at 2: max 10, total 1+0.5+1+1.5+2 = 6.
    r = unit_result(fw, "X", "Xã X", self_scores, {"1.2": 1.0, "2.2": 2.0})
    assert (r.area_totals, r.total, r.maximum) == ((2.5, 3.5), 6.0, 10.0)
    assert (r.appraised_items, r.appraisable_items, r.appraisal_percent) == (1, 4, 25.0)
    assert r.index_percent == 60.0 and r.self_total == 5.0


def test_rank_and_compare() -> None:
    fw = sample_framework()
    full = {"1.1.1": 1.0, "1.1.2": 1.0, "1.2": 2.0, "2.1": 3.0}
    a = unit_result(fw, "A", "A", full, {})  # 7/7 = 100
    b = unit_result(fw, "B", "B", full | {"2.1": 1.5}, {})  # 5.5/7 = 78.57
    c = unit_result(fw, "C", "C", full | {"1.2": 0.5}, {})  # 5.5/7 = 78.57
    d = unit_result(fw, "D", "D", {}, {})  # 0
    ranked = rank_units([d, c, b, a])
    assert [(x.result.unit_code, x.rank, x.rating) for x in ranked] == [
        ("A", 1, "Xuất sắc"), ("B", 2, "Khá"), ("C", 2, "Khá"), ("D", 4, "Yếu"),
    ]  # fmt: skip
    before = rank_units([unit_result(fw, "A", "A", full | {"2.1": 0.0}, {}), b])
    cmp = compare(ranked, before)
    assert cmp["A"].rank_change(1) == 1 and cmp["A"].index_change(100.0) == 42.86
    assert cmp["D"].previous_rank is None and cmp["D"].rank_change(4) is None


def test_bonus_counts_above_the_maximum_within_the_framework_cap() -> None:
    from dataclasses import replace

    from parapp.models.framework import Criterion
    from parapp.models.scoring import parse_rule_params

    bonus = parse_rule_params(RuleKind.BONUS, "thưởng tối đa 0,5")
    fw = sample_framework()
    fw = replace(
        fw,
        bonus_cap=0.75,
        criteria=(
            *fw.criteria,
            Criterion("1.3", "Sáng kiến CCHC", 0, "1", 8, bonus),
            Criterion("2.3", "Giải pháp mới", 0, "2", 9, bonus),
        ),
    )
    full = {"1.1.1": 1.0, "1.1.2": 1.0, "1.2": 2.0, "2.1": 3.0, "1.3": 0.5, "2.3": 0.5}
    r = unit_result(fw, "X", "Xã X", full, {})
    assert (r.area_totals, r.total, r.maximum) == ((4.5, 3.25), 7.75, 7.0)
    assert r.index_percent == 110.71  # bonus is above the maximum by definition
