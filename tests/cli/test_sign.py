"""``parapp sign``, ``parapp pdf verify`` and ``parapp trust`` through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from parapp.cli import pdf, sign, trust
from parapp.interchange.pdf import render_report
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

cli = SimpleNamespace(  # the signature commands, as the CLI package wires them
    sign_command=sign.sign_command,
    pdf_group=pdf.pdf_group,
    trust_group=trust.trust_group,
    key_options=sign.key_options,
    sign_printed=sign.sign_printed,
    KEY_OPTION_NAMES=sign.KEY_OPTION_NAMES,
)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return shared_pki()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fw = sd.default_framework()
    out = tmp_path_factory.mktemp("cli") / "bao-cao.pdf"
    render_report(
        fw, sd.sample_answers(fw), sd.sample_header(), sd.sample_signature(), out,
        "UBND xã Điện Bàn", "Năm 2026",
    )  # fmt: skip
    return out


def test_trust_sign_and_verify(pki: Pki, report: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    data = str(tmp_path / "office")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.root.pem() + pki.intermediate.pem())

    signed = tmp_path / "signed.pdf"
    result = runner.invoke(
        cli.sign_command,
        [str(report), "--out", str(signed), "--p12", str(pki.write_p12(pki.signer, "s")),
         "--position", "Chủ tịch", "--agency", "UBND xã Điện Bàn", "--json"],
        env={"PARAPP_TOKEN_PIN": P12_PASSWORD},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["signers"] == [SIGNER_NAME]

    # Before the office trusts the CA: the signature is intact but not trusted, exit 1.
    untrusted = runner.invoke(cli.pdf_group, ["verify", str(signed), "--data-dir", data])
    assert untrusted.exit_code == 1
    assert "không do tổ chức chứng thực nào trong danh sách tin cậy" in untrusted.stdout
    assert "Toàn vẹn: có; được tin cậy: không" in untrusted.stdout

    added = runner.invoke(cli.trust_group, ["add-cert", str(ca), "--data-dir", data])
    assert added.exit_code == 0, added.output
    assert "Đã nhập 2 chứng thư" in added.stdout
    crl = pki.write_crl([], "empty")
    assert runner.invoke(cli.trust_group, ["add-crl", str(crl), "--data-dir", data]).exit_code == 0
    listing = runner.invoke(cli.trust_group, ["list", "--json", "--data-dir", data])
    doc = json.loads(listing.stdout)
    assert [c["kind"] for c in doc["certificates"]] == ["root", "intermediate"]
    assert doc["crls"][0]["issuer"] == "ParApp Test Issuing CA"
    text = runner.invoke(cli.trust_group, ["list", "--data-dir", data]).stdout
    assert "[gốc] ParApp Test Root CA" in text and "[CRL] ParApp Test Issuing CA" in text

    ok = runner.invoke(cli.pdf_group, ["verify", str(signed), "--json", "--data-dir", data])
    assert ok.exit_code == 0, ok.output
    verdict = json.loads(ok.stdout)
    assert verdict["ok"] is True
    (sig,) = verdict["signatures"]
    assert sig["signer"] == SIGNER_NAME and sig["trusted"] and sig["intact"]
    assert sig["chain"][0] == "ParApp Test Root CA"
    assert sig["modified_after_signing"] is False
    assert len(sig["signing_time"]) == len("02/12/2026 19:46")


def test_sign_with_the_token(pki: Pki, report: Path, tmp_path: Path) -> None:
    lib = shared_token()
    runner = CliRunner()
    signed = tmp_path / "token.pdf"
    args = [str(report), "--out", str(signed), "--pkcs11-lib", lib, "--token-label", TOKEN_LABEL]
    result = runner.invoke(cli.sign_command, args, env={"PARAPP_TOKEN_PIN": USER_PIN})
    assert result.exit_code == 0, result.output
    assert f"người ký: {SIGNER_NAME}" in result.stdout

    wrong = runner.invoke(cli.sign_command, args, env={"PARAPP_TOKEN_PIN": "999999"})
    assert wrong.exit_code == 1
    assert "Lỗi: Mã PIN của USB token không đúng." in wrong.stderr
    assert "Traceback" not in wrong.output


def test_user_errors_are_vietnamese_without_traceback(
    pki: Pki, report: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = str(tmp_path / "x.pdf")
    both = runner.invoke(
        cli.sign_command,
        [str(report), "--out", out, "--pkcs11-lib", "x.dll", "--p12", str(report)],
        env={"PARAPP_TOKEN_PIN": "1"},
    )
    assert both.exit_code == 1 and "Chọn đúng một nguồn khóa" in both.stderr
    no_pin = runner.invoke(
        cli.sign_command,
        [str(report), "--out", out, "--p12", str(pki.write_p12(pki.signer, "n"))],
        env={"PARAPP_TOKEN_PIN": None},
    )
    assert no_pin.exit_code == 1 and "PARAPP_TOKEN_PIN" in no_pin.stderr
    expired = runner.invoke(
        cli.sign_command,
        [str(report), "--out", out, "--p12", str(pki.write_p12(pki.expired, "e"))],
        env={"PARAPP_TOKEN_PIN": P12_PASSWORD},
    )
    assert expired.exit_code == 1 and "đã hết hạn" in expired.stderr
    assert not Path(out).exists()
    person = runner.invoke(
        cli.trust_group,
        ["add-cert", str(pki.write_pem(pki.signer, "p")), "--data-dir", str(tmp_path / "d")],
    )
    assert person.exit_code == 1 and "không phải của tổ chức chứng thực" in person.stderr


def test_print_then_sign_in_one_step(pki: Pki, tmp_path: Path) -> None:
    """How ``parapp print report … --sign`` is wired: the print command takes
    ``key_options`` and calls ``sign_printed`` on the file it wrote."""

    @click.command("report")
    @click.option("--out", type=click.Path(path_type=Path), required=True)
    @click.option("--sign", "sign_it", is_flag=True)
    @cli.key_options
    def report_command(out: Path, sign_it: bool, **kwargs: object) -> None:
        fw = sd.default_framework()
        render_report(
            fw, sd.sample_answers(fw), sd.sample_header(), sd.sample_signature(), out,
            "UBND xã Điện Bàn", "Năm 2026",
        )  # fmt: skip
        if sign_it:
            keys = {k: kwargs[k] for k in cli.KEY_OPTION_NAMES}
            names = cli.sign_printed(out, out, **keys)
            click.echo(f"Đã in và ký: {', '.join(names)}")

    out = tmp_path / "bao-cao.pdf"
    p12 = str(pki.write_p12(pki.signer, "print"))
    result = CliRunner().invoke(
        report_command,
        ["--out", str(out), "--sign", "--p12", p12, "--position", "Chủ tịch"],
        env={"PARAPP_TOKEN_PIN": P12_PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert f"Đã in và ký: {SIGNER_NAME}" in result.stdout
    data = str(tmp_path / "office")
    ca = tmp_path / "ca.pem"
    ca.write_bytes(pki.root.pem() + pki.intermediate.pem())
    CliRunner().invoke(cli.trust_group, ["add-cert", str(ca), "--data-dir", data])
    verdict = CliRunner().invoke(cli.pdf_group, ["verify", str(out), "--data-dir", data])
    assert verdict.exit_code == 0, verdict.output
    assert "HỢP LỆ." in verdict.stdout
