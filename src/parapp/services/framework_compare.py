"""Compare two frameworks (last year's and this year's) and export the comparison as xlsx.

Either side is a file a province sent (.xlsx or ParApp's .json) or the id of a framework
already in the workspace, so an officer can compare the new decision's appendix with the
framework in use before adopting it. The CLI calls :func:`export_framework_diff`; the UI's
dialog compares two frameworks of the workspace (:func:`compare_in_workspace`) and writes
the comparison it shows (:func:`write_diff`).
"""

from __future__ import annotations

from pathlib import Path

from parapp.interchange.excel_framework_diff import write_framework_diff_xlsx
from parapp.models.errors import ParAppError
from parapp.models.framework import Framework
from parapp.models.framework_diff import FrameworkDiff, diff_frameworks
from parapp.models.periods import period_key
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


def compare_in_workspace(ws: Workspace, old_id: str, new_id: str) -> FrameworkDiff:
    """Compare two frameworks of the workspace, named by id."""
    return diff_frameworks(ws.framework(old_id), ws.framework(new_id))


def write_diff(diff: FrameworkDiff, out: Path) -> Path:
    """Write a comparison already made to ``out`` (.xlsx, added when missing)."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    write_framework_diff_xlsx(diff, out)
    return out


def default_pair(ws: Workspace) -> tuple[str | None, str | None]:
    """The pair an officer most likely wants compared: (last period's, this period's).

    This period's is the current assessment's framework (else the newest); last period's is
    the framework of the last period's assessment when it differs, else the newest framework
    of an earlier year, else any other one.
    """
    rows = ws.frameworks.list()
    ids = [str(r["id"]) for r in rows]
    if not ids:
        return None, None
    current = ws.current_assessment()
    new_id = current.framework_id if current is not None and current.framework_id in ids else ids[0]
    others = [r for r in rows if str(r["id"]) != new_id]
    if not others:
        return None, new_id
    if current is not None:
        prev = ws.previous_assessment()
        if prev is not None and prev.framework_id != new_id and prev.framework_id in ids:
            return prev.framework_id, new_id
    year = next(r["year"] for r in rows if str(r["id"]) == new_id)
    new_year = period_key(str(year or ""))
    older = [r for r in others if period_key(str(r["year"] or "")) < new_year]
    return str((older or others)[0]["id"]), new_id
