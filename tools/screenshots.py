"""Take the screenshots of ``docs/screenshots/`` from the real widgets on a sample workspace.

Run with ``make screenshots`` (Qt's offscreen platform; no screen needed). The workspace is
the demo one (``open_demo``) in a temporary folder, filled through the ``Workspace`` API the
way an officer would after a few weeks: about thirty items scored with explanations, two
evidence PDFs on one item, a few task statuses and a submission deadline. Each picture is
1366×768, the most common screen of a commune office PC, so a layout that clips there is
visible in review.

Usage: ``python tools/screenshots.py [OUT_DIR]`` (default ``docs/screenshots``); ``make
screenshots`` also takes them at 125 % scaling (``QT_SCALE_FACTOR=1.25``) into
``docs/screenshots/125/``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The sample key lives in a throwaway folder: cheap scrypt keeps the run quick.
os.environ.setdefault("PARAPP_KDF_PROFILE", "interactive")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from parapp.fileio import atomic_write_bytes
from parapp.models.framework import Framework
from parapp.models.scoring import Band, RuleKind, ScoringRule
from parapp.models.tasks import TaskStatus
from parapp.models.text import format_number
from parapp.services.changes import Changes
from parapp.services.defaults import open_demo
from parapp.services.workspace import Workspace
from parapp.ui.session import Session

#: Qt's scale factor of this run (``QT_SCALE_FACTOR=1.25``: Windows at 125 %, the default on
#: many laptops): the window gets the logical size that fills a 1366×768 screen at that scale
SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
SIZE = (round(1366 / SCALE), round(768 / SCALE))
REPO = Path(__file__).resolve().parents[1]

# Explanations an officer writes when an item is below its maximum.
EXPLANATIONS = (
    "Ban hành chậm so với kế hoạch của tỉnh 15 ngày do thay đổi nhân sự.",
    "Còn 01 báo cáo quý III gửi chậm 5 ngày so với quy định.",
    "Đã thực hiện 3/4 nội dung; nội dung còn lại chuyển sang quý I năm sau.",
    "Một số văn bản chưa cập nhật kịp thời lên Trang thông tin điện tử của phường.",
)
FULL_NOTE = "Đã thực hiện đầy đủ, đúng thời hạn theo kế hoạch."
APPROVER = "Trần Thị Bình"
SAMPLE_PASSPHRASE = "mat-khau-minh-hoa"


def _pdf(path: Path, title: str, lines: list[str]) -> None:
    """A small real PDF (an evidence scan stand-in) with Vietnamese text."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    for candidate in (
        REPO / "resources" / "fonts" / "LiberationSerif-Regular.ttf",
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    ):
        if candidate.is_file():
            pdfmetrics.registerFont(TTFont("VN", str(candidate)))
            font = "VN"
            break
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font, 12)
    c.drawString(60, 780, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.drawString(60, 762, "Độc lập - Tự do - Hạnh phúc")
    c.setFont(font, 14)
    c.drawString(60, 720, title)
    c.setFont(font, 11)
    for i, line in enumerate(lines):
        c.drawString(60, 690 - 18 * i, line)
    c.showPage()
    c.save()
    atomic_write_bytes(path, buf.getvalue())


def _with_band_rules(fw: Framework) -> Framework:
    """A copy of ``fw`` whose percentage items ("Tỷ lệ …") are scored on bands.

    The embedded PAR framework scores every item by hand; provinces' own sheets often give
    bands for rates (on-time files, online files). The screenshots show such an item, so when
    the default framework has none, the sample uses this illustrative variant.
    """
    criteria = []
    for c in fw.criteria:
        if fw.is_leaf(c.code) and c.title.startswith("Tỷ lệ") and not c.survey_only:
            half = round(c.max_points / 2, 2)
            rule = ScoringRule(
                RuleKind.BANDS,
                (Band(100.0, c.max_points), Band(80.0, half), Band(None, 0.0)),
                "%",
            )
            c = replace(c, rule=rule)
        criteria.append(c)
    return replace(
        fw,
        id=f"{fw.id}-thang-diem",
        name=f"{fw.name} — bản minh họa có thang điểm",
        criteria=tuple(criteria),
    )


def fill_sample(ws: Workspace, files_dir: Path) -> dict[str, str]:
    """Fill a realistic part of the assessment; return the codes the screenshots show."""
    fw = ws.current_framework()
    if not any(c.rule.kind is RuleKind.BANDS for c in fw.leaves()):
        banded = _with_band_rules(fw)
        ws.save_framework(banded)
        ws.start_assessment(banded.id, ws.require_assessment().period)
        fw = banded
    leaves = [c for c in fw.leaves() if not c.survey_only]
    band_items = [c for c in leaves if c.rule.kind is RuleKind.BANDS]

    band_code = next((c.code for c in band_items if c.code.startswith("3.4")), band_items[0].code)
    filled = 0
    for i, c in enumerate(leaves[:34]):
        if c.code == band_code:
            continue
        if c.rule.kind is RuleKind.BANDS:
            ws.set_answer(c.code, numerator=float(min(170 + 2 * i, 200)), denominator=200.0)
            ws.set_answer(c.code, explanation="Số liệu lấy từ Hệ thống thông tin giải quyết TTHC.")
        elif i % 4 == 1:
            score = max(c.max_points - 0.25, 0.0)
            ws.set_answer(c.code, self_score=score, explanation=EXPLANATIONS[i % len(EXPLANATIONS)])
        else:
            ws.set_answer(c.code, self_score=c.max_points, explanation=FULL_NOTE)
        filled += 1
        if filled >= 30:
            break
    # The band item of the main-form picture: 231 of 245 files on time.
    ws.set_answer(band_code, numerator=231.0, denominator=245.0)
    ws.set_answer(
        band_code,
        explanation="14 hồ sơ trễ hạn do chờ ý kiến của cơ quan chuyên môn cấp tỉnh.",
    )

    evidence_code = leaves[0].code
    plan_pdf = files_dir / "QĐ 12-QĐ-UBND ban hành Kế hoạch CCHC năm 2026.pdf"
    _pdf(
        plan_pdf,
        "QUYẾT ĐỊNH số 12/QĐ-UBND",
        ["Về việc ban hành Kế hoạch cải cách hành chính năm 2026", "của UBND phường Điện Bàn"],
    )
    report_pdf = files_dir / "Báo cáo kết quả thực hiện Kế hoạch CCHC quý III.pdf"
    _pdf(
        report_pdf,
        "BÁO CÁO",
        ["Kết quả thực hiện Kế hoạch cải cách hành chính quý III năm 2026"],
    )
    ws.add_evidence(evidence_code, plan_pdf, ref="Trang 1-3", note="Bản ký số")
    ws.add_evidence(evidence_code, report_pdf, ref="Mục II")
    for c in leaves[2:8]:
        ws.add_evidence(c.code, report_pdf, ref="Mục II")

    plan_id = ws.current_plan_id()
    task_code = ""
    if plan_id:
        plan = ws.tasks.get_plan(plan_id)
        parents = {t.parent_code for t in plan.tasks if t.parent_code}
        workable = [t for t in plan.tasks if t.code not in parents and t.due_date]
        notes = (
            (TaskStatus.DONE, "Đã ban hành Kế hoạch số 45/KH-UBND ngày 15/01."),
            (TaskStatus.IN_PROGRESS, "Đã hoàn thành 2/3 nội dung; đang tổng hợp báo cáo."),
            (TaskStatus.DONE, "Đã tổ chức 02 hội nghị tập huấn."),
            (TaskStatus.IN_PROGRESS, "Đang rà soát danh mục, dự kiến xong trong tháng."),
            (TaskStatus.CANCELLED, "Nhiệm vụ của cấp tỉnh, phường không thực hiện."),
        )
        for task, (status, note) in zip(workable[:5], notes, strict=False):
            ws.set_task_status(plan_id, task.code, status, note)
        if len(workable) > 1:
            task_code = workable[1].code
            ws.set_task_status(
                plan_id,
                task_code,
                TaskStatus.IN_PROGRESS,
                "Đã gửi dự thảo báo cáo xin ý kiến các bộ phận.",
            )
    ws.set_deadline(date.today() + timedelta(days=19))
    return {"band": band_code, "evidence": evidence_code, "task": task_code}


def _settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _write_png(pixmap: QPixmap, path: Path) -> None:
    """Encode in memory, then write atomically (a half-written PNG never lands in docs/)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buffer, "PNG"):
        raise SystemExit(f"Không mã hóa được ảnh {path.name}")
    buffer.close()
    atomic_write_bytes(path, bytes(data.data()))
    print(f"{path} ({pixmap.width()}×{pixmap.height()})")


def _save(widget: QWidget, path: Path) -> None:
    _write_png(widget.grab(), path)


def _save_dialog_over(window: QWidget, dialog: QWidget, path: Path) -> None:
    """The dialog centred over the (dimmed) main window, as the officer sees it."""
    base = window.grab()
    shot = dialog.grab()
    canvas = QPixmap(base.size())  # device pixels; drawn in logical ones (125 % runs)
    canvas.setDevicePixelRatio(base.devicePixelRatio())
    page = base.deviceIndependentSize().toSize()
    size = shot.deviceIndependentSize().toSize()
    painter = QPainter(canvas)
    painter.drawPixmap(0, 0, base)
    painter.fillRect(0, 0, page.width(), page.height(), QColor(0, 0, 0, 90))
    x = (page.width() - size.width()) // 2
    y = (page.height() - size.height()) // 2
    painter.fillRect(x + 4, y + 4, size.width(), size.height(), QColor(0, 0, 0, 60))
    painter.drawPixmap(x, y, shot)
    painter.end()
    _write_png(canvas, path)


def _show_tab(tabs: QTabWidget, title: str) -> None:
    """Tab pages are wrapped in scroll areas, so find the tab by its title."""
    index = next((i for i in range(tabs.count()) if tabs.tabText(i) == title), -1)
    if index < 0:
        raise SystemExit(f"Không có tab “{title}” trong cửa sổ chính.")
    tabs.setCurrentIndex(index)


def _wait(app: QApplication, busy: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while busy():
        if time.monotonic() > deadline:
            raise SystemExit(f"Quá thời gian chờ {what}.")
        app.processEvents()
        time.sleep(0.01)
    _settle(app)


def _submit_sample(
    app: QApplication, window: QWidget, session: Session, tmp_dir: Path, path: Path
) -> Path:
    """The submit dialog on its approver page; then a real signed bundle for the next shot."""
    from parapp.services import unit_keys
    from parapp.services.commune.submission import export_bundle
    from parapp.ui.commune.submit_dialog import PAGE_APPROVER, SubmitDialog

    dialog = SubmitDialog(session, window)
    dialog.resize(760, 440)
    dialog.approver_edit.setText(APPROVER)
    dialog.show()
    dialog.show_page(PAGE_APPROVER)
    _settle(app)
    _save_dialog_over(window, dialog, path)
    dialog.hide()
    dialog.deleteLater()

    ws = session.ws
    unit_keys.create_key(ws, SAMPLE_PASSPHRASE)
    out = tmp_dir / "nop"
    out.mkdir()
    keypair = unit_keys.unlock(ws, SAMPLE_PASSPHRASE)
    _rev, result = export_bundle(
        ws, out, keypair, APPROVER, "Chủ tịch UBND", confirm_all_unscored=True
    )
    session.notify(Changes(assessment=True))
    _settle(app)
    return result.path


def _verify_sample(
    app: QApplication, window: QWidget, session: Session, bundle: Path, path: Path
) -> None:
    from parapp.ui.verify_dialog import VerifyDialog

    dialog = VerifyDialog(session, window)
    dialog.resize(820, 600)
    dialog.show()
    dialog.verify(bundle)
    _wait(app, dialog.busy, "kiểm tra hồ sơ")
    _save_dialog_over(window, dialog, path)
    dialog.hide()
    dialog.deleteLater()


#: six real wards and communes of Thành phố Đà Nẵng since 01/7/2025 (GSO codes; the old
#: Thị xã Điện Bàn's area), reporting to the city's Sở Nội vụ
OFFICE_COMMUNES = {
    "20551": "Phường Điện Bàn",
    "20557": "Phường Điện Bàn Bắc",
    "20569": "Xã Điện Bàn Tây",
    "20575": "Phường An Thắng",
    "20579": "Phường Điện Bàn Đông",
    "20587": "Xã Gò Nổi",
}


def _office_sample(app: QApplication, tmp_dir: Path, fw: Framework, out: Path) -> None:
    """The city's receiving office with six of its wards and communes: five sent signed
    bundles, one did not."""
    from parapp.interchange import keys
    from parapp.interchange.bundle import BundleInfo, make_assessment_doc, write_bundle
    from parapp.models.assessment import Answer
    from parapp.models.units import Unit, UnitLevel
    from parapp.services import trusted_keys
    from parapp.services.defaults import DEMO_PARENT
    from parapp.services.office import appraisal, inbox
    from parapp.ui.main_window import MainWindow

    ws = Workspace.open(tmp_dir / "office", backup=False)
    try:
        ws.save_framework(fw)
        ws.set_own_unit(DEMO_PARENT)
        ws.set_officer("Lê Thị Hoa", "Chuyên viên Sở Nội vụ")
        for code, name in OFFICE_COMMUNES.items():
            ws.add_unit(Unit(code, name, UnitLevel.COMMUNE, DEMO_PARENT.code, DEMO_PARENT.name))
        folder = tmp_dir / "office-in"
        folder.mkdir()
        for n, (code, name) in enumerate(list(OFFICE_COMMUNES.items())[:5]):
            kp = keys.generate_keypair()
            if n != 3:
                pub = tmp_dir / f"{code}.pub"
                keys.write_public_key(kp.public, pub)
                trusted_keys.enrol_key_file(ws, code, pub)
            answers = []
            for k, leaf in enumerate(fw.leaves()):
                if leaf.survey_only:
                    continue
                share = 1.0 if (k + n) % (n + 2) else 0.5
                step = fw.score_step or 0.25
                score = round(leaf.max_points * share / step) * step
                answers.append(Answer(leaf.code, self_score=score, explanation="Đã thực hiện."))
            info = BundleInfo(
                code, name, "commune", DEMO_PARENT.code, fw.id, fw.content_hash, "2025", 1,
                "2026-01-05T08:00:00Z", "demo", "Nguyễn Văn An", "Chủ tịch",
            )  # fmt: skip
            write_bundle(folder / f"hoso-{code}-2025-r1.zip", info,
                         make_assessment_doc(info, fw, answers), [], kp)  # fmt: skip
        inbox.set_deadline_for(ws, "2025", date.today() - timedelta(days=3))
        inbox.import_bundles(ws, [folder])
        first = next(iter(OFFICE_COMMUNES))
        appraisal.accept_self_scores(ws, first)
        leaves = [c.code for c in fw.leaves() if not c.survey_only]
        appraisal.set_appraisal(ws, first, leaves[1], 0.0, "Chưa có báo cáo kết quả")
        appraisal.accept_self_scores(ws, list(OFFICE_COMMUNES)[1])
        session = Session(ws)
        settings = QSettings(str(tmp_dir / "office-ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, settings=settings)
        window.resize(*SIZE)
        window.show()
        _show_tab(window.tabs, "Đơn vị cấp dưới")
        office = window.office_view
        if office is None:
            raise SystemExit("Thiếu tab Đơn vị cấp dưới.")
        pages = getattr(office, "pages")  # noqa: B009
        _settle(app)
        _save(window, out / "08-inbox.png")
        view = getattr(office, "appraisal_view")  # noqa: B009
        pages.setCurrentWidget(view)
        view.select_unit(first)
        view.select_item(leaves[1])
        _settle(app)
        _save(window, out / "09-appraisal.png")
        pages.setCurrentWidget(getattr(office, "consolidation_view"))  # noqa: B009
        _settle(app)
        _save(window, out / "10-ranking.png")
        _framework_editor_sample(app, window, session, fw, out / "13-framework-editor.png")
        window.close()
    finally:
        ws.close()


def _framework_editor_sample(
    app: QApplication, window: QWidget, session: Session, fw: Framework, path: Path
) -> None:
    """The office edits next year's copy: one item re-pointed, its parent not yet summed."""
    from parapp.services.office import framework_editing
    from parapp.ui.office.framework_editor import DISCARD, FrameworkEditor

    copy = framework_editing.start_edit(session.ws, fw.id, 2026)
    editor = FrameworkEditor(session, copy, fw.id, window)
    editor.resize(window.size())
    editor.show()
    leaf = next(c for c in copy.leaves() if c.parent_code and "." in c.parent_code)
    editor.select_code(leaf.code)
    editor.max_edit.setText(format_number(leaf.max_points + 0.5))
    editor.commit_fields()
    _settle(app)
    _save(editor, path)
    editor.ask_unsaved = lambda: DISCARD
    editor.close()
    editor.deleteLater()


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)

    from parapp.app import create_application
    from parapp.ui.main_window import MainWindow
    from parapp.ui.setup_wizard import SetupWizard

    app = create_application([])
    with tempfile.TemporaryDirectory(prefix="parapp-shots-") as tmp:
        tmp_dir = Path(tmp)
        files = tmp_dir / "files"
        files.mkdir()
        ws = open_demo(tmp_dir / "ws")
        try:
            codes = fill_sample(ws, files)
            session = Session(ws)
            settings = QSettings(str(tmp_dir / "ui.ini"), QSettings.Format.IniFormat)
            window = MainWindow(session, settings=settings)
            window.resize(*SIZE)
            window.show()
            session.notify(Changes(unit=True, assessment=True, frameworks=True, tasks=True))
            _settle(app)

            wizard = SetupWizard(session, ws.data_dir, window)
            wizard.resize(820, 600)
            wizard.show()
            page = wizard.unit_page
            page.province_combo.setCurrentIndex(0)
            page.search_edit.setText("dien ban")
            page.select_entry("20551")
            _settle(app)
            _save_dialog_over(window, wizard, out / "01-setup.png")
            wizard.hide()
            wizard.deleteLater()

            window.tabs.setCurrentIndex(0)
            window.select_code(codes["band"])
            _settle(app)
            _save(window, out / "02-main-form.png")

            window.select_code(codes["evidence"])
            _settle(app)
            _save(window, out / "03-evidence.png")

            if window.summary_view is None or window.tasks_view is None:
                raise SystemExit("Thiếu tab Tổng hợp hoặc Nhiệm vụ trong cửa sổ chính.")
            _show_tab(window.tabs, "Tổng hợp")
            _settle(app)
            _save(window, out / "04-summary.png")

            _show_tab(window.tabs, "Nhiệm vụ")
            select = getattr(window.tasks_view, "select_task", None)
            if codes["task"] and select is not None:
                select(codes["task"])
            _settle(app)
            _save(window, out / "05-tasks.png")

            window.tabs.setCurrentIndex(0)
            window.select_code(codes["evidence"])
            _settle(app)
            bundle = _submit_sample(app, window, session, tmp_dir, out / "06-submit.png")
            _verify_sample(app, window, session, bundle, out / "07-verify.png")
            window.close()
            _office_sample(app, tmp_dir, ws.current_framework(), out)
        finally:
            ws.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
