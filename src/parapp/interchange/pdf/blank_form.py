"""The blank self-assessment form, for filling on paper.

Many communes collect the figures on paper first (meetings, the leader's own notes) and
type them in later; the form lists every item with what it requires, the evidence to
attach and how it is scored, and leaves room to write the value, the score and the reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from parapp.interchange.pdf.docx_story import write_document
from parapp.interchange.pdf.layout import (
    FRAME_WIDTH,
    GROUP_FILL,
    DocumentInfo,
    Styles,
    criterion_label,
    grid_table,
    keep_with_next,
    make_styles,
    markup,
    num,
    official_header,
    para,
    rich,
    signature_block,
    title_block,
)
from parapp.models.framework import Criterion, Framework
from parapp.models.print_data import DocumentHeader, SignatureBlock
from parapp.models.scoring import Band, RuleKind, describe_band, describe_rule
from parapp.models.text import nfc

#: Room left for handwriting in an item's row: four written lines.
WRITING_HEIGHT = 30 * mm
WRITING_LINES = 4
_DOTS = "." * 70


def render_blank_form(
    fw: Framework,
    header: DocumentHeader,
    out: Path,
    unit_name: str = "",
    period: str = "",
    signature: SignatureBlock | None = None,
) -> None:
    """Write the paper form of ``fw`` to ``out`` (unit and period may be left to write in)."""
    styles = make_styles()
    story: list[Flowable] = []
    story += official_header(header, styles)
    name = nfc(fw.name)
    story += title_block(["PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", name[:1].upper() + name[1:]], styles)
    story.append(para(f"Đơn vị: {nfc(unit_name) or _DOTS}", styles.body_plain))
    story.append(para(f"Kỳ đánh giá: {nfc(period) or _DOTS}", styles.body_plain))
    story.append(
        para(
            f"Hướng dẫn: ghi giá trị đo (nếu có) và điểm tự chấm của từng tiêu chí thành phần "
            f"(không vượt điểm tối đa, làm tròn theo bước {num(fw.score_step)} điểm); giải "
            "trình khi điểm thấp hơn điểm tối đa và ghi tên, số trang của tài liệu kiểm chứng. "
            "Các tiêu chí đánh giá qua điều tra xã hội học (XHH) không tự chấm.",
            styles.note,
        )
    )
    story.append(Spacer(1, 3 * mm))
    story.append(_form_table(fw, styles))
    closing = para(
        "Người điền phiếu chịu trách nhiệm về tính chính xác của số liệu và tài liệu kiểm "
        "chứng đã ghi.",
        styles.note,
    )
    story.append(
        signature_block(signature, styles, keep_with=[closing], left_title="NGƯỜI ĐIỀN PHIẾU")
    )
    info = DocumentInfo(
        title=f"Phiếu tự đánh giá, chấm điểm - {nfc(fw.name)}",
        author=" ".join(nfc(header.issuer).split()),
        subject=nfc(fw.name),
    )
    write_document(out, story, info)


def scoring_hint(c: Criterion, step: float) -> str:
    """How the item is scored, in the words of the methodology."""
    kind = c.rule.kind
    source = f" (theo: {c.rule.source})" if c.rule.source else ""
    if kind in (RuleKind.BANDS, RuleKind.COUNT) and c.rule.bands:
        below = "" if any(b.threshold is None for b in c.rule.bands) else "; mức khác: tự chấm"
        return f"Thang điểm: {scale_in_words(c.rule.bands, c.rule.measure)}{below}{source}"
    if kind is RuleKind.YES_NO:
        return f"Có: {num(c.max_points)} điểm; không có: 0 điểm{source}"
    if kind is RuleKind.SURVEY:
        return "Đánh giá qua điều tra xã hội học, không tự chấm"
    if kind in (RuleKind.PROPORTIONAL, RuleKind.DEDUCTION, RuleKind.BONUS):
        return describe_rule(c.max_points, c.rule)
    rule_step = c.rule.step if c.rule.step is not None else step
    return f"Tự chấm từ 0 đến {num(c.max_points)} điểm, bước {num(rule_step)}{source}"


def scale_in_words(bands: Sequence[Band], measure: str = "") -> str:
    """A band scale in words, as the methodology writes it ("Từ 100% trở lên: 1 điểm; từ 80%
    đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm"; never ">=100% → 1"). Without an
    "otherwise" band nothing is said below the lowest threshold: those values are scored by
    hand, which the caller adds ("mức khác: tự chấm")."""
    unit = measure if measure in ("", "%") else f" {measure}"
    steps = sorted(
        (b for b in bands if b.threshold is not None and b.op == ">="),
        key=lambda b: b.threshold or 0.0,
        reverse=True,
    )
    others = [b for b in bands if b.threshold is not None and b.op != ">="]
    otherwise = [b for b in bands if b.threshold is None]
    parts: list[str] = []
    upper: float | None = None
    for band in steps:
        t = f"{num(band.threshold)}{unit}"
        if upper is None:
            parts.append(f"từ {t} trở lên: {num(band.points)} điểm")
        else:
            parts.append(f"từ {t} đến dưới {num(upper)}{unit}: {num(band.points)} điểm")
        upper = band.threshold
    parts += [f"{describe_band(b, measure).lower()}: {num(b.points)} điểm" for b in others]
    if otherwise:
        rest = num(otherwise[0].points)
        parts.append(f"dưới {num(upper)}{unit}: {rest} điểm" if upper is not None and not others
                     else f"các trường hợp khác: {rest} điểm")  # fmt: skip
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _writing_cell(styles: Styles) -> Any:
    """Dotted lines to write on by hand."""
    return para("\n".join(["." * 38] * WRITING_LINES), styles.writing)


def _guidance_cell(c: Criterion, fw: Framework, styles: Styles) -> list[Flowable]:
    g = c.guidance
    cell: list[Flowable] = [para(c.title, styles.cell)]
    for label, text in (
        ("Yêu cầu", g.requirement),
        ("Tài liệu kiểm chứng", g.evidence),
        ("Chỉ tiêu", g.target),
        ("Thời hạn", g.deadline),
        ("Chủ trì", g.lead),
        ("Phối hợp", g.coordinators),
    ):
        if nfc(text):
            cell.append(rich(f"<i>{label}:</i> {markup(text)}", styles.cell_small))
    cell.append(rich(f"<i>{markup(scoring_hint(c, fw.score_step))}</i>", styles.cell_small))
    return cell


def _value_hint(c: Criterion, styles: Styles) -> Any:
    """A printed prompt in the value cell where the rule asks for a specific input."""
    if c.rule.percent:
        return para("....../......\n= ......%", styles.cell_small)
    if c.rule.kind is RuleKind.YES_NO:
        return para("□ Có\n□ Không", styles.cell)
    return ""


def _form_table(fw: Framework, styles: Styles) -> Flowable:
    head = [
        para(h, styles.head)
        for h in (
            "Mã",
            "Tiêu chí và hướng dẫn chấm điểm",
            "Điểm tối đa",
            "Giá trị đo",
            "Điểm tự chấm",
            "Giải trình, tài liệu kiểm chứng",
        )
    ]
    rows: list[list[Any]] = [head]
    heights: list[float] = [0.0]
    extra: list[tuple[Any, ...]] = []
    groups: list[int] = []
    for c in fw.criteria:
        row = len(rows)
        if not fw.is_leaf(c.code):
            rows.append(
                [
                    para(criterion_label(c), styles.cell_center_bold),
                    para(c.title, styles.cell_bold),
                    para(num(c.max_points), styles.cell_center_bold),
                    "",
                    "",
                    "",
                ]
            )
            heights.append(0.0)
            groups.append(row)
            if c.parent_code is None:
                extra.append(("BACKGROUND", (0, row), (-1, row), GROUP_FILL))
            continue
        cells: list[Any] = [
            para(criterion_label(c), styles.cell_center),
            _guidance_cell(c, fw, styles),
            para(num(c.max_points), styles.cell_center),
        ]
        if c.survey_only:
            cells += [para("Điều tra XHH (không tự chấm)", styles.cell_center), "", ""]
            extra.append(("SPAN", (3, row), (5, row)))
            extra.append(("BACKGROUND", (3, row), (5, row), GROUP_FILL))
            extra.append(("VALIGN", (3, row), (5, row), "MIDDLE"))
            heights.append(0.0)
        else:
            cells += [_value_hint(c, styles), "", _writing_cell(styles)]
            heights.append(WRITING_HEIGHT)
        rows.append(cells)
    rows.append(
        [
            para("Tổng cộng", styles.cell_center_bold),
            "",
            para(num(fw.total_points), styles.cell_center_bold),
            "",
            "",
            "",
        ]
    )
    heights.append(8 * mm)
    extra.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
    widths = [12 * mm, 0.0, 13 * mm, 18 * mm, 14 * mm, 52 * mm]
    widths[1] = FRAME_WIDTH - sum(widths)
    extra += keep_with_next(rows, groups, widths)
    return grid_table(rows, widths, extra=extra, min_row_heights=heights)
