"""The commune's side: importing results, the lock covering every write, old reopenings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp.models.errors import ParAppError
from parapp.models.review import ReviewState
from parapp.services import audit
from parapp.services.commune import requests
from parapp.services.office import review
from tests.services.cycle_helpers import Cycle, make_cycle

LOCKED = r"Kỳ đánh giá 2026 đã có kết quả thẩm định chính thức ngày .*; không sửa được\."


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def _export(c: Cycle, kind: str) -> Path:
    return review.export_result(c.office, "X1", c.root, c.office_key, "Lê Thị Hoa", kind).path


def test_partial_results_are_refused_and_the_lock_covers_every_write(cycle: Cycle) -> None:
    x1 = cycle.communes["X1"]
    scan = cycle.root / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"s" * 500)
    link = x1.add_evidence("1.2", scan)
    row = x1.unlink_evidence(link.id)
    x1.relink_evidence(row)
    review.set_states(cycle.office, "X1", ReviewState.PASSED, codes=["1", "2"])
    partial = _export(cycle, "partial")
    with pytest.raises(ParAppError, match="kết quả của một thành viên tổ thẩm định"):
        requests.import_result(x1, partial)
    old_reopen = _export(cycle, "reopen")  # issued before the final: must not unlock
    final = _export(cycle, "final")
    assert requests.import_result(x1, final)["locked"]
    answer = x1.answer("1.2")
    for attempt in (
        lambda: x1.restore_answer(answer),
        lambda: x1.set_answer("1.2", explanation="sửa"),
        lambda: x1.unlink_evidence(link.id),
        lambda: x1.update_evidence(link.id, "trang 2", ""),
        lambda: x1.relink_evidence(row),
    ):
        with pytest.raises(ParAppError, match=LOCKED):
            attempt()
    with pytest.raises(ParAppError, match="cũ hơn kết quả"):  # older: never replaces
        requests.import_result(x1, old_reopen)
    assert requests.lock_status(x1)["locked"]
    kinds = [(e["field_key"], e["before"] != "", e["after"] != "") for e in audit.entries(x1)]
    assert kinds[-4:-1] == [("evidence", False, True), ("evidence", True, False),
                            ("evidence", False, True)]  # fmt: skip
    assert [e["after"] for e in audit.entries(x1) if e["field_key"] == "result"] == [
        "Kết quả thẩm định chính thức",  # the older reopening was refused: no entry
    ]
