"""Build a small workspace quickly for service and storage tests."""

from pathlib import Path

from parapp.models.units import Unit, UnitLevel
from parapp.services.workspace import Workspace
from tests.models.sample_framework import sample_framework


def setup_ws(data_dir: Path) -> Workspace:
    ws = Workspace.open(data_dir, backup=False)
    ws.save_framework(sample_framework())
    ws.set_own_unit(
        Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48"),
        Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE),
    )
    ws.start_assessment("mau-2026", "2026")
    return ws
