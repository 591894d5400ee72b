"""``parapp --selftest`` against the source tree: every step passes and says so in Vietnamese,
and a broken step is reported as an error (exit 1), never as success."""

from __future__ import annotations

import io
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from parapp.services import selftest
from parapp.services.selftest import STEPS, SkipStep, Status, run_selftest, run_steps
from parapp.storage.backup import DB_NAME

REPO = Path(__file__).resolve().parents[2]


def test_selftest_passes_and_prints_one_line_per_step() -> None:
    out = io.StringIO()
    assert run_selftest(out) == 0
    lines = out.getvalue().splitlines()
    step_lines = [ln for ln in lines if ln.startswith("[")]
    assert len(step_lines) == len(STEPS)
    for (title, _), line in zip(STEPS, step_lines, strict=True):
        assert line.startswith(f"[OK] {title}")
    assert "[OK] Nạp bộ chỉ số mặc định" in out.getvalue()
    assert lines[-1] == f"Kết quả: {len(STEPS)} bước đạt, 0 bước lỗi, 0 bước bỏ qua."
    assert out.getvalue() == unicodedata.normalize("NFC", out.getvalue())


def test_steps_leave_real_files_behind(tmp_path: Path) -> None:
    """The bundle and the PDF the steps claim to have made exist and are what they say."""
    results = run_steps(tmp_path, io.StringIO())
    assert all(r.status is Status.OK for r in results), [r.line for r in results]
    bundles = list((tmp_path / "ho-so").iterdir())
    assert len(bundles) == 1
    assert zipfile.is_zipfile(bundles[0])
    with zipfile.ZipFile(bundles[0]) as zf:
        names = zf.namelist()
    assert any(n.endswith("data/assessment.json") for n in names)
    assert any(n.endswith("tagmanifest-sha256.txt.minisig") for n in names)
    pdf = tmp_path / "bao-cao-tu-kiem-tra.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "data" / DB_NAME).is_file()
    assert (tmp_path / "khoi-phuc" / DB_NAME).is_file()  # the restored copy


def test_a_failing_step_makes_the_exit_code_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: object) -> str:
        raise OSError(28, "No space left on device")

    steps = list(STEPS)
    steps[5] = (steps[5][0], broken)
    monkeypatch.setattr(selftest, "STEPS", tuple(steps))
    out = io.StringIO()
    assert run_selftest(out) == 1
    text = out.getvalue()
    assert f"[LỖI] {steps[5][0]} — OSError: [Errno 28] No space left on device" in text
    # the signature step signs that PDF: it fails with it
    assert f"{len(STEPS) - 2} bước đạt, 2 bước lỗi, 0 bước bỏ qua." in text


def test_a_failed_first_step_fails_the_dependent_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: object) -> str:
        raise FileNotFoundError("resources/defaults")

    steps = list(STEPS)
    steps[0] = (steps[0][0], broken)
    monkeypatch.setattr(selftest, "STEPS", tuple(steps))
    out = io.StringIO()
    assert run_selftest(out) == 1
    assert out.getvalue().count("[LỖI]") >= 4  # filling, evidence, bundle, PDF cannot pass


def test_a_skipped_step_is_not_counted_as_passed(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(ctx: object) -> str:
        raise SkipStep("chức năng chưa có trong bản này")

    steps = list(STEPS)
    steps[4] = (steps[4][0], unavailable)
    monkeypatch.setattr(selftest, "STEPS", tuple(steps))
    out = io.StringIO()
    assert run_selftest(out) == 0
    assert f"[BỎ QUA] {steps[4][0]} — chức năng chưa có trong bản này" in out.getvalue()
    assert f"{len(STEPS) - 1} bước đạt, 0 bước lỗi, 1 bước bỏ qua." in out.getvalue()


def test_missing_resources_are_caught(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What a frozen build without its resources/ folder would show."""
    monkeypatch.setenv("PARAPP_RESOURCES", str(tmp_path / "nothing"))
    out = io.StringIO()
    assert run_selftest(out) == 1
    assert out.getvalue().splitlines()[1].startswith("[LỖI] Nạp bộ chỉ số mặc định")


def test_cli_routes_selftest(tmp_path: Path) -> None:
    env = {"PARAPP_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "parapp", "--selftest"],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("[OK]") == len(STEPS)
    assert list(tmp_path.iterdir()) == []  # the real data folder is not touched
