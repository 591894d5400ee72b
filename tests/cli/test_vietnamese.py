"""click speaks Vietnamese: usage errors, help headings, placeholders — on every command."""

from __future__ import annotations

import re

import click
import pytest

from parapp.cli import main
from parapp.cli.root import root

#: click's own English, which must never reach the user
ENGLISH = re.compile(
    r"Usage:|Options:|Commands:|Error:|Try '|Show this message|Missing (argument|option)|"
    r"No such (command|option)|Invalid value|--[\w-]+ (TEXT|INTEGER)\b|\[required\]|\[default:"
)


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert not ENGLISH.search(err), err
    return err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["framework", "frobnicate"], "parapp: lỗi cú pháp: không có lệnh “frobnicate”."),
        (["init"], "parapp: lỗi cú pháp: thiếu tùy chọn “--unit”."),
        (["units", "search"], "parapp: lỗi cú pháp: thiếu đối số “TEXT”."),
        (["units", "search", "x", "--limit", "mười"], "“mười” không phải là số nguyên."),
        (["units", "search", "x", "--limit"], "tùy chọn “--limit” cần một giá trị."),
        (["units", "list", "--bogus"], "không có tùy chọn “--bogus”."),
        (["units", "search", "dien", "ban"], "thừa đối số: ban."),
        (["print", "nope", "--out", "x.pdf"], "“nope” không thuộc các giá trị: blank-form,"),
        (["framework", "lst"], "(có phải ý bạn là “list”?)"),
        (["assess", "set", "1.1"], "cần ít nhất một trong --value"),
        (["print", "appraisal", "--out", "x.pdf"], "cần mã đơn vị"),
    ],
)
def test_usage_errors_are_vietnamese_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    err = usage_error(capsys, *argv)
    assert expected in err
    assert "--help” để biết cách dùng." in err


def test_a_group_without_its_command_shows_its_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = usage_error(capsys, "framework")
    assert "Cách dùng: parapp framework [TÙY CHỌN] LỆNH [ĐỐI SỐ]..." in err
    assert "Lệnh:" in err and "template" in err


def _paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _paths(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def test_every_help_page_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    paths = _paths(root)
    assert len(paths) > 40
    for path in paths:
        assert main([*path, "--help"]) == 0, path
        out = capsys.readouterr().out
        assert out.startswith("Cách dùng: parapp"), path
        assert "Tùy chọn:" in out and "hiện trợ giúp này rồi thoát" in out, path
        assert not ENGLISH.search(out), (path, out)
        described = root
        for name in path:
            described = described.commands[name]  # type: ignore[attr-defined]
        assert described.help, f"{' '.join(path)} has no help text"
