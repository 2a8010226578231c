"""Publication-style exclusion plots in the (mass, coupling) plane.

>>> from darkreach.reach import compute_reach, default_masses
>>> curves = compute_reach(["na64mu-2022"], "lmu-ltau", default_masses(30))
>>> fig = plot_reach(curves)
>>> fig.axes[0].get_xscale()
'log'
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import mplhep
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.constants import e_charge
from darkreach.models.base import BosonSpin
from darkreach.results import ReachCurve

if TYPE_CHECKING:
    from darkreach.bounds.base import BoundCurve

matplotlib.rcParams.setdefault("savefig.dpi", 150)

#: colour cycle (colour-blind safe, Okabe-Ito)
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

_SPIN_FOR_MODEL: dict[str, BosonSpin] = {
    "lmu-ltau": "vector",
    "lmu-ltau-dm": "vector",
    "dark-photon": "vector",
    "dark-photon-dm": "vector",
    "b-l": "vector",
    "b-l-dm": "vector",
    "scalar": "scalar",
    "pseudoscalar": "pseudoscalar",
}


#: coupling symbols whose plain spelling does not read well as mathtext
_MATH_SYMBOLS = {
    "epsilon": r"\varepsilon",
    "g_BL": r"g_{B-L}",
    "Q/e": r"Q_\chi/e",
}


def plot_style() -> AbstractContextManager[Any]:
    """The mplhep (ROOT) style context shared by all darkreach plots."""
    import matplotlib.pyplot as plt

    context: AbstractContextManager[Any] = plt.style.context(mplhep.style.ROOT)
    return context


def plot_reach(
    curves: Sequence[ReachCurve],
    *,
    gminus2_reference: str | None = None,
    show_gminus2: bool = True,
    title: str | None = None,
    bounds: str = "auto",
    extra_bounds: Sequence[BoundCurve] = (),
) -> Figure:
    """Overlay reach curves with the muon g-2 band (2 sigma) on log axes.

    Data sets (observed limits) are solid lines with the excluded region shaded; projections
    are dashed, with their +-1 sigma expected band where it is not degenerate.
    ``gminus2_reference`` names a :mod:`darkreach.physics.gminus2` reference (default: the
    package default). ``bounds``: existing bounds drawn as grey regions, ``"auto"`` (those that
    apply to the model, :mod:`darkreach.plotting_bounds`), ``"none"`` or a comma list of
    names; ``extra_bounds`` adds evaluated curves, e.g. from user files.
    """
    if not curves:
        raise ValueError("plot_reach needs at least one curve")
    with plot_style():
        fig = Figure(figsize=(9.0, 7.5), layout="constrained")
        ax = fig.add_subplot()
        masses_all = np.concatenate([c.masses for c in curves])
        m_lo, m_hi = float(masses_all.min()), float(masses_all.max())
        y_lo, y_hi = coupling_axis_range(curves)

        first = curves[0]
        if show_gminus2 and first.model in _SPIN_FOR_MODEL:
            from darkreach.physics.gminus2 import coupling_band, default_reference, get_reference

            ref = get_reference(gminus2_reference) if gminus2_reference else default_reference()
            grid = np.geomspace(m_lo, m_hi, 400)
            low, high = coupling_band(grid, ref, kind=_SPIN_FOR_MODEL[first.model], nsigma=2)
            # the band is in the muon coupling; the dark photon's is e eps (axis: eps)
            per_unit = e_charge if first.model.startswith("dark-photon") else 1.0
            low, high = low / per_unit, high / per_unit
            label = rf"$(g-2)_\mu$ $\pm 2\sigma$ ({ref.label})"
            draw_gminus2_band(ax, grid, low, high, label)
            if np.isfinite(low).any():
                y_lo = min(y_lo, float(np.nanmin(low)) / 2)

        n_observed = sum(c.kind != "expected" for c in curves)
        for i, curve in enumerate(curves):
            draw_limit(
                ax,
                curve.masses,
                curve.coupling,
                curve.coupling_upper,
                observed=curve.kind != "expected",  # emulated: a data set, drawn as one
                label=curve.card_title + (" (emulated)" if curve.kind == "emulated" else ""),
                colour=COLOURS[i % len(COLOURS)],
                ceiling=y_hi,
                band=(curve.bands.get("minus1"), curve.bands.get("plus1")),
                # overlapping shadings of several data sets must not turn muddy
                shade_alpha=0.15 if n_observed <= 1 else 0.07,
            )

        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(m_lo * (1 - 1e-5), m_hi * (1 + 1e-5))  # keep decade ticks at the ends
        ax.set_ylim(y_lo, y_hi)
        from darkreach.plotting_bounds import draw_bounds, evaluate_bounds, select_bounds

        names = select_bounds(first.model, bounds)
        grid = np.geomspace(m_lo, m_hi, 400)
        user = [b.on_grid(grid) for b in extra_bounds]
        draw_bounds(ax, [*evaluate_bounds(names, first.model, grid), *user], y_hi)
        mass_symbol = {
            "scalar": "m_S",
            "pseudoscalar": "m_P",
            "hnl-mu": "m_N",
            "hnl-e": "m_N",
            "dark-photon": "m_{A'}",
            "dark-photon-dm": "m_{A'}",
            "millicharge": r"m_\chi",
            "alp-mu": "m_a",
        }.get(first.model, "m_{Z'}" if first.model.startswith(("lmu", "b-l")) else "m_X")
        ax.set_xlabel(rf"${mass_symbol}$ [MeV]")
        symbol = _MATH_SYMBOLS.get(first.coupling_symbol, first.coupling_symbol)
        ax.set_ylabel(rf"${symbol}$")
        cl = {f"{100 * c.cl:g}%" for c in curves}
        ax.set_title(
            title or f"{first.model_label}, {'/'.join(sorted(cl))} CL", fontsize=15, loc="left"
        )
        place_legend(fig, ax)
        stamp_version(fig)
    return fig


def stamp_version(fig: Figure) -> None:
    """Write ``darkreach <version>`` in the bottom-right corner of ``fig`` (every plot: one place).

    The corner is figure margin in every darkreach layout (legends sit below the axes,
    centred), clear of axes and titles.
    """
    fig.text(
        0.995,
        0.005,
        f"darkreach {__version__}",
        ha="right",
        va="bottom",
        fontsize=8,
        color="0.45",
    )


#: z-order of the layers of a reach plot: shading below the g-2 band below the lines
Z_SHADING, Z_BAND, Z_LINES = 1.0, 2.0, 3.0
GMINUS2_COLOUR = "#33a02c"


def coupling_axis_range(curves: Sequence[ReachCurve]) -> tuple[float, float]:
    """y range that shows every lower edge and every closed region in full.

    Room of a decade and a half above the weakest lower edge, and above the highest upper edge
    of an interval exclusion, so no closed region is cut below coupling 1 (the plot's ceiling:
    couplings above 1 are not perturbative).
    """
    finite = np.concatenate([c.coupling[np.isfinite(c.coupling)] for c in curves])
    y_lo = float(finite.min()) / 3 if finite.size else 1e-6
    top = float(finite.max()) if finite.size else 1.0
    y_hi = min(1.0, 10.0 ** np.ceil(np.log10(top) + 1.5))
    uppers = [
        c.coupling_upper[np.isfinite(c.coupling_upper)]
        for c in curves
        if c.coupling_upper is not None
    ]
    upper = np.concatenate(uppers) if uppers else np.empty(0)
    if upper.size:  # up to coupling 1 at most: beyond it perturbation theory fails anyway
        y_hi = min(1.0, max(y_hi, 10.0 ** np.ceil(np.log10(float(upper.max())) + 0.3)))
    return y_lo, y_hi


def draw_gminus2_band(
    ax: Axes, masses: FloatArray, low: FloatArray, high: FloatArray, label: str
) -> None:
    """The g-2 band: translucent fill with solid edges, drawn above excluded shading.

    Where the reference has no lower edge (no anomaly), only the upper edge is drawn.
    """
    if np.isfinite(low).any():
        ax.fill_between(
            masses, low, high, color=GMINUS2_COLOUR, alpha=0.3, lw=0, zorder=Z_BAND, label=label
        )
        for edge in (low, high):
            ax.plot(masses, edge, color=GMINUS2_COLOUR, lw=1.0, zorder=Z_BAND)
    else:
        ax.plot(
            masses, high, color=GMINUS2_COLOUR, lw=2, zorder=Z_BAND, label=label + ", upper edge"
        )


def place_legend(fig: Figure, ax: Axes) -> None:
    """Legend below the axes (constrained layout), so it never covers a curve."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=2 if len(handles) > 3 else 1,
        fontsize=11,
        frameon=False,
    )


def draw_limit(
    ax: Axes,
    x: FloatArray,
    lower: FloatArray,
    upper: FloatArray | None,
    *,
    observed: bool,
    label: str,
    colour: str,
    ceiling: float,
    band: tuple[FloatArray | None, FloatArray | None] = (None, None),
    shade_alpha: float = 0.15,
) -> None:
    """Draw one limit: a solid line with the excluded region shaded (``shade_alpha``) up to
    ``upper`` (or ``ceiling``) for observed limits; a dashed line with its +-1 sigma band (where not
    degenerate) for expected ones. NaN marks masses without sensitivity.
    """
    ok = np.isfinite(lower)
    style = "-" if observed else "--"
    if not observed and "expected" not in label:
        label += " (expected)"
    ax.plot(x[ok], lower[ok], color=colour, lw=2.2, ls=style, label=label, zorder=Z_LINES)
    top = (
        np.full_like(lower, ceiling)
        if upper is None
        else np.where(np.isfinite(upper), upper, ceiling)
    )
    if observed:
        ax.fill_between(
            x,
            np.where(ok, lower, np.nan),
            np.where(ok, top, np.nan),
            color=colour,
            alpha=shade_alpha,
            lw=0,
            zorder=Z_SHADING,
        )
    elif band[0] is not None and band[1] is not None:
        lo_b, hi_b = band[0], band[1]
        if np.nanmax(np.abs(hi_b / lo_b - 1.0), initial=0.0) > 1e-3:
            ax.fill_between(x, lo_b, hi_b, color=colour, alpha=0.15, lw=0, zorder=Z_SHADING)
    if upper is not None:
        ok_top = np.isfinite(upper)
        ax.plot(x[ok_top], upper[ok_top], color=colour, lw=1.5, ls=style, zorder=Z_LINES)
        # close the contour where the sensitivity ends between two masses
        closed = ok & ok_top
        ends = np.flatnonzero(closed & ~np.append(closed[1:], False))
        for i in ends:
            ax.plot(
                [x[i], x[i]], [lower[i], upper[i]], color=colour, lw=1.5, ls=style, zorder=Z_LINES
            )


def save_figure(fig: Figure, path: Path) -> None:
    """Save a figure (format from the file suffix; PNG at 150 dpi)."""
    fig.savefig(path, dpi=150)
