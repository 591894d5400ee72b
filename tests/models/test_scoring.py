import pytest

from parapp.models.errors import ValidationError
from parapp.models.scoring import (
    Band,
    RuleKind,
    ScoringRule,
    band_score,
    check_score,
    format_bands,
    parse_bands,
    percentage,
)


def test_parse_bands_from_issue_example() -> None:
    bands, measure = parse_bands(">=100% → 1; >=80% → 0,5; còn lại → 0")
    assert bands == (Band(100.0, 1.0), Band(80.0, 0.5), Band(None, 0.0))
    assert measure == "%"
    assert format_bands(bands, measure) == ">=100% → 1; >=80% → 0,5; còn lại → 0"


def test_parse_bands_accepts_ascii_arrows_and_unicode_ge() -> None:
    bands, _ = parse_bands("≥ 98% -> 2\nelse: 0")
    assert bands == (Band(98.0, 2.0), Band(None, 0.0))


def test_parse_bands_names_the_bad_part() -> None:
    with pytest.raises(ValueError, match="khoảng 80"):
        parse_bands(">=100% → 1; khoảng 80 → 0,5")


@pytest.mark.parametrize(("value", "points"), [(100, 1.0), (99.99, 0.5), (80, 0.5), (79.9, 0.0)])
def test_band_score(value: float, points: float) -> None:
    rule = ScoringRule(RuleKind.BANDS, parse_bands(">=100% → 1; >=80% → 0,5; còn lại → 0")[0], "%")
    assert band_score(rule, value) == points


def test_band_score_without_otherwise_band_is_zero() -> None:
    rule = ScoringRule(RuleKind.BANDS, (Band(50, 1.0),))
    assert band_score(rule, 10) == 0.0


def test_percentage() -> None:
    assert percentage(191, 200) == 95.5
    with pytest.raises(ValidationError, match="Mẫu số bằng 0"):
        percentage(0, 0)
    with pytest.raises(ValidationError, match="số nguyên"):
        percentage(19.5, 40)
    with pytest.raises(ValidationError, match="lớn hơn mẫu số"):
        percentage(5, 4)


def test_check_score_limits_and_step() -> None:
    check_score(1.5, 2, 0.25)
    with pytest.raises(ValidationError, match="vượt điểm tối đa 2"):
        check_score(2.5, 2, 0.25, "1.1")
    with pytest.raises(ValidationError, match="bội số của 0,25"):
        check_score(0.3, 2, 0.25)
    with pytest.raises(ValidationError, match="không được âm"):
        check_score(-1, 2, 0.25)


def test_rule_kind_labels_round_trip() -> None:
    for kind in RuleKind:
        assert RuleKind.from_label(kind.label) is kind
        assert RuleKind.from_label(kind.value.upper()) is kind
