"""The list of sub-commands registered on the ``darkreach`` group.

Each command lives in its own module; add new ones here.
"""

from __future__ import annotations

import click

from darkreach.cli.cmd_bounds import bounds
from darkreach.cli.cmd_physics import cards, gminus2, widths, xsec
from darkreach.cli.cmd_reach import reach
from darkreach.cli.kaon import kaon
from darkreach.cli.relic import relic

COMMANDS: list[click.Command] = [reach, xsec, widths, gminus2, cards]
COMMANDS.append(kaon)
COMMANDS.append(relic)
COMMANDS.append(bounds)
