"""Decay-in-flight probabilities shared by every experiment type.

A boson X produced with lab decay length lambda (``Model.decay_length``) either decays
invisibly (branching fraction BR_inv) or visibly; a visible decay is missed when it happens
beyond the last veto, a distance L downstream of the production point. The probability that X
leaves no visible trace before L is (handbook statistics.md 6.1)::

    P_unseen = BR_inv + (1 - BR_inv) exp(-L / lambda)

>>> round(float(unseen_probability(0.0, 10.0, 10.0)), 6)   # exp(-1)
0.367879
>>> float(unseen_probability(1.0, 10.0, 1e-3))               # invisible always escapes
1.0
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray


def survival_probability(distance: ArrayLike, decay_length: ArrayLike) -> FloatArray:
    """exp(-L / lambda): probability that X has not decayed after ``distance`` (same units)."""
    length = np.asarray(decay_length, dtype=np.float64)
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        result = np.exp(-np.asarray(distance, dtype=np.float64) / np.maximum(length, 1e-300))
    return np.asarray(result, dtype=np.float64)


def unseen_probability(
    br_invisible: ArrayLike, distance: ArrayLike, decay_length: ArrayLike
) -> FloatArray:
    """BR_inv + (1 - BR_inv) exp(-L / lambda), clipped to [0, 1]; NaN BR_inv counts as 1.

    ``distance`` L and ``decay_length`` lambda in the same unit (mm in hepunits).
    """
    br = np.nan_to_num(np.asarray(br_invisible, dtype=np.float64), nan=1.0)
    escape = survival_probability(distance, decay_length)
    return np.asarray(np.clip(br + (1.0 - br) * escape, 0.0, 1.0), dtype=np.float64)


def decay_in_volume_probability(
    start: ArrayLike, end: ArrayLike, decay_length: ArrayLike
) -> FloatArray:
    """exp(-L1/lambda) - exp(-L2/lambda): probability to decay between L1 and L2 >= L1.

    Handbook electron_and_dump.md B.4 (ED-5: L1 = 80 m, L2 = 157 m, lambda = 100 m gives
    0.2413). Written as ``exp(-L1/lambda) (1 - exp(-(L2 - L1)/lambda))`` with ``expm1`` so
    that lambda >> L2 keeps full precision ((L2 - L1)/lambda); 0 for lambda = 0. Same units
    for all three lengths.

    >>> round(float(decay_in_volume_probability(80.0, 157.0, 100.0)), 4)
    0.2413
    """
    l1 = np.asarray(start, dtype=np.float64)
    l2 = np.asarray(end, dtype=np.float64)
    length = np.maximum(np.asarray(decay_length, dtype=np.float64), 1e-300)
    with np.errstate(over="ignore", under="ignore"):
        result = np.exp(-l1 / length) * -np.expm1(-(l2 - l1) / length)
    return np.asarray(result, dtype=np.float64)


__all__ = ["decay_in_volume_probability", "survival_probability", "unseen_probability"]
