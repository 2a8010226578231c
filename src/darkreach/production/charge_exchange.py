"""Neutral mesons from charge exchange of a pi- beam in an active target (NA64h, first estimate).

Handbook bounds_and_new_channels.md section 3. A 50 GeV pi- hitting the active target turns by
charge exchange (pi- p -> M0 n, M0 = pi0, eta, eta', ...) into a forward neutral meson carrying
nearly the whole beam energy; if M0 decays invisibly the beam energy disappears. The signal::

    N_sig = N_piOT f_M BR(M -> invisible) eps                                  (1)
    f_M   = P_int(target) sigma(pi- A -> M0 X_forward) / sigma_inel(pi- A)      (2)

f_M is the fraction of pions producing a forward M0. The charge-exchange cross sections with
their s and Z dependence are in Gninenko et al., arXiv:2312.01703 (CC0; formula bodies not
read in the handbook). Until they are transcribed, f_M eps is CALIBRATED to the published
NA64h result (arXiv:2406.01990: 2.9e9 pi- on target, no event, Br(eta -> inv) < 1.1e-4,
Br(eta' -> inv) < 2.1e-4 at 90 % CL)::

    f_M eps = S_up / (N_piOT BR_limit)                                          (3)

with S_up the Poisson upper limit for the observed count (2.303 at 90 % CL for n = 0, b = 0):
7.2e-6 for eta and 3.8e-6 for eta' (handbook section 3, [DER]). All functions are plain
arithmetic on arrays; counts are dimensionless.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError

__all__ = ["branching_ratio_limit", "calibrated_fraction", "signal_events"]


def _positive(value: ArrayLike, field: str, allow_zero: bool = False) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    ok = np.isfinite(arr) & ((arr >= 0.0) if allow_zero else (arr > 0.0))
    if not np.all(ok):
        bad = float(arr[~ok].flat[0])
        raise InvalidParameterError(field, bad, ">= 0" if allow_zero else "finite and > 0")
    return arr


def signal_events(
    pions_on_target: ArrayLike,
    fraction: ArrayLike,
    branching_ratio: ArrayLike,
    efficiency: ArrayLike = 1.0,
) -> FloatArray:
    """N_sig = N_piOT f_M BR(M -> invisible) eps, eq. (1); arguments broadcast.

    >>> round(float(signal_events(2.9e9, 7.2e-6, 1.1e-4)), 4)
    2.2968
    """
    n = _positive(pions_on_target, "pions_on_target")
    f = _positive(fraction, "fraction")
    br = _positive(branching_ratio, "branching_ratio", allow_zero=True)
    if np.any(br > 1.0):
        raise InvalidParameterError("branching_ratio", float(np.max(br)), "0 <= BR <= 1")
    eps = _positive(efficiency, "efficiency")
    if np.any(eps > 1.0):
        raise InvalidParameterError("efficiency", float(np.max(eps)), "0 < eps <= 1")
    return np.asarray(n * f * br * eps, dtype=np.float64)


def branching_ratio_limit(
    signal_limit: ArrayLike,
    pions_on_target: ArrayLike,
    fraction: ArrayLike,
    efficiency: ArrayLike = 1.0,
) -> FloatArray:
    """BR(M -> invisible) at which N_sig = S_up: S_up / (N_piOT f_M eps) (may exceed 1:
    no sensitivity)."""
    s = _positive(signal_limit, "signal_limit")
    n = _positive(pions_on_target, "pions_on_target")
    f = _positive(fraction, "fraction")
    eps = _positive(efficiency, "efficiency")
    return np.asarray(s / (n * f * eps), dtype=np.float64)


def calibrated_fraction(
    signal_limit: ArrayLike, pions_on_target: ArrayLike, published_limit: ArrayLike
) -> FloatArray:
    """f_M eps of eq. (3): the yield per pion that reproduces a published BR limit.

    >>> round(float(calibrated_fraction(2.303, 2.9e9, 1.1e-4)), 8)
    7.22e-06
    """
    s = _positive(signal_limit, "signal_limit")
    n = _positive(pions_on_target, "pions_on_target")
    lim = _positive(published_limit, "published_limit")
    return np.asarray(s / (n * lim), dtype=np.float64)
