"""Builders of "province-style" spreadsheets: the messy layouts real provinces send.

Title rows above the table, a header merged over two rows, a column-numbering row, Roman
numeral areas, numbers typed as text with a decimal comma, blank rows, a page-break header
repeated mid-table and text typed in the legacy TCVN3 font. Tests build them with openpyxl so
that the importer is checked against files that look like the ones officers receive.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from parapp.interchange.legacy_vn import from_unicode

FRAMEWORK_TITLE = "BỘ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2024"
FRAMEWORK_SUBTITLE = "(Kèm theo Quyết định số 123/QĐ-UBND ngày 10/01/2024)"
TCVN3_CRITERION = "Tỷ lệ hồ sơ giải quyết đúng hạn"


def build_province_framework(path: Path) -> Path:
    """A criteria sheet laid out like a Word table pasted into Excel."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng 1"
    ws["A1"] = from_unicode(FRAMEWORK_TITLE, "tcvn3")  # typed with .VnTimeH
    ws.merge_cells("A1:F1")
    ws["A2"] = FRAMEWORK_SUBTITLE
    ws.merge_cells("A2:F2")
    # A header merged over rows 3-4; "Cơ quan" spans the lead and coordinating columns.
    for col, text in (("A", "STT"), ("B", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần"),
                      ("C", "Điểm chuẩn"), ("F", "Chỉ tiêu")):  # fmt: skip
        ws[f"{col}3"] = text
        ws.merge_cells(f"{col}3:{col}4")
    ws["D3"] = "Cơ quan"
    ws.merge_cells("D3:E3")
    ws["D4"] = "Chủ trì"
    ws["E4"] = "Phối hợp"
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])  # row 5: column numbers
    rows: list[list[object]] = [
        ["I.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3],  # row 6
        ["1.", "Kế hoạch cải cách hành chính", "1,5"],  # row 7
        ["a)", "Ban hành kế hoạch đúng thời hạn", "0,5", "UBND xã", "Các ban, ngành", "100%"],
        ["b)", "Hoàn thành các nhiệm vụ của kế hoạch", 1, "UBND xã", None, "9 - 10"],
        [],  # row 10: blank spacer
        ["2.", from_unicode(TCVN3_CRITERION, "tcvn3"), 1.5, "Công chức Văn phòng - Thống kê"],
        ["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm chuẩn", "Cơ quan", None,
         "Chỉ tiêu"],  # row 12: header repeated after a page break
        [None, None, None, "Chủ trì", "Phối hợp"],  # row 13
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "4"],  # row 14
        ["2.1", "Công khai thủ tục hành chính", "1,5", "Bộ phận một cửa"],  # row 15
        ["2.2", "Mức độ hài lòng của người dân (qua điều tra XHH)", "2,5"],  # row 16
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


PLAN_TITLE = "KẾ HOẠCH NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024"


def build_province_plan(path: Path) -> Path:
    """A plan appendix like seed 001: groups I, II with numbering restarting in each."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws["A1"] = "Phụ lục"
    ws["A2"] = PLAN_TITLE
    ws.merge_cells("A2:F2")
    ws.append([])
    ws.append(["Số TT", "Nhiệm vụ cụ thể", "Tiến độ", "Cơ quan chủ trì", "Cơ quan phối hợp",
               "Kết quả/sản phẩm"])  # row 4  # fmt: skip
    rows: list[list[object]] = [
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"],  # row 5
        ["1", "Ban hành kế hoạch CCHC năm 2025", "Trước ngày 15/12", "Sở Nội vụ",
         "Các sở, ban, ngành", "Kế hoạch của UBND tỉnh"],  # row 6
        ["2", "Thực hiện công tác tuyên truyền CCHC"],  # row 7
        [None, "Đăng tin trên Cổng thông tin điện tử", "Thường xuyên", "Sở Nội vụ", None,
         "Tin, bài"],  # row 8: an unnumbered task under 2
        ["-", "Tuyên truyền trên Báo Quảng Nam", "Quý III", "Báo Quảng Nam", None,
         "Chuyên mục"],  # row 9: a bullet task under 2
        [],  # row 10
        ["Số TT", "Nhiệm vụ cụ thể", "Tiến độ", "Cơ quan chủ trì", "Cơ quan phối hợp",
         "Kết quả/sản phẩm"],  # row 11: repeated header
        [None, None, None, None, "Các cơ quan báo chí", "định kỳ hằng tháng"],  # row 12
        ["II", "CẢI CÁCH THỂ CHẾ"],  # row 13
        ["1.", "Rà soát văn bản quy phạm pháp luật", "6 tháng đầu năm", "Sở Tư pháp"],  # 14
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
