"""Frameworks to Excel and back: exact round trip, provinces' messy sheets, clear errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from parapp.interchange.excel_framework import (
    parse_points,
    read_framework_xlsx,
    write_framework_template,
    write_framework_xlsx,
)
from parapp.models.errors import ImportErrors, ParAppError
from parapp.models.framework import (
    Criterion,
    Framework,
    Guidance,
    framework_from_dict,
    framework_to_dict,
)
from parapp.models.scoring import Band, RuleKind, ScoringRule
from tests.interchange.province_sheets import (
    FRAMEWORK_SUBTITLE,
    TCVN3_CRITERION,
    build_absolute,
    build_legacy,
    build_lettered,
    build_merged_header,
    build_province_framework,
    build_relative_with_totals,
    build_three_row_header,
)


def sample_framework() -> Framework:
    """Bands, yes/no, survey, guidance and a letter in a code: everything the layout holds."""
    c = [
        Criterion("1", "Công tác chỉ đạo, điều hành", 3.0),
        Criterion("1.1", "Kế hoạch cải cách hành chính", 1.5, "1"),
        Criterion("1.1.1", "Ban hành kế hoạch đúng thời hạn", 0.5, "1.1",
                  rule=ScoringRule(RuleKind.YES_NO),
                  guidance=Guidance(requirement="Ban hành trước 15/12", evidence="Kế hoạch CCHC",
                                    target="100%", deadline="Trước ngày 15/12",
                                    lead="UBND xã", coordinators="Các ban, ngành")),
        Criterion("1.1.a", "Tỷ lệ hoàn thành kế hoạch", 1.0, "1.1",
                  rule=ScoringRule(RuleKind.BANDS, (Band(100, 1), Band(80, 0.5), Band(None, 0)),
                                   "%"),
                  guidance=Guidance(target="9 - 10")),
        Criterion("1.2", "Mức độ hài lòng (qua điều tra XHH)", 1.5, "1",
                  rule=ScoringRule(RuleKind.SURVEY)),
        Criterion("2", "Cải cách thủ tục hành chính", 2.25),
        Criterion("2.1", "Công khai thủ tục hành chính", 2.25, "2",
                  guidance=Guidance(evidence="Ảnh chụp bảng niêm yết\nDanh mục TTHC")),
    ]  # fmt: skip
    criteria = tuple(
        Criterion(x.code, x.title, x.max_points, x.parent_code, i, x.rule, x.guidance)
        for i, x in enumerate(c, start=1)
    )
    return Framework(
        id="par-xa-2024",
        name="Bộ chỉ số CCHC cấp xã năm 2024",
        index_kind="PAR",
        year=2024,
        decision="Quyết định số 123/QĐ-UBND ngày 10/01/2024",
        level="xã",
        score_step=0.25,
        criteria=criteria,
    )


def test_round_trip_is_exact(tmp_path: Path) -> None:
    fw = sample_framework()
    path = tmp_path / "bộ chỉ số.xlsx"
    write_framework_xlsx(fw, path)
    back = read_framework_xlsx(path)
    assert back == fw
    assert back.content_hash == fw.content_hash


def test_round_trip_of_a_framework_without_year(tmp_path: Path) -> None:
    fw = Framework("papi", "PAPI", index_kind="PAPI", criteria=(
        Criterion("1", "Tham gia của người dân", 10.0, None, 1),))  # fmt: skip
    path = tmp_path / "papi.xlsx"
    write_framework_xlsx(fw, path)
    assert read_framework_xlsx(path) == fw


def test_written_sheets_columns_and_formatting(tmp_path: Path) -> None:
    path = tmp_path / "fw.xlsx"
    write_framework_xlsx(sample_framework(), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Tiêu chí"]
    ws = wb["Tiêu chí"]
    header = [c.value for c in ws[1]]
    assert header == ["Mã", "Nội dung tiêu chí", "Điểm tối đa", "Cách chấm", "Thang điểm",
                      "Yêu cầu", "Tài liệu kiểm chứng", "Chỉ tiêu", "Thời hạn",
                      "Cơ quan chủ trì", "Cơ quan phối hợp", "Nguồn quy định",
                      "Không áp dụng khi"]  # fmt: skip
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    assert ws["A2"].font.bold and not ws["A3"].font.bold  # area rows bold
    assert ws["B2"].alignment.wrap_text
    assert ws.column_dimensions["B"].width == 60
    assert ws["C4"].value == 0.5 and isinstance(ws["C4"].value, float)
    assert ws["D4"].value == "Có/Không"
    assert ws["E5"].value == ">=100% → 1; >=80% → 0,5; còn lại → 0"
    assert ws["D6"].value == "Điều tra XHH"
    assert ws["D2"].value is None  # parents are not scored
    info = {row[0]: row[1] for row in wb["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert info["Mã bộ chỉ số"] == "par-xa-2024"
    assert info["Năm"] == 2024
    assert info["Bước điểm"] == 0.25
    help_text = {row[0]: row[1] for row in wb["Hướng dẫn"].iter_rows(min_row=3, values_only=True)}
    assert "Theo thang" in help_text["Cách chấm"]
    assert "“>=100% → 1; từ 80% đến dưới 100% → 0,5; <80% → 0”" in help_text["Thang điểm"]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "Tự chấm" in lists[0].formula1 and "D2" in str(lists[0].sqref)


def test_write_is_atomic_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "fw.xlsx"
    path.write_bytes(b"old")
    write_framework_xlsx(sample_framework(), path)
    assert [p.name for p in tmp_path.iterdir()] == ["fw.xlsx"]
    assert path.read_bytes()[:2] == b"PK"


def test_template_has_drop_down_and_importing_it_empty_says_so(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    write_framework_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Tiêu chí"]
    ws = wb["Tiêu chí"]
    assert ws.max_row == 1 and ws.freeze_panes == "A2"
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == (
        '"Tự chấm,Theo thang,Có/Không,Điều tra XHH,Theo tỷ lệ,Theo số lượng,Điểm trừ,Điểm thưởng"'
    )
    assert "Ví dụ" in [c.value for c in wb["Hướng dẫn"]["A"]]
    with pytest.raises(ImportErrors) as exc:
        read_framework_xlsx(path)
    assert str(exc.value.errors[0]) == "Trang tính “Tiêu chí”: không có tiêu chí nào"


def test_province_sheet_is_read_with_exact_values(tmp_path: Path) -> None:
    path = build_province_framework(tmp_path / "Bộ chỉ số xã.xlsx")
    fw = read_framework_xlsx(path)
    assert fw.id == "bo-chi-so-xa"
    # the title in sentence case; the line under it names the decision
    assert fw.name == "Bộ chỉ số cải cách hành chính cấp xã năm 2024"
    assert fw.decision == FRAMEWORK_SUBTITLE.strip("()")
    assert fw.year == 2024
    assert fw.index_kind == "PAR"
    got = [(c.code, c.label, c.title, c.max_points, c.parent_code, c.order, c.rule.kind)
           for c in fw.criteria]  # fmt: skip
    # Area I numbers its items relative to the area ("1.", "2."), area II absolutely
    # ("2.1"): the sheet is relative, so codes are full paths and labels stay as written.
    assert got == [
        ("I", "I.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3.0, None, 1, RuleKind.MANUAL),
        ("I.1", "1.", "Kế hoạch cải cách hành chính", 1.5, "I", 2, RuleKind.MANUAL),
        ("I.1.a", "a)", "Ban hành kế hoạch đúng thời hạn", 0.5, "I.1", 3, RuleKind.MANUAL),
        ("I.1.b", "b)", "Hoàn thành các nhiệm vụ của kế hoạch", 1.0, "I.1", 4,
         RuleKind.MANUAL),
        ("I.2", "2.", TCVN3_CRITERION, 1.5, "I", 5, RuleKind.MANUAL),
        ("II", "II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 4.0, None, 6, RuleKind.MANUAL),
        ("II.1", "2.1", "Công khai thủ tục hành chính", 1.5, "II", 7, RuleKind.MANUAL),
        ("II.2", "2.2", "Mức độ hài lòng của người dân (qua điều tra XHH)", 2.5, "II", 8,
         RuleKind.SURVEY),
    ]  # fmt: skip
    a = fw.by_code["I.1.a"].guidance
    assert (a.lead, a.coordinators, a.target) == ("UBND xã", "Các ban, ngành", "100%")
    assert fw.by_code["I.1.b"].guidance.target == "9 - 10"
    assert fw.by_code["I.2"].guidance.lead == "Công chức Văn phòng - Thống kê"
    assert fw.total_points == 7.0
    assert fw.assessable_points == 4.5


def _edit_written(tmp_path: Path, edits: dict[str, object]) -> Path:
    path = tmp_path / "fw.xlsx"
    write_framework_xlsx(sample_framework(), path)
    wb = load_workbook(path)
    for ref, value in edits.items():
        wb["Tiêu chí"][ref] = value
    wb.save(path)
    return path


def _messages(path: Path) -> list[str]:
    with pytest.raises(ImportErrors) as exc:
        read_framework_xlsx(path)
    assert all(isinstance(e, ParAppError) for e in exc.value.errors)
    return [str(e) for e in exc.value.errors]


def test_row_errors_are_all_collected_with_sheet_row_and_column(tmp_path: Path) -> None:
    path = _edit_written(tmp_path, {"C4": "abc", "A5": "1.1.1", "D3": "Chấm tay",
                                    "E7": ">=50 điểm"})  # fmt: skip
    assert _messages(path) == [
        "Trang tính “Tiêu chí”, dòng 3, cột D (Cách chấm): cách chấm “Chấm tay” không hợp lệ "
        "(chọn một trong: Tự chấm, Theo thang, Có/Không, Điều tra XHH, Theo tỷ lệ, "
        "Theo số lượng, Điểm trừ, Điểm thưởng)",
        "Trang tính “Tiêu chí”, dòng 4, cột C (Điểm tối đa): điểm tối đa “abc” không phải là số",
        "Trang tính “Tiêu chí”, dòng 5, cột A (Mã): mã tiêu chí 1.1.1 bị trùng",
        "Trang tính “Tiêu chí”, dòng 7, cột E (Thang điểm): thang điểm: không hiểu mức "
        "“>=50 điểm” (ví dụ đúng: “>=80% → 0,5; từ 50% đến dưới 80% → 0,25; còn lại → 0”)",
    ]


def test_sum_problems_point_at_the_parent_row(tmp_path: Path) -> None:
    path = _edit_written(tmp_path, {"C3": "2"})
    assert _messages(path) == [
        "Trang tính “Tiêu chí”, dòng 2, cột C (Điểm tối đa): tiêu chí 1: điểm tối đa 3 khác "
        "tổng điểm các tiêu chí con 3,5",
        "Trang tính “Tiêu chí”, dòng 3, cột C (Điểm tối đa): tiêu chí 1.1: điểm tối đa 2 khác "
        "tổng điểm các tiêu chí con 1,5",
    ]


def test_band_above_maximum_and_missing_parent(tmp_path: Path) -> None:
    path = _edit_written(tmp_path, {"E5": ">=100% → 2; còn lại → 0", "A8": "3.1"})
    assert _messages(path) == [
        "Trang tính “Tiêu chí”, dòng 5, cột E (Thang điểm): tiêu chí 1.1.a: mức 2 điểm nằm "
        "ngoài 0..1",
        "Trang tính “Tiêu chí”, dòng 8, cột A (Mã): tiêu chí 3.1: không có tiêu chí cha 3",
    ]


def test_info_sheet_errors(tmp_path: Path) -> None:
    path = tmp_path / "fw.xlsx"
    write_framework_xlsx(sample_framework(), path)
    wb = load_workbook(path)
    wb["Thông tin"]["B5"] = "năm nay"
    wb["Thông tin"]["B8"] = "một phần tư"
    wb.save(path)
    assert _messages(path) == [
        "Trang tính “Thông tin”, dòng 5, cột B: năm “năm nay” không hợp lệ (ví dụ đúng: 2024)",
        "Trang tính “Thông tin”, dòng 8, cột B: bước điểm “một phần tư” không phải là số",
    ]


def test_sheet_without_a_recognisable_header(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["Họ tên", "Địa chỉ"])
    wb.active.append(["Nguyễn Văn A", "Tiền Giang"])
    path = tmp_path / "khac.xlsx"
    wb.save(path)
    assert _messages(path) == [
        "Trang tính “Sheet1”: không tìm thấy dòng tiêu đề có cột “Mã” và “Nội dung tiêu chí”"
    ]


def test_missing_leaf_points_and_letter_without_parent(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Tiêu chí"
    ws.append(["STT", "Nội dung", "Điểm tối đa"])
    ws.append(["a)", "Mục chữ đứng đầu", 1])
    ws.append(["1", "Lĩnh vực", None])
    ws.append(["1.1", "Tiêu chí thiếu điểm", None])
    ws.append(["#", "Mã lạ", 1])
    path = tmp_path / "thieu.xlsx"
    wb.save(path)
    assert _messages(path) == [
        "Trang tính “Tiêu chí”, dòng 2, cột A (STT): mục “a)” không nằm dưới tiêu chí có số "
        "thứ tự nào",
        "Trang tính “Tiêu chí”, dòng 5, cột A (STT): mã tiêu chí “#” không hợp lệ (ví dụ đúng: "
        "1, 1.2, 1.2.3)",
        "Trang tính “Tiêu chí”, dòng 4, cột C (Điểm tối đa): tiêu chí 1.1 chưa có điểm tối đa",
    ]


def test_first_sheet_with_a_header_is_used_and_parent_points_are_summed(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Bìa"
    wb.active["A1"] = "PHỤ LỤC"
    ws = wb.create_sheet("Phụ lục 2")
    ws.append(["Số TT", "Tiêu chí", "Điểm tối đa", "Thời gian thực hiện"])
    ws.append([1, "Lĩnh vực một", None])
    ws.append([1.1, "Tiêu chí một", "0,75", "Quý III"])
    ws.append([1.2, "Tiêu chí hai", 0.25])
    path = tmp_path / "phu luc.xlsx"
    wb.save(path)
    fw = read_framework_xlsx(path)
    assert [(c.code, c.max_points) for c in fw.criteria] == [("1", 1.0), ("1.1", 0.75),
                                                              ("1.2", 0.25)]  # fmt: skip
    assert fw.by_code["1.1"].guidance.deadline == "Quý III"
    assert fw.name == "phu luc" and fw.year is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hong.xlsx", b"not a zip at all", "Không đọc được tệp “hong.xlsx”"),
        ("bang.xls", b"\xd0\xcf\x11\xe0", "Tệp “bang.xls” không phải là bảng tính Excel .xlsx"),
        ("bang.csv", b"a,b", "Tệp “bang.csv” không phải là bảng tính Excel .xlsx"),
    ],
)
def test_bad_files_give_a_clear_error(tmp_path: Path, name: str, content: bytes,
                                      message: str) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ParAppError) as exc:
        read_framework_xlsx(path)
    assert not isinstance(exc.value, ImportErrors)
    assert str(exc.value).startswith(message)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ParAppError, match=re.escape("Không tìm thấy tệp “khong-co.xlsx”")):
        read_framework_xlsx(tmp_path / "khong-co.xlsx")


# -- sheets as provinces issue them (issue 13) ------------------------------------------------
def _tree(fw: Framework) -> list[tuple[str, str, str, float, str | None]]:
    return [(c.code, c.label, c.title, c.max_points, c.parent_code) for c in fw.criteria]


def test_relative_codes_with_totals_points_and_survey_notes(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_relative_with_totals(tmp_path / "tuong doi.xlsx"))
    assert _tree(fw) == [
        ("I", "I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 12.0, None),
        ("I.1", "1.", "Kế hoạch cải cách hành chính", 2.0, "I"),
        ("I.1.1", "1.1.", "Ban hành kế hoạch đúng thời hạn", 1.0, "I.1"),
        ("I.1.2", "1.2.", "Mức độ thực hiện kế hoạch", 1.0, "I.1"),
        ("I.2", "2.", "Kiểm tra công tác cải cách hành chính", 10.0, "I"),
        ("II", "II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 5.0, None),
        ("II.1", "1.", "Công khai thủ tục hành chính", 2.0, "II"),
        ("II.2", "2.", "Giải quyết thủ tục hành chính", 3.0, "II"),
        ("II.2.1", "2.1.", "Tỷ lệ hồ sơ giải quyết đúng hạn", 1.5, "II.2"),
        ("II.2.2", "2.2.", "Mức độ hài lòng của người dân", 1.5, "II.2"),
    ]
    assert [c.code for c in fw.criteria if c.survey_only] == ["II.2.2"]
    assert fw.total_points == 17.0  # the "Cộng" and "TỔNG ĐIỂM" rows are not criteria


def test_area_points_disagreeing_with_the_items_are_reported(tmp_path: Path) -> None:
    path = build_relative_with_totals(tmp_path / "sai.xlsx")
    wb = load_workbook(path)
    wb.active["C3"] = "6"
    wb.active["C8"] = None  # no subtotal to compare
    wb.save(path)
    assert _messages(path) == [
        "Trang tính “Phụ lục I”, dòng 3, cột C (Điểm tối đa): tiêu chí I: điểm tối đa 6 khác "
        "tổng điểm các tiêu chí con 12"
    ]


def test_total_rows_are_checked_against_the_tree(tmp_path: Path) -> None:
    path = build_relative_with_totals(tmp_path / "tong.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws["C14"] = "4,5"  # area II adds up to 5
    ws["C15"] = 20  # the whole sheet to 17
    wb.save(path)
    assert _messages(path) == [
        "Trang tính “Phụ lục I”, dòng 14, cột C (Điểm tối đa): dòng “Cộng” ghi 4,5 điểm, "
        "khác tổng điểm lĩnh vực II (5)",
        "Trang tính “Phụ lục I”, dòng 15, cột C (Điểm tối đa): dòng “TỔNG ĐIỂM” ghi 20 điểm, "
        "khác tổng điểm các lĩnh vực (17)",
    ]
    assert not list(tmp_path.glob("*.json"))  # nothing imported, nothing written


def test_absolute_codes(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_absolute(tmp_path / "tuyet doi.xlsx"))
    assert _tree(fw) == [
        ("1", "I.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3.0, None),
        ("1.1", "1.1", "Kế hoạch cải cách hành chính", 3.0, "1"),
        ("1.1.1", "1.1.1", "Ban hành kế hoạch đúng thời hạn", 1.0, "1.1"),
        ("1.1.2", "1.1.2", "Hoàn thành kế hoạch", 2.0, "1.1"),
        ("2", "II.", "CẢI CÁCH THỂ CHẾ", 2.0, None),
        ("2.1", "2.1", "Rà soát văn bản quy phạm pháp luật", 2.0, "2"),
    ]
    assert fw.by_code["1.1.1"].guidance.evidence == "Quyết định ban hành"
    assert not any(c.survey_only for c in fw.criteria)


def test_lettered_items(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_lettered(tmp_path / "chu cai.xlsx"))
    assert _tree(fw) == [
        ("1", "1", "Công tác chỉ đạo, điều hành", 4.0, None),
        ("1.1", "1.1", "Kế hoạch cải cách hành chính", 4.0, "1"),
        ("1.1.a", "a)", "Ban hành đúng thời hạn", 1.5, "1.1"),
        ("1.1.b", "b)", "Hoàn thành 100% kế hoạch", 1.5, "1.1"),
        ("1.1.c", "c)", "Báo cáo định kỳ đầy đủ", 1.0, "1.1"),
        ("2", "2", "Chỉ số hài lòng (qua điều tra xã hội học)", 2.0, None),
    ]
    assert [c.code for c in fw.criteria if c.survey_only] == ["2"]


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_legacy_font_sheets_with_short_cells(tmp_path: Path, encoding: str) -> None:
    path = build_legacy(tmp_path / f"{encoding}.xlsx", encoding)
    raw = load_workbook(path).active
    assert raw["B4"].value != "Kế hoạch"  # really legacy bytes on disk
    fw = read_framework_xlsx(path)
    assert _tree(fw) == [
        ("I", "I", "KẾ HOẠCH", 3.0, None),
        ("I.1", "1.", "Kế hoạch", 1.0, "I"),
        ("I.2", "2.", "Đạt", 2.0, "I"),
        ("II", "II", "HẠN", 1.0, None),
        ("II.1", "1.", "Hạn", 1.0, "II"),
    ]
    assert [c.code for c in fw.criteria if c.survey_only] == ["I.2"]


def test_merged_two_row_header_and_parts(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_merged_header(tmp_path / "bieu 01.xlsx"))
    assert _tree(fw) == [
        ("I", "Phần I", "ĐÁNH GIÁ CỦA ĐƠN VỊ", 3.0, None),
        ("I.1", "1", "Tuyên truyền cải cách hành chính", 3.0, "I"),
        ("I.1.1", "1.1", "Ban hành kế hoạch tuyên truyền", 1.0, "I.1"),
        ("I.1.2", "1.2", "Thực hiện tuyên truyền", 2.0, "I.1"),
        ("II", "Phần II", "ĐIỀU TRA XÃ HỘI HỌC", 2.0, None),
        ("II.1", "1", "Sự hài lòng của người dân", 2.0, "II"),
    ]
    lead = fw.by_code["I.1"].guidance
    assert (lead.lead, lead.coordinators) == ("Văn phòng", "Các đoàn thể")
    assert [c.code for c in fw.criteria if c.survey_only] == ["II.1"]
    assert fw.year == 2025


def test_points_as_officers_write_them() -> None:
    assert [parse_points(v) for v in (2, "2", "2,0", "2 điểm", "tối đa 2", "9 - 10", None)] == [
        2.0, 2.0, 2.0, 2.0, 2.0, 10.0, None
    ]  # fmt: skip
    for bad in ("hai", "10 - 9"):
        with pytest.raises(ValueError):
            parse_points(bad)


def test_labels_survive_the_framework_json(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_relative_with_totals(tmp_path / "nhan.xlsx"))
    back = framework_from_dict(json.loads(json.dumps(framework_to_dict(fw))))
    assert back == fw and back.content_hash == fw.content_hash
    assert back.by_code["II.2.1"].label == "2.1."


def test_total_words_inside_titles_are_not_totals(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung", "Điểm tối đa"])
    ws.append(["1", "Cộng đồng và tổng hợp", 2])
    ws.append(["1.1", "Tổng hợp báo cáo về", 1])
    ws.append(["STT", "Nội dung", "Điểm tối đa"])  # the header repeated by a page break
    ws.append([None, "tổng hợp kiến nghị"])  # the cell goes on after the break
    ws.append(["1.2", "Cộng đồng dân cư tham gia", 1])
    ws.append(["Tổng:", None, 2])
    path = tmp_path / "tong.xlsx"
    wb.save(path)
    fw = read_framework_xlsx(path)
    assert [(c.code, c.title) for c in fw.criteria] == [
        ("1", "Cộng đồng và tổng hợp"),
        ("1.1", "Tổng hợp báo cáo về tổng hợp kiến nghị"),
        ("1.2", "Cộng đồng dân cư tham gia"),
    ]


def test_header_over_three_rows(tmp_path: Path) -> None:
    fw = read_framework_xlsx(build_three_row_header(tmp_path / "ba dong.xlsx"))
    assert _tree(fw) == [
        ("I", "I", "CHỈ ĐẠO, ĐIỀU HÀNH", 2.0, None),
        ("I.1", "1", "Kế hoạch CCHC", 1.0, "I"),
        ("I.2", "2", "Hài lòng của người dân", 1.0, "I"),
    ]
    assert [c.code for c in fw.criteria if c.survey_only] == ["I.2"]
