"""Gauss-Legendre rules shared by the physics modules (one implementation, cached nodes).

>>> x, w = gauss_legendre(4, 0.0, 2.0)
>>> round(float((w * x**3).sum()), 12)   # int_0^2 x^3 dx = 4
4.0
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from darkreach.array_types import FloatArray


@lru_cache(maxsize=64)
def _reference_rule(order: int) -> tuple[FloatArray, FloatArray]:
    nodes, weights = np.polynomial.legendre.leggauss(order)
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights


def gauss_legendre(
    order: int, low: float = -1.0, high: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Nodes and weights of the ``order``-point Gauss-Legendre rule on [low, high].

    Exact for polynomials of degree up to 2 order - 1. The [-1, 1] rule is computed once per
    order and cached (read-only arrays); the mapped arrays returned are fresh.
    """
    nodes, weights = _reference_rule(int(order))
    half = 0.5 * (high - low)
    return np.asarray(low + half * (nodes + 1.0)), np.asarray(half * weights)


def gauss_legendre_on_bins(edges: FloatArray, order: int) -> tuple[FloatArray, FloatArray]:
    """Nodes and weights, shape (len(edges) - 1, order), of the rule in every bin of ``edges``.

    Works along the last axis of ``edges`` too (edges of shape (..., n + 1) give (..., n, order)).
    """
    nodes, weights = _reference_rule(int(order))
    edges = np.asarray(edges, dtype=np.float64)
    lo, hi = edges[..., :-1, None], edges[..., 1:, None]
    half = 0.5 * (hi - lo)
    return np.asarray(lo + half * (nodes + 1.0)), np.asarray(half * weights)


__all__ = ["gauss_legendre", "gauss_legendre_on_bins"]
