"""Revision numbering end to end (issue 12): A → B → A is revision 3 and reaches the office;
unscored items need a confirmation per area; the main window's submission state."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from parapp.interchange.bundle import verify_bundle
from parapp.models.errors import ValidationError
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys, unit_keys
from parapp.services.commune import submission
from parapp.services.office import inbox
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework
from tests.services.helpers import setup_ws

PASS = "mat-khau-du-dai"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = setup_ws(tmp_path / "ws")
    unit_keys.create_key(w, PASS)
    w.set_answer("1.1.1", value=1, explanation="QĐ số 12/QĐ-UBND")
    yield w  # type: ignore[misc]
    w.close()


def _export(ws: Workspace, out: Path) -> tuple[int, Path]:
    predicted = submission.next_revision(ws, "Trần Văn Bình", "Chủ tịch UBND").number
    rev, res = submission.export_bundle(
        ws, out, unit_keys.unlock(ws, PASS), "Trần Văn Bình", confirm_all_unscored=True
    )
    assert rev.revision == predicted  # the dialog's prediction is the export's number
    return rev.revision, res.path


def test_a_b_a_gives_revision_3_and_the_office_takes_it(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    ws.set_answer("1.2", self_score=1.0)  # A
    r1, f1 = _export(ws, out)
    ws.set_answer("1.2", self_score=2.0)  # B
    r2, f2 = _export(ws, out)
    ws.set_answer("1.2", self_score=1.0)  # back to A
    assert submission.has_unsubmitted_changes(ws)
    r3, f3 = _export(ws, out)
    assert (r1, r2, r3) == (1, 2, 3)
    assert [r.revision for r in submission.revisions(ws)] == [1, 2, 3]
    assert submission.revisions(ws)[2].answers_digest == submission.revisions(ws)[0].answers_digest
    r3_again, _ = _export(ws, out)  # nothing changed since r3: r3 is written again
    assert r3_again == 3 and len(submission.revisions(ws)) == 3
    assert submission.next_revision(ws, "Người Khác", "Phó Chủ tịch").number == 4

    # the office imports r1, r2, r3 and one crafted bundle in one batch
    office = Workspace.open(tmp_path / "office", backup=False)
    try:
        office.save_framework(sample_framework())
        office.set_own_unit(
            Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE),
        )
        office.add_unit(Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48"))
        unit_keys.export_public(ws, tmp_path / "xa.pub")
        trusted_keys.enrol_key_file(office, "20551", tmp_path / "xa.pub")
        batch = tmp_path / "batch"
        batch.mkdir()
        for f in (f3, f1, f2):  # any order
            shutil.copy(f, batch / f.name)
        with (
            zipfile.ZipFile(f2) as src,
            zipfile.ZipFile(batch / "zz-crafted.zip", "w") as dst,
        ):
            for item in src.infolist():  # r2 with its score raised after signing
                data = src.read(item)
                if item.filename.endswith("data/assessment.json"):
                    data = data.replace(b'"self_score": 2.0', b'"self_score": 9.0')
                dst.writestr(item, data)
        report = inbox.import_bundles(office, [batch])
        by_file = {e.file: e for e in report.entries}
        assert by_file["zz-crafted.zip"].status == inbox.STATUS_REFUSED
        assert by_file["zz-crafted.zip"].reason
        assert sorted(e.revision for e in report.entries if e.accepted) == [1, 2, 3]
        from parapp.storage.office_repo import InboxRepo

        current = InboxRepo(office.db).current("2026")
        assert [(str(r["unit_code"]), int(r["revision"])) for r in current] == [("20551", 3)]
        assert verify_bundle(f3, unit_keys.unlock(ws, PASS).public).ok
    finally:
        office.close()


def test_unscored_items_block_until_each_area_is_confirmed(ws: Workspace, tmp_path: Path) -> None:
    check = submission.preflight(ws)
    assert not check.blocking and not check.ok
    assert check.unconfirmed == list(check.unscored)
    areas = list(check.unscored)
    assert areas and all(
        p.kind in submission.UNSCORED_KINDS for g in check.unscored.values() for p in g
    )
    kp = unit_keys.unlock(ws, PASS)
    with pytest.raises(ValidationError, match="chưa chấm điểm") as err:
        submission.export_bundle(ws, tmp_path / "x.zip", kp, "Trần Văn Bình")
    assert f"Lĩnh vực {areas[0]}" in str(err.value)
    if len(areas) > 1:
        partial = submission.preflight(ws, areas[:1])
        assert partial.unconfirmed == areas[1:] and not partial.ok
    assert submission.preflight(ws, areas).ok
    assert submission.preflight(ws, confirm_all_unscored=True).ok
    with pytest.raises(ValidationError, match="Không có lĩnh vực mã “99”"):
        submission.preflight(ws, ["99"])
    assert not (tmp_path / "x.zip").exists()
    rev, _ = submission.export_bundle(
        ws, tmp_path / "x.zip", kp, "Trần Văn Bình", confirm_unscored=areas
    )
    assert rev.revision == 1


def test_submission_state_label(ws: Workspace, tmp_path: Path) -> None:
    assert submission.submission_state(ws).label() == "Chưa nộp hồ sơ lần nào"
    submission.export_bundle(
        ws, tmp_path / "a.zip", unit_keys.unlock(ws, PASS), "B", confirm_all_unscored=True
    )
    state = submission.submission_state(ws)
    assert (
        state.label().startswith("Đã nộp lần 1 lúc ") and "không có thay đổi mới" in state.label()
    )
    ws.set_answer("1.2", self_score=0.5)
    label = submission.submission_state(ws).label()
    assert label.endswith("· có thay đổi chưa nộp")
    import re

    assert re.fullmatch(
        r"Đã nộp lần 1 lúc \d\d:\d\d ngày \d\d/\d\d/\d{4} · có thay đổi chưa nộp", label
    )
