"""The appraisal-cycle click commands (src/parapp/cli/review.py): output and user errors."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from tests.services.cycle_helpers import Cycle, make_cycle

SRC = Path(__file__).resolve().parents[2] / "src" / "parapp" / "cli" / "review.py"


def _commands() -> ModuleType:
    # Loaded by path: until the click CLI package lands, ``parapp.cli`` is the argparse module.
    spec = importlib.util.spec_from_file_location("parapp_cli_review", SRC)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def test_state_review_and_audit_commands(cycle: Cycle) -> None:
    cli, run, office = _commands(), CliRunner(), str(cycle.office.data_dir)
    bad = run.invoke(cli.appraise_state, ["X1", "1.2", "xong", "--data-dir", office])
    assert bad.exit_code == 1
    assert bad.output.startswith("Lỗi: Trạng thái thẩm định “xong” không hợp lệ")
    assert "Traceback" not in bad.output
    no_note = run.invoke(cli.appraise_state, ["X1", "1.2", "khong-chap-nhan", "--data-dir", office])
    assert no_note.exit_code == 1 and "phải có ghi chú" in no_note.output

    ok = run.invoke(
        cli.appraise_state,
        ["X1", "1", "yeu-cau-giai-trinh", "--note", "Giải trình", "--data-dir", office, "--json"],
    )
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["count"] == 3
    assert {i["state_label"] for i in data["items"]} == {"Yêu cầu giải trình"}
    listed = run.invoke(
        cli.appraise_review, ["X1", "--state", "explain", "--data-dir", office, "--json"]
    )
    assert [i["code"] for i in json.loads(listed.output)] == ["1.1.1", "1.1.2", "1.2"]
    text = run.invoke(cli.audit, ["--unit", "X1", "--data-dir", office])
    assert text.exit_code == 0
    assert text.output.count("Lê Thị Hoa") == 3 and "(Giải trình)" in text.output
    owed = run.invoke(cli.appraisal_outstanding, ["--data-dir", office, "--json"])
    assert json.loads(owed.output)[0] | {"days_left": None} == {
        "unit_code": "X1", "requests": 3, "answered": 0, "owing": 3, "response_deadline": "",
        "days_left": None, "late": False, "locked": False, "locked_at": "",
    }  # fmt: skip
    none = run.invoke(cli.requests_list, ["--data-dir", str(cycle.root / "X2"), "--json"])
    assert json.loads(none.output) == {"requests": [], "locked": False, "since": ""}
