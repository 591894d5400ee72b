"""The ``parapp`` command tree: the root group, its global options, and every sub-command.

This module is the table of contents of the CLI: each command's code is in the module named
like it (``parapp inbox import`` → :mod:`parapp.cli.office.inbox`). Groups that mix the two
sides are assembled here: ``keys`` (the unit's own key and the office's trusted keys),
``bundle`` (export, verify, the office's upward bundle) and ``appraisal`` (the office exports
a result, the commune imports and shows it).
"""

from __future__ import annotations

import click

from parapp import __version__
from parapp.cli.audit import audit
from parapp.cli.common import Settings, global_options, pass_settings
from parapp.cli.commune import appraisal_result as commune_appraisal
from parapp.cli.commune import bundle as commune_bundle
from parapp.cli.commune import keys as commune_keys
from parapp.cli.commune.assess import assess
from parapp.cli.commune.evidence import evidence
from parapp.cli.commune.report import report
from parapp.cli.commune.requests import requests
from parapp.cli.framework import framework
from parapp.cli.office import appraisal_result as office_appraisal
from parapp.cli.office import trusted_keys, upward_bundle
from parapp.cli.office.appraise import appraise
from parapp.cli.office.consolidate import consolidate
from parapp.cli.office.framework import publish as framework_publish
from parapp.cli.office.inbox import inbox
from parapp.cli.pdf import pdf_group
from parapp.cli.printing import print_document
from parapp.cli.sign import sign_command
from parapp.cli.tasks import tasks
from parapp.cli.trust import trust_group
from parapp.cli.units import units
from parapp.cli.verify import inspect, verify
from parapp.cli.vietnamese import Group
from parapp.cli.workspace import backup, init, restore
from parapp.services.selftest import run_selftest

framework.add_command(framework_publish)  # the office issues; the shared group imports

keys = Group(
    "keys",
    help="khóa ký số của đơn vị",
    commands=[
        commune_keys.init,
        commune_keys.show,
        commune_keys.export_public,
        commune_keys.rotate,
        trusted_keys.trust,
        trusted_keys.list_keys,
    ],
)

bundle = Group(
    "bundle",
    help="hồ sơ nộp (gói ký số)",
    commands=[
        commune_bundle.export,
        commune_bundle.bundle_supplement,
        verify,
        inspect,
        upward_bundle.export_office,
    ],
)

appraisal = Group(
    "appraisal",
    help="tệp kết quả thẩm định",
    commands=[
        office_appraisal.appraisal_export,
        commune_appraisal.appraisal_import,
        commune_appraisal.show,
        office_appraisal.appraisal_reopen,
        office_appraisal.appraisal_outstanding,
        office_appraisal.appraisal_merge,
    ],
)


class OpenDesktopApp(Exception):
    """No command to run: :func:`parapp.cli.main` opens the desktop app with ``argv``.

    Raised rather than calling the app from here, so that ``--demo`` wins over a command given
    with it (as before) and this module stays free of the GUI.
    """

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self.argv = argv


def gui_args(settings: Settings, *extra: str) -> list[str]:
    """The desktop app's arguments for this run's global options."""
    where = ["--data-dir", str(settings.data_dir)] if settings.data_dir is not None else []
    return [*extra, *where]


@click.group(
    "parapp",
    cls=Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="ParApp — tự đánh giá Chỉ số cải cách hành chính.\n\n"
    "Không có lệnh: mở ứng dụng (trên thư mục --data-dir nếu có).",
    commands=[
        init,
        units,
        framework,
        tasks,
        backup,
        restore,
        assess,
        evidence,
        keys,
        bundle,
        print_document,
        inbox,
        appraise,
        consolidate,
        appraisal,
        report,
        requests,
        audit,
        sign_command,
        pdf_group,
        trust_group,
    ],
)
@click.version_option(
    __version__, "--version", message="ParApp %(version)s", help="in phiên bản rồi thoát"
)
@click.option("--demo", is_flag=True, help="mở ứng dụng với dữ liệu mẫu")
@click.option(
    "--demo-office", is_flag=True, help="mở ứng dụng với dữ liệu mẫu của cơ quan tiếp nhận"
)
@click.option("--selftest", is_flag=True, help="tự kiểm tra toàn bộ chức năng")
@global_options
@pass_settings
@click.pass_context
def root(
    ctx: click.Context, settings: Settings, demo: bool, demo_office: bool, selftest: bool
) -> int:
    if selftest:
        ctx.exit(run_selftest())
    if demo_office:
        raise OpenDesktopApp(gui_args(settings, "--demo-office"))
    if demo:
        raise OpenDesktopApp(gui_args(settings, "--demo"))
    if ctx.invoked_subcommand is None:
        raise OpenDesktopApp(gui_args(settings))
    return 0
