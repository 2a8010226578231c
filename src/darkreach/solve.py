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

FloatArray = NDArray[np.float64]
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
