"""The receiving office edits the year's framework in the app and saves it in the workspace.

Editing never changes a framework in place: it starts from a copy with a new id and a name
saying so ("… (bản sửa 2026)"), because assessments and bundles name a framework by its
content hash and the copy's hash will differ. The copy is a *draft*: it is saved whole
(``framework_drafts``) whatever its state, so an officer can stop half-way through a
100-item tree, and it becomes a usable framework (``frameworks``: chosen in the setup
wizard, publishable) in the same transaction only when it has no problem. An invalid draft
is never usable: :func:`is_publishable` says why.

A usable framework that an assessment or a received bundle already names is not changed
under it; the draft is still saved and the officer is told to start a new copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from parapp.models import framework_edit
from parapp.models.errors import NotFoundError, ValidationError
from parapp.models.framework import Framework
from parapp.models.text import clean, fold
from parapp.services.changes import Changes
from parapp.services.workspace import Workspace
from parapp.storage.framework_drafts_repo import FrameworkDraftsRepo

#: the copy's name: "<name> (bản sửa <year>)"
_EDIT_SUFFIX = re.compile(r"\s*\(bản sửa \d{4}\)$")


def is_publishable(fw: Framework) -> list[str]:
    """The problems (Vietnamese, naming the item) that keep ``fw`` from being used or
    published; an empty list when it can be. The publish action calls this."""
    return framework_edit.is_publishable(fw)


@dataclass(frozen=True)
class Editable:
    """A framework the office may edit: a saved draft, or a usable framework to copy."""

    id: str
    name: str
    year: int | None
    draft: bool
    problems: int = 0
    saved_at: str = ""


@dataclass(frozen=True)
class SaveResult:
    """What :func:`save` did: the draft is always saved; ``usable`` when the framework is
    also stored as a usable one (it had no problem); ``message`` says it in Vietnamese."""

    framework_id: str
    problems: tuple[str, ...]
    usable: bool
    message: str
    changes: Changes


def editable_frameworks(ws: Workspace) -> list[Editable]:
    """Saved drafts (most recent first), then the workspace's usable frameworks."""
    repo = FrameworkDraftsRepo(ws.db)
    drafts = repo.list()
    out = []
    for row in drafts:
        fw = repo.get(row.id)
        out.append(Editable(row.id, row.name, fw.year, True, row.problems, row.saved_at))
    shadowed = {d.id for d in drafts}
    for r in ws.frameworks.list():
        if str(r["id"]) not in shadowed:
            year = r["year"]
            out.append(
                Editable(str(r["id"]), str(r["name"]), int(str(year)) if year else None, False)
            )
    return out


def _taken_ids(ws: Workspace) -> set[str]:
    return {str(r["id"]) for r in ws.frameworks.list()} | FrameworkDraftsRepo(ws.db).ids()


def _new_id(ws: Workspace, stem: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", fold(stem)).strip("-") or "bo-chi-so"
    taken = _taken_ids(ws)
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def start_edit(ws: Workspace, framework_id: str, year: int | None = None) -> Framework:
    """A copy of ``framework_id`` (a usable framework or a draft) to edit, with a new id and
    the name "… (bản sửa ``year``)"; ``year`` (this year by default) is also its year.
    Nothing is stored until :func:`save`."""
    year = year or date.today().year
    drafts = FrameworkDraftsRepo(ws.db)
    base = drafts.get(framework_id) if framework_id in drafts.ids() else ws.framework(framework_id)
    stem = re.sub(r"-sua-\d{4}(?:-\d+)?$", "", base.id)
    name = _EDIT_SUFFIX.sub("", base.name)
    return replace(
        base,
        id=_new_id(ws, f"{stem}-sua-{year}"),
        name=f"{name} (bản sửa {year})",
        year=year,
    )


def new_framework(ws: Workspace, name: str, year: int | None = None) -> Framework:
    """A framework written from scratch: one empty area to start from."""
    year = year or date.today().year
    name = clean(name) or f"Bộ chỉ số {year}"
    return framework_edit.blank_framework(_new_id(ws, f"{name}-{year}"), name, year)


def open_draft(ws: Workspace, draft_id: str) -> Framework:
    """A saved draft, to carry on editing it under the same id."""
    return FrameworkDraftsRepo(ws.db).get(draft_id)


def base_of(ws: Workspace, draft_id: str) -> str:
    """The framework a saved draft was copied from (``""`` when written from scratch)."""
    row = FrameworkDraftsRepo(ws.db).row(draft_id)
    return row.base_id if row is not None else ""


def in_use(ws: Workspace, framework_id: str) -> str:
    """Why the usable framework ``framework_id`` must not change (``""`` when it may):
    an assessment or a received bundle names it by its content hash."""
    assessments = ws.db.execute(
        "SELECT COUNT(*) FROM assessments WHERE framework_id = ?", [framework_id]
    ).fetchone()[0]
    bundles = ws.db.execute(
        "SELECT COUNT(*) FROM received_bundles WHERE framework_id = ?", [framework_id]
    ).fetchone()[0]
    parts = []
    if assessments:
        parts.append(f"{assessments} bản tự đánh giá")
    if bundles:
        parts.append(f"{bundles} hồ sơ đã nhận")
    return " và ".join(parts)


def save(ws: Workspace, fw: Framework, base_id: str = "") -> SaveResult:
    """Save the draft ``fw`` and, when it has no problem, make it usable; all in one
    transaction (a failure leaves both tables as they were)."""
    if not fw.id.strip():
        raise ValidationError("Bộ chỉ số chưa có mã.")
    problems = tuple(is_publishable(fw))
    drafts = FrameworkDraftsRepo(ws.db)
    usable = False
    blocked = ""
    with ws.db.atomic():
        drafts.save(fw, base_id, len(problems))
        if not problems:
            try:
                stored_hash: str | None = ws.frameworks.get(fw.id).content_hash
            except NotFoundError:
                stored_hash = None
            blocked = in_use(ws, fw.id) if stored_hash not in (None, fw.content_hash) else ""
            if not blocked:
                ws.frameworks.save(fw)
                usable = True
    if usable:
        message = f"Đã lưu bộ chỉ số “{fw.name}”; bộ chỉ số hợp lệ và dùng được."
    elif blocked:
        message = (
            f"Đã lưu bản soạn thảo “{fw.name}”, nhưng bộ chỉ số cùng mã đã được dùng ở "
            f"{blocked} nên không được thay đổi. Hãy tạo bản sửa mới từ bản soạn thảo này."
        )
    else:
        message = (
            f"Đã lưu bản soạn thảo “{fw.name}”; còn {len(problems)} vấn đề phải sửa "
            "trước khi dùng hoặc ban hành."
        )
    return SaveResult(fw.id, problems, usable, message, Changes(frameworks=usable))


def delete_draft(ws: Workspace, draft_id: str) -> None:
    """Forget a draft (a usable framework saved from it stays)."""
    with ws.db.atomic():
        FrameworkDraftsRepo(ws.db).delete(draft_id)
