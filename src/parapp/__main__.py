"""``python -m parapp``: the CLI, or the GUI when called with no arguments."""

from parapp.cli import main

raise SystemExit(main())
