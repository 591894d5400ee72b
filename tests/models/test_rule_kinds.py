"""Each rule kind with a real example from the seed documents (docs/scoring-rules.md)."""

from __future__ import annotations

import pytest

from parapp.models.errors import ValidationError
from parapp.models.framework import (
    Criterion,
    Framework,
    framework_from_dict,
    framework_to_dict,
)
from parapp.models.scoring import (
    Band,
    RuleKind,
    ScoringRule,
    check_score,
    computed_score,
    describe_band,
    format_rule_params,
    parse_bands,
    parse_rule_params,
    score_range,
)
from parapp.models.validation import rule_problems


def test_manual_rule_uses_its_own_step() -> None:
    # 1.5 "Sáng kiến hoặc giải pháp mới trong CCHC" (seed 003, 1,5 điểm): scored by hand
    rule = parse_rule_params(RuleKind.MANUAL, "bước 0,25")
    assert rule.step == 0.25 and format_rule_params(rule) == "bước 0,25"
    check_score(1.25, 1.5, rule.step, "1.5", rule)
    with pytest.raises(ValidationError, match="bội số của 0,25"):
        check_score(1.3, 1.5, rule.step, "1.5", rule)
    assert computed_score(1.5, rule, 1.0) is None


def test_bands_with_explicit_comparisons_and_ranges() -> None:
    # seed 003 §3.4: "từ 95% - 100% hồ sơ TTHC ... được giải quyết đúng hạn"
    bands, measure = parse_bands("≥95% → 1; từ 80% đến dưới 95% → 0,5; <80% → 0")
    rule = ScoringRule(RuleKind.BANDS, bands, measure)
    assert measure == "%"
    assert [b.op for b in bands] == [">=", "range", "<"]
    assert computed_score(1, rule, 95) == 1
    assert computed_score(1, rule, 94.99) == 0.5
    assert computed_score(1, rule, 80) == 0.5
    assert computed_score(1, rule, 79.99) == 0
    assert format_rule_params(rule) == ">=95% → 1; từ 80% đến dưới 95% → 0,5; <80% → 0"
    assert describe_band(bands[1], "%") == "Từ 80% đến dưới 95%"
    strict = ScoringRule(RuleKind.BANDS, parse_bands(">30% → 1; <=30% → 0")[0], "%")
    assert computed_score(1, strict, 30) == 0 and computed_score(1, strict, 30.01) == 1


def test_band_without_otherwise_leaves_lower_values_to_the_officer() -> None:
    # 1.3.1 (seed 000): "Đạt từ 30 % trở lên" — nothing stated below 30 %
    rule = parse_rule_params(RuleKind.BANDS, "từ 30% trở lên → 1")
    assert rule.bands == (Band(30.0, 1.0),)
    assert computed_score(1, rule, 30) == 1
    assert computed_score(1, rule, 12) is None


def test_count_thresholds() -> None:
    # seed 000: "Số TTHC được giải quyết theo hình thức liên thông cùng cấp": "Từ 50 TTHC trở lên"
    rule = parse_rule_params(RuleKind.COUNT, "từ 50 TTHC trở lên → 1")
    assert rule.kind is RuleKind.COUNT and rule.measure == "TTHC"
    assert format_rule_params(rule) == ">=50 TTHC → 1"
    assert computed_score(1, rule, 50) == 1
    assert computed_score(1, rule, 49) is None
    assert parse_rule_params(RuleKind.COUNT, format_rule_params(rule)) == rule


def test_proportional_with_cap_and_floor() -> None:
    # 7.2.2 scored 0,61 in 2017 (seed 003): a rate of 12,2 % against "Từ 20%" (seed 000)
    rule = parse_rule_params(RuleKind.PROPORTIONAL, "đủ điểm từ 20%")
    assert computed_score(1, rule, 12.2) == 0.61
    assert computed_score(1, rule, 35) == 1  # capped at the maximum
    plain = parse_rule_params(RuleKind.PROPORTIONAL, "")
    assert computed_score(1, plain, 99) == 0.99  # 3.4.2 "0,99" = 99 % × 1
    floored = parse_rule_params(RuleKind.PROPORTIONAL, "đủ điểm từ 50%; 0 điểm dưới 10%")
    assert computed_score(0.5, floored, 9.99) == 0
    assert computed_score(0.5, floored, 25) == 0.25
    assert parse_rule_params(RuleKind.PROPORTIONAL, format_rule_params(floored)) == floored


def test_yes_no() -> None:
    # 1.1.1 "Ban hành kế hoạch CCHC" (0,5): issued or not
    rule = ScoringRule(RuleKind.YES_NO)
    assert computed_score(0.5, rule, 1) == 0.5 and computed_score(0.5, rule, 0) == 0


def test_deduction_allows_negative_points_down_to_its_floor() -> None:
    # 5.5.2 "Chấp hành kỷ luật, kỷ cương hành chính" (seed 000: no official disciplined)
    # written by a province as a deduction of up to 1 point
    rule = parse_rule_params(RuleKind.DEDUCTION, "trừ tối đa 1")
    assert rule.floor == -1 and score_range(0, rule) == (-1, 0)
    check_score(-0.5, 0, 0.25, "5.5.2", rule)
    with pytest.raises(ValidationError, match="thấp hơn mức trừ tối đa -1"):
        check_score(-1.5, 0, 0.25, "5.5.2", rule)
    with pytest.raises(ValidationError, match="vượt điểm tối đa 0"):
        check_score(0.5, 0, 0.25, "5.5.2", rule)
    assert rule_problems("5.5.2", 0, rule) == []
    assert rule_problems("5.5.2", 0.5, rule) == [
        "Tiêu chí 5.5.2: tiêu chí điểm trừ phải có điểm tối đa 0."
    ]


def test_bonus_points_above_the_area_maximum_capped_by_the_framework() -> None:
    # 1.5 "Sáng kiến ... mới trong CCHC": "Có từ 03 sáng kiến ... trở lên" (seed 000)
    rule = parse_rule_params(RuleKind.BONUS, "thưởng tối đa 0,5")
    assert score_range(0, rule) == (0, 0.5)
    with pytest.raises(ValidationError, match="vượt điểm tối đa 0,5"):
        check_score(1, 0, 0.25, "1.7", rule)
    fw = Framework(
        "x",
        "X",
        bonus_cap=0.75,
        criteria=(
            Criterion("1", "A", 1),
            Criterion("1.1", "a", 1, "1"),
            Criterion("1.2", "thưởng", 0, "1", rule=rule),
            Criterion("1.3", "thưởng 2", 0, "1", rule=rule),
        ),
    )
    assert fw.bonus_points == 0.75
    again = framework_from_dict(framework_to_dict(fw))
    assert again == fw and again.content_hash == fw.content_hash


def test_not_applicable_needs_the_condition_in_the_rule() -> None:
    # seed 003, 3.3.3: "(Không tính các xã thuộc huyện đảo)"
    rule = parse_rule_params(
        RuleKind.MANUAL, "", not_applicable="Không tính các xã thuộc huyện đảo"
    )
    assert rule.not_applicable == "Không tính các xã thuộc huyện đảo"


def test_survey_rule_is_not_self_assessable() -> None:
    # 2.4 "Tác động của cải cách đến chất lượng VBQPPL ... (qua điều tra XHH)"
    rule = ScoringRule(RuleKind.SURVEY)
    assert not rule.self_assessable and computed_score(5, rule, 3.41) is None


def test_every_rule_keeps_its_source_through_json() -> None:
    rule = parse_rule_params(
        RuleKind.BANDS, ">=30% → 1", source="Theo Bảng cải thiện 2020: “Đạt từ 30 % trở lên”"
    )
    fw = Framework("x", "X", criteria=(Criterion("1", "A", 1, rule=rule),))
    data = framework_to_dict(fw)
    assert data["format_version"] == 2
    assert framework_from_dict(data).by_code["1"].rule.source.endswith("30 % trở lên”")


def test_old_four_kind_json_loads_and_keeps_its_hash() -> None:
    old = {
        "id": "old",
        "name": "Cũ",
        "index_kind": "PAR",
        "year": 2018,
        "decision": "",
        "level": "",
        "score_step": 0.25,
        "criteria": [
            {
                "code": "1",
                "title": "Tỷ lệ",
                "max_points": 1.0,
                "parent_code": None,
                "order": 1,
                "rule": {"kind": "bands", "bands": [[100.0, 1.0], [None, 0.0]], "measure": "%"},
                "guidance": {},
            }
        ],
    }
    fw = framework_from_dict(old)
    assert fw.by_code["1"].rule.bands == (Band(100.0, 1.0), Band(None, 0.0))
    again = framework_to_dict(fw)
    assert "format_version" not in again
    assert again["criteria"][0]["rule"] == old["criteria"][0]["rule"]
