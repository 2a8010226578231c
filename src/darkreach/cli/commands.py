"""The list of sub-commands registered on the ``darkreach`` group.

Each command lives in its own module; add new ones here.
"""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
