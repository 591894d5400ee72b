"""Inputs of the printed documents that are not domain objects of their own.

A printed form needs who issues it, where and when, who signs it and, for a submitted
revision, the seal that ties the paper copy to its electronic bundle. These are plain
frozen values so the PDF layer stays a pure function of its inputs (no database, no clock),
and the CLI, the UI and the tests can all build them the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentHeader:
    """The official heading of a document (Nghị định 30/2020/NĐ-CP, Phụ lục I).

    ``issuer_parent`` is the governing body printed above the issuer (``"UBND TỈNH QUẢNG
    NAM"``, may be empty); ``issuer`` is the unit that issues the document (``"UBND XÃ ĐIỆN
    BÀN"``); ``place`` and ``date`` make the line "Điện Bàn, ngày 21 tháng 11 năm 2026";
    ``doc_number`` is the registry number ("Số: 12/BC-UBND"), left blank to be written by hand.
    """

    issuer_parent: str
    issuer: str
    place: str
    date: datetime.date
    doc_number: str = ""


@dataclass(frozen=True)
class SignatureBlock:
    """Who prepared the document and who approves it by signing (``approver_position``
    is the title printed above the signature, e.g. ``"CHỦ TỊCH"``)."""

    prepared_by: str
    prepared_position: str
    approver: str
    approver_position: str


@dataclass(frozen=True)
class SubmissionStamp:
    """The seal of a submitted revision, printed (and QR-encoded) on the paper report so
    that a signed paper copy can be matched to the electronic bundle it belongs to."""

    revision: int
    bundle_sha256: str
    key_fingerprint: str
    frozen_at: str


@dataclass(frozen=True)
class RankingRow:
    """One unit of a consolidated ranking; ``area_scores`` follow ``RankingReport.area_titles``."""

    unit_code: str
    unit_name: str
    area_scores: tuple[float, ...]
    total: float
    assessable_max: float
    index_percent: float
    rank: int
    rating: str
    #: "Tạm tính" and warnings about this unit's figures (shown under the ranking)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankingReport:
    """A receiving office's consolidated ranking of its units for one period."""

    title: str
    period: str
    area_titles: tuple[str, ...]
    area_max: tuple[float, ...]
    rows: tuple[RankingRow, ...]
    #: child units with no valid bundle: (code, name), printed as "Chưa nộp"
    not_submitted: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AppraisalLine:
    """One item of an appraisal: the unit's self score against the appraised score.

    ``None`` means no score (not scored by the unit, or not yet appraised).
    """

    code: str
    title: str
    max_points: float
    self_score: float | None
    appraised_score: float | None
    comment: str
    #: "điểm tự chấm không khớp quy tắc: …" or "cần thẩm định lại" (shown beside the item)
    flag: str = ""


@dataclass(frozen=True)
class AppraisalReport:
    """The appraisal of one unit's self-assessment by the level above."""

    unit_name: str
    unit_code: str
    period: str
    framework_name: str
    lines: tuple[AppraisalLine, ...]
    self_total: float
    appraised_total: float
    #: some items not yet appraised: ``appraised_total`` counts their self scores, as the
    #: ranking does ("tạm tính")
    provisional: bool = False
