"""Reading frameworks and task plans from users' files (.xlsx or ParApp's .json).

The embedded defaults go through these same functions, so what ships is checked exactly as
what a province sends. Everything is NFC-normalised and validated; a bad file raises a
:class:`ParAppError` that names the file (and for Excel the sheet, row and column).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from parapp.fileio import atomic_write_text
from parapp.models import safe_json
from parapp.models.errors import ParAppError, ValidationError
from parapp.models.framework import Framework, framework_from_dict, framework_to_dict
from parapp.models.tasks import TaskPlan, task_plan_from_dict, task_plan_to_dict
from parapp.models.validation import validate_framework


def _nfc_tree(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    return value


MAX_JSON_BYTES = 32 << 20  # a framework or task plan is a few hundred KB


def _read_json(path: Path) -> Any:
    """Untrusted JSON, bounded: size, depth, no NaN/Infinity, no giant integers."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ParAppError(
                f"Tệp “{path.name}” quá lớn để là bộ chỉ số hoặc kế hoạch (tối đa 32 MB)."
            )
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise ParAppError(f"Không tìm thấy tệp “{path}”.") from err
    except OSError as err:
        raise ParAppError(f"Không đọc được tệp “{path.name}” ({err.strerror}).") from err
    return _nfc_tree(safe_json.loads(data, path.name))


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".json"):
        raise ParAppError(
            f"Không đọc được “{path.name}”: chỉ nhận tệp Excel (.xlsx) hoặc tệp ParApp (.json)."
        )
    if not path.is_file():
        raise ParAppError(f"Không tìm thấy tệp “{path}”.")
    return suffix


def read_framework_file(path: Path) -> Framework:
    """A validated framework from ``.xlsx`` (the template or a province's sheet) or ``.json``."""
    if _suffix(path) == ".json":
        data = _read_json(path)
        try:
            fw = framework_from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ParAppError(
                f"Tệp “{path.name}” không đúng định dạng bộ chỉ số của ParApp ({err!r})."
            ) from err
    else:
        from parapp.interchange.excel_framework import read_framework_xlsx

        fw = read_framework_xlsx(path)
    try:
        return validate_framework(fw)
    except ValidationError as err:
        raise ValidationError([f"Tệp “{path.name}”:", *err.problems]) from err


def write_framework_file(fw: Framework, path: Path) -> None:
    if path.suffix.lower() == ".json":
        atomic_write_text(path, json.dumps(framework_to_dict(fw), ensure_ascii=False, indent=1))
    elif path.suffix.lower() == ".xlsx":
        from parapp.interchange.excel_framework import write_framework_xlsx

        write_framework_xlsx(fw, path)
    else:
        raise ParAppError(f"Chỉ xuất ra .xlsx hoặc .json, không xuất được “{path.name}”.")


def read_tasks_file(path: Path, default_year: int | None = None) -> TaskPlan:
    if _suffix(path) == ".json":
        try:
            return task_plan_from_dict(_read_json(path))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise ParAppError(
                f"Tệp “{path.name}” không đúng định dạng kế hoạch của ParApp ({err!r})."
            ) from err
    from parapp.interchange.excel_tasks import read_tasks_xlsx

    return read_tasks_xlsx(path, default_year=default_year)


def write_tasks_file(plan: TaskPlan, path: Path) -> None:
    if path.suffix.lower() == ".json":
        atomic_write_text(path, json.dumps(task_plan_to_dict(plan), ensure_ascii=False, indent=1))
    elif path.suffix.lower() == ".xlsx":
        from parapp.interchange.excel_tasks import write_tasks_xlsx

        write_tasks_xlsx(plan, path)
    else:
        raise ParAppError(f"Chỉ xuất ra .xlsx hoặc .json, không xuất được “{path.name}”.")
