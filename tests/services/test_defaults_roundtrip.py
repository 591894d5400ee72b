"""Issue 2's promise: every embedded framework and plan survives export -> import unchanged,
through the very importer a province's file goes through."""

from __future__ import annotations

from pathlib import Path

import pytest

from parapp.services.defaults import default_framework_files, default_plan_files
from parapp.services.importing import (
    read_framework_file,
    read_tasks_file,
    write_framework_file,
    write_tasks_file,
)


@pytest.mark.parametrize("source", default_framework_files(), ids=lambda p: p.name)
def test_default_framework_round_trips_through_excel(source: Path, tmp_path: Path) -> None:
    fw = read_framework_file(source)
    xlsx = tmp_path / f"{fw.id}.xlsx"
    write_framework_file(fw, xlsx)
    again = read_framework_file(xlsx)
    assert again == fw
    assert again.content_hash == fw.content_hash
    write_framework_file(again, tmp_path / "again.json")
    assert read_framework_file(tmp_path / "again.json") == fw


@pytest.mark.parametrize("source", default_plan_files(), ids=lambda p: p.name)
def test_default_plan_round_trips_through_excel(source: Path, tmp_path: Path) -> None:
    plan = read_tasks_file(source)
    xlsx = tmp_path / f"{plan.id}.xlsx"
    write_tasks_file(plan, xlsx)
    assert read_tasks_file(xlsx) == plan


def test_there_are_defaults_to_check() -> None:
    assert len(default_framework_files()) >= 2 and len(default_plan_files()) >= 2
