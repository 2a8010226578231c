"""``darkreach figure``: regenerate the talks' headline plots, one name each."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import click

from darkreach.cli._common import Writer, emit_json, write_outputs
from darkreach.errors import InvalidParameterError


@click.command("figure")
@click.argument("names", nargs=-1, metavar="NAME...")
@click.option("--list", "list_figures", is_flag=True, help="List the figures and exit.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Directory for NAME.png and NAME.csv (must exist).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "pdf", "svg"]),
    default="png",
    show_default=True,
    help="Plot format.",
)
@click.option("--json", "as_json", is_flag=True, help="With --list: print one JSON object.")
def figure(
    names: tuple[str, ...], list_figures: bool, out_dir: Path, fmt: str, as_json: bool
) -> None:
    """Regenerate the talks' plots: NAME is a figure name (see --list) or `all`.

    Writes NAME.png (or .pdf, .svg) and NAME.csv (the curves) per figure.

    \b
    Examples:
      darkreach figure --list
      darkreach figure t5-na64mu-2022 t1-lmu-ltau --out-dir plots
      darkreach figure all --out-dir docs/gallery
    """
    from darkreach.figures import FIGURES, get_figure_spec, make_figure

    if list_figures or not names:
        if as_json:
            emit_json(
                {
                    "figures": [
                        {"name": s.name, "talk": s.talk, "description": s.description}
                        for s in FIGURES.values()
                    ]
                }
            )
            return
        for spec in FIGURES.values():
            click.echo(f"{spec.name:16s} {spec.talk}\n{'':16s} {spec.description}")
        return
    if not out_dir.is_dir():
        raise InvalidParameterError("--out-dir", str(out_dir), "an existing directory")
    chosen = list(FIGURES) if names == ("all",) else list(names)
    specs = [get_figure_spec(name) for name in chosen]  # every name checked before any work
    from darkreach.io import write_reach_csv

    for spec in specs:
        fig, curves = make_figure(spec)
        plot = out_dir / f"{spec.name}.{fmt}"
        table = out_dir / f"{spec.name}.csv"
        writers: list[Writer] = [
            (plot, partial(_save, fig), "--out-dir"),
            (table, partial(write_reach_csv, curves), "--out-dir"),
        ]
        write_outputs(writers)
        click.echo(f"wrote {plot} and {table}")


def _save(fig: Any, path: Path) -> None:
    fig.savefig(path, dpi=150)
