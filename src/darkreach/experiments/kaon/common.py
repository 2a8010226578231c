"""Pieces shared by the NA62 kaon experiment types: median expected limits, the mass grid,
the unseen probability of X or N, the coupling solver and the reach-curve record."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.physics.decay import unseen_probability
from darkreach.results import ReachCurve
from darkreach.stats import (
    METHODS,
    Method,
    expected_limits,
)
from darkreach.units import GeV
from darkreach.validate import check_cl, checked_array

if TYPE_CHECKING:
    from darkreach.models.base import Model

GeV2 = GeV * GeV


# =========================================================================== statistics


@lru_cache(maxsize=4096)
def _median_limit(background: float, cl: float, method: Method) -> float:
    """:func:`darkreach.stats.expected_limits` median for one background (cached per b)."""
    return float(expected_limits(background, cl=cl, method=method).median)


def median_expected_limit(background: FloatArray, cl: float, method: str) -> FloatArray:
    """Median expected Poisson upper limit on s for each window background (statistics.md 5).

    The limit at the median count n_0.5 of Poisson(b) (the smallest n with P(N <= n | b) >= 1/2),
    computed by :func:`darkreach.stats.expected_limits`; the result of that call is cached per
    (b, CL, method), so repeated backgrounds (e.g. a flat density) cost one limit each.
    """
    check_cl(cl)
    if method not in METHODS:
        raise InvalidParameterError("method", repr(method), ", ".join(METHODS))
    b = checked_array(background, "background", allow_zero=True, unit="events")
    flat = [_median_limit(float(x), float(cl), method) for x in b.flat]
    return np.asarray(flat, dtype=np.float64).reshape(b.shape)


# =========================================================================== shared pieces


def unseen_fraction(
    model: Model, masses: FloatArray, coupling: FloatArray, length: float, momentum: float
) -> FloatArray:
    """P(X not seen) = BR_inv + (1 - BR_inv) exp(-L / lambda) (statistics.md 6.1)."""
    br_inv = np.asarray(model.invisible_fraction(masses, coupling), dtype=np.float64)
    p = np.full(masses.shape, momentum)
    lam = np.asarray(model.decay_length(masses, coupling, p), dtype=np.float64)
    return unseen_probability(br_inv, length, lam)


def solve_coupling(
    masses: FloatArray,
    unit_yield: FloatArray,
    signal_min: FloatArray,
    fraction: Any,
    coupling_power: float = 2.0,
) -> FloatArray:
    """Smallest coupling with yield = unit_yield c^p f(c) >= signal_min at each mass.

    Closed form c = (S_min / (N_1 f))^(1/p) when f does not depend on c (checked at two
    couplings); otherwise the vectorised log-grid + bisection of :mod:`darkreach.solve`.
    """
    ok = np.isfinite(signal_min) & (unit_yield > 0)
    f1 = fraction(np.full(masses.shape, 1e-6))
    f2 = fraction(np.full(masses.shape, 1e-2))
    if np.allclose(f1, f2, rtol=1e-9, atol=0.0):
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (signal_min / (unit_yield * f1)) ** (1.0 / coupling_power)
        return np.where(ok & (f1 > 0), c, np.nan)
    from darkreach.solve import coupling_interval

    def yield_fn(c: FloatArray) -> FloatArray:
        return np.asarray(unit_yield * c**coupling_power * fraction(c), dtype=np.float64)

    low, _ = coupling_interval(
        yield_fn, np.where(ok, signal_min, np.inf), masses.size, g_min=1e-12, g_max=10.0
    )
    return np.where(ok, low, np.nan)


def mass_grid(masses: ArrayLike, low: float, high: float) -> tuple[FloatArray, NDArray[np.bool_]]:
    """1-d mass array [MeV] and the mask of masses inside the open range (low, high).

    Non-finite or non-positive masses are errors; masses outside the kinematic range of a
    card are not (overlays share one grid): the reach is NaN there.
    """
    m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
    if m.ndim != 1:
        raise InvalidParameterError("masses", m.shape, "a 1-d array of masses")
    bad = ~np.isfinite(m) | (m <= 0.0)
    if np.any(bad):
        raise InvalidParameterError("mass", f"{float(m[bad][0]):g} MeV", "finite and > 0 MeV")
    return m, (m > low) & (m < high)


def curve(
    exp: CardExperiment[Any],
    model: Model,
    masses: FloatArray,
    inside: NDArray[np.bool_],
    coupling: FloatArray,
    cl: float,
    label: str,
    notes: list[str],
) -> ReachCurve:
    """The reach curve of ``exp``: NaN outside ``inside``; kind from the card (curve_kind)."""
    full = np.full(masses.shape, np.nan)
    full[inside] = coupling
    if not np.all(inside):
        notes = [*notes, "NaN outside the kinematic range of the card"]
    return ReachCurve(
        card=exp.name,
        card_title=exp.title,
        model=model.name,
        model_label=model.label,
        coupling_symbol=model.coupling_symbol,
        masses=masses,
        coupling=full,
        cl=cl,
        method=label,
        kind=exp.card.curve_kind,
        notes=tuple(notes),
    )
