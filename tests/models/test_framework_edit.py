"""Editing a framework: every operation, the renumbering, the labels and the validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from parapp.interchange.excel_framework import read_framework_xlsx
from parapp.models import framework_edit as fe
from parapp.models.errors import ValidationError
from parapp.models.framework import Criterion, Framework, framework_from_dict, framework_to_dict
from parapp.models.scoring import Band, RuleKind
from parapp.models.validation import framework_problems
from tests.interchange.province_sheets import build_relative_with_totals
from tests.models.sample_framework import sample_framework


def outline(fw: Framework) -> list[tuple[str, str | None, str, str]]:
    """(code, parent, label, title) in display order."""
    return [(c.code, c.parent_code, c.label, c.title) for c in fw.criteria]


def codes(fw: Framework) -> list[str]:
    return [c.code for c in fw.criteria]


# a province sheet numbered relative to its areas, with lettered items and "Phần" areas
RELATIVE = Framework(
    "tinh-2026",
    "Bộ chỉ số tỉnh 2026",
    criteria=(
        Criterion("I", "CHỈ ĐẠO, ĐIỀU HÀNH", 3, None, 1),
        Criterion("I.1", "Kế hoạch", 1, "I", 2, label="1."),
        Criterion("I.2", "Kiểm tra", 2, "I", 3, label="2."),
        Criterion("I.2.a", "Ban hành kế hoạch kiểm tra", 1, "I.2", 4, label="a)"),
        Criterion("I.2.b", "Xử lý sau kiểm tra", 1, "I.2", 5, label="b)"),
        Criterion("II", "THỦ TỤC HÀNH CHÍNH", 2, None, 6, label="Phần II"),
        Criterion("II.1", "Công khai thủ tục", 2, "II", 7, label="1."),
    ),
)


def test_add_sibling_renumbers_like_an_outline() -> None:
    fw = sample_framework()
    edited, code = fe.add_sibling(fw, "1.1.1", "Công khai kế hoạch")
    assert code == "1.1.2"
    assert codes(edited) == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.2", "2", "2.1", "2.2"]
    moved = edited.by_code["1.1.3"]
    assert moved.title == "Mức độ hoàn thành kế hoạch CCHC"
    assert moved.rule.kind is RuleKind.BANDS  # the rule travels with the item
    new = edited.by_code["1.1.2"]
    assert (new.title, new.max_points, new.rule.kind) == ("Công khai kế hoạch", 0, RuleKind.MANUAL)
    assert [c.order for c in edited.criteria] == list(range(1, 10))
    assert fe.edit_problems(edited) == []  # 0 points keeps every sum right
    assert fw.by_code["1.1.2"].title == "Mức độ hoàn thành kế hoạch CCHC"  # old one untouched


def test_first_child_splits_a_leaf_without_breaking_the_sums() -> None:
    fw = sample_framework()
    edited, code = fe.add_child(fw, "2.1")
    assert code == "2.1.1"
    parent, child = edited.by_code["2.1"], edited.by_code["2.1.1"]
    assert child.max_points == 3 and child.rule.kind is RuleKind.BANDS and child.rule.measure == "%"
    assert parent.rule.kind is RuleKind.MANUAL and not edited.is_leaf("2.1")
    assert fe.edit_problems(edited) == []
    second, code2 = fe.add_child(edited, "2.1", "Phần thứ hai")
    assert code2 == "2.1.2" and second.by_code["2.1.2"].max_points == 0
    area, area_code = fe.add_child(fw, None)
    assert area_code == "3" and area.by_code["3"].title == fe.NEW_TITLE


def test_parent_not_equal_to_children_is_named() -> None:
    fw = fe.set_max_points(sample_framework(), "1.1.2", "1,5")
    problems = fe.edit_problems(fw)
    assert [p.code for p in problems] == ["1.1"]  # area 1 still has 2 + 2
    assert problems[0].text == ("Tiêu chí 1.1: điểm tối đa 2 khác tổng điểm các tiêu chí con 2,5.")
    assert fe.is_publishable(fw) == [p.text for p in problems]
    fixed = fe.sum_parents(fw, "1.1.2")
    assert (fixed.by_code["1.1"].max_points, fixed.by_code["1"].max_points) == (2.5, 4.5)
    assert fe.is_publishable(fixed) == []
    assert fixed.total_points == 10.5
    assert fe.sum_parents(fw).by_code["1"].max_points == 4.5  # every parent at once
    from_parent = fe.sum_parents(fw, "1.1")  # the selected parent itself, then up
    assert (from_parent.by_code["1.1"].max_points, from_parent.by_code["1"].max_points) == (
        2.5,
        4.5,
    )


def test_points_are_read_the_vietnamese_way_and_bounded() -> None:
    fw = sample_framework()
    assert fe.set_max_points(fw, "1.2", "1,25").by_code["1.2"].max_points == 1.25
    with pytest.raises(ValidationError, match=r"1\.2.*hai chữ số thập phân"):
        fe.set_max_points(fw, "1.2", "1,125")
    with pytest.raises(ValidationError, match="không phải là số"):
        fe.set_max_points(fw, "1.2", "hai")
    with pytest.raises(ValidationError, match="từ 0 đến"):
        fe.set_max_points(fw, "1.2", "-1")


def test_remove_renumbers_and_says_what_to_show_next() -> None:
    fw = sample_framework()
    edited, near = fe.remove(fw, "1.1")
    assert codes(edited) == ["1", "1.1", "2", "2.1", "2.2"]
    assert edited.by_code["1.1"].title == "Công tác tuyên truyền CCHC"
    assert near == "1.1"  # the item that took its place
    _rest, near2 = fe.remove(fw, "2.2")
    assert near2 == "2.1"
    only, near3 = fe.remove(fe.remove(fw, "1.2")[0], "1.1")
    assert near3 == "1" and only.is_leaf("1")
    # the area now differs from its (absent) children only as a leaf: no sum problem
    empty, nothing = fe.remove(fe.remove(fw, "1")[0], "1")
    assert nothing is None and empty.criteria == ()


def test_move_up_down_indent_outdent() -> None:
    fw = sample_framework()
    up, code = fe.move_up(fw, "1.2")
    assert code == "1.1" and up.by_code["1.1"].title == "Công tác tuyên truyền CCHC"
    assert up.by_code["1.2.1"].title == "Ban hành kế hoạch CCHC"  # the subtree followed
    down, code = fe.move_down(up, "1.1")
    assert code == "1.2" and outline(down) == outline(
        fe.move_up(fe.move_down(fw, "1.1")[0], "1.2")[0]
    )
    assert fe.move_up(fw, "1") == (fw, "1") and fe.move_down(fw, "2") == (fw, "2")
    assert fe.can_move(fw, "1.1") == {"up": False, "down": True, "indent": False, "outdent": True}
    assert fe.can_move(fw, "2") == {"up": True, "down": False, "indent": True, "outdent": False}

    indented, code = fe.indent(fw, "1.2")
    assert code == "1.1.3" and indented.by_code["1.1.3"].parent_code == "1.1"
    # area 1 (4) now has only 1.1 (2), and 1.1 (2) has 1 + 1 + 2
    assert [p.code for p in fe.edit_problems(indented)] == ["1", "1.1"]
    back, code = fe.outdent(indented, "1.1.3")
    assert code == "1.2"
    assert outline(back) == outline(fe.move_down(fe.move_up(fw, "1.2")[0], "1.1")[0])
    assert fe.outdent(fw, "1") == (fw, "1") and fe.indent(fw, "1.1") == (fw, "1.1")


def test_move_to_another_parent_and_never_into_itself() -> None:
    fw = sample_framework()
    moved, code = fe.move_to(fw, "2.1", "1.1", 0)
    assert code == "1.1.1"
    assert [c.title for c in moved.children("1.1")] == [
        "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
        "Ban hành kế hoạch CCHC",
        "Mức độ hoàn thành kế hoạch CCHC",
    ]
    assert codes(moved) == ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.2", "2", "2.1"]
    assert {p.code for p in fe.edit_problems(moved)} == {"1.1", "2"}
    with pytest.raises(ValidationError, match="vào chính nó"):
        fe.move_to(fw, "1", "1.1.2")


def test_relative_labels_follow_the_new_numbers() -> None:
    fw, code = fe.add_sibling(RELATIVE, "I.2.a")
    assert code == "I.2.b"
    assert outline(fw)[3:6] == [
        ("I.2.a", "I.2", "a)", "Ban hành kế hoạch kiểm tra"),
        ("I.2.b", "I.2", "b)", fe.NEW_TITLE),
        ("I.2.c", "I.2", "c)", "Xử lý sau kiểm tra"),
    ]
    out, code = fe.outdent(RELATIVE, "I.2.b")  # a lettered item among numbered ones
    assert (code, out.by_code["I.3"].label) == ("I.3", "3.")
    into, code = fe.move_to(RELATIVE, "I.1", "I.2", 1)  # a numbered item among letters
    assert code == "I.1.b" and into.by_code["I.1.b"].label == "b)"
    assert into.by_code["I.1"].label == "1."
    areas, code = fe.move_up(RELATIVE, "II")
    assert [(c.code, c.label) for c in areas.areas] == [("I", "Phần I"), ("II", "II")]
    assert areas.by_code["II.2.a"].label == "a)"
    first, code = fe.add_child(RELATIVE, "II.1")  # a first item at a new depth
    assert (code, first.by_code[code].label) == ("II.1.1", "1.1.")
    area, code = fe.add_child(RELATIVE, None)
    assert (code, area.by_code[code].label) == ("III", "Phần III")


def test_edits_of_an_imported_relative_sheet(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_relative_with_totals(tmp_path / "tinh.xlsx"))
    assert fw.by_code["II.2.1"].label == "2.1."
    edited, code = fe.add_sibling(fw, "II.1")
    assert code == "II.2"
    assert [(c.code, c.label) for c in edited.criteria if c.parent_code == "II.3"] == [
        ("II.3.1", "3.1."),
        ("II.3.2", "3.2."),
    ]
    assert edited.by_code["II.3.2"].rule.kind is RuleKind.SURVEY
    assert fe.edit_problems(edited) == []
    # the labels and codes survive the JSON form the workspace stores
    assert framework_from_dict(framework_to_dict(edited)) == edited


def test_absolute_sheet_with_roman_labels_keeps_them(tmp_path: Path) -> None:
    fw = Framework(
        "a",
        "A",
        criteria=(
            Criterion("1", "Một", 1, None, 1, label="I"),
            Criterion("1.1", "Một một", 1, "1", 2, label="1.1."),
            Criterion("2", "Hai", 1, None, 3, label="Phần II"),
        ),
    )
    edited, _code = fe.add_sibling(fw, "1")
    assert [(c.code, c.label) for c in edited.criteria] == [
        ("1", "I"), ("1.1", "1.1."), ("2", "II"), ("3", "Phần III"),
    ]  # fmt: skip


def test_fields_title_rule_guidance_survey() -> None:
    fw = sample_framework()
    fw = fe.set_title(fw, "1.2", "  Tuyên truyền\u00a0 cải cách ")
    assert fw.by_code["1.2"].title == "Tuyên truyền cải cách"
    rule = fe.rule_from_text("1.2", RuleKind.BANDS, ">=90% → 2; còn lại → 1", source="QĐ 1")
    assert rule.bands == (Band(90.0, 2.0), Band(None, 1.0)) and rule.measure == "%"
    fw = fe.set_rule(fw, "1.2", rule)
    assert fe.edit_problems(fw) == []
    too_much = fe.rule_from_text("1.2", RuleKind.BANDS, ">=90% → 3; còn lại → 0")
    problems = fe.edit_problems(fe.set_rule(fw, "1.2", too_much))
    assert [(p.code, p.text) for p in problems] == [
        ("1.2", "Tiêu chí 1.2: mức 3 điểm nằm ngoài 0..2.")
    ]
    bare = fe.rule_from_text("1.2", RuleKind.BANDS, "")  # scale still to be written
    assert [p.code for p in fe.edit_problems(fe.set_rule(fw, "1.2", bare))] == ["1.2"]
    with pytest.raises(ValidationError, match=r"Tiêu chí 1\.2: thang điểm không đọc được"):
        fe.rule_from_text("1.2", RuleKind.BANDS, "nhiều thì được 2")
    deduction = fe.rule_from_text("1.2", RuleKind.DEDUCTION, "trừ tối đa 1")
    assert deduction.floor == -1
    assert [p.code for p in fe.edit_problems(fe.set_rule(fw, "1.2", deduction))] == ["1.2"] * 1

    fw = fe.set_guidance(fw, "1.2", evidence="Báo cáo\n  Kế hoạch ", target="100%")
    g = fw.by_code["1.2"].guidance
    assert (g.evidence, g.target, g.requirement) == ("Báo cáo\nKế hoạch", "100%", "")
    with pytest.raises(ValueError):
        fe.set_guidance(fw, "1.2", colour="xanh")

    survey = fe.set_survey(fw, "1.2", True)
    assert survey.by_code["1.2"].survey_only
    assert survey.by_code["1.2"].rule.source == "QĐ 1"
    assert fe.set_survey(survey, "1.2", True) is survey
    assert fe.set_survey(survey, "1.2", False).by_code["1.2"].rule.kind is RuleKind.MANUAL


def test_duplicate_codes_and_empty_titles_are_named() -> None:
    fw = sample_framework()
    twin = fw.criteria[4]
    broken = Framework(fw.id, fw.name, criteria=(*fw.criteria, twin))
    assert "Mã tiêu chí 1.2 bị trùng." in fe.is_publishable(broken)
    untitled = fe.set_title(fw, "2.1", "  ")
    assert [(p.code, p.text) for p in fe.edit_problems(untitled)] == [
        ("2.1", "Tiêu chí 2.1 chưa có nội dung.")
    ]
    worthless = Framework("z", "Z", criteria=(Criterion("1", "Một", 0, None, 1),))
    assert fe.is_publishable(worthless) == ["Tổng điểm tối đa của bộ chỉ số bằng 0."]
    assert framework_problems(worthless) == []  # the editor's own check


def test_info_and_blank_framework() -> None:
    fw = fe.set_info(sample_framework(), name=" Bộ 2027 ", year=2027, decision="QĐ 12")
    assert (fw.name, fw.year, fw.decision) == ("Bộ 2027", 2027, "QĐ 12")
    with pytest.raises(ValidationError, match="Năm 1800"):
        fe.set_info(fw, year=1800)
    blank = fe.blank_framework("moi", "Bộ mới", 2026)
    assert outline(blank) == [("1", None, "1", "Lĩnh vực mới")]
    assert fe.is_publishable(blank) == ["Tổng điểm tối đa của bộ chỉ số bằng 0."]


def test_letters_skip_f_j_w_z() -> None:
    assert [fe._letter(n) for n in (1, 5, 6, 23, 24)] == ["a", "đ", "e", "y", "aa"]
    assert [fe.roman(n) for n in (1, 4, 9, 14, 40)] == ["I", "IV", "IX", "XIV", "XL"]
