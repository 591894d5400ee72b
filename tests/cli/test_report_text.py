"""``parapp report narrative``: show, set and draft through the click group."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner

from parapp.services import narrative as service
from parapp.services.workspace import Workspace
from tests.services.helpers import setup_ws

SOURCE = Path(__file__).resolve().parents[2] / "src" / "parapp" / "cli" / "report_text.py"


def _module() -> ModuleType:
    """Loaded from its file: ``parapp.cli`` is still a module until the click CLI lands."""
    spec = importlib.util.spec_from_file_location("report_text_under_test", SOURCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_set_show_draft(tmp_path: Path) -> None:
    setup_ws(tmp_path / "ws").close()
    group = _module().narrative
    runner = CliRunner()
    dd = ["--data-dir", str(tmp_path / "ws")]
    result = runner.invoke(group, [*dd, "set", "causes", "--text", "Cán bộ kiêm nhiệm nhiều việc."])
    assert result.exit_code == 0, result.output
    assert "Đã lưu mục “Nguyên nhân”" in result.output
    result = runner.invoke(group, [*dd, "show", "causes"])
    assert "Cán bộ kiêm nhiệm nhiều việc." in result.output
    result = runner.invoke(group, [*dd, "draft"])
    assert "chưa tự chấm điểm" in result.output
    assert "Cán bộ kiêm nhiệm" not in result.output
    result = runner.invoke(group, [*dd, "draft", "--save"])
    assert result.exit_code == 0
    with Workspace.open(tmp_path / "ws", backup=False) as ws:
        stored = service.stored_narrative(ws)
        assert stored.causes == "Cán bộ kiêm nhiệm nhiều việc."  # kept, not overwritten
        assert "chưa tự chấm điểm" in stored.shortcomings  # the draft filled the empty ones


def test_errors_are_vietnamese_lines(tmp_path: Path) -> None:
    setup_ws(tmp_path / "ws").close()
    group = _module().narrative
    dd = ["--data-dir", str(tmp_path / "ws")]
    result = CliRunner().invoke(group, [*dd, "set", "causes", "--text", "x" * 20_001])
    assert result.exit_code == 1
    assert "quá giới hạn 20000 ký tự" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(group, [*dd, "set", "causes"])
    assert result.exit_code == 2 and "--text hoặc --file" in result.output
