"""What the appraisal-cycle commands share: their ``--data-dir``/``--json`` options (which
also honour the ones given before the command), the workspace, output, dates and the unit's
key. The commands themselves live in the modules named for them (``cli/office/appraise.py``,
``cli/office/appraisal_result.py``, ``cli/commune/requests.py``, ``cli/audit.py``…)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from parapp.cli.common import Settings
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.services import unit_keys
from parapp.services.paths import default_data_dir
from parapp.services.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A :class:`ParAppError` shown in Vietnamese, exit status 1, no traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Lỗi: {self.format_message()}", err=True)


def cycle_options(f: F) -> F:
    f = click.option("--json", "as_json", is_flag=True, help="in JSON")(f)
    return click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="thư mục dữ liệu"
    )(f)


def _settings() -> Settings | None:
    ctx = click.get_current_context(silent=True)
    return ctx.find_object(Settings) if ctx is not None else None


@contextmanager
def cycle_workspace(data_dir: Path | None) -> Iterator[Workspace]:
    """This command's ``--data-dir``, else the one before the command, else the default."""
    settings = _settings()
    if data_dir is None and settings is not None:
        data_dir = settings.resolved_data_dir()
    try:
        with Workspace.open(data_dir or default_data_dir()) as ws:
            yield ws
    except ParAppError as e:
        raise UserError(str(e)) from None


def cycle_emit(as_json: bool, data: Any, text: str) -> None:
    settings = _settings()
    wanted = as_json or (settings is not None and settings.json)
    click.echo(json.dumps(data, ensure_ascii=False, indent=1) if wanted else text)


def cycle_date(text: str | None) -> date | None:
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise UserError(f"Ngày “{text}” không hợp lệ (dùng dd/mm/yyyy).")


def cycle_keypair(ws: Workspace) -> KeyPair:
    passphrase = unit_keys.passphrase_from_env()
    if passphrase is None:
        passphrase = click.prompt("Mật khẩu khóa ký", hide_input=True)
    return unit_keys.unlock(ws, passphrase)
