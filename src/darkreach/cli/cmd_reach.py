"""``darkreach reach``: exclusion / sensitivity curves for one or several cards."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import numpy as np

from darkreach.cli._common import emit_json, parse_mass_grid, write_outputs
from darkreach.errors import InvalidParameterError


def _model_options(
    model: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    neutrinos: str,
    dark_coupling: float | None = None,
) -> dict[str, object]:
    """Translate CLI options into :func:`darkreach.models.registry.get_model` options."""
    options: dict[str, object] = {}
    if model.startswith("lmu-ltau"):
        options["neutrinos"] = neutrinos
    if model == "lmu-ltau-dm":
        if alpha_d is not None:
            options["alpha_d"] = alpha_d
        if ratio is not None:
            options["mass_ratio"] = ratio
        if dm is not None:
            options["kind"] = dm
    elif any(v is not None for v in (alpha_d, ratio, dm)):
        raise InvalidParameterError(
            "--model", model, "lmu-ltau-dm when --alpha-d/--ratio/--dm are given"
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
    help="lmu-ltau (invisible via neutrinos), lmu-ltau-dm, scalar, pseudoscalar, "
    "dark-photon, or a model of other experiment types (e.g. hnl-mu).",
)
@click.option(
    "--masses",
    default="1MeV:3GeV:200",
    show_default=True,
    help="Mass grid A:B:N (log-spaced) or a comma list, with units.",
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
    "--neutrinos",
    type=click.Choice(["left", "dirac"]),
    default="left",
    show_default=True,
    help="Neutrino counting for the L_mu-L_tau Z' width.",
)
@click.option(
    "--alpha-d", type=float, default=None, help="Dark coupling alpha_D (lmu-ltau-dm; default 0.5)."
)
@click.option("--ratio", type=float, default=None, help="m_Z'/m_chi (lmu-ltau-dm; default 3).")
@click.option(
    "--dm",
    type=click.Choice(["complex-scalar", "majorana", "pseudo-dirac", "dirac"]),
    default=None,
    help="Dark-matter type (lmu-ltau-dm; default complex-scalar).",
)
@click.option(
    "--dark-coupling",
    type=float,
    default=None,
    help="Scalar only: Yukawa coupling to dark fermions (m_chi = m_S/3); e.g. 1 makes "
    "S decay invisibly, as in the published NA64mu scalar limits.",
)
@click.option(
    "--gminus2-reference",
    default=None,
    help="g-2 reference for the band (see `darkreach gminus2 --help`).",
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
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def reach(
    cards: tuple[str, ...],
    model: str,
    masses: str,
    cl: float | None,
    method: str | None,
    neutrinos: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    dark_coupling: float | None,
    gminus2_reference: str | None,
    plane: str,
    y_convention: str,
    out: Path | None,
    plot: Path | None,
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
    from darkreach.reach import compute_reach

    grid = parse_mass_grid(masses)
    if cl is not None and not 0.0 < cl < 1.0:
        raise InvalidParameterError("--cl", cl, "0 < CL < 1")
    options = _model_options(model, alpha_d, ratio, dm, neutrinos, dark_coupling)
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--plot", str(plot), "a file ending in .png, .pdf or .svg")
    if out is not None and out.suffix.lower() != ".csv":
        raise InvalidParameterError("--out", str(out), "a file ending in .csv")

    curves = compute_reach(list(cards), model, grid, cl=cl, method=method, model_options=options)

    writers = []
    if out is not None:
        from darkreach.io import write_reach_csv

        writers.append((out, lambda path: write_reach_csv(curves, path)))
    if plot is not None:
        if plane == "y":
            from darkreach.plotting_relic import plot_yplane_from_reach

            fig = plot_yplane_from_reach(
                curves,
                ratio=float(options.get("mass_ratio", 3.0)),  # type: ignore[arg-type]
                alpha_d=float(options.get("alpha_d", 0.5)),  # type: ignore[arg-type]
                convention=y_convention,
                neutrinos=neutrinos,
            )
        else:
            from darkreach.plotting import plot_reach

            fig = plot_reach(curves, gminus2_reference=gminus2_reference)
        writers.append((plot, lambda path: fig.savefig(path, dpi=150)))
    write_outputs(writers)

    if as_json:
        payload: dict[str, object] = {
            "model": model,
            "cl": curves[0].cl,
            "method": curves[0].method,
        }
        per_card: dict[str, dict[str, object]] = {
            c.card: {
                "title": c.card_title,
                "kind": c.kind,
                "mass_MeV": c.masses,
                "coupling": c.coupling,
                **({"coupling_upper": c.coupling_upper} if c.coupling_upper is not None else {}),
                **({f"coupling_{k}": v for k, v in c.bands.items()}),
            }
            for c in curves
        }
        if plane == "y":
            from darkreach.physics.relic.yplane import reach_to_yplane

            for c in curves:
                yc = reach_to_yplane(
                    c,
                    ratio=float(options.get("mass_ratio", 3.0)),  # type: ignore[arg-type]
                    alpha_d=float(options.get("alpha_d", 0.5)),  # type: ignore[arg-type]
                    convention=y_convention,
                )
                per_card[c.card].update(m_chi_MeV=yc.m_chi, y=yc.y, y_convention=y_convention)
        if len(curves) == 1:
            payload.update(card=curves[0].card, **per_card[curves[0].card])
        else:
            payload["curves"] = per_card
        emit_json(payload)
        return
    _print_summary(curves, out, plot)


def _print_summary(curves: list, out: Path | None, plot: Path | None) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(
        title=f"{curves[0].model}: {curves[0].coupling_symbol} at {100 * curves[0].cl:g}% CL "
        f"({curves[0].method})"
    )
    table.add_column("mass [MeV]", justify="right")
    for c in curves:
        table.add_column(f"{c.card}\n{c.kind}", justify="right", overflow="fold", min_width=11)
    masses = curves[0].masses
    picks = np.unique(np.linspace(0, masses.size - 1, min(12, masses.size)).round().astype(int))
    for i in picks:
        row = [f"{masses[i]:.4g}"]
        for c in curves:
            value = c.coupling[i]
            row.append(f"{value:.3e}" if np.isfinite(value) else "-")
        table.add_row(*row)
    console.print(table)
    for path, what in ((out, "table"), (plot, "plot")):
        if path is not None:
            console.print(f"wrote {what}: {path}")
    if out is None:
        console.print("[dim](all masses: --out FILE.csv or --json)[/dim]", highlight=False)
    sys.stdout.flush()
