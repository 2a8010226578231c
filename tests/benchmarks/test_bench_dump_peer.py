"""Helpers of benchmarks/bench_dump_peer.py (the FORESEE comparison); FORESEE itself not needed.

The benchmark's numbers rest on two pieces of its own code: the export of darkreach's eta
spectrum into FORESEE's hadron-file format (must conserve the mesons per POT) and the reading
of lower/upper coupling edges from an event grid (must find the analytic crossings).
"""

from __future__ import annotations

import importlib.util
import math
import os
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from darkreach.production.meson_spectra import load_spectrum

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_dump_peer.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """The benchmark module, imported without leaving its environment settings behind."""
    saved = dict(os.environ)
    spec = importlib.util.spec_from_file_location("bench_dump_peer", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.environ.clear()
    os.environ.update(saved)
    return module


def test_exported_eta_spectrum_conserves_mesons_per_pot(bench: ModuleType, tmp_path: Path) -> None:
    """The FORESEE file holds the same eta per POT as darkreach's table below 1 rad (all of its
    momentum range lies inside the exported 10 MeV - 447 GeV), to 1e-6 relative, and the same
    within 10 mrad (the region NA62 sees) to 1e-3 (the 10 mrad edge falls inside a bin).

    Catches: a rebinning that does not conserve content (overlap fractions normalised to the
    wrong bin, transposed axes, angle fractions in theta instead of solid angle), or a wrong
    weight unit."""
    path = tmp_path / "eta.txt"
    written = bench.export_eta_spectrum("bmpt", path)
    spectrum = load_spectrum("eta", "bmpt")
    expected = spectrum.multiplicity_within(max_angle=1.0)
    assert written == pytest.approx(expected, rel=1e-6)
    rows = np.loadtxt(path)
    assert rows.shape[1] == 3
    assert rows[:, 2].sum() / bench.WEIGHT_UNIT == pytest.approx(expected, rel=1e-6)
    # bins are 0.05 wide in log10: FORESEE smears by +-0.025 around the centres
    assert np.allclose(np.diff(np.unique(rows[:, 0])), 0.05, atol=1e-9)
    assert np.allclose(np.diff(np.unique(rows[:, 1])), 0.05, atol=1e-9)
    # 10^-3.5 rad = 0.32 mrad lies inside darkreach's first bin (0-0.5 mrad): its share is
    # 0.4 of that bin in solid angle, 0.63 if spread linearly in theta
    for max_angle in (0.01, 10.0**-3.5):
        inside = 10.0 ** (rows[:, 0] + 0.025) <= max_angle * (1 + 1e-9)
        near = spectrum.multiplicity_within(max_angle=max_angle)
        assert rows[inside, 2].sum() / bench.WEIGHT_UNIT == pytest.approx(near, rel=1e-3)


def test_edges_from_grid_find_the_analytic_crossings(bench: ModuleType) -> None:
    """N(g) = A g^4 exp(-(g/g0)^2) (the dump shape: g^4 rise, exponential fall); its crossings
    of the limit are solved exactly and the grid reader (10 points per decade, log-log
    interpolation) must find them (lower edge within 0.5 % where N ~ g^4 is a straight line in
    log-log, otherwise within 2 %); a mass that never reaches the limit gets NaN. Two
    amplitudes: peak 22x and 2.2x above the limit (the second has strong log-log curvature at
    both edges).

    Catches: swapped edges, interpolation in the wrong variable (linear N), an off-by-one in
    the bracketing grid points."""
    g = bench.COUPLINGS
    g0 = 1e-6
    limit = 2.3
    amplitudes = (1e26, 1e25)
    shape = g**4 * np.exp(-((g / g0) ** 2))
    n = np.stack([*(a * shape for a in amplitudes), np.full(g.size, 1e-3)])
    lower, upper = bench.edges_from_grid(n, np.full(3, limit))
    peak = g0 * math.sqrt(2.0)

    def solve(amplitude: float, lo: float, hi: float) -> float:
        def f(x: float) -> float:
            return math.log(amplitude) + 4 * math.log(x) - (x / g0) ** 2 - math.log(limit)

        assert f(peak) > 0
        for _ in range(200):
            mid = math.sqrt(lo * hi)
            if (f(mid) > 0) == (f(hi) > 0):
                hi = mid
            else:
                lo = mid
        return math.sqrt(lo * hi)

    for i, (amplitude, tol_low) in enumerate(zip(amplitudes, (0.005, 0.02), strict=True)):
        assert lower[i] == pytest.approx(solve(amplitude, 1e-12, peak), rel=tol_low)
        assert upper[i] == pytest.approx(solve(amplitude, peak, 1e-4), rel=0.02)
    assert math.isnan(lower[2]) and math.isnan(upper[2])


def test_missing_peer_is_reported_not_raised(bench: ModuleType, tmp_path: Path) -> None:
    """No path, or a folder without foresee.py, gives (None, reason): the script then exits 0
    with "PEER MISSING" instead of failing CI. Catches: an import error escaping."""
    module, why = bench.import_foresee(None)
    assert module is None and "no FORESEE path" in why
    module, why = bench.import_foresee(str(tmp_path))
    assert module is None and "no foresee.py" in why
    (tmp_path / "foresee.py").write_text("import a_module_that_does_not_exist_here\n")
    before = list(sys.path)
    module, why = bench.import_foresee(str(tmp_path))
    sys.path[:] = before
    sys.modules.pop("foresee", None)
    assert module is None and "ModuleNotFoundError" in why
