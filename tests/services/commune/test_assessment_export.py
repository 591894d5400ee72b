"""The self-assessment workbook reads back with the screen's figures, and LibreOffice opens it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from parapp.services.commune.assessment_export import export_assessment_xlsx
from parapp.services.workspace import Workspace
from tests.system_tools import tool


def _fill(ws: Workspace) -> list[str]:
    leaves = [c for c in ws.current_framework().leaves() if c.rule.kind.value == "manual"]
    done = []
    for c in leaves[:3]:
        ws.set_answer(c.code, self_score=min(c.max_points, 0.5), explanation="Đã thực hiện")
        done.append(c.code)
    return done


def test_workbook_has_every_node_and_the_screen_totals(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    done = _fill(ws)
    out = export_assessment_xlsx(ws, tmp_path / "tu-danh-gia.xlsx")
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(tuple(h for h in rows[3]))
    by_code = {r[0]: r for r in rows[header + 1 :] if r[0]}
    fw = ws.current_framework()
    assert set(by_code) == {c.code for c in fw.criteria}
    for code in done:
        assert by_code[code][7] == 0.5
        assert by_code[code][8] == "Đã thực hiện"
    totals = ws.rollup()
    last = rows[-1]
    assert last[1] == "TỔNG CỘNG"
    assert last[7] == totals.total_score == 1.5
    assert last[2] == totals.total_max
    area = fw.criteria[0].code
    assert by_code[area][7] == totals.nodes[area].self_score


def test_libreoffice_reads_the_same_total(workspace: Workspace, tmp_path: Path) -> None:
    _fill(workspace)
    out = export_assessment_xlsx(workspace, tmp_path / "tu-danh-gia.xlsx")
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(
        [tool("soffice"), f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = (tmp_path / "tu-danh-gia.csv").read_text(encoding="utf-8")
    total = [line.split(",") for line in text.splitlines() if "TỔNG CỘNG" in line]
    assert len(total) == 1
    assert total[0][2] == "100" and total[0][7] == "1.5"  # what a reviewer's Calc shows
