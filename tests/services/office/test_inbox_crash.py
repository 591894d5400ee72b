"""kill -9 during ``parapp inbox import``: after the next start nothing is left that a user
would see, and the database has no row without its file (nor a file without its row)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from parapp.models.units import Unit, UnitLevel
from parapp.services.office import inbox
from parapp.services.workspace import Workspace
from parapp.storage.backup import DB_NAME
from tests.models.sample_framework import sample_framework
from tests.services.office.test_inbox_hostile import signed

UNITS = [f"X{i}" for i in range(1, 9)]


def _office(root: Path) -> Path:
    with Workspace.open(root, backup=False) as ws:
        ws.save_framework(sample_framework())
        ws.set_own_unit(Unit("P1", "Tỉnh Một", UnitLevel.PROVINCE))
        for code in UNITS:
            ws.add_unit(Unit(code, f"Xã {code}", UnitLevel.COMMUNE, "P1"))
    return root


def _bundles(folder: Path, size: int = 3 << 20) -> list[Path]:
    return [
        signed(folder / f"{u}.zip", u, evidence=[(f"scan {u}.pdf", b"%PDF-1.4" + os.urandom(size))])
        for u in UNITS
    ]


def _env() -> dict[str, str]:
    env = dict(os.environ, PARAPP_NO_GUI="1")
    src = str(Path(__file__).resolve().parents[3] / "src")
    env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")])
    return env


def _consistent_after_restart(root: Path) -> Workspace:
    """Open (the next start) and check files and rows agree; return the open workspace."""
    ws = Workspace.open(root, backup=False)
    assert ws.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    inbox_root = root / "inbox"
    files = {p for p in inbox_root.rglob("*") if p.is_file()}
    rows = [
        r[0]
        for r in ws.db.conn.execute(
            "SELECT stored_path FROM received_bundles WHERE stored_path != ''"
        )
    ]
    assert {root / r for r in rows} == files  # no dangling row, no file without a row
    assert not [p for p in files if ".incoming" in p.parts]
    assert not [p for p in root.rglob("*") if p.name.endswith((".part", ".tmp"))]
    return ws


def test_kill_9_during_cli_import_leaves_nothing_half_done(tmp_path: Path) -> None:
    root = _office(tmp_path / "office")
    files = _bundles(tmp_path / "in")
    proc = subprocess.Popen(
        [sys.executable, "-m", "parapp", "inbox", "import", "--data-dir", str(root), "--json",
         *map(str, files)],
        env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    incoming = root / "inbox" / ".incoming"
    deadline = time.monotonic() + 60
    watcher = sqlite3.connect(f"file:{root / DB_NAME}?mode=ro", uri=True, timeout=10)
    while time.monotonic() < deadline and proc.poll() is None:
        committed = watcher.execute("SELECT count(*) FROM received_bundles").fetchone()[0]
        if committed >= 2 and incoming.is_dir() and any(incoming.iterdir()):
            break  # mid-way: some committed, copies in flight
        time.sleep(0.002)
    watcher.close()
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    ws = _consistent_after_restart(root)
    try:
        done = len(inbox.inbox_entries(ws))
        assert 2 <= done < len(UNITS)
        again = inbox.import_bundles(ws, files)  # the same batch again completes it
        assert again.count(inbox.STATUS_DUPLICATE) == done
        assert again.count("unverified_key") == len(UNITS) - done
    finally:
        ws.close()
    _consistent_after_restart(root).close()


CRASH_AFTER_RENAME = """
import os, signal, sys
from pathlib import Path
from parapp.services.office import inbox
from parapp.services.workspace import Workspace
from parapp.storage.backup import DB_NAME

real = os.replace
def replace(src, dst):
    real(src, dst)
    if "X2" in str(dst):  # renamed into place, row not committed yet
        os.kill(os.getpid(), signal.SIGKILL)
inbox.os.replace = replace
with Workspace.open(Path(sys.argv[1]), backup=False) as ws:
    inbox.import_bundles(ws, [Path(p) for p in sys.argv[2:]])
"""


def test_kill_9_between_rename_and_commit(tmp_path: Path) -> None:
    root = _office(tmp_path / "office")
    files = _bundles(tmp_path / "in", size=1000)[:3]
    script = tmp_path / "crash.py"
    script.write_text(textwrap.dedent(CRASH_AFTER_RENAME), "utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(root), *map(str, files)], env=_env(), timeout=120
    )
    assert proc.returncode == -signal.SIGKILL
    orphans = list((root / "inbox" / "X2").rglob("*.zip"))
    assert orphans  # the crash really left a file whose row never committed
    ws = _consistent_after_restart(root)
    try:
        assert [e.unit_code for e in inbox.inbox_entries(ws)] == ["X1"]
        assert not orphans[0].exists()
        assert inbox.import_bundle(ws, files[1]).status == "unverified_key"
    finally:
        ws.close()
