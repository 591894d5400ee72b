"""Build the ParApp installer: PyInstaller, then the frozen app's self-test, then NSIS.

Why one script: the installer must only ever be made from a frozen app that has just proved
it works (``--selftest`` exercises the default frameworks, the unit catalogue, a signed
bundle, a PDF and a backup with the files the frozen folder carries). A build whose
self-test fails produces no setup program.

    python installer/build.py                 # dist/ParApp + dist/ParApp-<ver>-setup.exe
    python installer/build.py --portable-zip  # also dist/ParApp-<ver>-portable.zip
    python installer/build.py --no-installer  # frozen app and self-test only

On Linux the setup program is still a real Windows installer (Debian's ``makensis``), but the
program inside it is the Linux build: CI uses that to prove the NSIS script compiles. Only a
build on Windows (``.github/workflows/windows-installer.yml``) makes an installer to ship.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INSTALLER_DIR = REPO / "installer"
SPEC = INSTALLER_DIR / "parapp.spec"
NSIS_SCRIPT = INSTALLER_DIR / "parapp.nsi"
APP_NAME = "ParApp"
GUI_EXE = "ParApp"
CLI_EXE = "parapp-cli"
PORTABLE_MARKER = "portable.txt"
SELFTEST_TIMEOUT_S = 300
GUI_SMOKE_TIMEOUT_S = 90


class BuildError(Exception):
    """A build step failed; the message says which and why."""


@dataclass
class BuildReport:
    app_dir: Path
    version: str
    selftest_output: str = ""
    setup_exe: Path | None = None
    portable_zip: Path | None = None
    screenshot: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def project_version() -> str:
    """``parapp.__version__`` (pyproject.toml reads it too): the one number the package,
    the app and NSIS share. Read from the source, so no install is needed."""
    text = (REPO / "src" / "parapp" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    assert match is not None, "parapp/__init__.py has no __version__"
    return match.group(1)


def exe_path(app_dir: Path, name: str) -> Path:
    return app_dir / (name + (".exe" if sys.platform == "win32" else ""))


def _log(text: str) -> None:
    print(f"[build] {text}", flush=True)


# -- PyInstaller --------------------------------------------------------------------------
def run_pyinstaller(dist_dir: Path, work_dir: Path) -> Path:
    """Freeze the app with installer/parapp.spec into ``dist_dir/ParApp``; return that folder."""
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist_dir),
        "--workpath",
        str(work_dir),
        str(SPEC),
    ]
    proc = subprocess.run(cmd, cwd=REPO, check=False)
    app_dir = dist_dir / APP_NAME
    if proc.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit {proc.returncode})")
    for name in (GUI_EXE, CLI_EXE):
        if not exe_path(app_dir, name).is_file():
            raise BuildError(f"PyInstaller did not produce {exe_path(app_dir, name)}")
    return app_dir


# -- checks of the frozen app ---------------------------------------------------------------
def frozen_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A small environment: no PYTHONPATH/virtualenv, so the app must carry everything."""
    env = {
        "PATH": os.environ.get("PATH", "") if sys.platform == "win32" else "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(data_dir)),
        "PARAPP_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONIOENCODING": "utf-8",
        "LANG": "C.UTF-8",
    }
    for key in ("SYSTEMROOT", "TEMP", "TMP", "LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        if key in os.environ:  # Windows needs these to start any program
            env[key] = os.environ[key]
    env.update(extra or {})
    return env


def run_frozen(
    app_dir: Path, exe: str, args: Sequence[str], env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe_path(app_dir, exe)), *args],
        env=env,
        cwd=env.get("PARAPP_DATA_DIR"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def check_version(app_dir: Path, version: str) -> None:
    with tempfile.TemporaryDirectory(prefix="parapp-build-") as tmp:
        proc = run_frozen(app_dir, CLI_EXE, ["--version"], frozen_env(Path(tmp)), 120)
    expected = f"{APP_NAME} {version}"
    if proc.returncode != 0 or proc.stdout.strip() != expected:
        raise BuildError(
            f"--version printed {proc.stdout.strip()!r} (exit {proc.returncode}), "
            f"expected {expected!r}\n{proc.stderr}"
        )


def run_selftest(app_dir: Path, exe: str = CLI_EXE) -> str:
    """Run ``<exe> --selftest`` in a fresh data folder; return its output or raise.

    The windowed ParApp.exe has no stdout on Windows, so there only its exit code counts.
    """
    with tempfile.TemporaryDirectory(prefix="parapp-build-") as tmp:
        proc = run_frozen(app_dir, exe, ["--selftest"], frozen_env(Path(tmp)), SELFTEST_TIMEOUT_S)
    output = proc.stdout + proc.stderr
    silent = sys.platform == "win32" and exe == GUI_EXE
    if proc.returncode != 0 or ("[OK]" not in proc.stdout and not silent):
        raise BuildError(f"the frozen self-test failed (exit {proc.returncode}):\n{output}")
    return proc.stdout


def gui_supports_screenshot() -> bool:
    """Whether the app has the PARAPP_SCREENSHOT hook (grab the window to a PNG, then quit)."""
    app = REPO / "src" / "parapp" / "app.py"
    return app.is_file() and "PARAPP_SCREENSHOT" in app.read_text(encoding="utf-8")


def gui_smoke(app_dir: Path, png: Path) -> Path:
    """Start the desktop app offscreen until it saves a screenshot, proving Qt loads.

    ``--demo`` opens a filled sample workspace (in the temporary data folder), so the main
    window shows at once instead of the first-run wizard, which would wait for a person.
    """
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="parapp-build-") as tmp:
        env = frozen_env(Path(tmp), {"PARAPP_SCREENSHOT": str(png)})
        proc = run_frozen(app_dir, GUI_EXE, ["--demo"], env, GUI_SMOKE_TIMEOUT_S)
    if proc.returncode != 0 or not png.is_file():
        raise BuildError(
            f"the frozen desktop app did not start (exit {proc.returncode}):\n"
            f"{proc.stdout}{proc.stderr}"
        )
    data = png.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise BuildError(f"{png} is not a PNG image")
    if len(data) < 10_000:  # a window with text and a tree; an empty grey one is ~1 kB
        raise BuildError(f"{png} looks blank ({len(data)} bytes)")
    return png


# -- NSIS and portable zip ---------------------------------------------------------------------
def find_makensis() -> str | None:
    found = shutil.which("makensis")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        if base and (Path(base) / "NSIS" / "makensis.exe").is_file():
            return str(Path(base) / "NSIS" / "makensis.exe")
    return None


def setup_name(version: str) -> str:
    return f"{APP_NAME}-{version}-setup.exe"


def run_makensis(app_dir: Path, out_dir: Path, version: str, *, fast: bool = False) -> Path:
    """Compile installer/parapp.nsi around ``app_dir``; return the setup program.

    ``fast`` uses zlib instead of solid LZMA: the same script, checked in a fraction of the
    time (CI); a shipped installer uses LZMA, about a third smaller.
    """
    makensis = find_makensis()
    if makensis is None:
        raise BuildError(
            "makensis not found: install NSIS (Debian/Ubuntu: apt-get install nsis; "
            "Windows: choco install nsis)"
        )
    out = out_dir / setup_name(version)
    out.unlink(missing_ok=True)
    opt = "/" if sys.platform == "win32" else "-"
    cmd = [
        makensis,
        f"{opt}V2",
        f"{opt}INPUTCHARSET",
        "UTF8",
        f"{opt}DVERSION={version}",
        f"{opt}DSRCDIR={app_dir.resolve()}",
        f"{opt}DOUTFILE={out.resolve()}",
        f"{opt}DICON={INSTALLER_DIR / 'parapp.ico'}",
    ]
    if fast:
        cmd.append(f"{opt}DFAST")
    cmd.append(str(NSIS_SCRIPT))
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", check=False)
    if proc.returncode != 0 or not out.is_file():
        raise BuildError(f"makensis failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    if out.read_bytes()[:2] != b"MZ":
        raise BuildError(f"{out} is not a Windows program")
    return out


def make_portable_zip(app_dir: Path, out_dir: Path, version: str) -> Path:
    """A zip of the app folder with ``portable.txt``: unzip to a USB stick and run, data
    stays next to the program (see parapp.services.paths)."""
    out = out_dir / f"{APP_NAME}-{version}-portable.zip"
    tmp = out.with_suffix(".zip.part")
    marker = (
        "ParApp chạy ở chế độ di động: dữ liệu được lưu trong thư mục “data” bên cạnh "
        "chương trình. Xoá tệp này để dùng thư mục dữ liệu của người dùng.\n"
    )
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(app_dir.rglob("*")):
            if path.is_file():
                zf.write(path, f"{APP_NAME}/{path.relative_to(app_dir).as_posix()}")
        zf.writestr(f"{APP_NAME}/{PORTABLE_MARKER}", marker.encode("utf-8"))
    os.replace(tmp, out)
    return out


# -- the whole build ------------------------------------------------------------------------------
def build(
    dist_dir: Path,
    work_dir: Path,
    *,
    installer: bool = True,
    portable_zip: bool = False,
    fast_nsis: bool = False,
    gui: bool = True,
) -> BuildReport:
    version = project_version()
    timings: dict[str, float] = {}

    def timed(name: str, t0: float) -> None:
        timings[name] = round(time.monotonic() - t0, 1)
        _log(f"{name}: {timings[name]} s")

    t0 = time.monotonic()
    app_dir = run_pyinstaller(dist_dir, work_dir)
    timed("pyinstaller", t0)
    report = BuildReport(app_dir, version, timings=timings)

    t0 = time.monotonic()
    check_version(app_dir, version)
    report.selftest_output = run_selftest(app_dir, CLI_EXE)
    print(report.selftest_output, end="", flush=True)
    run_selftest(app_dir, GUI_EXE)  # the program users start must pass too
    timed("selftest", t0)

    if gui and gui_supports_screenshot():
        t0 = time.monotonic()
        report.screenshot = gui_smoke(app_dir, dist_dir / "frozen-app.png")
        timed("gui-smoke", t0)
    elif gui:
        report.notes.append("GUI smoke test skipped: src/parapp/app.py has no PARAPP_SCREENSHOT")
        _log(report.notes[-1])

    if installer:
        t0 = time.monotonic()
        report.setup_exe = run_makensis(app_dir, dist_dir, version, fast=fast_nsis)
        timed("makensis", t0)
        if sys.platform != "win32":
            report.notes.append(
                f"{report.setup_exe.name} wraps the Linux build: it proves the NSIS script "
                "compiles; ship only the installer built on Windows"
            )
    if portable_zip:
        t0 = time.monotonic()
        report.portable_zip = make_portable_zip(app_dir, dist_dir, version)
        timed("portable-zip", t0)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--dist", type=Path, default=REPO / "dist", help="output folder")
    p.add_argument("--work", type=Path, default=REPO / "build", help="PyInstaller work folder")
    p.add_argument("--no-installer", action="store_true", help="skip makensis")
    p.add_argument("--no-gui", action="store_true", help="skip the desktop-app smoke test")
    p.add_argument("--portable-zip", action="store_true", help="also make the portable zip")
    p.add_argument("--fast", action="store_true", help="zlib instead of LZMA (checks only)")
    args = p.parse_args(argv)
    try:
        report = build(
            args.dist,
            args.work,
            installer=not args.no_installer,
            portable_zip=args.portable_zip,
            fast_nsis=args.fast,
            gui=not args.no_gui,
        )
    except (BuildError, subprocess.TimeoutExpired) as err:
        print(f"[build] FAILED: {err}", file=sys.stderr)
        return 1
    _log(f"app: {report.app_dir}")
    for label, path in (("setup", report.setup_exe), ("portable", report.portable_zip)):
        if path is not None:
            _log(f"{label}: {path} ({path.stat().st_size // (1024 * 1024)} MiB)")
    for note in report.notes:
        _log(f"note: {note}")
    _log("timings: " + ", ".join(f"{k} {v} s" for k, v in report.timings.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
