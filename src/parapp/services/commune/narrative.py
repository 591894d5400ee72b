"""The officer's own words in the report: stored with the assessment, frozen into revisions.

Each assessment keeps its narrative sections (general assessment, results by area,
shortcomings, causes, solutions, recommendations) in the workspace settings under
``narrative:<assessment id>``: no schema change, and a new assessment starts empty. A
section left empty prints the draft the app proposes from the data
(:func:`parapp.models.narrative.draft_narrative`), so a report is never blank.
"""

from __future__ import annotations

from dataclasses import replace

from parapp.models.document_forms import issuer_in_text, issuer_kind
from parapp.models.errors import ParAppError
from parapp.models.narrative import (
    MAX_SECTION_CHARS,
    SECTIONS,
    draft_narrative,
    merged,
    narrative_from_dict,
    narrative_to_dict,
    unwritten,
)
from parapp.models.print_data import Narrative
from parapp.models.text import nfc
from parapp.services.workspace import Workspace


def _key(ws: Workspace) -> str:
    return f"narrative:{ws.require_assessment().id}"


def _body_name(ws: Workspace) -> str:
    unit = ws.require_unit()
    return issuer_in_text(issuer_kind(unit), unit.name)


def stored_narrative(ws: Workspace) -> Narrative:
    """What the officer has written (empty sections where nothing was saved)."""
    return narrative_from_dict(ws.settings.get(_key(ws), {}))


def draft(ws: Workspace) -> Narrative:
    """The draft the app proposes from the current answers."""
    a = ws.require_assessment()
    return draft_narrative(ws.framework(a.framework_id), ws.answers(), _body_name(ws), a.period)


def report_narrative(ws: Workspace) -> Narrative:
    """What the report prints: the officer's text, the draft where a section is empty."""
    return merged(stored_narrative(ws), draft(ws))


def unwritten_sections(ws: Workspace) -> list[str]:
    """Headings of the report's sections still printing the draft's prompt (or nothing):
    the print dialog says so before the report goes to be signed."""
    return unwritten(report_narrative(ws))


def check_section(section: str) -> str:
    if section not in SECTIONS:
        names = ", ".join(SECTIONS)
        raise ParAppError(f"Không có mục “{section}” trong báo cáo. Các mục: {names}.")
    return section


def set_section(ws: Workspace, section: str, text: str) -> Narrative:
    """Save one section's text (empty text returns the section to the app's draft)."""
    check_section(section)
    value = nfc(text).replace("\r\n", "\n").strip()
    if len(value) > MAX_SECTION_CHARS:
        raise ParAppError(
            f"Mục “{SECTIONS[section]}” dài {len(value)} ký tự, quá giới hạn "
            f"{MAX_SECTION_CHARS} ký tự. Hãy rút gọn."
        )
    current = replace(stored_narrative(ws), **{section: value})
    ws.settings.set(_key(ws), narrative_to_dict(current))
    return current


def adopt_draft(ws: Workspace) -> Narrative:
    """Copy the draft into every section still empty, for the officer to edit from there."""
    current = report_narrative(ws)
    ws.settings.set(_key(ws), narrative_to_dict(current))
    return current


def frozen_narrative(ws: Workspace) -> dict[str, str]:
    """The narrative to freeze into a revision's document: the text as printed, but only
    when the officer has written something (a document without it stays byte-identical to
    those of earlier versions, so their revisions still match)."""
    if not narrative_to_dict(stored_narrative(ws)):
        return {}
    return narrative_to_dict(report_narrative(ws))
