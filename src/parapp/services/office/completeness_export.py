"""Export the submission status of the child units ("Tình hình nộp hồ sơ") as CSV.

The office forwards this list (who submitted, who was late, who is missing) to its leader
or pastes it into a report; CSV with a BOM opens directly in Excel with the Vietnamese
diacritics intact, and needs no layout decisions.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from parapp.fileio import atomic_write_text_file
from parapp.services.office.inbox import Completeness, completeness
from parapp.services.workspace import Workspace

HEADER = (
    "STT",
    "Mã đơn vị",
    "Tên đơn vị",
    "Tình trạng",
    "Lần nộp",
    "Nhận lần đầu",
    "Nhận gần nhất",
    "Khóa đã xác minh",
)


def vn_datetime(iso: str) -> str:
    """``2026-01-05T08:00:00Z`` -> ``05/01/2026 15:00`` (local time); blank stays blank."""
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone().strftime("%d/%m/%Y %H:%M")


def completeness_rows(c: Completeness) -> list[list[str]]:
    """The rows of the list (header excluded), in the order of the child units."""
    return [
        [
            str(n),
            u.unit_code,
            u.unit_name,
            u.state_label,
            str(u.revision) if u.revision else "",
            vn_datetime(u.first_received_at),
            vn_datetime(u.last_received_at),
            ("Có" if u.key_verified else "Chưa") if u.revision else "",
        ]
        for n, u in enumerate(c.units, start=1)
    ]


def export_completeness_csv(
    ws: Workspace, path: Path, period: str, today: date | None = None
) -> Completeness:
    """Write the submission status of ``period`` to ``path`` (UTF-8 with BOM, comma-separated)."""
    c = completeness(ws, period, today)
    deadline = c.deadline.strftime("%d/%m/%Y") if c.deadline else "chưa đặt"
    with atomic_write_text_file(path) as fh:
        fh.write("\ufeff")
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow([f"Tình hình nộp hồ sơ kỳ {c.period}", f"Hạn nộp: {deadline}"])
        writer.writerow(HEADER)
        writer.writerows(completeness_rows(c))
    return c
