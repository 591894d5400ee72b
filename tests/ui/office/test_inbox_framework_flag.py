"""The inbox table shows the flag of a bundle made against a framework the office did not
publish, where the other inbox warnings appear (status column, warning colour)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from parapp.services.framework_package import NOT_PUBLISHED
from parapp.services.office.inbox import InboxEntry
from parapp.ui.office.common import OK_BG, WARN_BG
from parapp.ui.office.inbox_view import InboxModel, entry_colour, entry_status_text


def test_flag_in_status_column_and_colour(qtbot: QtBot) -> None:
    warning = f"{NOT_PUBLISHED} cho kỳ 2026 (mã bộ chỉ số 0123456789ab); hãy đề nghị …"
    plain = InboxEntry("a.zip", "ok", unit_code="X1", unit_name="Xã Một", period="2026", revision=1)
    flagged = InboxEntry(**(plain.__dict__ | {"file": "b.zip", "framework_warning": warning}))
    model = InboxModel()
    model.set_entries([plain, flagged])
    status = [model.data(model.index(r, 4), Qt.ItemDataRole.DisplayRole) for r in (0, 1)]
    assert status[0] == "Hợp lệ"
    assert status[1] == f"Hợp lệ — {warning}"
    assert model.data(model.index(1, 4), Qt.ItemDataRole.ToolTipRole).startswith(
        "Hợp lệ — Bộ chỉ số"
    )
    assert entry_colour(plain) == OK_BG and entry_colour(flagged) == WARN_BG
    assert entry_status_text(flagged).count(NOT_PUBLISHED) == 1
    assert flagged.warned and not plain.warned  # the "flagged" filter of the inbox shows it
