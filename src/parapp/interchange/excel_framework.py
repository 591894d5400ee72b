"""Frameworks to and from Excel: ParApp's own documented layout, and provinces' own sheets.

Provinces publish their criteria as spreadsheets (often converted from Word), so the reader
finds the table by its header names and accepts Roman-numeral areas, letter items, decimal
commas, merged cells and legacy fonts. Whatever it reads is checked as a whole; any problem
is reported with its sheet, row and column and nothing is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from parapp.interchange.excel_common import (
    DOTTED,
    LETTER,
    ROMAN,
    WRAP,
    Column,
    SheetRow,
    Table,
    add_choice,
    cell_text,
    code_text,
    find_table,
    iter_rows,
    join_text,
    norm_header,
    open_workbook,
    read_info_sheet,
    save_workbook,
    split_code_title,
    split_title_lines,
    title_lines,
    write_header,
    write_info,
    write_instructions,
)
from parapp.models.errors import ImportErrors, SheetError, ValidationError
from parapp.models.framework import Criterion, Framework, Guidance
from parapp.models.scoring import (
    RULE_LABELS,
    RuleKind,
    ScoringRule,
    format_rule_params,
    parse_rule_params,
)
from parapp.models.text import clean, fold, format_number, parse_number
from parapp.models.validation import TOLERANCE, framework_problems

SHEET_HELP = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_CRITERIA = "Tiêu chí"

COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", ("Stt", "TT", "Số TT", "Số thứ tự", "Mã số", "Mã tiêu chí"), 10),
    Column(
        "title",
        "Nội dung tiêu chí",
        (
            "Nội dung",
            "Tiêu chí",
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Lĩnh vực/Tiêu chí",
            "Tiêu chí/Tiêu chí thành phần",
            "Tên tiêu chí",
            "Lĩnh vực, tiêu chí, tiêu chí thành phần",
            "Chỉ số thành phần",
            "Nội dung đánh giá",
            "Lĩnh vực",
            "Tiêu chí thành phần",
        ),
        60,
    ),
    Column("max_points", "Điểm tối đa", ("Điểm chuẩn", "Thang điểm tối đa", "Điểm tối đa"), 10),
    Column("rule", "Cách chấm", ("Cách chấm điểm", "Hình thức chấm", "Phương thức chấm"), 14),
    Column("bands", "Thang điểm", ("Mức điểm", "Cách tính điểm", "Thang chấm"), 28),
    Column(
        "requirement",
        "Yêu cầu",
        ("Nội dung yêu cầu", "Yêu cầu nội dung", "Thực hiện", "Nội dung thực hiện", "Giải pháp"),
        40,
    ),
    Column("evidence", "Tài liệu kiểm chứng", ("Tài liệu", "Hồ sơ kiểm chứng"), 40),
    Column("target", "Chỉ tiêu", ("Mục tiêu", "Chỉ tiêu phấn đấu"), 16),
    Column(
        "deadline",
        "Thời hạn",
        (
            "Thời gian",
            "Thời gian thực hiện",
            "Thời gian hoàn thành",
            "Tiến độ",
            "Thời hạn hoàn thành",
        ),
        16,
    ),
    Column("lead", "Cơ quan chủ trì", ("Chủ trì", "Đơn vị chủ trì", "Cơ quan, đơn vị chủ trì"), 22),
    Column(
        "coordinators",
        "Cơ quan phối hợp",
        ("Phối hợp", "Đơn vị phối hợp", "Cơ quan, đơn vị phối hợp"),
        28,
    ),
    Column("source", "Nguồn quy định", ("Căn cứ chấm điểm",), 40),
    Column("not_applicable", "Không áp dụng khi", ("Trường hợp không áp dụng",), 24),
)
_COL = {c.key: c for c in COLUMNS}
#: Columns only read from provinces' sheets, never written: a notes column often marks the
#: items scored by the sociological survey ("Điều tra XHH").
READ_COLUMNS: tuple[Column, ...] = (
    *COLUMNS,
    Column("note", "Ghi chú", ("Ghi chú", "Phương pháp đánh giá", "Hình thức đánh giá")),
)
_GUIDANCE_KEYS = ("requirement", "evidence", "target", "deadline", "lead", "coordinators")

INFO_LABELS: dict[str, str] = {
    "id": "Mã bộ chỉ số",
    "name": "Tên bộ chỉ số",
    "index_kind": "Loại chỉ số",
    "year": "Năm",
    "decision": "Văn bản ban hành",
    "level": "Cấp áp dụng",
    "score_step": "Bước điểm",
}

HELP_LINES: tuple[tuple[str, str], ...] = (
    (
        "Tệp này",
        "Bộ chỉ số (bộ tiêu chí) để tự đánh giá. Trang “Thông tin” ghi thông tin chung; "
        "trang “Tiêu chí” ghi mỗi tiêu chí một dòng. Có thể thêm dòng tiêu đề phía trên bảng.",
    ),
    (
        "Mã",
        "Mã tiêu chí có dấu chấm phân cấp: 1 (lĩnh vực), 1.1 (tiêu chí), 1.1.1 "
        "(tiêu chí thành phần). Có thể ghi lĩnh vực bằng số La Mã (I, II, III...) "
        "và mục con bằng chữ a), b).",
    ),
    ("Nội dung tiêu chí", "Tên của lĩnh vực, tiêu chí hoặc tiêu chí thành phần."),
    (
        "Điểm tối đa",
        "Số điểm tối đa, dùng dấu phẩy thập phân (ví dụ 1,5). Điểm của tiêu chí cha "
        "phải bằng tổng điểm các tiêu chí con.",
    ),
    (
        "Cách chấm",
        "Chỉ ghi cho tiêu chí không có tiêu chí con. Tự chấm: đơn vị tự cho điểm từ 0 "
        "đến điểm tối đa. Theo thang: điểm tính từ số liệu theo cột “Thang điểm”. "
        "Theo số lượng: như Theo thang nhưng số liệu là số đếm (số TTHC...). "
        "Theo tỷ lệ: điểm = tỷ lệ × điểm tối đa. "
        "Có/Không: đạt thì được điểm tối đa, không đạt thì 0 điểm. Điểm trừ: điểm âm, "
        "điểm tối đa ghi 0. Điểm thưởng: cộng thêm ngoài điểm tối đa, điểm tối đa ghi 0. "
        "Điều tra XHH: chấm qua điều tra xã hội học, đơn vị không tự chấm. "
        "Để trống là Tự chấm. Xem thêm docs/scoring-rules.md.",
    ),
    (
        "Thang điểm",
        "Theo thang / Theo số lượng: các mức cách nhau bằng dấu chấm phẩy, ví dụ "
        "“>=100% → 1; từ 80% đến dưới 100% → 0,5; <80% → 0” hoặc “>=50 TTHC → 1”; "
        "dùng >=, >, <=, < hoặc “từ … đến dưới …”; có thể viết “->” thay cho “→”. "
        "Theo tỷ lệ: “đủ điểm từ 50%; 0 điểm dưới 10%”. Điểm trừ: “trừ tối đa 1”. "
        "Điểm thưởng: “thưởng tối đa 0,5”. Tự chấm: “bước 0,25” (không bắt buộc).",
    ),
    ("Yêu cầu", "Nội dung cần thực hiện để đạt điểm."),
    ("Tài liệu kiểm chứng", "Văn bản, báo cáo cần đính kèm làm minh chứng."),
    ("Chỉ tiêu", "Chỉ tiêu phấn đấu, ví dụ “100%” hoặc “9 - 10”."),
    ("Thời hạn", "Thời hạn thực hiện, ví dụ “Quý III” hoặc “Trước ngày 15/12”."),
    ("Cơ quan chủ trì", "Cơ quan chịu trách nhiệm chính."),
    ("Cơ quan phối hợp", "Các cơ quan phối hợp, cách nhau bằng dấu phẩy."),
    ("Nguồn quy định", "Câu trong văn bản quy định cách chấm, hiện cho người chấm điểm."),
    (
        "Không áp dụng khi",
        "Trường hợp đơn vị được ghi “không áp dụng” (phải nêu lý do), ví dụ “Không tính "
        "các xã thuộc huyện đảo”. Khi đó điểm tối đa của đơn vị giảm tương ứng.",
    ),
    (
        "Ví dụ",
        "1 | Công tác chỉ đạo, điều hành | 10\n"
        "1.1 | Kế hoạch cải cách hành chính | 1,5\n"
        "1.1.1 | Ban hành kế hoạch đúng thời hạn | 0,5 | Có/Không\n"
        "1.1.2 | Tỷ lệ hoàn thành kế hoạch | 1 | Theo thang | "
        ">=100% → 1; >=80% → 0,5; còn lại → 0\n"
        "1.2 | Mức độ hài lòng (qua điều tra XHH) | 8,5 | Điều tra XHH",
    ),
    (
        "Thông tin",
        "Mã bộ chỉ số (không dấu, không khoảng trắng), tên, loại chỉ số (PAR, PAPI, "
        "SIPAS...), năm, văn bản ban hành, cấp áp dụng (xã, huyện, tỉnh), bước điểm (ví dụ 0,25).",
    ),
)


# -- writing --------------------------------------------------------------------------------
def _build_workbook(fw: Framework | None) -> Workbook:
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    write_instructions(help_ws, "Hướng dẫn nhập bộ chỉ số", HELP_LINES)
    info_ws = wb.create_sheet(SHEET_INFO)
    if fw is None:
        pairs: list[tuple[str, Any]] = [(label, None) for label in INFO_LABELS.values()]
        pairs[INFO_LABELS_KEYS.index("index_kind")] = (INFO_LABELS["index_kind"], "PAR")
        pairs[INFO_LABELS_KEYS.index("score_step")] = (INFO_LABELS["score_step"], 0.25)
    else:
        pairs = [
            (INFO_LABELS["id"], fw.id),
            (INFO_LABELS["name"], fw.name),
            (INFO_LABELS["index_kind"], fw.index_kind),
            (INFO_LABELS["year"], fw.year),
            (INFO_LABELS["decision"], fw.decision),
            (INFO_LABELS["level"], fw.level),
            (INFO_LABELS["score_step"], fw.score_step),
        ]
    write_info(info_ws, pairs)
    info_ws["B2"].number_format = "@"
    ws = wb.create_sheet(SHEET_CRITERIA)
    write_header(ws, COLUMNS)
    criteria = fw.criteria if fw is not None else ()
    for r, c in enumerate(criteria, start=2):
        _write_criterion(ws, r, c, is_leaf=fw is not None and fw.is_leaf(c.code))
    add_choice(ws, 4, [RULE_LABELS[k] for k in RuleKind], max(len(criteria) + 1, 500))
    return wb


INFO_LABELS_KEYS = list(INFO_LABELS)


def _write_criterion(ws: Worksheet, r: int, c: Criterion, is_leaf: bool) -> None:
    rule_label = c.rule.kind.label if is_leaf or c.rule.kind is not RuleKind.MANUAL else None
    values: list[Any] = [
        c.code,
        c.title,
        c.max_points,
        rule_label,
        format_rule_params(c.rule) or None,
        *(getattr(c.guidance, k) or None for k in _GUIDANCE_KEYS),
        c.rule.source or None,
        c.rule.not_applicable or None,
    ]
    for col, value in enumerate(values, start=1):
        cell = ws.cell(r, col, value)
        cell.alignment = WRAP
        if c.parent_code is None:
            cell.font = Font(bold=True)
    ws.cell(r, 1).number_format = "@"


def write_framework_xlsx(fw: Framework, path: Path) -> None:
    """Write ``fw`` in ParApp's layout; :func:`read_framework_xlsx` reads it back exactly."""
    save_workbook(_build_workbook(fw), path)


def write_framework_template(path: Path) -> None:
    """An empty, documented workbook a province can fill in."""
    save_workbook(_build_workbook(None), path)


# -- reading --------------------------------------------------------------------------------
_SURVEY_WORDS = ("dieu tra xhh", "dieu tra xa hoi hoc")
_SKIP_TITLES = ("tong so", "ghi chu")
# Rows that total the points: checked against the tree, never imported as criteria.
_GRAND_TOTAL = re.compile(r"(?:tong diem|tong cong|tong so diem)\b|tong\s*(?::|$)")
_SUBTOTAL = re.compile(r"cong(?:\s*$|\s*[:.(\-]|\s+(?:diem|linh vuc|phan|muc|[ivxlc]+)\b)")
# "Phần I", "PHẦN 2": a section, like a Roman numeral area.
_PART = re.compile(
    r"(ph[aầ]n\s+(?:[IVXLC]+|\d+))\s*[.:\-\u2013]?\s*(.*)", re.IGNORECASE | re.DOTALL
)
_PART_CODE = re.compile(r"phan\s+([ivxlc]+|\d+)\s*[.:]?")


def _total_kind(text: str) -> str | None:
    """The kind of a total row: "total" ("TỔNG ĐIỂM", "Tổng cộng") or "subtotal" ("Cộng").

    A text starting in lower case is the tail of a cell cut by a page break, never a total.
    """
    if not text or text[0].islower():
        return None
    folded = fold(text)
    if _GRAND_TOTAL.match(folded):
        return "total"
    if _SUBTOTAL.match(folded):
        return "subtotal"
    return None


def _section_code(raw: str) -> str | None:
    """The numeral of an area row ("II", "Phần III" → "III"), or None for other codes."""
    if ROMAN.fullmatch(raw):
        return raw.rstrip(".").upper()
    m = _PART_CODE.fullmatch(fold(raw))
    return m[1].upper() if m else None


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _section_number(section: str) -> int:
    """The number of an area numeral: "IV" → 4, "3" → 3."""
    if section.isdigit():
        return int(section)
    values = [_ROMAN_VALUES[ch] for ch in section]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))  # fmt: skip


def parse_points(value: Any) -> float | None:
    """Points as provinces write them: ``2``, ``"2,0"``, ``"2 điểm"``, ``"tối đa 2"``.

    A range ``"9 - 10"`` gives its upper end, the most an item can get. Raises
    :class:`ValueError` for anything else; ``None`` for a blank cell.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = fold(cell_text(value))
    text = re.sub(r"^(?:toi da|max)\s*:?\s*", "", text)
    text = re.sub(r"\s*(?:diem|d)\.?$", "", text).strip()
    m = re.fullmatch(r"(\d[\d.,]*)\s*(?:-|\u2013|den)\s*(\d[\d.,]*)", text)
    if m:
        low, high = parse_number(m[1]), parse_number(m[2])
        if low is None or high is None or low > high:
            raise ValueError(text)
        return high
    return parse_number(text)


def _area_modes(codes: list[str]) -> dict[int, str]:
    """How each area numbers its items: "absolute" (II → 2.1, 2.2), "full" (II.1, II.2) or
    "relative" (II → 1., 2., 2.1., restarting under each area), by the area's ordinal.

    An area is absolute only when every item code starts with the area's number and has a
    dot below it; one "1." under "II" is enough to make it relative.
    """
    modes: dict[int, str] = {}
    ordinal = 0
    area: str | None = None
    kinds: dict[int, set[str]] = {}
    for raw in codes:
        section = _section_code(raw)
        if section is not None:
            ordinal += 1
            area = section
            continue
        if area is None or not DOTTED.fullmatch(raw) or LETTER.fullmatch(raw):
            continue
        code = raw.rstrip(".")
        parts = code.split(".")
        if code.upper().startswith(area + "."):
            kind = "full"
        elif len(parts) >= 2 and parts[0] == str(_section_number(area)):
            kind = "absolute"
        else:
            kind = "relative"
        kinds.setdefault(ordinal, set()).add(kind)
    for n, found in kinds.items():
        modes[n] = found.pop() if len(found) == 1 else "relative"
    return modes


def _is_survey_text(text: str) -> bool:
    folded = fold(text)
    return any(w in folded for w in _SURVEY_WORDS)


def _parse_rule_label(text: str) -> RuleKind | None:
    """A rule kind from its label, the stored value or a near spelling; None if unknown."""
    try:
        return RuleKind.from_label(text)
    except ValueError:
        pass
    key = norm_header(text)
    for kind, label in RULE_LABELS.items():
        if key == norm_header(label):
            return kind
    if _is_survey_text(text) or key in ("xhh", "dieu tra"):
        return RuleKind.SURVEY
    return None


@dataclass
class _Item:
    """A criterion being read, with where it came from (for error messages)."""

    row: int
    code: str
    title: str
    max_points: float | None
    rule: ScoringRule
    rule_explicit: bool
    guidance: Guidance
    parent_code: str | None = None
    children: list[str] = field(default_factory=list)
    label: str = ""


@dataclass(frozen=True)
class _TotalRow:
    """A "TỔNG ĐIỂM"/"Cộng" row: the points it states, checked against the tree."""

    row: int
    text: str
    points: float
    area: str | None  # the area a subtotal closes; None for the grand total


class _FrameworkReader:
    """Turns the data rows of one sheet into criteria, collecting every problem."""

    def __init__(self, sheet: str, table: Table) -> None:
        self.sheet = sheet
        self.table = table
        self.errors: list[SheetError] = []
        self.items: dict[str, _Item] = {}
        self.area_count = 0
        self.current_area: str | None = None
        self.last_numbered: str | None = None
        self.last_item: _Item | None = None
        self.area_modes: dict[int, str] = {}
        self.relative = False
        self.totals: list[_TotalRow] = []

    def error(self, row: int | None, key: str | None, problem: str) -> None:
        column = self.table.where(key) if key is not None else None
        self.errors.append(SheetError(self.sheet, row, column, problem))

    # -- codes --
    def plan_codes(self, raw_codes: list[str]) -> None:
        """Decide from all codes whether the sheet numbers items relative to their area.

        A relative sheet's codes become full paths ("II.2.1") so they stay unique; a sheet
        whose codes are absolute keeps them, its Roman areas numbered 1, 2, 3.
        """
        self.area_modes = _area_modes(raw_codes)
        self.relative = any(mode != "absolute" for mode in self.area_modes.values())

    def normalise_code(self, row: int, raw: str) -> str | None:
        """The code of a row in the app, or None (an error is recorded) when it is not a code."""
        section = _section_code(raw)
        if section is not None:
            self.area_count += 1
            code = section if self.relative else str(_section_number(section))
            self.current_area = code
            self.last_numbered = code
            return code
        letter = LETTER.fullmatch(raw)
        if letter:
            if self.last_numbered is None:
                self.error(row, "code", f"mục “{raw}” không nằm dưới tiêu chí có số thứ tự nào")
                return None
            return f"{self.last_numbered}.{letter[1]}"
        if DOTTED.fullmatch(raw):
            code = raw.rstrip(".")
            area = self.current_area
            mode = self.area_modes.get(self.area_count, "absolute")
            if area is not None and self.relative:
                if mode == "absolute":
                    code = f"{area}.{code.split('.', 1)[1]}"
                elif mode == "relative":
                    code = f"{area}.{code}"
                else:  # already the full path, as ParApp writes it
                    code = area + code[len(area) :]
            elif area is not None and not code.startswith(area + "."):
                code = f"{area}.{code}"
            self.last_numbered = code
            return code
        self.error(row, "code", f"mã tiêu chí “{raw}” không hợp lệ (ví dụ đúng: 1, 1.2, 1.2.3)")
        return None

    # -- one row --
    @staticmethod
    def split_row(row: SheetRow) -> tuple[str, str]:
        """The raw code and the title of a row, a code written inside the title split off."""
        raw_code, title = split_code_title(code_text(row.values.get("code")), row.text("title"))
        if not raw_code:
            m = _PART.fullmatch(title)
            if m and m[2]:
                return clean(m[1]), clean(m[2])
        return raw_code, title

    def read_rows(self, rows: list[SheetRow]) -> None:
        """Read every data row: codes are planned from the whole sheet first."""
        split = [(row, *self.split_row(row)) for row in rows]
        self.plan_codes([raw for _row, raw, _title in split if raw])
        for row, raw_code, title in split:
            self.read_row(row, raw_code, title)

    def read_row(self, row: SheetRow, raw_code: str, title: str) -> None:
        total = _total_kind(title or raw_code) if not raw_code or not title else None
        if total is None and raw_code and not title:
            total = _total_kind(raw_code)
        if total is not None:
            self.read_total(row, title or raw_code, total)
            return
        if not raw_code and self.last_item is not None and (not title or row.after_break):
            self.continue_item(self.last_item, title, row)
            return
        raw_points = row.values.get("max_points")
        if not raw_code:
            if not title or fold(title).startswith(_SKIP_TITLES):
                return
            self.error(row.row, "code", f"dòng “{title[:40]}” chưa có mã tiêu chí")
            return
        code = self.normalise_code(row.row, raw_code)
        if code is None:
            return
        if code in self.items:
            self.error(row.row, "code", f"mã tiêu chí {code} bị trùng")
            return
        points = self.read_points(row, raw_points)
        rule, explicit = self.read_rule(row, title)
        if not explicit and rule.kind is RuleKind.MANUAL and _is_survey_text(row.text("note")):
            rule = ScoringRule(RuleKind.SURVEY)
        guidance = Guidance(**{k: row.text(k, multiline=True) for k in _GUIDANCE_KEYS})
        parent = code.rsplit(".", 1)[0] if "." in code else None
        item = _Item(row.row, code, title, points, rule, explicit, guidance, parent)
        item.label = clean(raw_code)
        self.items[code] = item
        self.last_item = item

    def read_total(self, row: SheetRow, text: str, kind: str) -> None:
        """Remember a total row's points; :meth:`check_totals` compares them with the tree."""
        self.last_item = None  # nothing continues across a total row
        if row.values.get("max_points") is None:
            return
        points = self.read_points(row, row.values.get("max_points"))
        if points is None:
            return
        area = self.current_area if kind == "subtotal" else None
        self.totals.append(_TotalRow(row.row, text, points, area))

    def continue_item(self, item: _Item, title: str, row: SheetRow) -> None:
        """A row that carries on the previous criterion's cells after a page break."""
        item.title = join_text(item.title, title)
        more = {
            k: join_text(getattr(item.guidance, k), row.text(k, multiline=True))
            for k in _GUIDANCE_KEYS
        }
        item.guidance = Guidance(**more)

    def read_points(self, row: SheetRow, raw: Any) -> float | None:
        try:
            value = parse_points(raw)
        except ValueError:
            self.error(row.row, "max_points", f"điểm tối đa “{row.text('max_points')}” "
                       "không phải là số")  # fmt: skip
            return None
        return value

    def read_rule(self, row: SheetRow, title: str) -> tuple[ScoringRule, bool]:
        label = row.text("rule")
        bands_text = row.text("bands")
        kind: RuleKind | None = None
        if label:
            kind = _parse_rule_label(label)
            if kind is None:
                choices = ", ".join(RULE_LABELS.values())
                self.error(row.row, "rule", f"cách chấm “{label}” không hợp lệ "
                           f"(chọn một trong: {choices})")  # fmt: skip
        explicit = kind is not None
        if kind is None:
            if bands_text:
                kind, explicit = RuleKind.BANDS, True
            elif _is_survey_text(title):
                kind = RuleKind.SURVEY
            else:
                kind = RuleKind.MANUAL
        try:
            rule = parse_rule_params(
                kind,
                bands_text,
                source=row.text("source", multiline=True),
                not_applicable=row.text("not_applicable"),
            )
        except (ValueError, ValidationError) as err:
            self.error(row.row, "bands", f"thang điểm: {err}")
            rule = ScoringRule(kind)
        return rule, explicit

    # -- the whole tree --
    def criteria(self) -> list[Criterion]:
        """Resolve inferred rules and blank parent points; return criteria in sheet order."""
        items = self.items
        for item in items.values():
            if item.parent_code in items:
                items[item.parent_code].children.append(item.code)
        for item in items.values():
            parent = items.get(item.parent_code or "")
            if (
                not item.rule_explicit
                and item.rule.kind is RuleKind.MANUAL
                and parent is not None
                and not parent.rule_explicit
                and parent.rule.kind is RuleKind.SURVEY
            ):
                item.rule = ScoringRule(RuleKind.SURVEY)

        def points(item: _Item) -> float | None:
            if item.max_points is None and item.children:
                kids = [points(items[k]) for k in item.children]
                if all(k is not None for k in kids):
                    item.max_points = round(sum(k for k in kids if k is not None), 6)
            return item.max_points

        result = []
        for order, item in enumerate(items.values(), start=1):
            value = points(item)
            if value is None:
                where = self.table.where("max_points")
                reported = any(e.row == item.row and e.column == where for e in self.errors)
                if not item.children and not reported:
                    self.error(item.row, "max_points", f"tiêu chí {item.code} chưa có điểm tối đa")
                value = 0.0
            rule = item.rule
            if item.children and not item.rule_explicit:
                rule = ScoringRule()
            result.append(
                Criterion(
                    item.code,
                    item.title,
                    value,
                    item.parent_code,
                    order,
                    rule,
                    item.guidance,
                    label=item.label,
                )
            )
        self.check_totals(result)
        return result

    def check_totals(self, criteria: list[Criterion]) -> None:
        """Each total row must state the points its items add up to.

        Totals are compared with the sum of the scored items (leaves), so that an area whose
        own points are wrong is reported once, at its row, by the tree's validation.
        """
        by_code = {c.code: c for c in criteria}
        parents = {c.parent_code for c in criteria}

        def area_of(c: Criterion) -> str:
            while c.parent_code is not None and c.parent_code in by_code:
                c = by_code[c.parent_code]
            return c.code

        sums: dict[str | None, float] = {}
        for c in criteria:
            if c.code not in parents:
                for key in (None, area_of(c)):
                    sums[key] = sums.get(key, 0.0) + c.max_points
        for total in self.totals:
            area = by_code.get(total.area) if total.area is not None else None
            expected = round(sums.get(area.code if area is not None else None, 0.0), 6)
            if abs(expected - total.points) <= TOLERANCE:
                continue
            what = f"lĩnh vực {area.label}" if area is not None else "các lĩnh vực"
            self.error(
                total.row,
                "max_points",
                f"dòng “{total.text[:40]}” ghi {format_number(total.points)} điểm, khác tổng "
                f"điểm {what} ({format_number(expected)})",
            )


_CODE_IN_PROBLEM = re.compile(r"^(?:Mã tiêu chí|Tiêu chí) (\S+?):? ")


def _tree_errors(fw: Framework, reader: _FrameworkReader) -> list[SheetError]:
    """Validation problems of the tree, each placed at the row of its criterion."""
    errors = []
    for problem in framework_problems(fw):
        m = _CODE_IN_PROBLEM.match(problem)
        item = reader.items.get(m[1]) if m else None
        if item is None:
            if "không có tiêu chí nào" in problem:
                continue  # reported by the caller with the sheet's name
            errors.append(SheetError(SHEET_INFO, None, None, problem))
            continue
        text = problem.rstrip(".")
        key: str | None = None
        if "tiêu chí cha" in text or problem.startswith("Mã tiêu chí"):
            key = "code"
        elif "thang" in text or "mức" in text:
            key = "bands"
        elif "điểm tối đa" in text:
            key = "max_points"
        elif "nội dung" in text:
            key = "title"
        column = reader.table.where(key) if key else None
        errors.append(SheetError(reader.sheet, item.row, column, text[0].lower() + text[1:]))
    return sorted(errors, key=lambda e: (e.sheet != reader.sheet, e.row or 0))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "bo-chi-so"


def _info_values(
    wb: Workbook, path: Path, titles: list[str]
) -> tuple[dict[str, Any], list[SheetError]]:
    """id, name, index_kind, year, decision, level, score_step from "Thông tin" or the title."""
    errors: list[SheetError] = []
    values: dict[str, Any] = {"id": "", "name": "", "index_kind": "", "year": None,
                              "decision": "", "level": "", "score_step": None}  # fmt: skip
    info = read_info_sheet(wb, SHEET_INFO)
    if info is not None:
        for key, label in INFO_LABELS.items():
            found = info.get(norm_header(label))
            if found is None:
                continue
            row, _label, raw = found
            if key == "year":
                text = cell_text(raw)
                if text and not re.fullmatch(r"\d{4}", text):
                    problem = f"năm “{text}” không hợp lệ (ví dụ đúng: 2024)"
                    errors.append(SheetError(SHEET_INFO, row, "B", problem))
                values[key] = int(text) if re.fullmatch(r"\d{4}", text) else None
            elif key == "score_step":
                text = cell_text(raw)
                try:
                    values[key] = parse_number(raw if isinstance(raw, int | float) else text)
                except ValueError:
                    problem = f"bước điểm “{text}” không phải là số"
                    errors.append(SheetError(SHEET_INFO, row, "B", problem))
            else:
                values[key] = cell_text(raw)
    title = " ".join(titles)
    name, decision = split_title_lines(titles)
    if not values["name"]:
        values["name"] = name or clean(path.stem)
    if not values["decision"] and decision:
        values["decision"] = decision
    if not values["id"]:
        values["id"] = _slug(path.stem)
    if values["year"] is None and info is None:
        m = re.search(r"\b(19|20)\d\d\b", title)
        values["year"] = int(m[0]) if m else None
    if not values["index_kind"]:
        upper = fold(title).upper()
        kinds = [k for k in ("PAPI", "SIPAS", "PCI", "DTI") if re.search(rf"\b{k}\b", upper)]
        values["index_kind"] = kinds[0] if kinds else "PAR"
    if values["score_step"] is None:
        values["score_step"] = 0.25
    return values, errors


def read_framework_xlsx(path: Path) -> Framework:
    """Read a framework from ParApp's layout or a province's own sheet.

    Raises :class:`ImportErrors` listing every problem (sheet, row, column) and
    :class:`ParAppError` when the file is missing or not a readable .xlsx.
    """
    wb = open_workbook(path)
    try:
        ws, table = find_table(wb, SHEET_CRITERIA, READ_COLUMNS, ("code", "title"))
        reader = _FrameworkReader(ws.title, table)
        if "max_points" not in table.columns:
            reader.error(table.last_header_row, None, f"không có cột “{_COL['max_points'].header}”")
            raise ImportErrors(reader.errors)
        fill_down = ("requirement", "evidence", "target", "deadline", "lead", "coordinators")
        reader.read_rows(list(iter_rows(ws, table, READ_COLUMNS, fill_down)))
        criteria = reader.criteria()
        values, info_errors = _info_values(wb, path, title_lines(ws, table))
        errors = info_errors + reader.errors
        if not criteria and not errors:
            errors.append(SheetError(ws.title, None, None, "không có tiêu chí nào"))
        if errors:
            raise ImportErrors(errors)
        fw = Framework(criteria=tuple(criteria), **values)
        tree_errors = _tree_errors(fw, reader)
        if tree_errors:
            raise ImportErrors(tree_errors)
        return fw
    finally:
        wb.close()  # a read-only workbook keeps its file open until closed
