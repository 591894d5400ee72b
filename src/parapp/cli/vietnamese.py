"""click, speaking Vietnamese: help headings, the usage line and the usage-error messages.

click takes its own strings from gettext's global domain, which would need compiled catalogues
and a Vietnamese locale on the officer's PC. Instead, the few places where click writes text
are overridden here: the help formatter (headings, "Usage:", "[required]"), the help option's
text, the usage metavars, and :func:`usage_message`, which rebuilds every usage error from the
exception's own fields rather than from click's English sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import click
from click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoSuchCommand,
    NoSuchOption,
)

HELP_TEXT = "hiện trợ giúp này rồi thoát"
OPTIONS_METAVAR = "[TÙY CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [ĐỐI SỐ]..."

_HEADINGS = {"Options": "Tùy chọn", "Commands": "Lệnh", "Positional arguments": "Đối số"}
_EXTRA = (("[required]", "[bắt buộc]"), ("[default: ", "[mặc định: "))
_EXTRA_ARGS = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$")
_TAKES_NO_VALUE = re.compile(r"does not take a value")


class HelpFormatter(click.HelpFormatter):
    """click's help layout with Vietnamese headings and labels."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Cách dùng: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl(
            [(term, _translate_extra(text)) for term, text in rows], col_max, col_spacing
        )


def _translate_extra(text: str) -> str:
    for english, vietnamese in _EXTRA:
        text = text.replace(english, vietnamese)
    return text


class Context(click.Context):
    """Every command's context formats its help with :class:`HelpFormatter`."""

    formatter_class = HelpFormatter


class _Vietnamese(click.Command):
    def name_metavars(self) -> None:
        """Options show their own name as the value's placeholder (``--out OUT``), as argparse
        did, instead of click's English type names (``TEXT``, ``INTEGER``)."""
        for param in self.params:
            if isinstance(param, click.Option) and not param.is_flag and param.metavar is None:
                param.metavar = (param.name or "").upper()

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class Command(_Vietnamese):
    """A leaf command (``parapp framework list``) with Vietnamese help."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        self.name_metavars()


class Group(click.Group, _Vietnamese):
    """A group of commands (``parapp framework``) with Vietnamese help."""

    context_class = Context
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)
        self.name_metavars()


def _quoted(names: Iterable[str]) -> str:
    return " / ".join(f"“{n}”" for n in names)


def _param_names(param: click.Parameter | None) -> str:
    if param is None:
        return ""
    if isinstance(param, click.Argument):
        return _quoted([(param.name or "").upper()])
    return _quoted(param.opts)


def _suggest(possibilities: list[str] | None) -> str:
    if not possibilities:
        return ""
    return " (có phải ý bạn là " + ", ".join(f"“{p}”" for p in sorted(possibilities)) + "?)"


def usage_message(err: click.UsageError) -> str:
    """The Vietnamese sentence for a usage error (our own messages pass through unchanged)."""
    if isinstance(err, NoSuchCommand):
        return f"không có lệnh “{err.command_name}”{_suggest(err.possibilities)}."
    if isinstance(err, NoSuchOption):
        return f"không có tùy chọn “{err.option_name}”{_suggest(err.possibilities)}."
    if isinstance(err, MissingParameter):
        names = _param_names(err.param)
        if isinstance(err.param, click.Argument):
            return f"thiếu đối số {names}."
        return f"thiếu tùy chọn {names}."
    if isinstance(err, BadParameter):
        names = _param_names(err.param)
        return f"giá trị không hợp lệ cho {names}: {err.message}" if names else err.message
    if isinstance(err, BadOptionUsage):
        if _TAKES_NO_VALUE.search(err.message):
            return f"tùy chọn “{err.option_name}” không nhận giá trị."
        return f"tùy chọn “{err.option_name}” cần một giá trị."
    extra = _EXTRA_ARGS.match(err.message)
    if extra:
        return f"thừa đối số: {extra['args']}."
    if err.message == "Missing command.":
        return "thiếu lệnh."
    return err.message


def usage_hint(err: click.UsageError) -> str:
    """Usage line and a pointer to ``--help`` for the command that was being parsed."""
    if err.ctx is None:
        return "Xem “parapp --help” để biết cách dùng."
    return f"{err.ctx.get_usage()}\nXem “{err.ctx.command_path} --help” để biết cách dùng."


class Choice(click.Choice[str]):
    """A fixed list of values, refused in Vietnamese."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        allowed = ", ".join(str(c) for c in self.choices)
        self.fail(f"“{value}” không thuộc các giá trị: {allowed}.", param, ctx)


class Integer(click.ParamType[int]):
    """A whole number, refused in Vietnamese."""

    name = "số nguyên"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            self.fail(f"“{value}” không phải là số nguyên.", param, ctx)
