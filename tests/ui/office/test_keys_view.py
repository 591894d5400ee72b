"""Keys page: states per child unit, fingerprint confirmation (mismatch refused), .pub file."""

from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from parapp.interchange import keys
from parapp.services import trusted_keys
from parapp.services.office import inbox
from parapp.ui.office.keys_view import FingerprintDialog, KeysView
from tests.ui.office.conftest import Office


def _states(view: KeysView) -> dict[str, str]:
    return {r.unit_code: r.state for r in view.model.rows}


def test_fingerprint_confirmation(
    imported: Office, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    view = KeysView(imported.session)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    assert _states(view) == {"X1": "đã xác minh", "X2": "đã xác minh",
                             "X3": "chưa xác minh khóa", "X4": "chưa có khóa"}  # fmt: skip
    fp = keys.fingerprint(imported.keypairs["X3"].public)
    row = next(r for r in view.model.rows if r.unit_code == "X3")
    assert row.pending_fingerprints == (fp,)

    answers = iter(["AAAA-BBBB-CCCC-DDDD", fp.lower().replace("-", " ")])
    seen: list[str] = []

    def run(dialog: FingerprintDialog) -> bool:
        for text in answers:  # first a wrong one, then the one read out on the phone
            dialog.fingerprint_edit.setText(text)
            dialog.confirm()
            if dialog.trusted is not None:
                return True
            seen.append(dialog.message.text())
        return False

    view.run_fingerprint_dialog = run  # type: ignore[method-assign]
    view.select_unit("X3")
    view.confirm_fingerprint()
    assert "không khớp" in seen[0] and "KHÔNG tin khóa này" in seen[0]
    assert _states(view)["X3"] == "đã xác minh"
    assert trusted_keys.trusted_key(imported.ws, "X3") == imported.keypairs["X3"].public
    assert fp in view.message.text()
    x3 = [e for e in inbox.inbox_entries(imported.ws) if e.unit_code == "X3"]
    assert [e.status for e in x3] == ["ok"]  # the received bundle is now verified


def test_mismatch_only_refuses(imported: Office, qtbot: QtBot) -> None:
    dialog = FingerprintDialog(imported.session, "X3", "Xã Ba")
    qtbot.addWidget(dialog)
    dialog.fingerprint_edit.setText("AAAA-BBBB-CCCC-DDDD")
    dialog.confirm()
    assert dialog.trusted is None and "không khớp" in dialog.message.text()
    assert trusted_keys.trusted_key(imported.ws, "X3") is None


def test_enrol_from_pub_file_and_no_selection(office: Office, qtbot: QtBot, tmp_path: Path) -> None:
    view = KeysView(office.session)
    qtbot.addWidget(view)
    view.confirm_fingerprint()
    assert "Hãy chọn một đơn vị" in view.message.text()
    kp = keys.generate_keypair()
    pub = tmp_path / "X4.pub"
    keys.write_public_key(kp.public, pub)
    view.ask_file = lambda _c, _p: pub  # type: ignore[method-assign]
    view.select_unit("X4")
    view.enrol_from_file()
    assert _states(view)["X4"] == "đã xác minh"
    assert trusted_keys.trusted_key(office.ws, "X4") == kp.public
    # the same key for a second unit: enrolled, but said loudly
    view.select_unit("X3")
    view.enrol_from_file()
    assert "cũng đang được tin cho đơn vị X4" in view.message.text()
