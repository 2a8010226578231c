"""Kaon spectrum plot: legend outside the data, background filled under the signal, cut lines
inside the plotted range, version stamp."""

from __future__ import annotations

import numpy as np

from darkreach.plotting_kaon import plot_mmiss2_spectra


def test_spectrum_plot_layout() -> None:
    edges = np.linspace(0.023e6, 0.15e6, 128)
    bkg = np.full(127, 100.0)
    sig = np.vstack([np.full(127, 100.0), np.full(127, 1.0)])
    cuts = np.array([0.023e6, 0.09e6])  # the first sits on the lowest bin edge
    fig = plot_mmiss2_spectra(edges, bkg, sig, [20.0, 250.0], cuts, "L_mu - L_tau")
    ax = fig.axes[0]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    legend = ax.get_legend()
    assert legend.get_window_extent(renderer).x0 >= ax.get_window_extent(renderer).x1
    assert "stacked" in legend.get_title().get_text()
    low, high = ax.get_xlim()
    lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    assert len(lines) == 2
    for line, cut in zip(lines, cuts / 1e6, strict=True):
        x = float(np.asarray(line.get_xdata())[0])
        assert x == cut and low < x < high and (x - low) > 0.01 * (high - low)
    # background filled and underneath every signal line
    filled = [p for p in ax.patches if p.get_fill()]
    assert filled and max(p.get_zorder() for p in filled) < min(
        p.get_zorder() for p in ax.patches if not p.get_fill()
    )
    assert any("darkreach" in t.get_text() for t in fig.texts)
