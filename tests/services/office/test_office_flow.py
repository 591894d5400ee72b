"""A district with five communes, end to end through the command line.

The communes fill in, sign and export their bundles; the district enrols keys, imports the
bundles (refusing a tampered one, one signed by a different key and one from a stranger),
appraises, ranks, writes the Excel workbook (read back through LibreOffice), sends an
appraisal result down and its own bundle up. Figures are checked against hand calculation.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from parapp.cli import main
from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
from parapp.models.assessment import Answer
from parapp.models.framework import framework_to_dict
from parapp.services import unit_keys
from parapp.services.commune.appraisal_result import appraisal_for_own_assessment
from parapp.services.office.inbox import completeness, inbox_entries, received_evidence_file
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework
from tests.system_tools import tool

PASS = "mat-khau-du-dai"
DISTRICT = "D01"
# Self-assessment per commune: 1.1.1 yes/no, 1.1.2 % (bands), 1.2 manual score, 2.1 % (bands).
COMMUNES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "X01": ("Xã Một", {"1.1.1": ("--value", "có"), "1.1.2": ("--value", "100"),
                       "1.2": ("--score", "2"), "2.1": ("--value", "99")}),  # 7
    "X02": ("Xã Hai", {"1.1.1": ("--value", "có"), "1.1.2": ("--value", "85"),
                       "1.2": ("--score", "1,5"), "2.1": ("--value", "95")}),  # 4.5
    "X03": ("Xã Ba", {"1.1.1": ("--value", "không"), "1.1.2": ("--value", "100"),
                      "1.2": ("--score", "2"), "2.1": ("--value", "99")}),  # 6
    "X04": ("Xã Bốn", {"1.1.1": ("--value", "có"), "1.1.2": ("--value", "100"),
                       "1.2": ("--score", "1"), "2.1": ("--value", "92")}),  # 4.5
    "X05": ("Xã Năm", {"1.1.1": ("--value", "có"), "1.1.2": ("--value", "100"),
                       "1.2": ("--score", "2"), "2.1": ("--value", "99")}),  # 7
}  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], ws: Path, *argv: str, code: int = 0) -> Any:
    """Run the CLI in-process with ``--json``; return the parsed output."""
    capsys.readouterr()
    rc = main([*argv[:2], "--data-dir", str(ws), "--json", *argv[2:]]) if len(argv) > 1 else 0
    out = capsys.readouterr()
    assert rc == code, (argv, out.out, out.err)
    return json.loads(out.out) if out.out.strip() else out.err


def _top(capsys: pytest.CaptureFixture[str], ws: Path, name: str, *rest: str) -> Any:
    capsys.readouterr()
    rc = main([name, "--data-dir", str(ws), "--json", *rest])
    out = capsys.readouterr()
    assert rc == 0, (name, out.err)
    return json.loads(out.out)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    monkeypatch.setenv("PARAPP_PASSPHRASE", PASS)
    monkeypatch.setenv("PARAPP_NO_GUI", "1")


def _make_commune(
    capsys: pytest.CaptureFixture[str], root: Path, code: str, name: str, fw_file: Path,
    parent: str = DISTRICT,
) -> Path:  # fmt: skip
    ws = root / code
    _top(capsys, ws, "init", "--unit", code, "--name", name, "--level", "xã", "--parent", parent,
         "--parent-name", "Huyện Mẫu")  # fmt: skip
    run(capsys, ws, "framework", "import", str(fw_file))
    run(capsys, ws, "assess", "start", "mau-2026", "--period", "2026")
    run(capsys, ws, "keys", "init")
    run(capsys, ws, "keys", "export-public", str(root / f"{code}.pub"))
    for item, (flag, value) in COMMUNES.get(code, COMMUNES["X01"])[1].items():
        run(capsys, ws, "assess", "set", item, flag, value, "--note", "Đã thực hiện")
    return ws


def _export(capsys: pytest.CaptureFixture[str], ws: Path, out: Path) -> Path:
    out.mkdir(exist_ok=True)
    data = run(
        capsys, ws, "bundle", "export", "--out", str(out), "--approver", "Trần Văn An",
        "--confirm-all-unscored",
    )  # fmt: skip
    return Path(data["file"])


def _flip_byte(src: Path, dst: Path, offset: int) -> Path:
    data = bytearray(src.read_bytes())
    data[offset] ^= 0xFF
    dst.write_bytes(bytes(data))
    return dst


def _soffice_csv(xlsx: Path, tmp: Path) -> list[list[str]]:
    soffice = tool("soffice")
    out = tmp / "csv"
    out.mkdir()
    profile = (tmp / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1",
         "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with (out / (xlsx.stem + ".csv")).open(encoding="utf-8", errors="replace") as fh:
        return list(csv.reader(fh))


def test_district_with_five_communes(
    env: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fw_file = tmp_path / "mau.json"
    fw_file.write_text(json.dumps(framework_to_dict(sample_framework()), ensure_ascii=False))
    scan = tmp_path / "Quyết định 12.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"k" * 50_000)

    # -- the communes -----------------------------------------------------------------------
    communes = {c: _make_commune(capsys, tmp_path, c, n, fw_file) for c, (n, _) in COMMUNES.items()}
    for c in ("X01", "X02"):  # the same scan from two communes: stored once at the district
        run(capsys, communes[c], "evidence", "add", "1.1.1", str(scan), "--ref", "trang 1")
    out = tmp_path / "nop"
    bundles = {c: _export(capsys, ws, out) for c, ws in communes.items()}
    stranger = _make_commune(capsys, tmp_path, "X99", "Xã Lạ", fw_file)
    stranger_bundle = _export(capsys, stranger, tmp_path / "la")

    # -- the district -------------------------------------------------------------------------
    dws = tmp_path / DISTRICT
    _top(capsys, dws, "init", "--unit", DISTRICT, "--name", "Huyện Mẫu", "--level", "huyện",
         "--parent", "P01", "--parent-name", "Tỉnh Mẫu")  # fmt: skip
    run(capsys, dws, "framework", "import", str(fw_file))
    run(capsys, dws, "keys", "init")
    run(capsys, dws, "keys", "export-public", str(tmp_path / "district.pub"))
    for c, (n, _) in COMMUNES.items():
        run(capsys, dws, "units", "add", c, "--name", n, "--level", "xã", "--parent", DISTRICT)
    for c in ("X01", "X02", "X03"):
        run(capsys, dws, "keys", "trust", c, str(tmp_path / f"{c}.pub"))
    other = keys.generate_keypair()  # X05 "enrolled" with somebody else's key
    keys.write_public_key(other.public, tmp_path / "other.pub")
    run(capsys, dws, "keys", "trust", "X05", str(tmp_path / "other.pub"))
    listed = run(capsys, dws, "keys", "list")
    assert [k["unit_code"] for k in listed] == ["X01", "X02", "X03", "X05"]

    tampered = _flip_byte(bundles["X03"], tmp_path / "tampered.zip",
                          bundles["X03"].stat().st_size // 3)  # fmt: skip
    # One full path through a real subprocess: the whole folder plus two loose files.
    proc = subprocess.run(
        [sys.executable, "-m", "parapp", "inbox", "import", str(out), str(tampered),
         str(stranger_bundle), "--data-dir", str(dws), "--json"],
        capture_output=True, text=True, timeout=300,
        env=os.environ | {"PARAPP_NO_GUI": "1"},
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr  # some files were refused
    entries = {Path(e["file"]).name: e for e in json.loads(proc.stdout)["entries"]}
    status = {n: e["status"] for n, e in entries.items()}
    assert status[bundles["X01"].name] == "ok" and status[bundles["X03"].name] == "ok"
    assert status[bundles["X04"].name] == "unverified_key"
    assert "chưa xác minh khóa" in entries[bundles["X04"].name]["status_label"]
    assert status["tampered.zip"] == "refused"
    assert "X05" in bundles["X05"].name and status[bundles["X05"].name] == "refused"
    assert "KHÁC với khóa đã đăng ký" in entries[bundles["X05"].name]["reason"]
    assert status[stranger_bundle.name] == "refused"
    assert "không phải đơn vị cấp dưới" in entries[stranger_bundle.name]["reason"]
    assert "parapp units add X99" in entries[stranger_bundle.name]["reason"]

    # Importing the same files again changes nothing.
    again = run(capsys, dws, "inbox", "import", str(bundles["X01"]), str(bundles["X02"]))
    assert [e["status"] for e in again["entries"]] == ["duplicate", "duplicate"]

    # X04: the officer compares the fingerprint read out on the phone, then trusts it.
    fp = keys.fingerprint(keys.read_public_key(tmp_path / "X04.pub"))
    bad_fp = "AAAA-BBBB-CCCC-DDDD"
    err = run(capsys, dws, "keys", "trust", "X04", "--fingerprint", bad_fp, code=1)
    assert "không khớp" in err
    run(capsys, dws, "keys", "trust", "X04", "--fingerprint", fp.lower().replace("-", " "))
    # X05: the right key replaces the wrong one, then its bundle goes in.
    run(capsys, dws, "keys", "trust", "X05", str(tmp_path / "X05.pub"), "--replace")
    assert run(capsys, dws, "inbox", "import", str(bundles["X05"]))["entries"][0]["status"] == "ok"

    # X02 sends a second revision; X03 a different bundle under the same revision number.
    run(capsys, communes["X02"], "assess", "set", "1.2", "--score", "1")  # 4.5 -> 4
    x02_r2 = _export(capsys, communes["X02"], tmp_path / "nop2")
    assert x02_r2.name.endswith("-r2.zip")
    conflict = _conflicting_bundle(communes["X03"], tmp_path / "conflict.zip")
    res = run(capsys, dws, "inbox", "import", str(x02_r2), str(conflict))
    assert [e["status"] for e in res["entries"]] == ["ok", "conflict"]

    with Workspace.open(dws, backup=False) as w:
        rows = inbox_entries(w, "2026")
        x02 = sorted((e.revision, e.superseded) for e in rows if e.unit_code == "X02")
        assert x02 == [(1, True), (2, False)]
        assert all(e.status == "ok" for e in rows if e.unit_code == "X04")  # now verified
        stored = [e for e in rows if e.accepted]
        for e in stored:
            assert (dws / e.stored_path).is_file()
            assert e.stored_path.startswith(f"inbox/{e.unit_code}/2026/r{e.revision}-")
        scan_sha = __import__("hashlib").sha256(scan.read_bytes()).hexdigest()
        # the stored bundle is the only copy of received evidence; one file comes out of it
        assert not (dws / "evidence").exists() or not w.evidence.has(scan_sha)
        assert stored[0].bundle_id is not None
        opened = received_evidence_file(w, stored[0].bundle_id, scan_sha, "Biên bản.pdf")
        assert opened.name == "Biên bản.pdf" and opened.read_bytes() == scan.read_bytes()
        c = completeness(w, "2026")
        # no deadline yet: "Đã nộp", never "đúng hạn"
        assert {u.unit_code: u.state for u in c.units} == dict.fromkeys(COMMUNES, "received")
    status_json = run(capsys, dws, "inbox", "status", "--period", "2026")
    assert status_json["counts"]["received"] == 5
    status_json = run(
        capsys, dws, "inbox", "status", "--period", "2026", "--deadline", "31/12/2099"
    )
    assert status_json["counts"]["submitted"] == 5  # with a deadline ahead: on time

    # -- appraisal --------------------------------------------------------------------------
    run(capsys, dws, "appraise", "accept", "X01")
    run(capsys, dws, "appraise", "set", "X01", "1.2", "--score", "1,5", "--note", "Thiếu báo cáo")
    run(capsys, dws, "appraise", "set", "X01", "2.2", "--score", "2,5")  # survey, by the office
    run(capsys, dws, "appraise", "accept", "X02")
    run(capsys, dws, "appraise", "accept", "X03")
    area = run(capsys, dws, "appraise", "accept", "X04", "1")
    assert (area["accepted"], area["appraised"], area["to_appraise"]) == (3, 3, 4)
    run(capsys, dws, "appraise", "set", "X05", "2.1", "--score", "1,5", "--note", "Chưa đạt 98%")
    run(capsys, dws, "appraise", "accept", "X05")
    err = run(capsys, dws, "appraise", "set", "X05", "1.2", "--score", "2,1", code=1)
    assert "bội số" in err or "vượt" in err
    shown = run(capsys, dws, "appraise", "show", "X01")
    item = next(i for i in shown["items"] if i["code"] == "1.2")
    assert (item["self_score"], item["appraised"], item["difference"]) == (2.0, 1.5, -0.5)

    # -- consolidation (hand calculation) -----------------------------------------------------
    # X01: 1+1+1.5+3 +2.5 (survey) = 9 / 10 = 90 %      -> 1, Xuất sắc
    # X03: 0+1+2+3 = 6 / 7 = 85.71 %                    -> 2, Tốt
    # X05: 1+1+2+1.5 = 5.5 / 7 = 78.57 %                -> 3, Khá
    # X02 (r2): 1+0.5+1+1.5 = 4 / 7 = 57.14 %           -> 5, Trung bình
    # X04: 1+1+1 appraised + 1.5 self (provisional) = 4.5 / 7 = 64.29 % -> 4, Trung bình
    cons = _top(capsys, dws, "consolidate", "--period", "2026", "--xlsx",
                str(tmp_path / "tonghop.xlsx"))  # fmt: skip
    got = [(r["unit_code"], r["total"], r["maximum"], r["index_percent"], r["rank"], r["rating"],
            r["provisional"]) for r in cons["rows"]]  # fmt: skip
    assert got == [
        ("X01", 9.0, 10.0, 90.0, 1, "Xuất sắc", False),
        ("X03", 6.0, 7.0, 85.71, 2, "Tốt", False),
        ("X05", 5.5, 7.0, 78.57, 3, "Khá", False),
        ("X04", 4.5, 7.0, 64.29, 4, "Trung bình", True),
        ("X02", 4.0, 7.0, 57.14, 5, "Trung bình", False),
    ]
    assert cons["rows"][0]["area_totals"] == [3.5, 5.5] and cons["provisional"] is True
    # A tie once X02's 1.2 is appraised at 1.5: both at 4.5 / 7 -> "1, 2, 3, 4, 4".
    run(capsys, dws, "appraise", "set", "X02", "1.2", "--score", "1,5")
    tied = _top(capsys, dws, "consolidate", "--thresholds", "Tốt=80, Đạt=60, Chưa đạt")
    assert [(r["unit_code"], r["rank"], r["rating"]) for r in tied["rows"]][3:] == [
        ("X02", 4, "Đạt"), ("X04", 4, "Đạt"),
    ]  # fmt: skip
    _top(capsys, dws, "consolidate", "--thresholds", "Xuất sắc=90, Tốt=80, Khá=70, "
         "Trung bình=50, Yếu=0", "--xlsx", str(tmp_path / "tonghop.xlsx"))  # fmt: skip

    table = _soffice_csv(tmp_path / "tonghop.xlsx", tmp_path)
    assert table[0][0].startswith("Tổng hợp, xếp hạng")
    assert table[2][:2] == ["Mã đơn vị", "Tên đơn vị"]
    body = {row[0]: row for row in table[3:8]}
    assert set(body) == set(COMMUNES)
    # columns: code, name, area 1, area 2, total, max, index, rank, rating
    assert [float(x.replace(",", ".")) for x in body["X01"][2:8]] == [3.5, 5.5, 9, 10, 90, 1]
    assert [float(x.replace(",", ".")) for x in body["X02"][4:8]] == [4.5, 7, 64.29, 4]
    assert body["X03"][8] == "Tốt" and body["X04"][9] == "Có"

    # -- appraisal result back to the commune -------------------------------------------------
    result_file = tmp_path / "thamdinh-X01.zip"
    run(capsys, dws, "appraisal", "export", "X01", str(result_file), "--approver", "Lê Thị Hoa")
    err = run(capsys, communes["X01"], "appraisal", "import", str(result_file), code=1)
    assert "Chưa đăng ký khóa công khai của đơn vị cấp trên" in err
    run(capsys, communes["X01"], "keys", "trust", DISTRICT, str(tmp_path / "X02.pub"))
    err = run(capsys, communes["X01"], "appraisal", "import", str(result_file), code=1)
    assert "bị từ chối" in err  # signed by the district, not by the key enrolled
    run(capsys, communes["X01"], "keys", "trust", DISTRICT, str(tmp_path / "district.pub"),
        "--replace")  # fmt: skip
    run(capsys, communes["X01"], "appraisal", "import", str(result_file))
    with Workspace.open(communes["X01"], backup=False) as w:
        seen = appraisal_for_own_assessment(w)
    assert seen["1.2"] == (1.5, "Thiếu báo cáo") and seen["2.2"] == (2.5, "")
    assert seen["1.1.1"] == (1.0, "")
    # The same file is refused by another commune.
    run(capsys, communes["X02"], "keys", "trust", DISTRICT, str(tmp_path / "district.pub"))
    err = run(capsys, communes["X02"], "appraisal", "import", str(result_file), code=1)
    assert "dành cho đơn vị X01" in err

    # -- the district's own bundle upward -------------------------------------------------------
    office = tmp_path / "huyen.zip"
    run(capsys, dws, "bundle", "export-office", "--out", str(office), "--approver", "Phạm Văn B")
    proc = subprocess.run(
        [sys.executable, "-m", "parapp", "bundle", "verify", str(office), "--recursive",
         "--pubkey", str(tmp_path / "district.pub"), "--json",
         "--data-dir", str(tmp_path / "province")],
        capture_output=True, text=True, timeout=300, env=os.environ | {"PARAPP_NO_GUI": "1"},
    )  # fmt: skip
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, report["first_failure"]
    assert sorted(ch["info"]["unit_code"] for ch in report["children"]) == sorted(COMMUNES)
    with zipfile.ZipFile(office) as zf:
        doc = json.loads(next(zf.read(n) for n in zf.namelist() if n.endswith("assessment.json")))
        child = next(i for i in zf.infolist() if "/data/children/" in i.filename)
    assert doc["extra"]["consolidation"]["rows"][0]["unit_code"] == "X01"
    assert {a["code"] for a in doc["extra"]["appraisals"]["X01"]} >= {"1.2", "2.2"}
    offset = child.header_offset + 30 + len(child.filename.encode()) + child.file_size // 2
    broken = _flip_byte(office, tmp_path / "huyen-hong.zip", offset)
    report = run(capsys, tmp_path / "province", "bundle", "verify", str(broken), "--recursive",
                 "--pubkey", str(tmp_path / "district.pub"), code=1)  # fmt: skip
    assert report["ok"] is False


def _conflicting_bundle(commune: Path, out: Path) -> Path:
    """A bundle of the commune's revision 1 with other answers, signed with its own key."""
    with Workspace.open(commune, backup=False) as w:
        kp = unit_keys.unlock(w, PASS)
        unit = w.require_unit()
        fw = w.current_framework()
        info = BundleInfo(unit.code, unit.name, unit.level.value, unit.parent_code or "",
                          fw.id, fw.content_hash, "2026", 1, "2026-01-05T08:00:00Z", "test",
                          "Trần Văn An", "Chủ tịch UBND")  # fmt: skip
        doc = make_assessment_doc(info, fw, [Answer("1.2", self_score=0.5)])
        write_bundle(out, info, doc, [], kp)
    return out
