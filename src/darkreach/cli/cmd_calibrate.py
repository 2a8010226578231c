"""``darkreach calibrate``: fit a card quantity so that the card reproduces a curve."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from darkreach.cli._common import (
    check_output_paths,
    emit_json,
    model_options,
    parse_mass_grid,
    write_outputs,
)
from darkreach.errors import InvalidParameterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from darkreach.array_types import FloatArray
    from darkreach.calibrate import BackgroundCalibration


@click.command("calibrate")
@click.argument("card", metavar="CARD")
@click.option(
    "--to",
    "curve_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Curve to reproduce: a CSV with mass_MeV (or mass_GeV) and coupling columns (as "
    "`darkreach reach --out` writes; # comment lines and other columns allowed) or a HEPData "
    "YAML table.",
)
@click.option(
    "--curve-card",
    default=None,
    help="Card of a multi-card `darkreach reach --out` file (or check a HEPData table's).",
)
@click.option(
    "--quantity",
    default="efficiency",
    show_default=True,
    help="Card quantity to fit. missing-momentum cards: efficiency (a table in mass); "
    "kaon-invisible cards: background (one number, the photon-veto inefficiency, fitted by "
    "least squares in ln g).",
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
    "--nodes",
    default=None,
    help="Masses at which the curve is used, A:B:N (log-spaced) or a comma list, with units; "
    "the curve is interpolated there. efficiency: the node masses of the fitted table; "
    "background: the masses of the fit. Default: the curve's own masses.",
)
@click.option(
    "--citation",
    default="",
    help="Citation of the curve, written into the card's source and references.",
)
@click.option("--name", default=None, help="Name of the new card (default: CARD-calibrated).")
@click.option("--title", default=None, help="Title of the new card (default: CARD's title).")
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def calibrate(
    card: str,
    curve_path: Path,
    curve_card: str | None,
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

    The fitted quantity is stored with status "calibrated", its source naming the curve file
    and --citation, and a note with the model, the date and the darkreach version. The new
    card is checked (it loads, validates and its reach is recomputed at the masses) before it
    is written; nothing is written on an error.

    \b
    Quantities, per card type:
      missing-momentum  efficiency: a table in mass, exact at the nodes
      kaon-invisible    background: the photon-veto inefficiency (one number; the shape in
                        mass is not fitted, the summary shows the deviation per mass)

    \b
    Example:
      darkreach reach na64mu-2022 --model dark-photon-dm --out mine.csv
      darkreach calibrate na64mu-2022 --to published.csv --model dark-photon-dm \\
          --citation "NA64, PRL 132 (2024) 211803" --out na64mu-2022-cal.toml
      darkreach calibrate na62-ultimate --to t1.csv --quantity background \\
          --nodes 1MeV,5MeV,10MeV,50MeV,100MeV --citation "KMRT, arXiv:1902.07715" \\
          --out na62-mine.toml
    """
    import numpy as np

    from darkreach.calibrate import (
        BackgroundCalibration,
        calibrate_background,
        calibrate_efficiency,
        card_toml,
        check_quantity,
        load_curve,
    )
    from darkreach.cli.cmd_reach import _model_options
    from darkreach.experiments.registry import load_card
    from darkreach.reach import resolve_model

    if out.suffix.lower() != ".toml":
        raise InvalidParameterError("--out", str(out), "a file ending in .toml")
    if citation and len(citation.strip()) < 5:
        raise InvalidParameterError("--citation", repr(citation), "at least 5 characters")
    inputs = [curve_path] + ([Path(card)] if Path(card).is_file() else [])
    check_output_paths([("--out", out)], inputs=inputs)
    if not curve_path.is_file():
        raise InvalidParameterError("--to", str(curve_path), "an existing CSV or HEPData YAML file")
    card_obj = load_card(card)
    check_quantity(card_obj.type, quantity)
    experiment = _experiment(card_obj)
    curve = load_curve(curve_path, curve_card)
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
    calibrate_fn = calibrate_background if quantity == "background" else calibrate_efficiency
    result = calibrate_fn(
        experiment,
        model_obj,
        curve,
        name=new_name,
        citation=citation.strip(),
        nodes=grid,
        title=title,
    )
    where = (
        "background.photon_veto_inefficiency.note"
        if quantity == "background"
        else "efficiency.table.note"
    )
    text = card_toml(
        result.card_data,
        comments=(
            f"{new_name}: card {experiment.name} with its {quantity} calibrated by "
            "`darkreach calibrate`",
            f"to {curve.name}" + (f" ({citation.strip()})" if citation.strip() else "") + ".",
            f"Status 'calibrated': fitted so that this card reproduces that curve; see {where}.",
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
    record: dict[str, Any] = {
        "card": experiment.name,
        "name": new_name,
        "out": str(out),
        "quantity": quantity,
        "model": model_obj.name,
        "curve": curve.name,
        "mass_MeV": result.masses,
    }
    if isinstance(result, BackgroundCalibration):
        record["photon_veto_inefficiency"] = result.value
        record["previous_photon_veto_inefficiency"] = result.previous
    else:
        record["efficiency"] = result.efficiency
    record.update(
        {
            "coupling_target": result.target,
            "coupling": result.reached,
            "relative_deviation": deviation,
            "max_relative_deviation": worst,
        }
    )
    if as_json:
        emit_json(record)
        return
    if isinstance(result, BackgroundCalibration):
        _print_background_summary(result, worst, out)
        return
    _print_summary(result.masses, result.efficiency, result.target, result.reached, worst, out)


def _experiment(card: Any) -> Any:
    """The experiment bound to ``card`` (the types with a calibratable quantity)."""
    from darkreach.experiments.registry import _type_classes

    return _type_classes(card.type)[1](card)


def _print_background_summary(result: BackgroundCalibration, worst: float, out: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(
        title=f"calibrated photon-veto inefficiency {result.value:.5g} (was {result.previous:g})"
    )
    for column in ("mass [MeV]", "curve coupling", "card coupling", "card / curve"):
        table.add_column(column, justify="right")
    for m, t, r in zip(result.masses, result.target, result.reached, strict=True):
        table.add_row(f"{m:.4g}", f"{t:.4e}", f"{r:.4e}", f"{r / t:.4f}")
    console.print(table)
    console.print(
        f"largest deviation at the fitted masses: {100 * worst:.3g} % (one number fitted; "
        "the shape in mass is the card's)",
        highlight=False,
    )
    console.print(f"wrote card: {out}", highlight=False)
    sys.stdout.flush()


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
