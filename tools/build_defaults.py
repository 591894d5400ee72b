"""Build ParApp's embedded default data from the provincial seed documents.

The seeds (``/work/shared/seeds``) are plain-text extractions of Word/PDF files: tables come
out one cell per line or tab-separated, rows are split across page breaks and one document
lost letters. This script is the reproducible derivation of the JSON resources in
``resources/defaults/`` from them, so a reviewer can re-run it and diff the result instead
of trusting hand-edited JSON. Every manual decision (a repaired word, a criterion whose
guidance is deliberately not attached) is a named table below, documented in
``resources/defaults/README.md``.

Usage: ``python tools/build_defaults.py [SEEDS_DIR] [OUT_DIR]``.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from parapp.fileio import atomic_write_text
from parapp.models.deadlines import parse_deadline
from parapp.models.framework import (
    Criterion,
    Framework,
    Guidance,
    framework_to_dict,
)
from parapp.models.scoring import Band, RuleKind, ScoringRule
from parapp.models.tasks import Task, TaskPlan, task_plan_to_dict
from parapp.models.text import clean, fold, format_number
from parapp.models.validation import validate_framework

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "resources" / "defaults"
GUIDANCE_MAP = Path(__file__).resolve().parent / "guidance_map.csv"

PAR_FILE = "par_tiengiang_2018.json"
PAPI_FILE = "papi_quangnam_2020.json"
PLAN_2024_FILE = "tasks_quangnam_2024.json"
PLAN_2022_FILE = "tasks_quangnam_2022.json"
OUTPUT_FILES = (PAR_FILE, PAPI_FILE, PLAN_2024_FILE, PLAN_2022_FILE)


class SeedError(Exception):
    """A seed file is missing or no longer has the shape this script was written against."""


# ---------------------------------------------------------------------------------------
# Locating the seeds
# ---------------------------------------------------------------------------------------
def find_seeds_dir(repo: Path = REPO) -> Path | None:
    """``<repo>/../shared/seeds``, or ``$PARAPP_SHARED/seeds`` when that is set; else ``None``."""
    env = os.environ.get("PARAPP_SHARED")
    path = Path(env) / "seeds" if env else repo.parent / "shared" / "seeds"
    if path.is_dir() and any(path.glob("003_*.txt")):
        return path
    return None


def read_seed(seeds_dir: Path, number: str) -> str:
    """The text of seed ``number`` (``"003"``); the hash suffix of the name may change."""
    matches = sorted(seeds_dir.glob(f"{number}_*.txt"))
    if not matches:
        raise SeedError(f"seed {number}_*.txt not found in {seeds_dir}")
    return matches[0].read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------
_TAG = re.compile(r"<[^>]+>")
_DOT_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")


def clean_cell(text: str) -> str:
    """NFC, no HTML tags (the 2024 appendix carries ``<ul style=...>``), single spaces."""
    return clean(_TAG.sub(" ", text))


def decimal_comma(text: str) -> str:
    """``"8.5 - 9"`` -> ``"8,5 - 9"``: seed 003 writes decimals with a dot."""
    return _DOT_DECIMAL.sub(",", clean(text))


def tab_cells(lines: Iterable[str]) -> list[str]:
    """Cells of a one-cell-per-line table: a line starting with a tab opens a cell (an
    optional leading space is tolerated); other non-blank lines continue the previous cell;
    blank lines are ignored because the extraction puts them inside rows too."""
    cells: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n")
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            cells.append(stripped[1:])
        elif line.strip() and cells:
            cells[-1] += "\n" + line
    return [clean_cell(c) for c in cells]


# ---------------------------------------------------------------------------------------
# Seed 003: the PAR Index scoring tree (Tiền Giang 2018-2020)
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParRow:
    code: str
    title: str
    max_points: float
    achieved_2017: float
    target_2018: str
    target_2019_2020: str
    action: str

    @property
    def survey_only(self) -> bool:
        """Marked "(qua điều tra XHH)" in the title, or "Điều tra XHH" as the action (8.1)."""
        return "dieu tra xhh" in fold(self.title) or fold(self.action) == "dieu tra xhh"


_PAR_CODE = re.compile(r"^\d+(?:\.\d+)*$")


def parse_par_rows(text: str) -> list[ParRow]:
    """The appendix rows of seed 003: code, title, max, 2017, 2018, 2019-2020, action."""
    start = text.find("\tStt")
    if start < 0:
        raise SeedError("seed 003: appendix header 'Stt' not found")
    body = text[start:].splitlines()
    rows: list[ParRow] = []
    block: list[str] = []
    for line in [*body, ""]:
        if line.strip() == "" and not line.startswith("\t"):
            if block:
                cells = tab_cells(block)
                block = []
                if cells and _PAR_CODE.match(cells[0]):
                    cells += [""] * (7 - len(cells))
                    rows.append(
                        ParRow(
                            code=cells[0],
                            title=cells[1],
                            max_points=float(cells[2]),
                            achieved_2017=float(cells[3]),
                            target_2018=decimal_comma(cells[4]),
                            target_2019_2020=decimal_comma(cells[5]),
                            action=cells[6],
                        )
                    )
            continue
        block.append(line)
    return rows


# Titles seed 003 cuts short, completed from seed 000's same row (checked by reading both):
# code -> (the title as seed 003 prints it, the full title).
PAR_TITLE_FIXES: dict[str, tuple[str, str]] = {
    "8.2.3": (
        "Thực hiện thu ngân sách hàng năm của tỉnh theo Kế hoạch được Chính phủ",
        "Thực hiện thu ngân sách hàng năm của tỉnh theo Kế hoạch được Chính phủ giao",
    ),
}


def par_title(row: ParRow) -> str:
    """The row's title, completed where :data:`PAR_TITLE_FIXES` says the seed cut it."""
    fix = PAR_TITLE_FIXES.get(row.code)
    if fix is None:
        return row.title
    printed, full = fix
    if row.title != printed:
        raise SeedError(f"seed 003: title of {row.code} changed: {row.title!r}")
    return full


def par_total_row(text: str) -> float:
    """The "TỔNG ĐIỂM" row's max points, to check the tree against the document's own sum."""
    m = re.search(r"\tTỔNG ĐIỂM\s*\n\tTỔNG ĐIỂM\s*\n\t([\d.]+)", text)
    if not m:
        raise SeedError("seed 003: 'TỔNG ĐIỂM' row not found")
    return float(m[1])


# ---------------------------------------------------------------------------------------
# Seed 000: the Quảng Nam 2020 improvement table (guidance per criterion code)
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GuidanceRow:
    code: str
    title: str
    evidence: str = ""
    requirement: str = ""
    target: str = ""
    deadline: str = ""
    lead: str = ""
    coordinators: str = ""
    extra_cells: tuple[str, ...] = ()

    def has_content(self) -> bool:
        return any((self.evidence, self.requirement, self.target, self.deadline, self.lead))


_QN_CODE = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVX]+\.)$")


def parse_guidance_rows(text: str) -> dict[str, GuidanceRow]:
    """Rows of seed 000 by criterion code (area rows, which carry only a title, included).

    A code printed twice (seed 000 numbers two rows "3.3.3") keys its second row "3.3.3#2",
    so the mapping table can name either.
    """
    cells = tab_cells(text.splitlines())
    rows: list[list[str]] = []
    for cell in cells:
        if _QN_CODE.match(cell):
            rows.append([cell])
        elif rows:
            rows[-1].append(cell)
    seen: dict[str, int] = {}
    out: dict[str, GuidanceRow] = {}
    for row in rows:
        code = row[0].rstrip(".")
        seen[code] = seen.get(code, 0) + 1
        if seen[code] > 1:
            code = f"{code}#{seen[code]}"
        main = [*row[:8], *[""] * (8 - len(row[:8]))]
        extra = tuple(row[8:])
        # A criterion whose own cells are empty and whose content sits in one unnumbered
        # sub-row of 8 cells (1.2 "Thực hiện chế độ báo cáo định kỳ"): the sub-row's name
        # is what is required, the rest keeps the column order.
        if not any(main[2:]) and len(extra) == 8 and extra[0] == "":
            sub = extra
            requirement = "; ".join(x for x in (sub[1], sub[3]) if x)
            main = [main[0], main[1], sub[2], requirement, *sub[4:8]]
            extra = ()
        out.setdefault(
            code,
            GuidanceRow(
                code=code,
                title=main[1],
                evidence=main[2],
                requirement=main[3],
                target=main[4],
                deadline=re.sub(r"^-\s*", "", main[5]),
                lead=main[6],
                coordinators=main[7],
                extra_cells=extra,
            ),
        )
    return out


# Folded function words that carry no meaning when comparing two criterion titles.
_STOPWORDS = frozenset(
    {
        "cua", "va", "cac", "trong", "nam", "theo", "quy", "dinh", "duoc",
        "tai", "so", "cho", "ve", "doi", "voi", "thuoc", "tinh",
    }
)  # fmt: skip


def title_tokens(title: str) -> set[str]:
    """Accent-folded content words of a title, without parenthesised abbreviations' noise."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    return {w for w in words if w not in _STOPWORDS}


def title_similarity(a: str, b: str) -> float:
    """Share of the shorter title's content words found in the other (0..1)."""
    ta, tb = title_tokens(a), title_tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / min(len(ta), len(tb))


MATCH_THRESHOLD = 0.6

# Codes present in both seeds whose titles pass the threshold but whose guidance must not be
# attached, each verified by reading both rows.
GUIDANCE_REJECTED: dict[str, str] = {
    "1.4": "ô “tài liệu kiểm chứng” của seed 000 chỉ ghi “UBND tỉnh”: các cột bị lệch",
    "3.5.1": "2018: tổ chức tiếp nhận PAKN; 2020: xử lý PAKN",
    "7.2.2": "2018: hồ sơ trực tuyến mức độ 3; 2020: gộp mức độ 3 và 4 (chỉ tiêu khác)",
    "8.1": "seed 000 để trống dòng 8.1, nội dung nằm ở 5 dòng con không mã với cột bị lệch",
}


@dataclass(frozen=True)
class GuidanceLink:
    """One reviewed row of ``tools/guidance_map.csv``: a framework item and its seed-000 row."""

    framework_code: str
    seed000_row: str
    note: str


def read_guidance_map(path: Path = GUIDANCE_MAP) -> dict[str, GuidanceLink]:
    """The reviewed table matching items by meaning where the two seeds' codes differ.

    Seed 000 follows the 2020 methodology and seed 003 the 2018 one: rows moved ("7.1.2" in
    2018 is "7.1.1" in 2020) or were split, so a code alone misses them. Each row of the
    table was checked by reading both seeds; a framework code listed there takes that row
    instead of its own code's.
    """
    links: dict[str, GuidanceLink] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for n, rec in enumerate(csv.DictReader(f), start=2):
            code, row = clean(rec["framework_code"]), clean(rec["seed000_row"])
            if not code or not row or code in links:
                raise SeedError(f"{path.name}, line {n}: empty or repeated framework code")
            links[code] = GuidanceLink(code, row, clean(rec["note"]))
    used = [link.seed000_row for link in links.values()]
    if len(used) != len(set(used)):
        raise SeedError(f"{path.name}: a seed-000 row is mapped to two framework items")
    return links


@dataclass
class MatchReport:
    matched: list[str] = field(default_factory=list)
    mapped: dict[str, str] = field(default_factory=dict)  # framework code -> seed-000 row
    rejected: dict[str, str] = field(default_factory=dict)
    candidates: dict[str, str] = field(default_factory=dict)  # unmatched, a similar row


def match_guidance(
    rows: list[ParRow],
    guidance: dict[str, GuidanceRow],
    links: dict[str, GuidanceLink] | None = None,
) -> tuple[dict[str, GuidanceRow], MatchReport]:
    """Seed-000 rows to attach: the reviewed mapping first, else the same code when the
    titles mean the same thing. A seed-000 row is attached to one item at most."""
    links = read_guidance_map() if links is None else links
    report = MatchReport()
    chosen: dict[str, GuidanceRow] = {}
    codes = {r.code for r in rows}
    for code in links:
        if code not in codes:
            raise SeedError(f"guidance map: no framework item {code}")
    for row in rows:
        link = links.get(row.code)
        if link is not None:
            g = guidance.get(link.seed000_row)
            if g is None or not g.has_content():
                raise SeedError(f"guidance map: seed-000 row {link.seed000_row} missing or empty")
            chosen[row.code] = g
            report.matched.append(row.code)
            report.mapped[row.code] = link.seed000_row
            continue
        if "." not in row.code or row.code not in guidance:
            continue
        g = guidance[row.code]
        if row.code in GUIDANCE_REJECTED:
            report.rejected[row.code] = GUIDANCE_REJECTED[row.code]
            continue
        if not g.has_content():
            continue
        sim = title_similarity(row.title, g.title)
        if sim >= MATCH_THRESHOLD:
            chosen[row.code] = g
            report.matched.append(row.code)
        else:
            report.rejected[row.code] = f"tên khác nghĩa (độ trùng {sim:.2f}): “{g.title}”"
    taken = {id(g) for g in chosen.values()}
    if len(taken) != len(chosen):
        raise SeedError("a seed-000 row would be attached to two framework items")
    # For the reviewer: items still without guidance that a seed-000 row resembles closely.
    for row in rows:
        if row.code in chosen or row.code in GUIDANCE_REJECTED or "." not in row.code:
            continue
        best = max(
            (g for g in guidance.values() if id(g) not in taken and g.has_content()),
            key=lambda g: title_similarity(row.title, g.title),
            default=None,
        )
        if best is not None and title_similarity(row.title, best.title) >= 0.9:
            report.candidates[row.code] = f"{best.code} “{best.title}”"
    return chosen, report


def _points_text(value: str) -> str:
    return f"{value} điểm" if value else ""


def par_target(row: ParRow, g: GuidanceRow | None) -> str:
    """Seed 000's target, then the seed-003 goals. No "Chỉ tiêu:" prefix: the form and the
    printout already label the field "Chỉ tiêu"."""
    parts = []
    if g is not None and g.target:
        parts.append(g.target.rstrip("."))
    parts.append(
        f"Mục tiêu 2018: {_points_text(row.target_2018)}; "
        f"2019-2020: {_points_text(row.target_2019_2020)}"
    )
    return "; ".join(parts)


def score_step_for(rows: list[ParRow]) -> float:
    """The finest step the seed's real scores need (max points, 2017 scores, targets).

    The 2017 column holds proportional scores such as 0.99, 0.96 and 0.61, and targets such
    as 0.3: a step of 0.25 or 0.5 would reject scores the province actually gave.
    """
    values = [r.max_points for r in rows] + [r.achieved_2017 for r in rows]
    for step in (0.5, 0.25, 0.1, 0.05, 0.01):
        if all(abs(v / step - round(v / step)) < 1e-6 for v in values):
            return step
    return 0.01


PLAN_252 = "Kế hoạch số 252/KH-UBND (Tiền Giang, 2018)"
TABLE_QN_2020 = "Bảng cải thiện Chỉ số CCHC năm 2020 (Quảng Nam)"


@dataclass(frozen=True)
class SeedThreshold:
    """A threshold the seeds state for one leaf: ``value`` (in ``measure``) earns the full
    points. ``seed`` is the seed number whose text must contain ``line`` verbatim."""

    value: float
    measure: str
    seed: str
    document: str
    line: str
    note: str = ""


# Every non-manual rule of the default PAR framework, with the seed line it comes from. A
# leaf gets a rule here only where a seed states a threshold for that item; below the
# threshold the seeds say nothing, so the officer scores it by hand (no "còn lại" band).
# Read by hand against both seeds; build_par_framework checks each line is in its seed.
PAR_THRESHOLDS: dict[str, SeedThreshold] = {
    "1.3.1": SeedThreshold(30, "%", "000", TABLE_QN_2020, "Đạt từ 30 % trở lên",
                           "Kế hoạch 252 ghi “trên 30 % số cơ quan chuyên môn cấp tỉnh, "
                           "đơn vị hành chính cấp huyện”"),
    "3.2.3": SeedThreshold(100, "%", "000", TABLE_QN_2020, "100% số cơ quan, đơn vị"),
    "3.3.4": SeedThreshold(50, "TTHC", "000", TABLE_QN_2020, "Từ 50 TTHC trở lên",
                           "dòng “Số TTHC được giải quyết theo hình thức liên thông cùng cấp” "
                           "(bảng 2020 đánh số 3.3.3)"),
    "3.3.5": SeedThreshold(30, "TTHC", "000", TABLE_QN_2020, "Từ 30 TTHC trở lên",
                           "dòng “Số TTHC được giải quyết theo hình thức liên thông giữa các "
                           "cấp chính quyền” (bảng 2020 đánh số 3.3.3 lần thứ hai)"),
    "5.1.1": SeedThreshold(100, "%", "000", TABLE_QN_2020,
                           "100% số cơ quan, tổ chức thực hiện đúng quy định"),
    "5.1.2": SeedThreshold(100, "%", "000", TABLE_QN_2020, "100% đơn vị thực hiện đúng quy định"),
    "5.7.1": SeedThreshold(100, "%", "000", TABLE_QN_2020, "Đạt tỷ lệ 100 %"),
    "5.7.2": SeedThreshold(100, "%", "000", TABLE_QN_2020, "Đạt tỷ lệ 100 %"),
    "7.2.1": SeedThreshold(50, "%", "000", TABLE_QN_2020,
                           "Từ 50% số TTHC trở lên cung cấp trực tuyến mức độ 3, 4 có phát "
                           "sinh hồ sơ"),
    "7.2.2": SeedThreshold(20, "%", "000", TABLE_QN_2020,
                           "Từ 20% số hồ sơ tiếp nhận trực tuyến trở lên",
                           "bảng 2020 gộp mức độ 3 và 4; năm 2018 chỉ tính mức độ 3"),
    "7.3.1": SeedThreshold(50, "%", "000", TABLE_QN_2020,
                           "Từ 50% số TTHC trở lên có phát sinh hồ sơ"),
    "7.3.2": SeedThreshold(10, "%", "000", TABLE_QN_2020, "Từ 10% số hồ sơ TTHC trở lên"),
    "7.3.3": SeedThreshold(10, "%", "000", TABLE_QN_2020, "Từ 10% số hồ sơ TTHC trở lên"),
    "7.4.1": SeedThreshold(100, "%", "000", TABLE_QN_2020, "100% số cơ quan, đơn vị"),
    "7.4.2": SeedThreshold(40, "%", "003", PLAN_252,
                           "đạt từ 40% trở lên ĐVHC cấp xã công bố ISO 9001 theo quy định"),
}  # fmt: skip

# Leaves a unit may declare not applicable, with the condition as the seed words it.
PAR_NOT_APPLICABLE: dict[str, tuple[str, str]] = {
    "3.3.3": ("003", "Không tính các xã thuộc huyện đảo"),
}


def threshold_source(t: SeedThreshold) -> str:
    """The source text a rule carries and the item form shows."""
    text = f"Theo {t.document}: “{t.line}”"
    if t.note:
        text += f" ({t.note})"
    return text + ". Dưới mức này tài liệu không quy định điểm: cán bộ tự chấm."


def par_rule(
    code: str, title: str, max_points: float, survey_only: bool, is_leaf: bool
) -> ScoringRule:
    """The scoring rule of a PAR item, from the seed texts only.

    Survey items are not self-assessable. A leaf listed in :data:`PAR_THRESHOLDS` earns its
    full points from the threshold its seed states (a band, or a count band for "từ 50 TTHC
    trở lên"); every other leaf is scored manually. No threshold is invented: the generic
    rate bands of earlier versions (100 % → max, 80 % → half) were stated by no seed.
    """
    if survey_only:
        marked = "điều tra xhh" in title.casefold()
        where = (
            "tên tiêu chí ghi “qua điều tra XHH”" if marked else "cột giải pháp ghi “Điều tra XHH”"
        )
        return ScoringRule(kind=RuleKind.SURVEY, source=f"Theo {PLAN_252}: {where}.")
    na = PAR_NOT_APPLICABLE.get(code, ("", ""))[1] if is_leaf else ""
    t = PAR_THRESHOLDS.get(code) if is_leaf else None
    if t is None:
        return ScoringRule(kind=RuleKind.MANUAL, not_applicable=na)
    kind = RuleKind.BANDS if t.measure == "%" else RuleKind.COUNT
    return ScoringRule(
        kind=kind,
        bands=(Band(float(t.value), max_points),),
        measure=t.measure,
        source=threshold_source(t),
        not_applicable=na,
    )


def check_seed_lines(seeds_dir: Path) -> None:
    """Every cited line must occur in its seed (whitespace folded), else the seed changed."""
    texts = {n: clean(read_seed(seeds_dir, n)) for n in ("000", "003")}
    cited = [(t.seed, t.line) for t in PAR_THRESHOLDS.values()]
    cited += list(PAR_NOT_APPLICABLE.values())
    for seed, line in cited:
        if clean(line) not in texts[seed]:
            raise SeedError(f"seed {seed}: cited line not found: {line!r}")


def build_par_framework(seeds_dir: Path) -> tuple[Framework, MatchReport]:
    check_seed_lines(seeds_dir)
    text = read_seed(seeds_dir, "003")
    rows = parse_par_rows(text)
    guidance, report = match_guidance(rows, parse_guidance_rows(read_seed(seeds_dir, "000")))
    criteria = []
    codes = [r.code for r in rows]
    for order, row in enumerate(rows, start=1):
        parent = row.code.rsplit(".", 1)[0] if "." in row.code else None
        g = guidance.get(row.code)
        is_leaf = not any(c.startswith(row.code + ".") for c in codes)
        criteria.append(
            Criterion(
                code=row.code,
                title=par_title(row),
                max_points=row.max_points,
                parent_code=parent,
                order=order,
                rule=par_rule(row.code, row.title, row.max_points, row.survey_only, is_leaf),
                guidance=Guidance(
                    requirement=g.requirement if g else "",
                    evidence=g.evidence if g else "",
                    target=par_target(row, g),
                    deadline=g.deadline if g else "",
                    lead=g.lead if g else "",
                    coordinators=g.coordinators if g else "",
                ),
            )
        )
    fw = Framework(
        id="par-tinh-2018",
        name="Chỉ số cải cách hành chính cấp tỉnh (PAR Index)",
        index_kind="PAR",
        year=2018,
        decision=(
            "Phụ lục Kế hoạch số 252/KH-UBND ngày 19/9/2018 của UBND tỉnh Tiền Giang "
            "(theo Quyết định số 2948/QĐ-BNV ngày 28/12/2017 của Bộ Nội vụ); hướng dẫn "
            "tài liệu kiểm chứng theo bảng cải thiện Chỉ số CCHC năm 2020 của tỉnh Quảng Nam"
        ),
        level="province",
        score_step=score_step_for(rows),
        criteria=tuple(criteria),
    )
    total = par_total_row(text)
    if abs(fw.total_points - total) > 1e-6:
        raise SeedError(f"seed 003: areas sum to {fw.total_points}, document says {total}")
    return validate_framework(fw), report


# ---------------------------------------------------------------------------------------
# Seed 002: PAPI 2020 (Quảng Nam), text with dropped letters
# ---------------------------------------------------------------------------------------
# Section II of seed 002 names each dimension with its 2020 target; the extraction dropped
# letters ("n  ờ  dân" = "người dân"). Keys are the damaged names after whitespace folding,
# values the repaired Vietnamese, read against the undamaged appendix headers.
PAPI_NAME_REPAIRS: dict[str, str] = {
    "T am a của n ờ dân ở cấp c sở": "Tham gia của người dân ở cấp cơ sở",
    "Côn k a , m n bạc tron ra quyết địn": "Công khai, minh bạch trong ra quyết định",
    "Tr c n ệm ả tr n vớ n ờ dân": "Trách nhiệm giải trình với người dân",
    "K m so t t am n ũn tron k u vực côn": "Kiểm soát tham nhũng trong khu vực công",
    "T ủ tục n c ín côn": "Thủ tục hành chính công",
    "Cun ứn dịc vụ côn": "Cung ứng dịch vụ công",
    "Quản trị mô tr ờn": "Quản trị môi trường",
    "Quản trị đ ện tử": "Quản trị điện tử",
}
# The appendix header printed for each dimension ("IX" is the source's numbering slip for
# the eighth), in the PAPI order used as codes 1..8.
PAPI_APPENDIX_ORDER: tuple[str, ...] = (
    "Tham gia của người dân ở cấp cơ sở",
    "Công khai, minh bạch",
    "Trách nhiệm giải trình với nhân dân",
    "Kiểm soát tham nhũng trong khu vực công",
    "Thủ tục hành chính công",
    "Cung ứng dịch vụ công",
    "Quản trị môi trường",
    "Quản trị điện tử",
)
# "Đơn vị chủ trì theo dõi" of the appendix tasks of each dimension, read by hand from the
# damaged appendix (no reliable automatic extraction is possible), by code.
PAPI_MONITORING_UNITS: dict[str, str] = {
    "1": "UBND cấp huyện",
    "2": "Sở Lao động, Thương binh và Xã hội; UBND cấp huyện; Sở Tài nguyên và Môi trường",
    "3": "Thanh tra tỉnh; Tòa án nhân dân tỉnh; Văn phòng UBND tỉnh; Ủy ban MTTQ Việt Nam tỉnh",
    "4": "Thanh tra tỉnh; Sở Nội vụ; Sở Giáo dục và Đào tạo; Sở Y tế",
    "5": (
        "Văn phòng UBND tỉnh; Trung tâm Hành chính công tỉnh; Đoàn Kiểm tra CCHC tỉnh; "
        "Sở Nội vụ; Sở Xây dựng; Sở Tài nguyên và Môi trường"
    ),
    "6": (
        "Bảo hiểm xã hội tỉnh; Sở Y tế; Sở Giáo dục và Đào tạo; Sở Công Thương; "
        "Sở Giao thông vận tải; Sở Xây dựng; Công an tỉnh"
    ),
    "7": "Sở Tài nguyên và Môi trường; Sở Nông nghiệp và Phát triển nông thôn",
    "8": "Sở Thông tin và Truyền thông; Văn phòng UBND tỉnh",
}

_PAPI_TARGET = re.compile(
    r"“(?P<name>[^”]+)”\s*:\s*đạt\s+(?P<value>\d+,\d+)/10\s+\S+\s+\S+\s+\S*\s*"
    r"(?P<delta>\d+,\d+)"
)


def parse_papi_targets(text: str) -> dict[str, tuple[str, str]]:
    """Repaired dimension name -> (2020 target out of 10, increase over 2019)."""
    start = text.find("II. CHỈ TIÊU CỤ THỂ")
    end = text.find("III. NHIỆM VỤ, GIẢI PHÁP")
    if start < 0 or end < 0:
        raise SeedError("seed 002: section II (chỉ tiêu) not found")
    section = clean(text[start:end])
    out: dict[str, tuple[str, str]] = {}
    for m in _PAPI_TARGET.finditer(section):
        damaged = clean(m["name"])
        if damaged not in PAPI_NAME_REPAIRS:
            raise SeedError(f"seed 002: no repair for dimension name {damaged!r}")
        out[PAPI_NAME_REPAIRS[damaged]] = (m["value"], m["delta"])
    return out


def parse_papi_headers(text: str) -> list[str]:
    """The eight dimension names as the appendix prints them (these lines are undamaged)."""
    return [
        clean(m[1])
        for m in re.finditer(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX) Chỉ số “([^”]+)”", text, re.M)
    ]


PAPI_SOURCE = (
    "Theo Kế hoạch số 4055/KH-UBND (Quảng Nam, 2020): PAPI đo bằng khảo sát người dân, "
    "đơn vị không tự chấm."
)


def build_papi_framework(seeds_dir: Path) -> Framework:
    text = read_seed(seeds_dir, "002")
    headers = parse_papi_headers(text)
    if tuple(headers) != PAPI_APPENDIX_ORDER:
        raise SeedError(f"seed 002: appendix dimensions changed: {headers}")
    targets = parse_papi_targets(text)
    if len(targets) != 8:
        raise SeedError(f"seed 002: expected 8 dimension targets, found {len(targets)}")
    criteria = []
    for order, header in enumerate(headers, start=1):
        code = str(order)
        name = max(targets, key=lambda n: title_similarity(n, header))
        if title_similarity(name, header) < MATCH_THRESHOLD:
            raise SeedError(f"seed 002: no target for dimension {header!r}")
        value, delta = targets[name]
        criteria.append(
            Criterion(
                code=code,
                title=name,
                max_points=10.0,
                order=order,
                rule=ScoringRule(kind=RuleKind.SURVEY, source=PAPI_SOURCE),
                guidance=Guidance(
                    target=f"Năm 2020 đạt {value}/10 điểm (tăng {delta} điểm so với năm 2019)",
                    lead=PAPI_MONITORING_UNITS[code],
                ),
            )
        )
    fw = Framework(
        id="papi-quangnam-2020",
        name="Chỉ số hiệu quả quản trị và hành chính công cấp tỉnh (PAPI)",
        index_kind="PAPI",
        year=2020,
        decision="Kế hoạch số 4055/KH-UBND ngày 20/7/2020 của UBND tỉnh Quảng Nam",
        level="province",
        score_step=0.01,
        criteria=tuple(criteria),
    )
    return validate_framework(fw)


# ---------------------------------------------------------------------------------------
# Seed 001: the 2024 task plan (tab-separated rows, split across page breaks)
# ---------------------------------------------------------------------------------------
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
_HEADER_FIRST = "Số TT"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class _PlanRow:
    code: str
    parent: str | None
    cells: list[str]  # title, deadline, lead, coordinators, product

    def extend(self, more: list[str], *, mid_sentence: bool) -> None:
        """Append continuation cells: a page break cuts mid-sentence (join with a space);
        a second line of a cell is a second item (join with "; " unless it is a dash list).
        """
        for i, text in enumerate(more):
            if not text:
                continue
            sep = " " if mid_sentence or text.startswith("-") or not self.cells[i] else "; "
            self.cells[i] = f"{self.cells[i]}{sep}{text}".strip()


def _cut_by_page_break(cells: list[str]) -> bool:
    """True for the tail of a row cut by a page break: its task cell is empty or starts in
    lower case (mid-sentence), or its schedule cell is empty. A complete unnumbered row
    right after the header (VI.2.2's second sub-task) starts a new sub-task instead."""
    title, deadline = cells[0], cells[1]
    return not title or title[0].islower() or not deadline


def parse_plan_2024_rows(text: str) -> list[_PlanRow]:
    """Rows of the 2024 appendix with hierarchical codes, continuations merged.

    An unnumbered row right after a repeated header line that looks cut (see
    :func:`_cut_by_page_break`) continues the previous row; so does a row with neither
    task nor schedule (a second line of the lead/coordinating cells). Other unnumbered rows
    are sub-tasks ("a", "b"...) of the last numbered one.
    """
    start = text.find(_HEADER_FIRST + "\t")
    if start < 0:
        raise SeedError("seed 001: appendix header not found")
    rows: list[_PlanRow] = []
    group = ""
    last_numbered: _PlanRow | None = None
    letters: dict[str, int] = {}
    after_header = False
    for line in text[start:].splitlines():
        if not line.strip():
            continue
        parts = [*line.split("\t"), *[""] * 6][:6]
        if parts[0] == _HEADER_FIRST:
            after_header = True
            continue
        num = parts[0].strip().rstrip(".")
        cells = [clean_cell(p) for p in parts[1:6]]
        page_tail = not num and after_header and _cut_by_page_break(cells)
        second_line = not num and not (cells[0] or cells[1])
        after_header = False
        if page_tail or second_line:
            if not rows:
                raise SeedError("seed 001: continuation before any row")
            rows[-1].extend(cells, mid_sentence=page_tail)
        elif num in _ROMAN:
            group = num
            rows.append(_PlanRow(group, None, cells))
            last_numbered = None
        elif num:
            if not group or not re.fullmatch(r"\d+(?:\.\d+)*", num):
                raise SeedError(f"seed 001: unexpected number {parts[0]!r}")
            parent = f"{group}.{num.rsplit('.', 1)[0]}" if "." in num else group
            row = _PlanRow(f"{group}.{num}", parent, cells)
            rows.append(row)
            last_numbered = row
        else:
            if last_numbered is None:
                raise SeedError(f"seed 001: sub-row without a numbered task: {cells[0]!r}")
            n = letters.get(last_numbered.code, 0)
            letters[last_numbered.code] = n + 1
            rows.append(_PlanRow(f"{last_numbered.code}.{_LETTERS[n]}", last_numbered.code, cells))
    return rows


def build_plan_2024(seeds_dir: Path) -> TaskPlan:
    rows = parse_plan_2024_rows(read_seed(seeds_dir, "001"))
    codes = {r.code for r in rows}
    tasks = []
    for order, r in enumerate(rows, start=1):
        if r.parent is not None and r.parent not in codes:
            raise SeedError(f"seed 001: parent {r.parent} of {r.code} missing")
        title, deadline, lead, coordinators, product = (clean(c) for c in r.cells)
        tasks.append(
            Task(
                code=r.code,
                title=title,
                parent_code=r.parent,
                order=order,
                deadline_text=deadline,
                due_date=parse_deadline(deadline, 2024) if deadline else None,
                lead=lead,
                coordinators=coordinators,
                product=product,
            )
        )
    return TaskPlan(
        id="kh-cai-thien-par-quangnam-2024",
        name="Kế hoạch cải thiện Chỉ số cải cách hành chính tỉnh Quảng Nam năm 2024",
        year=2024,
        decision="Kế hoạch ngày 26/6/2024 của UBND tỉnh Quảng Nam (Phụ lục nhiệm vụ, giải pháp)",
        tasks=tuple(tasks),
    )


# ---------------------------------------------------------------------------------------
# Seed 004: the 2022 work plan (objective -> task -> product; projects)
# ---------------------------------------------------------------------------------------
_LEVEL_ITEM = re.compile(r"^([123])\.(\d+)\s*:?\s*(.+)$", re.S)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_ROMAN_ALL = re.compile(r"^[IVX]+$")

# The extraction lost the first rows of Appendix I (its area header, objectives 1.1-1.2,
# tasks 2.1-2.3, products 3.1-3.5): the surviving 1.3/2.4 concern law enforcement
# monitoring, i.e. the area "Cải cách thể chế" (section II.1 of the decision).
PLAN_2022_FIRST_AREA = "Cải cách thể chế"


# Typing slips inside the 2022 appendix cells, corrected where the intended word is certain.
PLAN_2022_TEXT_FIXES: dict[str, str] = {"Ni vụ": "Nội vụ"}


def _fix_2022(text: str) -> str:
    for wrong, right in PLAN_2022_TEXT_FIXES.items():
        text = text.replace(wrong, right)
    return text


@dataclass
class _Item:
    level: int
    code: str
    title: str
    area: str
    cells: list[str] = field(default_factory=list)


def parse_plan_2022_items(text: str) -> list[_Item]:
    """Objectives (1.x), tasks (2.x) and products (3.x) of Appendix I, in order."""
    start = text.find("PHỤ LỤC I\n")
    end = text.find("PHỤ LỤC II")
    if start < 0 or end < 0:
        raise SeedError("seed 004: appendices not found")
    cells = [_fix_2022(c) for c in tab_cells(text[start:end].splitlines()[3:])]
    items: list[_Item] = []
    area = PLAN_2022_FIRST_AREA
    i = 0
    while i < len(cells):
        cell = cells[i]
        # An area header is its title repeated across the merged row (8 times).
        if cell and cells[i : i + 3] == [cell] * 3 and not _LEVEL_ITEM.match(cell):
            area = cell
            while i < len(cells) and cells[i] == cell:
                i += 1
            continue
        m = _LEVEL_ITEM.match(cell)
        if m:
            items.append(_Item(int(m[1]), f"{m[1]}.{m[2]}", clean(m[3]), area))
        elif items and not _PAGE_NUMBER.match(cell) and not _ROMAN_ALL.match(cell):
            items[-1].cells.append(cell)
        i += 1
    return items


@dataclass(frozen=True)
class _Project:
    number: str
    title: str
    product: str
    deadline: str
    lead: str
    coordinators: str


def parse_plan_2022_projects(text: str) -> list[_Project]:
    start = text.find("PHỤ LỤC II")
    cells = tab_cells(text[start:].splitlines())
    head = cells.index("Cơ quan phối hợp thực hiện") + 1
    body = cells[head:]
    projects = []
    for k in range(0, len(body) - 5, 6):
        chunk = body[k : k + 6]
        if not chunk[0].isdigit():
            break
        projects.append(_Project(*chunk))
    return projects


def build_plan_2022(seeds_dir: Path) -> TaskPlan:
    text = read_seed(seeds_dir, "004")
    items = parse_plan_2022_items(text)
    tasks: list[Task] = []
    parents: dict[int, str | None] = {1: None, 2: None}
    for item in items:
        parent = None if item.level == 1 else parents[item.level - 1]
        if item.level > 1 and parent is None:
            raise SeedError(f"seed 004: {item.code} has no level-{item.level - 1} parent")
        if item.level < 3:
            parents[item.level] = item.code
            if item.level == 1:
                parents[2] = None
        product_type = lead = coordinators = deadline = funding = ""
        if item.level == 3:
            padded = [*item.cells, "", "", "", "", ""]
            product_type, lead, coordinators, deadline, funding = padded[:5]
        elif item.cells:
            raise SeedError(f"seed 004: unexpected cells after {item.code}: {item.cells}")
        notes = []
        if item.level == 1:
            notes.append(f"Lĩnh vực: {item.area}")
        if funding:
            notes.append(f"Kinh phí: {funding}")
        tasks.append(
            Task(
                code=item.code,
                title=item.title,
                parent_code=parent,
                order=len(tasks) + 1,
                deadline_text=deadline,
                due_date=parse_deadline(deadline, 2022) if deadline else None,
                lead=lead,
                coordinators=coordinators,
                product=product_type,
                note="; ".join(notes),
            )
        )
    for p in parse_plan_2022_projects(text):
        tasks.append(
            Task(
                code=f"DA.{p.number}",
                title=p.title,
                order=len(tasks) + 1,
                deadline_text=p.deadline,
                due_date=parse_deadline(p.deadline, 2022),
                lead=p.lead,
                coordinators=p.coordinators,
                product=p.product,
                note="Đề án ban hành, triển khai thực hiện trong năm 2022 (Phụ lục II)",
            )
        )
    return TaskPlan(
        id="kh-cchc-quangnam-2022",
        name="Kế hoạch công tác cải cách hành chính năm 2022 tỉnh Quảng Nam",
        year=2022,
        decision="Quyết định ban hành Kế hoạch công tác CCHC năm 2022 của UBND tỉnh Quảng Nam",
        tasks=tuple(tasks),
    )


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------
def to_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def build_all(seeds_dir: Path, out_dir: Path) -> dict[str, Path]:
    """Parse every seed and write the four JSON resources atomically; return their paths."""
    par, _report = build_par_framework(seeds_dir)
    outputs = {
        PAR_FILE: to_json(framework_to_dict(par)),
        PAPI_FILE: to_json(framework_to_dict(build_papi_framework(seeds_dir))),
        PLAN_2024_FILE: to_json(task_plan_to_dict(build_plan_2024(seeds_dir))),
        PLAN_2022_FILE: to_json(task_plan_to_dict(build_plan_2022(seeds_dir))),
    }
    written = {}
    for name, text in outputs.items():
        path = out_dir / name
        atomic_write_text(path, text)
        written[name] = path
    return written


def print_tree(fw: Framework) -> None:
    for c in fw.criteria:
        mark = " [XHH]" if c.survey_only else ""
        indent = "  " * (c.depth - 1)
        print(f"{indent}{c.code} {format_number(c.max_points)}{mark} {c.title[:70]}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    seeds = Path(args[0]) if args else find_seeds_dir()
    if seeds is None:
        print("Seeds not found: set PARAPP_SHARED or pass the folder.", file=sys.stderr)
        return 2
    out = Path(args[1]) if len(args) > 1 else DEFAULT_OUT
    for path in build_all(seeds, out).values():
        print(f"wrote {path}")
    _fw, report = build_par_framework(seeds)
    print(f"guidance attached to {len(report.matched)} criteria: {' '.join(report.matched)}")
    for code, row in report.mapped.items():
        print(f"  by the mapping table {code} <- seed 000 {row}")
    for code, why in report.rejected.items():
        print(f"  not attached {code}: {why}")
    for code, row in report.candidates.items():
        print(f"  to review: {code} resembles seed 000 {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
