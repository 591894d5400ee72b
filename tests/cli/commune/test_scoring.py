"""Scoring through the command line on the default PAR framework (issue 11).

Only exit codes and JSON output are asserted: the CLI is being rewritten with click and
keeps the same commands and options.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, _ = capsys.readouterr()
    return code, out


@pytest.fixture
def dd(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    d = str(tmp_path / "ws")
    assert run(capsys, "init", "--unit", "20551", "--data-dir", d)[0] == 0
    assert (
        run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", d)[0] == 0
    )
    return d


def shown_answer(capsys: pytest.CaptureFixture[str], dd: str, code: str) -> dict[str, Any]:
    status, out = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    assert status == 0
    return next(a for a in json.loads(out)["answers"] if a["code"] == code)


def test_1_3_1_at_3_of_10_gives_its_full_point(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    code, _ = run(capsys, "assess", "set", "1.3.1", "--numerator", "3", "--denominator", "10",
                  "--data-dir", dd)  # fmt: skip
    assert code == 0
    a = shown_answer(capsys, dd, "1.3.1")
    assert a["value"] == 30 and a["self_score"] == 1


def test_vietnamese_thousands_are_read_as_thousands(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    code, _ = run(capsys, "assess", "set", "1.3.1", "--numerator", "1.234", "--denominator",
                  "1.500", "--data-dir", dd)  # fmt: skip
    assert code == 0
    a = shown_answer(capsys, dd, "1.3.1")
    assert (a["numerator"], a["denominator"]) == (1234, 1500)
    assert a["value"] == 82.27 and a["self_score"] == 1


@pytest.mark.parametrize(
    ("numerator", "denominator"), [("1.5", "10"), ("19,5", "40"), ("1,234.5", "2000"), ("0", "0")]
)
def test_fractional_ambiguous_or_zero_counts_are_refused(
    capsys: pytest.CaptureFixture[str], dd: str, numerator: str, denominator: str
) -> None:
    code, _ = run(capsys, "assess", "set", "1.3.1", "--numerator", numerator, "--denominator",
                  denominator, "--data-dir", dd)  # fmt: skip
    assert code == 1
    assert shown_answer_or_none(capsys, dd, "1.3.1") is None


def shown_answer_or_none(
    capsys: pytest.CaptureFixture[str], dd: str, code: str
) -> dict[str, Any] | None:
    status, out = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    assert status == 0
    return next((a for a in json.loads(out)["answers"] if a["code"] == code), None)
