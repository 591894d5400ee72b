"""The consolidated ranking of a receiving office: every unit's scores by area, index, rank.

This is the page the Home Affairs office attaches to its report upward and publishes; the
area columns carry Roman numerals with their maximum, and a legend under the table names
the areas, so the table keeps one line per unit on a portrait A4 page.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from parapp.interchange.pdf.docx_story import write_document
from parapp.interchange.pdf.layout import (
    FRAME_WIDTH,
    DocumentInfo,
    Styles,
    display_code,
    grid_table,
    make_styles,
    markup,
    num,
    official_header,
    para,
    rich,
    signature_block,
    title_block,
)
from parapp.models.document_forms import period_words
from parapp.models.print_data import DocumentHeader, RankingReport, SignatureBlock
from parapp.models.text import nfc


def render_ranking(
    report: RankingReport, header: DocumentHeader, signature: SignatureBlock, out: Path
) -> None:
    """Write the ranking ``report`` (rows already ranked by the service) to ``out``."""
    styles = make_styles()
    story: list[Flowable] = []
    story += official_header(header, styles, doc_type="BC")
    title = nfc(report.title)
    story += title_block(
        ["BÁO CÁO", f"{title[:1].upper()}{title[1:]} {period_words(report.period)}"], styles
    )
    story.append(_summary(report, styles))
    story.append(Spacer(1, 2 * mm))
    story.append(_ranking_table(report, styles))
    warnings = _warnings(report, styles)
    if warnings is not None:
        story.append(warnings)
    story.append(signature_block(signature, styles, keep_with=_legend(report, styles)))
    info = DocumentInfo(
        title=f"{nfc(report.title)} - {nfc(report.period)}",
        author=" ".join(nfc(header.issuer).split()),
        subject=nfc(report.title),
    )
    write_document(out, story, info)


def _summary(report: RankingReport, styles: Styles) -> Flowable:
    ratings = Counter(r.rating for r in report.rows)
    parts = [f"{markup(rating)}: {n}" for rating, n in ratings.items() if nfc(rating)]
    text = f"Tổng số {len(report.rows)} đơn vị được xếp hạng"
    if parts:
        text += " (" + "; ".join(parts) + ")"
    if report.missing_units:
        text += f"; {len(report.missing_units)} đơn vị chưa nộp hồ sơ"
    return rich(text + ".", styles.body)


def _ranking_table(report: RankingReport, styles: Styles) -> Flowable:
    n_areas = len(report.area_titles)
    with_previous = bool(nfc(report.previous_period))
    # Fixed columns first, the unit name takes what is left (at least 30 mm).
    rank_w, total_w, max_w, index_w, rating_w = 9 * mm, 12 * mm, 12 * mm, 12 * mm, 17 * mm
    prev_w = 11 * mm if with_previous else 0.0
    fixed = rank_w + total_w + max_w + index_w + rating_w + prev_w
    area_w = min(12 * mm, (FRAME_WIDTH - fixed - 28 * mm) / max(n_areas, 1))
    name_w = FRAME_WIDTH - fixed - area_w * n_areas
    small = styles.cell_center.clone("rank_cell", fontSize=9.5, leading=11.2)
    tiny = styles.cell_center.clone("rank_area_cell", fontSize=8.5, leading=10)
    small_left = styles.cell.clone("rank_name", fontSize=9.5, leading=11.2)
    small_head = styles.head.clone("rank_head", fontSize=9, leading=10.5)
    area_head = styles.head.clone("rank_area", fontSize=8.5, leading=10)

    tail_heads = ["Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Xếp loại"]
    if with_previous:
        tail_heads.append("Hạng kỳ trước")
    head0: list[Any] = [para("Hạng", small_head), para("Đơn vị", small_head)]
    head0 += [para("Điểm theo lĩnh vực", small_head)] + [""] * (n_areas - 1)
    head0 += [para(h, small_head) for h in tail_heads]
    head1: list[Any] = ["", ""]
    for i, mx in enumerate(report.area_max, start=1):
        head1.append(rich(f"{display_code(str(i))}<br/>({num(mx)})", area_head))
    head1 += [""] * len(tail_heads)
    rows: list[list[Any]] = [head0, head1]
    for r in report.rows:
        row: list[Any] = [para(str(r.rank), small), para(r.unit_name, small_left)]
        row += [para(num(s), tiny) for s in r.area_scores]
        mark = "*" if r.provisional else ""
        row += [para(num(r.total) + mark, small), para(num(r.assessable_max), small)]
        row += [para(num(r.index_percent), small), para(r.rating, small)]
        if with_previous:
            row.append(para(str(r.previous_rank) if r.previous_rank else "—", small))
        rows.append(row)
    for _code, name in report.not_submitted:
        row = [para("—", small), para(name, small_left)]
        row += [""] * n_areas + ["", ""]
        row.append(para(NOT_SUBMITTED, small))
        rows.append(row)
    first_area, last_area = 2, 1 + n_areas
    extra: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("VALIGN", (0, 2), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for k in range(len(tail_heads)):
        extra.append(("SPAN", (last_area + 1 + k, 0), (last_area + 1 + k, 1)))
    for name in report.missing_units:
        n = len(rows)
        rows.append(
            [para("—", small), para(name, small_left), para("Chưa nộp", small)]
            + [""] * (n_areas + len(tail_heads) - 1)
        )
        extra.append(("SPAN", (2, n), (-1, n)))
    if n_areas > 1:
        extra.append(("SPAN", (first_area, 0), (last_area, 0)))
    widths = [rank_w, name_w] + [area_w] * n_areas + [total_w, max_w, index_w, rating_w]
    if with_previous:
        widths.append(prev_w)
    return grid_table(rows, widths, header_rows=2, extra=extra)


NOT_SUBMITTED = "Chưa nộp"


def _warnings(report: RankingReport, styles: Styles) -> Flowable | None:
    """Units ranked provisionally or with self scores to check, listed under the table."""
    lines = [
        f"{markup(r.unit_name)}: " + "; ".join(markup(n) for n in r.notes)
        for r in report.rows
        if r.notes
    ]
    if not lines:
        return None
    return rich("<i>Lưu ý:</i> " + " — ".join(lines) + ".", styles.note)


def _legend(report: RankingReport, styles: Styles) -> list[Flowable]:
    items = [
        f"{display_code(str(i))} – {markup(title)} (tối đa {num(mx)} điểm)"
        for i, (title, mx) in enumerate(zip(report.area_titles, report.area_max, strict=False), 1)
    ]
    out = [rich("<i>Ghi chú:</i> " + "; ".join(items) + ".", styles.note)]
    out.append(
        para(
            "Điểm tối đa của từng đơn vị là tổng điểm các tiêu chí được đánh giá của đơn vị đó; "
            "chỉ số (%) bằng tổng điểm chia điểm tối đa.",
            styles.note,
        )
    )
    if any(r.provisional for r in report.rows):
        out.append(
            para(
                "(*) Tạm tính: còn tiêu chí chưa thẩm định, điểm tự chấm được tính thay.",
                styles.note,
            )
        )
    if nfc(report.previous_period):
        out.append(para(f"Hạng kỳ trước: {report.previous_period}.", styles.note))
    return out
