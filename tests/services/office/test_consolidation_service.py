"""Consolidation that adds up: a district with 6 communes, checked against a hand calculation.

X1 complete and fully appraised; X2 appraised, then re-submitted with a changed item; X3
partly appraised; X4 with a self score that contradicts its rule; X5 fully appraised with the
survey item entered; X6 never submitted. H9 (a child office) sends its upward bundle; X7 sent
a bundle and was later moved to another district.

Framework (tests/models/sample_framework.py): 1.1.1 yes/no (1), 1.1.2 bands (1), 1.2 manual
(2), 2.1 rate bands ">=98% → 3; >=90% → 1,5" (3), 2.2 survey (3). Self-assessable max 7.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from parapp.cli import main
from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.assessment import Answer
from parapp.models.errors import ValidationError
from parapp.models.units import Unit, UnitLevel
from parapp.services.office import appraisal, consolidation, inbox
from parapp.services.office import printing as office_printing
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework

FULL = [
    Answer("1.1.1", value=1.0, self_score=1.0),
    Answer("1.1.2", value=100.0, self_score=1.0),
    Answer("1.2", self_score=2.0),
    Answer("2.1", value=98.0, numerator=98.0, denominator=100.0, self_score=3.0),
]


def send(
    ws: Workspace,
    out: Path,
    kp: KeyPair,
    unit: str,
    answers: list[Answer],
    *,
    period: str = "2026",
    revision: int = 1,
    edit: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    fw = sample_framework()
    info = BundleInfo(unit, f"Xã {unit}", "commune", "D1", fw.id, fw.content_hash, period,
                      revision, "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch")  # fmt: skip
    doc = make_assessment_doc(info, fw, answers)
    if edit is not None:
        edit(doc)
    path = out / f"{unit}-{period}-r{revision}.zip"
    write_bundle(path, info, doc, [], kp)
    entry = inbox.import_bundle(ws, path)
    assert entry.status in (inbox.STATUS_OK, inbox.STATUS_UNVERIFIED), entry.reason


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    tmp = tmp_path_factory.mktemp("district")
    ws = Workspace.open(tmp / "office", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"), Unit("P1", "Tỉnh", UnitLevel.PROVINCE)
    )
    ws.add_unit(Unit("D2", "Huyện Hai", UnitLevel.DISTRICT, "P1"))
    for code in ("X1", "X2", "X3", "X4", "X5", "X6", "X7"):
        ws.add_unit(Unit(code, f"Xã {code}", UnitLevel.COMMUNE, "D1"))
    ws.add_unit(Unit("H9", "Cụm H9", UnitLevel.DISTRICT, "D1"))
    kp = keys.generate_keypair()
    out = tmp / "bundles"
    out.mkdir()
    # previous period: X1 scored 1 on 1.2 → 6/7 = 85,71 %
    send(ws, out, kp, "X1", [*FULL[:2], Answer("1.2", self_score=1.0), FULL[3]], period="2025")
    send(ws, out, kp, "X1", FULL)
    appraisal.accept_self_scores(ws, "X1", period="2026")
    send(ws, out, kp, "X2", [FULL[0], Answer("1.2", self_score=1.5)])
    appraisal.accept_self_scores(ws, "X2", period="2026")
    send(ws, out, kp, "X2", [FULL[0], Answer("1.2", self_score=2.0)], revision=2)
    x3 = [FULL[0], Answer("1.2", self_score=2.0),
          Answer("2.1", value=95.0, numerator=95.0, denominator=100.0, self_score=1.5)]  # fmt: skip
    send(ws, out, kp, "X3", x3)
    appraisal.set_appraisal(ws, "X3", "1.2", 1.0, "Thiếu báo cáo quý 4", "2026")

    def claim(doc: dict[str, Any]) -> None:
        next(a for a in doc["answers"] if a["code"] == "1.1.2")["self_score"] = 1.0

    send(ws, out, kp, "X4", [Answer("1.1.2", value=85.0, self_score=0.5),
                             Answer("1.2", self_score=0.5)], edit=claim)  # fmt: skip
    send(ws, out, kp, "X5", FULL)
    appraisal.accept_self_scores(ws, "X5", period="2026")
    appraisal.set_appraisal(ws, "X5", "2.2", 2.5, "Kết quả điều tra XHH", "2026")
    send(ws, out, kp, "X7", FULL)

    def office_extra(doc: dict[str, Any]) -> None:
        doc["extra"] = {"consolidation": {"provisional": False, "rows": [
            {"unit_code": "Y1", "unit_name": "Xã Y1", "index_percent": 90.0, "rank": 1,
             "rating": "Xuất sắc"}]}}  # fmt: skip

    send(ws, out, kp, "H9", [], edit=office_extra)
    ws.add_unit(Unit("X7", "Xã X7", UnitLevel.COMMUNE, "D2"))  # moved to another district
    yield ws
    ws.close()


EXPECTED = {  # unit: (area totals, total, maximum, index, rank, provisional)
    "X1": ((4.0, 3.0), 7.0, 7.0, 100.0, 1, False),
    "X5": ((4.0, 5.5), 9.5, 10.0, 95.0, 2, False),
    "X3": ((2.0, 1.5), 3.5, 7.0, 50.0, 3, True),  # 1 + 0 + 1 (appraised) + 1,5
    "X2": ((3.0, 0.0), 3.0, 7.0, 42.86, 4, True),  # 1 + 0 + 2 (new self score) + 0
    "X4": ((1.5, 0.0), 1.5, 7.0, 21.43, 5, True),  # claimed 1 + 0,5, flagged
}


def test_ranking_equals_the_hand_calculation(district: Workspace) -> None:
    c = consolidation.consolidate(district, "2026")
    got = {
        r.result.unit_code: (r.result.area_totals, r.result.total, r.result.maximum,
                             r.result.index_percent, r.rank, r.result.provisional)
        for r in c.rows
    }  # fmt: skip
    assert got == EXPECTED
    by_unit = {r.result.unit_code: r.result for r in c.rows}
    assert by_unit["X5"].area_maxima == (4.0, 6.0)  # survey counts once entered
    assert by_unit["X1"].area_maxima == (4.0, 3.0)
    assert by_unit["X2"].warnings == ("1.2: cần thẩm định lại",)
    assert by_unit["X4"].warnings == ("1.1.2: điểm tự chấm không khớp quy tắc: tính lại được 0,5",)
    assert c.not_submitted == (("X6", "Xã X6"),)
    assert [o["unit_code"] for o in c.offices] == ["H9"]
    assert c.comparison["X1"].index_change(100.0) == 14.29  # 100 − 85,71


def test_consolidate_json_ranks_only_children_never_above_100(
    district: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(district.data_dir)
    assert main(["consolidate", "--period", "2026", "--json", "--data-dir", data_dir]) == 0
    data = json.loads(capsys.readouterr().out)
    ranked = [r["unit_code"] for r in data["rows"]]
    assert ranked == ["X1", "X5", "X3", "X2", "X4"]  # not X7 (moved), not the office H9
    assert all(0 <= r["index_percent"] <= 100 for r in data["rows"])
    assert data["not_submitted"] == [
        {"unit_code": "X6", "unit_name": "Xã X6", "status": "Chưa nộp"}
    ]
    assert data["offices"][0]["unit_code"] == "H9"
    assert data["offices"][0]["rows"][0]["index_percent"] == 90.0


def test_appraisal_of_a_partly_appraised_unit_totals_as_the_ranking(
    district: Workspace, tmp_path: Path
) -> None:
    report = consolidation.appraisal_report(district, "X3", "2026")
    assert (report.self_total, report.appraised_total, report.provisional) == (4.5, 3.5, True)
    pdf = office_printing.print_appraisal(district, "X3", tmp_path / "x3.pdf", "2026")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "tổng điểm thẩm định (tạm tính): 3,5 (chênh lệch -1 điểm)" in " ".join(text.split())
    # the default Nơi nhận names the unit appraised, not a placeholder
    assert "- UBND xã X3 (để thực hiện);" in " ".join(text.split())
    assert "Đơn vị được thẩm định" not in text
    flagged = consolidation.appraisal_report(district, "X4", "2026")
    assert {ln.code: ln.flag for ln in flagged.lines}["1.1.2"].startswith("điểm tự chấm không")
    pdf = office_printing.print_appraisal(district, "X4", tmp_path / "x4.pdf", "2026")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "tính lại được 0,5" in " ".join(text.split())


def test_ranking_pdf_lists_units_not_submitted(district: Workspace, tmp_path: Path) -> None:
    pdf = office_printing.print_ranking(district, tmp_path / "xh.pdf", "2026")
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Xã X6" in text and "Chưa nộp" in text
    assert "42,86" in text and "21,43" in text
    assert "cần thẩm định lại" in text


def test_xlsx_formats_follow_the_data(district: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "tonghop.xlsx"
    consolidation.export_xlsx(district, path, "2026")
    ws = load_workbook(path)["Xếp hạng"]
    head = [c.value for c in ws[3]]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
    col = {h: i for i, h in enumerate(head)}
    x1 = rows["X1"]
    assert x1[col["Chỉ số (%)"]].value == 100.0
    assert x1[col["Chỉ số (%)"]].number_format == "0.00"
    assert x1[col["Xếp hạng"]].number_format == "0"
    assert x1[col["Hạng kỳ trước"]].value == 1
    assert x1[col["Hạng kỳ trước"]].number_format == "0"
    assert x1[col["Thay đổi chỉ số (%)"]].value == 14.29
    assert x1[col["Thay đổi chỉ số (%)"]].number_format == "0.00"
    assert rows["X2"][col["Chỉ số (%)"]].value == 42.86
    assert "cần thẩm định lại" in rows["X2"][col["Cần lưu ý"]].value
    assert rows["X6"][col["Xếp loại"]].value == "Chưa nộp"


def test_reappraise_flag_on_the_changed_item_only(district: Workspace) -> None:
    ua = appraisal.unit_appraisal(district, "X2", "2026")
    assert [i.code for i in ua.to_reappraise] == ["1.2"]
    assert ua.progress == (3, 4)


def test_thresholds_must_cover_zero(district: Workspace) -> None:
    with pytest.raises(ValidationError, match="bắt đầu từ 0"):
        consolidation.set_thresholds(district, "Xuất sắc=90, Tốt=80")


def test_xlsx_as_libreoffice_shows_it(district: Workspace, tmp_path: Path) -> None:
    """Read back by LibreOffice (cells as displayed): two decimals for indexes and index
    changes, whole numbers for ranks."""
    import csv
    import shutil

    path = tmp_path / "tonghop.xlsx"
    consolidation.export_xlsx(district, path, "2026")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    out = tmp_path / "csv"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with (out / "tonghop.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head = rows[2]
    by_unit = {r[0]: dict(zip(head, r, strict=False)) for r in rows[3:] if r and r[0]}
    x1, x2 = by_unit["X1"], by_unit["X2"]
    assert x1["Chỉ số (%)"] in ("100.00", "100,00")
    assert (x1["Xếp hạng"], x1["Hạng kỳ trước"]) == ("1", "1")
    assert x1["Thay đổi chỉ số (%)"] in ("14.29", "14,29")
    assert x2["Chỉ số (%)"] in ("42.86", "42,86")
    assert by_unit["X6"]["Xếp loại"] == "Chưa nộp"


def test_survey_results_sheet_enters_survey_points(district: Workspace, tmp_path: Path) -> None:
    # last in this module: it changes the shared district (survey points entered)
    from parapp.interchange.excel_survey import write_survey_template
    from parapp.models.errors import ImportErrors
    from parapp.services.office.survey_results import import_survey_results

    path = tmp_path / "xhh.xlsx"
    write_survey_template(sample_framework(), [("X1", "Xã X1"), ("X3", "Xã X3")], path)
    book = load_workbook(path)
    sheet = book["Điều tra XHH"]
    assert [c.value for c in sheet[1]] == ["Mã đơn vị", "Tên đơn vị", "2.2"]
    sheet["C2"], sheet["C3"] = 2.64, "3,5"  # X3 above the maximum 3
    book.save(path)
    with pytest.raises(ImportErrors, match=r"dòng 3, cột C.*ngoài 0\.\.3"):
        import_survey_results(district, path, "2026")
    sheet["C3"] = "1,5"
    book.save(path)
    assert import_survey_results(district, path, "2026") == 2
    rows = {r.result.unit_code: r.result for r in consolidation.consolidate(district, "2026").rows}
    assert (rows["X1"].total, rows["X1"].maximum, rows["X1"].index_percent) == (9.64, 10.0, 96.4)
    assert rows["X3"].area_maxima == (4.0, 6.0)
