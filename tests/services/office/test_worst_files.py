"""Memory and time of the worst hostile files, each read in its own process.

Each file is handed to the real entry point (``parapp inbox import`` or the framework and
task plan readers) in a child process; ``os.wait4`` gives that child's peak resident memory.
The budget for any single file is 500 MB and 60 s; the figures are printed (``pytest -s``).
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.interchange.hostile_files import deep_json, million_rows, shared_strings_bomb
from tests.services.office.test_inbox_crash import _env, _office
from tests.services.office.test_inbox_hostile import KP, resign_doc, signed

BUDGET_MB, BUDGET_S = 500, 60


# The child reports its own high-water mark: ``ru_maxrss`` from ``wait4`` would also count
# the parent's memory at fork time (Linux keeps it across exec), i.e. pytest's own.
PEAK = (
    "import atexit, runpy, sys\n"
    "def peak():\n"
    "    hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM:')]\n"
    "    sys.stderr.write('\\n@@peak ' + hwm[0].split()[1] + '\\n')\n"
    "atexit.register(peak)\n"
    "sys.argv = ['parapp', *sys.argv[1:]]\n"
    "runpy.run_module('parapp', run_name='__main__')\n"
)


def _run(argv: list[str]) -> tuple[float, float, int, str]:
    """(peak MB, seconds, exit code, stderr) of ``parapp ARGV`` in a child process."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", PEAK, *argv], env=_env(), capture_output=True, timeout=300
    )
    seconds = time.monotonic() - start
    err = proc.stderr.decode("utf-8", "replace")
    peak_kb = int(err.rsplit("@@peak ", 1)[1].split()[0])
    return peak_kb / 1024, seconds, proc.returncode, err


@pytest.fixture(scope="module")
def worst(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[str], str]]:
    root = tmp_path_factory.mktemp("worst")
    office = _office(root / "office")
    deep_bundle = signed(root / "b" / "deep.zip", "X1")
    deep = b'"extra": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b'}, "answers": ['
    resign_doc(deep_bundle, KP, lambda b: b.replace(b'"answers": [', deep))
    big_int = signed(root / "b" / "bigint.zip", "X2")
    resign_doc(
        big_int, KP, lambda b: b.replace(b'"self_score": 1.5', b'"self_score": 1' + b"0" * 30)
    )
    dup = signed(
        root / "b" / "dup.zip", "X3", change=lambda d: d["answers"].append(d["answers"][0])
    )
    data = ["--data-dir", str(office), "--json"]
    return {
        "xlsx 400 MB sharedStrings": (
            ["framework", "import", *data, str(shared_strings_bomb(root / "bomb.xlsx"))],
            "sharedStrings"),
        "xlsx 1 000 000 rows": (
            ["tasks", "import", *data, str(million_rows(root / "rows.xlsx"))], "dòng"),
        "framework JSON 100 000 levels": (
            ["framework", "import", *data, str(deep_json(root / "deep.json"))],
            "lồng nhau quá sâu"),
        "bundles: deep JSON + 10^30 + duplicate code": (
            ["inbox", "import", *data, str(deep_bundle), str(big_int), str(dup)],
            "refused"),
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "xlsx 400 MB sharedStrings",
        "xlsx 1 000 000 rows",
        "framework JSON 100 000 levels",
        "bundles: deep JSON + 10^30 + duplicate code",
    ],
)
def test_worst_file_within_budget(name: str, worst: dict[str, tuple[list[str], str]]) -> None:
    argv, expected = worst[name]
    peak, seconds, code, err = _run(argv)
    print(f"\n[worst] {name}: peak {peak:.0f} MB, {seconds:.1f} s, exit {code}")
    assert peak < BUDGET_MB and seconds < BUDGET_S
    assert "Traceback" not in err
    if name.startswith("bundles"):
        assert code == 1  # refused, reported, no crash
    else:
        assert code != 0 and expected in err, err[-500:]
