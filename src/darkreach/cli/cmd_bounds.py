"""``darkreach bounds``: list the computed existing bounds and print one as a table or JSON."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from darkreach.cli._common import emit_json, parse_mass_grid
from darkreach.errors import InvalidParameterError
from darkreach.text import plain_text


@click.group("bounds")
def bounds() -> None:
    """Existing bounds: computed (CCFR trident, N_eff, g-2) and user files (BaBar, CMS, ...)."""


@bounds.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_command(as_json: bool) -> None:
    """List the computed bounds with their models and references."""
    from darkreach.bounds.registry import list_bounds

    items = list_bounds()
    if as_json:
        emit_json(
            {
                "bounds": [
                    {
                        "name": b.name,
                        "title": plain_text(b.title),
                        "models": list(b.models),
                        "kind": b.kind,
                        "reference": b.reference,
                        "arxiv": b.arxiv,
                        "notes": b.notes,
                        "download": b.download or None,
                    }
                    for b in items
                ]
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "models", "kind", "reference")
    for b in items:
        where = f"\n[dim]file: {b.download}[/dim]" if b.download else ""
        table.add_row(b.name, ", ".join(b.models), b.kind, b.reference + where)
    Console(width=160).print(table)


@bounds.command("show")
@click.argument("name")
@click.option("--model", default="lmu-ltau", show_default=True, help="Model name.")
@click.option(
    "--masses",
    default="1MeV:3GeV:25",
    show_default=True,
    help="A:B:N (log-spaced) or a comma list, e.g. 1MeV:3GeV:100.",
)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="For a user bound (kind user in `bounds list`): the file you downloaded.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def show(name: str, model: str, masses: str, path: Path | None, as_json: bool) -> None:
    """Print bound NAME for --model on a mass grid (couplings above `coupling` excluded).

    \b
    Example:
      darkreach bounds show ccfr --model lmu-ltau --masses 1MeV:3GeV:10 --json
    """
    from darkreach.bounds.registry import bound_curve, get_bound, user_bound_curve

    grid = parse_mass_grid(masses)
    if get_bound(name).kind == "user":
        if path is None:
            raise InvalidParameterError(
                "--file", "(missing)", f"the downloaded file of {name}: {get_bound(name).download}"
            )
        curve = user_bound_curve(name, model, path).on_grid(grid)
    else:
        curve = bound_curve(name, model, grid)
    upper = curve.coupling_upper
    if as_json:
        emit_json(
            {
                "name": curve.name,
                "label": curve.plain_label,
                "model": curve.model,
                "reference": curve.reference,
                "notes": curve.notes,
                "mass_MeV": curve.mass_MeV,
                "coupling": curve.coupling,
                "coupling_upper": None if upper is None else upper,
                **{key: value for key, value in curve.extra.items()},
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        "mass [MeV]",
        "coupling (lower edge)",
        "coupling_upper",
        title=f"{curve.plain_label} ({curve.model}): {curve.reference}",
    )
    highs = np.full(curve.mass_MeV.shape, np.nan) if upper is None else upper
    for m, g, h in zip(curve.mass_MeV, curve.coupling, highs, strict=True):
        table.add_row(
            f"{m:.4g}",
            "-" if not np.isfinite(g) else f"{g:.4g}",
            "open" if not np.isfinite(h) else f"{h:.4g}",
        )
    Console(width=160).print(table)
