"""Vectorised search for the coupling at which a signal yield reaches a limit.

For most cases N(m, g) = g^2 N_1(m) and the answer is g_ref sqrt(s_up / N(m, g_ref))
(statistics.md 6.1). When the yield depends on g in other ways (dark-matter branching ratio,
decays inside the detector at large g) the excluded region at each mass is found on a
logarithmic grid in g and refined by bisection in ln g, for all masses at once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from darkreach.array_types import FloatArray

YieldFunction = Callable[[FloatArray], FloatArray]
"""Maps couplings of shape (n_mass,) to signal yields of shape (n_mass,)."""


def coupling_interval(
    yield_fn: YieldFunction,
    signal_limit: FloatArray | float,
    n_mass: int,
    g_min: float = 1e-9,
    g_max: float = 10.0,
    grid_points: int = 121,
    iterations: int = 60,
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper edges of {g : N(g) >= s_up} for every mass.

    Returns ``(g_low, g_high)``; NaN where no coupling in [g_min, g_max] reaches the limit.
    ``g_high`` is NaN also where the excluded region extends beyond ``g_max`` (no upper edge
    within the scanned range). Relative precision of the edges: ~ (g_max/g_min)^(1/grid) / 2^it.

    >>> import numpy as np
    >>> low, high = coupling_interval(lambda g: g**2 * np.array([1e8]), 2.3, 1)
    >>> round(float(low[0]), 8)
    0.00015166
    """
    limit = np.broadcast_to(np.asarray(signal_limit, dtype=float), (n_mass,))
    log_grid = np.linspace(np.log(g_min), np.log(g_max), grid_points)
    excess = np.empty((grid_points, n_mass))
    for i, log_g in enumerate(log_grid):
        excess[i] = yield_fn(np.full(n_mass, np.exp(log_g))) - limit
    above = excess >= 0.0
    has_any = above.any(axis=0)
    first = np.argmax(above, axis=0)
    last = grid_points - 1 - np.argmax(above[::-1], axis=0)

    def refine(lo_idx: NDArray[np.intp], rising: bool, mask: NDArray[np.bool_]) -> FloatArray:
        lo = log_grid[np.clip(lo_idx, 0, grid_points - 1)]
        hi = log_grid[np.clip(lo_idx + 1, 0, grid_points - 1)]
        for _ in range(iterations):
            mid = 0.5 * (lo + hi)
            ok = yield_fn(np.exp(mid)) - limit >= 0.0
            go_left = ok if rising else ~ok
            hi = np.where(go_left, mid, hi)
            lo = np.where(go_left, lo, mid)
        edge = np.exp(0.5 * (lo + hi))
        return np.where(mask, edge, np.nan)

    low_mask = has_any & (first > 0)
    g_low = refine(first - 1, True, low_mask)
    # excluded already at g_min: report g_min as the edge (the scan did not go lower)
    g_low = np.where(has_any & (first == 0), g_min, g_low)
    high_mask = has_any & (last < grid_points - 1)
    g_high = refine(last, False, high_mask)
    return g_low, g_high


ProbabilityFunction = Callable[[FloatArray, NDArray[np.intp]], FloatArray]
"""Maps (couplings, indices of the masses they belong to) to a signal probability in [0, 1]."""


def coupling_edges(
    unit_yield: FloatArray,
    probability: ProbabilityFunction,
    signal_limit: float,
    g_max: float = 10.0,
    rtol: float = 1e-10,
    max_iterations: int = 60,
) -> tuple[FloatArray, FloatArray]:
    """Edges of {g : g^2 N_1 P(g) >= s_up} for yields g^2 N_1(m) P(m, g) with P <= 1.

    The lower edge is the smallest fixed point of g -> sqrt(s_up / (N_1 P(g))), reached from
    below in a few iterations when P varies slowly in g (the usual case). Masses where this
    does not converge, or where the yield falls below the limit again before ``g_max`` (an
    upper edge from decays inside the detector), are handed to :func:`coupling_interval`.

    >>> import numpy as np
    >>> low, high = coupling_edges(np.array([1e8]), lambda g, i: np.ones_like(g), 2.3)
    >>> round(float(low[0]), 8), bool(np.isnan(high[0]))
    (0.00015166, True)
    """
    n = unit_yield.size
    everything = np.arange(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.sqrt(signal_limit / unit_yield)
        converged = np.zeros(n, dtype=bool)
        for _ in range(max_iterations):
            active = np.flatnonzero(~converged & np.isfinite(g) & (g <= g_max))
            if active.size == 0:
                break
            p = probability(g[active], active)
            new = np.sqrt(signal_limit / (unit_yield[active] * p))
            done = np.abs(new - g[active]) <= rtol * g[active]
            g[active] = new
            converged[active[done]] = True
    low = np.where(np.isfinite(g) & (g <= g_max), g, np.nan)
    # does the yield stay above the limit up to g_max?
    ok = np.flatnonzero(np.isfinite(low))
    top = np.full(ok.size, g_max)
    stays = unit_yield[ok] * top**2 * probability(top, ok) >= signal_limit
    high = np.full(n, np.nan)
    hard = np.union1d(
        everything[~converged & np.isfinite(unit_yield) & (unit_yield > 0)], ok[~stays]
    )
    if hard.size:

        def subset_yield(gs: FloatArray) -> FloatArray:
            result: FloatArray = gs**2 * unit_yield[hard] * probability(gs, hard)
            return result

        sub_low, sub_high = coupling_interval(subset_yield, signal_limit, hard.size, g_max=g_max)
        low[hard] = sub_low
        high[hard] = sub_high
    return low, high
