"""Task plans to and from Excel: ParApp's own layout, and provinces' plan appendices.

A plan's appendix lists tasks under Roman-numeral groups, often with numbers restarting in
each group and unnumbered rows under a numbered task (seed 001). ParApp's own layout has a
"Mã cấp trên" column and is read verbatim; any other sheet is read by the tolerant rules
documented in ``docs/excel-template.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
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
from parapp.models.deadlines import parse_deadline
from parapp.models.errors import ImportErrors, SheetError
from parapp.models.tasks import TASK_STATUS_LABELS, Task, TaskPlan, TaskStatus
from parapp.models.text import clean, fold

SHEET_HELP = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_TASKS = "Nhiệm vụ"
DATE_FORMAT = "DD/MM/YYYY"

COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã", ("Stt", "TT", "Số TT", "Số thứ tự"), 10),
    Column(
        "title",
        "Nhiệm vụ",
        (
            "Nhiệm vụ cụ thể",
            "Nội dung",
            "Nội dung nhiệm vụ",
            "Nội dung công việc",
            "Tên nhiệm vụ",
            "Nhiệm vụ, giải pháp",
            "Nhiệm vụ/giải pháp",
        ),
        60,
    ),
    Column("parent", "Mã cấp trên", (), 10),
    Column(
        "deadline_text",
        "Tiến độ",
        (
            "Thời gian thực hiện",
            "Thời gian hoàn thành",
            "Thời hạn",
            "Thời gian",
            "Tiến độ thực hiện",
        ),
        18,
    ),
    Column("due_date", "Hạn hoàn thành", ("Ngày hoàn thành", "Hạn"), 14),
    Column(
        "lead",
        "Cơ quan chủ trì",
        (
            "Chủ trì",
            "Đơn vị chủ trì",
            "Cơ quan, đơn vị chủ trì",
            "Đơn vị thực hiện",
            "Cơ quan thực hiện",
        ),
        24,
    ),
    Column(
        "coordinators",
        "Cơ quan phối hợp",
        ("Phối hợp", "Đơn vị phối hợp", "Cơ quan, đơn vị phối hợp"),
        28,
    ),
    Column(
        "product",
        "Kết quả/sản phẩm",
        (
            "Kết quả",
            "Sản phẩm",
            "Kết quả, sản phẩm",
            "Sản phẩm dự kiến",
            "Kết quả dự kiến",
            "Hình thức sản phẩm",
            "Sản phẩm đầu ra",
        ),
        36,
    ),
    Column("criteria", "Tiêu chí liên quan", ("Mã tiêu chí",), 14),
    Column("status", "Trạng thái", ("Tình trạng",), 16),
    Column("note", "Ghi chú", (), 24),
)
_INDEX = {c.key: i for i, c in enumerate(COLUMNS, start=1)}

INFO_LABELS: dict[str, str] = {
    "id": "Mã kế hoạch",
    "name": "Tên kế hoạch",
    "year": "Năm",
    "decision": "Văn bản ban hành",
}

HELP_LINES: tuple[tuple[str, str], ...] = (
    ("Tệp này", "Kế hoạch nhiệm vụ. Trang “Thông tin” ghi mã, tên, năm và văn bản ban hành kế "
     "hoạch; trang “Nhiệm vụ” ghi mỗi nhiệm vụ một dòng."),
    ("Mã", "Mã nhiệm vụ, không trùng nhau, ví dụ I, I.1, I.1.a hoặc 1, 1.1."),
    ("Nhiệm vụ", "Nội dung nhiệm vụ cụ thể."),
    ("Mã cấp trên", "Mã của mục tiêu hoặc nhiệm vụ chứa nhiệm vụ này; để trống nếu là cấp cao "
     "nhất. Nếu bảng không có cột này, cấp trên được suy ra từ mã (I → I.1 → I.1.a)."),
    ("Tiến độ", "Thời gian thực hiện như trong văn bản, ví dụ “Quý III”, “Trước ngày 10/12”, "
     "“Trong năm 2024”, “Thường xuyên”."),
    ("Hạn hoàn thành", "Ngày phải hoàn thành (ngày/tháng/năm). Để trống thì ParApp tự suy ra từ "
     "cột “Tiến độ” nếu được."),
    ("Cơ quan chủ trì", "Cơ quan chịu trách nhiệm chính."),
    ("Cơ quan phối hợp", "Các cơ quan phối hợp."),
    ("Kết quả/sản phẩm", "Sản phẩm phải có khi hoàn thành (quyết định, báo cáo...)."),
    ("Tiêu chí liên quan", "Mã các tiêu chí của bộ chỉ số mà nhiệm vụ phục vụ, cách nhau bằng "
     "dấu phẩy, ví dụ “1.1, 2.3.1”."),
    ("Trạng thái", "Chọn trong danh sách: " + ", ".join(TASK_STATUS_LABELS.values()) + "."),
    ("Ví dụ", "I | Công tác chỉ đạo, điều hành |  | Trong năm 2024\n"
     "I.1 | Ban hành kế hoạch CCHC năm 2025 | I | Trước ngày 15/12 | 15/12/2024 | Sở Nội vụ"),
)  # fmt: skip


# -- writing --------------------------------------------------------------------------------
def _write_task(ws: Worksheet, r: int, t: Task) -> None:
    values: list[Any] = [
        t.code,
        t.title,
        t.parent_code,
        t.deadline_text or None,
        t.due_date,
        t.lead or None,
        t.coordinators or None,
        t.product or None,
        ", ".join(t.criteria_codes) or None,
        t.status.label,
        t.note or None,
    ]
    for col, value in enumerate(values, start=1):
        cell = ws.cell(r, col, value)
        cell.alignment = WRAP
        if t.parent_code is None:
            cell.font = Font(bold=True)
    for key in ("code", "parent", "criteria"):
        ws.cell(r, _INDEX[key]).number_format = "@"
    ws.cell(r, _INDEX["due_date"]).number_format = DATE_FORMAT


def write_tasks_xlsx(plan: TaskPlan, path: Path) -> None:
    """Write ``plan`` in ParApp's layout; :func:`read_tasks_xlsx` reads it back exactly."""
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = SHEET_HELP
    write_instructions(help_ws, "Hướng dẫn nhập kế hoạch nhiệm vụ", HELP_LINES)
    info = wb.create_sheet(SHEET_INFO)
    write_info(
        info,
        [
            (INFO_LABELS["id"], plan.id),
            (INFO_LABELS["name"], plan.name),
            (INFO_LABELS["year"], plan.year),
            (INFO_LABELS["decision"], plan.decision or None),
        ],
    )
    info["B2"].number_format = "@"
    ws = wb.create_sheet(SHEET_TASKS)
    write_header(ws, COLUMNS)
    for r, task in enumerate(plan.tasks, start=2):
        _write_task(ws, r, task)
    labels = [TASK_STATUS_LABELS[s] for s in TaskStatus]
    add_choice(ws, _INDEX["status"], labels, max(len(plan.tasks) + 1, 500))
    save_workbook(wb, path)


# -- reading --------------------------------------------------------------------------------
_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")


@dataclass
class _Row:
    """A task being read, with its sheet row (for error messages)."""

    row: int
    task: Task
    due_given: bool


class _TaskReader:
    """Turns data rows into tasks, collecting every problem."""

    def __init__(self, sheet: str, table: Table) -> None:
        self.sheet = sheet
        self.table = table
        self.verbatim = "parent" in table.columns
        self.errors: list[SheetError] = []
        self.rows: dict[str, _Row] = {}
        self.group: str | None = None
        self.last_numbered: str | None = None

    def error(self, row: int | None, key: str | None, problem: str) -> None:
        column = self.table.where(key) if key is not None else None
        self.errors.append(SheetError(self.sheet, row, column, problem))

    def _free_child(self, parent: str | None) -> str:
        """The next unused generated code under ``parent``: 2.a, 2.b… (or 1, 2… at the top)."""
        if parent is None:
            n = 1
            while str(n) in self.rows:
                n += 1
            return str(n)
        for letter in "abcdefghijklmnopqrstuvwxyz":
            if f"{parent}.{letter}" not in self.rows:
                return f"{parent}.{letter}"
        n = 1
        while f"{parent}.{n}" in self.rows:
            n += 1
        return f"{parent}.{n}"

    def code_and_parent(self, row: int, raw: str, sheet_parent: str) -> tuple[str, str | None]:
        """Code and parent of a row; tolerant rules unless the sheet has "Mã cấp trên"."""
        if self.verbatim:
            return raw, sheet_parent or None
        bullet = raw in ("-", "+", "*", "•", "–")
        if not raw or bullet:
            return self._free_child(self.last_numbered), self.last_numbered
        if ROMAN.fullmatch(raw):
            code = raw.rstrip(".")
            self.group = self.last_numbered = code
            return code, None
        letter = LETTER.fullmatch(raw)
        if letter and self.last_numbered is not None:
            return f"{self.last_numbered}.{letter[1]}", self.last_numbered
        if DOTTED.fullmatch(raw):
            local = raw.rstrip(".")
            head, _, _tail = local.rpartition(".")
            code = f"{self.group}.{local}" if self.group else local
            if head:
                parent: str | None = f"{self.group}.{head}" if self.group else head
            else:
                parent = self.group
            self.last_numbered = code
            return code, parent
        self.error(row, "code", f"mã nhiệm vụ “{raw}” không hợp lệ")
        return "", None

    def read_row(self, row: SheetRow, plan_year: int | None) -> None:
        raw, title = split_code_title(code_text(row.values.get("code")), row.text("title"))
        if not raw and self.rows and not self.verbatim and (not title or row.after_break):
            last = list(self.rows.values())[-1]
            self.continue_task(last, title, row)
            return
        if not raw and not title:
            return
        code, parent = self.code_and_parent(row.row, raw, row.text("parent"))
        if not code:
            return
        if code in self.rows:
            self.error(row.row, "code", f"mã nhiệm vụ {code} bị trùng")
            return
        if not title:
            self.error(row.row, "title", f"nhiệm vụ {code} chưa có nội dung")
        status = TaskStatus.TODO
        if row.text("status"):
            try:
                status = TaskStatus.from_label(row.text("status"))
            except ValueError:
                choices = ", ".join(TASK_STATUS_LABELS.values())
                self.error(row.row, "status", f"trạng thái “{row.text('status')}” không hợp lệ "
                           f"(chọn một trong: {choices})")  # fmt: skip
        due = self.read_due(row)
        criteria = tuple(c for c in re.split(r"[,;]\s*", row.text("criteria")) if c.strip())
        task = Task(
            code=code,
            title=title,
            parent_code=parent,
            order=len(self.rows) + 1,
            deadline_text=row.text("deadline_text", multiline=True),
            due_date=due,
            lead=row.text("lead", multiline=True),
            coordinators=row.text("coordinators", multiline=True),
            product=row.text("product", multiline=True),
            criteria_codes=tuple(c.strip() for c in criteria),
            status=status,
            note=row.text("note", multiline=True),
        )
        self.rows[code] = _Row(row.row, task, due is not None or bool(row.text("due_date")))

    def continue_task(self, last: _Row, title: str, row: SheetRow) -> None:
        """A row that carries on the previous task's cells (a page break, a merged title)."""
        t = last.task
        last.task = replace(
            t,
            title=join_text(t.title, title),
            deadline_text=join_text(t.deadline_text, row.text("deadline_text", multiline=True)),
            lead=join_text(t.lead, row.text("lead", multiline=True)),
            coordinators=join_text(t.coordinators, row.text("coordinators", multiline=True)),
            product=join_text(t.product, row.text("product", multiline=True)),
            note=join_text(t.note, row.text("note", multiline=True)),
        )

    def read_due(self, row: SheetRow) -> date | None:
        raw = row.values.get("due_date")
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = row.text("due_date")
        if not text:
            return None
        m = _DATE.fullmatch(text)
        if m:
            try:
                return date(int(m[3]), int(m[2]), int(m[1]))
            except ValueError:
                pass
        self.error(row.row, "due_date", f"hạn hoàn thành “{text}” không phải là ngày "
                   "(ghi dạng ngày/tháng/năm, ví dụ 15/12/2024)")  # fmt: skip
        return None

    def tasks(self, year: int) -> list[Task]:
        """Tasks in sheet order; blank due dates parsed from the schedule text."""
        result = []
        for r in self.rows.values():
            t = r.task
            if t.parent_code is not None and t.parent_code not in self.rows:
                self.error(r.row, "parent", f"không có nhiệm vụ cấp trên {t.parent_code}")
            if not r.due_given and t.deadline_text:
                t = replace(t, due_date=parse_deadline(t.deadline_text, year))
            result.append(t)
        return result


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "ke-hoach"


def _plan_info(
    wb: Workbook, path: Path, titles: list[str], default_year: int | None, sheet: str
) -> tuple[dict[str, Any], list[SheetError]]:
    """id, name, year and decision from "Thông tin", else from the title rows and file name."""
    errors: list[SheetError] = []
    values: dict[str, Any] = {"id": "", "name": "", "year": None, "decision": ""}
    info = read_info_sheet(wb, SHEET_INFO)
    for key, label in INFO_LABELS.items():
        found = info.get(norm_header(label)) if info else None
        if found is None:
            continue
        row, _label, raw = found
        text = cell_text(raw) if not isinstance(raw, int) else str(raw)
        if key == "year":
            if text and not re.fullmatch(r"\d{4}", text):
                problem = f"năm “{text}” không hợp lệ (ví dụ đúng: 2024)"
                errors.append(SheetError(SHEET_INFO, row, "B", problem))
            values["year"] = int(text) if re.fullmatch(r"\d{4}", text) else None
        else:
            values[key] = text
    title = " ".join(titles)
    name, decision = split_title_lines(titles)
    values["name"] = values["name"] or name or clean(path.stem)
    values["decision"] = values["decision"] or decision
    values["id"] = values["id"] or _slug(path.stem)
    if values["year"] is None:
        m = re.search(r"\b(19|20)\d\d\b", title)
        values["year"] = default_year if default_year is not None else (int(m[0]) if m else None)
    if values["year"] is None and not errors:
        errors.append(SheetError(sheet, None, None, "không xác định được năm của kế hoạch: hãy ghi "
                                 "năm ở trang “Thông tin” hoặc trong tiêu đề"))  # fmt: skip
    return values, errors


def read_tasks_xlsx(path: Path, default_year: int | None = None) -> TaskPlan:
    """Read a plan from ParApp's layout or a province's appendix.

    ``default_year`` is the plan's year when the file states none; relative deadlines
    ("Quý III") are dated in that year. Raises :class:`ImportErrors` listing every problem.
    """
    wb = open_workbook(path)
    try:
        ws, table = find_table(wb, SHEET_TASKS, COLUMNS, ("code", "title"))
        values, errors = _plan_info(wb, path, title_lines(ws, table), default_year, ws.title)
        reader = _TaskReader(ws.title, table)
        fill_down = ("deadline_text", "lead", "coordinators", "product")
        for row in iter_rows(ws, table, COLUMNS, fill_down):
            reader.read_row(row, values["year"])
        tasks = reader.tasks(values["year"] or 0) if values["year"] else []
        errors += reader.errors
        if not reader.rows and not errors:
            errors.append(SheetError(ws.title, None, None, "không có nhiệm vụ nào"))
        if errors:
            raise ImportErrors(errors)
        return TaskPlan(
            id=values["id"],
            name=values["name"],
            year=values["year"],
            decision=values["decision"],
            tasks=tuple(tasks),
        )
    finally:
        wb.close()  # a read-only workbook keeps its file open until closed
