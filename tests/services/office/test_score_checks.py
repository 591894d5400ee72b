"""The office never trusts a claimed score: verify, import, appraisal (issue 11)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from parapp.cli import main
from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, verify_bundle, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.assessment import Answer
from parapp.models.errors import ValidationError
from parapp.models.units import Unit, UnitLevel
from parapp.services.office import appraisal, inbox
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(tmp_path / "office", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"), Unit("P1", "Tỉnh", UnitLevel.PROVINCE)
    )
    ws.add_unit(Unit("X1", "Xã X1", UnitLevel.COMMUNE, "D1"))
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def kp() -> KeyPair:
    return keys.generate_keypair()


def signed_bundle(
    out: Path, kp: KeyPair, answers: list[Answer], edit: Callable[[dict[str, Any]], None]
) -> Path:
    """A correctly signed bundle whose answers were edited before signing (a buggy or
    hostile sender holding its own key)."""
    fw = sample_framework()
    info = BundleInfo("X1", "Xã X1", "commune", "D1", fw.id, fw.content_hash, "2026", 1,
                      "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch")  # fmt: skip
    doc = make_assessment_doc(info, fw, answers)
    edit(doc)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "X1-r1.zip"
    write_bundle(path, info, doc, [], kp)
    return path


def set_score(code: str, score: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        next(a for a in doc["answers"] if a["code"] == "1.2").update(code=code, self_score=score)

    return edit


def duplicate(doc: dict[str, Any]) -> None:
    doc["answers"].append(dict(doc["answers"][0]))


HOSTILE: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("above_max", set_score("1.2", 60), "tiêu chí 1.2: điểm tự chấm 60 nằm ngoài 0..2"),
    ("negative", set_score("1.2", -50), "tiêu chí 1.2: điểm tự chấm -50 nằm ngoài 0..2"),
    ("huge", set_score("1.2", 1e308), "tiêu chí 1.2: điểm tự chấm quá lớn"),
    # a 10^30 integer is refused earlier, by the bounded JSON reader, before any score check
    ("ten_to_30", set_score("1.2", 10**30), "số nguyên “10000000000000000000…” quá lớn"),
    ("unknown_code", set_score("7.7", 1), "tiêu chí 7.7 không có trong bộ tiêu chí"),
    ("duplicate_code", duplicate, "tiêu chí 1.2 xuất hiện hai lần"),
]


@pytest.mark.parametrize(("name", "edit", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_impossible_scores_refused_by_verify_and_import_naming_the_item(
    office: Workspace,
    tmp_path: Path,
    kp: KeyPair,
    name: str,
    edit: Callable[[dict[str, Any]], None],
    words: str,
) -> None:
    path = signed_bundle(tmp_path / name, kp, [Answer("1.2", self_score=1.5)], edit)
    report = verify_bundle(path)
    assert not report.ok
    expected_step = "assessment" if name == "ten_to_30" else "scores"
    assert report.failure is not None and report.failure.step == expected_step
    assert words in (report.first_failure or "")
    assert report.assessment is None
    entry = inbox.import_bundle(office, path)
    assert entry.status == inbox.STATUS_REFUSED
    assert words in entry.reason
    assert inbox.inbox_entries(office)[0].status == inbox.STATUS_REFUSED


def test_contradicting_self_score_is_imported_and_flagged(
    office: Workspace, tmp_path: Path, kp: KeyPair
) -> None:
    answers = [Answer("1.1.2", value=85.0, self_score=0.5), Answer("1.2", self_score=2.0)]

    def claim_full(doc: dict[str, Any]) -> None:
        next(a for a in doc["answers"] if a["code"] == "1.1.2")["self_score"] = 1.0

    path = signed_bundle(tmp_path / "contra", kp, answers, claim_full)
    report = verify_bundle(path)
    assert report.ok
    flag = "điểm tự chấm không khớp quy tắc: tính lại được 0,5"
    assert report.score_flags == {"1.1.2": flag}
    entry = inbox.import_bundle(office, path)
    assert entry.status in (inbox.STATUS_OK, inbox.STATUS_UNVERIFIED)
    assert f"1.1.2 ({flag})" in entry.reason
    items = {i.code: i for i in appraisal.unit_appraisal(office, "X1", "2026").items}
    assert items["1.1.2"].flag == flag and items["1.1.2"].recomputed == 0.5
    assert items["1.2"].flag == ""

    # accepting never writes a value the rule does not allow: the recomputed 0,5
    assert appraisal.accept_self_scores(office, "X1", "1.1.2", "2026") == 1
    items = {i.code: i for i in appraisal.unit_appraisal(office, "X1", "2026").items}
    assert items["1.1.2"].appraised == 0.5
    assert "tính lại theo quy tắc: 0,5 (đơn vị tự chấm 1)" in items["1.1.2"].comment


def test_accept_over_an_existing_appraisal_needs_overwrite(
    office: Workspace, tmp_path: Path, kp: KeyPair
) -> None:
    path = signed_bundle(tmp_path / "ok", kp, [Answer("1.2", self_score=2.0)], lambda d: None)
    inbox.import_bundle(office, path)
    appraisal.set_appraisal(office, "X1", "1.2", 1.0, "Thiếu báo cáo quý 4", "2026")
    with pytest.raises(ValidationError, match="đã có điểm thẩm định 1 và nhận xét"):
        appraisal.accept_self_scores(office, "X1", "1.2", "2026")
    assert appraisal.accept_self_scores(office, "X1", "1", "2026") == 2  # 1.1.1, 1.1.2 only
    items = {i.code: i for i in appraisal.unit_appraisal(office, "X1", "2026").items}
    assert (items["1.2"].appraised, items["1.2"].comment) == (1.0, "Thiếu báo cáo quý 4")
    assert appraisal.accept_self_scores(office, "X1", "1.2", "2026", overwrite=True) == 1
    items = {i.code: i for i in appraisal.unit_appraisal(office, "X1", "2026").items}
    assert (items["1.2"].appraised, items["1.2"].comment) == (2.0, "")


def test_cli_accept_refuses_without_overwrite(
    tmp_path: Path, kp: KeyPair, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "office"
    ws = Workspace.open(data, backup=False)
    try:
        ws.save_framework(sample_framework())
        ws.set_own_unit(Unit("D1", "Huyện Một", UnitLevel.DISTRICT))
        ws.add_unit(Unit("X1", "Xã X1", UnitLevel.COMMUNE, "D1"))
        path = signed_bundle(tmp_path / "b", kp, [Answer("1.2", self_score=2.0)], lambda d: None)
        inbox.import_bundle(ws, path)
        appraisal.set_appraisal(ws, "X1", "1.2", 1.0, "", "2026")
    finally:
        ws.close()
    base = ["appraise", "accept", "X1", "1.2", "--period", "2026", "--data-dir", str(data)]
    assert main([*base, "--json"]) == 1
    capsys.readouterr()
    assert main([*base, "--overwrite", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepted"] == 1


def test_not_applicable_travels_and_lowers_the_maximum(
    office: Workspace, tmp_path: Path, kp: KeyPair
) -> None:
    """3.3.3-style item (seed 003: "Không tính các xã thuộc huyện đảo") declared N/A."""
    from dataclasses import replace

    from parapp.models.scoring import ScoringRule
    from parapp.services.office import consolidation

    fw = sample_framework()
    island = ScoringRule(not_applicable="Không tính các xã thuộc huyện đảo")
    fw = replace(
        fw,
        criteria=tuple(replace(c, rule=island) if c.code == "1.2" else c for c in fw.criteria),
    )
    office.save_framework(fw)
    info = BundleInfo("X1", "Xã X1", "commune", "D1", fw.id, fw.content_hash, "2026", 1,
                      "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch")  # fmt: skip
    answers = [
        Answer("1.1.1", value=1.0, self_score=1.0),
        Answer("1.2", explanation="Xã thuộc huyện đảo Lý Sơn", not_applicable=True),
    ]
    doc = make_assessment_doc(info, fw, answers)
    assert doc["totals"]["assessable_max"] == 5.0  # 7 − 2
    (tmp_path / "na").mkdir()
    path = tmp_path / "na" / "X1.zip"
    write_bundle(path, info, doc, [], kp)
    assert verify_bundle(path).ok
    assert inbox.import_bundle(office, path).status != inbox.STATUS_REFUSED
    row = consolidation.consolidate(office, "2026").rows[0].result
    assert (row.total, row.maximum, row.index_percent) == (1.0, 5.0, 20.0)
    assert appraisal.accept_self_scores(office, "X1", period="2026") == 3  # not 1.2
