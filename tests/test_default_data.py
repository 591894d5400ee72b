"""The embedded default data (resources/defaults) read back through the real model code.

The JSON files are derived from the provincial seed documents by tools/build_defaults.py;
these tests pin the numbers that matter (points, survey items, task hierarchy, deadlines)
to values read by hand from the seeds, and check that the committed files are exactly what
the script produces.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from parapp.models.errors import ValidationError
from parapp.models.framework import Framework, framework_from_dict
from parapp.models.scoring import RuleKind, check_score, format_bands
from parapp.models.tasks import Task, TaskPlan, task_plan_from_dict
from parapp.models.validation import framework_problems
from tests.system_tools import seeds_dir

REPO = Path(__file__).resolve().parent.parent
DEFAULTS = REPO / "resources" / "defaults"
FILES = (
    "par_tiengiang_2018.json",
    "papi_quangnam_2020.json",
    "tasks_quangnam_2024.json",
    "tasks_quangnam_2022.json",
)


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DEFAULTS / name).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def par() -> Framework:
    return framework_from_dict(_load("par_tiengiang_2018.json"))


@pytest.fixture(scope="module")
def papi() -> Framework:
    return framework_from_dict(_load("papi_quangnam_2020.json"))


@pytest.fixture(scope="module")
def plan2024() -> TaskPlan:
    return task_plan_from_dict(_load("tasks_quangnam_2024.json"))


@pytest.fixture(scope="module")
def plan2022() -> TaskPlan:
    return task_plan_from_dict(_load("tasks_quangnam_2022.json"))


# -- PAR Index framework (seed 003, guidance from seed 000) -------------------------------
def test_par_validates_and_totals_100_in_8_areas(par: Framework) -> None:
    assert framework_problems(par) == []
    assert par.index_kind == "PAR"
    assert par.year == 2018
    assert [a.code for a in par.areas] == [str(n) for n in range(1, 9)]
    assert [a.max_points for a in par.areas] == [10, 10, 14.5, 11, 16, 7, 16, 15.5]
    assert par.total_points == 100
    assert len(par.criteria) == 107


def test_par_every_parent_is_the_sum_of_its_children(par: Framework) -> None:
    parents = [c for c in par.criteria if not par.is_leaf(c.code)]
    assert len(parents) == 31
    for c in parents:
        assert sum(k.max_points for k in par.children(c.code)) == pytest.approx(c.max_points)


def test_par_spot_values_from_the_seed(par: Framework) -> None:
    c = par.by_code
    # 3.4.1: seed 000 says 98 %, seed 003 says 95-100 %: conflicting, so scored by hand
    assert c["3.4.1"].max_points == 1 and c["3.4.1"].rule.kind is RuleKind.MANUAL
    assert format_bands(c["7.2.1"].rule.bands, "%") == ">=50% → 0,5"
    assert c["8.2.2"].rule.kind is RuleKind.MANUAL  # a growth rate, not a coverage rate
    assert c["1.1.1"].rule.kind is RuleKind.MANUAL
    assert c["8.1"].max_points == 12 and c["8.1"].survey_only
    assert par.is_leaf("8.1")
    assert c["4.1.2"].max_points == 1.5
    assert c["3.2.4"].max_points == 1.5
    assert c["8.2.3"].max_points == 1.5
    assert c["5.4"].max_points == 3 and par.is_leaf("5.4")
    assert c["4.4"].max_points == 4.5 and c["4.4"].survey_only


def test_par_survey_items_are_exactly_those_marked_xhh(par: Framework) -> None:
    survey = {c.code for c in par.leaves() if c.survey_only}
    assert survey == {"2.4", "4.4", "5.8", "5.9", "6.3", "7.5", "8.1"}
    assert par.assessable_points == pytest.approx(100 - 34.5)


def test_par_targets_keep_ranges_with_decimal_commas(par: Framework) -> None:
    assert par.by_code["2"].guidance.target == "Mục tiêu 2018: 8,5 - 9 điểm; 2019-2020: 9 - 10 điểm"
    assert par.by_code["1.5"].guidance.target.endswith("Mục tiêu 2018: 1 điểm; 2019-2020: 1,5 điểm")
    for c in par.criteria:
        assert "." not in c.guidance.target.split("Mục tiêu", 1)[1], c.code


def test_par_score_step_accepts_the_real_2017_scores(par: Framework) -> None:
    # Scores the province actually obtained in 2017 (seed 003, column "Điểm đạt được").
    for code, score in (("3.4.2", 0.99), ("7.2.2", 0.61), ("7.1.1", 0.96), ("2.3", 1.46)):
        check_score(score, par.by_code[code].max_points, par.score_step, code)
    with pytest.raises(ValidationError):
        check_score(1.25, par.by_code["3.4.1"].max_points, par.score_step, "3.4.1")


def test_par_guidance_matched_from_seed_000(par: Framework) -> None:
    g = par.by_code["3.4.1"].guidance
    assert g.evidence == (
        "Báo cáo của UBND tỉnh về công tác kiểm soát TTHC hoặc Báo cáo UBND tỉnh về công "
        "tác cải cách hành chính năm của tỉnh"
    )
    assert g.lead == "Văn phòng UBND tỉnh"
    assert g.coordinators == "Các Sở, ban, ngành"
    assert g.target.startswith("Đạt tỷ lệ 98% trở lên hồ sơ TTHC")
    g = par.by_code["1.4.1"].guidance
    assert g.deadline == "Trước ngày 10/12"
    assert g.lead == "Sở Thông tin và truyền thông"
    # 1.2's content sits in an unnumbered sub-row of seed 000.
    g = par.by_code["1.2"].guidance
    assert (g.requirement, g.evidence, g.deadline) == (
        "Báo cáo định kỳ về CCHC",
        "Báo cáo Sở Nội vụ",
        "Theo quy định của Bộ Nội vụ",
    )
    with_guidance = [
        c.code
        for c in par.criteria
        if c.guidance.lead or c.guidance.evidence or not c.guidance.target.startswith("Mục tiêu")
    ]
    assert len(with_guidance) == 60  # 45 by code and meaning, 15 by the mapping table
    assert par.by_code["1.4.2"].guidance.target.startswith("Thực hiện tuyên truyền")


# Items whose seed-000 row has the same meaning under another code (tools/guidance_map.csv):
# framework code -> (a phrase of that row's requirement or evidence, its lead).
MAPPED = {
    "3.3.4": ("liên thông cùng cấp hành chính", "Văn phòng UBND tỉnh"),
    "3.3.5": ("liên thông giữa các cấp chính quyền khác nhau", "Văn phòng UBND tỉnh"),
    "3.5.2": ("Thống kê tất cả PAKN trong năm về TTHC", "Văn phòng UBND tỉnh"),
    "6.1": ("tự chịu trách nhiệm về sử dụng kinh phí quản lý hành chính", "Sở Tài chính"),
    "6.2.1": ("có thêm đơn vị SNCL thuộc UBND tỉnh", "Sở Tài chính"),
    "6.2.2": ("có thêm đơn vị SNCL thuộc UBND tỉnh", "Sở Tài chính"),
    "6.2.3": ("Chỉ tính đơn vị SNCL thuộc UBND tỉnh", "Sở Tài chính"),
    "7.1.2": ("Ban hành Kiến trúc Chính quyền điện tử", "Sở Thông tin và Truyền thông"),
    "7.1.3": ("Tổng số văn bản đi (trừ văn bản mật)", "Sở Thông tin và Truyền thông"),
    "7.1.4": ("Phần mềm quản lý văn bản đã kết nối liên thông", "Sở Thông tin và Truyền thông"),
    "7.1.5": ("Hệ thống thông tin điện tử một cửa", "Sở Thông tin và Truyền thông"),
    "7.4.3": ("Số cơ quan thực hiện đúng quy trình ISO", "Sở Khoa học và Công nghệ"),
    "8.2.1": ("Tổng số vốn thu hút đầu tư của tỉnh", "Sở Kế hoạch và Đầu tư"),
    "8.2.2": ("Tổng số doanh nghiệp thành lập mới", "Sở Tài chính"),
    "8.2.3": ("Thu ngân sách của tỉnh trong năm đánh giá", "Sở Tài chính"),
}


@pytest.mark.parametrize("code", sorted(MAPPED))
def test_par_guidance_matched_by_meaning_across_codes(par: Framework, code: str) -> None:
    g = par.by_code[code].guidance
    assert g.evidence and g.deadline, code
    phrase, lead = MAPPED[code]
    assert phrase in g.requirement and g.lead == lead


def test_the_mapping_table_is_what_the_tool_reads() -> None:
    links = _build_module().read_guidance_map()
    assert set(MAPPED) <= set(links)
    assert links["3.3.5"].seed000_row == "3.3.3#2"  # the second row numbered 3.3.3
    assert links["8.2.2"].seed000_row == "8.3.1"
    assert all(link.note for link in links.values())


def test_par_titles_completed_and_no_label_repeated(par: Framework) -> None:
    assert par.by_code["8.2.3"].title.endswith("theo Kế hoạch được Chính phủ giao")
    labels = ("Yêu cầu", "Tài liệu kiểm chứng", "Chỉ tiêu", "Thời hạn", "Chủ trì", "Phối hợp")
    for c in par.criteria:
        for text in vars(c.guidance).values():
            assert not text.startswith(labels), (c.code, text)


@pytest.mark.parametrize("code", ["3.5.1", "3.3.3", "7.1.1", "8.1"])
def test_par_same_code_different_meaning_gets_no_guidance(par: Framework, code: str) -> None:
    g = par.by_code[code].guidance
    assert (g.evidence, g.requirement, g.lead, g.coordinators, g.deadline) == ("",) * 5
    assert g.target.startswith("Mục tiêu 2018:")


# -- PAPI framework (seed 002) ------------------------------------------------------------
def test_papi_has_8_survey_dimensions_of_10(papi: Framework) -> None:
    assert framework_problems(papi) == []
    assert papi.index_kind == "PAPI"
    assert len(papi.areas) == 8
    assert all(a.max_points == 10 and a.survey_only for a in papi.areas)
    assert papi.total_points == 80
    assert papi.assessable_points == 0


def test_papi_titles_and_targets_are_repaired(papi: Framework) -> None:
    titles = [a.title for a in papi.areas]
    assert titles[0] == "Tham gia của người dân ở cấp cơ sở"
    assert titles[2] == "Trách nhiệm giải trình với người dân"
    assert titles[7] == "Quản trị điện tử"
    for title in titles:
        for artefact in ("n ời", "n  ờ", "c ín", "tr ờn", "côn ", "dun ", "  "):
            assert artefact not in title
    assert papi.by_code["2"].guidance.target == (
        "Năm 2020 đạt 5,7/10 điểm (tăng 0,22 điểm so với năm 2019)"
    )
    assert papi.by_code["8"].guidance.target.startswith("Năm 2020 đạt 3,8/10")
    assert papi.by_code["3"].guidance.lead.startswith("Thanh tra tỉnh")


# -- Task plans (seeds 001 and 004) -------------------------------------------------------
def _depth(plan: TaskPlan, task: Task) -> int:
    by_code = {t.code: t for t in plan.tasks}
    depth, node = 1, task
    while node.parent_code is not None:
        node = by_code[node.parent_code]
        depth += 1
    return depth


def _descendants(plan: TaskPlan, group: str) -> int:
    return sum(1 for t in plan.tasks if t.code.startswith(group + "."))


def test_plan_2024_has_8_groups_and_the_seed_task_counts(plan2024: TaskPlan) -> None:
    assert plan2024.year == 2024
    codes = [t.code for t in plan2024.tasks]
    assert len(codes) == len(set(codes)) == 93
    groups = [t.code for t in plan2024.tasks if t.parent_code is None]
    assert groups == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    counts = {g: _descendants(plan2024, g) for g in groups}
    assert counts == {"I": 9, "II": 6, "III": 26, "IV": 8, "V": 5, "VI": 12, "VII": 14, "VIII": 5}
    assert all(t.parent_code is None or t.parent_code in codes for t in plan2024.tasks)


def test_plan_2024_rows_cut_by_page_breaks_are_merged(plan2024: TaskPlan) -> None:
    t = {x.code: x for x in plan2024.tasks}
    assert t["IV.5.1"].title.endswith("phân quyền trong quản lý nhà nước do Chính phủ và các bộ, "
                                      "ngành ban hành")  # fmt: skip
    assert t["IV.5.1"].deadline_text == "Trong năm 2024"
    assert t["IV.5.1"].due_date == date(2024, 12, 31)
    assert t["III.1.b"].title.startswith("Có các kiến nghị cải cách TTHC")
    assert t["III.1.b"].coordinators == "Các Sở, ban, ngành, UBND cấp huyện"
    assert [c.code for c in plan2024.tasks if c.parent_code == "VI.2.2"] == [
        "VI.2.2.a",
        "VI.2.2.b",
    ]
    assert t["I.4.a"].parent_code == "I.4"
    assert t["I.2"].due_date is None  # "Theo quy định của Bộ Nội vụ"
    for x in plan2024.tasks:
        assert "<" not in x.product and "Nhiệm vụ cụ thể" not in x.title
        assert "Kết quả/sản phẩm" not in x.product


def test_plan_2022_keeps_objective_task_product(plan2022: TaskPlan) -> None:
    assert plan2022.year == 2022
    by_code = {t.code: t for t in plan2022.tasks}
    assert max(_depth(plan2022, t) for t in plan2022.tasks) == 3
    objectives = [t for t in plan2022.tasks if t.code.startswith("1.")]
    tasks = [t for t in plan2022.tasks if t.code.startswith("2.")]
    products = [t for t in plan2022.tasks if t.code.startswith("3.")]
    projects = [t for t in plan2022.tasks if t.code.startswith("DA.")]
    assert [o.code for o in objectives] == [f"1.{n}" for n in range(3, 16)]
    assert [x.code for x in tasks] == [f"2.{n}" for n in range(4, 26)]
    assert [p.code for p in products] == [f"3.{n}" for n in range(6, 42)]
    assert len(projects) == 7
    assert all(o.parent_code is None for o in objectives)
    assert all(by_code[x.parent_code or ""].code.startswith("1.") for x in tasks)
    assert all(by_code[p.parent_code or ""].code.startswith("2.") for p in products)
    assert by_code["3.13"].parent_code == "2.12" and by_code["2.12"].parent_code == "1.8"
    assert by_code["1.4"].note == "Lĩnh vực: Cải cách thủ tục hành chính"
    assert by_code["3.30"].lead.endswith("Nội vụ")


def test_plan_2022_deadlines_are_parsed(plan2022: TaskPlan) -> None:
    by_code = {t.code: t for t in plan2022.tasks}
    assert by_code["DA.6"].deadline_text == "Quý III/2022"
    assert by_code["DA.6"].due_date == date(2022, 9, 30)
    assert by_code["3.39"].deadline_text == "Quý II, III"
    assert by_code["3.39"].due_date == date(2022, 9, 30)
    assert by_code["3.16"].due_date == date(2022, 3, 31)
    assert by_code["DA.2"].due_date == date(2022, 6, 30)
    assert by_code["3.6"].due_date == date(2022, 12, 31)


# -- All files ----------------------------------------------------------------------------
def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("name", FILES)
def test_all_text_is_nfc_and_clean(name: str) -> None:
    for text in _strings(_load(name)):
        assert unicodedata.normalize("NFC", text) == text
        assert text == text.strip() and "  " not in text and "\n" not in text


# -- Reproducibility ----------------------------------------------------------------------
def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_defaults", REPO / "tools" / "build_defaults.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations via sys.modules
    spec.loader.exec_module(module)
    return module


def test_rebuilding_from_the_seeds_gives_the_committed_files(tmp_path: Path) -> None:
    seeds = seeds_dir()
    written = _build_module().build_all(seeds, tmp_path)
    assert sorted(written) == sorted(FILES)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DEFAULTS / name).read_bytes(), name
