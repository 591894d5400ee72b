"""Review states of an appraised item and the rules of the appraisal cycle (no I/O).

The office's appraisal team reviews each criterion and gives it one state. Two states
require a comment (a changed score or a refusal must say why); two are requests the unit
answers (an explanation, or more evidence) before the final appraisal.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from parapp.models.errors import ValidationError
from parapp.models.text import fold


class ReviewState(StrEnum):
    NOT_REVIEWED = "not_reviewed"
    PASSED = "passed"
    ADJUSTED = "adjusted"
    EXPLAIN = "explain"
    SUPPLEMENT = "supplement"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def needs_comment(self) -> bool:
        """A changed score or a refusal must say why (the unit reads it)."""
        return self in (ReviewState.ADJUSTED, ReviewState.REJECTED)

    @property
    def is_request(self) -> bool:
        """The unit is asked to answer (explain, or add evidence)."""
        return self in (ReviewState.EXPLAIN, ReviewState.SUPPLEMENT)


STATE_LABELS: dict[ReviewState, str] = {
    ReviewState.NOT_REVIEWED: "Chưa thẩm định",
    ReviewState.PASSED: "Đạt",
    ReviewState.ADJUSTED: "Điều chỉnh điểm",
    ReviewState.EXPLAIN: "Yêu cầu giải trình",
    ReviewState.SUPPLEMENT: "Yêu cầu bổ sung tài liệu",
    ReviewState.REJECTED: "Không chấp nhận",
}

#: What the unit did about a request, as the office sees it next to the request.
RESPONSE_NONE = "Chưa trả lời"
RESPONSE_EXPLAINED = "Đã giải trình"
RESPONSE_SUPPLEMENTED = "Đã bổ sung"

#: Author recorded when the workspace names no officer (Settings → officer).
UNNAMED_ACTOR = "(chưa ghi tên cán bộ)"

#: Kinds of appraisal result documents the office sends down.
KIND_PRELIMINARY = "preliminary"
KIND_FINAL = "final"
KIND_REOPEN = "reopen"
KIND_PARTIAL = "partial"
RESULT_KINDS = (KIND_PRELIMINARY, KIND_FINAL, KIND_REOPEN, KIND_PARTIAL)
KIND_LABELS = {
    KIND_PRELIMINARY: "Kết quả thẩm định sơ bộ",
    KIND_FINAL: "Kết quả thẩm định chính thức",
    KIND_REOPEN: "Mở lại kỳ đánh giá",
    KIND_PARTIAL: "Kết quả thẩm định của thành viên",
}


def parse_state(text: str) -> ReviewState:
    """A state from its code ("explain") or its Vietnamese label, with or without diacritics."""
    key = fold(text).replace("_", " ").strip()
    for state in ReviewState:
        if key in (state.value.replace("_", " "), fold(state.label)):
            return state
    choices = ", ".join(f"{s.value} ({s.label})" for s in ReviewState)
    raise ValidationError(f"Trạng thái thẩm định “{text}” không hợp lệ; chọn một trong: {choices}.")


def check_state_note(state: ReviewState, note: str, code: str) -> None:
    """Refuse a state that needs a comment without one, or a request without its text."""
    if (state.needs_comment or state.is_request) and not note.strip():
        raise ValidationError(
            f"Tiêu chí {code}: trạng thái “{state.label}” phải có ghi chú nêu rõ lý do "
            "hoặc nội dung yêu cầu."
        )


def format_local(iso: str) -> str:
    """A stored UTC timestamp as local ``dd/mm/yyyy HH:MM``."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return iso


def lock_message(period: str, final_at: str) -> str:
    """The refusal every edit of a finally appraised period gets, on both sides."""
    day = format_local(final_at)[:10]
    return (
        f"Kỳ đánh giá {period} đã có kết quả thẩm định chính thức ngày {day}; không sửa được. "
        "Đề nghị cấp trên mở lại nếu cần."
    )
