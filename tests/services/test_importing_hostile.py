"""Hostile framework files (JSON): refused with a Vietnamese message, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parapp.models.errors import ParAppError
from parapp.models.framework import framework_to_dict
from parapp.services.importing import read_framework_file
from tests.interchange.hostile_files import deep_json
from tests.models.sample_framework import sample_framework


def _framework_text(**criterion: object) -> str:
    data = framework_to_dict(sample_framework())
    data["criteria"][1].update(criterion)
    return json.dumps(data, ensure_ascii=False)


def test_good_json_framework_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text(_framework_text(), "utf-8")
    assert read_framework_file(path).id == sample_framework().id


def test_deep_json_is_refused_without_recursion_error(tmp_path: Path) -> None:
    with pytest.raises(ParAppError, match="lồng nhau quá sâu"):
        read_framework_file(deep_json(tmp_path / "sau.json"))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("NaN", "không phải là số hữu hạn"),
        ("Infinity", "không phải là số hữu hạn"),
        ("1e999", "vượt quá giới hạn"),
        ("1" + "0" * 30, "quá lớn"),
        ('"NaN"', "không phải số hợp lệ"),
        ("1e300", "không phải số hợp lệ"),
    ],
)
def test_non_finite_or_huge_max_points_are_refused(tmp_path: Path, raw: str, message: str) -> None:
    text = _framework_text(max_points=123456.0).replace("123456.0", raw)
    path = tmp_path / "fw.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ParAppError) as info:
        read_framework_file(path)
    shown = str(info.value) + " ".join(getattr(info.value, "problems", []))
    assert message in shown and "nan điểm" not in shown


def test_oversized_and_not_utf8_json_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "lon.json"
    with big.open("wb") as fh:
        fh.truncate(33 << 20)
    with pytest.raises(ParAppError, match="quá lớn"):
        read_framework_file(big)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"id": "B\xe9"}')
    with pytest.raises(ParAppError, match="UTF-8"):
        read_framework_file(latin)
