"""The office demo (``make run-office``): built through the real commune export and inbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from parapp.services import trusted_keys
from parapp.services.office.appraisal import default_period, unit_appraisal
from parapp.services.office.inbox import completeness
from parapp.services.office_demo import (
    APPRAISED,
    COMMUNES,
    SUBMITTED,
    demo_communes,
    open_office_demo,
)
from parapp.services.workspace import Workspace


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("office-demo") / "ws"
    open_office_demo(root).close()
    return root


def test_the_office_has_real_communes_of_da_nang(office: Path) -> None:
    units = demo_communes()
    assert len(units) == COMMUNES
    assert {u.parent_code for u in units} == {"48"}
    assert any(u.name.startswith("Xã ") for u in units)
    assert any(u.name.startswith("Phường ") for u in units)
    with Workspace.open(office, backup=False) as ws:
        own = ws.own_unit()
        assert own is not None and own.code == "48"
        assert ws.current_assessment() is None  # an office: it opens on its inbox
        assert {u.code for u in ws.child_units()} == {u.code for u in units}


def test_ten_sent_two_missing_one_unverified(office: Path) -> None:
    with Workspace.open(office, backup=False) as ws:
        done = completeness(ws, default_period(ws))
        sent = [u for u in done.units if u.state != "missing"]
        assert len(sent) == SUBMITTED
        assert len(done.units) - len(sent) == COMMUNES - SUBMITTED
        assert sum(not u.key_verified for u in sent) == 1
        assert len(trusted_keys.list_keys(ws)) == SUBMITTED - 1
        assert done.deadline is not None


def test_answers_differ_between_communes_and_some_are_appraised(office: Path) -> None:
    with Workspace.open(office, backup=False) as ws:
        period = default_period(ws)
        totals, appraised = set(), 0
        for unit in demo_communes()[:SUBMITTED]:
            ua = unit_appraisal(ws, unit.code, period)
            totals.add(sum(i.self_score or 0 for i in ua.items))
            assert not [i.code for i in ua.items if i.flag]  # the demo's scores follow the rules
            if any(i.appraised is not None for i in ua.items):
                appraised += 1
                lowered = [i for i in ua.items if i.appraised == 0 and (i.self_score or 0) > 0]
                assert lowered and all(i.comment for i in lowered)
        assert len(totals) >= 3
        assert appraised == APPRAISED


def test_reopening_does_not_build_again(office: Path) -> None:
    before = sorted(p.name for p in (office / "inbox").rglob("*"))
    open_office_demo(office).close()
    assert sorted(p.name for p in (office / "inbox").rglob("*")) == before
    assert not list((office / "tmp").iterdir())  # no scratch commune left behind
