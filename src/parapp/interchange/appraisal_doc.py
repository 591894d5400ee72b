"""The appraisal-cycle section of an appraisal result document (no SQL, no signing).

An appraisal result (see :mod:`parapp.services.office.appraisal_result`) carries its scores under
``extra.appraisal.items``. The cycle adds ``extra.appraisal.cycle``::

    {"kind": "preliminary" | "final" | "reopen" | "partial",
     "response_deadline": "2026-03-31" | "",
     "member": "Nguyễn Văn B",                 # partial results: the council member
     "issued_at": "2026-03-01T08:00:00.000+00:00",
     "states": [{"code": "1.2", "state": "explain", "note": "…"}, …]}

A result without the section is an ordinary (final-less) appraisal of earlier versions.
Everything read here comes from another unit's file: it is bounded and checked before use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from parapp.models.errors import ParAppError
from parapp.models.review import RESULT_KINDS, ReviewState
from parapp.models.text import clean, nfc

#: the bundle kind of an appraisal result file, and the bag-info label naming the
#: appraised unit (both sides of the exchange use them)
KIND = "appraisal"
APPRAISED_UNIT_LABEL = "ParApp-X-Appraised-Unit"
CYCLE_KEY = "cycle"
MAX_ITEMS = 5000
MAX_NOTE = 10000
MAX_CODE = 64


@dataclass(frozen=True)
class StateEntry:
    code: str
    state: ReviewState
    note: str


@dataclass(frozen=True)
class ScoreEntry:
    code: str
    score: float | None
    comment: str


@dataclass(frozen=True)
class CycleSection:
    kind: str
    states: tuple[StateEntry, ...]
    response_deadline: date | None = None
    member: str = ""
    issued_at: str = ""  # ISO UTC; a reopening unlocks only a final issued before it

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "response_deadline": self.response_deadline.isoformat()
            if self.response_deadline
            else "",
            "member": self.member,
            "issued_at": self.issued_at,
            "states": [
                {"code": s.code, "state": s.state.value, "note": s.note} for s in self.states
            ],
        }


def _bad(what: str) -> ParAppError:
    return ParAppError(f"Kết quả thẩm định sai cấu trúc: {what}.")


def _text(value: Any, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise _bad(what)
    return nfc(value)[:limit]


def read_cycle(appraisal: Any) -> CycleSection | None:
    """The cycle section of ``extra.appraisal`` (``None`` when the file has none)."""
    if not isinstance(appraisal, dict):
        raise _bad("thiếu phần thẩm định")
    raw = appraisal.get(CYCLE_KEY)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _bad("phần chu trình thẩm định không phải đối tượng")
    kind = raw.get("kind")
    if kind not in RESULT_KINDS:
        raise _bad(f"loại kết quả “{str(kind)[:40]}” không hợp lệ")
    deadline_text = _text(raw.get("response_deadline", ""), 10, "hạn trả lời")
    try:
        deadline = date.fromisoformat(deadline_text) if deadline_text else None
    except ValueError:
        raise _bad(f"hạn trả lời “{deadline_text}” không phải ngày") from None
    states_raw = raw.get("states", [])
    if not isinstance(states_raw, list) or len(states_raw) > MAX_ITEMS:
        raise _bad("danh sách trạng thái tiêu chí")
    states = []
    for item in states_raw:
        if not isinstance(item, dict):
            raise _bad("một trạng thái tiêu chí")
        try:
            state = ReviewState(str(item.get("state")))
        except ValueError:
            raise _bad(f"trạng thái “{str(item.get('state'))[:40]}”") from None
        states.append(
            StateEntry(
                _text(item.get("code"), MAX_CODE, "mã tiêu chí"),
                state,
                _text(item.get("note", ""), MAX_NOTE, "ghi chú"),
            )
        )
    member = clean(_text(raw.get("member", ""), 200, "thành viên"))
    issued = _text(raw.get("issued_at", ""), 40, "thời điểm ban hành")
    return CycleSection(str(kind), tuple(states), deadline, member, issued)


def read_scores(appraisal: Any) -> list[ScoreEntry]:
    """The scores of ``extra.appraisal.items``, bounded and checked."""
    if not isinstance(appraisal, dict):
        raise _bad("thiếu phần thẩm định")
    items = appraisal.get("items")
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        raise _bad("danh sách tiêu chí")
    out = []
    for it in items:
        score = it.get("score") if isinstance(it, dict) else None
        if not isinstance(it, dict) or not (
            score is None
            or (isinstance(score, int | float) and not isinstance(score, bool) and score >= 0)
        ):
            raise _bad("một tiêu chí")
        out.append(
            ScoreEntry(
                _text(it.get("code"), MAX_CODE, "mã tiêu chí"),
                None if score is None else float(score),
                _text(it.get("comment", ""), MAX_NOTE, "nhận xét"),
            )
        )
    return out


CHANGE_FIELDS = ("at", "actor", "code", "field", "before", "after", "reason")


def read_change_log(doc: Any) -> list[dict[str, str]]:
    """The change log a unit's bundle carries (``extra.changes``), bounded; ``[]`` if none."""
    extra = doc.get("extra") if isinstance(doc, dict) else None
    raw = extra.get("changes") if isinstance(extra, dict) else None
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise ParAppError("Nhật ký thay đổi trong hồ sơ sai cấu trúc.")
    out = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise ParAppError("Nhật ký thay đổi trong hồ sơ sai cấu trúc.")
        out.append(
            {k: _text(entry.get(k, ""), MAX_NOTE, "nhật ký thay đổi") for k in CHANGE_FIELDS}
        )
    return out
