"""Bounded JSON: each refusal has its own code and a Vietnamese sentence naming the file."""

from __future__ import annotations

import pytest

from parapp.models import safe_json
from parapp.models.safe_json import UntrustedJsonError


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b'{"a": NaN}', "not_finite"),
        (b'{"a": Infinity}', "not_finite"),
        (b'{"a": -Infinity}', "not_finite"),
        (b'{"a": 1e400}', "not_finite"),
        (b'{"a": 1' + b"0" * 30 + b"}", "number_too_large"),
        (b'{"a": -9007199254740993}', "number_too_large"),
        (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
        (b"[" * 65 + b"]" * 65, "too_deep"),
        (b'{"a": 1,}', "invalid_json"),
        (b"\xff\xfe{}", "invalid_json"),
    ],
)
def test_refused(text: bytes, code: str) -> None:
    with pytest.raises(UntrustedJsonError) as info:
        safe_json.loads(text, "tep.json")
    assert info.value.code == code and "“tep.json”" in str(info.value)


def test_accepted() -> None:
    assert safe_json.loads(b"\xef\xbb\xbf" + b'{"a": [1.5, 9007199254740992]}', "x") == {
        "a": [1.5, 2**53]
    }
    assert safe_json.loads("[" * 64 + "]" * 64, "x") is not None
    assert safe_json.depth_of({"a": [{"b": 1}]}) == 3 and safe_json.depth_of(5) == 0


def test_duplicate_codes() -> None:
    items = [{"code": "1"}, {"code": "2"}, {"code": "1"}, {"code": "1"}, "x", {"code": 3}]
    assert safe_json.duplicate_codes(items) == ["1"]
    assert safe_json.duplicate_codes({"code": "1"}) == []
