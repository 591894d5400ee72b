"""Every non-manual rule of every default framework, with the seed text it comes from.

The default rules must be honest: a band only where a seed states a threshold, cited
word for word; manual everywhere else. This list is the reviewable statement of that.
"""

from __future__ import annotations

import json

import pytest

from parapp.models.framework import Framework, framework_from_dict
from parapp.models.scoring import RuleKind, computed_score, format_rule_params
from parapp.resources import resource

PAR_EXPECTED: dict[str, tuple[RuleKind, str, str]] = {
    # code: (kind, rule text, the seed's own words)
    "1.3.1": (RuleKind.BANDS, ">=30% → 1", "Đạt từ 30 % trở lên"),
    "3.2.3": (RuleKind.BANDS, ">=100% → 1", "100% số cơ quan, đơn vị"),
    "3.3.4": (RuleKind.COUNT, ">=50 TTHC → 1", "Từ 50 TTHC trở lên"),
    "3.3.5": (RuleKind.COUNT, ">=30 TTHC → 1", "Từ 30 TTHC trở lên"),
    "5.1.1": (RuleKind.BANDS, ">=100% → 1", "100% số cơ quan, tổ chức thực hiện đúng quy định"),
    "5.1.2": (RuleKind.BANDS, ">=100% → 1", "100% đơn vị thực hiện đúng quy định"),
    "5.7.1": (RuleKind.BANDS, ">=100% → 0,5", "Đạt tỷ lệ 100 %"),
    "5.7.2": (RuleKind.BANDS, ">=100% → 0,5", "Đạt tỷ lệ 100 %"),
    "7.2.1": (RuleKind.BANDS, ">=50% → 0,5", "Từ 50% số TTHC trở lên"),
    "7.2.2": (RuleKind.BANDS, ">=20% → 1", "Từ 20% số hồ sơ tiếp nhận trực tuyến trở lên"),
    "7.3.1": (RuleKind.BANDS, ">=50% → 0,5", "Từ 50% số TTHC trở lên có phát sinh hồ sơ"),
    "7.3.2": (RuleKind.BANDS, ">=10% → 1", "Từ 10% số hồ sơ TTHC trở lên"),
    "7.3.3": (RuleKind.BANDS, ">=10% → 1", "Từ 10% số hồ sơ TTHC trở lên"),
    "7.4.1": (RuleKind.BANDS, ">=100% → 0,5", "100% số cơ quan, đơn vị"),
    "7.4.2": (RuleKind.BANDS, ">=40% → 1", "đạt từ 40% trở lên ĐVHC cấp xã công bố ISO 9001"),
}
PAR_SURVEY = {"2.4", "4.4", "5.8", "5.9", "6.3", "7.5", "8.1"}


def _load(name: str) -> Framework:
    path = resource("defaults", name)
    return framework_from_dict(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def par() -> Framework:
    return _load("par_tiengiang_2018.json")


def test_every_non_manual_rule_of_par_is_listed_with_its_seed_text(par: Framework) -> None:
    found = {
        c.code: (c.rule.kind, format_rule_params(c.rule), c.rule.source)
        for c in par.leaves()
        if c.rule.kind not in (RuleKind.MANUAL, RuleKind.SURVEY)
    }
    assert sorted(found) == sorted(PAR_EXPECTED)
    for code, (kind, text, words) in PAR_EXPECTED.items():
        got_kind, got_text, source = found[code]
        assert (got_kind, got_text) == (kind, text), code
        assert words in source, code
        # below the stated threshold the seeds say nothing: no invented "còn lại" band
        assert all(b.threshold is not None for b in par.by_code[code].rule.bands), code
    survey = {c.code for c in par.leaves() if c.rule.kind is RuleKind.SURVEY}
    assert survey == PAR_SURVEY
    assert all("XHH" in par.by_code[c].rule.source for c in survey)


def test_every_default_framework_cites_a_source_for_each_non_manual_rule() -> None:
    for name in ("par_tiengiang_2018.json", "papi_quangnam_2020.json"):
        fw = _load(name)
        for c in fw.leaves():
            if c.rule.kind is not RuleKind.MANUAL:
                assert c.rule.source.startswith("Theo "), (name, c.code)


def test_1_3_1_at_30_percent_gives_its_full_point(par: Framework) -> None:
    c = par.by_code["1.3.1"]
    assert computed_score(c.max_points, c.rule, 30.0) == 1.0
    assert computed_score(c.max_points, c.rule, 95.0) == 1.0
    assert computed_score(c.max_points, c.rule, 29.99) is None  # officer scores it by hand


def test_7_3_2_at_10_percent_gives_its_full_point(par: Framework) -> None:
    # Tiền Giang scored 1/1 on 7.3.2 in 2017 (seed 003); the target is "Từ 10%".
    c = par.by_code["7.3.2"]
    assert computed_score(c.max_points, c.rule, 10.0) == c.max_points == 1.0


def test_island_communes_may_declare_3_3_3_not_applicable(par: Framework) -> None:
    assert par.by_code["3.3.3"].rule.not_applicable == "Không tính các xã thuộc huyện đảo"
