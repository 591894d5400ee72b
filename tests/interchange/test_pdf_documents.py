"""Every printed document, generated from the default data and read back with poppler:
A4, fonts embedded, margins of Nghị định 30, page numbers, and the data in the text."""

from __future__ import annotations

import datetime
import html
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from parapp.interchange.pdf import (
    render_appraisal,
    render_blank_form,
    render_ranking,
    render_report,
    render_tasks,
)
from parapp.interchange.pdf.layout import group_hash
from parapp.interchange.pdf.report import stamp_payload
from parapp.interchange.signing.pdf import find_signature_room
from parapp.models.framework import Framework
from parapp.models.rollup import rollup
from parapp.models.text import format_number
from tests.interchange import pdf_sample_data as sd
from tests.system_tools import tool

# -- reading PDFs back with poppler-utils, as a person's viewer would -----------------

MM = 72 / 25.4


def _run(*args: str) -> str:
    out = subprocess.run(args, check=True, capture_output=True, timeout=60)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def pdf_info(pdf: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in _run("pdfinfo", str(pdf)).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def pdf_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, embedded) per font of the document."""
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    out = []
    for row in rows:
        parts = row.split()
        # name type... encoding emb sub uni object-id generation
        out.append((parts[0], parts[-5]))
    return out


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """Plain text, whitespace collapsed to single spaces (cells wrap anywhere)."""
    args = ["pdftotext"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return " ".join(_run(*args, str(pdf), "-").split())


def pdf_layout_text(pdf: Path) -> str:
    return _run("pdftotext", "-layout", str(pdf), "-")


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float  # points from the top-left corner


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def pdf_words(pdf: Path) -> list[Word]:
    out: list[Word] = []
    page = 0
    for line in _run("pdftotext", "-bbox", str(pdf), "-").splitlines():
        if _PAGE.search(line):
            page += 1
            continue
        m = _WORD.search(line)
        if m:
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            out.append(Word(page, m.group(5), x0, y0, x1, y1))
    return out


UNIT = "UBND xã Điện Bàn"
KINDS = sd.SAMPLE_KINDS


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return sd.write_samples(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def framework() -> Framework:
    return sd.default_framework()


@pytest.mark.parametrize("kind", KINDS)
def test_a4_with_metadata(samples: dict[str, Path], kind: str) -> None:
    meta = pdf_info(samples[kind])
    assert "(A4)" in meta["Page size"]
    assert meta["Creator"] == "ParApp"
    assert meta["Author"] in ("ỦY BAN NHÂN DÂN PHƯỜNG ĐIỆN BÀN", "SỞ NỘI VỤ")
    assert meta["Title"]


@pytest.mark.parametrize("kind", KINDS)
def test_only_embedded_liberation_serif(samples: dict[str, Path], kind: str) -> None:
    found = pdf_fonts(samples[kind])
    assert found, "no font at all"
    for name, embedded in found:
        assert "LiberationSerif" in name, name
        assert embedded == "yes", name


@pytest.mark.parametrize("kind", KINDS)
def test_text_stays_inside_the_margins(samples: dict[str, Path], kind: str) -> None:
    """Left 30 mm, right 15 mm, top and bottom 20 mm; only the page number is in the top
    margin, centred over the text block, from page 2 on."""
    all_words = pdf_words(samples[kind])
    pages = max(w.page for w in all_words)
    assert pages >= 2
    tolerance = 0.6  # points: glyph side bearings
    for page in range(1, pages + 1):
        on_page = [w for w in all_words if w.page == page]
        in_top_margin = [w for w in on_page if w.y0 < 20 * MM - tolerance]
        body = [w for w in on_page if w not in in_top_margin]
        assert min(w.x0 for w in body) >= 30 * MM - tolerance
        assert max(w.x1 for w in body) <= (210 - 15) * MM + tolerance
        assert max(w.y1 for w in body) <= (297 - 20) * MM + tolerance
        if page == 1:
            assert in_top_margin == []
        else:
            assert [w.text for w in in_top_margin] == [str(page)]
            number = in_top_margin[0]
            centre = (number.x0 + number.x1) / 2
            assert abs(centre - (30 + (210 - 45) / 2) * MM) < 2


@pytest.mark.parametrize("kind", KINDS)
def test_official_heading(samples: dict[str, Path], kind: str) -> None:
    first = pdf_text(samples[kind], 1, 1)
    if kind == "tasks":  # an appendix of the report: no heading of its own
        _, today = sd.sample_tasks()
        assert first.startswith("Phụ lục DANH SÁCH NHIỆM VỤ")
        assert "(Kèm theo Báo cáo số ……/BC-UBND ngày" in first
        assert "của Ủy ban nhân dân phường Điện Bàn)" in first
        assert f"đến ngày {today:%d/%m/%Y}" in first
        return
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "ngày 21 tháng 11 năm 2026" in first
    if kind in ("ranking", "appraisal"):
        assert first.startswith("UBND THÀNH PHỐ ĐÀ NẴNG SỞ NỘI VỤ")
    else:
        assert "ỦY BAN NHÂN DÂN PHƯỜNG ĐIỆN BÀN" in first
        assert "UBND" not in first.split("CỘNG HÒA")[0]


def test_report_totals_and_items(samples: dict[str, Path], framework: Framework) -> None:
    answers = sd.sample_answers(framework)
    totals = rollup(framework, answers)
    text = pdf_text(samples["report"])
    assert "BÁO CÁO Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2026" in text
    assert f"Tổng điểm tự đánh giá: {format_number(totals.total_score)}/" in text
    assert f"đạt {format_number(totals.index_percent)}%" in text
    for leaf in list(framework.leaves())[:20]:
        assert " ".join(leaf.title.split()) in text, leaf.title
    some = next(a for a in answers.values() if a.evidence)
    assert some.evidence[0].sha256[:12] in text
    # the checklist of open problems is a working tool, never the report's text
    for problem in totals.problems:
        assert problem.message not in text
    assert "Trần Văn Đức" in text and "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text
    assert "Ủy ban nhân dân phường Điện Bàn báo cáo kết quả tự đánh giá" in text


def test_report_area_summary_numbers(samples: dict[str, Path], framework: Framework) -> None:
    answers = sd.sample_answers(framework)
    totals = rollup(framework, answers)
    lines = pdf_layout_text(samples["report"]).splitlines()
    total_line = next(line for line in lines if line.strip().startswith("Tổng cộng"))
    assert total_line.split()[2:] == [
        format_number(totals.total_max),
        format_number(totals.assessable_max),
        format_number(totals.total_score),
        format_number(totals.index_percent),
    ]


def test_report_stamp_is_printed_and_in_the_qr_code(samples: dict[str, Path]) -> None:
    stamp = sd.sample_stamp()
    text = pdf_text(samples["report"])
    assert group_hash(stamp.bundle_sha256) in text
    assert stamp.key_fingerprint in text
    tool("zbarimg")
    pages = next(
        page
        for page in range(1, int(pdf_info(samples["report"])["Pages"]) + 1)
        if "XÁC THỰC BẢN ĐIỆN TỬ" in pdf_text(samples["report"], page, page)
    )
    png = samples["report"].with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-f", str(pages), "-l", str(pages), "-singlefile",
         str(samples["report"]), str(png)],
        check=True,
    )  # fmt: skip
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", f"{png}.png"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == stamp_payload(stamp)


def test_detail_table_header_repeats_on_the_next_pages(samples: dict[str, Path]) -> None:
    header = "Tiêu chí, giải trình và tài liệu kiểm chứng"
    first = next(
        page
        for page in range(1, 20)
        if "CHẤM ĐIỂM CHI TIẾT" in pdf_text(samples["report"], page, page)
    )
    assert header in pdf_text(samples["report"], first + 1, first + 1)
    assert header in pdf_text(samples["report"], first + 2, first + 2)
    form_header = "Tiêu chí và hướng dẫn chấm điểm"
    assert form_header in pdf_text(samples["blank-form"], 2, 2)


def test_blank_form_lists_every_item_with_guidance(
    samples: dict[str, Path], framework: Framework
) -> None:
    text = pdf_text(samples["blank-form"])
    for leaf in framework.leaves():
        assert " ".join(leaf.title.split()) in text, leaf.code
    assert f"{format_number(framework.total_points)}" in text
    with_evidence = [c for c in framework.leaves() if c.guidance.requirement]
    if with_evidence:
        assert " ".join(with_evidence[0].guidance.requirement.split()) in text
    assert "NGƯỜI ĐIỀN PHIẾU" in text


def test_tasks_overdue_rows_are_flagged(samples: dict[str, Path]) -> None:
    plan, today = sd.sample_tasks()
    groups = {t.parent_code for t in plan.tasks}
    overdue = [t for t in plan.tasks if t.code not in groups and t.is_overdue(today)]
    assert overdue, "the sample must show an overdue task"
    text = pdf_text(samples["tasks"])
    assert text.count("Quá hạn") == len(overdue)
    assert f"quá hạn: {len(overdue)}" in text
    late = (today - overdue[0].due_date).days if overdue[0].due_date else -1
    assert re.search(rf"Quá hạn {late}\b", text)  # "ngày" may wrap to the next line
    assert f"đến ngày {today:%d/%m/%Y}" in text


def test_ranking_lists_every_unit_in_rank_order(
    samples: dict[str, Path], framework: Framework
) -> None:
    report = sd.sample_ranking(framework)
    lines = pdf_layout_text(samples["ranking"]).splitlines()
    found: list[int] = []
    for r in report.rows:
        figures = (
            f"{format_number(r.total)} {format_number(r.assessable_max)} "
            f"{format_number(r.index_percent)} {r.rating}"
        )
        matches = [
            n
            for n, line in enumerate(lines)
            if line.split()[:1] == [str(r.rank)] and " ".join(line.split()).endswith(figures)
        ]
        assert len(matches) == 1, (r.rank, r.unit_name)
        near = " ".join(" ".join(lines[matches[0] - 1 : matches[0] + 2]).split())
        assert " ".join(r.unit_name.split()[:3]) in near
        found.append(matches[0])
    assert found == sorted(found)


def test_appraisal_shows_differences(samples: dict[str, Path], framework: Framework) -> None:
    report = sd.sample_appraisal(framework, sd.sample_answers(framework))
    text = pdf_text(samples["appraisal"])
    assert f"tổng điểm thẩm định: {format_number(report.appraised_total)}" in text
    lowered = next(
        line
        for line in report.lines
        if line.appraised_score is not None and line.appraised_score < (line.self_score or 0)
    )
    assert " ".join(lowered.comment.split()) in text
    delta = (lowered.appraised_score or 0) - (lowered.self_score or 0)
    assert format_number(delta) in text


def test_synthetic_150_item_report(tmp_path: Path) -> None:
    """The fallback framework is as large as a real one and prints the same way."""
    fw = sd.synthetic_framework()
    assert len(list(fw.leaves())) >= 150
    answers = sd.sample_answers(fw)
    out = tmp_path / "big.pdf"
    render_report(fw, answers, sd.sample_header(), sd.sample_signature(), out, UNIT, "Năm 2026")
    text = pdf_text(out)
    assert f"Tổng điểm tự đánh giá: {format_number(rollup(fw, answers).total_score)}/" in text
    assert "XÁC THỰC" not in text  # no stamp: not a submitted revision
    assert text.startswith("DỰ THẢO")
    last_leaf = list(fw.leaves())[-1]
    assert " ".join(last_leaf.title.split()) in text


def _long_text(chars: int) -> str:
    sentence = (
        "Ủy ban nhân dân xã đã triển khai kế hoạch cải cách hành chính, công khai thủ tục "
        "trên Trang thông tin điện tử, tiếp nhận và giải quyết hồ sơ đúng hạn; "
    )
    vocabulary = sentence.split()
    out: list[str] = []
    n = 0
    while sum(len(w) + 1 for w in out) < chars:
        out.append(vocabulary[n % len(vocabulary)])
        n += 1
    return " ".join(out) + " KẾT-THÚC-GIẢI-TRÌNH"


@pytest.mark.parametrize("chars", [2000, 9000])
def test_long_explanation_wraps_inside_its_cell(
    tmp_path: Path, framework: Framework, chars: int
) -> None:
    """2 000 characters wrap in the cell; 9 000 (taller than a page) continue on the next."""
    answers = dict(sd.sample_answers(framework))
    leaf = next(iter(answers))
    long = _long_text(chars)
    answers[leaf] = type(answers[leaf])(
        code=leaf, self_score=0.0, explanation=long, evidence=answers[leaf].evidence
    )
    out = tmp_path / "long.pdf"
    render_report(framework, answers, sd.sample_header(), sd.sample_signature(), out, UNIT, "2026")
    text = pdf_text(out)
    assert " ".join(long.split()[-12:]) in text  # nothing cut off
    body = [w for w in pdf_words(out) if w.y0 >= 20 * MM]
    assert max(w.x1 for w in body) <= (210 - 15) * MM + 0.6
    assert max(w.y1 for w in body) <= (297 - 20) * MM + 0.6
    detail_col = [w for w in pdf_words(out) if html.unescape(w.text) == "KẾT-THÚC-GIẢI-TRÌNH"]
    assert len(detail_col) == 1


def test_user_text_with_markup_characters(tmp_path: Path) -> None:
    """A title with < & > is text, not markup: it prints as typed."""
    fw = sd.synthetic_framework((1, 1, 1, 1, 1))
    first = next(fw.leaves())
    odd = "Tỷ lệ hồ sơ <đúng hạn> & “trễ hạn”"
    criteria = tuple(
        type(c)(c.code, odd, c.max_points, c.parent_code, c.order, c.rule, c.guidance)
        if c.code == first.code
        else c
        for c in fw.criteria
    )
    fw2 = Framework(id=fw.id, name=fw.name, criteria=criteria)
    out = tmp_path / "form.pdf"
    render_blank_form(fw2, sd.sample_header(), out)
    assert odd in pdf_text(out)


def test_writes_are_atomic(tmp_path: Path, framework: Framework) -> None:
    out = tmp_path / "tasks.pdf"
    out.write_bytes(b"old")
    plan, today = sd.sample_tasks()
    render_tasks(plan, sd.sample_header(), out, today)
    assert out.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tasks.pdf"]


def test_unwritable_destination_is_a_vietnamese_error(tmp_path: Path) -> None:
    from parapp.models.errors import ParAppError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    report = sd.sample_ranking(sd.synthetic_framework((1, 1, 1, 1, 1)), units=3)
    with pytest.raises(ParAppError) as err:
        render_ranking(
            report, sd.sample_office_header(), sd.sample_office_signature(), blocker / "r.pdf"
        )
    assert "r.pdf" in str(err.value) or "file" in str(err.value)


def test_ranking_of_200_units_repeats_its_header(tmp_path: Path, framework: Framework) -> None:
    report = sd.sample_ranking(framework, units=200)
    out = tmp_path / "ranking.pdf"
    render_ranking(report, sd.sample_office_header(), sd.sample_office_signature(), out)
    pages = int(pdf_info(out)["Pages"])
    assert pages >= 4
    for page in range(2, pages):
        assert "Điểm theo lĩnh vực" in pdf_text(out, page, page)
    assert report.rows[-1].unit_name in pdf_text(out)


def test_appraisal_of_a_unit_without_scores(tmp_path: Path) -> None:
    from parapp.models.print_data import AppraisalLine, AppraisalReport

    report = AppraisalReport(
        unit_name="UBND phường Hội An Tây",
        unit_code="P01",
        period="Năm 2026",
        framework_name="Bộ chỉ số CCHC cấp xã",
        lines=(AppraisalLine("1.1", "Ban hành kế hoạch", 1.5, None, None, ""),),
        self_total=0.0,
        appraised_total=0.0,
    )
    out = tmp_path / "a.pdf"
    render_appraisal(report, sd.sample_office_header(), sd.sample_office_signature(), out)
    assert "của UBND phường Hội An Tây" in pdf_text(out)


def test_tasks_of_a_past_plan_are_not_overdue(tmp_path: Path) -> None:
    """A plan printed long after its period shows its unfinished tasks as history."""
    plan, _ = sd.sample_tasks()
    later = plan.closes_on + datetime.timedelta(days=400)
    out = tmp_path / "tasks.pdf"
    render_tasks(plan, sd.sample_header(), out, later)
    text = pdf_text(out)
    assert "Quá hạn" not in text and "quá hạn:" not in text
    unfinished = [t for t in plan.tasks if plan.lapsed(t, later)]
    groups = {t.parent_code for t in plan.tasks}
    assert text.count("Hết kỳ kế") == len(  # "hoạch" may wrap far away in the text flow
        [t for t in unfinished if t.code not in groups]
    )
    assert f"kế hoạch đã hết kỳ ({plan.period_end:%d/%m/%Y})" in text


def test_blank_form_prints_the_province_labels(tmp_path: Path) -> None:
    from parapp.interchange.excel_framework import read_framework_xlsx
    from tests.interchange.province_sheets import build_relative_with_totals

    fw = read_framework_xlsx(build_relative_with_totals(tmp_path / "tuong doi.xlsx"))
    out = tmp_path / "form.pdf"
    render_blank_form(fw, sd.sample_header(), out)
    text = pdf_text(out)
    assert "2.1. Tỷ lệ hồ sơ giải quyết đúng hạn" in text
    assert "II.2.1" not in text


@pytest.mark.parametrize(
    ("kind", "approver"),
    [
        ("report", sd.sample_signature().approver),
        ("blank-form", ""),  # signed by hand: titles only, no names
        ("ranking", sd.sample_office_signature().approver),
        ("appraisal", sd.sample_office_signature().approver),
    ],
)
def test_signing_room_is_recorded_under_the_approver_title(
    samples: dict[str, Path], kind: str, approver: str
) -> None:
    """The named destination a digital signature is placed by: on the signature block's page,
    right of centre, right under the signer's title lines and above the approver's name."""
    with samples[kind].open("rb") as fh:
        reader = PdfFileReader(fh)
        room = find_signature_room(reader)
        assert room is not None
        page_index, (left, bottom, right, top) = room
        height = float(
            reader.find_page_for_modification(page_index)[0].get_object()["/MediaBox"][3]
        )
    words = pdf_words(samples[kind])
    on_page = [w for w in words if w.page == page_index + 1]
    # poppler measures from the top: a word's bottom in PDF points is height - y1
    title = [w for w in on_page if height - w.y1 >= top - 1 and left - 1 <= w.x0 <= right]
    assert title, "no signer's title above the signing room"
    gap = min(height - w.y1 - top for w in title)
    assert gap < 15 * MM and top - bottom > 50  # right under the title, room to sign
    if approver:
        last_word = approver.split()[-1]
        name = [w for w in words if w.page == page_index + 1 and w.text == last_word]
        assert name and height - name[-1].y0 <= bottom + 1  # the name is under the room
        assert left < name[-1].x0 < right


def test_signature_area_reports_where_the_signing_space_landed(
    tmp_path: Path, framework: Framework
) -> None:
    """A later step places a visible digital signature there: the blank space between the
    signer's title and name, found again with poppler's word boxes."""
    from reportlab.platypus import KeepTogether

    from parapp.interchange.pdf.layout import DocumentInfo, SignatureArea, write_pdf
    from parapp.interchange.pdf.report import report_story

    story = report_story(
        framework, sd.sample_answers(framework), sd.sample_header(), sd.sample_signature(),
        "Phường Điện Bàn", "Năm 2026",
    )  # fmt: skip
    area = next(
        f
        for block in story
        if isinstance(block, KeepTogether)
        for f in block._content
        if isinstance(f, SignatureArea)
    )
    out = tmp_path / "r.pdf"
    write_pdf(out, story, DocumentInfo("t", "a"))
    assert area.sign_box is not None
    page, x, y, width, height = area.sign_box
    words = pdf_words(out)
    title = next(w for w in words if w.page == page and w.text == "CHỦ" and w.x0 > x)
    name = next(w for w in words if w.page == page and w.text == "Trần")
    top_pt = 297 * MM - (y + height)  # the box in poppler's top-down coordinates
    bottom_pt = 297 * MM - y
    assert title.y1 <= top_pt + 1 and name.y0 >= bottom_pt - 1
    assert height >= 25 * MM and width > 80 * MM


def _only_signature_pages(pdf: Path) -> list[int]:
    """Pages whose body holds nothing above the "Nơi nhận" / signer titles."""
    words = pdf_words(pdf)
    bad = []
    for n, w in enumerate(words):
        if w.text == "Nơi" and n + 1 < len(words) and words[n + 1].text == "nhận:":
            above = [x for x in words if x.page == w.page and 20 * MM < x.y1 < w.y0 - 1]
            if len(above) < 5:
                bad.append(w.page)
    return bad


@pytest.mark.parametrize("items", [6, 14, 22, 30, 38, 46, 54, 62])
def test_appraisal_signature_never_alone(tmp_path: Path, framework: Framework, items: int) -> None:
    """Appraisals of growing length put the table's end at every height of a page."""
    from dataclasses import replace

    report = sd.sample_appraisal(framework, sd.sample_answers(framework))
    report = replace(report, lines=report.lines[:items])
    out = tmp_path / "a.pdf"
    render_appraisal(report, sd.sample_office_header(), sd.sample_office_signature(), out)
    assert "Nơi nhận:" in pdf_text(out)
    assert _only_signature_pages(out) == []


@pytest.mark.parametrize("units", [10, 22, 30, 38, 50])
def test_ranking_signature_never_alone(tmp_path: Path, framework: Framework, units: int) -> None:
    out = tmp_path / "r.pdf"
    report = sd.sample_ranking(framework, units=units)
    render_ranking(report, sd.sample_office_header(), sd.sample_office_signature(), out)
    assert _only_signature_pages(out) == []
