"""Reconstructed m_miss^2 spectra of K+ -> mu+ nu X over the K+ -> mu+ nu gamma background.

Handbook kaon_decays.md 3-5: the signal for a few X masses is drawn as stacked-free step
histograms over the background (IB x photon-veto inefficiency x GTK factor, plus the smeared
K_mu2 peak) on a log y axis, with the per-mass optimised lower cut as a vertical line.

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
from numpy.typing import ArrayLike

from darkreach.plotting import COLOURS, plot_style, stamp_version
from darkreach.units import GeV

__all__ = ["plot_mmiss2_spectra"]


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
    with plot_style():
        fig = Figure(figsize=(9.0, 6.5))
        ax = fig.add_subplot()
        ax.stairs(
            bkg,
            e,
            color="0.3",
            linewidth=2.0,
            label=r"background: $K^+\to\mu^+\nu\gamma$ (IB) + $K_{\mu2}$",
        )
        ax.stairs(bkg, e, color="0.85", fill=True, alpha=0.6)
        for i, mass in enumerate(masses):
            colour = COLOURS[i % len(COLOURS)]
            label = rf"signal (not stacked), $m_X$ = {mass:g} MeV"
            ax.stairs(sig[i], e, color=colour, linewidth=2.0, label=label)
            ax.axvline(cut_arr[i], color=colour, linestyle=":", linewidth=1.5)
        positive = np.concatenate([bkg[bkg > 0], sig[sig > 0]])
        if positive.size:
            top = float(positive.max())
            floors = [0.1 * float(np.min(bkg[bkg > 0]))] if np.any(bkg > 0) else []
            floors += [0.01 * float(row.max()) for row in sig if row.max() > 0]
            ax.set_ylim(max(min(floors, default=top * 1e-6), top * 1e-7), top * 30.0)
        ax.set_yscale("log")
        span = float(e[-1] - e[0])
        ax.set_xlim(float(e[0]) - 0.02 * span, float(e[-1]))
        ax.set_xlabel(r"$m_{\mathrm{miss}}^2$ [GeV$^2$]")
        ax.set_ylabel(f"events / {float(e[1] - e[0]):.2g} GeV$^2$")
        heading = title or model_label
        if coupling is not None:
            heading += f", ${coupling_symbol}$ = {coupling:.2g}"
        ax.set_title(heading, fontsize=16)
        ax.legend(loc="upper right", fontsize=12, title="dotted: optimised cut", title_fontsize=11)
        fig.tight_layout()
        stamp_version(fig)
    return fig
