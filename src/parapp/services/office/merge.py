"""Several appraisers: merging the council members' signed partial results.

Each member appraises in their own copy of the office workspace (another PC) and exports a
signed partial result (``export_result(kind="partial", member=…)``). The secretary merges
them here: an item only one member appraised (or all agreeing) is taken; an item two members
appraised differently — or that differs from what the secretary's workspace already holds —
is a *conflict*, reported side by side and left untouched until the secretary chooses a
member's result explicitly. Nothing is silently overwritten; every taken result is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parapp.interchange.appraisal_doc import read_cycle, read_scores
from parapp.interchange.bundle import verify_bundle
from parapp.models.errors import NotFoundError, ParAppError, ValidationError
from parapp.models.review import KIND_PARTIAL, ReviewState
from parapp.models.scoring import check_score
from parapp.models.text import clean, format_points, nfc
from parapp.services import audit, unit_keys
from parapp.services.office.appraisal import unit_appraisal
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import AppraisalsRepo
from parapp.storage.review_repo import ReviewStatesRepo

#: The name under which the secretary's own earlier result appears in a conflict.
LOCAL = "(đã có trên máy này)"
MAX_FILES = 50


@dataclass(frozen=True)
class Proposal:
    member: str
    score: float | None
    comment: str
    state: ReviewState | None
    note: str

    def key(self) -> tuple[Any, ...]:
        return (self.score, self.comment, self.state, self.note)

    def to_dict(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "score": self.score,
            "comment": self.comment,
            "state": self.state.value if self.state else "",
            "state_label": self.state.label if self.state else "",
            "note": self.note,
        }

    def text(self) -> str:
        state = self.state.label if self.state else "—"
        why = self.note or self.comment
        return f"{self.member}: {format_points(self.score)}, {state}" + (f"; {why}" if why else "")


@dataclass(frozen=True)
class Conflict:
    unit_code: str
    code: str
    options: tuple[Proposal, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "code": self.code,
            "options": [p.to_dict() for p in self.options],
        }


@dataclass
class MergeReport:
    period: str = ""
    applied: list[tuple[str, str, str]] = field(default_factory=list)  # unit, code, member
    conflicts: list[Conflict] = field(default_factory=list)
    resolved: list[tuple[str, str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "applied": [{"unit_code": u, "code": c, "member": m} for u, c, m in self.applied],
            "resolved": [{"unit_code": u, "code": c, "member": m} for u, c, m in self.resolved],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }

    def lines(self) -> list[str]:
        out = [
            f"Đã hợp nhất {len(self.applied)} tiêu chí"
            + (f" (trong đó {len(self.resolved)} xung đột đã chọn)" if self.resolved else "")
            + "."
        ]
        if self.conflicts:
            out.append(
                f"Còn {len(self.conflicts)} xung đột chưa giải quyết (chưa thay đổi gì), chọn "
                "bằng --choose ĐƠN_VỊ:MÃ=TÊN_THÀNH_VIÊN:"
            )
            for c in self.conflicts:
                out.append(f"- {c.unit_code} / {c.code}:")
                out += [f"    {p.text()}" for p in c.options]
        return out


def parse_choices(texts: Iterable[str]) -> dict[tuple[str, str], str]:
    """``["X1:1.2=Nguyễn Văn B"]`` → ``{("X1", "1.2"): "Nguyễn Văn B"}``."""
    out: dict[tuple[str, str], str] = {}
    for text in texts:
        where, sep, member = nfc(text).partition("=")
        unit, sep2, code = where.partition(":")
        if not (sep and sep2 and unit.strip() and code.strip() and member.strip()):
            raise ValidationError(
                f"Lựa chọn “{text}” không đúng dạng ĐƠN_VỊ:MÃ_TIÊU_CHÍ=TÊN_THÀNH_VIÊN."
            )
        out[(unit.strip(), code.strip())] = clean(member)
    return out


def _read_partial(ws: Workspace, path: Path) -> tuple[str, str, str, dict[str, Proposal]]:
    """(period, unit, member, {code: proposal}) of one member's signed partial result."""
    status = unit_keys.key_status(ws)
    if status is None:
        raise unit_keys.NoKeyError()
    report = verify_bundle(Path(path), status.public, ws.frameworks.hashes())
    if not report.ok or report.info is None or report.assessment is None:
        raise ParAppError(
            f"Kết quả của thành viên “{Path(path).name}” bị từ chối. {report.first_failure or ''}"
        )
    own = ws.require_unit()
    if report.info.unit_code != own.code:
        raise ParAppError(
            f"“{Path(path).name}” do đơn vị {report.info.unit_code} ký, không phải đơn vị này."
        )
    appraisal = (report.assessment.get("extra") or {}).get("appraisal")
    section = read_cycle(appraisal)
    if section is None or section.kind != KIND_PARTIAL or not section.member:
        raise ParAppError(f"“{Path(path).name}” không phải kết quả thẩm định của một thành viên.")
    unit = nfc(str((appraisal or {}).get("unit_code", "")))[:64]
    states = {s.code: s for s in section.states}
    scores = {s.code: s for s in read_scores(appraisal)}
    proposals = {}
    for code in sorted(set(states) | set(scores)):
        sc, st = scores.get(code), states.get(code)
        proposals[code] = Proposal(
            section.member,
            sc.score if sc else None,
            sc.comment if sc else "",
            st.state if st else None,
            st.note if st else "",
        )
    return report.info.period, unit, section.member, proposals


def merge_partials(
    ws: Workspace, files: Sequence[Path], choices: dict[tuple[str, str], str] | None = None
) -> MergeReport:
    """Merge members' partial results into this workspace (see the module docstring)."""
    if not files or len(files) > MAX_FILES:
        raise ValidationError(f"Cần từ 1 đến {MAX_FILES} tệp kết quả của thành viên.")
    choices = choices or {}
    read = [_read_partial(ws, Path(p)) for p in files]
    periods = {r[0] for r in read}
    if len(periods) != 1:
        raise ValidationError(
            f"Các tệp thuộc nhiều kỳ đánh giá khác nhau: {', '.join(sorted(periods))}."
        )
    period = periods.pop()
    members = [(r[1], r[2]) for r in read]
    if len(set(members)) != len(members):
        raise ValidationError(
            "Có hai tệp của cùng một thành viên cho cùng một đơn vị; chỉ giữ tệp mới nhất."
        )
    by_item: dict[tuple[str, str], list[Proposal]] = {}
    for _p, unit, _m, proposals in read:
        for code, prop in proposals.items():
            by_item.setdefault((unit, code), []).append(prop)
    report = MergeReport(period)
    taken: dict[tuple[str, str], Proposal] = {}
    appraised = AppraisalsRepo(ws.db).for_period(period)  # one query each, not one per item
    reviewed = ReviewStatesRepo(ws.db).for_period(period)
    for (unit, code), props in sorted(by_item.items()):
        local = _local(appraised.get(unit, {}).get(code), reviewed.get(unit, {}).get(code))
        options = props + ([local] if local is not None else [])
        if len({p.key() for p in options}) == 1:
            if local is None:
                taken[(unit, code)] = props[0]
            continue
        chosen = choices.get((unit, code))
        pick = next((p for p in options if p.member == chosen), None)
        if chosen is not None and pick is None:
            names = ", ".join(p.member for p in options)
            raise ValidationError(f"{unit} / {code}: không có thành viên “{chosen}” (có: {names}).")
        if pick is None:
            report.conflicts.append(Conflict(unit, code, tuple(options)))
        elif pick is not local:
            taken[(unit, code)] = pick
            report.resolved.append((unit, code, pick.member))
    _apply(ws, period, taken, report)
    return report


def _local(a: dict[str, Any] | None, s: dict[str, Any] | None) -> Proposal | None:
    """What the secretary's workspace already holds for an item, as a proposal."""
    if a is None and s is None:
        return None
    return Proposal(
        LOCAL,
        float(a["score"]) if a else None,
        str(a["comment"]) if a else "",
        ReviewState(str(s["state"])) if s else None,
        str(s["note"]) if s else "",
    )


def _apply(
    ws: Workspace, period: str, taken: dict[tuple[str, str], Proposal], report: MergeReport
) -> None:
    units = sorted({u for u, _c in taken})
    checked = {}
    for unit in units:
        audit.check_unlocked(ws, unit, period)
        checked[unit] = unit_appraisal(ws, unit, period)
    for (unit, code), prop in taken.items():
        ua = checked[unit]
        leaf = ua.framework.by_code.get(code)
        if leaf is None or not ua.framework.is_leaf(code):
            raise NotFoundError(f"{unit}: không có tiêu chí lá mã “{code}” trong bộ chỉ số.")
        if prop.score is not None:
            check_score(prop.score, leaf.max_points, ua.framework.score_step, code)
    with ws.db.atomic():
        for (unit, code), prop in sorted(taken.items()):
            rev = checked[unit].revision
            why = f"Hợp nhất từ kết quả của {prop.member}"
            if prop.score is not None:
                AppraisalsRepo(ws.db).put_many(
                    unit, period, [(code, prop.score, prop.comment, rev)]
                )
            if prop.state is not None:
                ReviewStatesRepo(ws.db).put_many(
                    unit, period, [(code, prop.state.value, prop.note, rev)], prop.member
                )
            audit.record(ws, unit, period, code, "merge", None, prop.to_dict(), why)
            report.applied.append((unit, code, prop.member))
