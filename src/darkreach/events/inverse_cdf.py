"""Inverse-CDF sampling on fine grids, vectorised (no Python loop over events).

A density tabulated at grid nodes is integrated with the trapezoidal rule; a uniform random
number is mapped through the piecewise-linear inverse of that cumulative sum. The sampled
distribution is then the tabulated one with a density constant inside each cell's mass, which
converges as the square of the cell size for a smooth density.
"""

from __future__ import annotations

import numpy as np

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError

__all__ = ["cumulative", "sample_1d", "sample_rows"]


def cumulative(nodes: FloatArray, density: FloatArray) -> FloatArray:
    """Trapezoidal cumulative integral along the last axis (starting at 0), unnormalised."""
    cells = 0.5 * (density[..., 1:] + density[..., :-1]) * np.diff(nodes, axis=-1)
    zero = np.zeros((*density.shape[:-1], 1))
    return np.concatenate([zero, np.cumsum(cells, axis=-1)], axis=-1)


def sample_1d(nodes: FloatArray, density: FloatArray, u: FloatArray) -> FloatArray:
    """Map uniform numbers ``u`` in [0, 1) to the variable of ``nodes`` (density >= 0)."""
    cdf = cumulative(nodes, density)
    total = cdf[-1]
    if not (np.isfinite(total) and total > 0.0):
        raise InvalidParameterError("density", total, "a tabulated density with positive integral")
    return np.asarray(np.interp(u * total, cdf, nodes))


def sample_rows(
    unit_nodes: FloatArray, table: FloatArray, rows: FloatArray, u: FloatArray
) -> FloatArray:
    """Sample from row ``rows[i]`` of ``table`` (densities on the common ``unit_nodes`` in [0, 1]).

    Each row is normalised; all rows are searched at once by offsetting row k's CDF by k, so
    one ``searchsorted`` serves every event. Returns values in [0, 1] (the unit variable).
    """
    cdf = cumulative(unit_nodes, table)
    norm = cdf[:, -1:]
    cdf = np.where(
        norm > 0.0, cdf / np.where(norm > 0.0, norm, 1.0), np.linspace(0, 1, cdf.shape[1])
    )
    n_rows, n_nodes = cdf.shape
    # strictly increasing across rows: row k lives in [2k, 2k + 1]
    flat = (cdf + 2.0 * np.arange(n_rows)[:, None]).ravel()
    r = rows.astype(np.int64)
    target = u + 2.0 * r
    idx = np.searchsorted(flat, target, side="right") - 1
    idx = np.clip(idx, r * n_nodes, r * n_nodes + n_nodes - 2)
    lo = flat[idx]
    hi = flat[idx + 1]
    col = idx - r * n_nodes
    step = np.where(hi > lo, (target - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0)
    return np.asarray(
        unit_nodes[col] + np.clip(step, 0.0, 1.0) * (unit_nodes[col + 1] - unit_nodes[col])
    )
