"""A slice of a scan: the limit at one mass versus one option axis (e.g. alpha_D).

One line per (card, model, the other options, cl, method); the coupling at the mass is
interpolated in log-log between the two grid masses around it (no value where either is
missing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.errors import InvalidParameterError
from darkreach.scan.spec import AXES, Spec, spec_axes

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def coupling_at(masses: list[float], couplings: list[float | None], mass: float) -> float | None:
    """Log-log interpolation of the coupling at ``mass`` (None outside or where missing)."""
    grid = np.asarray(masses, dtype=float)
    if not grid[0] <= mass <= grid[-1]:
        return None
    upper = int(np.searchsorted(grid, mass))
    if grid[upper] == mass:
        return couplings[upper]
    lower = upper - 1
    a, b = couplings[lower], couplings[upper]
    if a is None or b is None:
        return None
    t = (np.log(mass) - np.log(grid[lower])) / (np.log(grid[upper]) - np.log(grid[lower]))
    return float(np.exp(np.log(a) + t * (np.log(b) - np.log(a))))


def slice_series(
    spec: Spec, entries: list[dict[str, Any]], x: str, mass: float, card: str | None = None
) -> dict[str, tuple[list[Any], list[float | None]]]:
    """label -> (x values, coupling at ``mass``), for the done tasks that vary ``x``."""
    if x not in spec_axes(spec):
        allowed = ", ".join(spec_axes(spec)) or "(the spec has no option axes)"
        raise InvalidParameterError("--x", x, f"an option axis of the spec: {allowed}")
    if not min(spec.masses) <= mass <= max(spec.masses):
        raise InvalidParameterError(
            "--mass", f"{mass:g} MeV", f"{min(spec.masses):g} to {max(spec.masses):g} MeV"
        )
    if card is not None and card not in spec.section.cards:
        raise InvalidParameterError("--card", card, ", ".join(spec.section.cards))
    series: dict[str, tuple[list[Any], list[float | None]]] = {}
    for entry in entries:
        if entry["state"] != "done" or x not in entry["options"]:
            continue
        if card is not None and entry["card"] != card:
            continue
        rest = [f"{k}={v}" for k, v in sorted(entry["options"].items()) if k != x]
        rest += [f"{k}={entry[k]}" for k in ("cl", "method") if entry[k] is not None]
        label = " ".join([entry["card"], entry["model"], *rest])
        xs, ys = series.setdefault(label, ([], []))
        xs.append(entry["options"][x])
        ys.append(coupling_at(entry["mass_MeV"], entry["coupling"], mass))
    if not series:
        raise InvalidParameterError(
            "--x", x, f"an axis with finished tasks (models {', '.join(AXES[x].models)})"
        )
    return series


def plot_slice(
    series: dict[str, tuple[list[Any], list[float | None]]], x: str, mass: float
) -> Figure:
    """Coupling at ``mass`` versus the axis ``x``, one line per series.

    darkreach's plot style (legend below the axes, version stamp); lines that coincide (an
    option that does not change the limit) stay visible through distinct markers and dashes.
    """
    from matplotlib.figure import Figure

    from darkreach.plotting import COLOURS, place_legend, plot_style, stamp_version

    markers = ("o", "s", "^", "D", "v", "P", "X")
    dashes = ("-", "--", ":", "-.")
    with plot_style():
        fig = Figure(figsize=(9.0, 7.0), layout="constrained")
        ax = fig.add_subplot()
        numeric = all(isinstance(v, (int, float)) for xs, _ in series.values() for v in xs)
        for i, (label, (xs, ys)) in enumerate(series.items()):
            order = sorted(range(len(xs)), key=lambda k: xs[k]) if numeric else range(len(xs))
            values = np.array([np.nan if ys[k] is None else ys[k] for k in order], dtype=float)
            ax.plot(
                [xs[k] for k in order],
                values,
                marker=markers[i % len(markers)],
                markersize=10 - 1.5 * (i % 4),
                ls=dashes[i % len(dashes)],
                color=COLOURS[i % len(COLOURS)],
                label=label,
            )
        ax.set_yscale("log")
        finite = [v for _, ys in series.values() for v in ys if v is not None and v > 0]
        if finite:  # room above and below: coinciding lines must not sit on the frame
            ax.set_ylim(min(finite) / 2.0, max(finite) * 2.0)
        ax.set_xlabel(x)
        ax.set_ylabel(f"coupling at {mass:g} MeV")
        place_legend(fig, ax)
        stamp_version(fig)
    return fig
