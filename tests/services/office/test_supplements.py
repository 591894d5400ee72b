"""Supplements in a batch: completed after the ordinary bundles they build on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp.models.review import ReviewState
from parapp.services import trusted_keys
from parapp.services.commune import requests
from parapp.services.commune.supplement import export_supplement
from parapp.services.office import review, supplements
from tests.services.cycle_helpers import Cycle, make_cycle, make_office


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def test_a_batch_with_the_base_and_its_supplement(cycle: Cycle) -> None:
    x2 = cycle.communes["X2"]
    review.set_state(cycle.office, "X2", "1.2", ReviewState.SUPPLEMENT, "Bổ sung ảnh")
    prelim = review.export_result(cycle.office, "X2", cycle.root, cycle.office_key, "Hoa")
    requests.import_result(x2, prelim.path)
    photo = cycle.root / "anh.jpg"
    photo.write_bytes(b"\xff\xd8" + b"p" * 900)
    x2.add_evidence("1.2", photo)
    batch = cycle.root / "lo"
    batch.mkdir()
    sent = export_supplement(x2, batch, cycle.commune_keys["X2"], "Trần Văn An")
    base = cycle.outbox / "hoso-X2-2026-r1.zip"
    broken = batch / "hong.zip"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    # another office PC that has nothing yet: the supplement comes first in the list
    other = make_office(cycle.root, "office2")
    cycle.extra.append(other)
    trusted_keys.enrol_key_file(other, "X2", cycle.root / "X2.pub")
    report = supplements.import_paths(other, [sent.path, broken, base])
    got = {(e.file, e.status, e.revision) for e in report.entries}
    assert ("hoso-X2-2026-r1.zip", "ok", 1) in got
    assert (sent.path.name, "ok", 2) in got
    assert ("hong.zip", "refused", 0) in got

    # without the base revision: a clear refusal, nothing imported
    third = make_office(cycle.root, "office3")
    cycle.extra.append(third)
    trusted_keys.enrol_key_file(third, "X2", cycle.root / "X2.pub")
    (alone,) = supplements.import_paths(third, [sent.path]).entries
    assert alone.status == "refused"
    assert "dẫn chiếu lần nộp 1 kỳ 2026, nhưng chưa nhận lần nộp đó" in alone.reason
