"""The editable copy: every document as .docx, converted back to PDF by LibreOffice, holds
the same words as the PDF (and the same page: A4, Decree 30 margins, Times New Roman)."""

from __future__ import annotations

import html
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from tests.interchange import pdf_sample_data as sd
from tests.interchange.test_pdf_documents import MM, pdf_words

KINDS = sd.SAMPLE_KINDS


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path, Path]]:
    """(pdf, docx, pdf made from the docx by LibreOffice) of every sample document."""
    folder = tmp_path_factory.mktemp("docx")
    pdfs = sd.write_samples(folder / "pdf", units=12)
    docxs = sd.write_samples(folder / "docx", units=12, suffix=".docx")
    profile = folder / "lo-profile"
    out = folder / "lo"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, docxs.values())],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {k: (pdfs[k], docxs[k], out / f"{docxs[k].stem}.pdf") for k in KINDS}


#: The header row of each document's long table: repeated on every page, so it appears as
#: often as the table has pages, which differ between reportlab and LibreOffice.
REPEATED = {
    "report": "Mã Tiêu chí, giải trình và tài liệu kiểm chứng Điểm tối đa Giá trị đo Điểm tự chấm",
    "blank-form": "Mã Tiêu chí và hướng dẫn chấm điểm Điểm tối đa Giá trị đo Điểm tự chấm "
    "Giải trình, tài liệu kiểm chứng",
    "tasks": "Mã Nhiệm vụ, sản phẩm Chủ trì, phối hợp Thời hạn Tình trạng",
    "ranking": "Hạng Đơn vị Điểm theo lĩnh vực Tổng điểm Chỉ số (%) Xếp loại",
    "appraisal": "Mã Tiêu chí Điểm tối đa Tự chấm Thẩm định Chênh lệch Nhận xét",
}


def _words(pdf: Path) -> Counter[str]:
    """The words of the body (page numbers in the top margin left out: pages differ), split
    at hyphens: the two engines break "2019-2020:" at different places, or not at all."""
    out: list[str] = []
    for w in pdf_words(pdf):
        if w.y0 < 18 * MM:
            continue
        out.extend(part for part in html.unescape(w.text).split("-") if part)
    return Counter(out)


@pytest.mark.parametrize("kind", KINDS)
def test_docx_has_the_words_of_the_pdf(
    converted: dict[str, tuple[Path, Path, Path]], kind: str
) -> None:
    pdf, _docx, from_docx = converted[kind]
    expected, found = _words(pdf), _words(from_docx)
    assert sum(expected.values()) > 200
    differing = set((expected - found) + (found - expected))
    assert differing <= set(REPEATED[kind].split()), (expected - found, found - expected)


@pytest.mark.parametrize("kind", KINDS)
def test_docx_page_and_font(converted: dict[str, tuple[Path, Path, Path]], kind: str) -> None:
    doc = Document(str(converted[kind][1]))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert abs(section.left_margin - Mm(30)) < Mm(0.1)
    assert abs(section.right_margin - Mm(15)) < Mm(0.1)
    assert abs(section.top_margin - Mm(20)) < Mm(0.1)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 13
    assert section.different_first_page_header_footer  # no number on page 1
