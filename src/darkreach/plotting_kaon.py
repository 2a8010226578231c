"""Reconstructed m_miss^2 spectra of K+ -> mu+ nu X over the K+ -> mu+ nu gamma background.

Handbook kaon_decays.md 3-5: the background (IB x photon-veto inefficiency x GTK factor, plus
the smeared K_mu2 peak) is drawn filled; for each X mass the signal is drawn stacked on it
(solid) and alone (dashed), on a log y axis, with the per-mass optimised lower cut as a dotted
vertical line inside the plotted range. The legend sits to the right of the axes.

>>> import numpy as np
>>> edges = np.linspace(0.02e6, 0.15e6, 14)
>>> fig = plot_mmiss2_spectra(edges, np.full(13, 10.0), np.ones((1, 13)), [100.0],
...                           np.array([0.05e6]), "L_mu - L_tau")
>>> fig.axes[0].get_yscale()
'log'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator
from numpy.typing import ArrayLike

from darkreach.plotting import COLOURS, plot_style, stamp_version
from darkreach.units import GeV

__all__ = ["plot_branching_ratio_limits", "plot_meson_invisible_limits", "plot_mmiss2_spectra"]


def plot_mmiss2_spectra(
    edges: ArrayLike,
    background: ArrayLike,
    signal: ArrayLike,
    masses: Sequence[float],
    cuts: ArrayLike,
    model_label: str,
    *,
    coupling: float | None = None,
    coupling_symbol: str = "g",
    title: str | None = None,
) -> Figure:
    """Step histograms of events per bin versus reconstructed m_miss^2 [GeV^2].

    ``edges`` [MeV^2] (n_bins + 1), ``background`` [n_bins], ``signal`` [n_mass, n_bins]
    (events), ``masses`` [MeV], ``cuts`` [MeV^2] per mass. Log y axis; the y range is set
    from the background and the signal peaks.
    """
    e = np.asarray(edges, dtype=float) / GeV**2
    bkg = np.asarray(background, dtype=float)
    sig = np.atleast_2d(np.asarray(signal, dtype=float))
    cut_arr = np.broadcast_to(np.asarray(cuts, dtype=float), (sig.shape[0],)) / GeV**2
    span = float(e[-1] - e[0])
    with plot_style():
        fig = Figure(figsize=(11.0, 6.0))
        ax = fig.add_subplot()
        # background filled underneath; each signal stacked on it (solid) and alone (dashed)
        ax.stairs(
            bkg,
            e,
            fill=True,
            color="0.82",
            label=r"background: $K^+\to\mu^+\nu\gamma$ (IB) + $K_{\mu2}$",
            zorder=1,
        )
        ax.stairs(bkg, e, color="0.35", linewidth=1.2, zorder=2)
        for i, mass in enumerate(masses):
            colour = COLOURS[i % len(COLOURS)]
            ax.stairs(
                bkg + sig[i],
                e,
                color=colour,
                linewidth=2.0,
                zorder=4,
                label=rf"$m_X$ = {mass:g} MeV: background + signal",
            )
            ax.stairs(
                sig[i],
                e,
                color=colour,
                linewidth=1.4,
                linestyle="--",
                zorder=3,
                label=f"   signal alone; cut > {cut_arr[i]:.3g} GeV$^2$ (dotted)",
            )
            ax.axvline(cut_arr[i], color=colour, linestyle=":", linewidth=2.0, zorder=5)
        positive = np.concatenate([bkg[bkg > 0], sig[sig > 0]])
        if positive.size:
            top = float((bkg + sig.max(axis=0)).max())
            floors = [0.1 * float(np.min(bkg[bkg > 0]))] if np.any(bkg > 0) else []
            floors += [0.01 * float(row.max()) for row in sig if row.max() > 0]
            ax.set_ylim(max(min(floors, default=top * 1e-6), top * 1e-7), top * 5.0)
        ax.set_yscale("log")
        # start left of the first bin so that a cut at the lowest edge stays visible
        low = min(float(e[0]), float(cut_arr.min())) - 0.04 * span
        ax.set_xlim(low, float(e[-1]) + 0.01 * span)
        ax.set_xlabel(r"reconstructed $m_{\mathrm{miss}}^2$ [GeV$^2$]", fontsize=14)
        ax.set_ylabel(f"events / {float(e[1] - e[0]):.2g} GeV$^2$", fontsize=14)
        ax.tick_params(labelsize=12)
        heading = title or model_label
        if coupling is not None:
            heading += f", ${coupling_symbol}$ = {coupling:.2g}"
        ax.set_title(heading, fontsize=13)
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            fontsize=10,
            frameon=False,
            title="solid: stacked on the background",
            title_fontsize=10,
        )
        fig.tight_layout()
        stamp_version(fig)
    return fig


def plot_branching_ratio_limits(
    masses: ArrayLike,
    limits: Sequence[tuple[str, ArrayLike]],
    *,
    ylabel: str = r"BR$(K^+\to\pi^+X)$ upper limit, 90% CL",
    title: str | None = None,
) -> Figure:
    """BR upper limits versus m_X [MeV] (log y): one line per (label, limits) pair.

    NaN and inf (no sensitivity, e.g. outside the regions of a card) leave gaps.
    """
    m = np.asarray(masses, dtype=float)
    with plot_style():
        fig = Figure(figsize=(9.0, 6.5))
        ax = fig.add_subplot()
        for i, (label, values) in enumerate(limits):
            y = np.asarray(values, dtype=float)
            y = np.where(np.isfinite(y), y, np.nan)
            ax.plot(m, y, color=COLOURS[i % len(COLOURS)], lw=1.8, label=label)
        ax.set_yscale("log")
        ax.set_xlabel(r"$m_X$ [MeV]", fontsize=14)
        ax.set_ylabel(ylabel, fontsize=14)
        ax.tick_params(labelsize=12)
        if title:
            ax.set_title(title, fontsize=13, loc="left")
        ax.legend(fontsize=11, frameon=False)
        fig.tight_layout()
        stamp_version(fig)
    return fig


def plot_meson_invisible_limits(
    rows: Sequence[tuple[str, str, dict[str, float]]],
    *,
    title: str | None = None,
) -> Figure:
    """BR(M -> invisible) limits per meson: one marker set per card.

    ``rows``: (card title, curve kind "observed"/"expected", {meson name: limit}). Observed
    limits are filled markers, expected (projections) open ones.
    """
    mesons: list[str] = []
    for _, _, values in rows:
        mesons += [name for name in values if name not in mesons]
    x = {name: i for i, name in enumerate(mesons)}
    pretty = {"eta": r"$\eta$", "eta'": r"$\eta'$", "pi0": r"$\pi^0$", "omega": r"$\omega$"}
    with plot_style():
        fig = Figure(figsize=(8.0, 6.0))
        ax = fig.add_subplot()
        for i, (label, kind, values) in enumerate(rows):
            colour = COLOURS[i % len(COLOURS)]
            xs = [x[n] + 0.08 * (i - (len(rows) - 1) / 2) for n in values]
            ax.plot(
                xs,
                list(values.values()),
                ls="none",
                marker="v",
                ms=11,
                color=colour,
                mfc=colour if kind == "observed" else "none",
                label=f"{label} ({kind})",
            )
        ax.set_yscale("log")
        ax.set_xticks(range(len(mesons)), [pretty.get(n, n) for n in mesons], fontsize=16)
        ax.set_xlim(-0.6, len(mesons) - 0.4)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.margins(y=0.2)
        ax.set_ylabel(r"BR$(M\to$ invisible$)$ upper limit", fontsize=14)
        if title:
            ax.set_title(title, fontsize=13, loc="left")
        ax.legend(fontsize=11, frameon=False)
        fig.tight_layout()
        stamp_version(fig)
    return fig
