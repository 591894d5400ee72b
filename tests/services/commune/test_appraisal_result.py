"""Appraisal results at the commune: own revision, older never replaces newer, items checked.

Each crafted file is correctly signed by the enrolled parent key, so only the new checks can
refuse it; each refusal names its reason in Vietnamese and stores nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
from parapp.models.errors import ParAppError
from parapp.services import trusted_keys
from parapp.services.commune.appraisal_result import appraisal_for_own_assessment, import_appraisal
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework
from tests.services.helpers import setup_ws


@pytest.fixture
def commune(tmp_path: Path) -> Any:
    ws = setup_ws(tmp_path / "ws")
    kp = keys.generate_keypair()
    keys.write_public_key(kp.public, tmp_path / "tinh.pub")
    trusted_keys.enrol_key_file(ws, "48", tmp_path / "tinh.pub")
    yield ws, kp
    ws.close()


def _result(folder: Path, kp: keys.KeyPair, revision: int, items: list[Any], name: str) -> Path:
    fw = sample_framework()
    info = BundleInfo("48", "Thành phố Đà Nẵng", "province", "", fw.id, fw.content_hash, "2026",
                      revision, "2026-03-01T08:00:00Z", "test", "Lê Hoa", "Trưởng phòng",
                      kind="appraisal", extra=(("ParApp-X-Appraised-Unit", "20551"),))  # fmt: skip
    appraisal = {"unit_code": "20551", "unit_name": "Phường Điện Bàn", "revision": 1,
                 "based_on_revision": 1, "complete": False, "items": items}  # fmt: skip
    doc = make_assessment_doc(info, fw, [], extra={"appraisal": appraisal})
    path = folder / name
    write_bundle(path, info, doc, [], kp)
    return path


def test_newer_result_replaces_older_never_the_reverse(commune: Any, tmp_path: Path) -> None:
    ws, kp = commune
    r1 = _result(tmp_path, kp, 1, [{"code": "1.2", "score": 1.0, "comment": "lần 1"}], "r1.zip")
    r2 = _result(tmp_path, kp, 2, [{"code": "1.2", "score": 1.5, "comment": "lần 2"}], "r2.zip")
    assert import_appraisal(ws, r1)["revision"] == 1
    assert import_appraisal(ws, r2)["revision"] == 2
    with pytest.raises(ParAppError, match=r"lần 1, cũ hơn kết quả lần 2"):
        import_appraisal(ws, r1)
    assert appraisal_for_own_assessment(ws)["1.2"] == (1.5, "lần 2")
    assert import_appraisal(ws, r2)["revision"] == 2  # the same file again is harmless
    forged = _result(tmp_path, kp, 2, [{"code": "1.2", "score": 0.0, "comment": "khác"}], "f.zip")
    with pytest.raises(ParAppError, match="lần 2 đã nhận trước đó với nội dung khác"):
        import_appraisal(ws, forged)
    assert appraisal_for_own_assessment(ws)["1.2"] == (1.5, "lần 2")


@pytest.mark.parametrize(
    ("items", "reason"),
    [
        ([{"code": "1.2", "score": 1}, {"code": "1.2", "score": 2}], "xuất hiện hai lần"),
        ([{"code": "1.2", "score": 10**30}], "quá lớn"),
        ([{"code": "1.2", "score": 1e300}], "quá lớn"),
        ([{"code": "1.2", "score": 2.5}], "phải từ 0 đến 2"),
        ([{"code": "1.2", "score": -1}], "phải từ 0 đến 2"),
        ([{"code": "9.9", "score": 1}], "không có tiêu chí mã “9.9”"),
        ([{"code": "1.2", "score": "1"}], "không phải là số"),
        ([{"code": "1.2", "score": True}], "không phải là số"),
        ([{"score": 1}], "thiếu mã tiêu chí"),
        ([{"code": "1.2", "score": 1, "comment": ["x"]}], "nhận xét"),
        ({"code": "1.2"}, "thiếu danh sách"),
    ],
    ids=[
        "duplicate",
        "int-1e30",
        "float-1e300",
        "over-max",
        "negative",
        "unknown-code",
        "string-score",
        "bool-score",
        "no-code",
        "comment-list",
        "items-not-list",
    ],
)
def test_crafted_items_are_refused_in_vietnamese(
    commune: Any, tmp_path: Path, items: Any, reason: str
) -> None:
    ws, kp = commune
    path = _result(tmp_path, kp, 1, items, "bad.zip")
    with pytest.raises(ParAppError, match=reason):
        import_appraisal(ws, path)
    assert appraisal_for_own_assessment(ws) == {}
    assert not ws.settings.get("appraisal_result_seen:2026:mau-2026")


def test_cli_prints_no_traceback_for_a_crafted_result(commune: Any, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    ws: Workspace = commune[0]
    path = _result(tmp_path, commune[1], 1, [{"code": "1.2", "score": 10**30}] * 2, "x.zip")
    data_dir = str(ws.data_dir)
    ws.close()
    env = dict(os.environ, PARAPP_DATA_DIR=data_dir, PARAPP_NO_GUI="1")
    done = subprocess.run(
        [sys.executable, "-m", "parapp", "appraisal", "import", str(path)],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    # refused by the verifier already (a 10^30 integer), before the item checks run
    assert "Kết quả thẩm định “x.zip” bị từ chối" in done.stderr and "quá lớn" in done.stderr
