"""Print dialog: number, date, Nơi nhận and signer set in the dialog reach the saved PDF and
.docx, are remembered per document, the preview follows them, and "In…" prints the same
pages as the saved PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageChops, ImageStat
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from parapp.models.document_forms import BLANK_DATE
from parapp.models.narrative import SECTIONS
from parapp.services import documents
from parapp.services.commune import narrative
from parapp.ui.commune.narrative_editor import NarrativeEditor
from parapp.ui.print_dialog import PrintDialog, print_pdf_to_printer
from parapp.ui.session import Session
from tests.system_tools import tool

LEFT = Qt.MouseButton.LeftButton
APPROVER = "Trần Thị Bình"
RECIPIENTS = ["Sở Nội vụ thành phố Đà Nẵng", "Thường trực Đảng ủy phường", "Lưu: VT, VP"]
WAIT = 60000


def _open(session: Session, qtbot: QtBot) -> PrintDialog:
    dlg = PrintDialog(session)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


@pytest.fixture
def dialog(session: Session, qtbot: QtBot) -> PrintDialog:
    return _open(session, qtbot)


def _pdf_text(path: Path) -> str:
    out = subprocess.run(
        [tool("pdftotext"), "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def _pages(path: Path) -> int:
    info = subprocess.run(
        [tool("pdfinfo"), str(path)], check=True, capture_output=True, text=True
    ).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def _docx_text(path: Path) -> str:
    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return " ".join(" ".join(parts).split())


def _fill(dialog: PrintDialog, qtbot: QtBot) -> None:
    """Type the fields as an officer would (keys, not setters, where it matters)."""
    dialog.select_document("report")
    dialog.number_edit.clear()
    qtbot.keyClicks(dialog.number_edit, "25")
    dialog.blank_date_check.setChecked(False)
    dialog.date_edit.setDate(QDate(2027, 1, 15))
    dialog.recipients_edit.setPlainText("\n".join(RECIPIENTS))
    dialog.approver_edit.setText(APPROVER)
    dialog.position_edit.setText("Phó Chủ tịch")


def _save(dialog: PrintDialog, qtbot: QtBot, out: Path, button_name: str = "save_button") -> None:
    dialog.ask_save_path = lambda suggested, fmt="pdf": out  # type: ignore[method-assign]
    qtbot.mouseClick(getattr(dialog, button_name), LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT)
    assert out.is_file(), dialog.status_label.text()


def test_commune_documents_and_fields(dialog: PrintDialog) -> None:
    assert [d.key for d in dialog.documents] == ["blank-form", "report", "tasks"]
    dialog.select_document("report")
    assert dialog.recipients_edit.isVisible() and dialog.approver_edit.isVisible()
    assert dialog.number_edit.isVisible() and dialog.date_edit.isVisible()
    dialog.select_document("tasks")  # an appendix: no Nơi nhận or signer of its own
    assert not dialog.recipients_edit.isVisible() and not dialog.approver_edit.isVisible()
    assert dialog.number_edit.isVisible()


def test_defaults_are_the_clis(dialog: PrintDialog, session: Session) -> None:
    dialog.select_document("report")
    expected = documents.default_recipients(session.ws, "report")
    assert dialog.recipients_edit.toPlainText().splitlines() == list(expected)
    assert expected[0].startswith("Sở Nội vụ") and expected[-1].startswith("Lưu: VT")
    assert dialog.blank_date_check.isChecked() and not dialog.date_edit.isEnabled()
    assert dialog.place_edit.text() == "Điện Bàn"
    assert dialog.number_edit.text() == ""
    dialog.recipients_edit.setPlainText("Nơi khác")
    dialog.default_recipients_button.click()
    assert dialog.recipients_edit.toPlainText().splitlines() == list(expected)


def test_number_date_recipients_reach_the_pdf(
    dialog: PrintDialog, qtbot: QtBot, tmp_path: Path
) -> None:
    _fill(dialog, qtbot)
    out = tmp_path / "bao-cao.pdf"
    _save(dialog, qtbot, out)
    assert str(out) in dialog.status_label.text()
    text = _pdf_text(out)
    assert "Số: 25/BC-UBND" in text
    assert "Điện Bàn, ngày 15 tháng 01 năm 2027" in text
    assert "Nơi nhận:" in text
    for recipient in RECIPIENTS:
        assert f"- {recipient}" in text, recipient
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and APPROVER in text
    assert BLANK_DATE not in text
    # Nơi nhận stands bottom-left, beside the signature: its words in the left half
    bbox = subprocess.run(
        [tool("pdftotext"), "-bbox", str(out), "-"], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in bbox.splitlines() if ">Thường<" in line)
    x_min = float(line.split('xMin="')[1].split('"')[0])
    assert x_min < 595 / 2


def test_blank_date_for_handwriting(dialog: PrintDialog, qtbot: QtBot, tmp_path: Path) -> None:
    _fill(dialog, qtbot)
    dialog.blank_date_check.setChecked(True)
    assert not dialog.date_edit.isEnabled()
    out = tmp_path / "bao-cao.pdf"
    _save(dialog, qtbot, out)
    text = _pdf_text(out)
    assert f"Điện Bàn, {BLANK_DATE}" in text
    assert "15 tháng 01 năm 2027" not in text
    assert "Số: 25/BC-UBND" in text


def test_docx_has_the_same_fields(dialog: PrintDialog, qtbot: QtBot, tmp_path: Path) -> None:
    _fill(dialog, qtbot)
    out = tmp_path / "bao-cao.docx"
    _save(dialog, qtbot, out, "docx_button")
    assert out.read_bytes()[:2] == b"PK"
    assert "Word" in dialog.status_label.text() and str(out) in dialog.status_label.text()
    text = _docx_text(out)
    assert "Số: 25/BC-UBND" in text
    assert "Điện Bàn, ngày 15 tháng 01 năm 2027" in text
    assert "Nơi nhận:" in text
    for recipient in RECIPIENTS:
        assert recipient in text, recipient
    assert "KT. CHỦ TỊCH" in text and APPROVER in text


def test_docx_name_gets_its_extension(dialog: PrintDialog, qtbot: QtBot, tmp_path: Path) -> None:
    dialog.select_document("blank-form")
    chosen = tmp_path / "phieu.pdf"  # the officer kept the wrong extension
    dialog.ask_save_path = lambda suggested, fmt="pdf": chosen  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.docx_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT)
    assert not chosen.exists()
    assert (tmp_path / "phieu.docx").read_bytes()[:2] == b"PK"


def test_fields_remembered_per_document(session: Session, qtbot: QtBot, tmp_path: Path) -> None:
    first = _open(session, qtbot)
    _fill(first, qtbot)
    first.select_document("blank-form")  # switching keeps the report's fields
    first.place_edit.setText("Hội An")
    first.close()

    again = _open(session, qtbot)
    again.select_document("report")
    assert again.number_edit.text() == "25"
    assert not again.blank_date_check.isChecked()
    assert again.date_edit.date() == QDate(2027, 1, 15)
    assert again.recipients_edit.toPlainText().splitlines() == RECIPIENTS
    assert (again.approver_edit.text(), again.position_edit.text()) == (APPROVER, "Phó Chủ tịch")
    again.select_document("blank-form")
    assert again.place_edit.text() == "Hội An"
    assert again.number_edit.text() == ""  # its own fields, not the report's
    again.select_document("tasks")
    assert again.place_edit.text() == "Điện Bàn"  # never printed: the defaults


def test_bad_remembered_values_are_ignored(session: Session, qtbot: QtBot) -> None:
    session.ws.settings.set("print_options:report", {"number": 12, "recipients": "x" * 10})
    dlg = _open(session, qtbot)
    dlg.select_document("report")
    assert dlg.number_edit.text() == "" and dlg.recipients_edit.toPlainText() == ""


def test_preview_follows_the_fields(dialog: PrintDialog, qtbot: QtBot) -> None:
    dialog.select_document("report")
    qtbot.mouseClick(dialog.preview_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT)
    pages = dialog.preview_pages
    assert pages and dialog.pages_layout.count() == len(pages)
    assert abs(pages[0].width - pages[0].width_pt / 72 * 60) <= 1  # 60 dpi
    assert dialog.status_label.text().startswith("Xem trước")
    first_pdf = dialog.last_pdf
    assert first_pdf is not None and "Số: 31/BC-UBND" not in _pdf_text(first_pdf)
    qtbot.keyClicks(dialog.number_edit, "31")
    qtbot.waitUntil(lambda: dialog.last_pdf != first_pdf and not dialog.busy(), timeout=WAIT)
    assert dialog.last_pdf is not None and "Số: 31/BC-UBND" in _pdf_text(dialog.last_pdf)
    assert dialog.pages_layout.count() == len(dialog.preview_pages)


def test_invalid_field_says_what(dialog: PrintDialog, qtbot: QtBot, tmp_path: Path) -> None:
    dialog.select_document("report")
    dialog.blank_date_check.setChecked(False)
    dialog.date_edit.setDate(QDate(2027, 1, 15))
    dialog.settings = lambda: documents.PrintSettings(  # type: ignore[method-assign]
        date_text="31/02/2027", blank_date=False
    )
    out = tmp_path / "x.pdf"
    dialog.ask_save_path = lambda suggested, fmt="pdf": out  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.save_button, LEFT)
    assert not dialog.busy() and not out.exists()
    assert "31/02/2027" in dialog.status_label.text()


def _gray(pdf: Path, out: Path, dpi: int = 150) -> list[Image.Image]:
    """Pages drawn at the test printer's resolution, then averaged over 5×5 pixels: a
    sub-pixel phase between vector text and its picture then weighs nothing, a wrong page,
    a shift or a wrong scale weighs ~15 (mean grey difference)."""
    subprocess.run(
        [tool("pdftoppm"), "-gray", "-r", str(dpi), "-png", str(pdf), str(out)],
        check=True,
        capture_output=True,
    )
    files = sorted(out.parent.glob(f"{out.name}-*.png"))
    return [Image.open(p).convert("L").reduce(5) for p in files]


def _difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute grey difference over the common area (0 = identical, 255 = inverse)."""
    box = (0, 0, min(a.width, b.width), min(a.height, b.height))
    return float(ImageStat.Stat(ImageChops.difference(a.crop(box), b.crop(box))).mean[0])


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(150)
    return printer


def test_printing_draws_the_saved_pdf(dialog: PrintDialog, qtbot: QtBot, tmp_path: Path) -> None:
    _fill(dialog, qtbot)
    saved = tmp_path / "bao-cao.pdf"
    _save(dialog, qtbot, saved)
    printed = tmp_path / "in.pdf"
    sheets = print_pdf_to_printer(_pdf_printer(printed), saved)
    pages = _pages(saved)
    assert pages >= 2 and sheets == pages == _pages(printed)
    # the sheets are pictures of the pages: the same pixels, within anti-aliasing
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    original = _gray(saved, tmp_path / "a" / "p")
    paper = _gray(printed, tmp_path / "b" / "p")
    assert len(original) == len(paper) == pages
    for a, b in zip(original, paper, strict=True):
        assert abs(a.width - b.width) <= 1 and abs(a.height - b.height) <= 1  # Qt's A4: whole pt
        diff = _difference(a, b)
        ink = 255 - ImageStat.Stat(a).mean[0]
        assert diff < 4.0 and ink > 2.0, (diff, ink)  # pages with text, drawn alike
    assert _difference(paper[1], original[0]) > 8.0  # the measure tells pages apart
    # a page range chosen in the dialog prints only those pages
    ranged = _pdf_printer(tmp_path / "trang-2.pdf")
    ranged.setPrintRange(QPrinter.PrintRange.PageRange)
    ranged.setFromTo(2, 2)
    assert print_pdf_to_printer(ranged, saved) == 1
    assert _pages(tmp_path / "trang-2.pdf") == 1
    (tmp_path / "c").mkdir()
    second = _gray(tmp_path / "trang-2.pdf", tmp_path / "c" / "p")[0]
    assert _difference(second, original[1]) < 4.0


def test_print_button_prints_on_a4(dialog: PrintDialog, qtbot: QtBot, tmp_path: Path) -> None:
    printed = tmp_path / "in.pdf"
    asked: list[int] = []

    def choose(printer: QPrinter, pages: int) -> bool:
        asked.append(pages)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(100)
        return True

    dialog.ask_printer = choose  # type: ignore[method-assign]
    dialog.select_document("tasks")
    qtbot.mouseClick(dialog.print_button, LEFT)
    qtbot.waitUntil(lambda: dialog.printed_pages > 0 and not dialog.busy(), timeout=WAIT)
    assert dialog.last_pdf is not None
    assert asked == [_pages(dialog.last_pdf)] == [_pages(printed)] == [dialog.printed_pages]
    assert f"Đã gửi {dialog.printed_pages} trang" in dialog.status_label.text()
    info = subprocess.run(
        [tool("pdfinfo"), str(printed)], check=True, capture_output=True, text=True
    ).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, height = (float(v) for v in size.split()[2:5:2])
    assert abs(width - 595) < 2 and abs(height - 842) < 2  # A4 portrait


def test_print_cancelled_in_the_system_dialog(dialog: PrintDialog, qtbot: QtBot) -> None:
    dialog.ask_printer = lambda printer, pages: False  # type: ignore[method-assign]
    dialog.select_document("tasks")
    qtbot.mouseClick(dialog.print_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=WAIT)
    assert dialog.printed_pages == 0
    assert "Chưa in" in dialog.status_label.text()


def test_landscape_page_prints_landscape(tmp_path: Path, qtbot: QtBot) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    source = tmp_path / "ngang.pdf"
    c = canvas.Canvas(str(source), pagesize=landscape(A4))
    c.drawString(100, 300, "Bảng xếp hạng")
    c.showPage()
    c.save()
    printer = _pdf_printer(tmp_path / "in.pdf")
    assert print_pdf_to_printer(printer, source) == 1
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape


def test_report_warns_of_sections_still_a_prompt(dialog: PrintDialog, session: Session) -> None:
    dialog.select_document("report")
    assert dialog.narrative_label.isVisible()
    said = dialog.narrative_label.text()
    assert "Nguyên nhân" in said and "Kiến nghị, đề xuất" in said
    narrative.set_section(session.ws, "causes", "Cán bộ kiêm nhiệm nhiều việc.")
    narrative.set_section(session.ws, "recommendations", "Không có.")
    dialog.select_document("blank-form")
    assert not dialog.narrative_label.isVisible()  # not a report
    dialog.select_document("report")
    assert not dialog.narrative_label.isVisible()


def test_write_the_missing_sections_from_the_dialog(dialog: PrintDialog) -> None:
    dialog.select_document("report")
    assert dialog.narrative_button.isVisible()
    seen: list[str] = []

    def write(editor: NarrativeEditor) -> bool:
        seen.append(editor.current_key)  # opened on the first section still a prompt
        editor.editor.setPlainText("Cán bộ kiêm nhiệm nhiều việc.")
        editor.sections.setCurrentRow(list(SECTIONS).index("recommendations"))
        editor.editor.setPlainText("Đề nghị Sở Nội vụ tập huấn nghiệp vụ.")
        return editor.save()

    dialog.run_editor = write  # type: ignore[method-assign,assignment]
    dialog.narrative_button.click()
    assert seen == ["causes"]
    assert not dialog.narrative_label.isVisible()
    dialog.select_document("tasks")
    assert not dialog.narrative_button.isVisible()
