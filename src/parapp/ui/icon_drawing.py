"""The status icons' drawings, in code (:mod:`parapp.ui.icons` loads them as files).

``tools/make_status_icons.py`` draws each at every size into ``resources/icons/status``;
``tests/ui/test_icons.py`` fails when a drawing here and its files differ. Drawn rather than
designed so they stay crisp at every size; loaded from files rather than drawn at start so
the first window needs no ``QPainter`` (bench/bench_startup.py).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from parapp.models.assessment import AnswerStatus

STATUS_COLORS: dict[AnswerStatus, str] = {
    AnswerStatus.NOT_STARTED: "#9aa0a6",
    AnswerStatus.IN_PROGRESS: "#f29900",
    AnswerStatus.COMPLETE: "#188038",
    AnswerStatus.EVIDENCE_MISSING: "#d93025",
    AnswerStatus.SURVEY: "#1a73e8",
}


def draw(size: int, draw_name: str) -> QPixmap:
    """The icon ``draw_name`` (a status value or ``\"warning\"``) at ``size`` px."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 16.0, size / 16.0)
    DRAWERS[draw_name](p)
    p.end()
    return pix


def _not_started(p: QPainter) -> None:
    p.setPen(QPen(QColor(STATUS_COLORS[AnswerStatus.NOT_STARTED]), 1.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QRectF(2.5, 2.5, 11, 11))


def _in_progress(p: QPainter) -> None:
    color = QColor(STATUS_COLORS[AnswerStatus.IN_PROGRESS])
    p.setPen(QPen(color, 1.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QRectF(2.5, 2.5, 11, 11))
    path = QPainterPath(QPointF(8, 8))
    path.arcTo(QRectF(2.5, 2.5, 11, 11), 90, -180)
    path.closeSubpath()
    p.fillPath(path, QBrush(color))


def _complete(p: QPainter) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(STATUS_COLORS[AnswerStatus.COMPLETE]))
    p.drawEllipse(QRectF(1.5, 1.5, 13, 13))
    pen = QPen(QColor("white"), 2.0)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.drawPolyline(QPolygonF([QPointF(4.8, 8.2), QPointF(7.0, 10.4), QPointF(11.2, 5.8)]))


def _evidence_missing(p: QPainter) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(STATUS_COLORS[AnswerStatus.EVIDENCE_MISSING]))
    p.drawEllipse(QRectF(1.5, 1.5, 13, 13))
    # a paper-clip-less "document" cue: white page with a folded corner
    p.setBrush(QColor("white"))
    p.drawPolygon(
        QPolygonF(
            [QPointF(5.2, 4), QPointF(9.2, 4), QPointF(11, 5.8), QPointF(11, 12), QPointF(5.2, 12)]
        )
    )
    p.setPen(QPen(QColor(STATUS_COLORS[AnswerStatus.EVIDENCE_MISSING]), 1.2))
    p.drawLine(QPointF(6.6, 8), QPointF(9.6, 8))
    p.drawLine(QPointF(6.6, 10), QPointF(9.6, 10))


def _survey(p: QPainter) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(STATUS_COLORS[AnswerStatus.SURVEY]))
    p.drawRoundedRect(QRectF(1.5, 1.5, 13, 13), 3, 3)
    p.setBrush(QColor("white"))
    for x, h in ((4.2, 4.0), (7.2, 7.0), (10.2, 5.0)):
        p.drawRect(QRectF(x, 12.0 - h, 2.0, h))


def _warning(p: QPainter) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#e37400"))
    p.drawPolygon(QPolygonF([QPointF(8, 1.5), QPointF(15, 14.5), QPointF(1, 14.5)]))
    p.setPen(QPen(QColor("white"), 1.8))
    p.drawLine(QPointF(8, 6), QPointF(8, 10))
    p.drawPoint(QPointF(8, 12.5))


DRAWERS = {
    AnswerStatus.NOT_STARTED.value: _not_started,
    AnswerStatus.IN_PROGRESS.value: _in_progress,
    AnswerStatus.COMPLETE.value: _complete,
    AnswerStatus.EVIDENCE_MISSING.value: _evidence_missing,
    AnswerStatus.SURVEY.value: _survey,
    "warning": _warning,
}
