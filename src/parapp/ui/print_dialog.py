"""“In / Lưu PDF”: the official A4 documents, previewed, saved or sent to the PDF reader.

Commune PCs print from their PDF reader, so "In…" opens the rendered PDF in the system
viewer instead of driving a printer from here. The preview draws the pages with poppler's
``pdftoppm`` when it is installed (PySide6-Essentials has no QtPdf); otherwise the PDF opens
in the system viewer and the dialog says so. Rendering reads the workspace and runs
reportlab, which takes a moment on a long report: it runs in a :class:`BackgroundTask`.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from parapp.services import documents
from parapp.services.commune import printing
from parapp.services.office import printing as office_printing
from parapp.services.workspace import Workspace
from parapp.ui.session import Session
from parapp.ui.workers import BackgroundTask, CancelFn, ProgressFn

RED = "#c5221f"
GREEN = "#188038"
PREVIEW_DPI = 60
MAX_PREVIEW_PAGES = 20
DEFAULT_POSITION = "Chủ tịch UBND"
PRINT_HINT = (
    "“In…” mở tệp PDF bằng trình đọc PDF của máy (Adobe Reader, Foxit, trình duyệt…); in từ "
    "đó bằng Ctrl+P."
)

Render = Callable[[Workspace, Path, str, str], Path]


@dataclass(frozen=True)
class Document:
    """One printable document: its label, file-name stem and how to render it."""

    key: str
    label: str
    stem: str
    render: Render
    needs_approver: bool = False


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
            lambda w, out, _a, _p: printing.print_blank_form(w, out),
        ),
        Document(
            "report",
            "Báo cáo kết quả tự đánh giá",
            "bao-cao-tu-danh-gia",
            lambda w, out, a, p: printing.print_report(w, out, a, p),
            needs_approver=True,
        ),
        Document(
            "tasks",
            "Danh sách nhiệm vụ",
            "danh-sach-nhiem-vu",
            lambda w, out, _a, _p: printing.print_tasks(w, out),
        ),
    ]
    unit = ws.own_unit()
    children = ws.units.children(unit.code) if unit is not None else []
    if not children:
        return docs

    def ranking(w: Workspace, out: Path, _a: str, _p: str) -> Path:
        office_printing.print_ranking(w, out, _period(w))
        return out

    docs.append(Document("ranking", "Bảng xếp hạng các đơn vị", "bang-xep-hang", ranking))
    for child in children:

        def appraisal(w: Workspace, out: Path, _a: str, _p: str, code: str = child.code) -> Path:
            office_printing.print_appraisal(w, code, out, _period(w))
            return out

        docs.append(
            Document(
                f"appraisal:{child.code}",
                f"Kết quả thẩm định của đơn vị {child.name}",
                f"ket-qua-tham-dinh-{child.code}",
                appraisal,
            )
        )
    return docs


def render_pages(pdf: Path, out_dir: Path, dpi: int = PREVIEW_DPI) -> list[Path]:
    """PNG pictures of the first pages via ``pdftoppm`` ([] when poppler is not installed)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    prefix = out_dir / "trang"
    try:
        subprocess.run(
            [tool, "-png", "-r", str(dpi), "-l", str(MAX_PREVIEW_PAGES), str(pdf), str(prefix)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(out_dir.glob("trang*.png"))


class PrintDialog(QDialog):
    """Choose a document, preview it, save it as PDF or open it for printing."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: BackgroundTask | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="parapp-in-")
        self._renders = 0
        self.last_pdf: Path | None = None
        self.preview_images: list[Path] = []
        self.setWindowTitle("In / Lưu PDF")
        self.resize(760, 680)

        self.documents = available_documents(session.ws)
        self.doc_combo = QComboBox()
        for doc in self.documents:
            self.doc_combo.addItem(doc.label, doc.key)
        self.doc_combo.currentIndexChanged.connect(self._document_changed)
        self.approver_edit = QLineEdit()
        self.approver_edit.setPlaceholderText("Họ và tên lãnh đạo ký duyệt")
        self.position_edit = QLineEdit(DEFAULT_POSITION)
        sig = documents.signature_block(session.ws) if session.ws.current_assessment() else None
        if sig is not None and sig.approver:
            self.approver_edit.setText(sig.approver)
            self.position_edit.setText(self._last_position() or DEFAULT_POSITION)
        form = QFormLayout()
        form.addRow("&Tài liệu:", self.doc_combo)
        self.approver_caption = QLabel("Người &ký duyệt:")
        self.approver_caption.setBuddy(self.approver_edit)
        self.position_caption = QLabel("&Chức vụ:")
        self.position_caption.setBuddy(self.position_edit)
        form.addRow(self.approver_caption, self.approver_edit)
        form.addRow(self.position_caption, self.position_edit)

        self.preview_button = QPushButton("&Xem trước")
        self.save_button = QPushButton("&Lưu PDF…")
        self.print_button = QPushButton("&In…")
        close = QPushButton("Đó&ng")
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pdf)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        hint = QLabel(PRINT_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
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

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.preview_area, 1)
        self._document_changed()

    def _last_position(self) -> str:
        from parapp.services.commune.submission import revisions

        revs = revisions(self.session.ws)
        return revs[-1].approver_position if revs else ""

    def document(self) -> Document:
        return self.documents[max(self.doc_combo.currentIndex(), 0)]

    def select_document(self, key: str) -> None:
        index = self.doc_combo.findData(key)
        if index >= 0:
            self.doc_combo.setCurrentIndex(index)

    def _document_changed(self) -> None:
        needs = self.document().needs_approver
        for w in (self.approver_caption, self.approver_edit, self.position_caption):
            w.setVisible(needs)
        self.position_edit.setVisible(needs)

    # -- the native dialog and the system viewer (tests replace these methods) --------------
    def ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Lưu PDF", suggested, "Tệp PDF (*.pdf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def open_external(self, path: Path) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- rendering ----------------------------------------------------------------------------
    def busy(self) -> bool:
        return self.task is not None

    def _temp_pdf(self) -> tuple[Path, Path]:
        """A fresh temp PDF path and its own folder for preview pictures."""
        self._renders += 1
        folder = Path(self._temp.name) / f"lan-{self._renders}"
        folder.mkdir()
        return folder / f"{self.document().stem}.pdf", folder

    def _render(self, out: Path, preview_dir: Path | None, then: Callable[[object], None]) -> None:
        if self.task is not None:
            return
        doc = self.document()
        ws = self.session.ws
        approver = self.approver_edit.text().strip()
        position = self.position_edit.text().strip()

        def job(_progress: ProgressFn, _cancelled: CancelFn) -> tuple[Path, list[Path]]:
            pdf = doc.render(ws, out, approver, position)
            images = render_pages(pdf, preview_dir) if preview_dir is not None else []
            return pdf, images

        task = BackgroundTask(job, self)
        task.finished.connect(then)
        task.failed.connect(self._failed)
        task.done.connect(self._done)
        self.task = task
        self._set_working(True)
        self._say("Đang tạo tệp PDF…")
        task.start()

    def _set_working(self, on: bool) -> None:
        self.progress_bar.setVisible(on)
        for b in (self.preview_button, self.save_button, self.print_button, self.doc_combo):
            b.setEnabled(not on)

    def _done(self) -> None:
        self.task = None
        self._set_working(False)

    def _failed(self, message: str) -> None:
        self._say(message, RED)

    def _say(self, text: str, color: str = "") -> None:
        self.status_label.setStyleSheet(f"color: {color};" if color else "")
        self.status_label.setText(text)

    def preview(self) -> None:
        out, folder = self._temp_pdf()
        self._render(out, folder, self._show_preview)

    def _show_preview(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        pdf, images = outcome
        self.last_pdf = pdf
        self.preview_images = list(images)
        self._clear_pages()
        if images:
            for image in images:
                label = QLabel()
                label.setPixmap(QPixmap(str(image)))
                label.setStyleSheet("background: white; border: 1px solid #5f6368;")
                self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            more = " (chỉ hiện 20 trang đầu)" if len(images) >= MAX_PREVIEW_PAGES else ""
            self._say(f"Xem trước {len(images)} trang{more}.", GREEN)
            return
        opened = self.open_external(pdf)
        if opened:
            self._say(
                "Bản xem trước đã được mở bằng trình đọc PDF của máy (máy này thiếu công cụ vẽ "
                f"trang PDF của ParApp): {pdf}"
            )
        else:
            self._say(
                f"Không vẽ được bản xem trước và không mở được trình đọc PDF. Tệp tạm ở: {pdf}",
                RED,
            )

    def _clear_pages(self) -> None:
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def save_pdf(self) -> None:
        doc = self.document()
        unit = self.session.ws.own_unit()
        suggested = f"{doc.stem}-{unit.code}.pdf" if unit else f"{doc.stem}.pdf"
        path = self.ask_save_path(suggested)
        if path is None:
            return
        self._render(path, None, self._saved)

    def _saved(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        self.last_pdf = outcome[0]
        self._say(f"Đã lưu tệp PDF: {outcome[0]}", GREEN)

    def print_pdf(self) -> None:
        # Not in the dialog's temp folder: the PDF reader may still read it after we close.
        out = Path(tempfile.mkdtemp(prefix="parapp-in-")) / f"{self.document().stem}.pdf"
        self._render(out, None, self._open_for_printing)

    def _open_for_printing(self, outcome: object) -> None:
        assert isinstance(outcome, tuple)
        pdf = outcome[0]
        self.last_pdf = pdf
        if self.open_external(pdf):
            self._say(
                "Đã mở tệp PDF bằng trình đọc PDF của máy. Hãy in từ cửa sổ đó (Ctrl+P).", GREEN
            )
        else:
            self._say(
                f"Không mở được trình đọc PDF. Hãy lưu PDF rồi in từ tệp đã lưu. Tệp tạm: {pdf}",
                RED,
            )

    def done(self, result: int) -> None:
        """Closing: wait for a running render (seconds), then remove the temporary files."""
        if self.task is not None:
            return
        self._clear_pages()
        with contextlib.suppress(OSError):
            self._temp.cleanup()
        super().done(result)
