"""The appraisal of one unit: its self score against the appraised score, item by item.

The appraisal council signs this and sends it back to the unit, so every item whose score
was changed stands out, with the difference and the council's reason next to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from parapp.interchange.pdf.docx_story import write_document
from parapp.interchange.pdf.layout import (
    FRAME_WIDTH,
    GROUP_FILL,
    HEADER_FILL,
    DocumentInfo,
    Styles,
    display_code,
    grid_table,
    make_styles,
    num,
    official_header,
    para,
    rich,
    signature_block,
    title_block,
)
from parapp.models.document_forms import period_words
from parapp.models.print_data import AppraisalLine, AppraisalReport, DocumentHeader, SignatureBlock
from parapp.models.text import nfc


def render_appraisal(
    report: AppraisalReport, header: DocumentHeader, signature: SignatureBlock, out: Path
) -> None:
    """Write the appraisal ``report`` of one unit to ``out``."""
    styles = make_styles()
    story: list[Flowable] = []
    story += official_header(header, styles, doc_type="TB")
    story += title_block(
        [
            "THÔNG BÁO",
            f"Kết quả thẩm định điểm tự đánh giá, chấm điểm {period_words(report.period)} "
            f"của {nfc(report.unit_name)}",
        ],
        styles,
    )
    story.append(para(f"Bộ chỉ số: {report.framework_name}.", styles.body_plain))
    story.append(_summary(report, styles))
    story.append(Spacer(1, 2 * mm))
    story.append(_lines_table(report, styles))
    closing = para(
        f"Đề nghị {nfc(report.unit_name)} rà soát kết quả thẩm định trên; ý kiến khác (nếu có) "
        "gửi về cơ quan thẩm định trong thời hạn quy định.",
        styles.body,
    )
    story.append(signature_block(signature, styles, keep_with=[Spacer(1, 3 * mm), closing]))
    info = DocumentInfo(
        title=f"Kết quả thẩm định - {nfc(report.unit_name)} - {nfc(report.period)}",
        author=" ".join(nfc(header.issuer).split()),
        subject=nfc(report.framework_name),
    )
    write_document(out, story, info)


def difference(line: AppraisalLine) -> float | None:
    """Appraised minus self score; a missing self score counts as 0, no appraisal as none."""
    if line.appraised_score is None:
        return None
    return round(line.appraised_score - (line.self_score or 0.0), 4)


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    return f"+{num(value)}" if value > 0 else num(value)


def _summary(report: AppraisalReport, styles: Styles) -> Flowable:
    own = [line for line in report.lines if not line.survey_only]
    changed = sum(1 for line in own if (difference(line) or 0.0) != 0.0)
    pending = sum(1 for line in own if line.provisional)
    delta = round(report.appraised_total - report.self_total, 4)
    label = "tổng điểm thẩm định (tạm tính)" if report.provisional else "tổng điểm thẩm định"
    text = (
        f"Tổng điểm tự đánh giá: <b>{num(report.self_total)}</b>; {label}: "
        f"<b>{num(report.appraised_total)}</b> (chênh lệch {_signed(delta) or '0'} điểm). "
        f"Số tiêu chí có điều chỉnh điểm: {changed}/{len(own)} tiêu chí được tự đánh giá."
    )
    if pending:
        text += (
            f" <b>Kết quả tạm tính:</b> còn {pending} tiêu chí chưa thẩm định (đánh dấu *), "
            "được tính bằng điểm tự chấm như bảng xếp hạng."
        )
    flagged = sum(1 for line in report.lines if line.flag)
    if flagged:
        text += f" Số tiêu chí cần kiểm tra: {flagged}."
    return rich(text, styles.body)


def _area_of(code: str) -> str:
    return code.split(".")[0]


def _flag(text: str) -> str:
    return f"Cần kiểm tra: {text}" if text else ""


def _lines_table(report: AppraisalReport, styles: Styles) -> Flowable:
    head = [
        para(h, styles.head)
        for h in ("Mã", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định", "Chênh lệch", "Nhận xét")
    ]
    rows: list[list[Any]] = [head]
    extra: list[tuple[Any, ...]] = []
    areas = {code: (title, mx) for code, title, mx in report.areas}
    current = None
    for line in report.lines:
        area = _area_of(line.code)
        if area in areas and area != current:
            current = area
            in_area = [x for x in report.lines if _area_of(x.code) == area]
            own = round(sum(x.self_score or 0.0 for x in in_area if not x.survey_only), 4)
            appraised = round(sum(x.appraised_score or 0.0 for x in in_area), 4)
            title, mx = areas[area]
            n = len(rows)
            rows.append(
                [
                    para(display_code(area), styles.cell_center_bold),
                    para(title, styles.cell_bold),
                    para(num(mx), styles.cell_center_bold),
                    para(num(own), styles.cell_center_bold),
                    para(num(appraised), styles.cell_center_bold),
                    para(_signed(round(appraised - own, 4)), styles.cell_center_bold),
                    "",
                ]
            )
            extra.append(("BACKGROUND", (0, n), (-1, n), HEADER_FILL))
        diff = difference(line)
        changed = diff is not None and diff != 0.0
        score_style = styles.cell_center_bold if changed else styles.cell_center
        if changed:
            extra.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), GROUP_FILL))
        if line.survey_only:
            appraised_cell = para(num(line.appraised_score) or "Điều tra XHH", styles.cell_center)
        elif line.provisional:
            appraised_cell = para("*", styles.cell_center)
        else:
            appraised_cell = para(num(line.appraised_score), score_style)
        rows.append(
            [
                para(line.code, styles.cell_center),
                para(line.title, styles.cell),
                para(num(line.max_points), styles.cell_center),
                para("" if line.survey_only else num(line.self_score), styles.cell_center),
                appraised_cell,
                para(_signed(diff) if changed else "", score_style),
                para("; ".join(x for x in (line.comment, _flag(line.flag)) if x), styles.cell),
            ]
        )
    total_max = sum(line.max_points for line in report.lines)
    delta = round(report.appraised_total - report.self_total, 4)
    rows.append(
        [
            para("Tổng cộng", styles.cell_center_bold),
            "",
            para(num(total_max), styles.cell_center_bold),
            para(num(report.self_total), styles.cell_center_bold),
            para(num(report.appraised_total), styles.cell_center_bold),
            para(_signed(delta), styles.cell_center_bold),
            "",
        ]
    )
    extra.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    widths = [15 * mm, 0.0, 14 * mm, 14 * mm, 16 * mm, 16 * mm, 38 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    return grid_table(rows, widths, extra=extra)
