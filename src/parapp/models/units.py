"""Administrative units (communes, districts, provinces, agencies) and their hierarchy.

Since 1 July 2025 Vietnam has two tiers (province -> commune), while older frameworks still
speak of districts: the hierarchy is data, any unit may have children and consolidate them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class UnitLevel(enum.StrEnum):
    """Level of an administrative unit. Stable values; labels are Vietnamese."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    AGENCY = "agency"

    @property
    def label(self) -> str:
        return {
            UnitLevel.PROVINCE: "Cấp tỉnh",
            UnitLevel.DISTRICT: "Cấp huyện",
            UnitLevel.COMMUNE: "Cấp xã",
            UnitLevel.AGENCY: "Cơ quan, đơn vị",
        }[self]

    @classmethod
    def parse(cls, text: str) -> UnitLevel:
        """Accept a stable value or a Vietnamese label such as ``"xã"`` or ``"Cấp huyện"``."""
        from parapp.models.text import fold

        key = fold(text).removeprefix("cap ").strip()
        aliases = {
            "province": cls.PROVINCE, "tinh": cls.PROVINCE, "thanh pho": cls.PROVINCE,
            "district": cls.DISTRICT, "huyen": cls.DISTRICT, "quan": cls.DISTRICT,
            "thi xa": cls.DISTRICT,
            "commune": cls.COMMUNE, "xa": cls.COMMUNE, "phuong": cls.COMMUNE,
            "dac khu": cls.COMMUNE, "thi tran": cls.COMMUNE,
            "agency": cls.AGENCY, "co quan": cls.AGENCY, "so": cls.AGENCY,
            "co quan, don vi": cls.AGENCY,
        }  # fmt: skip
        if key in aliases:
            return aliases[key]
        raise ValueError(text)


@dataclass(frozen=True)
class Unit:
    """A unit identified by its official code (GSO code for catalogue units, free otherwise)."""

    code: str
    name: str
    level: UnitLevel = UnitLevel.COMMUNE
    parent_code: str | None = None
    province: str = ""

    @property
    def display(self) -> str:
        return f"{self.name} ({self.code})"
