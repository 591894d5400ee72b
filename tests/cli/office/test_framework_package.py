"""``parapp framework publish`` and ``parapp framework import FILE.zip`` through the CLI,
with the Excel/JSON import of ``framework import`` unchanged."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from parapp.fileio import atomic_write_text
from parapp.interchange import keys
from parapp.models.framework import framework_to_dict
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_keys
from parapp.services.office.inbox import deadline_for
from parapp.services.workspace import Workspace
from tests.cli.helpers import run
from tests.models.sample_framework import sample_framework
from tests.services.cycle_helpers import PASS, make_office


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    monkeypatch.setenv("PARAPP_PASSPHRASE", PASS)


def test_publish_then_import_through_the_cli(
    env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    office = make_office(tmp_path)
    unit_keys.create_key(office, PASS)
    keys.write_public_key(unit_keys.key_status(office).public, tmp_path / "D1.pub")  # type: ignore[union-attr]
    office.close()
    commune = Workspace.open(tmp_path / "X1", backup=False)
    commune.set_own_unit(
        Unit("X1", "Xã Một", UnitLevel.COMMUNE, "D1"), Unit("D1", "Huyện Một", UnitLevel.DISTRICT)
    )
    commune.close()
    od, cd = str(tmp_path / "office"), str(tmp_path / "X1")
    pkg = tmp_path / "bo-chi-so-2026.zip"

    code, out, err = run(
        capsys, "framework", "publish", "mau-2026", "--out", str(pkg), "--period", "2026",
        "--level", "xã", "--deadline", "15/01/2027", "--bands", "Tốt=80, Khá=60, Yếu=0",
        "--data-dir", od,
    )  # fmt: skip
    assert code == 0, err
    assert "Đã ban hành bộ chỉ số mau-2026 cho kỳ 2026 (lần 1)" in out
    assert "cấp xã" in out and pkg.is_file()
    with Workspace.open(Path(od), backup=False) as ows:
        assert deadline_for(ows, "2026") == date(2027, 1, 15)
        assert ows.settings.get("rating_thresholds") == [["Tốt", 80.0], ["Khá", 60.0], ["Yếu", 0.0]]

    code, out, err = run(capsys, "framework", "import", str(pkg), "--data-dir", cd)
    assert code == 1 and "Chưa tin khóa của đơn vị ban hành Huyện Một" in err
    assert "Traceback" not in err
    code, out, err = run(capsys, "keys", "trust", "D1", str(tmp_path / "D1.pub"), "--data-dir", cd)
    assert code == 0, err
    code, out, err = run(capsys, "framework", "import", str(pkg), "--data-dir", cd, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["id"] == "mau-2026"
    assert data["package"]["bands"] == [["Tốt", 80.0], ["Khá", 60.0], ["Yếu", 0.0]]
    assert (data["package"]["period"], data["package"]["deadline"]) == ("2026", "2027-01-15")
    code, out, err = run(
        capsys, "assess", "start", "mau-2026", "--period", "2026", "--data-dir", cd
    )
    assert code == 0, err
    code, out, err = run(capsys, "framework", "list", "--data-dir", cd)
    assert "mau-2026" in out and "gói của Huyện Một, kỳ 2026" in out
    assert code == 0, err

    # the same command still takes a framework as JSON (and Excel)
    other = tmp_path / "khac.json"
    fw = sample_framework("mau-json")
    atomic_write_text(other, json.dumps(framework_to_dict(fw), ensure_ascii=False))
    code, out, err = run(capsys, "framework", "import", str(other), "--data-dir", cd)
    assert code == 0 and "Đã nhập bộ chỉ số mau-json" in out

    code, out, err = run(
        capsys, "framework", "publish", "mau-2026", "--out", str(pkg), "--period", "2026",
        "--level", "làng", "--data-dir", od,
    )  # fmt: skip
    assert code == 1 and "Cấp áp dụng “làng” không hợp lệ" in err
