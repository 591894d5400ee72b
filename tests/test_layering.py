"""The architecture rule of DESIGN.md: Qt only in ``parapp/ui`` and ``parapp/app.py``, and the
lower layers never import the higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "parapp"

#: package -> packages it must never import
FORBIDDEN = {
    "models": (
        "parapp.storage",
        "parapp.interchange",
        "parapp.services",
        "parapp.ui",
        "parapp.cli",
        "parapp.app",
        "sqlite3",
        "sqlite_utils",
        "openpyxl",
        "reportlab",
    ),
    "storage": ("parapp.interchange", "parapp.services", "parapp.ui", "parapp.cli", "parapp.app"),
    "interchange": (
        "parapp.storage",
        "parapp.services",
        "parapp.ui",
        "parapp.cli",
        "parapp.app",
        "sqlite3",
        "sqlite_utils",
    ),
    "services": ("parapp.ui", "parapp.cli", "parapp.app"),
    "ui": ("sqlite3", "sqlite_utils"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files() -> list[Path]:
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 20, "the source tree was not found"
    return files


def test_pyside6_only_in_ui_and_app() -> None:
    offenders = []
    for path in python_files():
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("ui/") or rel == "app.py":
            continue
        if any(m == "PySide6" or m.startswith("PySide6.") for m in imported_modules(path)):
            offenders.append(rel)
    assert offenders == []


def test_layers_point_one_way() -> None:
    offenders = []
    for path in python_files():
        rel = path.relative_to(SRC)
        layer = rel.parts[0] if len(rel.parts) > 1 else None
        for mod in imported_modules(path):
            for banned in FORBIDDEN.get(layer or "", ()):
                if mod == banned or mod.startswith(banned + "."):
                    offenders.append(f"{rel.as_posix()} imports {mod}")
    assert offenders == []


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport parapp.ui.session\n")
    assert {"PySide6.QtWidgets", "parapp.ui.session"} <= imported_modules(bad)


def test_headless_import_of_every_non_ui_module() -> None:
    """Importing the non-UI package must not load Qt (e.g. through a transitive import)."""
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, parapp\n"
        "for m in pkgutil.walk_packages(parapp.__path__, 'parapp.'):\n"
        "    if m.name.startswith(('parapp.ui', 'parapp.app', 'parapp.__main__')):\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules), 'Qt was imported'\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
