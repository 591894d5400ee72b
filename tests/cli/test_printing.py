"""``parapp print``: the documents come out of the workspace's own data (read back with
pdftotext, which must be installed: a missing tool fails, it does not skip)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from parapp.cli import main


def text_of(pdf: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_print_report_blank_form_and_tasks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dd = ["--data-dir", str(tmp_path / "ws")]
    assert main(["init", "--unit", "20551", *dd]) == 0
    assert main(["assess", "start", "par-tinh-2018", "--period", "2026", *dd]) == 0
    assert main(["assess", "set", "1.2", "--score", "2,5", "--note", "Đủ báo cáo quý", *dd]) == 0
    report = tmp_path / "bao-cao.pdf"
    args = ["--approver", "Lê Văn Tám", "--position", "Phó Chủ tịch UBND", "--number", "15"]
    args += ["--date", "02/12/2026", "--recipient", "Sở Nội vụ", "--recipient", "Lưu: VT"]
    assert main(["print", "report", "--out", str(report), *args, *dd]) == 0
    text = text_of(report)
    assert "ỦY BAN NHÂN DÂN" in text and "PHƯỜNG ĐIỆN BÀN" in text
    assert "THÀNH PHỐ ĐÀ NẴNG" not in text.split("CỘNG HÒA")[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Số: 15/BC-UBND" in text and "Điện Bàn, ngày 02 tháng 12 năm 2026" in text
    assert "KT. CHỦ TỊCH" in text and "- Sở Nội vụ;" in text and "- Lưu: VT." in text
    assert "2,5" in text and "Lê Văn Tám" in text
    editable = tmp_path / "bao-cao.docx"
    assert main(["print", "report", "--out", str(editable), "--format", "docx", *args, *dd]) == 0
    from docx import Document

    words = " ".join(p.text for p in Document(str(editable)).paragraphs)
    assert "Ủy ban nhân dân phường Điện Bàn báo cáo kết quả" in words
    blank = tmp_path / "phieu.pdf"
    assert main(["print", "blank-form", "--out", str(blank), *dd]) == 0
    assert "PHIẾU TỰ ĐÁNH GIÁ" in text_of(blank)
    tasks = tmp_path / "nhiem-vu.pdf"
    assert main(["print", "tasks", "--out", str(tasks), *dd]) == 0
    assert "DANH SÁCH NHIỆM VỤ" in text_of(tasks)
    capsys.readouterr()


def test_print_without_assessment_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dd = ["--data-dir", str(tmp_path / "ws")]
    main(["init", "--unit", "20551", *dd])
    assert main(["print", "report", "--out", str(tmp_path / "r.pdf"), *dd]) == 1
    assert "Chưa có bản tự đánh giá" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()
