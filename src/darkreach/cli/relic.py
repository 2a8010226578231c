"""``darkreach relic``: thermal-relic targets (coupling and y giving Omega h^2 = 0.12).

Formulas and references: `darkreach --cite`. Examples::

    darkreach relic --dm scalar --mediator lmu-ltau --mass 10MeV --json
    darkreach relic --dm all --masses 1MeV:1GeV:60 --plot targets.png --out targets.csv
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import numpy as np

from darkreach.cli._common import ENERGY, emit_json, parse_mass_grid, progress_bar, write_outputs
from darkreach.errors import InvalidParameterError
from darkreach.text import plain_text

__all__ = ["relic"]

_DM_CHOICES = ("complex-scalar", "majorana", "pseudo-dirac", "dirac", "all", "scalar")
_ALL = ("complex-scalar", "majorana", "pseudo-dirac", "dirac")


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Print each distinct darkreach warning once on stderr as one line."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen: set[str] = set()
    for item in caught:
        if not issubclass(item.category, UserWarning):
            continue
        text = str(item.message)
        if text not in seen:
            seen.add(text)
            click.echo(f"darkreach: warning: {text}", err=True)


def _kinds(dm: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for name in dm or ("complex-scalar",):
        names = _ALL if name == "all" else ("complex-scalar" if name == "scalar" else name,)
        out.extend(n for n in names if n not in out)
    return out


def _validate(
    alpha_d: float, ratio: float, delta: float, kinds: list[str], omega_h2: float
) -> None:
    if not (math.isfinite(alpha_d) and 0.0 < alpha_d < 4.0 * math.pi):
        raise InvalidParameterError("--alpha-d", alpha_d, "0 < alpha_D < 4 pi")
    if not (math.isfinite(ratio) and ratio > 0.0):
        raise InvalidParameterError("--ratio", ratio, "m_mediator/m_chi > 0")
    if not (math.isfinite(delta) and delta >= 0.0):
        raise InvalidParameterError("--delta", delta, ">= 0")
    if delta > 0.0 and kinds != ["pseudo-dirac"]:
        raise InvalidParameterError("--delta", delta, "0 unless --dm pseudo-dirac alone")
    if not (math.isfinite(omega_h2) and omega_h2 > 0.0):
        raise InvalidParameterError("--omega-h2", omega_h2, "> 0")


def _check_mass_range(grid: np.ndarray, option: str, mediator: str) -> None:
    """Refuse masses outside the supported range, naming the user's option."""
    from darkreach.constants import m_e
    from darkreach.physics.relic.targets import MASS_RANGE, MASS_RANGE_TEXT

    low, high = MASS_RANGE
    bad = grid[(grid < low) | (grid > high)]
    if bad.size:
        raise InvalidParameterError(option, f"{bad[0]:g} MeV", MASS_RANGE_TEXT)
    if mediator == "dark-photon" and np.any(grid <= m_e):
        raise InvalidParameterError(
            option,
            f"{grid[grid <= m_e][0]:g} MeV",
            f"m_chi > m_e = {m_e:.4f} MeV for --mediator dark-photon",
        )


def _payload(t: Any) -> dict[str, Any]:
    """One JSON entry per DM type; the same keys as the CSV columns (lists even for one mass)."""
    from darkreach.physics.relic.yconventions import Y_CONVENTIONS, y_definition

    return {
        "dm": t.dm_kind,
        "mediator": t.mediator,
        "y_convention": t.y_convention,
        "y_definition": y_definition(t.mediator, t.y_convention),
        "coupling_symbol": t.coupling_symbol,
        "ratio": t.ratio,
        "alpha_d": t.alpha_d,
        "delta": t.delta,
        "neutrinos": t.neutrinos if t.mediator == "lmu-ltau" else None,
        "omega_h2_target": t.omega_h2_target,
        "width": "running" if t.running_width else "constant",
        "dof_table": t.dof_table,
        "mass_MeV": t.m_chi,
        "m_mediator_MeV": t.mediator_mass,
        "coupling": t.coupling,
        "y": t.y(),
        **{f"y_{c}": t.y(c) for c in Y_CONVENTIONS},
        "omega_h2_check": t.omega_h2_check,
        "converged": t.converged.tolist(),
        "complete": t.complete.tolist(),
        "notes": [plain_text(n) for n in t.notes],
    }


@click.command("relic")
@click.option(
    "--dm",
    type=click.Choice(_DM_CHOICES),
    multiple=True,
    default=("complex-scalar",),
    show_default=True,
    help="Dark-matter type, repeatable, as --dm of `darkreach reach`: complex-scalar, "
    "majorana, pseudo-dirac, dirac, or all (the four types); scalar is accepted for "
    "complex-scalar.",
)
@click.option(
    "--mediator",
    type=click.Choice(["lmu-ltau", "dark-photon"]),
    default="lmu-ltau",
    show_default=True,
    help="lmu-ltau (coupling g to the muon) or dark-photon (coupling epsilon).",
)
@click.option(
    "--mass",
    type=ENERGY,
    default=None,
    help="One DM mass m_chi with its unit, e.g. 10MeV (10 keV to 10 TeV).",
)
@click.option(
    "--masses",
    default=None,
    help="Mass grid A:B:N (log-spaced) or a comma list, with units (10 keV to 10 TeV).",
)
@click.option("--ratio", type=float, default=3.0, show_default=True, help="m_mediator/m_chi.")
@click.option(
    "--alpha-d", type=float, default=0.5, show_default=True, help="alpha_D = g_chi^2/(4 pi)."
)
@click.option(
    "--delta",
    type=float,
    default=0.0,
    show_default=True,
    help="Pseudo-Dirac relative splitting (m_2 - m_1)/m_1 (intended <~ 0.1).",
)
@click.option(
    "--neutrinos",
    type=click.Choice(["left", "dirac"]),
    default="left",
    show_default=True,
    help="L_mu-L_tau neutrino counting (left-handed only, or light Dirac neutrinos).",
)
@click.option(
    "--y-convention",
    type=click.Choice(["a", "b", "c"]),
    default="b",
    show_default=True,
    help="y definition: a = g^2 aD r^4, b = a/(4 pi alpha), c = 4 pi a, with r = m_chi/M.",
)
@click.option(
    "--constant-width",
    is_flag=True,
    help="Constant pole width M Gamma in the propagator instead of the "
    "energy-dependent sqrt(s) Gamma(sqrt(s)).",
)
@click.option("--omega-h2", type=float, default=0.12, show_default=True, help="Target Omega h^2.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="CSV table."
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Plot of the targets (PNG, PDF, SVG).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def relic(
    dm: tuple[str, ...],
    mediator: str,
    mass: float | None,
    masses: str | None,
    ratio: float,
    alpha_d: float,
    delta: float,
    neutrinos: str,
    y_convention: str,
    constant_width: bool,
    omega_h2: float,
    out: Path | None,
    plot: Path | None,
    as_json: bool,
) -> None:
    """Coupling and y that give the observed relic density by thermal freeze-out.

    The coupling is g of the L_mu-L_tau Z' to the muon, or epsilon for the dark photon;
    y is printed in the chosen convention (default b, which is the standard dark-photon y).
    Masses with m_mediator < 2.5 m_chi (near or past the resonance) are computed with a
    warning.

    \b
    Examples:
      darkreach relic --dm scalar --mediator lmu-ltau --mass 10MeV --json
      darkreach relic --dm all --masses 1MeV:1GeV:60 --plot targets.png --out targets.csv
    """
    from darkreach.io import relic_csv_text
    from darkreach.physics.relic.targets import relic_targets

    if (mass is None) == (masses is None):
        raise InvalidParameterError("--mass/--masses", "both" if mass else "none", "exactly one")
    if mass is not None and not (math.isfinite(mass) and mass > 0.0):
        raise InvalidParameterError("--mass", mass, "> 0 MeV")
    grid = np.array([mass]) if mass is not None else parse_mass_grid(str(masses))
    _check_mass_range(grid, "--mass" if mass is not None else "--masses", mediator)
    kinds = _kinds(dm)
    _validate(alpha_d, ratio, delta, kinds, omega_h2)
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--plot", str(plot), "a file ending in .png, .pdf or .svg")
    if out is not None and out.suffix.lower() != ".csv":
        raise InvalidParameterError("--out", str(out), "a file ending in .csv")

    with _warnings_to_stderr():
        results = []
        total = len(kinds) * grid.size
        with progress_bar(total, "freeze-out", enabled=not as_json) as advance_to:
            for i, kind in enumerate(kinds):

                def report(done: int, _total: int, offset: int = i * grid.size) -> None:
                    advance_to(offset + done)

                results.append(
                    relic_targets(
                        grid,
                        dm=kind,
                        mediator=mediator,
                        ratio=ratio,
                        alpha_d=alpha_d,
                        delta=delta,
                        neutrinos=neutrinos,
                        y_convention=y_convention,
                        omega_h2=omega_h2,
                        running_width=not constant_width,
                        progress=report,
                    )
                )
        writers: list[tuple[Path, Callable[[Path], None]]] = []
        if out is not None:
            text = relic_csv_text(results)

            def write_csv(path: Path) -> None:
                path.write_text(text, encoding="utf-8")

            writers.append((out, write_csv))
        if plot is not None:
            from darkreach.plotting_relic import plot_relic_targets

            fig = plot_relic_targets(results)
            writers.append((plot, lambda path: fig.savefig(path, dpi=150)))
        write_outputs(writers)

    if as_json:
        emit_json({"targets": [_payload(t) for t in results]})
        return
    _print_table(results, out, plot)


def _print_table(results: list[Any], out: Path | None, plot: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from darkreach.physics.relic.targets import y_definition

    console = Console()
    first = results[0]
    symbol = first.coupling_symbol
    label = y_definition(first.mediator, first.y_convention)
    table = Table(
        title=f"thermal targets ({first.mediator}, M = {first.ratio:g} m_chi, "
        f"alpha_D = {first.alpha_d:g}); y: {label}"
    )
    table.add_column("dm")
    table.add_column("m_chi [MeV]", justify="right")
    table.add_column(symbol, justify="right")
    table.add_column("y", justify="right")
    table.add_column("Omega h^2 check", justify="right")
    for t in results:
        picks = np.unique(np.linspace(0, t.m_chi.size - 1, min(10, t.m_chi.size)).round())
        y = t.y()
        for i in picks.astype(int):
            flag = "" if t.complete[i] else " *"
            table.add_row(
                t.dm_kind,
                f"{t.m_chi[i]:.4g}",
                f"{t.coupling[i]:.4e}{flag}",
                f"{y[i]:.4e}",
                f"{t.omega_h2_check[i]:.4f}",
            )
    console.print(table)
    if not all(np.all(t.complete) for t in results):
        console.print("* leptons only (hadronic channels missing): an upper bound")
    for path, what in ((out, "table"), (plot, "plot")):
        if path is not None:
            console.print(f"wrote {what}: {path}")
