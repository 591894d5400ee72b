"""``parapp report narrative``: show, set and draft the report's own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parapp.services.commune import narrative as service
from parapp.services.workspace import Workspace
from tests.cli.helpers import run
from tests.services.helpers import setup_ws


def test_set_show_draft(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    setup_ws(tmp_path / "ws").close()
    dd = ["--data-dir", str(tmp_path / "ws")]
    code, out, err = run(
        capsys, "report", "narrative", "set", "causes", "--text", "Cán bộ kiêm nhiệm nhiều việc.",
        *dd,
    )  # fmt: skip
    assert code == 0, err
    assert "Đã lưu mục “Nguyên nhân”" in out
    _, out, _ = run(capsys, "report", "narrative", "show", "causes", *dd)
    assert "Cán bộ kiêm nhiệm nhiều việc." in out
    _, out, _ = run(capsys, "report", "narrative", "show", "causes", "--json", *dd)
    assert json.loads(out) == {"causes": "Cán bộ kiêm nhiệm nhiều việc."}
    _, out, _ = run(capsys, "report", "narrative", "draft", *dd)
    assert "chưa tự chấm điểm" in out
    assert "Cán bộ kiêm nhiệm" not in out
    code, _, _ = run(capsys, "report", "narrative", "draft", "--save", *dd)
    assert code == 0
    with Workspace.open(tmp_path / "ws", backup=False) as ws:
        stored = service.stored_narrative(ws)
        assert stored.causes == "Cán bộ kiêm nhiệm nhiều việc."  # kept, not overwritten
        assert "chưa tự chấm điểm" in stored.shortcomings  # the draft filled the empty ones


def test_errors_are_vietnamese_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    setup_ws(tmp_path / "ws").close()
    dd = ["--data-dir", str(tmp_path / "ws")]
    code, _, err = run(capsys, "report", "narrative", "set", "causes", "--text", "x" * 20_001, *dd)
    assert code == 1
    assert "quá giới hạn 20000 ký tự" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "report", "narrative", "set", "causes", *dd)
    assert code == 2 and "--text hoặc --file" in err
