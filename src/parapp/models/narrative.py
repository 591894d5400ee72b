"""The report's narrative: the officer's own words, and the draft the app proposes.

A council reads a self-assessment report as text: a general assessment, the results by
area, the shortcomings and their causes, the solutions and the recommendations. The app
cannot write the causes, but it can count what the data shows (strengths, items below the
maximum, missing evidence, area by area) and propose a draft the officer rewrites; the
checklist of open problems is a working tool and never prints as the report's text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import fields, replace

from parapp.models.assessment import Answer
from parapp.models.document_forms import period_words
from parapp.models.framework import Framework
from parapp.models.print_data import Narrative
from parapp.models.rollup import rollup
from parapp.models.text import format_number, nfc

#: Section key -> heading printed in the report (and shown by the CLI and the editor).
SECTIONS: dict[str, str] = {
    "basis": "Căn cứ (đoạn mở đầu)",
    "general": "Đánh giá chung",
    "results": "Kết quả theo từng lĩnh vực",
    "shortcomings": "Tồn tại, hạn chế",
    "causes": "Nguyên nhân",
    "solutions": "Giải pháp khắc phục",
    "recommendations": "Kiến nghị, đề xuất",
}

#: What the draft says where only the officer can write: printed until replaced, and
#: reported by :func:`unwritten` so nobody signs a report still carrying the prompt.
PROMPTS: dict[str, str] = {
    "causes": "(Nêu nguyên nhân chủ quan và khách quan của các tồn tại, hạn chế trên.)",
    "recommendations": "(Nêu kiến nghị, đề xuất với cấp trên, nếu có.)",
}

#: Longest text of one section (characters): a report is read on paper, not a book.
MAX_SECTION_CHARS = 20_000

#: Items below the maximum named one by one per area; the rest are counted.
_MAX_NAMED = 10

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _area_label(code: str) -> str:
    return _ROMAN[int(code) - 1] if code.isdigit() and 1 <= int(code) <= len(_ROMAN) else code


#: Abbreviations with a vowel, kept in capitals inside running text.
_ABBREVIATIONS = frozenset({"UBND", "ISO", "PAR", "PAPI", "SIPAS", "BCĐ", "UB", "MTTQ"})
_VOWELS = frozenset("AĂÂEÊIOÔƠUƯY")


def _is_abbreviation(word: str) -> bool:
    letters = "".join(ch for ch in word if ch.isalpha()).upper()
    if not letters:
        return False
    if letters in _ABBREVIATIONS:
        return True
    bare = unicodedata.normalize("NFD", letters.upper())
    return not any(ch in _VOWELS for ch in bare if ch.isalpha())


def running_title(title: str) -> str:
    """An area's title as it reads inside a sentence: a title set in capitals in the sheet
    ("XÂY DỰNG VÀ TỔ CHỨC THỰC HIỆN VBQPPL") in sentence case, its abbreviations kept
    ("Xây dựng và tổ chức thực hiện VBQPPL"); a title in mixed case is left as written."""
    text = nfc(title).strip()
    if not text or text != text.upper():
        return text
    words = [w if _is_abbreviation(w) else w.lower() for w in text.split(" ")]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def narrative_from_dict(data: object) -> Narrative:
    """Read the stored or frozen form (a dict of section texts); unknown keys are ignored."""
    if not isinstance(data, dict):
        return Narrative()
    values = {k: nfc(str(v)) for k, v in data.items() if k in SECTIONS and isinstance(v, str)}
    return Narrative(**values)


def narrative_to_dict(narrative: Narrative) -> dict[str, str]:
    """Only the sections that hold text (an empty narrative is an empty dict)."""
    return {
        f.name: getattr(narrative, f.name) for f in fields(narrative) if getattr(narrative, f.name)
    }


def merged(own: Narrative, draft: Narrative) -> Narrative:
    """The officer's text where written, the draft where a section is still empty."""
    values = {f.name: getattr(own, f.name).strip() or getattr(draft, f.name) for f in fields(own)}
    return replace(own, **values)


def draft_narrative(
    fw: Framework, answers: dict[str, Answer], body_name: str, period: str
) -> Narrative:
    """A first draft from the data, for the officer to rewrite (never printed silently as
    final: the report prints what the officer saved, else this draft)."""
    totals = rollup(fw, answers)
    leaves = [c for c in fw.leaves() if not c.survey_only]
    area_of = {c.code: _area_code(fw, c.code) for c in leaves}
    below: dict[str, list[str]] = {}
    no_evidence: dict[str, int] = {}
    unscored = 0
    for c in leaves:
        a = answers.get(c.code)
        if a is None or a.self_score is None:
            unscored += 1
            continue
        if a.self_score < c.max_points - 1e-9:
            below.setdefault(area_of[c.code], []).append(c.code)
        if not a.evidence:
            no_evidence[area_of[c.code]] = no_evidence.get(area_of[c.code], 0) + 1

    strong: list[str] = []
    results: list[str] = []
    for area in fw.areas:
        node = totals.nodes[area.code]
        if not node.assessable_max:
            results.append(
                f"- Lĩnh vực {_area_label(area.code)} ({running_title(area.title)}): đánh giá "
                "qua điều tra xã hội học."
            )
            continue
        percent = node.self_score * 100 / node.assessable_max
        full = sum(
            1
            for c in leaves
            if area_of[c.code] == area.code
            and (a := answers.get(c.code)) is not None
            and a.self_score is not None
            and a.self_score >= c.max_points - 1e-9
        )
        count = sum(1 for c in leaves if area_of[c.code] == area.code)
        results.append(
            f"- Lĩnh vực {_area_label(area.code)} ({running_title(area.title)}): đạt "
            f"{format_number(node.self_score)}/{format_number(node.assessable_max)} điểm "
            f"({format_number(percent)}%); {full}/{count} tiêu chí thành phần đạt điểm tối đa."
        )
        if percent >= 90:
            strong.append(_area_label(area.code))

    general = (
        f"{body_name} đã tổ chức tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành phần "
        f"của bộ chỉ số{' ' + period_words(period) if nfc(period) else ''}, kèm theo tài liệu "
        "kiểm chứng theo hướng dẫn."
    )
    if strong:
        general += " Các lĩnh vực đạt kết quả cao (từ 90% trở lên): " + ", ".join(strong) + "."
    # How the evidence reaches the office, as a commune's report says it ("Về tài liệu kiểm
    # chứng: … tổng hợp kèm theo báo cáo và gửi …", xã Quảng Phước's 2020 report): here, in
    # the signed bundle, and listed per item in the appendix.
    files = {e.sha256 for c in leaves if (a := answers.get(c.code)) for e in a.evidence}
    with_files = sum(1 for c in leaves if (a := answers.get(c.code)) and a.evidence)
    if files:
        general += (
            f"\nVề tài liệu kiểm chứng: {len(files)} tệp cho {with_files} tiêu chí thành phần, "
            f"gửi kèm hồ sơ điện tử có chữ ký số của {body_name}; danh mục theo từng tiêu "
            "chí tại Phụ lục."
        )

    short: list[str] = []
    for area in fw.areas:
        codes = below.get(area.code, [])
        if codes:
            # Named with their points, as a report to the office reads: a list of codes
            # alone would be retyped by whoever signs it.
            short.append(
                f"- Lĩnh vực {_area_label(area.code)}: {len(codes)} tiêu chí thành phần chưa "
                "đạt điểm tối đa:"
            )
            for code in codes[:_MAX_NAMED]:
                c, a = fw.by_code[code], answers[code]
                title = nfc(c.title).rstrip(" .;:")
                shown = c.label.rstrip(".")  # the sheet's own number, as the appendix prints it
                short.append(
                    f"+ {shown}. {title}: đạt {format_number(a.self_score or 0)}/"
                    f"{format_number(c.max_points)} điểm."
                )
            if len(codes) > _MAX_NAMED:
                short.append(f"+ Và {len(codes) - _MAX_NAMED} tiêu chí thành phần khác.")
    missing = sum(no_evidence.values())
    if missing:
        by_area = "; ".join(
            f"lĩnh vực {_area_label(code)}: {n}"
            for code in (a.code for a in fw.areas)
            if (n := no_evidence.get(code, 0))
        )
        short.append(
            f"- Còn {missing} tiêu chí thành phần chưa có tài liệu kiểm chứng ({by_area})."
        )
    if unscored:
        short.append(f"- Còn {unscored} tiêu chí thành phần chưa tự chấm điểm.")
    if not short:
        short.append("- Không có tiêu chí thành phần nào chưa đạt điểm tối đa.")

    weak = [_area_label(a.code) for a in fw.areas if below.get(a.code)]
    basis = f"Căn cứ {nfc(fw.name)}" + (f" ({nfc(fw.decision)})" if nfc(fw.decision) else "")
    solutions = (
        "- Tập trung khắc phục các tiêu chí thành phần chưa đạt điểm tối đa"
        + (f" ở các lĩnh vực {', '.join(weak)}" if weak else "")
        + "; phân công rõ cơ quan chủ trì, thời hạn hoàn thành."
    )
    if missing:
        solutions += "\n- Bổ sung đầy đủ tài liệu kiểm chứng cho các tiêu chí còn thiếu."
    return Narrative(
        basis=basis + ";",
        general=general,
        results="\n".join(results),
        shortcomings="\n".join(short),
        causes=PROMPTS["causes"],
        solutions=solutions,
        recommendations=PROMPTS["recommendations"],
    )


def unwritten(narrative: Narrative) -> list[str]:
    """Headings of the sections that would print empty or as the draft's prompt."""
    return [
        heading
        for key, heading in SECTIONS.items()
        if nfc(getattr(narrative, key)).strip() in ("", PROMPTS.get(key, ""))
    ]


def _area_code(fw: Framework, code: str) -> str:
    """The area (top-level criterion) an item belongs to."""
    c = fw.by_code[code]
    while c.parent_code is not None:
        c = fw.by_code[c.parent_code]
    return c.code
