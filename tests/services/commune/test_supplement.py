"""A supplement answers the parent's requests without reopening what was confirmed before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parapp.models.assessment import Answer
from parapp.models.errors import ValidationError
from parapp.models.review import ReviewState
from parapp.services.commune import requests, submission
from parapp.services.commune.supplement import export_supplement
from parapp.services.office import inbox, review
from tests.services.cycle_helpers import Cycle, make_cycle


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def _request_evidence(cycle: Cycle, code: str) -> None:
    """The office asks ``code`` of X3 for a document; X3 imports the request and adds it."""
    x3 = cycle.communes["X3"]
    review.set_state(cycle.office, "X3", "1.2", ReviewState.SUPPLEMENT, "Bổ sung ảnh")
    prelim = review.export_result(cycle.office, "X3", cycle.root, cycle.office_key, "Hoa")
    requests.import_result(x3, prelim.path)
    photo = cycle.root / "anh.jpg"
    photo.write_bytes(b"\xff\xd8" + b"p" * 900)
    x3.add_evidence(code, photo)


def test_an_area_sent_unscored_before_needs_no_new_confirmation(cycle: Cycle) -> None:
    x3 = cycle.communes["X3"]
    x3.restore_answer(Answer(code="2.1"))  # area 2 left unscored, confirmed when sent
    _rev, sent = submission.export_bundle(
        x3, cycle.outbox, cycle.commune_keys["X3"], "Trần Văn An", confirm_unscored=["2"]
    )
    assert inbox.import_bundle(cycle.office, sent.path).status == "ok"
    _request_evidence(cycle, "1.2")

    supplement = export_supplement(x3, cycle.outbox, cycle.commune_keys["X3"], "Trần Văn An")

    assert (supplement.base_revision, supplement.revision, supplement.carried) == (2, 3, 1)
    assert supplement.path.is_file()


def test_a_score_removed_since_the_appraised_revision_must_be_confirmed(cycle: Cycle) -> None:
    x3 = cycle.communes["X3"]
    _request_evidence(cycle, "1.2")
    x3.restore_answer(Answer(code="2.1"))  # scored in revision 1, emptied now

    with pytest.raises(ValidationError, match="còn tiêu chí chưa chấm điểm"):
        export_supplement(x3, cycle.outbox, cycle.commune_keys["X3"], "Trần Văn An")
    assert not list(cycle.outbox.glob("*bosung*"))

    supplement = export_supplement(
        x3, cycle.outbox, cycle.commune_keys["X3"], "Trần Văn An", confirm_unscored=["2"]
    )
    assert (supplement.base_revision, supplement.revision) == (1, 2)


def test_the_base_is_the_units_revision_not_the_offices_count_of_results(cycle: Cycle) -> None:
    x2 = cycle.communes["X2"]
    for note in ("Bổ sung ảnh", "Bổ sung ảnh chụp rõ hơn"):  # two results on revision 1
        review.set_state(cycle.office, "X2", "1.2", ReviewState.SUPPLEMENT, note)
        prelim = review.export_result(cycle.office, "X2", cycle.root, cycle.office_key, "Hoa")
        requests.import_result(x2, prelim.path)
    photo = cycle.root / "anh2.jpg"
    photo.write_bytes(b"\xff\xd8" + b"q" * 900)
    x2.add_evidence("1.2", photo)

    supplement = export_supplement(x2, cycle.outbox, cycle.commune_keys["X2"], "Trần Văn An")

    # revision 1 already carried the inspection scan: only the new photo travels
    assert (supplement.base_revision, supplement.revision, supplement.carried) == (1, 2, 1)
    assert len(supplement.omitted) == 1
