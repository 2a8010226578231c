"""Command-line interface (``darkreach``, also ``python -m darkreach``).

The console script imports only this light module first, so a Ctrl-C during start-up is
caught by :func:`entry_point` (one line, exit 130) instead of printing a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["cli", "entry_point", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv``; returns the exit code (2 for bad input)."""
    from darkreach.cli.app import main as run

    return run(argv)


def entry_point() -> None:
    """Console-script entry point: one line and exit 130 on Ctrl-C, even during imports."""
    try:
        from darkreach.cli.app import entry_point as run
    except KeyboardInterrupt:
        sys.stderr.write("darkreach: interrupted; no file written\n")
        sys.exit(130)
    run()


def __getattr__(name: str) -> Any:
    if name == "cli":
        from darkreach.cli.app import cli

        return cli
    raise AttributeError(name)
