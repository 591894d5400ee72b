"""Units of a workspace: choosing its own unit, adding and correcting units.

A code of the official catalogue brings its real name, level and parent, so nobody types a
commune's name that the GSO already knows. A unit outside the catalogue needs a name, and so
does a parent outside it: no placeholder such as "P01 P01 (Cấp huyện)" is ever stored, since
the parent's name heads official documents ("UBND …").
"""

from __future__ import annotations

from parapp.models.errors import NotFoundError, ParAppError
from parapp.models.text import clean
from parapp.models.units import Unit, UnitLevel
from parapp.services import unit_catalogue
from parapp.services.workspace import Workspace


def parse_level(text: str) -> UnitLevel:
    try:
        return UnitLevel.parse(text)
    except ValueError:
        raise ParAppError(f"Cấp “{text}” không hợp lệ (dùng: tỉnh, huyện, xã, cơ quan).") from None


def _level_above(level: UnitLevel) -> UnitLevel:
    return {
        UnitLevel.COMMUNE: UnitLevel.DISTRICT,
        UnitLevel.DISTRICT: UnitLevel.PROVINCE,
    }.get(level, UnitLevel.PROVINCE)


def _catalogue_unit(code: str) -> Unit | None:
    entry = unit_catalogue.lookup(code)
    return entry.to_unit() if entry is not None else None


def resolve_unit(
    code: str,
    name: str | None = None,
    level: str | None = None,
    parent: str | None = None,
) -> Unit:
    """The unit for ``code``: from the catalogue when known (given values override), else
    hand-entered (then ``name`` is required). Needs no workspace, so a command can refuse
    bad input before it creates one."""
    code = clean(code)
    if not code:
        raise ParAppError("Chưa nhập mã đơn vị.")
    known = _catalogue_unit(code)
    name = clean(name) if name is not None else None
    if known is None and not name:
        raise ParAppError(
            f"Mã “{code}” không có trong danh mục đơn vị hành chính; "
            "hãy nhập thêm --name (và --level, --parent) để tạo đơn vị tự nhập."
        )
    base = known or Unit(code, name or "", UnitLevel.COMMUNE)
    unit = Unit(
        known.code if known else code,
        name or base.name,
        parse_level(level) if level else base.level,
        base.parent_code,
        base.province,
    )
    if parent is not None:
        unit = Unit(unit.code, unit.name, unit.level, clean(parent) or None, unit.province)
    return unit


def place_unit(
    ws: Workspace, unit: Unit, parent_name: str | None = None
) -> tuple[Unit, list[Unit]]:
    """The unit with its province filled in, and the units above it to store first (top
    down; empty when there is no parent or it is already in the workspace). A catalogue
    parent brings its own catalogue parents (an old commune: its district and province)."""
    code = unit.parent_code
    if not code:
        return unit, []
    if code == unit.code:
        raise ParAppError(f"Đơn vị cấp trên của “{unit.code}” không thể là chính nó.")
    existing = ws.units.find(code)
    parent = existing or _catalogue_unit(code)
    if parent is None and parent_name and clean(parent_name):
        parent = Unit(code, clean(parent_name), _level_above(unit.level))
    if parent is None:
        raise NotFoundError(
            f"Mã đơn vị cấp trên “{code}” không có trong danh mục và chưa có trong dữ liệu: "
            f"hãy thêm đơn vị đó trước (parapp units add {code} --name TÊN --level CẤP) "
            "hoặc nhập tên của nó (--parent-name)."
        )
    _check_no_cycle(ws, unit.code, parent)
    province = unit.province or parent.province
    if not province and parent.level is UnitLevel.PROVINCE:
        province = parent.name
    unit = Unit(unit.code, unit.name, unit.level, parent.code, province)
    if existing is not None:
        return unit, []
    _, above = place_unit(ws, parent)
    return unit, [*above, parent]


def _store(ws: Workspace, unit: Unit, above: list[Unit]) -> None:
    for u in above:
        ws.units.upsert(u)
    ws.units.upsert(unit)


def _check_no_cycle(ws: Workspace, code: str, parent: Unit) -> None:
    seen: set[str] = set()
    current: Unit | None = parent
    while current is not None and current.code not in seen:
        if current.code == code:
            raise ParAppError(
                f"Không thể đặt “{parent.code}” làm cấp trên của “{code}”: "
                f"“{parent.code}” đang là đơn vị cấp dưới của “{code}”."
            )
        seen.add(current.code)
        current = ws.units.find(current.parent_code) if current.parent_code else None


def set_own_unit(ws: Workspace, unit: Unit, parent_name: str | None = None) -> Unit:
    """Make ``unit`` (see :func:`resolve_unit`) the workspace's own unit, with its parents."""
    unit, above = place_unit(ws, unit, parent_name)
    with ws.db.atomic():
        _store(ws, unit, above)
        ws.settings.set("own_unit", unit.code)
    return unit


def add_unit(
    ws: Workspace,
    code: str,
    *,
    name: str | None = None,
    level: str | None = None,
    parent: str | None = None,
    parent_name: str | None = None,
) -> Unit:
    """Add (or replace) a unit; a catalogue code needs nothing else. A parent from the
    catalogue that the workspace does not hold yet is added with it."""
    unit, above = place_unit(ws, resolve_unit(code, name, level, parent), parent_name)
    with ws.db.atomic():
        _store(ws, unit, above)
    return unit


def edit_unit(
    ws: Workspace,
    code: str,
    *,
    name: str | None = None,
    level: str | None = None,
    parent: str | None = None,
    parent_name: str | None = None,
) -> Unit:
    """Correct a unit of the workspace. ``None`` keeps a value; ``parent=""`` removes the
    parent. Units that name this one as parent keep pointing at it."""
    current = ws.units.find(clean(code))
    if current is None:
        raise NotFoundError(f"Không có đơn vị mã “{clean(code)}” trong dữ liệu.")
    new_name = current.name
    if name is not None:
        new_name = clean(name)
        if not new_name:
            raise ParAppError(f"Tên đơn vị “{current.code}” không được để trống.")
    unit = Unit(
        current.code,
        new_name,
        parse_level(level) if level else current.level,
        current.parent_code if parent is None else (clean(parent) or None),
        current.province,
    )
    if unit.parent_code and unit.parent_code != current.parent_code:
        unit = Unit(unit.code, unit.name, unit.level, unit.parent_code, "")  # from the new parent
    unit, above = place_unit(ws, unit, parent_name)
    with ws.db.atomic():
        _store(ws, unit, above)
    return unit


# -- the receiving office's child units ----------------------------------------------------
def catalogue_candidates(ws: Workspace) -> list[unit_catalogue.CatalogueEntry]:
    """The communes and wards in force that can report to this workspace's own unit: those
    of its province (the office's own unit is the province, or an agency inside it)."""
    own = ws.require_unit()
    province = own.code if own.level is UnitLevel.PROVINCE else (own.parent_code or "")
    entry = unit_catalogue.lookup(province) if province else None
    if entry is None or entry.unit_level is not UnitLevel.PROVINCE:
        return []
    return unit_catalogue.communes(entry.code)


def add_children(ws: Workspace, entries: list[unit_catalogue.CatalogueEntry]) -> list[Unit]:
    """Add catalogue units as children of the own unit, all or none; returns those added
    (units already there are left as they are)."""
    own = ws.require_unit()
    present = {u.code for u in ws.units.all()}
    added = [
        Unit(e.code, e.name, UnitLevel.COMMUNE, own.code, e.province_name)
        for e in entries
        if e.code not in present and e.code != own.code
    ]
    with ws.db.atomic():
        for unit in added:
            ws.units.upsert(unit)
    return added


def remove_child(ws: Workspace, code: str) -> None:
    """Take a child unit off the list. Refused once the office holds anything from it
    (bundles, appraisals, a trusted key): those must keep naming a known unit."""
    own = ws.require_unit()
    unit = ws.units.find(clean(code))
    if unit is None or unit.parent_code != own.code:
        raise NotFoundError(f"Không có đơn vị cấp dưới mã “{clean(code)}”.")
    tables = set(ws.db.table_names())
    for table, what in (
        ("received_bundles", "hồ sơ đã nhận"),
        ("appraisals", "điểm thẩm định"),
        ("trusted_keys", "khóa đã tin cậy"),
    ):
        if (
            table in tables
            and ws.db.execute(
                f"SELECT 1 FROM [{table}] WHERE unit_code = ? LIMIT 1", [unit.code]
            ).fetchone()
        ):
            raise ParAppError(
                f"Không bỏ được {unit.name} khỏi danh sách: đã có {what} của đơn vị này."
            )
    with ws.db.atomic():
        ws.db.execute("DELETE FROM units WHERE code = ?", [unit.code])
