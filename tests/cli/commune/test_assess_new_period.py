"""``parapp assess start FRAMEWORK --period NEXT --carry-over``: last period's answers and
evidence into the new period, marked until reviewed; without the flag nothing is carried
and running again with it still works."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run


def test_new_period_from_the_command_line(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    run(capsys, "assess", "start", "par-tinh-2018", "--period", "2025", "--data-dir", dd)
    run(capsys, "assess", "set", "1.1.1", "--score", "0,5", "--note", "Có QĐ", "--data-dir", dd)
    scan = tmp_path / "qd.pdf"
    scan.write_bytes(b"%PDF-1.4 quyet dinh")
    run(capsys, "evidence", "add", "1.1.1", str(scan), "--data-dir", dd)

    code, out, err = run(
        capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--json", "--data-dir", dd
    )
    assert code == 0 and json.loads(out)["carried"] == []
    assert "Có thể lấy 1 câu trả lời cùng 1 tài liệu kiểm chứng của kỳ 2025" in err
    assert "chạy lại với --carry-over" in err

    code, out, err = run(
        capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--carry-over", "--json",
        "--data-dir", dd,
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["carried"] == ["1.1.1"] and data["from_period"] == "2025"
    assert "đánh dấu “từ kỳ trước”" in err
    code, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    shown = json.loads(out)
    assert shown["period"] == "2026"
    [answer] = shown["answers"]
    assert (answer["code"], answer["self_score"], answer["carried_from"]) == ("1.1.1", 0.5, "2025")
    assert [e["file_name"] for e in answer["evidence"]] == ["qd.pdf"]
    assert {"code": "1.1.1", "kind": "carried_over", "blocking": False}.items() <= next(
        p for p in shown["problems"] if p["kind"] == "carried_over"
    ).items()
    # an edit reviews it
    run(capsys, "assess", "set", "1.1.1", "--note", "Có QĐ năm 2026", "--data-dir", dd)
    code, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    assert "carried_from" not in json.loads(out)["answers"][0]
