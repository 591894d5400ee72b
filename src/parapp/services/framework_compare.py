"""Compare two frameworks (last year's and this year's) and export the comparison as xlsx.

Either side is a file a province sent (.xlsx or ParApp's .json) or the id of a framework
already in the workspace, so an officer can compare the new decision's appendix with the
framework in use before adopting it. The CLI and the UI call :func:`export_framework_diff`.
"""

from __future__ import annotations

from pathlib import Path

from parapp.interchange.excel_framework_diff import write_framework_diff_xlsx
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework
from parapp.models.framework_diff import FrameworkDiff, diff_frameworks
from parapp.services.importing import read_framework_file
from parapp.services.workspace import Workspace


def load_framework(ref: str, ws: Workspace | None = None) -> Framework:
    """A framework named by a file path, or by its id in ``ws``."""
    path = Path(ref)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".json"):
        return read_framework_file(path)
    if ws is None:
        raise ParAppError(f"“{ref}” không phải là tệp bộ chỉ số (.xlsx hoặc .json).")
    return ws.framework(ref)


def export_framework_diff(
    old_ref: str, new_ref: str, out: Path, ws: Workspace | None = None
) -> FrameworkDiff:
    """Compare ``old_ref`` with ``new_ref`` and write the comparison to ``out`` (.xlsx)."""
    if out.suffix.lower() != ".xlsx":
        raise ParAppError(f"Tệp kết quả “{out.name}” phải có đuôi .xlsx.")
    diff = diff_frameworks(load_framework(old_ref, ws), load_framework(new_ref, ws))
    write_framework_diff_xlsx(diff, out)
    return diff
