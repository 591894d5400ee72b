"""Regenerate docs/samples/: every printed document as the app prints it, PDF, DOCX and PNG.

Nothing here is hand-written sample data: the script builds real workspaces through the
services (the same calls the CLI and the UI make): four wards of Đà Nẵng fill in the
embedded default PAR framework, attach evidence, write their report's own words and
export signed bundles; the city's People's Committee trusts their keys, imports the
bundles, appraises two of them and ranks them. Then each document is printed as PDF and
.docx, and the first page of each PDF is drawn as a PNG (``pdftoppm``) to look at.

Run ``python tools/make_samples.py [FOLDER]`` (default ``docs/samples``) from the worktree
root with the sources on the path; the passphrase KDF runs in its quick profile.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from parapp.models.tasks import TaskStatus
from parapp.models.units import Unit, UnitLevel
from parapp.services import defaults, documents, trusted_keys, unit_keys
from parapp.services.commune import narrative, printing, submission
from parapp.services.office import appraisal, inbox
from parapp.services.office import printing as office_printing
from parapp.services.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
PASS = "mat-khau-mau-2026"
PERIOD = "2026"
CITY = Unit("48", "Thành phố Đà Nẵng", UnitLevel.PROVINCE)
WARDS = (
    Unit("20551", "Phường Điện Bàn", UnitLevel.COMMUNE, "48", "Thành phố Đà Nẵng"),
    Unit("20554", "Phường Điện Bàn Bắc", UnitLevel.COMMUNE, "48", "Thành phố Đà Nẵng"),
    Unit("20557", "Phường Điện Bàn Đông", UnitLevel.COMMUNE, "48", "Thành phố Đà Nẵng"),
    Unit("20560", "Phường An Thắng", UnitLevel.COMMUNE, "48", "Thành phố Đà Nẵng"),
)
SIGNED_ON = datetime.date(2026, 12, 2)

CAUSES = (
    "Nguyên nhân chủ quan: một số công chức kiêm nhiệm nhiều việc, chưa bố trí đủ thời gian "
    "cho công tác cải cách hành chính; việc lưu trữ hồ sơ, tài liệu kiểm chứng chưa khoa học.\n"
    "Nguyên nhân khách quan: khối lượng hồ sơ thủ tục hành chính tăng sau khi sắp xếp đơn vị "
    "hành chính; hạ tầng công nghệ thông tin tại Bộ phận Một cửa chưa đồng bộ."
)
RECOMMENDATIONS = (
    "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ tự đánh giá, chấm điểm Chỉ số cải cách "
    "hành chính cho công chức cấp xã.\n"
    "Đề nghị Ủy ban nhân dân thành phố quan tâm bố trí kinh phí nâng cấp trang thiết bị "
    "tại Bộ phận Một cửa phường."
)


def fill(ws: Workspace, folder: Path, strength: int) -> None:
    """Answer every self-assessable item of the default framework; ``strength`` (0–3)
    makes some wards score lower, leave explanations or evidence out."""
    fw = ws.current_framework()
    for n, c in enumerate(c for c in fw.leaves() if not c.survey_only):
        weak = (n + strength) % 5 == 0
        kind = c.rule.kind.value
        if kind == "bands" and c.rule.measure == "%":
            total = 40 + n % 7
            done = total - (3 + strength if weak else 0)
            ws.set_answer(c.code, numerator=done, denominator=total)
        elif kind == "yes_no":
            ws.set_answer(c.code, value=0.0 if weak and strength else 1.0)
        elif kind == "bands":
            ws.set_answer(c.code, value=c.rule.bands[0].threshold or 1.0)
        else:
            score = c.max_points / 2 if weak else c.max_points
            ws.set_answer(c.code, self_score=round(score / fw.score_step) * fw.score_step)
        if weak:
            ws.set_answer(
                c.code,
                explanation="Đơn vị đã triển khai nhưng còn chậm so với kế hoạch; một số nội "
                "dung chưa được công khai trên Trang thông tin điện tử do thiếu nhân lực.",
            )
        else:
            ws.set_answer(c.code, explanation="Đã thực hiện đầy đủ, đúng thời hạn theo kế hoạch.")
        if (n + strength) % 4:
            doc = folder / f"Quyết định số {n + 10}-QĐ-UBND về {c.code}.pdf"
            doc.write_bytes(b"%PDF-1.4\n% tai lieu kiem chung " + c.code.encode() + b"\n")
            ws.add_evidence(c.code, doc, ref="tr. 1-2")


def ward(root: Path, unit: Unit, strength: int) -> tuple[Path, Path]:
    """One ward's workspace, filled and submitted: (bundle, public key file)."""
    ws = Workspace.open(root / unit.code, backup=False)
    try:
        defaults.install_defaults(ws)
        ws.set_own_unit(unit, CITY)
        ws.set_officer("Nguyễn Văn An", "Công chức Văn phòng - Thống kê")
        plans = [str(p["id"]) for p in ws.tasks.plans()]
        if plans:
            ws.set_current_plan(plans[0])
            plan = ws.tasks.get_plan(plans[0])
            parents = {t.parent_code for t in plan.tasks if t.parent_code}
            work = [t for t in plan.tasks if t.code not in parents]
            for n, task in enumerate(work):  # the plan as it stands late in the year
                status = (TaskStatus.DONE, TaskStatus.DONE, TaskStatus.IN_PROGRESS)[n % 3]
                if n % 7 != 6:
                    ws.set_task_status(plans[0], task.code, status)
        ws.start_assessment(defaults.default_par_id(ws), PERIOD)
        evidence = root / f"{unit.code}-evidence"
        evidence.mkdir()
        fill(ws, evidence, strength)
        narrative.adopt_draft(ws)
        narrative.set_section(ws, "causes", CAUSES)
        narrative.set_section(ws, "recommendations", RECOMMENDATIONS)
        unit_keys.create_key(ws, PASS)
        pub = root / f"{unit.code}.pub"
        unit_keys.export_public(ws, pub)
        out = root / "bundles"
        out.mkdir(exist_ok=True)
        _rev, result = submission.export_bundle(
            ws, out, unit_keys.unlock(ws, PASS), "Trần Văn Đức", "Chủ tịch UBND",
            confirm_all_unscored=True,
        )  # fmt: skip
        return result.path, pub
    finally:
        ws.close()


def commune_documents(root: Path, folder: Path) -> list[Path]:
    """The first ward's own documents: the report (submitted, then a changed draft signed by
    a vice-chairman), the blank form and the task plan appendix."""
    ws = Workspace.open(root / WARDS[0].code, backup=False)
    out: list[Path] = []
    try:
        opts = documents.document_options(
            number="125", date_text=SIGNED_ON.strftime("%d/%m/%Y"), approver="Trần Văn Đức"
        )
        for fmt in ("pdf", "docx"):
            out.append(printing.print_report(ws, folder / f"report.{fmt}", options=opts))
            out.append(printing.print_blank_form(ws, folder / f"blank-form.{fmt}"))
            out.append(
                printing.print_tasks(ws, folder / f"tasks.{fmt}", options=opts, today=SIGNED_ON)
            )
        first = ws.current_framework().leaves()
        code = next(c.code for c in first if not c.survey_only)
        ws.set_answer(code, explanation="Đã bổ sung báo cáo quý IV.")  # now a draft again
        vice = documents.document_options(approver="Lê Thị Hoa", position="Phó Chủ tịch UBND")
        out.append(printing.print_report(ws, folder / "report-draft.pdf", options=vice))
    finally:
        ws.close()
    return out


def office_documents(
    root: Path, folder: Path, bundles: list[tuple[Unit, Path, Path]]
) -> list[Path]:
    """The city's ranking of the wards and one appraisal."""
    ws = Workspace.open(root / "office", backup=False)
    out: list[Path] = []
    try:
        defaults.install_defaults(ws)
        ws.set_own_unit(CITY)
        for unit in WARDS:
            ws.add_unit(unit)
        ws.add_unit(Unit("20563", "Phường Điện Bàn Tây", UnitLevel.COMMUNE, "48"))  # no bundle
        for unit, bundle, pub in bundles:
            trusted_keys.enrol_key_file(ws, unit.code, pub)
            inbox.import_bundle(ws, bundle)
        for unit, _bundle, _pub in bundles[:2]:
            appraisal.accept_self_scores(ws, unit.code, period=PERIOD)
        ua = appraisal.unit_appraisal(ws, WARDS[0].code, PERIOD)
        step = ua.framework.score_step
        lowered = [i for i in ua.items if not i.survey_only and (i.self_score or 0) > 0][2:4]
        for item in lowered:
            appraisal.set_appraisal(
                ws,
                WARDS[0].code,
                item.code,
                round((item.self_score or 0) / 2 / step) * step,
                "Tài liệu kiểm chứng chưa thể hiện kết quả thực hiện; trừ một nửa số điểm.",
                PERIOD,
            )
        opts = documents.document_options(
            number="88",
            date_text=SIGNED_ON.strftime("%d/%m/%Y"),
            approver="Phạm Thị Ngọc Ánh",
            position="Phó Chủ tịch UBND",
        )
        for fmt in ("pdf", "docx"):
            out.append(
                office_printing.print_ranking(ws, folder / f"ranking.{fmt}", PERIOD, options=opts)
            )
            out.append(
                office_printing.print_appraisal(
                    ws, WARDS[0].code, folder / f"appraisal.{fmt}", PERIOD, options=opts
                )
            )
    finally:
        ws.close()
    return out


def first_page_png(pdf: Path) -> Path:
    prefix = pdf.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
        timeout=120,
    )
    return prefix.with_suffix(".png")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else REPO / "docs" / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PARAPP_KDF_PROFILE", "interactive")
    with tempfile.TemporaryDirectory(prefix="parapp-samples-") as tmp:
        root = Path(tmp)
        bundles = [(u, *ward(root, u, n)) for n, u in enumerate(WARDS)]
        files = commune_documents(root, folder) + office_documents(root, folder, bundles)
    for path in files:
        if path.suffix == ".pdf" and shutil.which("pdftoppm"):
            print(f"{path}  {first_page_png(path)}")
        else:
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
