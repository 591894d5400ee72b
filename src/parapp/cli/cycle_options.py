"""What the appraisal-cycle commands share: their ``--data-dir``/``--json`` options (which
also honour the ones given before the command), the workspace, output, dates and the unit's
key. The commands themselves live in the modules named for them (``cli/office/appraise.py``,
``cli/office/appraisal_result.py``, ``cli/commune/requests.py``, ``cli/audit.py``…)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from parapp.cli.common import UserError as UserError
from parapp.cli.common import command_data_dir, date_arg, emit_json_or_text
from parapp.interchange.keys import KeyPair
from parapp.models.errors import ParAppError
from parapp.services import unit_keys
from parapp.services.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


def cycle_options(f: F) -> F:
    f = click.option("--json", "as_json", is_flag=True, help="in JSON")(f)
    return click.option(
        "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="thư mục dữ liệu"
    )(f)


@contextmanager
def cycle_workspace(data_dir: Path | None) -> Iterator[Workspace]:
    """This command's ``--data-dir``, else the one before the command, else the default."""
    try:
        with Workspace.open(command_data_dir(data_dir)) as ws:
            yield ws
    except ParAppError as e:
        raise UserError(str(e)) from None


def cycle_emit(as_json: bool, data: Any, text: str) -> None:
    emit_json_or_text(as_json, data, text)


def cycle_date(text: str | None) -> date | None:
    """A date typed as dd/mm/yyyy (or ISO), blank for none; a bad one is the user's error."""
    if not text:
        return None
    try:
        return date_arg(text)
    except ParAppError as e:
        raise UserError(str(e)) from None


def cycle_keypair(ws: Workspace) -> KeyPair:
    passphrase = unit_keys.passphrase_from_env()
    if passphrase is None:
        passphrase = click.prompt("Mật khẩu khóa ký", hide_input=True)
    return unit_keys.unlock(ws, passphrase)
