"""What every command shares: the global options, the output convention and the workspace.

``--data-dir`` and ``--json`` are accepted both before the command (``parapp --json units
list``) and after it (``parapp units list --json``), as the argparse CLI accepted them; both
positions write into the one :class:`Settings` object of the run.
"""

from __future__ import annotations

import getpass
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from parapp.models.errors import ParAppError
from parapp.models.numbers import read_number
from parapp.services import unit_keys
from parapp.services.paths import default_data_dir
from parapp.services.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Settings:
    """The global options of one run (shared by the root group and the command)."""

    data_dir: Path | None = None
    json: bool = False

    def resolved_data_dir(self) -> Path:
        """``--data-dir``, else ``PARAPP_DATA_DIR``, else the per-user data folder."""
        return self.data_dir if self.data_dir is not None else default_data_dir()


pass_settings = click.make_pass_decorator(Settings, ensure=True)


class UserError(click.ClickException):
    """A :class:`ParAppError` shown as ``Lỗi: …`` (Vietnamese), exit status 1, no traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def current_settings() -> Settings | None:
    """The run's :class:`Settings` (filled by options given before the command), if any."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_object(Settings) if ctx is not None else None


def command_data_dir(data_dir: Path | None) -> Path:
    """This command's own ``--data-dir``, else the one given before the command (``parapp
    --data-dir X trust list``), else ``PARAPP_DATA_DIR`` / the per-user folder."""
    if data_dir is not None:
        return data_dir
    settings = current_settings()
    return settings.resolved_data_dir() if settings is not None else default_data_dir()


def wants_json(as_json: bool) -> bool:
    """This command's own ``--json``, or the one given before the command."""
    settings = current_settings()
    return as_json or (settings is not None and settings.json)


def emit_json_or_text(as_json: bool, data: Any, text: str, *, indent: int = 1) -> None:
    """For commands with their own ``--json`` flag: JSON when asked anywhere, else text."""
    if wants_json(as_json):
        click.echo(json.dumps(data, ensure_ascii=False, indent=indent, default=str))
    else:
        click.echo(text)


def _store_data_dir(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(Settings).data_dir = Path(value)


def _store_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Settings).json = True


def global_options(fn: F) -> F:
    """Add ``--data-dir`` and ``--json`` to a command (they fill :class:`Settings`)."""
    fn = click.option(
        "--data-dir",
        metavar="THƯ_MỤC",
        expose_value=False,
        callback=_store_data_dir,
        help="thư mục dữ liệu (mặc định: PARAPP_DATA_DIR hoặc thư mục người dùng)",
    )(fn)
    fn = click.option(
        "--json",
        is_flag=True,
        expose_value=False,
        callback=_store_json,
        help="in kết quả dạng JSON",
    )(fn)
    return fn


def emit(settings: Settings, data: Any, text: str | Callable[[], str]) -> None:
    """Print ``data`` as JSON with ``--json``, else the human text."""
    if settings.json:
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    else:
        print(text() if callable(text) else text)


def open_ws(settings: Settings) -> Workspace:
    return Workspace.open(settings.resolved_data_dir())


def workspace_exists(settings: Settings) -> bool:
    return (settings.resolved_data_dir() / "parapp.sqlite").is_file()


def number_arg(text: str | None, what: str, whole: bool = False) -> float | None:
    """A number typed the Vietnamese way ("0,5", "1.234" = 1234) or not at all (None or
    blank), read by the app's one number reader; ``whole`` for counts (no fractions)."""
    if text is None or text.strip() == "":
        return None
    return read_number(text, what=what, whole=whole)


def date_arg(text: str) -> date:
    """A date as dd/mm/yyyy (or ISO yyyy-mm-dd)."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ParAppError(f"Ngày “{text}” không hợp lệ (dùng dd/mm/yyyy).")


def vn_datetime(iso: str) -> str:
    """An ISO timestamp in local time as dd/mm/yyyy HH:MM (blank stays blank)."""
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


def read_passphrase(prompt: str = "Mật khẩu khóa ký: ", *, confirm: bool = False) -> str:
    """``PARAPP_PASSPHRASE`` when set, else ask on the terminal; never echo."""
    env = unit_keys.passphrase_from_env()
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise ParAppError(
            "Cần mật khẩu của khóa ký: đặt biến môi trường PARAPP_PASSPHRASE khi chạy không "
            "tương tác."
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ParAppError("Hai lần nhập mật khẩu không giống nhau.")
    return first
