"""Inbox and trusted keys at the service level: progress, cancel, rotation, key lists, reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from parapp.interchange import key_rotation, keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
from parapp.interchange.keys import KeyPair
from parapp.models.assessment import Answer
from parapp.models.errors import ParAppError
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys
from parapp.services.office import appraisal, consolidation, inbox
from parapp.services.workspace import Workspace
from parapp.storage.office_repo import InboxRepo
from tests.models.sample_framework import sample_framework

UNITS = ("X1", "X2", "X3", "X4")


@pytest.fixture
def office(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "office", backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("D1", "Huyện Một", UnitLevel.DISTRICT, "P1"), Unit("P1", "Tỉnh", UnitLevel.PROVINCE)
    )
    for code in UNITS:
        ws.add_unit(Unit(code, f"Xã {code}", UnitLevel.COMMUNE, "D1"))
    yield ws  # type: ignore[misc]
    ws.close()


def _bundle(out: Path, unit: str, kp: KeyPair, score: float, revision: int = 1) -> Path:
    fw = sample_framework()
    info = BundleInfo(unit, f"Xã {unit}", "commune", "D1", fw.id, fw.content_hash, "2026",
                      revision, "2026-01-05T08:00:00Z", "test", "A", "Chủ tịch")  # fmt: skip
    doc = make_assessment_doc(info, fw, [Answer("1.2", self_score=score)])
    path = out / f"{unit}-r{revision}.zip"
    write_bundle(path, info, doc, [], kp)
    return path


def test_progress_and_cancel(office: Workspace, tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    folder = tmp_path / "in"
    folder.mkdir()
    files = [_bundle(folder, u, kp, 1.0) for u in UNITS]
    seen: list[tuple[int, int]] = []
    report = inbox.import_bundles(
        office, [folder], lambda d, t: seen.append((d, t)), cancel=lambda: len(seen) >= 1
    )
    assert report.cancelled and 1 <= len(report.entries) < len(UNITS)
    assert seen[0][1] == sum(f.stat().st_size for f in files)
    assert len(inbox.inbox_entries(office)) == len(report.entries)
    assert not list((office.data_dir / "inbox" / ".incoming").iterdir())  # nothing left over
    rest = inbox.import_bundles(office, [folder])
    assert rest.count(inbox.STATUS_DUPLICATE) == len(report.entries)
    assert rest.count("unverified_key") == len(UNITS) - len(report.entries)


def test_rotation_key_list_and_expected_key(office: Workspace, tmp_path: Path) -> None:
    old, new = keys.generate_keypair(), keys.generate_keypair()
    keys.write_public_key(old.public, tmp_path / "old.pub")
    trusted_keys.enrol_key_file(office, "X1", tmp_path / "old.pub")
    statement = tmp_path / "rotation.txt"
    statement.write_text(
        key_rotation.make_rotation_statement(old, new.public, "2026-01-01"), "utf-8"
    )
    forged = tmp_path / "forged.txt"
    forged.write_text(key_rotation.make_rotation_statement(new, new.public, "2026-01-01"), "utf-8")
    with pytest.raises(ParAppError, match="không được ký bằng khóa đã đăng ký"):
        trusted_keys.apply_rotation(office, "X1", forged)
    assert trusted_keys.apply_rotation(office, "X1", statement).fingerprint == keys.fingerprint(
        new.public
    )
    bundle = _bundle(tmp_path, "X1", new, 2.0)
    assert trusted_keys.expected_key_for_bundle(office, bundle) == new.public
    assert inbox.import_bundle(office, bundle).status == "ok"
    (tmp_path / "old").mkdir()
    old_bundle = _bundle(tmp_path / "old", "X1", old, 1.5, revision=2)
    refused = inbox.import_bundle(office, old_bundle)
    assert refused.status == "refused" and "KHÁC" in refused.reason

    listing = tmp_path / "khoa.txt"
    assert trusted_keys.export_key_list(office, listing) == 1
    other = Workspace.open(tmp_path / "other", backup=False)
    try:
        other.set_own_unit(Unit("D1", "Huyện Một", UnitLevel.DISTRICT))
        with pytest.raises(ParAppError, match="Chưa có đơn vị mã “X1”"):
            trusted_keys.enrol_key_list(other, listing)
        other.add_unit(Unit("X1", "Xã X1", UnitLevel.COMMUNE, "D1"))
        (enrolled,) = trusted_keys.enrol_key_list(other, listing)
        assert enrolled.public == new.public and enrolled.source == trusted_keys.SOURCE_LIST
    finally:
        other.close()


def test_reports_for_printing(office: Workspace, tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    for unit, score in (("X1", 2.0), ("X2", 1.0)):
        inbox.import_bundle(office, _bundle(tmp_path, unit, kp, score))
    appraisal.set_appraisal(office, "X1", "1.2", 1.5, "Thiếu hồ sơ")
    appraisal.accept_self_scores(office, "X2")
    ranking = consolidation.ranking_report(office, "2026")
    assert [(r.unit_code, r.total, r.assessable_max, r.rank) for r in ranking.rows] == [
        ("X1", 1.5, 7.0, 1), ("X2", 1.0, 7.0, 2),
    ]  # fmt: skip
    assert ranking.area_max == (4.0, 6.0)
    assert [r.provisional for r in ranking.rows] == [True, False]  # X1 is half appraised
    assert ranking.missing_units == ("Xã X3", "Xã X4")
    report = consolidation.appraisal_report(office, "X1", "2026")
    line = next(ln for ln in report.lines if ln.code == "1.2")
    assert (line.self_score, line.appraised_score, line.comment) == (2.0, 1.5, "Thiếu hồ sơ")
    assert (report.self_total, report.appraised_total) == (2.0, 1.5)
    assert [a[0] for a in report.areas] == ["1", "2"]
    _printed_office_documents(office, tmp_path)
    with pytest.raises(ParAppError, match="bội số"):
        appraisal.set_appraisal(office, "X1", "1.2", 1.1)


def _printed_office_documents(office: Workspace, tmp_path: Path) -> None:
    """The ranking and the appraisal as printed: number, signer's form, max points column,
    units that did not submit, area subtotals, counts over self-assessable items."""
    from parapp.services import documents
    from parapp.services.office import printing as office_printing
    from tests.interchange.test_pdf_documents import pdf_layout_text, pdf_text

    opts = documents.document_options(number="31", date_text="03/12/2026")
    out = office_printing.print_ranking(
        office, tmp_path / "xh.pdf", "2026", "Lê Văn Cường", "Phó Chủ tịch UBND", options=opts
    )
    text = pdf_text(out)
    assert "Số: 31/BC-UBND" in text and "ngày 03 tháng 12 năm 2026" in text
    assert "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Lê Văn Cường" in text
    assert "Nơi nhận:" in text and "NGƯỜI LẬP" not in text
    layout = pdf_layout_text(out)
    row = next(line for line in layout.splitlines() if "Xã X1" in line)
    assert row.split()[-4:] == ["1,5*", "7", "21,43", "Yếu"], row
    assert "(*) Tạm tính" in text
    assert "Xã X3" in text and "Chưa nộp" in text and "2 đơn vị chưa nộp hồ sơ" in text
    out = office_printing.print_appraisal(office, "X1", tmp_path / "td.pdf", "2026", options=opts)
    text = pdf_text(out)
    assert "Số: 31/TB-UBND" in text
    assert "1 Điều tra XHH" not in text
    assert "Số tiêu chí có điều chỉnh điểm: 1/4 tiêu chí được tự đánh giá" in text
    subtotal = next(ln for ln in pdf_layout_text(out).splitlines() if ln.split()[:1] == ["I"])
    assert subtotal.split()[-4:] == ["4", "2", "1,5", "-0,5"]  # area subtotal row
    assert "Kết quả tạm tính: còn 3 tiêu chí chưa thẩm định" in text


def test_one_units_current_bundle_is_the_one_of_the_whole_list(
    office: Workspace, tmp_path: Path
) -> None:
    """``current_of`` (one unit, per keystroke) agrees with ``current`` (every unit)."""
    kp = keys.generate_keypair()
    folder = tmp_path / "in"
    folder.mkdir()
    for u in UNITS[:3]:
        _bundle(folder, u, kp, 1.0)
    _bundle(folder, "X2", kp, 0.5, revision=2)
    _bundle(folder, "X3", kp, 0.5, revision=3)
    inbox.import_bundles(office, [folder])
    repo = InboxRepo(office.db)
    every = {str(r["unit_code"]): r for r in repo.current("2026")}
    assert {u: int(r["revision"]) for u, r in every.items()} == {"X1": 1, "X2": 2, "X3": 3}
    for u in UNITS:
        assert repo.current_of(u, "2026") == every.get(u)
    assert repo.current_of("X1", "2025") is None
    with pytest.raises(ParAppError, match="X4"):
        appraisal.current_bundle(office, "X4", "2026")
