"""The sign dialog: a commune officer signs the printed report with the token (SoftHSM2
here) or a PKCS#12 file, without leaving ParApp; wrong PIN shown in Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from parapp.interchange.pdf import render_report
from parapp.interchange.signing.pdf import SignerDetails, verify_pdf
from parapp.interchange.signing.trust import TrustStore, parse_certificates
from parapp.ui.commune.sign_dialog import LIBRARY_KEY, TITLE, SignDialog, signed_name
from tests.interchange import pdf_sample_data as sd
from tests.interchange.x509_fixtures import (
    P12_PASSWORD,
    SIGNER_NAME,
    TOKEN_LABEL,
    USER_PIN,
    Pki,
    shared_pki,
    shared_token,
)

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture
def report(tmp_path: Path) -> Path:
    fw = sd.default_framework()
    out = tmp_path / "bao-cao.pdf"
    render_report(
        fw, sd.sample_answers(fw), sd.sample_header(), sd.sample_signature(), out,
        "UBND xã Điện Bàn", "Năm 2026",
    )  # fmt: skip
    return out


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _dialog(qtbot: QtBot, report: Path, settings: QSettings) -> SignDialog:
    dlg = SignDialog(report, SignerDetails("Chủ tịch", "UBND xã Điện Bàn"), settings)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_sign_with_the_token(qtbot: QtBot, pki: Pki, report: Path, settings: QSettings) -> None:
    lib = shared_token()
    dlg = _dialog(qtbot, report, settings)
    assert dlg.windowTitle() == TITLE
    assert dlg.token_radio.isChecked() and not dlg.p12_edit.isEnabled()

    dlg.library_edit.setText(lib)
    dlg.token_edit.setText(TOKEN_LABEL)
    qtbot.keyClicks(dlg.pin_edit, "000000")
    qtbot.mouseClick(dlg.sign_button, LEFT)
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=30000)
    assert dlg.message_label.text().startswith("Mã PIN của USB token không đúng.")
    assert dlg.pin_edit.text() == ""  # never kept
    assert not signed_name(report).exists()

    qtbot.keyClicks(dlg.pin_edit, USER_PIN)
    qtbot.mouseClick(dlg.sign_button, LEFT)
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=30000)
    assert dlg.signers == [SIGNER_NAME], dlg.message_label.text()
    assert SIGNER_NAME in dlg.message_label.text()
    trust = TrustStore(tuple(parse_certificates(pki.root.pem() + pki.intermediate.pem())))
    result = verify_pdf(signed_name(report), trust)
    assert result.ok and result.signatures[0].signer == SIGNER_NAME

    # The library is remembered for next time; the PIN is not stored anywhere.
    settings.sync()
    assert settings.value(LIBRARY_KEY) == lib
    assert USER_PIN not in Path(settings.fileName()).read_text(encoding="utf-8")
    again = _dialog(qtbot, report, settings)
    assert again.library_edit.text() == lib and again.token_edit.text() == TOKEN_LABEL


def test_sign_with_a_pkcs12_file(
    qtbot: QtBot, pki: Pki, report: Path, settings: QSettings, tmp_path: Path
) -> None:
    dlg = _dialog(qtbot, report, settings)
    qtbot.mouseClick(dlg.file_radio, LEFT)
    assert dlg.p12_edit.isEnabled() and not dlg.token_edit.isEnabled()
    qtbot.mouseClick(dlg.sign_button, LEFT)
    assert dlg.message_label.text() == "Chưa chọn tệp chứng thư số."
    dlg.p12_edit.setText(str(pki.write_p12(pki.signer, "ui")))
    out = tmp_path / "ky.pdf"
    dlg.out_edit.setText(str(out))
    dlg.pin_edit.setText(P12_PASSWORD)  # QTest cannot type non-Latin-1 letters
    qtbot.mouseClick(dlg.sign_button, LEFT)
    qtbot.waitUntil(lambda: not dlg.busy(), timeout=30000)
    assert dlg.signers == [SIGNER_NAME], dlg.message_label.text()
    assert out.read_bytes().startswith(b"%PDF")
