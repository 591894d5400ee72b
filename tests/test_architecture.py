"""The architecture rules of DESIGN.md, checked on the source tree (no import needed).

- Qt only in ``parapp/ui`` and ``parapp/app.py``;
- layers point one way (models ← storage ← interchange ← services ← cli, ui), the top-level
  modules included, and the UI reaches data only through services (it may name a lower
  layer's type in an annotation, under ``if TYPE_CHECKING:``);
- the commune side and the office side never import each other;
- no import cycle between modules (function-local imports count: they hide cycles);
- no optional import (``except ImportError``): a broken module must fail loudly.

An AST walk rather than ``import-linter``: it sees function-local imports and ``except``
clauses, needs no importable package and no extra tool, and its messages name the line.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "parapp"

#: top-level names every layer may use (pure helpers with no upward imports)
BASE = ("parapp", "parapp.models", "parapp.fileio", "parapp.resources")

#: layer -> prefixes of parapp modules it may import (besides itself and BASE)
ALLOWED: dict[str, tuple[str, ...]] = {
    "parapp.models": (),
    "parapp.fileio": (),
    "parapp.resources": (),
    "parapp.storage": (),
    "parapp.interchange": (),
    "parapp.services": ("parapp.storage", "parapp.interchange"),
    "parapp.cli": ("parapp.services", "parapp.storage", "parapp.interchange", "parapp.app"),
    "parapp.ui": ("parapp.services",),
    "parapp.app": ("parapp.ui", "parapp.services"),
    "parapp.__main__": ("parapp.cli", "parapp.app"),
}

#: third-party modules a layer must never import
FORBIDDEN_EXTERNAL: dict[str, tuple[str, ...]] = {
    "parapp.models": ("sqlite3", "sqlite_utils", "openpyxl", "reportlab", "PySide6"),
    "parapp.storage": ("PySide6", "openpyxl", "reportlab"),
    "parapp.interchange": ("sqlite3", "sqlite_utils", "PySide6"),
    "parapp.services": ("PySide6",),
    "parapp.cli": ("PySide6",),
    "parapp.ui": ("sqlite3", "sqlite_utils"),
}

#: packages of one role that must never import the other
ROLES = ("parapp.services.commune", "parapp.services.office")
UI_ROLES = ("parapp.ui.commune", "parapp.ui.office")
CLI_ROLES = ("parapp.cli.commune", "parapp.cli.office")


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    local: bool  # inside a function: still an edge of the graph
    typing_only: bool = False  # under ``if TYPE_CHECKING:``: no runtime edge at all


def module_name(path: Path, root: Path = SRC) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(current: str, is_package: bool, level: int, module: str | None) -> str:
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(path: Path, root: Path = SRC) -> list[Import]:
    """Every import in the file, relative ones resolved, ``from x import y`` as ``x.y``
    when ``x.y`` is a module of the package (so a submodule import is an edge to it)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    current = module_name(path, root)
    is_package = path.name == "__init__.py"
    found: list[Import] = []

    def visit(node: ast.AST, local: bool, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            typed = typing_only or (
                isinstance(child, ast.If)
                and isinstance(child.test, ast.Name | ast.Attribute)
                and ast.unparse(child.test).endswith("TYPE_CHECKING")
            )
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, child.lineno, local, typed) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                mod = (
                    _resolve(current, is_package, child.level, child.module)
                    if child.level
                    else child.module or ""
                )
                found.append(Import(mod, child.lineno, local, typed))
                found.extend(
                    Import(f"{mod}.{a.name}", child.lineno, local, typed) for a in child.names
                )
            visit(child, inner, typed)

    visit(tree, False, False)
    return found


def python_files(root: Path = SRC) -> list[Path]:
    files = sorted(root.rglob("*.py"))
    assert len(files) > 20, "the source tree was not found"
    return files


def module_graph(root: Path = SRC) -> dict[str, dict[str, int]]:
    """module -> {imported parapp module: line} over real modules of the tree."""
    files = python_files(root)
    modules = {module_name(p, root): p for p in files}
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges: dict[str, int] = {}
        for imp in imports_of(path, root):
            if imp.module in modules and imp.module != name and not imp.typing_only:
                edges.setdefault(imp.module, imp.line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph.get(nxt, {})))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    result.append(sorted(comp))
    return result


def layer_of(module: str) -> str:
    for layer in sorted(ALLOWED, key=len, reverse=True):
        if module == layer or module.startswith(layer + "."):
            return layer
    return "parapp"


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def layer_violations(root: Path = SRC) -> list[str]:
    out = []
    for path in python_files(root):
        name = module_name(path, root)
        layer = layer_of(name)
        allowed = (layer, *BASE, *ALLOWED.get(layer, ()))
        for imp in imports_of(path, root):
            where = f"{path.relative_to(root.parent)}:{imp.line} imports {imp.module}"
            if imp.typing_only and layer == "parapp.ui" and not imp.module.startswith("parapp.cli"):
                continue  # a type in an annotation couples nothing at run time
            if imp.module.startswith("parapp"):
                if imp.module == "parapp":
                    continue
                if not _within(imp.module, allowed) or (
                    layer_of(imp.module) in ALLOWED
                    and layer_of(imp.module) not in (layer, *ALLOWED.get(layer, ()))
                    and not _within(imp.module, BASE[1:])
                ):
                    out.append(where)
                for group in (ROLES, UI_ROLES, CLI_ROLES):
                    for mine, other in (group, group[::-1]):
                        if _within(name, (mine,)) and _within(imp.module, (other,)):
                            out.append(f"{where} (the two roles never import each other)")
            elif _within(imp.module, FORBIDDEN_EXTERNAL.get(layer, ())):
                out.append(where)
    return sorted(set(out))


def optional_imports(root: Path = SRC) -> list[str]:
    out = []
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {
                    n.id if isinstance(n, ast.Name) else getattr(n, "attr", "")
                    for n in ast.walk(node.type)
                }
                if names & {"ImportError", "ModuleNotFoundError"}:
                    out.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return out


# -- the rules on the real tree -------------------------------------------------------------
def test_pyside6_only_in_ui_and_app() -> None:
    offenders = [
        f"{p.relative_to(SRC.parent)}:{i.line}"
        for p in python_files()
        if layer_of(module_name(p)) not in ("parapp.ui", "parapp.app")
        for i in imports_of(p)
        if _within(i.module, ("PySide6",))
    ]
    assert offenders == []


def test_layers_point_one_way() -> None:
    assert layer_violations() == []


def test_no_import_cycles() -> None:
    assert cycles(module_graph()) == []


def test_no_optional_imports() -> None:
    assert optional_imports() == []


def test_headless_import_of_every_non_ui_module() -> None:
    """Importing the non-UI package must not load Qt (e.g. through a transitive import)."""
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


# -- the checkers catch what they must (a test that cannot fail is a defect) ----------------
def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "parapp"
    for rel, text in {"__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.parents:
            if parent == root.parent:
                break
            (parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    for i in range(21):  # python_files() insists on a real-sized tree
        (root / f"filler{i}.py").write_text("", encoding="utf-8")
    return root


def test_a_cycle_through_a_function_local_import_is_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "interchange/keys.py": "from parapp.interchange import minisign\n",
            "interchange/minisign.py": "def f():\n    from .keys import x\n",
        },
    )
    assert cycles(module_graph(root)) == [
        ["parapp.interchange.keys", "parapp.interchange.minisign"]
    ]


def test_an_optional_import_is_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {"ui/tab.py": "try:\n    import parapp.ui.x\nexcept (OSError, ImportError):\n    pass\n"},
    )
    assert optional_imports(root) == ["parapp/ui/tab.py:3"]


def test_ui_reaching_storage_and_the_roles_mixing_are_found(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "ui/view.py": "from parapp.storage.database import connect\n",
            "services/office/inbox.py": "from ..commune import submission\n",
            "services/commune/submission.py": "",
            "models/x.py": "import sqlite3\nfrom parapp.services import y\n",
            "storage/z.py": "from PySide6.QtCore import QObject\n",
            "ui/typed.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from parapp.storage.x import T\n",
        },
    )
    found = "\n".join(layer_violations(root))
    assert "parapp/ui/view.py:1 imports parapp.storage.database" in found
    assert "parapp/services/office/inbox.py:1 imports parapp.services.commune" in found
    assert "never import each other" in found
    assert "parapp/models/x.py:1 imports sqlite3" in found
    assert "parapp/models/x.py:2 imports parapp.services" in found
    assert "parapp/storage/z.py:1 imports PySide6.QtCore" in found
    assert "parapp/ui/typed.py" not in found  # an annotation-only import is allowed
