"""``darkreach recast``: a published limit of one model mapped onto another (yield ratios)."""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from darkreach.cli._common import (
    Writer,
    check_output_paths,
    emit_json,
    model_options,
    write_outputs,
)
from darkreach.errors import InvalidParameterError


def _options_for(
    model: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    neutrinos: str,
    dark_coupling: float | None,
) -> tuple[dict[str, object], bool, bool]:
    """Model options as ``darkreach reach`` reads them, applied where the model takes them.

    Returns (options, took the dark-matter options, took --dark-coupling).
    """
    from darkreach.cli.cmd_reach import _model_options

    took_dm = took_dark = True
    try:
        options = _model_options(model, alpha_d, ratio, dm, neutrinos, dark_coupling)
    except InvalidParameterError:
        try:
            options = _model_options(model, None, None, None, neutrinos, dark_coupling)
            took_dm = False
        except InvalidParameterError:
            try:
                options = _model_options(model, alpha_d, ratio, dm, neutrinos, None)
                took_dark = False
            except InvalidParameterError:
                options = _model_options(model, None, None, None, neutrinos, None)
                took_dm = took_dark = False
    return options, took_dm, took_dark


@click.command("recast")
@click.argument("curve", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--card", required=True, help="The card (name or .toml path) whose yields are used.")
@click.option(
    "--from", "model_from", required=True, help="Model of the curve (e.g. lmu-ltau, dark-photon)."
)
@click.option("--to", "model_to", required=True, help="Model to recast the curve to.")
@click.option(
    "--curve-card",
    default=None,
    help="Card of a multi-card `darkreach reach --out` file (or check a HEPData table's).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the recast table (CSV, the `darkreach reach --out` format).",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the plot (PNG, PDF, SVG).",
)
@click.option(
    "--method",
    "recast_method",
    type=click.Choice(["yields", "darkcast"]),
    default="yields",
    show_default=True,
    help="yields: equal signal count with the card's yields (any card); darkcast: "
    "DarkCast's proper-time window for a two-edged beam-dump limit (no spectra).",
)
@click.option(
    "--production",
    default="eta",
    show_default=True,
    help="--method darkcast: the production mechanism (pi0, eta, eta', omega, phi, "
    "proton-brem) whose model dependence scales the yield.",
)
@click.option(
    "--length-ratio",
    type=float,
    default=None,
    help="--method darkcast: L_det/L_sh (default 75/142, DarkCast's NA62 value).",
)
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def recast(
    curve: Path,
    card: str,
    model_from: str,
    model_to: str,
    curve_card: str | None,
    neutrinos: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    dark_coupling: float | None,
    out: Path | None,
    plot: Path | None,
    recast_method: str,
    production: str,
    length_ratio: float | None,
    as_json: bool,
) -> None:
    """Map the limit in CURVE (a CSV with mass_MeV and coupling columns, or a HEPData YAML
    table) from one model to another at the same card, at equal signal count:
    S_to(m, g') = S_from(m, g), with the card's signal yields.

    Model options (--alpha-d, --ratio, --dm, --dark-coupling, --neutrinos) apply to whichever
    of the two models takes them.

    \b
    Example:
      darkreach reach na64mu-2022 --out z.csv
      darkreach recast z.csv --card na64mu-2022 --from lmu-ltau --to scalar --plot s.png
      darkreach recast z.csv --card na64mu-2022 --from lmu-ltau --to lmu-ltau-dm --alpha-d 0.1
      darkreach reach na62-dump-2021-mumu --model dark-photon --out a.csv
      darkreach recast a.csv --card na62-dump-2021-mumu --from dark-photon --to b-l
      darkreach recast a.csv --card na62-dump-2021-mumu --from dark-photon --to b-l \\
          --method darkcast
    """
    from darkreach.curves import read_curve
    from darkreach.experiments.registry import card_path, get_experiment
    from darkreach.reach import resolve_model
    from darkreach.recast import recast as do_recast
    from darkreach.recast import recast_record

    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--plot", str(plot), "a file ending in .png, .pdf or .svg")
    if out is not None and out.suffix.lower() != ".csv":
        raise InvalidParameterError("--out", str(out), "a file ending in .csv")
    inputs = [curve]
    if Path(card).is_file():
        inputs.append(Path(card))
    outputs = [(f, p) for f, p in (("--out", out), ("--plot", plot)) if p is not None]
    check_output_paths(outputs, inputs=inputs)  # before any physics runs

    opts_from, dm_from, dark_from = _options_for(
        model_from, alpha_d, ratio, dm, neutrinos, dark_coupling
    )
    opts_to, dm_to, dark_to = _options_for(model_to, alpha_d, ratio, dm, neutrinos, dark_coupling)
    if any(v is not None for v in (alpha_d, ratio, dm)) and not (dm_from or dm_to):
        raise InvalidParameterError(
            "--alpha-d/--ratio/--dm", "given", "a model with dark matter as --from or --to"
        )
    if dark_coupling is not None and not (dark_from or dark_to):
        raise InvalidParameterError(
            "--dark-coupling", dark_coupling, "scalar or pseudoscalar as --from or --to"
        )
    data = read_curve(curve, curve_card)
    card_path(card)  # one-line error for an unknown card before the models are built
    source_model = resolve_model(model_from, opts_from)
    target_model = resolve_model(model_to, opts_to)
    experiment = get_experiment(card)
    if recast_method == "darkcast":
        from darkreach.recast_dump import NA62_LENGTH_RATIO, darkcast_recast_curve

        result = darkcast_recast_curve(
            data,
            experiment,
            source_model,
            target_model,
            production=production,
            length_ratio=NA62_LENGTH_RATIO if length_ratio is None else length_ratio,
        )
    else:
        for name, value, default in (
            ("--production", production, "eta"),
            ("--length-ratio", length_ratio, None),
        ):
            if value != default:
                raise InvalidParameterError(name, value, "only with --method darkcast")
        result = do_recast(data, experiment, source_model, target_model)

    writers: list[Writer] = []
    if out is not None:
        from darkreach.io import write_reach_csv

        writers.append((out, lambda path: write_reach_csv([result.curve], path), "--out"))
    if plot is not None:
        from darkreach.plotting import plot_reach

        fig = plot_reach([result.curve])
        writers.append((plot, lambda path: fig.savefig(path, dpi=150), "--plot"))
    write_outputs(writers, inputs=inputs)

    warnings = [n for n in result.curve.notes if n.startswith("WARNING")]
    if as_json:
        for note in warnings:
            click.echo(f"darkreach: {note}", err=True)
        emit_json({"model": model_to, "curves": [recast_record(result)]})
        return
    _print_summary(result, out, plot)
    for note in warnings:
        click.echo(f"darkreach: {note}", err=True)


def _print_summary(result: object, out: Path | None, plot: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from darkreach.recast import RecastCurve
    from darkreach.text import plain_text

    assert isinstance(result, RecastCurve)
    c = result.curve
    console = Console()
    table = Table(title=f"{plain_text(c.card_title)} -> {plain_text(c.model_label)} ({c.card})")
    table.add_column("mass [MeV]", justify="right")
    table.add_column(f"{result.from_model}\n{plain_text(result.from_label)}", justify="right")
    table.add_column(f"{c.model}\n{plain_text(c.coupling_symbol)}", justify="right")
    masses = c.masses
    picks = np.unique(np.linspace(0, masses.size - 1, min(25, masses.size)).round().astype(int))
    for i in picks:
        upper = c.coupling_upper[i] if c.coupling_upper is not None else np.nan
        lower = c.coupling[i]
        text = "-" if not np.isfinite(lower) else f"{lower:.3e}"
        if np.isfinite(upper):
            text += f" - {upper:.3e}"
        source = result.coupling_from[i]
        table.add_row(f"{masses[i]:.4g}", f"{source:.3e}" if np.isfinite(source) else "-", text)
    console.print(table)
    for note in c.notes:
        if not note.startswith("WARNING"):
            console.print(f"note: {note}", highlight=False)
    for path, what in ((out, "table"), (plot, "plot")):
        if path is not None:
            console.print(f"wrote {what}: {path}")
