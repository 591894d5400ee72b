"""UI fixtures: a session over the demo workspace, a small framework with every rule kind,
and QSettings redirected to the test's temp dir so window state never leaks between tests."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from parapp.models.framework import Criterion, Framework, Guidance
from parapp.models.scoring import Band, RuleKind, ScoringRule
from parapp.services.changes import Changes
from parapp.services.workspace import Workspace
from parapp.ui.session import Session
from parapp.ui.translations import install_translations


@pytest.fixture(autouse=True, scope="session")
def _vietnamese_qt(qapp: QApplication) -> None:
    """As the app does at start: Qt's own strings in Vietnamese."""
    install_translations(qapp)


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread() -> Iterator[None]:
    """As the app does (``MainThreadGC``): no automatic collection while a test runs, so a
    worker thread never finalises Qt objects; collect here, on the GUI thread, after it."""
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


RULES_FRAMEWORK = Framework(
    id="thu-nghiem-quy-tac",
    name="Bộ chỉ số thử nghiệm đủ loại cách chấm",
    index_kind="PAR",
    year=2024,
    score_step=0.25,
    criteria=(
        Criterion("1", "Cải cách thủ tục hành chính", 6.0, order=1),
        Criterion(
            "1.1",
            "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn",
            1.0,
            "1",
            order=2,
            rule=ScoringRule(
                RuleKind.BANDS, (Band(100.0, 1.0), Band(95.0, 0.5), Band(None, 0.0)), "%"
            ),
            guidance=Guidance(
                requirement="Giải quyết hồ sơ TTHC đúng hạn theo quy định",
                evidence="Báo cáo kết quả giải quyết TTHC trên Hệ thống thông tin giải quyết TTHC",
                target="100% hồ sơ được giải quyết đúng hạn",
                deadline="Quý IV",
                lead="Văn phòng HĐND và UBND",
                coordinators="Bộ phận Một cửa",
            ),
        ),
        Criterion(
            "1.2",
            "Số sáng kiến cải cách hành chính được công nhận",
            1.0,
            "1",
            order=3,
            rule=ScoringRule(RuleKind.BANDS, (Band(3.0, 1.0), Band(1.0, 0.5), Band(None, 0.0))),
        ),
        Criterion(
            "1.3",
            "Công khai đầy đủ thủ tục hành chính tại Bộ phận Một cửa",
            1.0,
            "1",
            order=4,
            rule=ScoringRule(RuleKind.YES_NO),
        ),
        Criterion(
            "1.4",
            "Ban hành kế hoạch kiểm soát thủ tục hành chính",
            2.0,
            "1",
            order=5,
            rule=ScoringRule(RuleKind.MANUAL),
        ),
        Criterion(
            "1.5",
            "Mức độ hài lòng của người dân",
            1.0,
            "1",
            order=6,
            rule=ScoringRule(RuleKind.SURVEY),
        ),
        Criterion("2", "Xây dựng chính quyền số", 2.0, order=7),
        Criterion(
            "2.1",
            "Tỷ lệ hồ sơ nộp trực tuyến",
            2.0,
            "2",
            order=8,
            rule=ScoringRule(RuleKind.MANUAL),
        ),
    ),
)


@pytest.fixture(autouse=True)
def _temp_qsettings(tmp_path: Path) -> Iterator[None]:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )
    yield


@pytest.fixture
def session(workspace: Workspace, qapp: QApplication) -> Iterator[Session]:
    s = Session(workspace)
    try:
        yield s
    finally:
        s.undo_stack.clear()
        s.deleteLater()


@pytest.fixture
def rules_session(session: Session) -> Session:
    """The session switched to :data:`RULES_FRAMEWORK` (same unit, new current assessment)."""
    session.ws.save_framework(RULES_FRAMEWORK)
    session.ws.start_assessment(RULES_FRAMEWORK.id, "2024")
    session.notify(Changes(frameworks=True, assessment=True))
    return session
