"""Official A4 documents as PDF: blank form, report, task list, ranking, appraisal.

Each ``render_*`` is a pure function of domain objects that writes one PDF atomically; the
CLI (``parapp print KIND --out FILE.pdf``) and the UI call them with data from services.
"""

from __future__ import annotations

from parapp.interchange.pdf.appraisal import render_appraisal
from parapp.interchange.pdf.blank_form import render_blank_form
from parapp.interchange.pdf.ranking import render_ranking
from parapp.interchange.pdf.report import render_report
from parapp.interchange.pdf.tasks_list import render_tasks

__all__ = [
    "render_appraisal",
    "render_blank_form",
    "render_ranking",
    "render_report",
    "render_tasks",
]
