"""Probability to decay inside the volume, weighted by a piecewise-linear acceptance.

A particle produced at z0 with decay length lambda (along z) decays at z with density
``exp(-(z - z0)/lambda)/lambda``. With an acceptance ``A(z)`` known at nodes
``z_1 < ... < z_K`` spanning the decay volume and linear between them, the accepted decay
probability is analytic in lambda (handbook electron_and_dump.md B.4)::

    P = sum_k [ a_k (E_k - E_k+1) + (a_k+1 - a_k)/h_k (lambda (E_k - E_k+1) - h_k E_k+1) ]
    E_k = exp(-(z_k - z0)/lambda),   h_k = z_k+1 - z_k

which is exact for any lambda (long-lived: ~ integral of A / lambda; short-lived: dominated by
the first node) and costs K exponentials. For ``A = 1`` it is
``exp(-L1/lambda) - exp(-L2/lambda)`` (:func:`darkreach.physics.decay.decay_in_volume_probability`).

Lengths in any one unit (mm in darkreach).
"""

from __future__ import annotations

import numpy as np

from darkreach.array_types import FloatArray

__all__ = ["accepted_decay_probability"]

#: below this h/lambda the bracket of the slope term is evaluated by its series
_SERIES_BELOW = 1e-4


def _slope_bracket(x: FloatArray) -> FloatArray:
    """(1 - exp(-x))/x - exp(-x) for x = h/lambda >= 0, accurate also for x -> 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        exact = -np.expm1(-x) / x - np.exp(-x)
    series = x / 2.0 - x * x / 3.0 + x**3 / 8.0
    return np.where(x < _SERIES_BELOW, series, exact)


def accepted_decay_probability(
    z_nodes: FloatArray, acceptance: FloatArray, z0: float, decay_length: FloatArray
) -> FloatArray:
    """P(decay in the volume and accepted) for acceptances at ``z_nodes`` (last axis).

    ``acceptance`` has shape (..., K) and broadcasts with ``decay_length[..., None]``;
    returns shape ``broadcast(acceptance[..., 0], decay_length)``. ``decay_length`` > 0
    (0 gives 0).

    >>> import numpy as np
    >>> z = np.array([80.0, 120.0, 157.0])
    >>> round(float(accepted_decay_probability(z, np.ones(3), 0.0, np.array(100.0))), 4)
    0.2413
    """
    z = np.asarray(z_nodes, dtype=np.float64)
    a = np.asarray(acceptance, dtype=np.float64)
    lam = np.maximum(np.asarray(decay_length, dtype=np.float64), 1e-300)[..., None]
    h = np.diff(z)
    with np.errstate(over="ignore", under="ignore"):
        e_start = np.exp(-(z[:-1] - z0) / lam)  # E_k
        x = h / lam
        drop = e_start * -np.expm1(-x)  # E_k - E_k+1
        slope_term = e_start * h * _slope_bracket(x)  # lambda (E_k - E_k+1) - h E_k+1
    a_lo = a[..., :-1]
    a_hi = a[..., 1:]
    total = np.sum(a_lo * drop + (a_hi - a_lo) / h * slope_term, axis=-1)
    return np.asarray(total, dtype=np.float64)
