"""CSV round trip, plot content, disk cache and atomic writes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkreach.cache import cache_key, cached_array
from darkreach.cli._common import parse_mass_grid, write_outputs
from darkreach.errors import InvalidParameterError
from darkreach.io import reach_csv_text, read_reach_csv, write_reach_csv
from darkreach.plotting import plot_reach
from darkreach.reach import compute_reach, default_masses


@pytest.fixture(scope="module")
def curves() -> list:  # type: ignore[type-arg]
    return compute_reach(["na64mu-2022", "na64mu-run4"], "lmu-ltau", default_masses(25))


def test_csv_round_trip(curves: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    path = tmp_path / "r.csv"
    write_reach_csv(curves, path)
    table = read_reach_csv(path)
    for curve in curves:
        np.testing.assert_allclose(table[curve.card]["mass_MeV"], curve.masses, rtol=1e-6)
        np.testing.assert_allclose(table[curve.card]["coupling"], curve.coupling, rtol=1e-6)
    np.testing.assert_allclose(
        table["na64mu-run4"]["coupling_plus2"], curves[1].bands["plus2"], rtol=1e-6
    )
    assert np.all(np.isnan(table["na64mu-2022"]["coupling_plus2"]))
    text = reach_csv_text(curves)
    assert "# model: lmu-ltau" in text and "kind: expected" in text and "kind: observed" in text


def test_plot_has_curves_band_and_log_axes(curves: list) -> None:  # type: ignore[type-arg]
    fig = plot_reach(curves)
    ax = fig.axes[0]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert "[MeV]" in ax.get_xlabel()
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert any("g-2" in label for label in labels)
    assert any("2022" in label for label in labels) and any("Run 4" in label for label in labels)
    # the g-2 band sits at g ~ 4e-4 at low mass (Delta a = 249(48)e-11, G2-5 scaling)
    low, high = ax.get_ylim()
    assert low < 3e-4 and high == 1.0


def test_gminus2_reference_without_anomaly_draws_only_an_edge(curves: list) -> None:  # type: ignore[type-arg]
    fig = plot_reach(curves, gminus2_reference="fnal2025-wp25")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("upper edge" in label for label in labels)


def test_legend_never_covers_the_axes_and_band_sits_above_shading(curves: list) -> None:  # type: ignore[type-arg]
    """Issue 7 (plots): legends covered curves; the g-2 band was muddied by the shading."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plot_reach(curves)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax_box = fig.axes[0].get_window_extent(renderer)
    legend_box = fig.legends[0].get_window_extent(renderer)
    assert legend_box.y1 <= ax_box.y0  # entirely below the axes
    ax = fig.axes[0]
    band = [c for c in ax.collections if "g-2" in str(c.get_label())]
    shading = [c for c in ax.collections if c not in band]
    assert band and shading
    assert min(b.get_zorder() for b in band) > max(s.get_zorder() for s in shading)


def test_closed_region_is_not_cut_below_coupling_one() -> None:
    """The scalar's interval exclusion reaches g ~ 0.6 at 20 MeV: the axis must show it."""
    (curve,) = compute_reach(["na64mu-2022"], "scalar", np.array([20.0, 100.0]))
    assert curve.coupling_upper is not None and np.nanmax(curve.coupling_upper) > 0.1
    fig = plot_reach([curve])
    assert fig.axes[0].get_ylim()[1] >= min(1.0, float(np.nanmax(curve.coupling_upper)))


def test_cache_hit_and_disable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DARKREACH_CACHE_DIR", str(tmp_path))
    calls = []

    def compute() -> np.ndarray:
        calls.append(1)
        return np.arange(3.0)

    key = cache_key(a=np.array([1.0, 2.0]), b="x")
    assert key != cache_key(a=np.array([1.0, 2.5]), b="x")
    np.testing.assert_array_equal(cached_array(key, compute), np.arange(3.0))
    np.testing.assert_array_equal(cached_array(key, compute), np.arange(3.0))
    assert len(calls) == 1
    (tmp_path / f"{key}.npy").write_bytes(b"garbage")  # a corrupt entry is recomputed
    cached_array(key, compute)
    assert len(calls) == 2
    monkeypatch.setenv("DARKREACH_CACHE", "off")
    cached_array(key, compute)
    assert len(calls) == 3


def test_write_outputs_is_all_or_nothing(tmp_path: Path) -> None:
    good = tmp_path / "a.txt"

    def fail(path: Path) -> None:
        path.write_text("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_outputs([(good, lambda p: p.write_text("ok")), (tmp_path / "b.txt", fail)])
    assert list(tmp_path.iterdir()) == []


def test_mass_grid_parsing() -> None:
    np.testing.assert_allclose(parse_mass_grid("1MeV:3GeV:200")[[0, -1]], [1.0, 3000.0])
    np.testing.assert_allclose(parse_mass_grid("10MeV, 0.1GeV"), [10.0, 100.0])
    for bad in ("1MeV:3GeV:1", "3GeV:1MeV:10", "1MeV:3GeV:x", "-1MeV"):
        with pytest.raises(InvalidParameterError):
            parse_mass_grid(bad)
