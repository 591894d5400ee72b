"""The printed report of a real workspace, read back with poppler: the Decree 30 heading,
number and date, Nơi nhận, the signer's authority form, the officer's words, DỰ THẢO."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from docx import Document

from parapp.models.print_data import DocumentOptions
from parapp.models.text import format_number
from parapp.services import unit_keys
from parapp.services.commune import narrative, printing, submission
from parapp.services.workspace import Workspace
from tests.interchange.test_pdf_documents import MM, Word, pdf_text, pdf_words
from tests.services.helpers import setup_ws

PASS = "mat-khau-du-dai"
MIDDLE = (30 + (210 - 45) / 2) * MM  # centre of the text block, in points


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARAPP_KDF_PROFILE", "interactive")


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = setup_ws(tmp_path / "ws")
    w.set_answer("1.1.1", value=1, explanation="QĐ số 12/QĐ-UBND")
    ev = tmp_path / "Quyết định 12.pdf"
    ev.write_bytes(b"%PDF-1.4 " + b"x" * 3000)
    w.add_evidence("1.1.1", ev, ref="trang 1")
    yield w  # type: ignore[misc]
    w.close()


def _line(words: list[Word], text: str) -> list[Word]:
    """The words of the first line (same page, same baseline) that reads ``text``."""
    parts = text.split()
    for n, w in enumerate(words):
        run = words[n : n + len(parts)]
        if [x.text for x in run] == parts and all(
            x.page == w.page and abs(x.y1 - w.y1) < 1 for x in run
        ):
            return run
    raise AssertionError(f"“{text}” not found")


def _print(ws: Workspace, tmp_path: Path, **kw: object) -> Path:
    out = tmp_path / "bao-cao.pdf"
    printing.print_report(ws, out, options=DocumentOptions(**kw))  # type: ignore[arg-type]
    return out


def test_heading_number_date_recipients_and_vice_chairman(ws: Workspace, tmp_path: Path) -> None:
    out = _print(
        ws,
        tmp_path,
        number="27",
        date=datetime.date(2026, 2, 5),
        approver="Lê Thị Hoa",
        position="Phó Chủ tịch UBND",
        recipients=("Sở Nội vụ thành phố Đà Nẵng", "Thường trực Đảng ủy phường", "Lưu: VT, VP"),
    )
    words = pdf_words(out)
    # issuer: the committee's name in full on two lines, top-left, nothing above it
    first, second = _line(words, "ỦY BAN NHÂN DÂN"), _line(words, "PHƯỜNG ĐIỆN BÀN")
    assert first[0].page == second[0].page == 1
    assert first[0].y0 < second[0].y0 < 45 * MM
    assert max(w.x1 for w in first + second) < (30 + 70) * MM
    above = [w for w in words if w.page == 1 and w.y1 < first[0].y0]
    assert [w.text for w in above] == ["DỰ", "THẢO"]
    assert "UBND" not in pdf_text(out, 1, 1).split("CỘNG HÒA")[0]
    # number left, date right, on one line under the heading
    number = _line(words, "Số: 27/BC-UBND")
    date = _line(words, "Điện Bàn, ngày 05 tháng 02 năm 2026")
    column = (30 + 70) * MM  # the heading's left column is 70 mm wide
    assert number[-1].x1 < column < date[0].x0 and abs(number[0].y1 - date[0].y1) < 3
    # subject in bold lower case, body names the committee
    text = pdf_text(out)
    assert "BÁO CÁO Kết quả tự đánh giá, chấm điểm" in text
    assert "Ủy ban nhân dân phường Điện Bàn báo cáo kết quả" in text
    assert "NGƯỜI LẬP" not in text
    # Nơi nhận bottom-left, the vice-chairman's authority form bottom-right, same page
    recv = _line(words, "Nơi nhận:")
    tm = _line(words, "TM. ỦY BAN NHÂN DÂN")
    kt = _line(words, "KT. CHỦ TỊCH")
    pct = _line(words, "PHÓ CHỦ TỊCH")
    name = _line(words, "Lê Thị Hoa")
    assert recv[0].page == tm[0].page == kt[0].page == name[0].page
    assert recv[-1].x1 < MIDDLE < tm[0].x0
    assert tm[0].y1 < kt[0].y1 < pct[0].y1 < name[0].y1
    assert name[0].y0 - pct[0].y1 > 20 * MM  # room to sign and stamp
    assert abs(recv[0].y0 - tm[0].y0) < 3
    items = ("- Sở Nội vụ thành phố Đà Nẵng;", "- Thường trực Đảng ủy phường;", "- Lưu: VT, VP.")
    for item in items:
        line = _line(words, item)
        assert line[0].x0 < MIDDLE and line[0].y0 > recv[0].y0


def test_defaults_leave_number_and_date_to_write_by_hand(ws: Workspace, tmp_path: Path) -> None:
    out = _print(ws, tmp_path)
    words = pdf_words(out)
    number, symbol = _line(words, "Số:"), _line(words, "/BC-UBND")
    assert abs(number[0].y1 - symbol[0].y1) < 1 and symbol[0].x0 - number[0].x1 > 8 * MM
    _line(words, "Điện Bàn, ngày …… tháng …… năm ……")
    text = pdf_text(out)
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text
    assert "- Sở Nội vụ thành phố Đà Nẵng (để báo cáo); - Lưu: VT, VP." in text


def test_draft_mark_until_the_data_matches_a_submitted_revision(
    ws: Workspace, tmp_path: Path
) -> None:
    words = pdf_words(_print(ws, tmp_path))
    draft = _line(words, "DỰ THẢO")
    assert draft[0].page == 1 and draft[0].x0 > MIDDLE and draft[0].y0 < 30 * MM

    unit_keys.create_key(ws, PASS)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    rev, _ = submission.export_bundle(
        ws, out_dir, unit_keys.unlock(ws, PASS), "Trần Văn Bình", confirm_all_unscored=True
    )
    text = pdf_text(_print(ws, tmp_path))
    assert "DỰ THẢO" not in text
    assert "XÁC THỰC BẢN ĐIỆN TỬ" in text and rev.key_fingerprint in text
    frozen = datetime.datetime.fromisoformat(rev.frozen_at).astimezone(
        datetime.timezone(datetime.timedelta(hours=7))
    )
    assert f"chốt số liệu lúc {frozen:%H} giờ {frozen:%M}, ngày {frozen:%d/%m/%Y}" in text
    assert rev.frozen_at not in text

    ws.set_answer("1.2", self_score=1.5)  # the paper would no longer match the bundle
    text = pdf_text(_print(ws, tmp_path))
    assert text.startswith("DỰ THẢO") and "XÁC THỰC" not in text


def test_the_officers_words_are_printed_and_frozen(ws: Workspace, tmp_path: Path) -> None:
    narrative.set_section(ws, "causes", "Nguyên nhân chủ quan: cán bộ kiêm nhiệm nhiều việc.")
    narrative.set_section(ws, "recommendations", "Đề nghị Sở Nội vụ tổ chức tập huấn.")
    text = pdf_text(_print(ws, tmp_path))
    assert "2. Nguyên nhân Nguyên nhân chủ quan: cán bộ kiêm nhiệm nhiều việc." in text
    assert "V. KIẾN NGHỊ, ĐỀ XUẤT Đề nghị Sở Nội vụ tổ chức tập huấn." in text
    assert "Lĩnh vực" in text  # the other sections print the app's draft
    unit_keys.create_key(ws, PASS)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    rev, _ = submission.export_bundle(
        ws, out_dir, unit_keys.unlock(ws, PASS), "Trần Văn Bình", confirm_all_unscored=True
    )
    assert rev.document["narrative"]["causes"].startswith("Nguyên nhân chủ quan")
    narrative.set_section(ws, "causes", "Nguyên nhân khác.")
    assert submission.has_unsubmitted_changes(ws)  # the words are part of the submission


def test_the_opening_basis_is_the_officers_when_written(ws: Workspace, tmp_path: Path) -> None:
    fw_line = pdf_text(_print(ws, tmp_path))
    assert "Căn cứ " + ws.current_framework().name in fw_line  # the draft: the framework
    basis = (
        "Căn cứ Quyết định số 2712/QĐ-UBND ngày 31/10/2025 của UBND tỉnh Sơn La;\n"
        "Căn cứ Kế hoạch số 15/KH-UBND ngày 05/01/2026 của UBND phường;"
    )
    narrative.set_section(ws, "basis", basis)
    text = pdf_text(_print(ws, tmp_path))
    assert "Căn cứ Quyết định số 2712/QĐ-UBND ngày 31/10/2025 của UBND tỉnh Sơn La;" in text
    assert "Căn cứ Kế hoạch số 15/KH-UBND ngày 05/01/2026 của UBND phường;" in text
    assert "Căn cứ " + ws.current_framework().name not in text
    docx = tmp_path / "bao-cao.docx"
    printing.print_report(ws, docx, "Trần Văn Bình", "Chủ tịch UBND")
    body = [p.text for p in Document(str(docx)).paragraphs]
    assert "Căn cứ Kế hoạch số 15/KH-UBND ngày 05/01/2026 của UBND phường;" in body


def _signature_never_alone(pdf: Path) -> None:
    words = pdf_words(pdf)
    recv = _line(words, "Nơi nhận:")
    above = [
        w for w in words if w.page == recv[0].page and w.y1 < recv[0].y0 - 1 and w.y0 > 20 * MM
    ]
    assert len(above) >= 5, f"page {recv[0].page} holds only the signature block"


@pytest.mark.parametrize("lines", [1, 9, 17, 26, 34, 43, 52, 61, 75, 90])
def test_no_page_holds_only_the_signature_block(ws: Workspace, tmp_path: Path, lines: int) -> None:
    """Recommendations of growing length push the closing over several page ends."""
    text = "\n".join(
        f"Kiến nghị số {n}: đề nghị cấp trên hỗ trợ kinh phí số hóa hồ sơ, đào tạo công chức."
        for n in range(1, lines + 1)
    )
    narrative.set_section(ws, "recommendations", text)
    out = _print(ws, tmp_path)
    assert f"Kiến nghị số {lines}:" in pdf_text(out)
    _signature_never_alone(out)


def test_the_report_states_what_a_communes_own_report_states(ws: Workspace, tmp_path: Path) -> None:
    """Side by side with a real one (xã Quảng Phước, "Báo cáo kết quả tự chấm điểm chỉ số
    CCHC năm 2020": its total "38,75/50 điểm (có bảng phụ lục kèm theo)", how the evidence
    was sent, each group's maximum and self-score), nothing has to be typed again."""
    out = _print(ws, tmp_path)
    text = pdf_text(out)
    totals = ws.rollup().nodes
    fw = ws.current_framework()
    self_total = sum(totals[a.code].self_score for a in fw.areas)
    assert f"Tổng điểm tự đánh giá: {format_number(self_total)}/" in text
    assert (
        "Về tài liệu kiểm chứng: 1 tệp cho 1 tiêu chí thành phần, gửi kèm hồ sơ điện tử có "
        "chữ ký số của Ủy ban nhân dân"
    ) in text
    first = fw.areas[0]
    node = totals[first.code]
    assert (
        f"đạt {format_number(node.self_score)}/{format_number(node.assessable_max)} điểm"
    ) in text
    assert "KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHI TIẾT" in text  # the appendix the total refers to
    assert "(Kèm theo Báo cáo số" in text and "Quyết định 12.pdf" in text
