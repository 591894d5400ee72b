"""The embedded defaults (frameworks, task plans) and the demo workspace of ``make run``.

Defaults are files in ``resources/defaults`` loaded by the same importer users use, so a
broken default fails exactly like a broken province file would, in the tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from parapp.models.units import Unit, UnitLevel
from parapp.resources import resource
from parapp.services.workspace import Workspace

# Reading the embedded files and filling the demo (parapp.services.importing, .demo) is
# needed only the first time the demo is built: they are imported where that happens, so
# opening the demo again costs what opening any workspace does (bench/bench_startup.py).

DEFAULT_PAR = "par_tiengiang_2018.json"
#: How the embedded frameworks are offered: as examples, named by their real origin (a
#: province's own framework of an earlier year, for provinces), never as "the" framework a
#: commune or ward must use. Keyed by framework id; every embedded framework has one (a test
#: checks it).
EXAMPLE_LABELS = {
    "par-tinh-2018": "Ví dụ: Bộ chỉ số CCHC cấp tỉnh, Tiền Giang 2018",
    "papi-quangnam-2020": "Ví dụ: Chỉ số PAPI cấp tỉnh, Quảng Nam 2020",
}
DEMO_UNIT = Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48", "Thành phố Đà Nẵng")
DEMO_PARENT = Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE, None, "Thành phố Đà Nẵng")


def example_label(framework_id: str) -> str | None:
    """The label of an embedded example framework (``None`` for the unit's own ones)."""
    return EXAMPLE_LABELS.get(framework_id)


def defaults_dir() -> Path:
    return resource("defaults")


def default_framework_files() -> list[Path]:
    return sorted(p for p in defaults_dir().glob("*.json") if not p.name.startswith("tasks_"))


def default_plan_files() -> list[Path]:
    return sorted(defaults_dir().glob("tasks_*.json"))


def install_defaults(ws: Workspace) -> list[str]:
    """Load every embedded framework and plan into ``ws``; return the framework ids."""
    from parapp.services.importing import read_framework_file, read_tasks_file

    ids = []
    for path in default_framework_files():
        fw = read_framework_file(path)
        ws.save_framework(fw)
        ids.append(fw.id)
    for path in default_plan_files():
        ws.save_plan(read_tasks_file(path))
    return ids


def default_par_id(ws: Workspace) -> str:
    """The id of the default PAR framework (first PAR framework of the defaults)."""
    from parapp.services.importing import read_framework_file

    for path in default_framework_files():
        fw = read_framework_file(path)
        if fw.index_kind.upper() == "PAR":
            return fw.id
    raise LookupError("no default PAR framework")


def open_demo(data_dir: Path, *, lived_in: bool = False) -> Workspace:
    """Open the demo workspace, creating it from the defaults on first use.

    A sample commune (Phường Điện Bàn, Đà Nẵng — the seeds are Quảng Nam documents, and
    Quảng Nam is part of Đà Nẵng since 2025), the PAR framework, the 2024 task plan, and an
    assessment of the current year. ``lived_in`` (what ``make run`` shows) also fills about
    half of it (:func:`parapp.services.demo.fill_demo`); tests start from the empty one.
    """
    ws = Workspace.open(data_dir)
    created = ws.own_unit() is None or ws.current_assessment() is None
    if created:
        install_defaults(ws)
        ws.set_own_unit(DEMO_UNIT, DEMO_PARENT)
        ws.set_officer("Nguyễn Văn An", "Công chức Văn phòng - Thống kê")
        plans = [str(p["id"]) for p in ws.tasks.plans() if p["year"] == 2024]
        if plans:
            ws.set_current_plan(plans[0])
        ws.start_assessment(default_par_id(ws), str(date.today().year))
        if lived_in:
            from parapp.services.demo import fill_demo

            fill_demo(ws)
    return ws
