"""The README's CLI table stays true: every command and option it shows exists."""

from __future__ import annotations

import re
from pathlib import Path

import click

from parapp.cli.root import root

README = Path(__file__).resolve().parents[2] / "README.md"


def _table_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    rows = [ln for ln in text.splitlines() if ln.startswith("| `parapp ")]
    assert len(rows) >= 10, "the README's CLI table was not found"
    return [seg for row in rows for seg in re.findall(r"`([^`]+)`", row.split(" | ")[0])]


def _options(command: click.Command) -> set[str]:
    return {o for p in command.params if isinstance(p, click.Option) for o in p.opts}


def test_every_command_and_option_in_the_readme_exists() -> None:
    checked = 0
    for segment in _table_commands():
        tokens = segment.replace("\\|", " | ").split()
        if tokens[0] == "parapp":
            tokens = tokens[1:]
        command: click.Command = root
        parent: click.Group = root
        alternative = False
        for token in tokens:
            if token == "|":  # a sibling sub-command (root-level ones are apart), or a value
                alternative = True
                continue
            if alternative and parent is not root and token in parent.commands:
                command = parent.commands[token]
                checked += 1
            alternative = False
            option = re.match(r"[\[(]?(--[a-z0-9-]+)", token)
            if option:
                assert option[1] in _options(command) | {"--help"}, (segment, option[1])
                checked += 1
            elif isinstance(command, click.Group) and token in command.commands:
                parent, command = command, command.commands[token]
                checked += 1
        assert command is not root or tokens[0].startswith("--"), segment
    assert checked > 50
