"""Task plans to Excel and back: exact round trip, a province's appendix, clear errors."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from parapp.interchange.excel_tasks import read_tasks_xlsx, write_tasks_xlsx
from parapp.models.errors import ImportErrors, ParAppError
from parapp.models.tasks import Task, TaskPlan, TaskStatus
from tests.interchange.province_sheets import PLAN_TITLE, build_province_plan


def sample_plan() -> TaskPlan:
    """Objective -> task -> product, three levels, with every field filled somewhere."""
    tasks = [
        Task("1", "Nâng cao chất lượng công tác chỉ đạo, điều hành", None, 1,
             "Trong năm 2024", date(2024, 12, 31), "UBND xã"),
        Task("1.1", "Ban hành kế hoạch CCHC năm 2025", "1", 2, "Trước ngày 15/12",
             date(2024, 12, 15), "Văn phòng HĐND-UBND", "Các ban, ngành\nMặt trận Tổ quốc",
             "Kế hoạch của UBND xã", ("1.1", "1.1.a"), TaskStatus.IN_PROGRESS, "Ưu tiên"),
        Task("1.1.a", "Dự thảo kế hoạch", "1.1", 3, "Quý III", date(2024, 9, 30), "Công chức "
             "Văn phòng - Thống kê", product="Dự thảo", status=TaskStatus.DONE),
        Task("2", "Công khai thủ tục hành chính", None, 4, "Thường xuyên", None, "Bộ phận một cửa",
             status=TaskStatus.CANCELLED),
    ]  # fmt: skip
    return TaskPlan("kh-2024", "Kế hoạch cải thiện Chỉ số CCHC năm 2024", 2024,
                    "Kế hoạch số 176/KH-UBND", tuple(tasks))  # fmt: skip


def test_round_trip_is_exact(tmp_path: Path) -> None:
    plan = sample_plan()
    path = tmp_path / "kế hoạch.xlsx"
    write_tasks_xlsx(plan, path)
    assert read_tasks_xlsx(path) == plan


def test_written_layout_formatting_and_drop_down(tmp_path: Path) -> None:
    path = tmp_path / "kh.xlsx"
    write_tasks_xlsx(sample_plan(), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin", "Nhiệm vụ"]
    ws = wb["Nhiệm vụ"]
    assert [c.value for c in ws[1]] == [
        "Mã", "Nhiệm vụ", "Mã cấp trên", "Tiến độ", "Hạn hoàn thành", "Cơ quan chủ trì",
        "Cơ quan phối hợp", "Kết quả/sản phẩm", "Tiêu chí liên quan", "Trạng thái", "Ghi chú",
    ]  # fmt: skip
    assert ws.freeze_panes == "A2" and all(c.font.bold for c in ws[1])
    assert ws["E3"].number_format == "DD/MM/YYYY" and ws["E3"].value.date() == date(2024, 12, 15)
    assert ws["I3"].value == "1.1, 1.1.a"
    assert ws["J3"].value == "Đang thực hiện"
    dv = ws.data_validations.dataValidation[0]
    assert dv.formula1 == '"Chưa thực hiện,Đang thực hiện,Đã hoàn thành,Không thực hiện"'
    assert "J2" in str(dv.sqref)
    info = {r[0]: r[1] for r in wb["Thông tin"].iter_rows(min_row=2, values_only=True)}
    assert info == {"Mã kế hoạch": "kh-2024", "Tên kế hoạch": sample_plan().name, "Năm": 2024,
                    "Văn bản ban hành": "Kế hoạch số 176/KH-UBND"}  # fmt: skip


def test_blank_due_date_is_parsed_from_schedule(tmp_path: Path) -> None:
    path = tmp_path / "kh.xlsx"
    write_tasks_xlsx(sample_plan(), path)
    wb = load_workbook(path)
    wb["Nhiệm vụ"]["E4"] = None  # "Quý III"
    wb["Thông tin"]["B4"] = 2025
    wb.save(path)
    plan = read_tasks_xlsx(path)
    assert plan.year == 2025
    assert plan.tasks[2].due_date == date(2025, 9, 30)
    assert plan.tasks[1].due_date == date(2024, 12, 15)  # typed dates are kept


def test_province_appendix_is_read_with_generated_codes(tmp_path: Path) -> None:
    path = build_province_plan(tmp_path / "Phụ lục kế hoạch.xlsx")
    plan = read_tasks_xlsx(path)
    assert plan.year == 2024
    assert plan.name == f"Phụ lục {PLAN_TITLE}"
    assert plan.id == "phu-luc-ke-hoach"
    got = [(t.code, t.parent_code, t.order, t.title, t.deadline_text, t.due_date)
           for t in plan.tasks]  # fmt: skip
    assert got == [
        ("I", None, 1, "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "", None),
        ("I.1", "I", 2, "Ban hành kế hoạch CCHC năm 2025", "Trước ngày 15/12",
         date(2024, 12, 15)),
        ("I.2", "I", 3, "Thực hiện công tác tuyên truyền CCHC", "", None),
        ("I.2.a", "I.2", 4, "Đăng tin trên Cổng thông tin điện tử", "Thường xuyên", None),
        ("I.2.b", "I.2", 5, "Tuyên truyền trên Báo Quảng Nam", "Quý III", date(2024, 9, 30)),
        ("II", None, 6, "CẢI CÁCH THỂ CHẾ", "", None),
        ("II.1", "II", 7, "Rà soát văn bản quy phạm pháp luật", "6 tháng đầu năm",
         date(2024, 6, 30)),
    ]  # fmt: skip
    bullet = plan.tasks[4]
    assert bullet.coordinators == "Các cơ quan báo chí"  # continued after the page break
    assert bullet.product == "Chuyên mục định kỳ hằng tháng"
    assert plan.tasks[1].lead == "Sở Nội vụ" and plan.tasks[1].product == "Kế hoạch của UBND tỉnh"


def test_default_year_is_used_when_the_file_has_none(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Nội dung công việc", "Thời gian thực hiện", "Đơn vị chủ trì"])
    ws.append([1, "Kiểm tra công tác CCHC", "Quý IV", "UBND xã"])
    path = tmp_path / "kiem tra.xlsx"
    wb.save(path)
    plan = read_tasks_xlsx(path, default_year=2026)
    assert plan.year == 2026
    assert plan.tasks[0].due_date == date(2026, 12, 31)
    assert plan.tasks[0].lead == "UBND xã"
    with pytest.raises(ImportErrors) as exc:
        read_tasks_xlsx(path)
    assert [str(e) for e in exc.value.errors] == [
        "Trang tính “Sheet”: không xác định được năm của kế hoạch: hãy ghi năm ở trang "
        "“Thông tin” hoặc trong tiêu đề"
    ]


def test_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "kh.xlsx"
    write_tasks_xlsx(sample_plan(), path)
    wb = load_workbook(path)
    ws = wb["Nhiệm vụ"]
    ws["E2"] = "cuối năm"
    ws["J3"] = "Sắp xong"
    ws["A4"] = "1.1"
    ws["C5"] = "9"
    ws["B5"] = None
    wb.save(path)
    with pytest.raises(ImportErrors) as exc:
        read_tasks_xlsx(path)
    assert [str(e) for e in exc.value.errors] == [
        "Trang tính “Nhiệm vụ”, dòng 2, cột E (Hạn hoàn thành): hạn hoàn thành “cuối năm” không "
        "phải là ngày (ghi dạng ngày/tháng/năm, ví dụ 15/12/2024)",
        "Trang tính “Nhiệm vụ”, dòng 3, cột J (Trạng thái): trạng thái “Sắp xong” không hợp lệ "
        "(chọn một trong: Chưa thực hiện, Đang thực hiện, Đã hoàn thành, Không thực hiện)",
        "Trang tính “Nhiệm vụ”, dòng 4, cột A (Mã): mã nhiệm vụ 1.1 bị trùng",
        "Trang tính “Nhiệm vụ”, dòng 5, cột B (Nhiệm vụ): nhiệm vụ 2 chưa có nội dung",
        "Trang tính “Nhiệm vụ”, dòng 5, cột C (Mã cấp trên): không có nhiệm vụ cấp trên 9",
    ]
    assert str(exc.value).startswith("Không nhập được: có 5 lỗi, chưa có gì được thay đổi.")


def test_empty_plan_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "trong.xlsx"
    write_tasks_xlsx(TaskPlan("x", "Trống", 2024), path)
    with pytest.raises(ImportErrors, match="không có nhiệm vụ nào"):
        read_tasks_xlsx(path)
    bad = tmp_path / "hong.xlsx"
    bad.write_text("không phải excel", encoding="utf-8")
    with pytest.raises(ParAppError, match=re.escape("Không đọc được tệp “hong.xlsx”")):
        read_tasks_xlsx(bad)
