"""``darkreach calibrate``: fit a card quantity so that the card reproduces a curve."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from darkreach.cli._common import check_output_paths, emit_json, parse_mass_grid, write_outputs
from darkreach.errors import InvalidParameterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from darkreach.array_types import FloatArray


@click.command("calibrate")
@click.argument("card", metavar="CARD")
@click.option(
    "--to",
    "curve_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Curve to reproduce: a CSV with mass_MeV and coupling columns (as `darkreach reach "
    "--out` writes; # comment lines and other columns allowed).",
)
@click.option(
    "--quantity",
    default="efficiency",
    show_default=True,
    help="Card quantity to fit. missing-momentum cards: efficiency (a table in mass).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The new card (TOML).",
)
@click.option(
    "--model",
    default=None,
    help="Model of the curve (default: the model named in the curve file's header, else "
    "lmu-ltau). Same names and options as `darkreach reach`.",
)
@click.option(
    "--neutrinos",
    type=click.Choice(["left", "dirac"]),
    default="left",
    show_default=True,
    help="Neutrino counting for the L_mu-L_tau Z' width.",
)
@click.option("--alpha-d", type=float, default=None, help="alpha_D (*-dm models; default 0.5).")
@click.option("--ratio", type=float, default=None, help="m_mediator/m_chi (*-dm; default 3).")
@click.option(
    "--dm",
    type=click.Choice(["complex-scalar", "majorana", "pseudo-dirac", "dirac"]),
    default=None,
    help="Dark-matter type (*-dm models; default complex-scalar).",
)
@click.option(
    "--dark-coupling",
    type=float,
    default=None,
    help="Scalar only: Yukawa coupling to dark fermions.",
)
@click.option(
    "--nodes",
    default=None,
    help="Node masses of the fitted table, A:B:N (log-spaced) or a comma list, with units; "
    "the curve is interpolated there. Default: the curve's own masses.",
)
@click.option(
    "--citation",
    default="",
    help="Citation of the curve, written into the card's source and references.",
)
@click.option("--name", default=None, help="Name of the new card (default: CARD-calibrated).")
@click.option("--title", default=None, help="Title of the new card (default: CARD's title).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def calibrate(
    card: str,
    curve_path: Path,
    quantity: str,
    out: Path,
    model: str | None,
    neutrinos: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    dark_coupling: float | None,
    nodes: str | None,
    citation: str,
    name: str | None,
    title: str | None,
    as_json: bool,
) -> None:
    """Fit CARD's --quantity so that CARD reproduces the curve --to; write the new card.

    The fitted quantity is stored as a table in mass with status "calibrated", its source
    naming the curve file and --citation, and a note with the model, the date and the
    darkreach version. The new card is checked (it loads, validates and reproduces the curve
    at the nodes) before it is written; nothing is written on an error.

    \b
    Example:
      darkreach reach na64mu-2022 --model dark-photon-dm --out mine.csv
      darkreach calibrate na64mu-2022 --to published.csv --model dark-photon-dm \\
          --citation "NA64, PRL 132 (2024) 211803" --out na64mu-2022-cal.toml
    """
    import numpy as np

    from darkreach.calibrate import calibrate_efficiency, card_toml, check_quantity, read_curve_csv
    from darkreach.cli.cmd_reach import _model_options
    from darkreach.experiments.registry import _type_classes, load_card
    from darkreach.reach import resolve_model

    if out.suffix.lower() != ".toml":
        raise InvalidParameterError("--out", str(out), "a file ending in .toml")
    if citation and len(citation.strip()) < 5:
        raise InvalidParameterError("--citation", repr(citation), "at least 5 characters")
    inputs = [curve_path] + ([Path(card)] if Path(card).is_file() else [])
    check_output_paths([("--out", out)], inputs=inputs)
    if not curve_path.is_file():
        raise InvalidParameterError("--to", str(curve_path), "an existing CSV file")
    card_obj = load_card(card)
    check_quantity(card_obj.type, quantity)
    experiment = _type_classes(card_obj.type)[1](card_obj)  # types with an efficiency table
    curve = read_curve_csv(curve_path)
    if model is None:
        model = curve.model or "lmu-ltau"
    elif curve.model is not None and curve.model != model:
        raise InvalidParameterError(
            "--model", model, f"{curve.model}, the model named in {curve.name}"
        )
    options = _model_options(model, alpha_d, ratio, dm, neutrinos, dark_coupling)
    model_obj = resolve_model(model, options)
    experiment.require_model(model_obj)
    grid = parse_mass_grid(nodes, "--nodes") if nodes is not None else None
    new_name = name if name is not None else f"{experiment.name}-calibrated"
    result = calibrate_efficiency(
        experiment,
        model_obj,
        curve,
        name=new_name,
        citation=citation.strip(),
        nodes=grid,
        title=title,
    )
    text = card_toml(
        result.card_data,
        comments=(
            f"{new_name}: card {experiment.name} with its {quantity} calibrated by "
            "`darkreach calibrate`",
            f"to {curve.name}" + (f" ({citation.strip()})" if citation.strip() else "") + ".",
            "Status 'calibrated': fitted so that this card reproduces that curve; see "
            "efficiency.table.note.",
        ),
    )
    # the text must load back as the card just validated (round trip)
    card_type = type(experiment.card)
    if card_type.model_validate(tomllib.loads(text)) != card_type.model_validate(
        result.card_data
    ):  # pragma: no cover - guards the TOML writer
        raise InvalidParameterError("--out", str(out), "a card that reads back unchanged")

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    write_outputs([(out, write, "--out")], inputs=inputs)
    deviation = result.deviation
    worst = float(np.nanmax(np.abs(deviation)))
    if as_json:
        emit_json(
            {
                "card": experiment.name,
                "name": new_name,
                "out": str(out),
                "quantity": quantity,
                "model": model_obj.name,
                "curve": curve.name,
                "mass_MeV": result.masses,
                "efficiency": result.efficiency,
                "coupling_target": result.target,
                "coupling": result.reached,
                "max_relative_deviation": worst,
            }
        )
        return
    _print_summary(result.masses, result.efficiency, result.target, result.reached, worst, out)


def _print_summary(
    masses: FloatArray,
    efficiency: FloatArray,
    target: FloatArray,
    reached: FloatArray,
    worst: float,
    out: Path,
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="calibrated efficiency")
    for column in ("mass [MeV]", "efficiency", "curve coupling", "card coupling"):
        table.add_column(column, justify="right")
    for m, e, t, r in zip(masses, efficiency, target, reached, strict=True):
        table.add_row(f"{m:.4g}", f"{e:.5g}", f"{t:.4e}", f"{r:.4e}")
    console.print(table)
    console.print(f"largest deviation at the nodes: {100 * worst:.3g} %", highlight=False)
    console.print(f"wrote card: {out}", highlight=False)
    sys.stdout.flush()
