"""Legacy encodings are decided per column (or per sheet) from all the text, not per cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from parapp.interchange.excel_common import cell_text, decode_grid
from parapp.interchange.excel_tasks import read_tasks_xlsx
from parapp.interchange.legacy_vn import from_unicode


def _column(values: list[str], col: int = 1) -> dict[tuple[int, int], Any]:
    return {(r, col): v for r, v in enumerate(values, start=1)}


def _texts(grid: dict[tuple[int, int], Any], col: int) -> list[str]:
    return [cell_text(v) for (_r, c), v in sorted(grid.items()) if c == col]


def test_short_cells_follow_their_column() -> None:
    grid = {
        **_column(["KÕ ho¹ch", "®¹t", "H¹n", "Cã", "Ghi chó"], 1),  # TCVN3
        **_column(["Chuû trì", "Phoái hôïp", "Coù", "Ghi chuù"], 2),  # VNI
        **_column(["Có", "Không", "Ghi chú", "Điều tra XHH"], 3),  # Unicode
        **_column(["Có", "Không", "Chủ trì"], 4),  # Unicode, Latin-1 letters only but one
    }
    decoded = decode_grid(grid)
    assert _texts(decoded, 1) == ["Kế hoạch", "đạt", "Hạn", "Có", "Ghi chú"]
    assert _texts(decoded, 2) == ["Chủ trì", "Phối hợp", "Có", "Ghi chú"]
    assert _texts(decoded, 3) == ["Có", "Không", "Ghi chú", "Điều tra XHH"]
    assert _texts(decoded, 4) == ["Có", "Không", "Chủ trì"]


def test_each_cell_alone_would_stay_unconverted() -> None:
    """The reason for deciding per column: on their own these cells read as Vietnamese."""
    assert [cell_text(v) for v in ("Cã", "Ghi chó")] == ["Cã", "Ghi chó"]


def test_a_column_too_short_to_judge_follows_a_legacy_sheet() -> None:
    grid = {
        **_column(["Néi dung", "Tû lÖ hå s¬ gi¶i quyÕt ®óng h¹n", "KÕ ho¹ch"], 1),
        (1, 2): "Ghi chó",  # a lone header: "chó" is a Vietnamese word by itself
        (3, 2): "Cã",
    }
    decoded = decode_grid(grid)
    assert _texts(decoded, 2) == ["Ghi chú", "Có"]


def test_no_sheet_fallback_when_the_sheet_has_unicode() -> None:
    grid = {**_column(["Tû lÖ hå s¬ gi¶i quyÕt ®óng h¹n"], 1), **_column(["Có", "Ghi chú"], 2)}
    grid[(3, 3)] = "Điểm"
    decoded = decode_grid(grid)
    assert _texts(decoded, 1) == ["Tỷ lệ hồ sơ giải quyết đúng hạn"]
    assert _texts(decoded, 2) == ["Có", "Ghi chú"]


def _plan_sheet(path: Path, encoding: str) -> Path:
    """A plan typed entirely in a legacy font, headers included, with short cells."""

    def enc(text: str | None) -> str | None:
        return from_unicode(text, encoding) if text else None

    wb = Workbook()
    ws = wb.active
    ws.title = "Ke hoach"
    ws.append([enc("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024")])
    ws.append([enc(h) for h in ("STT", "Nội dung", "Tiến độ", "Chủ trì", "Phối hợp",
                                 "Ghi chú")])  # fmt: skip
    rows = [
        ("1", "Kế hoạch", "Quý I", "Văn phòng", "Có", "Đạt"),
        ("2", "Hạn", "Quý II", "Chủ trì", "Có", None),
        ("3", "Đạt", "Quý III", "Tư pháp", "Không", "Có"),
    ]
    for row in rows:
        ws.append([enc(v) for v in row])
    wb.save(path)
    return path


def test_tcvn3_plan_with_short_cells(tmp_path: Path) -> None:
    path = _plan_sheet(tmp_path / "tcvn3.xlsx", "tcvn3")
    assert load_workbook(path).active["B3"].value == "KÕ ho¹ch"  # really legacy on disk
    plan = read_tasks_xlsx(path, default_year=2024)
    got = [(t.title, t.deadline_text, t.lead, t.coordinators, t.note) for t in plan.tasks]
    assert got == [
        ("Kế hoạch", "Quý I", "Văn phòng", "Có", "Đạt"),
        ("Hạn", "Quý II", "Chủ trì", "Có", ""),
        ("Đạt", "Quý III", "Tư pháp", "Không", "Có"),
    ]
    assert plan.name == "Kế hoạch cải cách hành chính năm 2024"  # decoded, then sentence case


def test_vni_plan_with_short_cells(tmp_path: Path) -> None:
    path = _plan_sheet(tmp_path / "vni.xlsx", "vni")
    assert load_workbook(path).active["D2"].value == "Chuû trì"
    plan = read_tasks_xlsx(path, default_year=2024)
    got = [(t.title, t.lead, t.coordinators, t.note) for t in plan.tasks]
    assert got == [
        ("Kế hoạch", "Văn phòng", "Có", "Đạt"),
        ("Hạn", "Chủ trì", "Có", ""),
        ("Đạt", "Tư pháp", "Không", "Có"),
    ]
