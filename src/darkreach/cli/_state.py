"""Process state of one CLI run (kept in a module without imports, so start-up stays fast)."""

from __future__ import annotations

from pathlib import Path

#: paths completely written by the current command (named in the message on Ctrl-C)
WRITTEN: list[Path] = []
