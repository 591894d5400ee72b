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


# -- criteria sheets in the shapes provinces issue them (issue 13) ---------------------------
def _save(ws_rows: list[list[object]], path: Path, header: list[object], title: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws["A1"] = "PHỤ LỤC"
    ws.append(header)  # row 2
    for row in ws_rows:
        ws.append(row)
    wb.save(path)
    return path


def build_relative_with_totals(path: Path) -> Path:
    """Codes restart under each Roman area; "Cộng" closes each area, "TỔNG ĐIỂM" the sheet.

    Points are written every way officers write them, and a notes column marks the item
    scored by the sociological survey.
    """
    header = ["TT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Ghi chú"]
    rows: list[list[object]] = [
        ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "12"],  # row 3
        ["1.", "Kế hoạch cải cách hành chính", "2,0"],  # row 4
        ["1.1.", "Ban hành kế hoạch đúng thời hạn", "1 điểm"],  # row 5
        ["1.2.", "Mức độ thực hiện kế hoạch", "tối đa 1"],  # row 6
        ["2.", "Kiểm tra công tác cải cách hành chính", "9 - 10"],  # row 7: a range
        [None, "Cộng", 12],  # row 8: subtotal of area I
        ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None],  # row 9: points left to the children
        ["1.", "Công khai thủ tục hành chính", 2],  # row 10
        ["2.", "Giải quyết thủ tục hành chính", "3"],  # row 11
        ["2.1.", "Tỷ lệ hồ sơ giải quyết đúng hạn", "1,5"],  # row 12
        ["2.2.", "Mức độ hài lòng của người dân", "1,5", "Điều tra XHH"],  # row 13
        [None, "Cộng", "5"],  # row 14
        [None, "TỔNG ĐIỂM", "17"],  # row 15
    ]
    return _save(rows, path, header, "Phụ lục I")


def build_absolute(path: Path) -> Path:
    """Roman areas whose items carry the area's number (II → 2.1, 2.1.1), a closing total."""
    header = ["STT", "Tiêu chí", "Điểm chuẩn", "Tài liệu kiểm chứng"]
    rows: list[list[object]] = [
        ["I.", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", 3],
        ["1.1", "Kế hoạch cải cách hành chính", 3, "Kế hoạch năm"],
        ["1.1.1", "Ban hành kế hoạch đúng thời hạn", 1, "Quyết định ban hành"],
        ["1.1.2", "Hoàn thành kế hoạch", 2],
        ["II.", "CẢI CÁCH THỂ CHẾ", 2],
        ["2.1", "Rà soát văn bản quy phạm pháp luật", 2],
        ["Tổng cộng", None, 5],
    ]
    return _save(rows, path, header, "Bộ tiêu chí")


def build_lettered(path: Path) -> Path:
    """Numbered areas and criteria with lettered sub-items a), b), c) and a point range."""
    header = ["Số TT", "Nội dung", "Điểm tối đa"]
    rows: list[list[object]] = [
        ["1", "Công tác chỉ đạo, điều hành", 4],
        ["1.1", "Kế hoạch cải cách hành chính", 4],
        ["a)", "Ban hành đúng thời hạn", "1,5"],
        ["b)", "Hoàn thành 100% kế hoạch", "1,5 điểm"],
        ["c)", "Báo cáo định kỳ đầy đủ", 1],
        ["2", "Chỉ số hài lòng (qua điều tra xã hội học)", "2"],
    ]
    return _save(rows, path, header, "Tiêu chí")


#: The texts of the legacy-font sheets: short titles that read as Vietnamese on their own.
LEGACY_ROWS: list[tuple[str, str, object, str]] = [
    ("I", "KẾ HOẠCH", "3", ""),
    ("1.", "Kế hoạch", "1", "Có"),
    ("2.", "Đạt", "2", "Điều tra XHH"),
    ("II", "HẠN", "1", ""),
    ("1.", "Hạn", "1", "Có"),
]


def build_legacy(path: Path, encoding: str) -> Path:
    """A sheet typed entirely in TCVN3 or VNI (headers too), with short cells."""
    from_enc = lambda text: from_unicode(text, encoding) if text else None  # noqa: E731
    header = [from_enc(h) for h in ("STT", "Nội dung", "Điểm tối đa", "Ghi chú")]
    rows = [[from_enc(c), from_enc(t), p, from_enc(n)] for c, t, p, n in LEGACY_ROWS]
    return _save(rows, path, header, "Sheet1")


def build_merged_header(path: Path) -> Path:
    """A header over two merged rows ("Điểm" over "Tối đa"/"Tự chấm", "Cơ quan" over
    "Chủ trì"/"Phối hợp"), column numbers below, and "Phần" sections with relative codes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    ws["A1"] = "BỘ TIÊU CHÍ ĐÁNH GIÁ CẢI CÁCH HÀNH CHÍNH CẤP XÃ NĂM 2025"
    ws.merge_cells("A1:G1")
    for col, text in (("A", "STT"), ("B", "Nội dung đánh giá"), ("G", "Ghi chú")):
        ws[f"{col}2"] = text
        ws.merge_cells(f"{col}2:{col}3")
    ws["C2"] = "Điểm"
    ws.merge_cells("C2:D2")
    ws["C3"], ws["D3"] = "Tối đa", "Tự chấm"
    ws["E2"] = "Cơ quan"
    ws.merge_cells("E2:F2")
    ws["E3"], ws["F3"] = "Chủ trì", "Phối hợp"
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])  # row 4
    rows: list[list[object]] = [
        [None, "Phần I. ĐÁNH GIÁ CỦA ĐƠN VỊ", 3],  # row 5: a section written in the title
        ["1", "Tuyên truyền cải cách hành chính", 3, None, "Văn phòng", "Các đoàn thể"],
        ["1.1", "Ban hành kế hoạch tuyên truyền", 1],
        ["1.2", "Thực hiện tuyên truyền", 2],
        ["Phần II", "ĐIỀU TRA XÃ HỘI HỌC", 2],  # row 9: a section written in the code
        ["1", "Sự hài lòng của người dân", 2, None, None, None, "Điều tra XHH"],
        [None, "Tổng cộng", 5],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def build_three_row_header(path: Path) -> Path:
    """A header over three rows: "Chấm điểm" over "Điểm", itself over "Tối đa" and "Tự chấm",
    so the maximum is named only by rows 3 and 4; "STT", "Nội dung", "Ghi chú" merged down."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 02"
    ws["A1"] = "BIỂU TỰ ĐÁNH GIÁ"
    for col, text in (("A", "STT"), ("B", "Nội dung"), ("F", "Ghi chú")):
        ws[f"{col}2"] = text
        ws.merge_cells(f"{col}2:{col}4")
    ws["C2"] = "Chấm điểm"
    ws.merge_cells("C2:E2")
    ws["C3"] = "Điểm"
    ws.merge_cells("C3:D3")
    ws["E3"] = "Minh chứng"
    ws.merge_cells("E3:E4")
    ws["C4"], ws["D4"] = "Tối đa", "Tự chấm"
    rows: list[list[object]] = [
        ["I", "CHỈ ĐẠO, ĐIỀU HÀNH", 2, None, None, None],  # row 5
        ["1", "Kế hoạch CCHC", 1, 1, "KH số 12", None],
        ["2", "Hài lòng của người dân", 1, None, None, "Điều tra XHH"],
    ]
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
