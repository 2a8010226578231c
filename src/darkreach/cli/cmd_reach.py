"""``darkreach reach``: exclusion / sensitivity curves for one or several cards."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import numpy as np

from darkreach.cli._common import (
    Writer,
    check_output_paths,
    emit_json,
    gminus2_reference_names,
    model_options,
    parse_mass_grid,
    write_outputs,
)
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.validate import check_cl

if TYPE_CHECKING:
    from darkreach.bounds.base import BoundCurve
    from darkreach.results import ReachCurve


def _model_options(
    model: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    neutrinos: str,
    dark_coupling: float | None = None,
) -> dict[str, object]:
    """Translate CLI options into :func:`darkreach.models.registry.get_model` options.

    The dark-matter options (--alpha-d, --ratio, --dm) apply to the models with dark matter,
    ``lmu-ltau-dm`` and ``dark-photon-dm``; unset ones keep the registry defaults.
    """
    dm_models = ("lmu-ltau-dm", "dark-photon-dm", "b-l-dm")  # take --alpha-d, --ratio, --dm
    options: dict[str, object] = {}
    if model.startswith("lmu-ltau"):
        options["neutrinos"] = neutrinos
    if model in dm_models:
        if alpha_d is not None:
            options["alpha_d"] = alpha_d
        if ratio is not None:
            options["mass_ratio"] = ratio
        if dm is not None:
            options["kind"] = dm
    elif any(v is not None for v in (alpha_d, ratio, dm)):
        raise InvalidParameterError(
            "--model", model, f"{' or '.join(dm_models)} when --alpha-d/--ratio/--dm are given"
        )
    if dark_coupling is not None:
        if model not in ("scalar", "pseudoscalar"):
            raise InvalidParameterError(
                "--model", model, "scalar or pseudoscalar with --dark-coupling"
            )
        options["dark_coupling"] = dark_coupling
    return options


@click.command("reach")
@click.argument("cards", nargs=-1, required=True, metavar="CARD...")
@click.option(
    "--model",
    default="lmu-ltau",
    show_default=True,
    help="lmu-ltau (Z' invisible via neutrinos, mu mu above 2 m_mu), lmu-ltau-dm (Z' -> chi "
    "chi), scalar, pseudoscalar, dark-photon, dark-photon-dm (A' -> chi chi, coupling eps), "
    "b-l, hnl-mu or hnl-e (kaon HNL cards), millicharge (mass m_chi, coupling Q/e), alp-mu "
    "(g_amumu in GeV^-1). Each card type names the models it computes.",
)
@click.option(
    "--masses",
    default=None,
    help="Mass grid A:B:N (log-spaced) or a comma list, with units. Default: 200 masses over "
    "the cards' kinematic range within 1MeV:3GeV.",
)
@click.option("--cl", type=float, default=None, help="Confidence level (default: the card's, 0.9).")
@click.option(
    "--method",
    type=click.Choice(["cls", "fc", "classical", "cut-and-count", "likelihood"]),
    default=None,
    help="Limit method (default: the card's). cut-and-count (S/sqrt(B + kappa^2 B^2) = 2) and "
    "likelihood (binned Lambda = 4) apply to the NA62 kaon cards.",
)
@click.option(
    "--gminus2-reference",
    type=click.Choice(gminus2_reference_names()),
    default=None,
    help="g-2 reference for the band (default fnal2023-wp20; `darkreach gminus2 "
    "--list-references` shows the values).",
)
@click.option(
    "--bounds",
    "bounds_spec",
    default="auto",
    show_default=True,
    help="Existing bounds drawn as grey regions: auto (all computed bounds for the model: "
    "ccfr, neff for lmu-ltau), none, or a comma list (see `darkreach bounds list`).",
)
@click.option(
    "--bounds-file",
    "bounds_files",
    multiple=True,
    help="A downloaded bound curve to draw as well (repeatable): NAME=PATH for a user bound "
    "of `darkreach bounds list` (e.g. babar-4mu=BaBar_TheBABAR2016rlg.lmt), or PATH alone: two "
    "or three columns (mass in GeV unless the file says MeV, coupling[, upper edge]), CSV, or "
    "a HEPData YAML table; in the coupling of --model.",
)
@click.option(
    "--plane",
    type=click.Choice(["g", "y"]),
    default="g",
    show_default=True,
    help="Plot in (m, g) or in the thermal-relic plane (m_chi, y).",
)
@click.option(
    "--y-convention",
    type=click.Choice(["a", "b", "c"]),
    default="b",
    show_default=True,
    help="y convention for --plane y: (a) g^2 alpha_D r^4, (b) g^2 alpha_D r^4/(4 pi alpha), "
    "(c) g^2 g_chi^2 r^4 with r = m_chi/m_Z' (printed on the axis).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the table (CSV).",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the plot (PNG, PDF, SVG).",
)
@click.option(
    "--hepdata",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write a HEPData submission (submission.yaml and one table per card, in the (m, g) "
    "plane) into this new (or empty) directory.",
)
@click.option(
    "--rows",
    type=click.IntRange(min=0),
    default=25,
    show_default=True,
    help="Masses shown in the terminal table (0: all).",
)
@model_options
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def reach(
    cards: tuple[str, ...],
    model: str,
    masses: str | None,
    cl: float | None,
    method: str | None,
    neutrinos: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    dark_coupling: float | None,
    gminus2_reference: str | None,
    bounds_spec: str,
    bounds_files: tuple[str, ...],
    plane: str,
    y_convention: str,
    out: Path | None,
    plot: Path | None,
    hepdata: Path | None,
    rows: int,
    as_json: bool,
) -> None:
    """Excluded (data) or reachable (projection) coupling versus mass for CARD(s).

    CARD is a shipped card name (see `darkreach cards`) or a path to a .toml card; repeat it
    to overlay several.

    \b
    Example:
      darkreach reach na64mu-2022 --out reach.csv --plot reach.png
      darkreach reach na64mu-2022 na64mu-run4 m3-phase2 --model lmu-ltau-dm --plot dm.png
      darkreach reach na64mu-2022 m3-phase2 --model lmu-ltau-dm --plane y --plot y.png
    """
    from darkreach.experiments.registry import get_experiment
    from darkreach.reach import masses_for

    if cl is not None:
        check_cl(cl, "--cl")
    options = _model_options(model, alpha_d, ratio, dm, neutrinos, dark_coupling)
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--plot", str(plot), "a file ending in .png, .pdf or .svg")
    if out is not None and out.suffix.lower() != ".csv":
        raise InvalidParameterError("--out", str(out), "a file ending in .csv")
    card_files = [Path(c) for c in cards if Path(c).is_file()]
    outputs = [(f, p) for f, p in (("--out", out), ("--plot", plot)) if p is not None]
    check_output_paths(outputs, inputs=card_files)  # before any physics runs
    from darkreach.plotting_bounds import select_bounds

    select_bounds(model, bounds_spec)  # a bad name fails before any physics runs
    user_bounds = [_user_bound(spec, model) for spec in bounds_files]
    if hepdata is not None:
        from darkreach.hepdata import check_target

        check_target(hepdata)

    from darkreach.reach import resolve_model

    try:
        model_obj = resolve_model(model, options)
    except InvalidParameterError as exc:
        if exc.field == "model":  # name the user's option, not the library argument
            raise InvalidParameterError("--model", exc.value, exc.allowed) from None
        raise
    experiments = [get_experiment(card) for card in cards]
    grid = parse_mass_grid(masses) if masses is not None else masses_for(experiments)
    _check_some_card_reaches(grid, experiments)
    try:
        curves = [exp.reach(model_obj, grid, cl=cl, method=method) for exp in experiments]
    except InvalidParameterError as exc:
        if exc.field in ("cl", "method", "model"):  # the user's option, not the argument
            raise InvalidParameterError(f"--{exc.field}", exc.value, exc.allowed) from None
        raise
    yplanes = None
    if plane == "y":
        from darkreach.physics.relic.yplane import reach_to_yplane

        yplanes = [
            reach_to_yplane(
                c,
                ratio=float(options.get("mass_ratio", 3.0)),  # type: ignore[arg-type]
                alpha_d=float(options.get("alpha_d", 0.5)),  # type: ignore[arg-type]
                convention=y_convention,
            )
            for c in curves
        ]

    writers: list[Writer] = []
    if out is not None:
        from darkreach.io import write_reach_csv

        writers.append((out, lambda path: write_reach_csv(curves, path, yplanes), "--out"))
    if plot is not None:
        if plane == "y":
            from darkreach.plotting_relic import plot_yplane_from_reach

            fig = plot_yplane_from_reach(
                curves,
                ratio=float(options.get("mass_ratio", 3.0)),  # type: ignore[arg-type]
                alpha_d=float(options.get("alpha_d", 0.5)),  # type: ignore[arg-type]
                convention=y_convention,
                neutrinos=neutrinos,
                reach_dm=str(options.get("kind", "complex-scalar"))
                if model.endswith("-dm")
                else None,
            )
        else:
            from darkreach.plotting import plot_reach

            fig = plot_reach(
                curves,
                gminus2_reference=gminus2_reference,
                bounds=bounds_spec,
                extra_bounds=user_bounds,
            )
        writers.append((plot, lambda path: fig.savefig(path, dpi=150), "--plot"))
    if hepdata is not None:
        from darkreach.hepdata import write_submission

        # a directory, renamed into place when complete; taken back if another output fails
        existed = hepdata.is_dir()
        write_submission(curves, hepdata)
        try:
            write_outputs(writers, inputs=card_files)
        except BaseException:
            shutil.rmtree(hepdata, ignore_errors=True)
            if existed:
                hepdata.mkdir()
            raise
    else:
        write_outputs(writers, inputs=card_files)

    if as_json:
        from darkreach.io import curve_record

        records = [
            curve_record(c, yplanes[i] if yplanes is not None else None)
            for i, c in enumerate(curves)
        ]
        emit_json({"model": model, "plane": plane, "curves": records})
        return
    _print_summary(curves, out, plot, rows)
    if hepdata is not None:
        click.echo(f"wrote HEPData submission: {hepdata}")


def _user_bound(spec: str, model: str) -> BoundCurve:
    """``NAME=PATH`` (a catalogue user bound) or ``PATH`` (any curve file) for --bounds-file."""
    from darkreach.bounds.registry import USER_BOUNDS, user_bound_curve
    from darkreach.bounds.user import load_user_bound

    name, sep, path = spec.partition("=")
    if sep and name in USER_BOUNDS:
        return user_bound_curve(name, model, path)
    if sep and not Path(spec).exists():
        raise InvalidParameterError(
            "--bounds-file", spec, "NAME=PATH with NAME one of " + ", ".join(USER_BOUNDS)
        )
    return load_user_bound(spec, model)


def _check_some_card_reaches(grid: np.ndarray, experiments: list[Any]) -> None:
    """Masses above the kinematic reach of every card are an error (above one card's: null)."""
    ranges = [getattr(e, "mass_range", None) for e in experiments]
    if not ranges or any(r is None for r in ranges):
        return
    high = max(float(r()[1]) for r in ranges if r is not None)
    if float(grid.max()) >= high:
        raise KinematicallyForbiddenError(
            "--masses",
            f"{float(grid.max()):g} MeV",
            f"masses below {high:.6g} MeV (the kinematic limit of the cards given)",
        )


def _edge_text(lower: float, upper: float) -> str:
    if not np.isfinite(lower):
        return "-"
    if np.isfinite(upper):
        return f"{lower:.3e} - {upper:.3e}"
    return f"> {lower:.3e}"


def _print_summary(
    curves: list[ReachCurve], out: Path | None, plot: Path | None, rows: int
) -> None:
    """A rich table of ``rows`` masses (all when rows >= the grid), upper edges included."""
    from rich.console import Console
    from rich.table import Table

    from darkreach.text import plain_text

    console = Console()
    first = curves[0]
    masses = first.masses
    shown = min(rows, masses.size) if rows > 0 else masses.size
    picks = np.unique(np.linspace(0, masses.size - 1, shown).round().astype(int))
    console.print(
        f"{plain_text(first.model_label)}: excluded {plain_text(first.coupling_symbol)} "
        f"at {100 * first.cl:g}% CL ({first.method})",
        highlight=False,
    )
    table = Table()
    table.add_column("mass [MeV]", justify="right")
    for c in curves:
        table.add_column(f"{c.card}\n{c.kind}", justify="right", overflow="fold", min_width=11)
    for i in picks:
        row = [f"{masses[i]:.4g}"]
        for c in curves:
            upper = c.coupling_upper[i] if c.coupling_upper is not None else np.nan
            row.append(_edge_text(c.coupling[i], upper))
        table.add_row(*row)
    console.print(table)
    if picks.size < masses.size:
        console.print(
            f"{picks.size} of {masses.size} masses shown (all: --rows 0, --out FILE.csv or --json)",
            highlight=False,
        )
    for path, what in ((out, "table"), (plot, "plot")):
        if path is not None:
            console.print(f"wrote {what}: {path}")
    sys.stdout.flush()
