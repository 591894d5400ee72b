"""Run every ``bench/bench_*.py``: each module's ``run()`` returns rows to print.

A row is a dict with at least ``name``, ``value`` and ``unit``; optional ``target`` and
``ok`` (bool) say whether the measurement meets its goal. Extra command-line arguments
(e.g. ``--small``) are passed to every ``run(argv)``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    only = [a for a in args if not a.startswith("-")]
    flags = [a for a in args if a.startswith("-")]
    folder = Path(__file__).resolve().parent
    rows: list[dict[str, Any]] = []
    failed = False
    for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        print(f"== {info.name}", flush=True)
        rows_of = run(flags) if inspect.signature(run).parameters else run()
        for row in rows_of or []:
            rows.append({"module": info.name, **row})
    width = max((len(str(r["name"])) for r in rows), default=10)
    print()
    print(f"{'module':<16} {'measure':<{width}} {'value':>12} {'unit':<6} {'target':<10} ok")
    for r in rows:
        ok = r.get("ok")
        failed |= ok is False
        mark = "" if ok is None else ("yes" if ok else "NO")
        value = r["value"]
        shown = f"{value:12.3f}" if isinstance(value, float) else f"{value!s:>12}"
        print(f"{r['module']:<16} {r['name']:<{width}} {shown} {r['unit']:<6} "
              f"{r.get('target', ''):<10} {mark}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
