"""The appraisal cycle end to end: three communes, a district office, two appraisers.

Each commune is a real workspace that signs and submits through the submission service.
Two council members appraise in their own copies of the office workspace (restored from a
backup, the office key copied) and export signed partial results; the secretary merges them
(one conflict, resolved by an explicit choice), sends signed preliminary results with
requests; X1 answers with an explanation, X2 with a new evidence file, X3 does not answer;
the office sees who answered, decides, sends final results that lock the period on both
sides; a reopening unlocks one commune. The audit exports (Excel, read back) list every
change with its author and, where required, its reason.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from parapp.cli import audit as audit_cmd
from parapp.cli.commune import appraisal_result as commune_result
from parapp.cli.commune import requests as requests_cmd
from parapp.cli.office import appraisal_result as office_result
from parapp.cli.office import appraise
from parapp.interchange import keys
from parapp.interchange.bundle import extract_bundle
from parapp.models.errors import ParAppError, ValidationError
from parapp.models.review import ReviewState
from parapp.services import audit
from parapp.services.commune import requests
from parapp.services.office import inbox, merge, review
from parapp.services.workspace import Workspace
from parapp.storage.backup import backup_workspace, restore_workspace
from tests.services.cycle_helpers import PASS, Cycle, make_cycle
from tests.system_tools import tool

cli = SimpleNamespace(  # the cycle's commands, from the modules the CLI package wires them from
    appraisal_merge=office_result.appraisal_merge,
    appraisal_import=commune_result.appraisal_import,
    requests_list=requests_cmd.requests_list,
    appraise_changes=appraise.appraise_changes,
    audit=audit_cmd.audit,
)
BINH, CUC = "Nguyễn Văn Bình", "Phạm Thị Cúc"
LOCKED = (
    r"Kỳ đánh giá 2026 đã có kết quả thẩm định chính thức ngày \d\d/\d\d/\d{4}; "
    r"không sửa được\. Đề nghị cấp trên mở lại nếu cần\."
)


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    monkeypatch.setenv("PARAPP_PASSPHRASE", PASS)
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def member_copy(c: Cycle, name: str) -> Workspace:
    """A council member's own copy of the office workspace (another PC)."""
    archive = c.root / f"{name}.parapp-backup"
    backup_workspace(c.office.conn, c.office.data_dir, archive)
    target = c.root / f"member-{len(c.extra)}"
    restore_workspace(archive, target)
    (target / "keys").mkdir(exist_ok=True)  # the backup carries the key already
    shutil.copy2(c.office.data_dir / "keys" / "unit.key", target / "keys" / "unit.key")
    ws = Workspace.open(target, backup=False)
    ws.set_officer(name, "Thành viên Tổ thẩm định")
    c.extra.append(ws)
    return ws


def invoke(command: object, *args: str) -> str:
    result = CliRunner().invoke(command, [*args, "--json"])  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    return str(result.output)


def states(ws: Workspace, unit: str) -> dict[str, tuple[ReviewState, float | None]]:
    return {i.code: (i.state, i.appraised) for i in review.review_items(ws, unit)}


def test_three_communes_two_appraisers(cycle: Cycle) -> None:
    office, root = cycle.office, cycle.root
    # -- two members appraise in their own copies -----------------------------------------------
    binh, cuc = member_copy(cycle, BINH), member_copy(cycle, CUC)
    review.set_states(binh, "X1", ReviewState.PASSED, codes=["1.1.2", "1.2", "2.1"])
    review.set_state(binh, "X1", "1.1.1", ReviewState.EXPLAIN, "Giải trình ngày ban hành kế hoạch")
    review.set_state(binh, "X2", "1.2", ReviewState.SUPPLEMENT, "Bổ sung ảnh hội nghị tuyên truyền")
    review.set_states(cuc, "X2", ReviewState.PASSED, codes=["1.1", "2.1"])
    review.set_state(cuc, "X2", "1.2", ReviewState.ADJUSTED, "Chỉ tổ chức 1 hội nghị", score=1.0)
    review.set_states(cuc, "X3", ReviewState.PASSED, codes=["1"])
    review.set_state(cuc, "X3", "2.1", ReviewState.EXPLAIN, "Giải trình số hồ sơ trễ hạn")
    parts = root / "partials"
    parts.mkdir()
    files = [
        review.export_result(m, unit, parts, cycle.office_key, m.officer()["name"], "partial").path
        for m, units in ((binh, ("X1", "X2")), (cuc, ("X2", "X3")))
        for unit in units
    ]

    # -- the secretary merges: one conflict, nothing overwritten until chosen ------------------
    first = merge.merge_partials(office, files)
    assert [(c.unit_code, c.code) for c in first.conflicts] == [("X2", "1.2")]
    assert {p.member: p.state for p in first.conflicts[0].options} == {
        BINH: ReviewState.SUPPLEMENT,
        CUC: ReviewState.ADJUSTED,
    }
    assert len(first.applied) == 4 + 3 + 4  # X1 all, X2 but 1.2, X3 all
    assert states(office, "X2")["1.2"] == (ReviewState.NOT_REVIEWED, None)
    out = invoke(cli.appraisal_merge, *map(str, files), "--choose", f"X2:1.2={BINH}",
                 "--data-dir", str(office.data_dir))  # fmt: skip
    merged = json.loads(out)
    assert merged["resolved"] == [{"unit_code": "X2", "code": "1.2", "member": BINH}]
    assert merged["conflicts"] == [] and len(merged["applied"]) == 1
    assert states(office, "X2")["1.2"] == (ReviewState.SUPPLEMENT, None)
    assert states(office, "X1")["1.1.1"] == (ReviewState.EXPLAIN, None)
    assert states(office, "X3")["1.2"] == (ReviewState.PASSED, 2.0)

    # -- preliminary results with requests, imported by the communes ----------------------------
    down = root / "down"
    down.mkdir()
    deadline = date.today() - timedelta(days=1)  # the answers below come in late
    prelim = {
        u: review.export_result(
            office, u, down, cycle.office_key, "Lê Thị Hoa", "preliminary", deadline
        ).path
        for u in cycle.communes
    }
    out = invoke(cli.appraisal_import, str(prelim["X1"]), "--data-dir", str(root / "X1"))
    assert '"requests": 1' in out
    for u in ("X2", "X3"):
        assert requests.import_result(cycle.communes[u], prelim[u])["requests"] == 1
    x1, x2, x3 = (cycle.communes[u] for u in ("X1", "X2", "X3"))
    (req,) = requests.list_requests(x1, today=deadline - timedelta(days=10))
    assert (req.code, req.state, req.answered, req.days_left) == (
        "1.1.1", ReviewState.EXPLAIN, (), 10,
    )  # fmt: skip

    # -- X1 explains, X2 adds a file, X3 does not answer ------------------------------------------
    x1.set_answer("1.1.1", explanation="Kế hoạch ban hành ngày 20/12/2025 (QĐ 15/QĐ-UBND)")
    photo = root / "Ảnh hội nghị.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"anh" * 2000)
    x2.add_evidence("1.2", photo, ref="trang 1")
    out = invoke(cli.requests_list, "--data-dir", str(root / "X2"))
    assert '"answer": "Đã bổ sung"' in out
    assert requests.list_requests(x1)[0].answered == ("Đã giải trình",)
    assert requests.list_requests(x3)[0].answered == ()
    cycle.submit("X1")
    sent = cycle.supplement("X2")
    # the supplement carries only the new photo; the scan of revision 1 is referenced
    with zipfile.ZipFile(sent.path) as zf:
        names = zf.namelist()
        bag = names[0].split("/")[0]
        fetch = zf.read(f"{bag}/fetch.txt").decode()
    evidence = [n for n in names if "/data/evidence/" in n]
    photo_sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert [Path(n).stem for n in evidence] == [photo_sha]
    assert (sent.revision, sent.base_revision, sent.carried, len(sent.omitted)) == (2, 1, 1, 1)
    assert fetch.startswith("parapp-revision:1 3018 data/evidence/") and fetch.count("\n") == 1
    assert sent.path.stat().st_size < sent.full_path.stat().st_size
    # the office rebuilt the complete bag: bagit and minisign verify it as signed by X2
    (stored,) = [e for e in inbox.inbox_entries(office, "2026") if e.unit_code == "X2"
                 and e.revision == 2]  # fmt: skip
    assert stored.status == "ok"
    extracted = extract_bundle(
        office.data_dir / stored.stored_path, root / "check", cycle.commune_keys["X2"].public
    )
    checked = subprocess.run(
        [sys.executable, "-m", "bagit", "--validate", str(extracted.bag_dir)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0 and "is valid" in checked.stderr, checked.stderr
    assert len(list((extracted.bag_dir / "data" / "evidence").iterdir())) == 2
    keys.write_public_key(cycle.commune_keys["X2"].public, root / "X2-check.pub")
    manifest = extracted.bag_dir / "tagmanifest-sha256.txt"
    signed = subprocess.run(
        [tool("minisign"), "-Vm", str(manifest), "-x", f"{manifest}.minisig",
         "-p", str(root / "X2-check.pub")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert signed.returncode == 0 and "parapp:X2/2026/r2" in signed.stdout, signed.stderr
    assert review.review_items(office, "X1")[0].response == "Đã giải trình"
    # revision 2 carries X1's change log since revision 1: who, what, why
    log = review.unit_changes(office, "X1")
    assert [e["field"] for e in log] == ["result", "answer"]  # preliminary received, answered
    change = log[1]
    assert (change["actor"], change["code"], change["field"]) == (
        "Cán bộ Xã Một",
        "1.1.1",
        "answer",
    )
    assert change["reason"] == "Trả lời “Yêu cầu giải trình”: Giải trình ngày ban hành kế hoạch"
    assert "QĐ 15/QĐ-UBND" in change["after"] and change["at"][2] == "/"
    out = invoke(cli.appraise_changes, "X1", "--data-dir", str(office.data_dir))
    assert "Cán bộ Xã Một" in out
    x2_items = {i.code: i for i in review.review_items(office, "X2")}
    assert x2_items["1.2"].response == "Đã bổ sung" and x2_items["1.2"].changed
    assert not x2_items["2.1"].changed
    overview = {
        r["unit_code"]: r for r in review.outstanding(office, "2026", deadline - timedelta(days=2))
    }
    assert {u: r["owing"] for u, r in overview.items()} == {"X1": 0, "X2": 0, "X3": 1}
    assert overview["X3"]["response_deadline"] == deadline.strftime("%d/%m/%Y")
    assert overview["X3"]["days_left"] == 2
    assert overview["X1"]["late"]  # answered after the deadline: accepted, marked late

    # -- final results: refused while a request is open, then locking both sides ----------------
    with pytest.raises(ValidationError, match=r"còn 1 tiêu chí đang chờ đơn vị trả lời \(2.1\)"):
        review.export_result(office, "X3", down, cycle.office_key, "Lê Thị Hoa", "final")
    review.set_state(office, "X1", "1.1.1", ReviewState.PASSED)
    review.set_state(office, "X2", "1.2", ReviewState.PASSED)
    review.set_state(office, "X3", "2.1", ReviewState.REJECTED, "Không giải trình đúng hạn")
    finals = {
        u: review.export_result(office, u, down, cycle.office_key, "Lê Thị Hoa", "final").path
        for u in cycle.communes
    }
    with pytest.raises(ParAppError, match=LOCKED):
        review.set_state(office, "X1", "1.2", ReviewState.ADJUSTED, "sửa", score=1.0)
    for u, ws in cycle.communes.items():
        assert requests.import_result(ws, finals[u])["locked"]
    with pytest.raises(ParAppError, match=LOCKED):
        x1.set_answer("1.2", self_score=1.0)
    with pytest.raises(ParAppError, match=LOCKED):
        x2.add_evidence("2.1", photo)
    assert x3.answer("2.1").self_score == 3.0  # nothing changed

    # -- an office-granted reopening unlocks X3 only ----------------------------------------------
    review.reopen(office, "X3", "Đơn vị xin bổ sung số liệu quý IV")
    reopen = review.export_result(office, "X3", down, cycle.office_key, "Lê Thị Hoa", "reopen")
    assert not requests.import_result(x3, reopen.path)["locked"]
    x3.set_answer("2.1", explanation="Bổ sung số liệu quý IV")
    with pytest.raises(ParAppError, match="cũ hơn kết quả"):  # an older final never relocks:
        requests.import_result(x3, finals["X3"])  # an older result never replaces a newer one
    x3.set_answer("2.1", explanation="Bổ sung số liệu quý IV, đã rà soát")  # still open
    with pytest.raises(ParAppError, match=LOCKED):
        x1.set_answer("1.2", self_score=1.0)

    # -- the audit exports list every change with its author and reason ---------------------------
    xlsx = root / "nhat-ky-huyen.xlsx"
    invoke(cli.audit, "--xlsx", str(xlsx), "--data-dir", str(office.data_dir))
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời điểm", "Người thực hiện", "Đơn vị")
    body = rows[1:]
    assert len(body) == len(audit.entries(office)) > 20
    assert all(r[1] for r in body)  # every change has an author
    merged = [r for r in body if r[5] == "Hợp nhất kết quả thẩm định"]
    assert {r[8] for r in merged} == {f"Hợp nhất từ kết quả của {BINH}",
                                      f"Hợp nhất từ kết quả của {CUC}"}  # fmt: skip
    rejected = [r for r in body if r[5] == "Trạng thái thẩm định" and r[7] == "Không chấp nhận"]
    assert [(r[2], r[4], r[8]) for r in rejected] == [("X3", "2.1", "Không giải trình đúng hạn")]
    locks = [(r[2], r[7], r[8]) for r in body if r[5] == "Khóa kỳ đánh giá"]
    assert ("X3", "Mở lại", "Đơn vị xin bổ sung số liệu quý IV") in locks

    commune_xlsx = root / "nhat-ky-x1.xlsx"
    audit.export_xlsx(x1, commune_xlsx)
    crows = list(load_workbook(commune_xlsx).active.iter_rows(values_only=True))[1:]
    answer = [r for r in crows if r[5] == "Câu trả lời tự đánh giá" and r[4] == "1.1.1"]
    assert answer[-1][1] == "Cán bộ Xã Một"
    assert answer[-1][8] == "Trả lời “Yêu cầu giải trình”: Giải trình ngày ban hành kế hoạch"
    assert "Kế hoạch ban hành ngày 20/12/2025" in str(answer[-1][7])
    # each member's own copy records its own author
    assert {r["actor"] for r in audit.entries(cuc)} == {CUC}
