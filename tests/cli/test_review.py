"""The appraisal-cycle click commands: output and user errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from parapp.cli import audit as audit_cmd
from parapp.cli.commune import bundle as commune_bundle
from parapp.cli.commune import requests as requests_cmd
from parapp.cli.office import appraisal_result as office_result
from parapp.cli.office import appraise
from parapp.cli.office import inbox as inbox_cmd
from parapp.services.commune import requests
from parapp.services.office import review
from tests.services.cycle_helpers import Cycle, make_cycle


def _commands() -> SimpleNamespace:
    """The appraisal-cycle commands, from the modules the CLI package wires them from."""
    return SimpleNamespace(
        appraise_state=appraise.appraise_state,
        appraise_review=appraise.appraise_review,
        audit=audit_cmd.audit,
        appraisal_outstanding=office_result.appraisal_outstanding,
        requests_list=requests_cmd.requests_list,
        bundle_supplement=commune_bundle.bundle_supplement,
        inbox_import_supplement=inbox_cmd.inbox_import_supplement,
    )


@pytest.fixture
def cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cycle]:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")
    c = make_cycle(tmp_path)
    try:
        yield c
    finally:
        c.close()


def test_state_review_and_audit_commands(cycle: Cycle) -> None:
    cli, run, office = _commands(), CliRunner(), str(cycle.office.data_dir)
    bad = run.invoke(cli.appraise_state, ["X1", "1.2", "xong", "--data-dir", office])
    assert bad.exit_code == 1
    assert bad.output.startswith("Lỗi: Trạng thái thẩm định “xong” không hợp lệ")
    assert "Traceback" not in bad.output
    no_note = run.invoke(cli.appraise_state, ["X1", "1.2", "khong-chap-nhan", "--data-dir", office])
    assert no_note.exit_code == 1 and "phải có ghi chú" in no_note.output

    ok = run.invoke(
        cli.appraise_state,
        ["X1", "1", "yeu-cau-giai-trinh", "--note", "Giải trình", "--data-dir", office, "--json"],
    )
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["count"] == 3
    assert {i["state_label"] for i in data["items"]} == {"Yêu cầu giải trình"}
    listed = run.invoke(
        cli.appraise_review, ["X1", "--state", "explain", "--data-dir", office, "--json"]
    )
    assert [i["code"] for i in json.loads(listed.output)] == ["1.1.1", "1.1.2", "1.2"]
    text = run.invoke(cli.audit, ["--unit", "X1", "--data-dir", office])
    assert text.exit_code == 0
    assert text.output.count("Lê Thị Hoa") == 3 and "(Giải trình)" in text.output
    owed = run.invoke(cli.appraisal_outstanding, ["--data-dir", office, "--json"])
    assert json.loads(owed.output)[0] | {"days_left": None} == {
        "unit_code": "X1", "requests": 3, "answered": 0, "owing": 3, "response_deadline": "",
        "days_left": None, "late": False, "locked": False, "locked_at": "",
    }  # fmt: skip
    none = run.invoke(cli.requests_list, ["--data-dir", str(cycle.root / "X2"), "--json"])
    assert json.loads(none.output) == {"requests": [], "locked": False, "since": ""}


def test_supplement_commands(cycle: Cycle, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_PASSPHRASE", "mat-khau-du-dai")
    cli, run = _commands(), CliRunner()
    x2 = cycle.communes["X2"]
    refused = run.invoke(cli.bundle_supplement, ["--out", str(cycle.outbox), "--approver", "An",
                                                 "--data-dir", str(x2.data_dir)])  # fmt: skip
    assert refused.exit_code == 1 and "Chưa nhận kết quả thẩm định sơ bộ" in refused.output
    review.set_state(cycle.office, "X2", "1.2", "supplement", "Bổ sung ảnh")
    prelim = review.export_result(cycle.office, "X2", cycle.root, cycle.office_key, "Hoa")
    requests.import_result(x2, prelim.path)
    photo = cycle.root / "anh.jpg"
    photo.write_bytes(b"\xff\xd8" + b"p" * 700)
    x2.add_evidence("1.2", photo)
    args = ["--out", str(cycle.outbox), "--approver", "An", "--data-dir", str(x2.data_dir)]
    sent = run.invoke(cli.bundle_supplement, [*args, "--json"])
    assert sent.exit_code == 0, sent.output
    data = json.loads(sent.output)
    assert (data["revision"], data["base_revision"], data["carried"]) == (2, 1, 1)
    office = str(cycle.office.data_dir)
    got = run.invoke(cli.inbox_import_supplement, [data["file"], "--data-dir", office, "--json"])
    assert got.exit_code == 0, got.output
    assert (json.loads(got.output)["status"], json.loads(got.output)["revision"]) == ("ok", 2)
