"""Every rule kind survives the Excel workbook and the bundle JSON schema."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from parapp.interchange.bundle import (
    BundleInfo,
    assessment_schema,
    make_assessment_doc,
    schema_problems,
)
from parapp.interchange.excel_framework import read_framework_xlsx, write_framework_xlsx
from parapp.models.assessment import Answer
from parapp.models.framework import Criterion, Framework
from parapp.models.scoring import RuleKind, parse_rule_params
from parapp.models.validation import framework_problems

RULES = {
    "1.1": (RuleKind.MANUAL, "bước 0,25", 1.5),
    "1.2": (RuleKind.BANDS, ">=95% → 1; từ 80% đến dưới 95% → 0,5; <80% → 0", 1),
    "1.3": (RuleKind.COUNT, ">=50 TTHC → 1", 1),
    "1.4": (RuleKind.PROPORTIONAL, "đủ điểm từ 20%; 0 điểm dưới 5%", 1),
    "1.5": (RuleKind.YES_NO, "", 0.5),
    "1.6": (RuleKind.DEDUCTION, "trừ tối đa 1", 0),
    "1.7": (RuleKind.BONUS, "thưởng tối đa 0,5", 0),
    "1.8": (RuleKind.SURVEY, "", 5),
}


def every_kind() -> Framework:
    kids = []
    for order, (code, (kind, params, points)) in enumerate(RULES.items(), start=2):
        rule = parse_rule_params(
            kind,
            params,
            source=f"Theo Kế hoạch 252/KH-UBND, mục {code}",
            not_applicable="Không tính các xã thuộc huyện đảo" if code == "1.1" else "",
        )
        kids.append(Criterion(code, f"Tiêu chí {code}", points, "1", order, rule))
    total = sum(k.max_points for k in kids)
    return Framework(
        "moi-2026",
        "Bộ chỉ số có mọi cách chấm",
        year=2026,
        score_step=0.25,
        criteria=(Criterion("1", "Lĩnh vực", total, None, 1), *kids),
    )


def test_every_kind_round_trips_through_excel(tmp_path: Path) -> None:
    fw = every_kind()
    assert framework_problems(fw) == []
    path = tmp_path / "fw.xlsx"
    write_framework_xlsx(fw, path)
    sheet = load_workbook(path)["Tiêu chí"]
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=2)}
    assert rows["1.4"][3:5] == ["Theo tỷ lệ", "đủ điểm từ 20%; 0 điểm dưới 5%"]
    assert rows["1.6"][3:5] == ["Điểm trừ", "trừ tối đa 1"]
    assert rows["1.1"][-2:] == ["Theo Kế hoạch 252/KH-UBND, mục 1.1",
                                "Không tính các xã thuộc huyện đảo"]  # fmt: skip
    again = read_framework_xlsx(path)
    assert again == fw
    assert again.content_hash == fw.content_hash


def test_every_kind_passes_the_bundle_schema() -> None:
    fw = every_kind()
    info = BundleInfo("X1", "Xã X1", "commune", "D1", fw.id, fw.content_hash, "2026", 1,
                      "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch")  # fmt: skip
    answers = [
        Answer("1.1", explanation="Xã đảo", not_applicable=True),
        Answer("1.6", self_score=-0.5),
        Answer("1.7", self_score=0.5),
    ]
    doc = make_assessment_doc(info, fw, answers)
    assert list(schema_problems(doc, assessment_schema())) == []
    doc["framework"]["content"]["criteria"][1]["rule"]["bands"] = [[1, 2, "≈", None]]
    assert list(schema_problems(doc, assessment_schema()))


def test_blank_form_hint_cites_the_source_and_the_silent_range() -> None:
    from parapp.interchange.pdf.blank_form import scoring_hint
    from parapp.interchange.pdf.report import value_text

    fw = every_kind()
    hint = scoring_hint(fw.by_code["1.3"], fw.score_step)
    assert hint == (
        "Thang điểm: Từ 50 TTHC trở lên: 1 điểm; mức khác: tự chấm "
        "(theo: Theo Kế hoạch 252/KH-UBND, mục 1.3)"
    )
    assert "trừ tối đa 1" in scoring_hint(fw.by_code["1.6"], fw.score_step)
    assert value_text(fw.by_code["1.3"], Answer("1.3", value=50.0)) == "50 TTHC"
    assert value_text(fw.by_code["1.1"], Answer("1.1", not_applicable=True)) == "Không áp dụng"
