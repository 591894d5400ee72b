"""The real build: PyInstaller, the frozen app's self-test, and NSIS, as installer/build.py
does it for a release (with zlib instead of LZMA to save CI time).

It runs by default (also in ``make test``): a frozen app misses files the source tree has
(data of a dependency, a module imported by name), and only a build shows it. It takes a
few minutes on 2 cores; the durations are printed.

Beyond build.py's own checks, a copy of the frozen folder is run outside the repository
with a bare environment, no network (``unshare -n``) and, where mount namespaces are
available (root, as in CI), with every Python installation on the machine hidden, to prove
the app needs neither Python nor a network on the officer's machine.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from parapp.services.selftest import STEPS

REPO = Path(__file__).resolve().parents[2]


def _load_build_script() -> ModuleType:
    """installer/build.py is a script, not a package module: load it by path."""
    spec = importlib.util.spec_from_file_location(
        "parapp_installer_build", REPO / "installer" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


installer_build = _load_build_script()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is not installed: pip install -e '.[dev]' (or '.[installer]')")
    if installer_build.find_makensis() is None:
        pytest.fail("makensis is not installed: apt-get install nsis (CI: add it to .ci/run)")
    root = tmp_path_factory.mktemp("installer")
    t0 = time.monotonic()
    report = installer_build.build(root / "dist", root / "work", fast_nsis=True)
    print(f"\nfrozen build: {time.monotonic() - t0:.0f} s {report.timings}")
    shutil.rmtree(root / "work", ignore_errors=True)
    yield report


def test_the_frozen_self_test_passed(built: Any) -> None:
    out = built.selftest_output
    for title, _ in STEPS:
        assert f"[OK] {title}" in out, out
    assert "[LỖI]" not in out
    assert f"{len(STEPS)} bước đạt, 0 bước lỗi, 0 bước bỏ qua." in out


def test_the_frozen_app_carries_its_resources(built: Any) -> None:
    internal = built.app_dir / "_internal"
    assert sorted(p.name for p in (internal / "resources" / "defaults").glob("*.json"))
    assert list((internal / "resources" / "fonts").glob("*.ttf"))
    assert (internal / "resources" / "units" / "units.json").stat().st_size > 1_000_000
    assert not (internal / "vietnam_provinces").exists()  # GPL data no longer shipped
    assert not list(internal.rglob("*QtQuick*")), "unused Qt modules were bundled"


def test_makensis_produced_a_windows_installer(built: Any) -> None:
    setup = built.setup_exe
    assert setup is not None
    assert setup.name == f"ParApp-{installer_build.project_version()}-setup.exe"
    data = setup.read_bytes()
    assert data[:2] == b"MZ"
    assert b"NullsoftInst" in data[: 1 << 20]  # the NSIS stub's header signature
    app_bytes = sum(p.stat().st_size for p in built.app_dir.rglob("*") if p.is_file())
    assert app_bytes / 5 < len(data) < app_bytes  # the whole folder, compressed


def test_the_desktop_app_starts(built: Any) -> None:
    assert installer_build.gui_supports_screenshot()
    assert built.screenshot is not None
    assert built.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _python_dirs() -> list[Path]:
    """Every folder a Python could be loaded from on this machine, to hide them."""
    dirs = {Path(sys.prefix), Path(sysconfig.get_paths()["stdlib"]), REPO / "src"}
    if sys.base_prefix not in ("/", "/usr", "/usr/local"):
        dirs.add(Path(sys.base_prefix))  # e.g. a pyenv install, with its libpython
    dirs |= set(Path("/usr/lib").glob("python3*")) | set(Path("/usr/local/lib").glob("python3*"))
    return sorted(d for d in dirs if d.is_dir())


def _can(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def test_copied_app_runs_without_python_or_network(built: Any, tmp_path: Path) -> None:
    """Run as root (as `make test` and CI do): network and mount namespaces hide both."""
    assert _can(["unshare", "-n", "-m", "true"]), "unshare -n -m needs root (run as root)"
    app = tmp_path / "elsewhere" / "ParApp"
    shutil.copytree(built.app_dir, app, symlinks=True)
    data = tmp_path / "data"
    data.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PARAPP_DATA_DIR": str(data),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    hide = _python_dirs()
    empty = tmp_path / "empty"
    empty.mkdir()
    script = "".join(f'mount --bind "{empty}" "{d}" && ' for d in hide)
    # /proc/net/dev lists the interfaces of this network namespace: only "lo" may be there.
    script += "grep -v -e '|' -e 'lo:' /proc/net/dev | grep -q . && exit 97; "
    script += f'exec "{app / "ParApp"}" --selftest'
    unshare = ["unshare", "-n", "-m"]
    proc = subprocess.run(
        [*unshare, "/bin/sh", "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode != 97, "the namespace still has a network interface"
    assert proc.returncode == 0, out
    assert proc.stdout.count("[OK]") == len(STEPS), out
    assert list(data.iterdir()) == []  # the self-test never touches the user's data


def test_frozen_app_in_portable_mode_keeps_data_beside_it(built: Any, tmp_path: Path) -> None:
    """The real frozen program, with portable.txt beside it and no PARAPP_DATA_DIR."""
    app = tmp_path / "USB" / "ParApp"
    shutil.copytree(built.app_dir, app, symlinks=True)
    (app / "portable.txt").write_text("", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    cli = installer_build.exe_path(app, installer_build.CLI_EXE)
    proc = subprocess.run(
        [str(cli), "init", "--unit", "20551"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert str(app / "data") in proc.stdout
    assert (app / "data").is_dir() and any((app / "data").iterdir())
    assert list(home.rglob("*")) == []  # nothing written to the user's folders


def test_portable_zip_has_the_marker(tmp_path: Path) -> None:
    app = tmp_path / "ParApp"
    (app / "_internal").mkdir(parents=True)
    (app / "ParApp.exe").write_bytes(b"MZ")
    (app / "_internal" / "lib.dll").write_bytes(b"x" * 100)
    out = installer_build.make_portable_zip(app, tmp_path, "9.8.7")
    assert out.name == "ParApp-9.8.7-portable.zip"
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == [
            "ParApp/ParApp.exe",
            "ParApp/_internal/lib.dll",
            "ParApp/portable.txt",
        ]
        assert "chế độ di động" in zf.read("ParApp/portable.txt").decode("utf-8")
