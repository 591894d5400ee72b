import zipfile
from pathlib import Path

import pytest

from parapp.models.errors import WorkspaceError
from parapp.services.workspace import Workspace
from parapp.storage.backup import auto_backup, backup_workspace, restore_workspace
from parapp.storage.database import connect
from tests.models.sample_framework import sample_framework
from tests.services.helpers import setup_ws


def test_backup_and_restore_round_trip_while_open(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "a")
    ev = tmp_path / "bienban.pdf"
    ev.write_bytes(b"%PDF scan" * 500)
    ws.add_evidence("1.1.1", ev, ref="trang 2")
    ws.set_answer("1.1.1", value=1, explanation="Đã ban hành")
    out = tmp_path / "sao-luu.parapp-backup"
    backup_workspace(ws.conn, ws.data_dir, out)  # the workspace is still open
    ws.set_answer("1.1.1", explanation="sửa sau khi sao lưu")
    ws.close()

    restore_workspace(out, tmp_path / "b")
    with Workspace.open(tmp_path / "b") as other:
        ans = other.answer("1.1.1")
        assert ans.explanation == "Đã ban hành"
        assert ans.evidence[0].ref == "trang 2"
        assert other.evidence_path(ans.evidence[0].sha256).read_bytes() == ev.read_bytes()
        assert other.check_evidence() == []


def test_restore_keeps_the_previous_workspace_aside(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "a")
    out = tmp_path / "b.zip"
    backup_workspace(ws.conn, ws.data_dir, out)
    ws.close()
    target = setup_ws(tmp_path / "target")
    target.set_answer("1.2", self_score=2)
    target.close()
    restore_workspace(out, tmp_path / "target")
    aside = list((tmp_path / "target" / "backups").glob("before-restore-*/parapp.sqlite"))
    assert len(aside) == 1
    with Workspace.open(aside[0].parent) as old:
        assert old.answer("1.2").self_score == 2


def test_tampered_backup_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    ws = setup_ws(tmp_path / "a")
    ws.add_evidence("1.2", _file(tmp_path / "x.pdf", b"abc" * 100))
    out = tmp_path / "b.zip"
    backup_workspace(ws.conn, ws.data_dir, out)
    ws.close()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("evidence/"):
                data = data[:-1] + b"!"
            dst.writestr(info, data)
    target = setup_ws(tmp_path / "t")
    target.close()
    before = (tmp_path / "t" / "parapp.sqlite").read_bytes()
    with pytest.raises(WorkspaceError, match="bị hỏng"):
        restore_workspace(bad, tmp_path / "t")
    assert (tmp_path / "t" / "parapp.sqlite").read_bytes() == before
    assert not list((tmp_path / "t").glob(".restore-*"))


def test_auto_backup_keeps_ten(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "w", backup=False)
    ws.save_framework(sample_framework())
    for _ in range(13):
        auto_backup(ws.conn, tmp_path / "bk")
    kept = sorted((tmp_path / "bk").glob("auto-*.sqlite"))
    assert len(kept) == 10
    ws.close()
    newest = connect(kept[-1])
    assert [r["id"] for r in newest.query("SELECT id FROM frameworks")] == ["mau-2026"]


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
