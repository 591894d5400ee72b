"""The shape of ``parapp.cli``: every command in the module named like it, imported
statically from :mod:`parapp.cli.root` (no registry, no optional or deferred imports but the
one that keeps Qt out of headless runs)."""

from __future__ import annotations

import ast
from pathlib import Path

import click

from parapp.cli.root import root

CLI = Path(__file__).resolve().parents[2] / "src" / "parapp" / "cli"

#: module -> number of imports inside functions it may have, and why
DEFERRED = {"gui.py": 1}  # parapp.app loads Qt: only when the desktop app really opens


def _modules() -> list[Path]:
    files = sorted(CLI.rglob("*.py"))
    assert len(files) > 15, "the cli package was not found"
    return files


def test_no_deferred_or_optional_imports() -> None:
    offenders = []
    for path in _modules():
        rel = path.relative_to(CLI).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = [
            node
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(fn)
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
        if len(local) != DEFERRED.get(rel, 0):
            offenders.append(f"{rel}: {len(local)} import(s) inside functions")
        for handler in ast.walk(tree):
            if isinstance(handler, ast.ExceptHandler) and "ImportError" in ast.unparse(
                handler.type or ast.Name("")
            ):
                offenders.append(f"{rel}: except ImportError")
        if "importlib" in path.read_text(encoding="utf-8"):
            offenders.append(f"{rel}: imports by name")
    assert offenders == []


def test_command_modules_never_import_the_package_entry() -> None:
    """Only ``__init__`` may import from ``parapp.cli`` itself: a command module that did would
    close an import cycle through :mod:`parapp.cli.root`."""
    offenders = []
    for path in _modules():
        if path.name == "__init__.py" and path.parent == CLI:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "parapp.cli":
                offenders.append(path.relative_to(CLI).as_posix())
            if isinstance(node, ast.Import) and any(a.name == "parapp.cli" for a in node.names):
                offenders.append(path.relative_to(CLI).as_posix())
    assert offenders == []


def test_each_command_lives_in_a_module_named_for_it() -> None:
    """``parapp inbox import`` is in ``cli/office/inbox.py``: the command's path (or, for the
    groups mixing both sides, its last word) names its module."""
    mixed = {"keys", "bundle", "appraisal"}  # assembled in root.py from both sides

    def walk(group: click.Group, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
        found = []
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                found += walk(command, (*path, name))
            else:
                callback = command.callback
                assert callback is not None
                module = getattr(callback, "__wrapped__", callback).__module__
                found.append(((*path, name), module))
        return found

    commands = walk(root, ())
    assert len(commands) >= 40  # every command of the argparse CLI
    for path, module in commands:
        words = {w.replace("-", "_") for w in path}
        tail = module.rsplit(".", 1)[1]
        if path[0] in mixed:
            assert tail in {
                "keys",
                "trusted_keys",
                "bundle",
                "verify",
                "upward_bundle",
                "appraisal_result",
            }, (path, module)
        elif path[0] in {"init", "backup", "restore"}:
            assert tail == "workspace", (path, module)
        elif path[0] == "print":
            assert tail == "printing", (path, module)
        else:
            assert tail in words, (path, module)
