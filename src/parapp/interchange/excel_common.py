"""Shared Excel plumbing: open/save safely, find a table's header by its names, read its rows.

Provinces' sheets differ in everything but the words of their headers, so a table is found
by matching header cells against synonyms (accent-insensitive, legacy encodings converted),
wherever the header sits and even when it is merged across two rows. Frameworks and task
plans both read through :func:`find_table` and :func:`iter_rows`.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from parapp.fileio import atomic_write_bytes
from parapp.interchange.legacy_vn import (
    LegacyScore,
    choose_encoding,
    has_unicode_vietnamese,
    legacy_score,
    to_unicode,
)
from parapp.interchange.xlsx_limits import check_xlsx_package
from parapp.models.errors import ImportErrors, ParAppError, SheetError
from parapp.models.narrative import running_title
from parapp.models.text import clean, fold, format_number

HEADER_SCAN_ROWS = 30
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column of a table: its key, the header ParApp writes, and the names accepted."""

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    width: float = 16

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Normalised header names, computed once: every data row is checked against them."""
        return (norm_header(self.header), *(norm_header(s) for s in self.synonyms))


@dataclass(frozen=True)
class Table:
    """Where a table was found: its sheet, header rows and the column of each key."""

    sheet: str
    first_header_row: int
    last_header_row: int
    columns: dict[str, int]
    headers: dict[str, str]  # key -> the header text as the sheet writes it

    def where(self, key: str) -> str:
        """How an error names a column: its letter and its header (``C (Điểm tối đa)``)."""
        col = self.columns.get(key)
        if col is None:
            return key
        return f"{get_column_letter(col)} ({self.headers[key]})"


@dataclass
class SheetRow:
    """One data row: the sheet row number and the raw value of each found column."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    after_break: bool = False  # the row follows a repeated header (a page break)

    def text(self, key: str, multiline: bool = False) -> str:
        return cell_text(self.values.get(key), multiline)

    def is_blank(self) -> bool:
        return not any(self.text(k) for k in self.values)


# -- cell values --------------------------------------------------------------------------
class Decoded(str):
    """Cell text already in Unicode, decoded with its column's encoding: not detected again."""

    __slots__ = ()


def cell_text(value: Any, multiline: bool = False) -> str:
    """A cell as clean Unicode NFC text: legacy encodings converted, numbers with a comma.

    ``multiline`` keeps line breaks (an evidence list typed one document per line), each
    line cleaned and blank lines dropped; otherwise all whitespace folds to single spaces.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return format_number(float(value), decimals=6)
    decode = (lambda s: s) if isinstance(value, Decoded) else to_unicode
    if multiline:
        lines = (clean(decode(line)) for line in str(value).splitlines())
        return "\n".join(line for line in lines if line)
    return clean(decode(str(value)))


def code_text(value: Any) -> str:
    """A code cell as text; a code Excel turned into a number keeps its dot (1.1, not 1,1)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return cell_text(value)


# Codes as provinces write them: Roman-numeral groups, dotted numbers, letter items.
ROMAN = re.compile(r"(?=[IVXLC])(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})\.?")
LETTER = re.compile(r"([a-zđ])[.)/]?")
DOTTED = re.compile(r"[0-9A-Za-zđ]+(?:\.[0-9A-Za-zđ]+)*\.?")
CODE_AND_TITLE = re.compile(r"((?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?)\s+(\S.*)", re.DOTALL)


def split_code_title(raw_code: str, title: str) -> tuple[str, str]:
    """Separate "I. CÔNG TÁC…" written in one cell (code or title column) into code and title."""
    if not title:
        m = CODE_AND_TITLE.fullmatch(raw_code)
        if m:
            return m[1], clean(m[2])
    elif not raw_code:
        m = CODE_AND_TITLE.fullmatch(title)
        if m and not LETTER.fullmatch(m[1]):
            return m[1], clean(m[2])
    return raw_code, title


def join_text(first: str, more: str) -> str:
    """Text continued on the next row (a cell split by a page break) joined with a space."""
    if not more or more == first:
        return first
    return f"{first} {more}" if first else more


_PUNCT = re.compile(r"[^\w%]+")


def norm_header(text: str) -> str:
    """Header text reduced for matching: accent-free, lower case, punctuation as spaces."""
    return " ".join(_PUNCT.sub(" ", fold(cell_text(text))).split())


# -- files ----------------------------------------------------------------------------------
def open_workbook(path: Path) -> Workbook:
    """Open an .xlsx/.xlsm file read-only (sheets are streamed), or raise
    :class:`ParAppError` naming the file. The caller closes it (``wb.close()``)."""
    name = path.name
    if not path.exists():
        raise ParAppError(f"Không tìm thấy tệp “{name}”.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ParAppError(
            f"Tệp “{name}” không phải là bảng tính Excel .xlsx. "
            "Hãy mở tệp trong Excel và lưu lại dưới dạng “Excel Workbook (*.xlsx)”."
        )
    check_xlsx_package(path)  # sizes, ratios and rows bounded before any XML is parsed
    try:
        wb = load_workbook(path, read_only=True, data_only=True)  # streamed, never whole
        for ws in wb.worksheets:
            if isinstance(ws, ReadOnlyWorksheet):
                ws.reset_dimensions()  # other tools' <dimension> is often wrong: read all rows
        return wb
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as err:
        raise ParAppError(
            f"Không đọc được tệp “{name}”: tệp bị hỏng hoặc không phải là bảng tính .xlsx."
        ) from err
    except Exception as err:  # openpyxl raises many kinds on malformed XML
        raise ParAppError(f"Không đọc được tệp “{name}”: {err}") from err


def save_workbook(wb: Workbook, path: Path) -> None:
    """Save atomically: the file at ``path`` is the old one or the complete new one."""
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())


# -- reading tables -----------------------------------------------------------------------
def _grid(ws: Worksheet, max_row: int | None = None) -> dict[tuple[int, int], Any]:
    """All non-empty values by (row, column), down to ``max_row`` when given; text decoded
    from TCVN3/VNI per column."""
    grid: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(ws.iter_rows(max_row=max_row, values_only=True), start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and not (isinstance(value, str) and not value.strip()):
                grid[(r, c)] = value
    return decode_grid(grid)


def decode_grid(grid: dict[tuple[int, int], Any]) -> dict[tuple[int, int], Any]:
    """Text cells in Unicode, the legacy encoding decided per column from all its text.

    A cell alone is often too short to tell ("Cã" and "Ghi chó" read as Vietnamese; TCVN3
    "ạ" is the byte ``¹``), so each column is judged on all its cells, and a column that
    cannot be judged on its own (a lone header) follows the whole sheet when nothing in the
    sheet is Unicode Vietnamese. A column holding any Unicode Vietnamese is Unicode: its
    cells are left to the per-cell check of :func:`cell_text`, so a "Có" is never re-read.
    """
    unicode_cols: set[int] = set()
    scores: dict[int, LegacyScore] = {}
    sheet = LegacyScore()
    for (_r, c), value in grid.items():
        if not isinstance(value, str):
            continue
        if has_unicode_vietnamese(value):
            unicode_cols.add(c)
            continue
        score = legacy_score(value)
        scores[c] = scores.get(c, LegacyScore()) + score
        sheet = sheet + score
    sheet_encoding = None if unicode_cols else choose_encoding(sheet)
    encodings = {
        c: choose_encoding(score) or sheet_encoding
        for c, score in scores.items()
        if c not in unicode_cols
    }
    decoded: dict[tuple[int, int], Any] = {}
    for (r, c), value in grid.items():
        if isinstance(value, str) and c not in unicode_cols:
            encoding = encodings.get(c)
            text = to_unicode(value, encoding) if encoding else value
            value = Decoded(unicodedata.normalize("NFC", text))
        decoded[(r, c)] = value
    return decoded


def _merged(ws: Worksheet) -> list[tuple[int, int, int, int]]:
    """Merged ranges as (first row, first column, last row, last column)."""
    if isinstance(ws, ReadOnlyWorksheet):
        return _merged_from_xml(ws)
    return [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]


MERGE_SCAN_CHUNK = 1 << 20
_MERGE_CELL = re.compile(
    rb"""<(?:[A-Za-z0-9_]+:)?mergeCell\b[^>]*?\bref=["']([A-Za-z0-9:$]+)["']"""
)


def _merged_from_xml(ws: ReadOnlyWorksheet) -> list[tuple[int, int, int, int]]:
    """A read-only sheet does not keep ``<mergeCells>``: scan its XML for them, streamed
    1 MiB at a time (markup ``<mergeCell`` cannot occur inside escaped cell text)."""
    refs: list[bytes] = []
    archive = ws.parent._archive  # the open zip of a read-only workbook
    tail = b""
    with archive.open(ws._worksheet_path) as src:
        while True:
            chunk = src.read(MERGE_SCAN_CHUNK)
            data = tail + chunk
            cut = data.rfind(b"<") if chunk else len(data)  # keep a tag cut in two
            cut = cut if cut > len(data) - 512 else len(data)
            refs += (m.group(1) for m in _MERGE_CELL.finditer(data, 0, cut))
            tail = data[cut:]
            if not chunk:
                break
    out: list[tuple[int, int, int, int]] = []
    for ref in refs:
        try:
            c1, r1, c2, r2 = range_boundaries(ref.decode("ascii"))
        except ValueError:
            continue  # a malformed range merges nothing
        if None not in (c1, r1, c2, r2):
            out.append((int(r1 or 0), int(c1 or 0), int(r2 or 0), int(c2 or 0)))
    return out


def _match_key(text: str, columns: Sequence[Column], exact: bool = False) -> str | None:
    """The key whose names match ``text``: an exact name first, else the longest prefix.

    ``exact`` is for spotting a header repeated after a page break among data rows: there a
    cell that merely starts like a header ("Thực hiện quy định…") is data, not a header.
    """
    h = norm_header(text)
    if not h:
        return None
    best: tuple[int, str] | None = None
    for col in columns:
        for name in col.names:
            if h == name:
                return col.key
            if exact:
                continue
            if h.startswith(name + " ") and (best is None or len(name) > best[0]):
                best = (len(name), col.key)
    return best[1] if best else None


def _header_candidates(top: str, bottom: str | None) -> list[str]:
    if bottom is None or bottom == top:
        return [top]
    if not top:
        return [bottom]
    return [f"{top} {bottom}", bottom, top]


def _map_header(
    values: dict[int, str], below: dict[int, str] | None, columns: Sequence[Column]
) -> tuple[dict[str, int], dict[str, str]]:
    found: dict[str, int] = {}
    headers: dict[str, str] = {}
    cols = sorted(set(values) | set(below or {}))
    for c in cols:
        top = values.get(c, "")
        bottom = None if below is None else below.get(c, "")
        for candidate in _header_candidates(top, bottom):
            key = _match_key(candidate, columns)
            if key is not None:
                if key not in found:
                    found[key] = c
                    headers[key] = candidate
                break
    return found, headers


def find_header(ws: Worksheet, columns: Sequence[Column], required: Sequence[str]) -> Table | None:
    """Locate the header row (or pair of rows, for a header merged over two rows).

    Merged header cells count in every row and column they cover, so "Cơ quan" merged over
    "Chủ trì" and "Phối hợp" reads as "Cơ quan chủ trì" and "Cơ quan phối hợp".
    """
    grid = _grid(ws, HEADER_SCAN_ROWS + 1)  # a header pair may end one row below the scan
    merged = _merged(ws)
    last = min(max((r for r, _c in grid), default=0), HEADER_SCAN_ROWS)

    def row_texts(r: int) -> dict[int, str]:
        texts = {c: cell_text(v) for (rr, c), v in grid.items() if rr == r}
        for r1, c1, r2, c2 in merged:
            if r1 <= r <= r2 and (r1, c1) in grid:
                for c in range(c1, c2 + 1):
                    texts[c] = cell_text(grid[(r1, c1)])
        return {c: t for c, t in texts.items() if t}

    # Best = most columns found; on a tie the earlier row, then a single row over a pair.
    best: tuple[tuple[int, int, int], Table] | None = None
    for r in range(1, last + 1):
        top = row_texts(r)
        if not top:
            continue
        for below in (None, row_texts(r + 1)):
            found, headers = _map_header(top, below, columns)
            if not all(k in found for k in required):
                break  # a pair only extends a row that is a header by itself
            rank = (len(found), -r, 1 if below is None else 0)
            if best is None or rank > best[0]:
                table = Table(ws.title, r, r if below is None else r + 1, found, headers)
                best = (rank, table)
    return best[1] if best else None


def find_table(
    wb: Workbook, preferred: str, columns: Sequence[Column], required: Sequence[str]
) -> tuple[Worksheet, Table]:
    """The preferred sheet if it has the header, else the first sheet that has one."""
    sheets = list(wb.worksheets)
    ordered = [ws for ws in sheets if fold(ws.title) == fold(preferred)]
    ordered += [ws for ws in sheets if ws not in ordered]
    for ws in ordered:
        table = find_header(ws, columns, required)
        if table is not None:
            return ws, table
    names = " và ".join(f"“{c.header}”" for c in columns if c.key in required)
    sheet = ordered[0].title if ordered else preferred
    raise ImportErrors(
        [SheetError(sheet, None, None, f"không tìm thấy dòng tiêu đề có cột {names}")]
    )


_COLUMN_NUMBERS = re.compile(r"\(?\d{1,2}\)?")


def _is_column_numbering(texts: list[str]) -> bool:
    """A row "(1) (2) (3)…" or "1 2 3…" that numbers the columns under a header."""
    if len(texts) < 3 or not all(_COLUMN_NUMBERS.fullmatch(t) for t in texts):
        return False
    numbers = [int(t.strip("()")) for t in texts]
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def iter_rows(
    ws: Worksheet, table: Table, columns: Sequence[Column], fill_down: Iterable[str] = ()
) -> Iterator[SheetRow]:
    """Data rows below the header: blank rows, repeated headers and column numbers skipped.

    Horizontally merged data cells keep their value in the first cell only (a merged area
    title must not become its points); cells merged downwards in the ``fill_down`` columns
    (an agency shared by several tasks) give their value to every row they cover.
    """
    grid = _grid(ws)
    fill_cols = {table.columns[k] for k in fill_down if k in table.columns}
    for r1, c1, r2, _c2 in _merged(ws):
        if r1 > table.last_header_row and c1 in fill_cols and (r1, c1) in grid:
            for r in range(r1 + 1, r2 + 1):
                grid[(r, c1)] = grid[(r1, c1)]
    last_row = max((r for r, _c in grid), default=0)
    after_break = False
    for r in range(table.last_header_row + 1, last_row + 1):
        row = SheetRow(r, {k: grid.get((r, c)) for k, c in table.columns.items()})
        texts = [row.text(k) for k in table.columns if row.text(k)]
        if not texts or _is_column_numbering(texts):
            continue
        repeated = sum(
            1 for k in table.columns if _match_key(row.text(k), columns, exact=True) == k
        )
        if repeated >= 2:
            after_break = True
            continue
        row.after_break = after_break
        after_break = False
        yield row


def title_lines(ws: Worksheet, table: Table) -> list[str]:
    """The texts above the header (title rows), top to bottom, each once."""
    lines: list[str] = []
    if table.first_header_row <= 1:
        return lines
    grid = _grid(ws)
    for r, c in sorted(grid):
        if r >= table.first_header_row:
            break
        text = cell_text(grid[(r, c)])
        if text and text not in lines:
            lines.append(text)
    return lines


def read_info_sheet(wb: Workbook, name: str) -> dict[str, tuple[int, str, Any]] | None:
    """Key/value pairs of an info sheet: folded label -> (row, label, value); None if absent."""
    ws = next((w for w in wb.worksheets if fold(w.title) == fold(name)), None)
    if ws is None:
        return None
    pairs: dict[str, tuple[int, str, Any]] = {}
    for r, row in enumerate(ws.iter_rows(min_row=1, max_col=2, values_only=True), start=1):
        label = cell_text(row[0] if row else None)
        if label:
            pairs[norm_header(label)] = (r, label, row[1] if len(row) > 1 else None)
    return pairs


# -- writing --------------------------------------------------------------------------------
def write_instructions(ws: Worksheet, title: str, lines: Sequence[tuple[str, str]]) -> None:
    """An instructions sheet: a title, then two columns (topic, explanation)."""
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    for i, (topic, text) in enumerate(lines, start=3):
        ws.cell(i, 1, topic).font = Font(bold=True)
        ws.cell(i, 1).alignment = WRAP
        ws.cell(i, 2, text).alignment = WRAP


def write_info(ws: Worksheet, pairs: Sequence[tuple[str, Any]]) -> None:
    """A key/value sheet (label in A, value in B)."""
    ws.cell(1, 1, "Thông tin").font = Font(bold=True)
    ws.cell(1, 2, "Giá trị").font = Font(bold=True)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70
    for i, (label, value) in enumerate(pairs, start=2):
        ws.cell(i, 1, label).font = Font(bold=True)
        ws.cell(i, 2, value).alignment = WRAP
    ws.freeze_panes = "A2"


def write_header(ws: Worksheet, columns: Sequence[Column]) -> None:
    """Bold, shaded, wrapped header in row 1, frozen, with each column's width."""
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(1, c, col.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.freeze_panes = "A2"


def add_choice(ws: Worksheet, column: int, choices: Sequence[str], last_row: int) -> None:
    """A drop-down list on ``column`` from row 2 to ``last_row``."""
    formula = '"' + ",".join(choices) + '"'
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    dv.error = "Hãy chọn một giá trị trong danh sách."
    dv.errorTitle = "Giá trị không hợp lệ"
    letter = get_column_letter(column)
    dv.add(f"{letter}2:{letter}{max(last_row, 2)}")
    ws.add_data_validation(dv)


#: "(Kèm theo Quyết định số …)", "Ban hành kèm theo …": the line under an appendix's title
_DECISION_LINE = re.compile(r"^\(?\s*(ban hanh\s+)?kem theo\b")


def split_title_lines(titles: list[str]) -> tuple[str, str]:
    """The title lines above a table: the name (in sentence case when set in capitals), and
    the line that says which decision it comes with (its brackets dropped)."""
    names: list[str] = []
    decisions: list[str] = []
    for line in titles:
        if _DECISION_LINE.match(fold(line).strip()):
            text = clean(line).strip()
            if text.startswith("(") and text.endswith(")"):
                text = text[1:-1].strip()
            decisions.append(text[:1].upper() + text[1:])
        else:
            names.append(line)
    return running_title(" ".join(names)), " ".join(decisions)
