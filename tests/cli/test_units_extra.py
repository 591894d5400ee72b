"""``units lineage`` and ``units edit`` click commands (src/parapp/cli/units_extra.py)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner

from parapp.cli import main

SRC = Path(__file__).resolve().parents[2] / "src" / "parapp" / "cli" / "units_extra.py"


def _commands() -> ModuleType:
    # Loaded by path: until the click CLI package lands, ``parapp.cli`` is the argparse module.
    spec = importlib.util.spec_from_file_location("parapp_units_extra", SRC)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_lineage_prints_both_directions() -> None:
    cmd = _commands().lineage
    old = CliRunner().invoke(cmd, ["old-20560"])
    assert old.exit_code == 0, old.output
    assert "Phường Điện Thắng Bắc, Thị xã Điện Bàn, Tỉnh Quảng Nam — mã old-20560" in old.output
    assert "(đến 30/06/2025)" in old.output
    assert "Nay thuộc:\n  - Phường Điện Bàn Bắc (mã 20557): toàn bộ" in old.output
    new = CliRunner().invoke(cmd, ["20557"])
    assert new.exit_code == 0 and "Hình thành từ:" in new.output
    assert "  - Phường Điện Thắng Bắc (mã old-20560): toàn bộ" in new.output
    data = json.loads(CliRunner().invoke(cmd, ["48", "--json"]).output)
    assert (
        data["unit"]["name"] == "Thành phố Đà Nẵng" and data["unit"]["valid_from"] == "01/07/2025"
    )
    assert [p["code"] for p in data["predecessors"]] == ["old-48", "old-49"]
    assert data["successors"] == []


def test_lineage_of_an_unknown_code_is_a_vietnamese_error() -> None:
    result = CliRunner().invoke(_commands().lineage, ["99999"])
    assert result.exit_code == 1
    assert "Lỗi: Mã “99999” không có trong danh mục" in result.output
    assert "Traceback" not in result.output


def test_edit_corrects_the_parent_placeholder(tmp_path: Path) -> None:
    dd = str(tmp_path / "ws")
    assert main(["init", "--unit", "H-X1", "--name", "Xã Mẫu", "--parent", "P01",
                 "--data-dir", dd]) == 1  # fmt: skip
    assert main(["init", "--unit", "H-X1", "--name", "Xã Mẫu", "--parent", "P01",
                 "--parent-name", "UBND huyện Mẫu", "--data-dir", dd]) == 0  # fmt: skip
    edit = _commands().edit
    runner = CliRunner()
    result = runner.invoke(edit, ["P01", "--name", "UBND huyện Điện Bàn", "--level", "huyện",
                                  "--parent", "", "--data-dir", dd, "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "code": "P01", "name": "UBND huyện Điện Bàn", "level": "district",
        "parent_code": None, "province": "",
    }  # fmt: skip
    bad = runner.invoke(edit, ["H-X1", "--parent", "H-X1", "--data-dir", dd])
    assert bad.exit_code == 1 and "chính nó" in bad.output and "Traceback" not in bad.output
