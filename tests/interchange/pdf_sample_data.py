"""Deterministic example inputs for every printed document.

The committed samples in ``docs/samples/``, the benchmark and the tests all print the same
realistic data: the embedded default framework (``resources/defaults``) when it is there,
otherwise a synthetic PAR-like framework of about 150 items with Vietnamese titles; answers,
a ranking and an appraisal derived from it by fixed rules (no randomness, no clock), so a
regenerated sample only changes when the layout or the data does.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from parapp.models.assessment import Answer, EvidenceLink
from parapp.models.document_forms import IssuerKind, authority_lines
from parapp.models.framework import Criterion, Framework, Guidance, framework_from_dict
from parapp.models.print_data import (
    AppraisalLine,
    AppraisalReport,
    DocumentHeader,
    RankingReport,
    RankingRow,
    SignatureBlock,
    SubmissionStamp,
)
from parapp.models.rollup import rollup
from parapp.models.scoring import Band, RuleKind, ScoringRule, band_score
from parapp.models.tasks import Task, TaskPlan, TaskStatus, task_plan_from_dict
from parapp.resources import resources_dir

SAMPLE_DATE = datetime.date(2026, 11, 21)
SAMPLE_PERIOD = "Năm 2026"

AREAS = (
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội",
)
_CRITERIA = (
    "Kế hoạch cải cách hành chính năm",
    "Công tác kiểm tra, theo dõi, đánh giá việc thực hiện",
    "Công tác thông tin, tuyên truyền",
    "Sáng kiến, giải pháp mới trong chỉ đạo, điều hành",
    "Thực hiện nhiệm vụ được cấp trên giao",
)
_ITEMS = (
    "Ban hành kịp thời, đúng quy định",
    "Mức độ hoàn thành kế hoạch đề ra",
    "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "Công khai đầy đủ, kịp thời trên Trang thông tin điện tử của xã",
    "Báo cáo định kỳ đúng thời hạn, đủ nội dung theo quy định",
)
_COMMUNES = (
    "Điện Bàn", "Điện Bàn Bắc", "Điện Bàn Đông", "Điện Bàn Tây", "Gò Nổi", "An Thắng",
    "Điện Thắng", "Điện Hồng", "Điện Tiến", "Điện Phước", "Điện Phương", "Điện Minh",
    "Đại Lộc", "Hà Nha", "Thượng Đức", "Vu Gia", "Phú Thuận", "Duy Xuyên", "Duy Nghĩa",
    "Nam Phước", "Thu Bồn", "Quế Sơn", "Xuân Phú", "Nông Sơn", "Quế Phước", "Thăng Bình",
    "Thăng An", "Thăng Trường", "Thăng Điền", "Thăng Phú", "Đồng Dương", "Quế Sơn Trung",
    "Tam Xuân", "Núi Thành", "Tam Anh", "Đức Phú", "Tam Mỹ", "Tam Hải", "Tiên Phước",
    "Thạnh Bình", "Sơn Cẩm Hà", "Tây Hồ", "Chiên Đàn", "Phú Ninh", "Lãnh Ngọc", "Việt An",
)  # fmt: skip
RATINGS = ((90.0, "Xuất sắc"), (80.0, "Tốt"), (70.0, "Khá"), (50.0, "Trung bình"), (0.0, "Yếu"))


def _roman(n: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[n - 1]


def area_label(index: int) -> str:
    """Roman numeral of an area, as the methodology names them (1 -> ``"I"``)."""
    return _roman(index) if 1 <= index <= 12 else str(index)


def _defaults() -> list[dict[str, Any]]:
    folder = resources_dir() / "defaults"
    out: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            out.append(data)
    return out


def default_framework() -> Framework:
    """The embedded PAR framework when shipped, else :func:`synthetic_framework`."""
    candidates = [d for d in _defaults() if isinstance(d.get("criteria"), list) and d["criteria"]]
    candidates.sort(key=lambda d: (d.get("index_kind", "PAR") != "PAR", -len(d["criteria"])))
    if candidates:
        return framework_from_dict(candidates[0])
    return synthetic_framework()


def default_task_plan(today: datetime.date = SAMPLE_DATE) -> TaskPlan:
    """The embedded task plan when shipped, else :func:`synthetic_task_plan`."""
    plans = [d for d in _defaults() if isinstance(d.get("tasks"), list) and d["tasks"]]
    plans = [d for d in plans if isinstance(d.get("year"), int)]
    if plans:  # the most recent plan is the one an officer works on
        return task_plan_from_dict(max(plans, key=lambda d: int(d["year"])))
    return synthetic_task_plan(today)


def synthetic_framework(leaves_per_criterion: tuple[int, ...] = (4, 3, 4, 4, 4)) -> Framework:
    """A PAR-like framework (8 areas x 5 criteria x 3-4 items = 152 items) for printing.

    The shapes match what real provinces use: band rules on percentages, yes/no items,
    items scored by a sociological survey in the last area, guidance on every item.
    """
    criteria: list[Criterion] = []
    order = 0
    for a, area_title in enumerate(AREAS, start=1):
        area_code = str(a)
        area_index = len(criteria)
        criteria.append(Criterion(area_code, area_title, 0.0, None, order))
        order += 1
        area_total = 0.0
        for c, crit_title in enumerate(_CRITERIA, start=1):
            crit_code = f"{a}.{c}"
            crit_index = len(criteria)
            criteria.append(Criterion(crit_code, crit_title, 0.0, area_code, order))
            order += 1
            crit_total = 0.0
            for i in range(1, leaves_per_criterion[(a + c) % len(leaves_per_criterion)] + 1):
                code = f"{crit_code}.{i}"
                points = (0.5, 1.0, 0.75, 0.5, 0.25)[(a * 7 + c * 3 + i) % 5]
                title = f"{_ITEMS[(c + i) % len(_ITEMS)]} ({crit_title.lower()})"
                rule = _rule_for(a, c, i, points)
                guidance = Guidance(
                    requirement=f"Thực hiện đầy đủ nội dung “{title}” theo hướng dẫn của tỉnh.",
                    evidence="Quyết định, kế hoạch, báo cáo kết quả thực hiện có liên quan.",
                    target="100% nội dung được thực hiện đúng hạn",
                    deadline="Trước ngày 15/12",
                    lead="Văn phòng HĐND và UBND xã",
                    coordinators="Các công chức chuyên môn thuộc UBND xã",
                )
                criteria.append(Criterion(code, title, points, crit_code, order, rule, guidance))
                order += 1
                crit_total += points
            criteria[crit_index] = _with_max(criteria[crit_index], crit_total)
            area_total += crit_total
        criteria[area_index] = _with_max(criteria[area_index], area_total)
    return Framework(
        id="par-xa-mau",
        name="Bộ chỉ số đánh giá, xếp hạng kết quả cải cách hành chính cấp xã",
        index_kind="PAR",
        year=2026,
        decision="Quyết định số 1234/QĐ-UBND ngày 15/3/2026 của UBND tỉnh",
        level="commune",
        score_step=0.25,
        criteria=tuple(criteria),
    )


def _with_max(c: Criterion, total: float) -> Criterion:
    return Criterion(c.code, c.title, round(total, 4), c.parent_code, c.order, c.rule, c.guidance)


def _rule_for(area: int, crit: int, item: int, points: float) -> ScoringRule:
    if area == 8 and crit >= 3:
        return ScoringRule(RuleKind.SURVEY)
    if item == 3:
        bands = (Band(100.0, points), Band(80.0, points / 2), Band(None, 0.0))
        return ScoringRule(RuleKind.BANDS, bands, "%")
    if item == 1 and crit % 2 == 0:
        return ScoringRule(RuleKind.YES_NO)
    return ScoringRule(RuleKind.MANUAL)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sample_answers(fw: Framework) -> dict[str, Answer]:
    """Answers for most items by fixed rules: full marks, some half marks with an
    explanation, a few left blank, band items with a percentage consistent with the score."""
    answers: dict[str, Answer] = {}
    for n, c in enumerate(fw.leaves()):
        if c.survey_only or n % 17 == 16:
            continue
        partial = n % 5 == 2
        score = c.max_points / 2 if partial else c.max_points
        value: float | None = None
        numerator = denominator = None
        if c.rule.kind is RuleKind.BANDS:
            denominator = 40.0
            numerator = 34.0 if partial else 40.0
            value = round(numerator * 100 / denominator, 2)
            score = band_score(c.rule, value)
        elif c.rule.kind is RuleKind.YES_NO:
            value = 0.0 if partial else 1.0
            score = 0.0 if partial else c.max_points
        score = round(score * 4) / 4
        explanation = (
            "Đơn vị đã triển khai nhưng còn chậm so với kế hoạch; một số nội dung chưa được "
            "công khai trên Trang thông tin điện tử của xã do thiếu nhân lực."
            if partial
            else "Đã thực hiện đầy đủ, đúng thời hạn theo kế hoạch."
        )
        evidence = tuple(
            EvidenceLink(
                sha256=_sha(f"{c.code}/{k}"),
                file_name=(
                    f"Quyết định số {10 + n}/QĐ-UBND ban hành kế hoạch CCHC năm 2026.pdf"
                    if k == 0
                    else f"Báo cáo kết quả thực hiện tiêu chí {c.code} (quý {k}).pdf"
                ),
                size=250_000 + 1000 * n,
                ref=f"tr. {k + 1}" if k < 2 else f"tr. {k + 1}-{k + 3}",
            )
            for k in range(0 if n % 9 == 4 else 1 + n % 3)
        )
        answers[c.code] = Answer(
            code=c.code,
            value=value,
            numerator=numerator,
            denominator=denominator,
            self_score=score,
            explanation=explanation,
            evidence=evidence,
            updated_at="2026-11-20T09:30:00",
        )
    return answers


def sample_header() -> DocumentHeader:
    return DocumentHeader(
        issuer_parent="",
        issuer="ỦY BAN NHÂN DÂN\nPHƯỜNG ĐIỆN BÀN",
        place="Điện Bàn",
        date=SAMPLE_DATE,
        doc_number="",
        issuer_code="UBND",
        body_name="Ủy ban nhân dân phường Điện Bàn",
    )


def sample_office_header() -> DocumentHeader:
    return DocumentHeader(
        issuer_parent="UBND THÀNH PHỐ ĐÀ NẴNG",
        issuer="SỞ NỘI VỤ",
        place="Đà Nẵng",
        date=SAMPLE_DATE,
        doc_number="",
        issuer_code="SNV",
        body_name="Sở Nội vụ",
    )


def sample_signature() -> SignatureBlock:
    return SignatureBlock(
        approver="Trần Văn Đức",
        approver_position="Chủ tịch",
        authority=authority_lines(IssuerKind.COMMITTEE, "Chủ tịch"),
        recipients=("Sở Nội vụ thành phố Đà Nẵng (để báo cáo)", "Lưu: VT, VP"),
    )


def sample_office_signature() -> SignatureBlock:
    return SignatureBlock(
        approver="Phạm Thị Ngọc Ánh",
        approver_position="Giám đốc",
        authority=authority_lines(IssuerKind.DEPARTMENT, "Giám đốc"),
        recipients=("UBND thành phố (để báo cáo)", "Lưu: VT, CCHC"),
    )


def sample_stamp() -> SubmissionStamp:
    return SubmissionStamp(
        revision=2,
        bundle_sha256=_sha("bundle of UBND xã Điện Bàn, revision 2"),
        key_fingerprint="7F3A 9C21 44B0 E1D2",
        frozen_at="2026-11-20T09:45:00.000+00:00",
    )


def sample_ranking(fw: Framework, units: int = 46) -> RankingReport:
    """A ranking of ``units`` communes, scores spread by a fixed formula."""
    areas = fw.areas
    area_max = tuple(
        round(sum(c.max_points for c in fw.leaves(a.code) if not c.survey_only), 4) for a in areas
    )
    assessable = round(sum(area_max), 4)
    rows: list[tuple[str, str, tuple[float, ...], float]] = []
    for u in range(units):
        name = _COMMUNES[u % len(_COMMUNES)]
        if u >= len(_COMMUNES):
            name = f"{name} {u // len(_COMMUNES) + 1}"
        scores = tuple(
            round(m * (0.55 + ((u * 37 + i * 11) % 45) / 100) * 4) / 4
            for i, m in enumerate(area_max)
        )
        rows.append((f"X{u + 1:03d}", f"UBND xã {name}", scores, round(sum(scores), 2)))
    rows.sort(key=lambda r: (-r[3], r[1]))
    out: list[RankingRow] = []
    for rank, (code, name, scores, total) in enumerate(rows, start=1):
        index = round(total * 100 / assessable, 2) if assessable else 0.0
        rating = next(label for floor, label in RATINGS if index >= floor)
        out.append(RankingRow(code, name, scores, total, assessable, index, rank, rating))
    return RankingReport(
        title="KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ",
        period=SAMPLE_PERIOD,
        area_titles=tuple(a.title for a in areas),
        area_max=area_max,
        rows=tuple(out),
    )


def sample_appraisal(fw: Framework, answers: dict[str, Answer]) -> AppraisalReport:
    """The appraisal of the sample answers: a few items lowered, with the council's reason."""
    lines: list[AppraisalLine] = []
    for n, c in enumerate(fw.leaves()):
        if c.survey_only:
            continue
        ans = answers.get(c.code)
        own = ans.self_score if ans else None
        appraised = own
        comment = ""
        if own is None:
            appraised, comment = 0.0, "Đơn vị không tự chấm, không có tài liệu kiểm chứng."
        elif n % 7 == 3 and own > 0:
            appraised = round(own / 2 * 4) / 4
            comment = "Tài liệu kiểm chứng chưa thể hiện kết quả thực hiện; trừ một nửa số điểm."
        lines.append(AppraisalLine(c.code, c.title, c.max_points, own, appraised, comment))
    total_self = rollup(fw, answers).total_score
    total_appraised = round(sum(line.appraised_score or 0.0 for line in lines), 4)
    return AppraisalReport(
        unit_name="UBND xã Điện Bàn",
        unit_code="X001",
        period=SAMPLE_PERIOD,
        framework_name=fw.name,
        lines=tuple(lines),
        self_total=total_self,
        appraised_total=total_appraised,
    )


def synthetic_task_plan(today: datetime.date = SAMPLE_DATE) -> TaskPlan:
    """A plan shaped like the province's (objective -> task -> product) around ``today``."""
    tasks: list[Task] = []
    statuses = (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.TODO, TaskStatus.DONE)
    order = 0
    for a, area_title in enumerate(AREAS, start=1):
        head = str(a)
        tasks.append(Task(head, area_title, None, order))
        order += 1
        for t in range(1, 4):
            due = today + datetime.timedelta(days=(a * 13 + t * 29) % 120 - 60)
            tasks.append(
                Task(
                    code=f"{a}.{t}",
                    title=(
                        f"Tổ chức thực hiện và báo cáo kết quả nội dung “{_CRITERIA[t].lower()}” "
                        f"thuộc lĩnh vực {area_title.lower()}"
                    ),
                    parent_code=head,
                    order=order,
                    deadline_text=f"Trước ngày {due.day:02d}/{due.month:02d}",
                    due_date=due,
                    lead="Văn phòng HĐND và UBND xã",
                    coordinators="Công chức Tư pháp - Hộ tịch; Công chức Địa chính",
                    product=("Kế hoạch", "Báo cáo", "Quyết định")[t % 3] + " của UBND xã",
                    criteria_codes=(f"{a}.{t}",),
                    status=statuses[(a + t) % 4],
                )
            )
            order += 1
    return TaskPlan(
        id="ke-hoach-cchc-2026",
        name="Kế hoạch nâng cao Chỉ số cải cách hành chính năm 2026",
        year=today.year,
        decision="Kế hoạch số 45/KH-UBND ngày 20/01/2026 của UBND xã",
        tasks=tuple(tasks),
    )


def sample_tasks() -> tuple[TaskPlan, datetime.date]:
    """The default plan with varied progress, and a "today" inside its year, so the sample
    shows done, running, overdue and due-soon tasks."""
    plan = default_task_plan()
    due = sorted(t.due_date for t in plan.tasks if t.due_date is not None)
    # A day after 40 % of the deadlines: some tasks are past due, the rest still running.
    today = due[len(due) * 2 // 5] + datetime.timedelta(days=1) if due else SAMPLE_DATE
    cycle = (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.TODO, TaskStatus.DONE)
    tasks = tuple(
        replace(t, status=cycle[n % len(cycle)]) if t.due_date is not None else t
        for n, t in enumerate(plan.tasks)
    )
    return replace(plan, tasks=tasks), today


SAMPLE_KINDS = ("blank-form", "report", "tasks", "ranking", "appraisal")


def write_samples(folder: Path, units: int = 46, suffix: str = ".pdf") -> dict[str, Path]:
    """Render every document from the sample data into ``folder`` (``<kind>.pdf``, or
    ``.docx`` for the editable copies)."""
    from parapp.interchange.pdf import (
        render_appraisal,
        render_blank_form,
        render_ranking,
        render_report,
        render_tasks,
    )

    fw = default_framework()
    answers = sample_answers(fw)
    unit = "Phường Điện Bàn"
    paths = {kind: folder / f"{kind}{suffix}" for kind in SAMPLE_KINDS}
    render_blank_form(fw, sample_header(), paths["blank-form"], unit, SAMPLE_PERIOD)
    render_report(
        fw, answers, sample_header(), sample_signature(), paths["report"], unit,
        SAMPLE_PERIOD, sample_stamp(), SAMPLE_DATE,
    )  # fmt: skip
    plan, today = sample_tasks()
    render_tasks(plan, replace(sample_header(), date=today), paths["tasks"], today)
    office, office_sig = sample_office_header(), sample_office_signature()
    render_ranking(sample_ranking(fw, units), office, office_sig, paths["ranking"])
    render_appraisal(sample_appraisal(fw, answers), office, office_sig, paths["appraisal"])
    return paths
