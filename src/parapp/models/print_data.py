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

    ``issuer_parent`` is the governing body printed above the issuer (``"UBND THÀNH PHỐ ĐÀ
    NẴNG"`` above a department; empty for a People's Committee's own document); ``issuer``
    is the unit that issues it, in capitals, a line break where the heading breaks
    (``"ỦY BAN NHÂN DÂN\nPHƯỜNG ĐIỆN BÀN"``); ``place`` and ``date`` make the line "Điện
    Bàn, ngày 21 tháng 11 năm 2026" (no date: left blank for handwriting); ``doc_number`` is
    the registry number ("12" or "12/BC-UBND", blank to be written by hand after signing);
    ``issuer_code`` the issuer part of the symbol ("UBND", "SNV"); ``body_name`` how the
    issuer is named in a sentence ("Ủy ban nhân dân phường Điện Bàn").
    """

    issuer_parent: str
    issuer: str
    place: str
    date: datetime.date | None
    doc_number: str = ""
    issuer_code: str = "UBND"
    body_name: str = ""


@dataclass(frozen=True)
class SignatureBlock:
    """Who signs and for whom, and where the document goes.

    ``authority`` are the bold lines above the signature ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ
    TỊCH", "PHÓ CHỦ TỊCH"), chosen from the position by
    :func:`parapp.models.document_forms.authority_lines`; ``recipients`` the "Nơi nhận" list
    printed bottom-left, one addressee per item ("Sở Nội vụ (để báo cáo)", "Lưu: VT, VP").
    """

    approver: str
    approver_position: str
    authority: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentOptions:
    """What an officer may set on a printed document; empty means the default.

    ``number`` the registry number ("12" or "12/BC-UBND"); ``date`` None leaves the date for
    handwriting; ``recipients`` replace the default "Nơi nhận"; ``approver`` and ``position``
    the signer; ``place`` the place name of the date line.
    """

    number: str = ""
    date: datetime.date | None = None
    place: str = ""
    recipients: tuple[str, ...] = ()
    approver: str = ""
    position: str = ""


@dataclass(frozen=True)
class Narrative:
    """The officer's own words in a report: the sections a council reads as text.

    Stored with the assessment and frozen into each revision; the app proposes a draft
    from the data which the officer rewrites (:mod:`parapp.models.narrative`).
    """

    basis: str = ""  # the opening "Căn cứ …" lines: the documents the report answers to
    general: str = ""
    results: str = ""
    shortcomings: str = ""
    causes: str = ""
    solutions: str = ""
    recommendations: str = ""


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
    provisional: bool = False
    previous_rank: int | None = None


@dataclass(frozen=True)
class RankingReport:
    """A receiving office's consolidated ranking of its units for one period.

    ``missing_units`` are the units that have not submitted ("Chưa nộp"), listed after the
    ranked ones so the paper says who is absent; ``previous_period`` names the period of
    the rows' ``previous_rank``.
    """

    title: str
    period: str
    area_titles: tuple[str, ...]
    area_max: tuple[float, ...]
    rows: tuple[RankingRow, ...]
    #: child units with no valid bundle: (code, name), printed as "Chưa nộp"
    not_submitted: tuple[tuple[str, str], ...] = ()
    missing_units: tuple[str, ...] = ()
    previous_period: str = ""


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
    survey_only: bool = False
    provisional: bool = False


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
    #: (code, title, max points) of each area, for the subtotal rows
    areas: tuple[tuple[str, str, float], ...] = ()
