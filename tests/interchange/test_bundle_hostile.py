"""Hostile bundles: each one is refused with its own reason, and nothing is written anywhere."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parapp.interchange.bundle import (
    BundleRejectedError,
    extract_bundle,
    inspect_bundle,
    verify_bundle,
)
from tests.interchange.hostile_bundles import HOSTILE, Hostile, Sample, make_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    return make_sample(tmp_path_factory.mktemp("good"))


def _tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if not p.is_dir()}


def test_catalogue_is_large_and_codes_are_specific() -> None:
    assert len(HOSTILE) >= 25
    assert len({h.id for h in HOSTILE}) == len(HOSTILE)
    assert len({h.code for h in HOSTILE}) >= 40


def test_good_sample_passes(sample: Sample) -> None:
    report = verify_bundle(sample.path, sample.keypair.public)
    assert report.ok, report.first_failure


@pytest.mark.parametrize("case", HOSTILE, ids=[h.id for h in HOSTILE])
def test_hostile_bundle_is_refused(
    case: Hostile, sample: Sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = case.build(sample, tmp_path / "bad.zip")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    before = _tree(tmp_path)
    kwargs = {}
    if case.limits is not None:
        kwargs["limits"] = case.limits
    expected = sample.keypair.public if case.expect_key else None
    known = set(case.known_hashes) if case.known_hashes is not None else None

    report = verify_bundle(bad, expected, known, **kwargs)  # type: ignore[arg-type]

    assert not report.ok
    assert report.failure_code == case.code, report.first_failure
    assert report.assessment is None
    message = report.first_failure
    assert message and not message.isascii()  # a Vietnamese sentence
    assert _tree(tmp_path) == before  # verification writes nothing, anywhere

    dest = tmp_path / "inbox"
    with pytest.raises(BundleRejectedError) as info:
        extract_bundle(bad, dest, expected, known, **kwargs)  # type: ignore[arg-type]
    assert info.value.report.failure_code == case.code
    assert not dest.exists() or not any(dest.iterdir())
    assert not any(cwd.iterdir())
    assert isinstance(inspect_bundle(bad), dict)


def test_random_corruption_never_crashes(sample: Sample, tmp_path: Path) -> None:
    data = sample.path.read_bytes()
    rng = random.Random(1234)
    refused = 0
    for i in range(60):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        path = tmp_path / f"fuzz{i}.zip"
        path.write_bytes(bytes(damaged))
        report = verify_bundle(path, sample.keypair.public)
        assert report.checks
        if not report.ok:
            refused += 1
            assert report.failure_code and report.first_failure
        inspect_bundle(path)
    assert refused >= 50  # almost every byte of a bundle is covered by a check


def test_unreadable_path_is_refused(tmp_path: Path) -> None:
    report = verify_bundle(tmp_path / "missing.zip")
    assert report.failure_code == "unreadable"
    assert "missing.zip" in (report.first_failure or "")


def test_empty_zip_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "empty.zip"
    zipfile.ZipFile(path, "w").close()
    assert verify_bundle(path).failure_code == "empty_zip"


def test_extract_refuses_existing_files_and_cleans_up(sample: Sample, tmp_path: Path) -> None:
    dest = tmp_path / "inbox"
    first = extract_bundle(sample.path, dest, sample.keypair.public)
    second = extract_bundle(sample.path, dest, sample.keypair.public)
    assert first.root != second.root  # every import gets a fresh private folder
    assert (first.root.stat().st_mode & 0o777) == 0o700
    first.cleanup()
    second.cleanup()
    assert not any(dest.iterdir())
