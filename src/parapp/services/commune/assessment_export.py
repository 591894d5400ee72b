"""Export the current self-assessment to Excel (review, or an office that collects Excel)."""

from __future__ import annotations

from pathlib import Path

from parapp.interchange.excel_assessment import write_assessment_xlsx
from parapp.services.workspace import Workspace


def export_assessment_xlsx(ws: Workspace, out: Path) -> Path:
    """Write the current assessment, with the same roll-up as the screen, to ``out``."""
    assessment = ws.require_assessment()
    unit = ws.require_unit()
    return write_assessment_xlsx(
        ws.current_framework(),
        ws.answers(),
        ws.rollup(),
        Path(out),
        unit_name=unit.name,
        period=assessment.period,
    )
