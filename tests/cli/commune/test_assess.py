"""``parapp assess`` and ``parapp evidence``: scripted filling, as a user scripts it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_scripted_filling_and_show(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    assert (
        run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "assess",
        "set",
        "1.1.1",
        "--score",
        "0,5",
        "--note",
        "Có QĐ",
        "--json",
        "--data-dir",
        dd,
    )
    assert code == 0 and json.loads(out)["self_score"] == 0.5
    code, _, err = run(capsys, "assess", "set", "1.1.1", "--score", "3", "--data-dir", dd)
    assert code == 1 and "vượt điểm tối đa" in err
    code, _, err = run(capsys, "assess", "set", "1.1.1", "--data-dir", dd)
    assert code == 2
    ev = tmp_path / "QĐ 123.pdf"
    ev.write_bytes(b"%PDF-1.4 quyet dinh")
    code, out, _ = run(
        capsys, "evidence", "add", "1.1.1", str(ev), "--ref", "trang 1", "--json", "--data-dir", dd
    )
    assert code == 0 and json.loads(out)["file_name"] == "QĐ 123.pdf"
    code, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    shown = json.loads(out)
    assert shown["total_score"] == 0.5 and shown["period"] == "2026"
    assert shown["answers"][0]["evidence"][0]["ref"] == "trang 1"
    assert run(capsys, "evidence", "check", "--data-dir", dd)[0] == 0


def test_assess_start_with_another_framework_warns_and_carries_over(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    """Changing framework from the CLI names what cannot be carried; --carry-over moves the
    rest by code (PAPI has no item 1.1.1, so that answer is listed as not carried)."""
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)
    run(capsys, "assess", "set", "1.1.1", "--note", "Đã làm", "--data-dir", dd)
    code, out, err = run(
        capsys, "assess", "start", "papi-quangnam-2020", "--period", "2026", "--json",
        "--carry-over", "--data-dir", dd,
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert "Bản tự đánh giá hiện tại dùng bộ chỉ số “par-tinh-2018”" in err
    assert data["carried"] == [] and data["not_carried"] == ["1.1.1"]
    assert "- 1.1.1: không có tiêu chí mã này trong bộ chỉ số mới" in err
    assert "Đã chuyển các câu trả lời phù hợp." in err
