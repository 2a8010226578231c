"""Median expected limits of the NA62 window searches against an independent computation.

For the di-muon bump hunt and the HNL peak search with ``method = cls | fc | classical`` the
experiment needs S_min = the upper limit on s at the median count n_0.5 of Poisson(b), b the
expected background in the mass window (statistics.md 1 and 5). Here n_0.5 comes from
``scipy.stats.poisson`` and the limit from the handbook formulas solved with ``brentq``
(classical, CLs) or from a brute-force Feldman-Cousins construction on a fine grid in s
(statistics.md 1.3); none of it uses darkreach.stats. The experiment's S_min is read back as
the signal yield at its reach coupling, so the whole chain (window background -> median
count -> limit -> coupling) is checked.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import poisson

from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model

CL = 0.9


def median_count(b: float) -> int:
    """Smallest n with P(N <= n | b) >= 1/2 (statistics.md 5)."""
    n = int(poisson.median(b))
    assert poisson.cdf(n, b) >= 0.5 and (n == 0 or poisson.cdf(n - 1, b) < 0.5)
    return n


def classical_limit(n: int, b: float, cl: float = CL) -> float:
    """P(N <= n | s + b) = 1 - CL (statistics.md 1.1); s may be negative."""
    return float(brentq(lambda s: poisson.cdf(n, s + b) - (1.0 - cl), -b, n + 50.0 + 10 * n))


def cls_limit(n: int, b: float, cl: float = CL) -> float:
    """P(N <= n | s + b) / P(N <= n | b) = 1 - CL (statistics.md 1.2)."""
    ref = poisson.cdf(n, b)
    return float(brentq(lambda s: poisson.cdf(n, s + b) / ref - (1.0 - cl), 0.0, n + 60.0))


def _fc_accepted(n_obs: int, b: float, s: np.ndarray, cl: float) -> np.ndarray:
    """For each s: is n_obs inside the FC acceptance region of s + b?"""
    top = float(s.max()) + b
    n = np.arange(0, int(top + 12.0 * np.sqrt(top + 1.0)) + 20)[None, :]
    p = poisson.pmf(n, s[:, None] + b)
    best = poisson.pmf(n, np.maximum(0.0, n - b) + b)
    order = np.argsort(-(p / best), axis=1, kind="stable")
    p_sorted = np.take_along_axis(p, order, axis=1)
    before = np.cumsum(p_sorted, axis=1) - p_sorted  # probability accepted before this n
    rank_of_nobs = np.argmax(order == n_obs, axis=1)
    return np.asarray(before[np.arange(s.size), rank_of_nobs] < cl)


def fc_limit(n_obs: int, b: float, cl: float = CL, step: float = 1e-3) -> float:
    """Largest s (grid step ``step``) whose FC acceptance region contains n_obs.

    Regions ordered by R(n) = P(n | s + b) / P(n | max(0, n - b) + b), filled until the summed
    probability reaches CL (statistics.md 1.3). A grid of step 0.05 finds the last accepted s,
    a grid of step ``step`` around it refines it.
    """
    coarse = np.arange(0.0, n_obs + 6.0 * np.sqrt(n_obs + 1.0) + 6.0, 0.05)
    last = float(coarse[_fc_accepted(n_obs, b, coarse, cl)].max())
    fine = np.arange(max(0.0, last - 0.1), last + 0.1, step)
    return float(fine[_fc_accepted(n_obs, b, fine, cl)].max())


HAND = {"classical": classical_limit, "cls": cls_limit, "fc": fc_limit}


def test_hand_references_reproduce_the_handbook_table() -> None:
    """statistics.md 1.4 (n, b) -> classical / CLs / FC 90 % limits, to the printed digits."""
    assert classical_limit(0, 0.5) == pytest.approx(1.803, abs=1e-3)
    assert cls_limit(1, 0.5) == pytest.approx(3.508, abs=1e-3)
    assert cls_limit(2, 0.5) == pytest.approx(4.843, abs=1e-3)
    assert fc_limit(0, 0.5) == pytest.approx(1.94, abs=6e-3)
    assert fc_limit(1, 0.5) == pytest.approx(3.86, abs=6e-3)
    # statistics.md 5: CLs median expected limit at b = 2 (n_0.5 = 2) and b = 10 (n_0.5 = 10)
    assert cls_limit(median_count(2.0), 2.0) == pytest.approx(3.877, abs=1e-3)
    assert cls_limit(median_count(10.0), 10.0) == pytest.approx(6.630, abs=1e-3)


# (card, model, masses [MeV]): window backgrounds from ~0.002 to ~100 events, so n_0.5 runs
# from 0 to ~100 (na62-hnl-mu: 100.8, 17.0, 8.3; na62-hnl-e: 0.29, 0.003;
# na62-dimuon-2018: 2.6, 1.7, 0.23 events)
CASES = [
    ("na62-hnl-mu", "hnl-mu", [300.0, 370.0, 380.0]),
    ("na62-hnl-e", "hnl-e", [300.0, 450.0]),
    ("na62-dimuon-2018", "lmu-ltau", [215.0, 300.0, 350.0]),
]


@pytest.mark.parametrize("method", ["cls", "fc", "classical"])
@pytest.mark.parametrize(("card", "model", "masses"), CASES)
def test_window_search_uses_the_median_expected_limit(
    card: str, model: str, masses: list[float], method: str
) -> None:
    """Signal yield at the reach coupling = hand limit at the median count of the window b.

    Tolerance: 2e-3 relative (the coupling solver and the FC grid step of 1e-3 events); a
    median count off by one moves the limit by 0.4 to 1.5 events (>= 4 %).
    """
    exp = get_experiment(card)
    mod = get_model(model)
    m = np.array(masses)
    background = exp.window(m)[0]  # type: ignore[attr-defined]
    hand = np.array([HAND[method](median_count(float(b)), float(b)) for b in background])
    curve = exp.reach(mod, m, method=method, cl=CL)
    assert curve.method.endswith(f"median expected {method}")
    used = exp.signal_yield(mod, m, curve.coupling)
    assert used == pytest.approx(hand, rel=2e-3, abs=2e-3)
