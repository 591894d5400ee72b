"""The inbox view's summary of a batch names bundles that could not be imported yet."""

from __future__ import annotations

from parapp.services.office import inbox
from parapp.ui.office.common import RED
from parapp.ui.office.inbox_view import InboxView


def test_retryable_bundles_are_reported_with_their_reason() -> None:
    report = inbox.ImportReport(
        [
            inbox.InboxEntry("x1.zip", "ok"),
            inbox.InboxEntry("x2.zip", inbox.STATUS_RETRY, "Ổ đĩa đã đầy, không ghi được “D:/hs”."),
            inbox.InboxEntry("x3.zip", "refused", "Hồ sơ có tiêu chí trả lời hai lần."),
        ]
    )
    text, colour = InboxView._report_text(report)
    assert "1 chưa nhập được — thử lại (Ổ đĩa đã đầy" in text and "“D:/hs”" in text
    assert "1 bị từ chối" in text and colour == RED
