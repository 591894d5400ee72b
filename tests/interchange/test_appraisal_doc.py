"""The cycle section of an appraisal result: round trip, and hostile content refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from parapp.interchange.appraisal_doc import (
    MAX_ITEMS,
    CycleSection,
    StateEntry,
    read_cycle,
    read_scores,
)
from parapp.models.errors import ParAppError
from parapp.models.review import ReviewState


def test_round_trip() -> None:
    section = CycleSection(
        "preliminary",
        (StateEntry("1.2", ReviewState.EXPLAIN, "Giải trình"),),
        date(2026, 3, 31),
        "Nguyễn Văn Bình",
        "2026-03-01T08:00:00.000+00:00",
    )
    assert read_cycle({"items": [], "cycle": section.to_dict()}) == section
    assert read_cycle({"items": []}) is None  # an ordinary result of earlier versions


@pytest.mark.parametrize(
    ("cycle", "message"),
    [
        ("text", "không phải đối tượng"),
        ({"kind": "cuối"}, "loại kết quả “cuối” không hợp lệ"),
        ({"kind": "final", "response_deadline": "31/03/2026"}, "không phải ngày"),
        ({"kind": "final", "states": [{"code": "1", "state": "ok"}]}, "trạng thái “ok”"),
        ({"kind": "final", "states": [{"code": 1, "state": "passed"}]}, "mã tiêu chí"),
        ({"kind": "final", "states": [{"code": "1"}] * (MAX_ITEMS + 1)}, "danh sách trạng thái"),
    ],
)
def test_hostile_sections_are_refused(cycle: Any, message: str) -> None:
    with pytest.raises(ParAppError, match=message):
        read_cycle({"items": [], "cycle": cycle})


def test_scores_are_bounded() -> None:
    long = "x" * 20000
    (entry,) = read_scores({"items": [{"code": "1.2", "score": 1.5, "comment": long}]})
    assert (entry.score, len(entry.comment)) == (1.5, 10000)
    for bad in ({"code": "1", "score": -1}, {"code": "1", "score": True}, "1.2"):
        with pytest.raises(ParAppError, match="một tiêu chí"):
            read_scores({"items": [bad]})
