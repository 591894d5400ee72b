"""Two hand-painted charts of a consolidation (QtCharts is not in PySide6-Essentials).

* :class:`IndexBarChart` — one horizontal bar per unit, its index (%), best first, bar
  colour by rating band; provisional units are hatched.
* :class:`AreaHeatMap` — units × areas, each cell coloured by the share of the area's
  maximum the unit reached (red → amber → green), the figure written in the cell.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from parapp.models.consolidation import UnitResult
from parapp.models.numbers import format_fixed
from parapp.models.text import format_number
from parapp.services.office.consolidation import Consolidation

BAND_COLOURS = ("#188038", "#4c9a2a", "#f9ab00", "#e37400", "#c5221f")
ROW_H = 22
LABEL_W = 150


def share_colour(share: float) -> QColor:
    """0 → red, 0.5 → amber, 1 → green (linear in between)."""
    share = min(max(share, 0.0), 1.0)
    red, amber, green = QColor("#e06055"), QColor("#fbc02d"), QColor("#57bb8a")
    a, b, t = (red, amber, share * 2) if share < 0.5 else (amber, green, share * 2 - 1)
    return QColor(
        int(a.red() + (b.red() - a.red()) * t),
        int(a.green() + (b.green() - a.green()) * t),
        int(a.blue() + (b.blue() - a.blue()) * t),
    )


class _ConsolidationChart(QWidget):
    """What both charts share: the consolidation they draw and a height of one row a unit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.consolidation: Consolidation | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_consolidation(self, c: Consolidation | None) -> None:
        self.consolidation = c
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        n = len(self.consolidation.rows) if self.consolidation else 3
        return QSize(420, 30 + n * ROW_H)

    def minimumSizeHint(self) -> QSize:
        """Every unit keeps a readable row: with 200 units the chart is taller than the
        screen and scrolls (it sits in a scroll area) instead of squeezing the labels."""
        n = len(self.consolidation.rows) if self.consolidation else 3
        return QSize(300, 30 + n * ROW_H)


def bar_label(res: UnitResult) -> str:
    """The index beside a bar: two decimals, as the ranking table, the PDF and the workbook
    show it ("87,40", never "87,4"); a star while provisional."""
    return format_fixed(res.index_percent) + ("*" if res.provisional else "")


class IndexBarChart(_ConsolidationChart):
    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        c = self.consolidation
        if c is None or not c.rows:
            p.setPen(QColor("#5f6368"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Chưa có số liệu")
            p.end()
            return
        labels = [t for t, _ in c.thresholds]
        top, right_pad = 22.0, 56.0
        label_w = min(LABEL_W, self.width() * 0.35)
        bar_w = max(self.width() - label_w - right_pad - 8, 20.0)
        row_h = float(ROW_H)
        p.setPen(QColor("#202124"))
        p.drawText(QRectF(4, 0, self.width() - 8, top), Qt.AlignmentFlag.AlignVCenter,
                   "Chỉ số (%) theo đơn vị")  # fmt: skip
        grid = QPen(QColor("#dadce0"))
        grid.setStyle(Qt.PenStyle.DashLine)
        for pct in (0, 25, 50, 75, 100):
            x = label_w + bar_w * pct / 100
            p.setPen(grid)
            p.drawLine(int(x), int(top), int(x), int(top + row_h * len(c.rows)))
        for n, r in enumerate(c.rows):
            y = top + n * row_h
            res = r.result
            p.setPen(QColor("#202124"))
            name = p.fontMetrics().elidedText(
                f"{r.rank}. {res.unit_name}", Qt.TextElideMode.ElideRight, int(label_w - 8)
            )
            p.drawText(QRectF(2, y, label_w - 6, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            band = labels.index(r.rating) if r.rating in labels else len(BAND_COLOURS) - 1
            colour = QColor(BAND_COLOURS[min(band, len(BAND_COLOURS) - 1)])
            width = bar_w * min(max(res.index_percent, 0.0), 100.0) / 100
            rect = QRectF(label_w, y + 3, max(width, 1.0), row_h - 6)
            p.fillRect(rect, colour)
            if res.provisional:
                p.fillRect(rect, QBrush(QColor(255, 255, 255, 120), Qt.BrushStyle.BDiagPattern))
            p.setPen(QColor("#202124"))
            p.drawText(
                QRectF(label_w + width + 4, y, right_pad + 40, row_h),
                Qt.AlignmentFlag.AlignVCenter,
                bar_label(res),
            )
        p.end()


class AreaHeatMap(_ConsolidationChart):
    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        c = self.consolidation
        areas = list(c.framework.areas) if c else []
        if c is None or not c.rows or not areas:
            p.setPen(QColor("#5f6368"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Chưa có số liệu")
            p.end()
            return
        top = 22.0
        label_w = min(LABEL_W, self.width() * 0.35)
        cell_w = max((self.width() - label_w - 4) / len(areas), 10.0)
        row_h = float(ROW_H)
        p.setPen(QColor("#202124"))
        for k, a in enumerate(areas):
            rect = QRectF(label_w + k * cell_w, 0, cell_w, top)
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"Lĩnh vực {a.code}")
        for n, r in enumerate(c.rows):
            y = top + n * row_h
            name = p.fontMetrics().elidedText(
                r.result.unit_name, Qt.TextElideMode.ElideRight, int(label_w - 8)
            )
            p.setPen(QColor("#202124"))
            p.drawText(QRectF(2, y, label_w - 6, row_h), Qt.AlignmentFlag.AlignVCenter, name)
            for k, a in enumerate(areas):
                got = r.result.area_totals[k]
                share = got / a.max_points if a.max_points else 0.0
                rect = QRectF(label_w + k * cell_w + 1, y + 1, cell_w - 2, row_h - 2)
                p.fillRect(rect, share_colour(share))
                p.setPen(QColor("#202124"))
                p.drawText(
                    rect,
                    Qt.AlignmentFlag.AlignCenter,
                    f"{format_number(got)}/{format_number(a.max_points)}",
                )
        p.end()
