"""“In / Lưu tài liệu”: the official A4 documents with their number, date, Nơi nhận and
signer, previewed, saved as PDF or Word, or sent to a printer.

What the officer types for a document (number, place, date or a blank date for
handwriting, Nơi nhận, signer) is remembered per document in the workspace, so printing it
again needs no retyping. The preview and the paper are drawn from the very PDF the app
saves (PDFium, through :func:`parapp.services.documents.document_pages`): the printed sheet
equals the saved file, and nothing outside the app (no PDF reader, no poppler) is needed.
Rendering reads the workspace and runs reportlab, which takes a moment on a long report; it
runs in a :class:`BackgroundTask`, as does drawing the pages for the printer.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, QMarginsF, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parapp.models.document_forms import lower_first
from parapp.models.errors import Cancelled, ParAppError
from parapp.models.narrative import SECTIONS
from parapp.models.print_data import DocumentOptions
from parapp.services import documents
from parapp.services.commune import narrative, printing
from parapp.services.documents import PrintSettings, RasterPage
from parapp.services.office import printing as office_printing
from parapp.services.workspace import Workspace
from parapp.ui.session import Session
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

RED = "#c5221f"
GREEN = "#188038"
AMBER = "#b06000"
PREVIEW_DPI = 60
MAX_PREVIEW_PAGES = 20
#: the preview follows the fields this long after the officer stops typing
PREVIEW_DELAY_MS = 700
DATE_FORMAT = "dd/MM/yyyy"
HINT = (
    "Số văn bản và ngày để trống thì in “Số: …” và “ngày … tháng … năm …” để ghi tay khi ký. "
    "Mỗi dòng của Nơi nhận là một nơi. ParApp ghi nhớ các ô này cho lần in sau."
)

Render = Callable[[Workspace, Path, DocumentOptions], Path]


@dataclass(frozen=True)
class Document:
    """One printable document: its label, file-name stem, how to render it (PDF or .docx by
    the file's extension), its kind for the default Nơi nhận, and whether it carries a
    signature and Nơi nhận of its own (the task list is an appendix: it carries neither)."""

    key: str
    label: str
    stem: str
    render: Render
    kind: str
    signed: bool = True
    addressee: str = ""
    names_signer: bool = True


def _period(ws: Workspace) -> str | None:
    a = ws.current_assessment()
    return a.period if a else None


def available_documents(ws: Workspace) -> list[Document]:
    """What this workspace can print: its own documents, plus an office's when it has units."""
    docs = [
        Document(
            "blank-form",
            "Phiếu tự đánh giá (để trống)",
            "phieu-tu-danh-gia",
            lambda w, out, o: printing.print_blank_form(w, out, None, o),
            "blank-form",
            names_signer=False,
        ),
        Document(
            "report",
            "Báo cáo kết quả tự đánh giá",
            "bao-cao-tu-danh-gia",
            lambda w, out, o: printing.print_report(w, out, options=o),
            "report",
        ),
        Document(
            "tasks",
            "Danh sách nhiệm vụ (phụ lục của báo cáo)",
            "danh-sach-nhiem-vu",
            lambda w, out, o: printing.print_tasks(w, out, options=o),
            "tasks",
            signed=False,
        ),
    ]
    unit = ws.own_unit()
    children = ws.units.children(unit.code) if unit is not None else []
    if not children:
        return docs

    def ranking(w: Workspace, out: Path, o: DocumentOptions) -> Path:
        return office_printing.print_ranking(w, out, _period(w), options=o)

    docs.append(
        Document("ranking", "Bảng xếp hạng các đơn vị", "bang-xep-hang", ranking, "ranking")
    )
    for child in children:

        def appraisal(w: Workspace, out: Path, o: DocumentOptions, code: str = child.code) -> Path:
            return office_printing.print_appraisal(w, code, out, _period(w), options=o)

        docs.append(
            Document(
                f"appraisal:{child.code}",
                f"Kết quả thẩm định của đơn vị {child.name}",
                f"ket-qua-tham-dinh-{child.code}",
                appraisal,
                "appraisal",
                addressee=f"UBND {lower_first(child.name)}",
            )
        )
    return docs


def default_settings(ws: Workspace, doc: Document) -> PrintSettings:
    """What the dialog shows for a document printed here for the first time: no number,
    the date left for handwriting, the unit's place, the Nơi nhận the CLI uses, and the
    last approver (the blank form names nobody: it is signed by whoever fills it)."""
    unit = ws.require_unit()
    sig = documents.signature_block(ws, kind=doc.kind, addressee=doc.addressee)
    return PrintSettings(
        date_text=QDate.currentDate().toString(DATE_FORMAT),
        blank_date=True,
        place=documents.short_place(unit.name),
        recipients=sig.recipients,
        approver=sig.approver if doc.names_signer else "",
        position=sig.approver_position,
    )


def print_pdf_to_printer(
    printer: QPrinter,
    pdf: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> int:
    """Send ``pdf`` to ``printer``: each page drawn at the printer's resolution (at most
    600 dpi) at its real size on A4, the page range chosen in the print dialog respected.
    Returns the number of sheets sent. Safe off the GUI thread: it paints on a QPrinter only.
    """
    total = documents.document_page_count(pdf)
    first, last = 1, total
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(total, printer.toPage() or total)
    if first > last:
        raise ParAppError(f"Khoảng trang {first}–{last} không có trong tài liệu ({total} trang).")
    pages = list(range(first - 1, last))
    copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
    sequence = [p for _ in range(copies) for p in pages]
    if printer.collateCopies() is False and copies > 1:
        sequence = [p for p in pages for _ in range(copies)]

    sizes = [(page.width_pt, page.height_pt) for page in documents.document_pages(pdf, 1, [0])]
    landscape = bool(sizes) and sizes[0][0] > sizes[0][1]
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
        )
    )
    dpi = min(max(printer.resolution(), 72), 600)
    painter = QPainter()
    if not painter.begin(printer):
        raise ParAppError("Không mở được máy in. Hãy kiểm tra máy in đã bật và đã cài đặt.")
    try:
        res_x, res_y = printer.logicalDpiX(), printer.logicalDpiY()
        with contextlib.closing(documents.document_pages(pdf, dpi, sequence)) as drawn:
            for done, page in enumerate(drawn, start=1):
                if cancelled is not None and cancelled():
                    printer.abort()
                    raise Cancelled()
                if done > 1:
                    printer.newPage()
                image = QImage(
                    page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32
                )
                target = QRectF(0, 0, page.width_pt / 72.0 * res_x, page.height_pt / 72.0 * res_y)
                painter.drawImage(target, image)
                if progress is not None:
                    progress(done, len(sequence))
    finally:
        painter.end()
    return len(sequence)


class PrintDialog(QDialog):
    """Choose a document, set its number, date, Nơi nhận and signer, preview it, save it as
    PDF or Word, or print it."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: BackgroundTask | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="parapp-in-")
        self._renders = 0
        self._loading = False
        self._preview_pending = False
        self._shown_key = ""
        self.last_pdf: Path | None = None
        self.last_output: Path | None = None
        self.printed_pages = 0
        self.preview_pages: list[RasterPage] = []
        self.setWindowTitle("In / Lưu tài liệu")
        self.resize(1080, 700)

        self.documents = available_documents(session.ws)
        self.doc_combo = QComboBox()
        for doc in self.documents:
            self.doc_combo.addItem(doc.label, doc.key)

        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("ví dụ 12 hoặc 12/BC-UBND; để trống để ghi tay")
        self.place_edit = QLineEdit()
        self.date_edit = QDateEdit()
        self.date_edit.setDisplayFormat(DATE_FORMAT)
        self.date_edit.setCalendarPopup(True)
        self.blank_date_check = QCheckBox("Để trống để viết tay (ngày … tháng … năm …)")
        self.blank_date_check.toggled.connect(lambda on: self.date_edit.setEnabled(not on))
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.blank_date_check, 1)
        self.recipients_edit = QPlainTextEdit()
        self.recipients_edit.setTabChangesFocus(True)
        self.recipients_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.recipients_edit.setToolTip("Mỗi dòng một nơi nhận; dòng cuối thường là “Lưu: VT, …”.")
        self.default_recipients_button = QPushButton("&Mặc định")
        self.default_recipients_button.setToolTip("Trả Nơi nhận về danh sách mặc định")
        self.default_recipients_button.clicked.connect(self._restore_default_recipients)
        recipients_row = QHBoxLayout()
        recipients_row.addWidget(self.recipients_edit, 1)
        recipients_row.addWidget(self.default_recipients_button, 0, Qt.AlignmentFlag.AlignTop)
        self.recipients_box = QWidget()
        self.recipients_box.setLayout(recipients_row)
        recipients_row.setContentsMargins(0, 0, 0, 0)
        self.approver_edit = QLineEdit()
        self.approver_edit.setPlaceholderText("Họ và tên người ký; để trống để ghi tay")
        self.position_edit = QLineEdit()
        self.position_edit.setPlaceholderText("Chủ tịch, Phó Chủ tịch…")

        self.form = form = QFormLayout()
        form.addRow("&Tài liệu:", self.doc_combo)
        for caption, widget in (
            ("&Số văn bản:", self.number_edit),
            ("Đị&a danh:", self.place_edit),
            ("N&gày ban hành:", self.date_edit),
            ("&Nơi nhận:", self.recipients_edit),
            ("Người &ký:", self.approver_edit),
            ("&Chức vụ:", self.position_edit),
        ):
            label = QLabel(caption)
            label.setBuddy(widget)
            if widget is self.date_edit:
                form.addRow(label, date_row)
            elif widget is self.recipients_edit:
                form.addRow(label, self.recipients_box)
            else:
                form.addRow(label, widget)

        self.preview_button = QPushButton("&Xem trước")
        self.save_button = QPushButton("&Lưu PDF…")
        self.docx_button = QPushButton("Lưu &Word (.docx)…")
        self.print_button = QPushButton("&In…")
        close = QPushButton("Đó&ng")
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.docx_button.clicked.connect(self.save_docx)
        self.print_button.clicked.connect(self.print_document)
        close.clicked.connect(self.reject)
        buttons = QGridLayout()
        buttons.addWidget(self.preview_button, 0, 0)
        buttons.addWidget(self.print_button, 0, 1)
        buttons.addWidget(self.save_button, 1, 0)
        buttons.addWidget(self.docx_button, 1, 1)
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(close)

        hint = QLabel(HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        self.narrative_label = QLabel()
        self.narrative_label.setWordWrap(True)
        self.narrative_label.setStyleSheet(f"color: {AMBER};")
        self.narrative_label.setVisible(False)
        self.narrative_button = QPushButton("&Viết lời văn báo cáo…")
        self.narrative_button.setToolTip(
            "Tổng quan, tồn tại hạn chế, nguyên nhân, giải pháp, kiến nghị — lời văn của đơn vị"
        )
        self.narrative_button.clicked.connect(self.edit_narrative)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setVisible(False)

        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages.setStyleSheet("background: #8a8f96;")
        self.preview_area = QScrollArea()
        self.preview_area.setWidgetResizable(True)
        self.preview_area.setWidget(self.pages)

        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self._refresh_preview)
        for line in (self.number_edit, self.place_edit, self.approver_edit, self.position_edit):
            line.textChanged.connect(self._fields_changed)
        self.date_edit.dateChanged.connect(self._fields_changed)
        self.blank_date_check.toggled.connect(self._fields_changed)
        self.recipients_edit.textChanged.connect(self._fields_changed)

        # Fields beside the preview: on the commune's 1366×768 screen a page needs the height.
        fields = QWidget()
        fields.setMinimumWidth(440)
        side = QVBoxLayout(fields)
        side.setContentsMargins(0, 0, 0, 0)
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(hint)
        side.addWidget(self.narrative_label)
        narrative_row = QHBoxLayout()
        narrative_row.addWidget(self.narrative_button)
        narrative_row.addStretch(1)
        side.addLayout(narrative_row)
        side.addWidget(self.progress_bar)
        side.addWidget(self.status_label)
        side.addStretch(1)
        side.addLayout(closing)
        layout = QHBoxLayout(self)
        layout.addWidget(fields, 0)
        layout.addWidget(self.preview_area, 1)
        self._load_settings()
        self.doc_combo.currentIndexChanged.connect(self._document_changed)

    # -- the fields and their memory -------------------------------------------------------
    def document(self) -> Document:
        return self.documents[max(self.doc_combo.currentIndex(), 0)]

    def select_document(self, key: str) -> None:
        index = self.doc_combo.findData(key)
        if index >= 0:
            self.doc_combo.setCurrentIndex(index)

    def settings(self) -> PrintSettings:
        """The fields as typed."""
        return PrintSettings(
            number=self.number_edit.text(),
            date_text=self.date_edit.date().toString(DATE_FORMAT),
            blank_date=self.blank_date_check.isChecked(),
            place=self.place_edit.text(),
            recipients=tuple(self.recipients_edit.toPlainText().splitlines()),
            approver=self.approver_edit.text(),
            position=self.position_edit.text(),
        )

    def remember(self) -> None:
        """Keep the current document's fields for the next time it is printed."""
        if self._shown_key:
            documents.remember_print_settings(self.session.ws, self._shown_key, self.settings())

    def _load_settings(self) -> None:
        doc = self.document()
        ws = self.session.ws
        values = documents.remembered_print_settings(ws, doc.key) or default_settings(ws, doc)
        self._loading = True
        try:
            self.number_edit.setText(values.number)
            self.place_edit.setText(values.place)
            day = QDate.fromString(values.date_text, DATE_FORMAT)
            self.date_edit.setDate(day if day.isValid() else QDate.currentDate())
            self.blank_date_check.setChecked(values.blank_date)
            self.date_edit.setEnabled(not values.blank_date)
            self.recipients_edit.setPlainText("\n".join(values.recipients))
            self.approver_edit.setText(values.approver)
            self.position_edit.setText(values.position)
        finally:
            self._loading = False
        self._shown_key = doc.key
        for row in (self.recipients_box, self.approver_edit, self.position_edit):
            self.form.setRowVisible(row, doc.signed)
        self._check_narrative()

    def _check_narrative(self) -> None:
        """Before a report goes to be signed: which of its sections still print the draft's
        prompt (causes, recommendations), which only the officer can write."""
        doc = self.document()
        missing: list[str] = []
        is_report = doc.kind == "report" and self.session.ws.current_assessment() is not None
        if is_report:
            missing = narrative.unwritten_sections(self.session.ws)
        self.narrative_button.setVisible(is_report)
        self.narrative_label.setText(
            "Báo cáo còn lời gợi ý chưa viết ở mục: "
            + "; ".join(missing)
            + ". Hãy viết các mục này (“Viết lời văn báo cáo…”, hoặc sửa trong bản Word) trước "
            "khi trình ký."
            if missing
            else ""
        )
        self.narrative_label.setVisible(bool(missing))

    def _restore_default_recipients(self) -> None:
        defaults = default_settings(self.session.ws, self.document())
        self.recipients_edit.setPlainText("\n".join(defaults.recipients))

    def _document_changed(self) -> None:
        self.remember()
        self._load_settings()
        self._fields_changed()

    def _fields_changed(self) -> None:
        """Once a preview is on screen it follows the fields (after a pause in typing)."""
        if not self._loading and self.preview_pages:
            self.preview_timer.start()

    def _refresh_preview(self) -> None:
        if self.busy():
            self._preview_pending = True
        else:
            self.preview()

    def edit_narrative(self) -> None:
        """The report's own words, opened on the first section still to write; the warning
        and a preview on screen follow what was saved."""
        from parapp.ui.commune.narrative_editor import NarrativeEditor

        editor = NarrativeEditor(self.session, self)
        missing = narrative.unwritten_sections(self.session.ws)
        if missing:
            editor.sections.setCurrentRow(list(SECTIONS.values()).index(missing[0]))
        saved = self.run_editor(editor)
        editor.deleteLater()
        self._check_narrative()
        if saved and self.preview_pages:
            self._refresh_preview()

    # -- the native dialogs (tests replace these methods) ------------------------------------
    def run_editor(self, editor: QDialog) -> bool:
        return editor.exec() == QDialog.DialogCode.Accepted

    def ask_save_path(self, suggested: str, fmt: str = "pdf") -> Path | None:
        caption, pattern = (
            ("Lưu Word", "Tài liệu Word (*.docx)")
            if fmt == "docx"
            else ("Lưu PDF", "Tệp PDF (*.pdf)")
        )
        name, _ = QFileDialog.getSaveFileName(self, caption, suggested, pattern)
        if not name:
            return None
        path = Path(name)
        suffix = f".{fmt}"
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def ask_printer(self, printer: QPrinter, pages: int) -> bool:
        """Qt's system print dialog (Vietnamese from the app's Qt translation)."""
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In tài liệu")
        dialog.setMinMax(1, pages)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, False)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintSelection, False)
        return dialog.exec() == QDialog.DialogCode.Accepted

    # -- rendering ----------------------------------------------------------------------------
    def busy(self) -> bool:
        return self.task is not None

    def _temp_file(self, suffix: str = ".pdf") -> Path:
        """A fresh temp path in its own folder (a preview never overwrites the one shown)."""
        self._renders += 1
        folder = Path(self._temp.name) / f"lan-{self._renders}"
        folder.mkdir()
        return folder / f"{self.document().stem}{suffix}"

    def _options(self) -> DocumentOptions | None:
        """The renderers' options, or None after saying what is wrong."""
        try:
            return self.settings().options()
        except ParAppError as err:
            self._say(str(err), RED)
            return None

    def _start(
        self,
        job: Callable[[ProgressFn, CancelFn], object],
        then: Callable[[object], None],
        message: str,
    ) -> None:
        task = BackgroundTask(job, self)
        task.finished.connect(then)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self._say("Đã hủy in.", RED))
        task.done.connect(self._done)
        self.task = task
        self._set_working(True)
        self._say(message)
        task.start()

    def _render(self, out: Path, then: Callable[[object], None], preview: bool = False) -> None:
        if self.task is not None:
            return
        options = self._options()
        if options is None:
            return
        self.remember()
        doc = self.document()
        ws = self.session.ws

        def job(_progress: ProgressFn, _cancelled: CancelFn) -> tuple[Path, list[object]]:
            path = doc.render(ws, out, options)
            pages: list[object] = []
            if preview:
                count = min(documents.document_page_count(path), MAX_PREVIEW_PAGES)
                pages = list(documents.document_pages(path, PREVIEW_DPI, range(count)))
            return path, pages

        word = "Word" if out.suffix.lower() == ".docx" else "PDF"
        self._start(job, then, f"Đang tạo tệp {word}…")

    def _set_working(self, on: bool) -> None:
        self.progress_bar.setVisible(on)
        for b in (
            self.preview_button,
            self.save_button,
            self.docx_button,
            self.print_button,
            self.doc_combo,
        ):
            b.setEnabled(not on)

    def _done(self) -> None:
        self.task = None
        self._set_working(False)
        if self._preview_pending:
            self._preview_pending = False
            self.preview()

    def _failed(self, message: str) -> None:
        self._say(message, RED)

    def _say(self, text: str, color: str = "") -> None:
        self.status_label.setStyleSheet(f"color: {color};" if color else "")
        self.status_label.setText(text)

    def preview(self) -> None:
        self._render(self._temp_file(), self._show_preview, preview=True)

    def _show_preview(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        pdf, pages = outcome
        self.last_pdf = pdf
        self.preview_pages = list(pages)
        self._clear_pages()
        for page in self.preview_pages:
            image = QImage(
                page.pixels, page.width, page.height, page.stride, QImage.Format.Format_RGB32
            ).copy()  # own the pixels: the bytes object may go
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #5f6368;")
            self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        total = documents.document_page_count(pdf)
        more = f" (chỉ hiện {MAX_PREVIEW_PAGES} trang đầu)" if total > MAX_PREVIEW_PAGES else ""
        self._say(f"Xem trước {total} trang{more}.", GREEN)

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _save(self, fmt: str) -> None:
        doc = self.document()
        unit = self.session.ws.own_unit()
        suggested = f"{doc.stem}-{unit.code}.{fmt}" if unit else f"{doc.stem}.{fmt}"
        path = self.ask_save_path(suggested, fmt)
        if path is None:
            return
        self._render(documents.output_path(path, fmt), self._saved)

    def save_pdf(self) -> None:
        self._save("pdf")

    def save_docx(self) -> None:
        self._save("docx")

    def _saved(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        path = outcome[0]
        self.last_output = path
        if path.suffix.lower() == ".pdf":
            self.last_pdf = path
            self._say(f"Đã lưu tệp PDF: {path}", GREEN)
        else:
            self._say(f"Đã lưu tệp Word: {path}", GREEN)

    def print_document(self) -> None:
        """Render the PDF, let the officer choose the printer and pages, print it."""
        self._render(self._temp_file(), self._choose_printer)

    def _choose_printer(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        pdf = outcome[0]
        self.last_pdf = pdf
        try:
            pages = documents.document_page_count(pdf)
        except ParAppError as err:
            self._say(str(err), RED)
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.document().label)
        printer.setFromTo(1, pages)
        if not self.ask_printer(printer, pages):
            self._say("Chưa in: đã đóng hộp thoại máy in.")
            return
        self._printer = printer  # alive until the job ends

        def job(progress: ProgressFn, cancelled: CancelFn) -> int:
            return print_pdf_to_printer(printer, pdf, progress, cancelled)

        self._start(job, self._printed, "Đang gửi tài liệu tới máy in…")

    def _printed(self, outcome: object) -> None:
        assert isinstance(outcome, int)
        self.printed_pages = outcome
        self._say(f"Đã gửi {outcome} trang tới máy in.", GREEN)

    def done(self, result: int) -> None:
        """Closing: wait for a running job (seconds), keep the fields, remove temp files."""
        if self.task is not None:
            return
        self.preview_timer.stop()
        self.remember()
        self._clear_pages()
        with contextlib.suppress(OSError):
            self._temp.cleanup()
        super().done(result)
