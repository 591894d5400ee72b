"""The ``parapp`` command line: conventions (exit codes, --json, --data-dir) and commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parapp.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dd(tmp_path: Path) -> str:
    return str(tmp_path / "ws")


def test_init_from_catalogue_installs_defaults(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    code, out, _ = run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    assert code == 0 and "Phường Điện Bàn" in out
    code, out, _ = run(capsys, "units", "list", "--json", "--data-dir", dd)
    units = json.loads(out)
    own = [u for u in units if u["own"]]
    assert own[0]["code"] == "20551" and own[0]["parent_code"] == "48"
    code, out, _ = run(capsys, "framework", "list", "--json", "--data-dir", dd)
    kinds = {r["index_kind"] for r in json.loads(out)}
    assert kinds == {"PAR", "PAPI"}


def test_framework_show_json_lists_8_areas_totalling_100(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    _, out, _ = run(capsys, "framework", "list", "--json", "--data-dir", dd)
    par = next(r["id"] for r in json.loads(out) if r["index_kind"] == "PAR")
    code, out, _ = run(capsys, "framework", "show", par, "--json", "--data-dir", dd)
    tree = json.loads(out)
    assert code == 0
    assert len(tree["areas"]) == 8
    assert sum(a["max_points"] for a in tree["areas"]) == pytest.approx(100)
    assert all("code" in a and "title" in a for a in tree["areas"])


def test_hand_entered_units(capsys: pytest.CaptureFixture[str], dd: str) -> None:
    code, _, err = run(capsys, "init", "--unit", "H-DB", "--data-dir", dd)
    assert code == 1 and "--name" in err
    code, _, _ = run(
        capsys,
        "init",
        "--unit",
        "H-DB",
        "--name",
        "UBND huyện Điện Bàn",
        "--level",
        "huyện",
        "--data-dir",
        dd,
    )
    assert code == 0
    code, _, _ = run(
        capsys,
        "units",
        "add",
        "X-01",
        "--name",
        "Xã Điện Hòa",
        "--parent",
        "H-DB",
        "--data-dir",
        dd,
    )
    assert code == 0
    code, _, err = run(
        capsys, "units", "add", "X-02", "--name", "Xã Lạc", "--parent", "NOPE", "--data-dir", dd
    )
    assert code == 1 and "NOPE" in err
    _, out, _ = run(capsys, "units", "list", "--json", "--data-dir", dd)
    by_code = {u["code"]: u for u in json.loads(out)}
    assert by_code["H-DB"]["level"] == "district" and by_code["X-01"]["parent_code"] == "H-DB"


def test_units_search_accent_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "units", "search", "dien ban", "--json")
    assert code == 0
    assert json.loads(out)[0]["name"] == "Phường Điện Bàn"


def test_json_framework_export_import_round_trip(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    out_file = tmp_path / "par.json"
    code, _, _ = run(
        capsys, "framework", "export", "par-tinh-2018", str(out_file), "--data-dir", dd
    )
    assert code == 0
    other = str(tmp_path / "other")
    code, out, _ = run(capsys, "framework", "import", str(out_file), "--json", "--data-dir", other)
    assert code == 0
    _, shown, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    assert json.loads(out)["content_hash"] == json.loads(shown)["content_hash"]


def test_data_errors_exit_1_with_vietnamese_message(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "framework", "show", "khong-co", "--data-dir", dd)
    assert code == 1 and "Không có bộ chỉ số mã “khong-co”" in err
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    code, _, err = run(capsys, "framework", "import", str(bad), "--data-dir", dd)
    assert code == 1 and "chỉ nhận tệp Excel" in err
    code, _, err = run(
        capsys, "framework", "import", str(tmp_path / "missing.xlsx"), "--data-dir", dd
    )
    assert code == 1 and "Không tìm thấy" in err


def test_bad_usage_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["framework", "frobnicate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["init"])
    assert exc.value.code == 2


def test_scripted_filling_and_show(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    assert (
        run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "assess",
        "set",
        "1.1.1",
        "--score",
        "0,5",
        "--note",
        "Có QĐ",
        "--json",
        "--data-dir",
        dd,
    )
    assert code == 0 and json.loads(out)["self_score"] == 0.5
    code, _, err = run(capsys, "assess", "set", "1.1.1", "--score", "3", "--data-dir", dd)
    assert code == 1 and "vượt điểm tối đa" in err
    code, _, err = run(capsys, "assess", "set", "1.1.1", "--data-dir", dd)
    assert code == 2
    ev = tmp_path / "QĐ 123.pdf"
    ev.write_bytes(b"%PDF-1.4 quyet dinh")
    code, out, _ = run(
        capsys, "evidence", "add", "1.1.1", str(ev), "--ref", "trang 1", "--json", "--data-dir", dd
    )
    assert code == 0 and json.loads(out)["file_name"] == "QĐ 123.pdf"
    code, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", dd)
    shown = json.loads(out)
    assert shown["total_score"] == 0.5 and shown["period"] == "2026"
    assert shown["answers"][0]["evidence"][0]["ref"] == "trang 1"
    assert run(capsys, "evidence", "check", "--data-dir", dd)[0] == 0


def test_backup_restore_commands(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)
    run(capsys, "assess", "set", "1.2", "--score", "2", "--data-dir", dd)
    archive = tmp_path / "bk.zip"
    assert run(capsys, "backup", str(archive), "--data-dir", dd)[0] == 0
    other = str(tmp_path / "pc2")
    assert run(capsys, "restore", str(archive), "--data-dir", other)[0] == 0
    _, out, _ = run(capsys, "assess", "show", "--json", "--data-dir", other)
    assert json.loads(out)["total_score"] == 2


def test_python_dash_m_entry_point_and_env_data_dir(tmp_path: Path) -> None:
    env = dict(os.environ, PARAPP_DATA_DIR=str(tmp_path / "envdir"), PARAPP_NO_GUI="1")
    out = subprocess.run(
        [sys.executable, "-m", "parapp", "init", "--unit", "20551"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "envdir" / "parapp.sqlite").is_file()
    no_args = subprocess.run(
        [sys.executable, "-m", "parapp"], capture_output=True, text=True, env=env, check=False
    )
    assert no_args.returncode == 2 and "giao diện" in no_args.stderr


def test_a_sheet_with_an_error_changes_nothing_and_names_the_cell(
    capsys: pytest.CaptureFixture[str], dd: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    good = tmp_path / "par.xlsx"
    assert run(capsys, "framework", "export", "par-tinh-2018", str(good), "--data-dir", dd)[0] == 0
    wb = load_workbook(good)
    sheet = wb["Tiêu chí"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "3.4.1")
    sheet.cell(row, 3).value = "một điểm"
    sheet.cell(row, 2).value = "Tên đã sửa"
    bad = tmp_path / "par-loi.xlsx"
    wb.save(bad)
    _, before, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    code, _, err = run(capsys, "framework", "import", str(bad), "--data-dir", dd)
    assert code == 1
    assert f"Trang tính “Tiêu chí”, dòng {row}, cột C" in err and "một điểm" in err
    _, after, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    assert after == before


def test_assess_start_with_another_framework_warns_and_carries_over(
    capsys: pytest.CaptureFixture[str], dd: str
) -> None:
    """Changing framework from the CLI names what cannot be carried; --carry-over moves the
    rest by code (PAPI has no item 1.1.1, so that answer is listed as not carried)."""
    run(capsys, "init", "--unit", "20551", "--data-dir", dd)
    run(capsys, "assess", "start", "par-tinh-2018", "--period", "2026", "--data-dir", dd)
    code, out, _ = run(capsys, "framework", "show", "par-tinh-2018", "--json", "--data-dir", dd)
    leaf = next(c["code"] for c in _leaves(json.loads(out)))
    run(capsys, "assess", "set", leaf, "--note", "Đã làm", "--data-dir", dd)
    code, out, err = run(
        capsys, "assess", "start", "papi-quangnam-2020", "--period", "2026", "--json",
        "--carry-over", "--data-dir", dd,
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert "Bản tự đánh giá hiện tại dùng bộ chỉ số “par-tinh-2018”" in err
    assert leaf == "1.1.1" and data["carried"] == [] and data["not_carried"] == [leaf]
    assert "- 1.1.1: không có tiêu chí mã này trong bộ chỉ số mới" in err
    assert "Đã chuyển các câu trả lời phù hợp." in err


def _leaves(tree: dict[str, object]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    stack = list(tree.get("children", tree.get("areas", [])))  # type: ignore[call-overload]
    while stack:
        node = stack.pop(0)
        kids = node.get("children") or []
        out.extend([node] if not kids else [])
        stack[:0] = kids
    return out
