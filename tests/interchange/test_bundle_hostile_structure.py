"""More hostile bundles behind a valid signature: numbers, nesting depth, child parents.

Each is refused by :func:`verify_bundle` with its own reason code and a Vietnamese sentence,
and :func:`extract_bundle` leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from parapp.interchange import keys
from parapp.interchange.bundle import BundleRejectedError, extract_bundle, verify_bundle
from tests.interchange.hostile_bundles import Sample, make_sample, read_entries, reseal, write_bag


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    return make_sample(tmp_path_factory.mktemp("good"))


def _edit(s: Sample, out: Path, edit: Callable[[bytes], bytes]) -> Path:
    bag, files = read_entries(s.path)
    files["data/assessment.json"] = edit(files["data/assessment.json"])
    return write_bag(out, bag, reseal(files, s.keypair))


def _deep(levels: int) -> Callable[[bytes], bytes]:
    nested = b'"extra": {"x": ' + b"[" * levels + b"]" * levels + b'}, "answers": ['
    return lambda raw: raw.replace(b'"answers": [', nested, 1)


def _number(text: bytes) -> Callable[[bytes], bytes]:
    return lambda raw: raw.replace(b'"self_score": 1.0', b'"self_score": ' + text, 1)


CASES = [
    ("int_1e30", "number_out_of_range", _number(b"1" + b"0" * 30), "quá lớn"),
    ("int_5000_digits", "number_out_of_range", _number(b"7" * 5000), "quá lớn"),
    ("int_2_pow_60", "number_out_of_range", _number(str(2**60).encode()), "quá lớn"),
    ("float_1e999", "assessment_invalid_json", _number(b"1e999"), "vượt quá giới hạn"),
    ("minus_infinity", "assessment_invalid_json", _number(b"-Infinity"), "hữu hạn"),
    ("deep_100000", "assessment_too_deep", _deep(100_000), "lồng nhau quá sâu"),
    ("deep_200", "assessment_too_deep", _deep(200), "lồng nhau quá sâu"),
]


@pytest.mark.parametrize(("cid", "code", "edit", "words"), CASES, ids=[c[0] for c in CASES])
def test_hostile_document_is_refused(
    sample: Sample,
    tmp_path: Path,
    cid: str,
    code: str,
    edit: Callable[[bytes], bytes],
    words: str,
) -> None:
    bad = _edit(sample, tmp_path / f"{cid}.zip", edit)
    before = sorted(tmp_path.rglob("*"))
    report = verify_bundle(bad, sample.keypair.public)
    assert report.failure_code == code, report.first_failure
    assert words in (report.first_failure or "") and report.assessment is None
    assert sorted(tmp_path.rglob("*")) == before
    dest = tmp_path / "inbox"
    with pytest.raises(BundleRejectedError):
        extract_bundle(bad, dest, sample.keypair.public)
    assert not dest.exists() or not any(dest.iterdir())


def _declared(unit: str, kp: keys.KeyPair, name: str) -> list[dict[str, str]]:
    pub = keys.public_key_to_minisign(kp.public)
    return [{"file": f"data/children/{name}", "unit_code": unit, "public_key": pub}]


def test_child_naming_another_parent_is_refused(tmp_path: Path) -> None:
    child = make_sample(tmp_path / "c", unit_code="20334")  # its parent is "503"
    office = make_sample(
        tmp_path / "o", unit_code="504", children=[("c.zip", child.path)],
        children_doc=_declared("20334", child.keypair, "c.zip"),
    )  # fmt: skip
    report = verify_bundle(office.path, office.keypair.public, recursive=True)
    assert report.failure_code == "child_parent_mismatch"
    assert "“503”" in (report.first_failure or "") and "504" in (report.first_failure or "")


def test_five_levels_of_self_nesting_are_refused(tmp_path: Path) -> None:
    kp = keys.generate_keypair()
    inner = make_sample(tmp_path / "n0", kp, unit_code="503")
    for level in range(1, 5):
        inner = make_sample(
            tmp_path / f"n{level}", kp, unit_code="503", children=[("n.zip", inner.path)],
            children_doc=_declared("503", kp, "n.zip"),
        )  # fmt: skip
    report = verify_bundle(inner.path, kp.public, recursive=True)
    assert report.failure_code == "child_invalid"
    assert "lồng nhau quá nhiều cấp" in (report.first_failure or "")
