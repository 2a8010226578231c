"""``darkreach cards``: the shipped experiment cards (reads card headers only: fast)."""

from __future__ import annotations

import click

from darkreach.cli._common import emit_json


@click.command("cards")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def cards(as_json: bool) -> None:
    """List the shipped experiment cards with their references."""
    from darkreach.experiments.registry import available_cards

    infos = available_cards()
    if as_json:
        emit_json(
            {
                "cards": [
                    {
                        "name": c.name,
                        "title": c.title,
                        "type": c.type,
                        "kind": c.kind,
                        "references": list(c.references),
                        "path": str(c.path),
                    }
                    for c in infos
                ]
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="darkreach experiment cards")
    for col in ("name", "type", "kind", "references"):
        table.add_column(col, overflow="fold")
    for c in infos:
        table.add_row(c.name, c.type, c.kind, "; ".join(c.references))
    Console().print(table)
