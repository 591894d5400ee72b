"""One rounding rule everywhere: screen text, PDF text, xlsx cell and JSON agree with a
hand computation (decimal, half-up, two places) for 1 000 random answer sets."""

from __future__ import annotations

import json
import random
import re
import subprocess
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import load_workbook

from parapp.interchange.excel_consolidation import write_consolidation_xlsx
from parapp.interchange.pdf import render_ranking
from parapp.models.consolidation import rank_units, unit_result
from parapp.models.numbers import format_fixed
from parapp.models.print_data import DocumentHeader, RankingReport, RankingRow, SignatureBlock
from parapp.models.text import format_number
from tests.models.sample_framework import sample_framework

N = 1000


def by_hand(total: float, maximum: float) -> Decimal:
    exact = Decimal(repr(total)) * 100 / Decimal(repr(maximum))
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_screen_pdf_xlsx_and_json_agree(tmp_path: Path) -> None:
    fw = sample_framework()
    rng = random.Random(20261202)
    leaves = [c for c in fw.leaves() if not c.survey_only]
    results = []
    for i in range(N):
        scores = {c.code: rng.randint(0, round(c.max_points * 100)) / 100 for c in leaves}
        appraised = {}
        if rng.random() < 0.5:  # the survey item entered by the office: maximum 10
            appraised["2.2"] = rng.randint(0, 300) / 100
        # an item declared not applicable lowers the maximum (to 8, 5...: half-up cases)
        na = {rng.choice(leaves).code} if rng.random() < 0.5 else set()
        results.append(
            unit_result(fw, f"U{i:04d}", f"Đơn vị {i:04d}", scores, appraised, not_applicable=na)
        )
    ranked = rank_units(results)
    expected = {r.unit_code: by_hand(r.total, r.maximum) for r in results}
    # the decisive half-up cases occur (e.g. x,xx5 exactly)
    assert any((Decimal(repr(r.total)) * 100 / Decimal(repr(r.maximum))) * 1000 % 10 == 5
               for r in results)  # fmt: skip

    # JSON, as `consolidate --json` writes it
    doc = json.loads(json.dumps([{"u": r.unit_code, "i": r.index_percent} for r in results]))
    assert {d["u"]: Decimal(repr(d["i"])) for d in doc} == expected
    # screen: the ranking table shows two fixed decimals, the summary the short form
    for r in results:
        assert format_fixed(r.index_percent) == f"{expected[r.unit_code]:.2f}".replace(".", ",")
        short = format_number(r.index_percent)
        assert Decimal(short.replace(",", ".")) == expected[r.unit_code]

    # xlsx cell, read back with openpyxl
    xlsx = tmp_path / "x.xlsx"
    write_consolidation_xlsx(xlsx, title="T", period="2026", framework=fw, rows=ranked,
                             comparison={}, details={})  # fmt: skip
    sheet = load_workbook(xlsx)["Xếp hạng"]
    head = [c.value for c in sheet[3]]
    idx = head.index("Chỉ số (%)")
    cells = {row[0].value: row[idx] for row in sheet.iter_rows(min_row=4) if row[0].value}
    for code, want in expected.items():
        assert Decimal(repr(cells[code].value)) == want
        assert cells[code].number_format == "0.00"

    # PDF text, read back with pdftotext
    report = RankingReport(
        title="XẾP HẠNG",
        period="2026",
        area_titles=tuple(a.title for a in fw.areas),
        area_max=tuple(a.max_points for a in fw.areas),
        rows=tuple(
            RankingRow(
                r.result.unit_code,
                r.result.unit_name,
                r.result.area_totals,
                r.result.total,
                r.result.maximum,
                r.result.index_percent,
                r.rank,
                r.rating,
            )
            for r in ranked
        ),
    )
    pdf = tmp_path / "xh.pdf"
    header = DocumentHeader("UBND TỈNH", "UBND HUYỆN", "Huyện", date(2026, 12, 2))
    render_ranking(report, header, SignatureBlock("A", "B", "C", "D"), pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    row = re.compile(r"Đơn vị (\d{4})\s.*?\s(\d+(?:,\d+)?)\s+(?:Xuất sắc|Tốt|Khá|Trung bình|Yếu)")
    printed = {f"U{m[1]}": Decimal(m[2].replace(",", ".")) for m in row.finditer(text)}
    assert len(printed) == N
    assert printed == expected
