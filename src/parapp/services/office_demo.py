"""The office demo (``make run-office``): Sở Nội vụ of Đà Nẵng with twelve communes.

A receiving office opened on an empty inbox shows nothing of what it is for. This builds
what an office sees a week before the deadline: ten of twelve real wards and communes
of Đà Nẵng (2025 unit catalogue) have sent a signed bundle, nine from an enrolled key
and one not yet verified, two have sent nothing, and the first three are already
partly appraised. Every bundle is made the way a commune makes it — a scratch commune
workspace, filled by :func:`parapp.services.demo.fill_demo`, exported by the commune's
own :func:`parapp.services.commune.submission.export_bundle` — and imported through the
real inbox, so the demo shows exactly what the product does. Deterministic in its
answers; built once, on first open (about five seconds).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from parapp.interchange import keys
from parapp.models.units import Unit, UnitLevel
from parapp.services import trusted_keys, unit_catalogue
from parapp.services.commune.submission import export_bundle
from parapp.services.defaults import DEMO_PARENT, default_par_id, install_defaults
from parapp.services.demo import fill_demo
from parapp.services.office.appraisal import accept_self_scores, set_appraisal, unit_appraisal
from parapp.services.office.inbox import import_bundles, set_deadline_for
from parapp.services.workspace import Workspace
from parapp.storage.scratch import scratch_dir

COMMUNES = 12
SUBMITTED = 10
UNVERIFIED = 9  # index of the commune whose key the office has not enrolled yet
APPRAISED = 3
CHAIRS = (
    "Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Thị Hạnh", "Hoàng Văn Nam",
    "Võ Thị Thu", "Đặng Quốc Bảo", "Bùi Thị Mai", "Huỳnh Văn Đức", "Phan Thị Ngọc",
)  # fmt: skip


def demo_communes() -> list[Unit]:
    """Communes and wards of Đà Nẵng spread over the catalogue, as the office's child units."""
    entries = unit_catalogue.communes(DEMO_PARENT.code)
    entries = entries[:: max(1, len(entries) // COMMUNES)][:COMMUNES]
    return [
        Unit(e.code, e.name, UnitLevel.COMMUNE, DEMO_PARENT.code, e.province_name) for e in entries
    ]


def _send(office: Workspace, unit: Unit, n: int, fw_id: str, period: str, out: Path) -> None:
    """One commune fills its form in a scratch workspace and exports its signed bundle."""
    work = scratch_dir(office.data_dir, "demo-commune")
    try:
        cws = Workspace.open(work / "ws", backup=False)
        try:
            cws.save_framework(office.framework(fw_id))
            cws.set_own_unit(unit, DEMO_PARENT)
            cws.start_assessment(fw_id, period)
            fill_demo(cws, variant=n + 1, complete=True)
            kp = keys.generate_keypair()
            export_bundle(cws, out, kp, CHAIRS[n % len(CHAIRS)], confirm_all_unscored=True)
        finally:
            cws.close()
        if n != UNVERIFIED:
            pub = work / f"{unit.code}.pub"
            keys.write_public_key(kp.public, pub)
            trusted_keys.enrol_key_file(office, unit.code, pub)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _appraise(office: Workspace, unit_code: str, n: int, period: str) -> None:
    """Accept the unit's self scores, then lower one or two items with the office's reason."""
    accept_self_scores(office, unit_code, period=period)
    items = [i for i in unit_appraisal(office, unit_code, period).items if not i.survey_only]
    for item in items[2 + n :: 9][: n + 1]:
        if item.appraised:
            set_appraisal(
                office, unit_code, item.code, 0.0,
                "Tài liệu kiểm chứng chưa thể hiện kết quả thực hiện trong năm đánh giá.",
                period,
            )  # fmt: skip


def open_office_demo(data_dir: Path) -> Workspace:
    """Open the office demo workspace, building it on first use."""
    ws = Workspace.open(data_dir)
    if ws.own_unit() is not None and ws.child_units():
        return ws
    install_defaults(ws)
    ws.set_own_unit(DEMO_PARENT)
    ws.set_officer("Lê Thị Hoa", "Chuyên viên Sở Nội vụ")
    fw_id = default_par_id(ws)
    period = str(date.today().year)
    communes = demo_communes()
    for unit in communes:
        ws.add_unit(unit)
    set_deadline_for(ws, period, date.today() + timedelta(days=7))
    inbox = scratch_dir(ws.data_dir, "demo-inbox")
    try:
        for n, unit in enumerate(communes[:SUBMITTED]):
            _send(ws, unit, n, fw_id, period, inbox)
        import_bundles(ws, [inbox])
    finally:
        shutil.rmtree(inbox, ignore_errors=True)
    for n, unit in enumerate(communes[:APPRAISED]):
        _appraise(ws, unit.code, n, period)
    return ws
