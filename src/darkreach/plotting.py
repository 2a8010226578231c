"""Publication-style exclusion plots in the (mass, coupling) plane.

>>> from darkreach.reach import compute_reach, default_masses
>>> curves = compute_reach(["na64mu-2022"], "lmu-ltau", default_masses(30))
>>> fig = plot_reach(curves)
>>> fig.axes[0].get_xscale()
'log'
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import matplotlib
import mplhep
import numpy as np
from matplotlib.figure import Figure

from darkreach._version import __version__
from darkreach.models.base import Spin
from darkreach.results import ReachCurve

matplotlib.rcParams.setdefault("savefig.dpi", 150)
# mplhep styles name fonts that are not on every machine; the fallback is fine, the log noise is not
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

#: colour cycle (colour-blind safe, Okabe-Ito)
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

_SPIN_FOR_MODEL: dict[str, Spin] = {
    "lmu-ltau": "vector",
    "lmu-ltau-dm": "vector",
    "dark-photon": "vector",
    "scalar": "scalar",
    "pseudoscalar": "pseudoscalar",
}


def _style() -> object:
    import matplotlib.pyplot as plt

    return plt.style.context(mplhep.style.ROOT)


def plot_reach(
    curves: Sequence[ReachCurve],
    *,
    gminus2_reference: str | None = None,
    show_gminus2: bool = True,
    title: str | None = None,
) -> Figure:
    """Overlay reach curves with the muon g-2 band (2 sigma) on log axes.

    Data sets (observed limits) are solid lines with the excluded region shaded; projections
    are dashed, with their +-1 sigma expected band where it is not degenerate.
    ``gminus2_reference`` names a :mod:`darkreach.physics.gminus2` reference (default: the
    package default).
    """
    if not curves:
        raise ValueError("plot_reach needs at least one curve")
    with _style():  # type: ignore[attr-defined]
        fig = Figure(figsize=(9.0, 7.0))
        ax = fig.add_subplot()
        masses_all = np.concatenate([c.masses for c in curves])
        m_lo, m_hi = float(masses_all.min()), float(masses_all.max())
        finite = np.concatenate([c.coupling[np.isfinite(c.coupling)] for c in curves])
        y_lo = float(finite.min()) / 3 if finite.size else 1e-6
        y_hi = 1.0

        first = curves[0]
        if show_gminus2 and first.model in _SPIN_FOR_MODEL:
            from darkreach.physics.gminus2 import coupling_band, default_reference, get_reference

            ref = get_reference(gminus2_reference) if gminus2_reference else default_reference()
            grid = np.geomspace(m_lo, m_hi, 400)
            low, high = coupling_band(grid, ref, kind=_SPIN_FOR_MODEL[first.model], nsigma=2)
            label = rf"$(g-2)_\mu$ $\pm 2\sigma$ ({ref.label})"
            if np.isfinite(low).any():
                ax.fill_between(grid, low, high, color="#4daf4a", alpha=0.35, lw=0, label=label)
                y_lo = min(y_lo, float(np.nanmin(low)) / 2)
            else:
                ax.plot(grid, high, color="#4daf4a", lw=2, label=label + ", upper edge")

        for i, curve in enumerate(curves):
            colour = COLOURS[i % len(COLOURS)]
            ok = np.isfinite(curve.coupling)
            observed = curve.kind == "observed"
            label = curve.card_title
            if not observed and "expected" not in label:
                label += " (expected)"
            ax.plot(
                curve.masses[ok],
                curve.coupling[ok],
                color=colour,
                lw=2.2,
                ls="-" if observed else "--",
                label=label,
            )
            top = curve.coupling_upper if curve.coupling_upper is not None else None
            upper = (
                np.where(np.isfinite(top), top, y_hi)
                if top is not None
                else np.full_like(curve.coupling, y_hi)
            )
            if observed:
                ax.fill_between(
                    curve.masses,
                    np.where(ok, curve.coupling, np.nan),
                    np.where(ok, upper, np.nan),
                    color=colour,
                    alpha=0.15,
                    lw=0,
                )
            elif "minus1" in curve.bands and "plus1" in curve.bands:
                lo_b, hi_b = curve.bands["minus1"], curve.bands["plus1"]
                if np.nanmax(np.abs(hi_b / lo_b - 1.0), initial=0.0) > 1e-3:
                    ax.fill_between(curve.masses, lo_b, hi_b, color=colour, alpha=0.15, lw=0)
            if top is not None:
                ok_top = np.isfinite(top)
                ax.plot(
                    curve.masses[ok_top],
                    top[ok_top],
                    color=colour,
                    lw=1.5,
                    ls="-" if observed else "--",
                )

        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(m_lo, m_hi)
        ax.set_ylim(y_lo, y_hi)
        mass_symbol = (
            "m_{Z'}"
            if first.model.startswith("lmu")
            else ("m_S" if first.model in ("scalar", "pseudoscalar") else "m_X")
        )
        ax.set_xlabel(rf"${mass_symbol}$ [MeV]")
        ax.set_ylabel(rf"${first.coupling_symbol}$")
        cl = {f"{100 * c.cl:g}%" for c in curves}
        ax.set_title(
            title or f"{first.model_label}, {'/'.join(sorted(cl))} CL", fontsize=15, loc="left"
        )
        ax.legend(loc="upper left", fontsize=11, frameon=True, framealpha=0.9, edgecolor="none")
        ax.text(
            0.99,
            1.005,
            f"darkreach {__version__}",
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=10,
            color="0.4",
        )
        fig.tight_layout()
    return fig


def save_figure(fig: Figure, path: Path) -> None:
    """Save a figure (format from the file suffix; PNG at 150 dpi)."""
    fig.savefig(path, dpi=150)
