"""The filled self-assessment report that the commune chairman signs and sends up.

It repeats what the electronic bundle holds in a form a council reads on paper: the totals
by area, every item with its value, score, explanation and evidence, the problems still open
and, for a submitted revision, the bundle hash and key fingerprint (also as a QR code), so the
signed paper copy can be matched to exactly one electronic bundle.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from parapp.interchange.pdf.docx_story import write_document
from parapp.interchange.pdf.layout import (
    ALERT_HEX,
    FONT,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GRID_COLOR,
    GROUP_FILL,
    DocumentInfo,
    Styles,
    appendix_heading,
    criterion_label,
    draft_mark,
    format_date,
    grid_table,
    group_hash,
    index_name,
    keep_with_next,
    make_styles,
    markup,
    num,
    official_header,
    para,
    rich,
    row_height,
    signature_block,
    title_block,
)
from parapp.models.assessment import Answer
from parapp.models.document_forms import local_time_words, period_words
from parapp.models.framework import Criterion, Framework
from parapp.models.narrative import draft_narrative
from parapp.models.print_data import DocumentHeader, Narrative, SignatureBlock, SubmissionStamp
from parapp.models.rollup import Rollup, rollup
from parapp.models.scoring import RuleKind
from parapp.models.text import nfc

_SHORT_HASH = 12


def render_report(
    fw: Framework,
    answers: dict[str, Answer],
    header: DocumentHeader,
    signature: SignatureBlock,
    out: Path,
    unit_name: str,
    period: str,
    stamp: SubmissionStamp | None = None,
    today: datetime.date | None = None,
    narrative: Narrative | None = None,
) -> None:
    """Write the self-assessment report of ``unit_name`` for ``period`` to ``out``."""
    write_document(
        out,
        report_story(fw, answers, header, signature, unit_name, period, stamp, today, narrative),
        report_info(fw, header, unit_name, period),
    )


def report_info(fw: Framework, header: DocumentHeader, unit_name: str, period: str) -> DocumentInfo:
    subject = f"{index_name(fw.index_kind).lower()} {period_words(period)}"
    return DocumentInfo(
        title=f"Báo cáo kết quả tự đánh giá, chấm điểm {subject} - {nfc(unit_name)}",
        author=" ".join(nfc(header.issuer).split()),
        subject=nfc(fw.name),
    )


def report_story(
    fw: Framework,
    answers: dict[str, Answer],
    header: DocumentHeader,
    signature: SignatureBlock,
    unit_name: str,
    period: str,
    stamp: SubmissionStamp | None = None,
    today: datetime.date | None = None,
    narrative: Narrative | None = None,
) -> list[Flowable]:
    """The report as Decree 30 lays out a báo cáo: heading, "BÁO CÁO" and its subject in
    bold lower case, the officer's text by section with the totals, the seal of the
    submitted revision (or "DỰ THẢO" when the data no longer matches one), Nơi nhận and
    signature; the item-by-item table follows as an appendix.

    Totals come from :func:`parapp.models.rollup.rollup`, so the paper shows the same
    figures as the screen; the checklist of open problems is not printed.
    """
    styles = make_styles()
    totals = rollup(fw, answers)
    body_name = nfc(header.body_name) or nfc(unit_name)
    text = narrative or draft_narrative(fw, answers, body_name, period)
    subject = f"{index_name(fw.index_kind).lower()} {period_words(period)}".strip()
    trich_yeu = f"Kết quả tự đánh giá, chấm điểm {subject[:1].upper()}{subject[1:]}"
    story: list[Flowable] = []
    if stamp is None:
        story.append(draft_mark(styles))
    story += official_header(header, styles, doc_type="BC")
    story += title_block(["BÁO CÁO", trich_yeu], styles)
    story += _introduction(fw, styles, body_name, period, text.basis)
    story.append(para("I. KẾT QUẢ TỰ ĐÁNH GIÁ CHUNG", styles.heading))
    story += section_text(text.general, styles)
    story += _summary_section(fw, totals, styles)
    story.append(para("II. KẾT QUẢ TỰ ĐÁNH GIÁ THEO TỪNG LĨNH VỰC", styles.heading))
    story += section_text(text.results, styles)
    story.append(para("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", styles.heading))
    story.append(para("1. Tồn tại, hạn chế", styles.body_heading))
    story += section_text(text.shortcomings, styles)
    story.append(para("2. Nguyên nhân", styles.body_heading))
    story += section_text(text.causes, styles)
    story.append(para("IV. GIẢI PHÁP KHẮC PHỤC", styles.heading))
    story += section_text(text.solutions, styles)
    # The last paragraphs (with their heading when short, and the seal) move with the
    # signature, so a signature never stands alone on a page.
    closing = [para("V. KIẾN NGHỊ, ĐỀ XUẤT", styles.heading)]
    closing += section_text(text.recommendations, styles)
    if len(closing) > 4:
        story += closing[:-2]
        closing = closing[-2:]
    if stamp is not None:
        closing += _stamp_section(stamp, styles, today)
    story.append(signature_block(signature, styles, keep_with=closing))
    story.append(PageBreak())
    story += appendix_heading(
        "Phụ lục",
        "KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHI TIẾT",
        header,
        "Báo cáo",
        styles,
    )
    story += _detail_section(fw, answers, totals, styles)
    return story


def section_text(text: str, styles: Styles) -> list[Flowable]:
    """The officer's text: one paragraph per line, blank lines dropped."""
    lines = [line.strip() for line in nfc(text).splitlines() if line.strip()]
    return [para(line, styles.body) for line in lines] or [para("", styles.body)]


def _introduction(
    fw: Framework, styles: Styles, body_name: str, period: str, basis: str
) -> list[Flowable]:
    """The "Căn cứ …" lines the officer wrote (the province's decision and plan of the
    year), else the framework's own name and decision."""
    out: list[Flowable] = []
    if not nfc(basis).strip():
        basis = f"Căn cứ {nfc(fw.name)}" + (f" ({nfc(fw.decision)})" if nfc(fw.decision) else "")
        basis += ";"
    out += section_text(basis, styles)
    out.append(
        para(
            f"{body_name} báo cáo kết quả tự đánh giá, chấm điểm "
            f"{index_name(fw.index_kind).lower()} {period_words(period)} như sau:",
            styles.body,
        )
    )
    return out


def _summary_section(fw: Framework, totals: Rollup, styles: Styles) -> list[Flowable]:
    survey_points = round(totals.total_max - totals.assessable_max, 4)
    text = (
        f"Tổng điểm tự đánh giá: <b>{num(totals.total_score)}</b>/"
        f"{num(totals.assessable_max)} điểm tối đa được tự đánh giá, đạt "
        f"<b>{num(totals.index_percent)}%</b>"
    )
    if survey_points > 0:
        text += (
            f" (tổng điểm tối đa của bộ chỉ số {num(totals.total_max)} điểm, trong đó "
            f"{num(survey_points)} điểm đánh giá qua điều tra xã hội học)"
        )
    text += (
        f". Đã tự chấm {totals.done}/{totals.leaves} tiêu chí thành phần "
        f"({num(totals.progress_percent)}%)."
    )
    head = [
        para(h, styles.head)
        for h in (
            "STT",
            "Lĩnh vực",
            "Điểm tối đa",
            "Điểm tối đa tự đánh giá",
            "Điểm tự đánh giá",
            "Chỉ số (%)",
        )
    ]
    rows: list[list[Any]] = [head]
    for area in fw.areas:
        node = totals.nodes[area.code]
        index = node.self_score * 100 / node.assessable_max if node.assessable_max else None
        rows.append(
            [
                para(criterion_label(area), styles.cell_center),
                para(area.title, styles.cell),
                para(num(node.max_points), styles.cell_center),
                para(num(node.assessable_max), styles.cell_center),
                para(num(node.self_score), styles.cell_center),
                para(num(index) if index is not None else "—", styles.cell_center),
            ]
        )
    rows.append(
        [
            para("Tổng cộng", styles.cell_center_bold),
            "",
            para(num(totals.total_max), styles.cell_center_bold),
            para(num(totals.assessable_max), styles.cell_center_bold),
            para(num(totals.total_score), styles.cell_center_bold),
            para(num(totals.index_percent), styles.cell_center_bold),
        ]
    )
    widths = [12 * mm, 0.0, 18 * mm, 22 * mm, 20 * mm, 17 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    table = grid_table(rows, widths, extra=[("SPAN", (0, -1), (1, -1))])
    return [
        rich(text, styles.body),
        Spacer(1, 2 * mm),
        table,
    ]


def value_text(c: Criterion, answer: Answer | None) -> str:
    """The measured value as an officer reads it: "85%" with its figures, "Có"/"Không"."""
    if answer is None:
        return ""
    if c.rule.kind is RuleKind.YES_NO:
        return "" if answer.value is None else ("Có" if answer.value else "Không")
    if answer.not_applicable:
        return "Không áp dụng"
    unit = c.rule.measure if c.rule.measure in ("", "%") else f" {c.rule.measure}"
    text = "" if answer.value is None else f"{num(answer.value)}{unit}"
    if answer.numerator is not None and answer.denominator is not None:
        text += f"\n({num(answer.numerator)}/{num(answer.denominator)})"
    return text.strip()


def _item_cell(c: Criterion, answer: Answer | None, styles: Styles) -> list[Flowable]:
    """Title, explanation and the evidence list of one item, stacked in one cell."""
    cell: list[Flowable] = [para(c.title, styles.cell)]
    if answer is not None and nfc(answer.explanation):
        cell.append(rich(f"<i>Giải trình:</i> {markup(answer.explanation)}", styles.cell))
    if answer is not None and answer.evidence:
        cell.append(rich("<i>Tài liệu kiểm chứng:</i>", styles.cell))
        for n, ev in enumerate(answer.evidence, start=1):
            ref = f" ({markup(ev.ref)})" if nfc(ev.ref) else ""
            cell.append(
                rich(
                    f"{n}. {markup(ev.file_name)}{ref}"
                    f" <font size='8.5'>[{ev.sha256[:_SHORT_HASH]}]</font>",
                    styles.cell_small,
                )
            )
    return cell


def _detail_section(
    fw: Framework, answers: dict[str, Answer], totals: Rollup, styles: Styles
) -> list[Flowable]:
    head = [
        para(h, styles.head)
        for h in (
            "Mã",
            "Tiêu chí, giải trình và tài liệu kiểm chứng",
            "Điểm tối đa",
            "Giá trị đo",
            "Điểm tự chấm",
        )
    ]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    groups: list[int] = []
    for c in fw.criteria:
        node = totals.nodes.get(c.code)
        if not fw.is_leaf(c.code):
            row = len(rows)
            style = styles.cell_bold
            rows.append(
                [
                    para(criterion_label(c), styles.cell_center_bold),
                    para(c.title, style),
                    para(num(c.max_points), styles.cell_center_bold),
                    "",
                    para(num(node.self_score) if node else "", styles.cell_center_bold),
                ]
            )
            groups.append(row)
            if c.parent_code is None:
                extra.append(("BACKGROUND", (0, row), (-1, row), GROUP_FILL))
            continue
        answer = answers.get(c.code)
        if c.survey_only:
            score_cell = para("Điều tra XHH", styles.cell_center)
        elif answer is None or answer.self_score is None:
            score_cell = rich(
                f"<font color='{ALERT_HEX}'><i>Chưa chấm</i></font>",
                styles.cell_center,
            )
        else:
            score_cell = para(num(answer.self_score), styles.cell_center)
        rows.append(
            [
                para(criterion_label(c), styles.cell_center),
                _item_cell(c, answer, styles),
                para(num(c.max_points), styles.cell_center),
                para(value_text(c, answer), styles.cell_center),
                score_cell,
            ]
        )
    # The sheet ends on its total, as the province's scoring sheet does (the reader checks
    # the appendix against section I without adding 70 rows by hand).
    rows.append(
        [
            para("Tổng cộng", styles.cell_center_bold),
            "",
            para(num(totals.total_max), styles.cell_center_bold),
            "",
            para(num(totals.total_score), styles.cell_center_bold),
        ]
    )
    extra.append(("SPAN", (0, -1), (1, -1)))
    widths = [16 * mm, 0.0, 16 * mm, 19 * mm, 17 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    if len(rows) > 2 and row_height(rows[-2], widths) < FRAME_HEIGHT / 3:
        extra.append(("NOSPLIT", (0, -2), (-1, -1)))  # the total never alone on a page
    return [
        grid_table(rows, widths, extra=extra + keep_with_next(rows, groups, widths)),
    ]


def qr_drawing(data: str, size: float = 32 * mm) -> Drawing:
    """A QR code as vector graphics (reportlab's own widget: no extra dependency)."""
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.initialFontName = FONT  # else the renderer selects Helvetica, never embedded
    drawing.add(widget)
    return drawing


def stamp_payload(stamp: SubmissionStamp) -> str:
    """What the QR code holds: plain ASCII a phone app shows as text, fields named."""
    return (
        f"PARAPP;rev={stamp.revision};sha256={stamp.bundle_sha256};"
        f"key={stamp.key_fingerprint};at={stamp.frozen_at}"
    )


def _stamp_section(
    stamp: SubmissionStamp, styles: Styles, today: datetime.date | None
) -> list[Flowable]:
    lines: list[Paragraph] = [
        para(
            f"Bản giấy này tương ứng với hồ sơ điện tử nộp lần {stamp.revision}, "
            f"chốt số liệu lúc {local_time_words(stamp.frozen_at)}.",
            styles.cell,
        ),
        rich(f"<b>Mã SHA-256 của hồ sơ:</b> {group_hash(stamp.bundle_sha256)}", styles.cell),
        rich(f"<b>Dấu vân tay khóa ký:</b> {markup(stamp.key_fingerprint)}", styles.cell),
        para(
            "Đối chiếu: mở hồ sơ điện tử bằng ParApp hoặc quét mã QR; mã băm và dấu vân tay "
            "phải trùng khớp với các giá trị trên.",
            styles.cell_small,
        ),
    ]
    if today is not None:
        lines.append(para(f"Ngày in: {format_date(today)}.", styles.cell_small))
    table = Table(
        [[qr_drawing(stamp_payload(stamp)), lines]],
        colWidths=[36 * mm, FRAME_WIDTH - 36 * mm],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10.5),
                ("BOX", (0, 0), (-1, -1), 0.5, GRID_COLOR),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
    )
    return [para("XÁC THỰC BẢN ĐIỆN TỬ", styles.heading), table]
