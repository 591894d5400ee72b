"""Review states: which need a comment, which are requests, the lock message, days left."""

from __future__ import annotations

import pytest

from parapp.models.errors import ValidationError
from parapp.models.review import (
    ReviewState,
    check_state_note,
    format_local,
    lock_message,
)


def test_comment_rules() -> None:
    assert {s for s in ReviewState if s.needs_comment} == {
        ReviewState.ADJUSTED,
        ReviewState.REJECTED,
    }
    assert {s for s in ReviewState if s.is_request} == {
        ReviewState.EXPLAIN,
        ReviewState.SUPPLEMENT,
    }
    check_state_note(ReviewState.PASSED, "", "1.1")
    with pytest.raises(ValidationError, match=r"Tiêu chí 1\.1: trạng thái “Không chấp nhận”"):
        check_state_note(ReviewState.REJECTED, "   ", "1.1")
    with pytest.raises(ValidationError, match="Yêu cầu bổ sung tài liệu"):
        check_state_note(ReviewState.SUPPLEMENT, "", "2.3")


def test_lock_message_and_dates() -> None:
    when = "2026-04-10T09:15:00.000+00:00"
    day = format_local(when)
    assert len(day) == 16 and day[2] == "/" and day[5] == "/"
    assert lock_message("2025", when) == (
        f"Kỳ đánh giá 2025 đã có kết quả thẩm định chính thức ngày {day[:10]}; không sửa được. "
        "Đề nghị cấp trên mở lại nếu cần."
    )
    assert format_local("không phải ngày") == "không phải ngày"
