"""Build the sample evidence scans of the demo workspace (``resources/demo/*.pdf``).

Small one-page A4 PDFs that look like the documents a commune attaches (a decision, a
report, minutes), so the demo shows real files that open in any viewer. Deterministic
(``invariant=1``), so rebuilding gives the same bytes. Usage: ``python tools/make_demo_files.py``.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "resources" / "demo"
FONTS = REPO / "resources" / "fonts"

DOCUMENTS = {
    "quyet-dinh-ke-hoach-cchc.pdf": (
        "QUYẾT ĐỊNH",
        "Về việc ban hành Kế hoạch cải cách hành chính năm 2026",
        [
            "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính",
            "năm 2026 của Ủy ban nhân dân phường Điện Bàn.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        ],
    ),
    "bao-cao-ket-qua-giai-quyet-tthc.pdf": (
        "BÁO CÁO",
        "Kết quả giải quyết thủ tục hành chính 9 tháng đầu năm 2026",
        [
            "Tổng số hồ sơ tiếp nhận: 1.500; đã giải quyết đúng hạn: 1.470 (98,00%).",
            "Số hồ sơ quá hạn: 30; đã xin lỗi người dân bằng văn bản: 30.",
        ],
    ),
    "bien-ban-kiem-tra-cong-vu.pdf": (
        "BIÊN BẢN",
        "Kiểm tra công vụ quý III năm 2026",
        [
            "Thành phần: Tổ kiểm tra công vụ phường Điện Bàn.",
            "Kết quả: 12 công chức được kiểm tra, không phát hiện vi phạm.",
        ],
    ),
}


def build(out: Path = OUT) -> list[Path]:
    pdfmetrics.registerFont(TTFont("DemoSerif", str(FONTS / "LiberationSerif-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("DemoSerifBold", str(FONTS / "LiberationSerif-Bold.ttf")))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (kind, subject, lines) in DOCUMENTS.items():
        path = out / name
        c = Canvas(str(path), pagesize=A4, invariant=1)
        c.setTitle(f"{kind} — {subject}")
        width, height = A4
        c.setFont("DemoSerifBold", 12)
        c.drawCentredString(55 * mm, height - 25 * mm, "ỦY BAN NHÂN DÂN")
        c.drawCentredString(55 * mm, height - 31 * mm, "PHƯỜNG ĐIỆN BÀN")
        c.drawCentredString(140 * mm, height - 25 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        c.drawCentredString(140 * mm, height - 31 * mm, "Độc lập - Tự do - Hạnh phúc")
        c.setFont("DemoSerifBold", 14)
        c.drawCentredString(width / 2, height - 55 * mm, kind)
        c.setFont("DemoSerifBold", 13)
        c.drawCentredString(width / 2, height - 62 * mm, subject)
        c.setFont("DemoSerif", 13)
        y = height - 80 * mm
        for line in lines:
            c.drawString(25 * mm, y, line)
            y -= 8 * mm
        c.setFont("DemoSerif", 10)
        c.drawString(25 * mm, 20 * mm, "Tài liệu mẫu của ParApp (dữ liệu trình diễn).")
        c.showPage()
        c.save()
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
