"""Expected (median and +-1, +-2 sigma) upper limits under the background-only hypothesis.

Reference: ../shared/physics/statistics.md section 5. The count n is drawn from Poisson(b) at
the nominal background; the band edges are the limits at the counts n_p, the smallest n with
P(N <= n | b) >= p, for p = Phi(-2), Phi(-1), 0.5, Phi(1), Phi(2). A background uncertainty
enters the limit computed at each n (the counts stay Poisson at the nominal b). With small b
the band collapses onto the n = 0 limit.

>>> band = expected_limits(2.0)
>>> band.counts
(0, 1, 2, 3, 5)
>>> [round(x, 3) for x in band.as_tuple()]
[2.303, 2.995, 3.877, 4.926, 7.306]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr
from scipy.stats import poisson

from darkreach.stats.poisson import (
    Method,
    _check_events,
    _check_method,
    _check_nonnegative,
    upper_limit,
)
from darkreach.validate import check_cl

__all__ = ["BAND_PROBABILITIES", "ExpectedLimits", "expected_counts", "expected_limits"]

BAND_PROBABILITIES: tuple[float, float, float, float, float] = tuple(  # type: ignore[assignment]
    float(ndtr(z)) for z in (-2.0, -1.0, 0.0, 1.0, 2.0)
)
"""Phi(-2), Phi(-1), 0.5, Phi(1), Phi(2) = 0.0228, 0.1587, 0.5, 0.8413, 0.9772."""


@dataclass(frozen=True)
class ExpectedLimits:
    """Expected upper limits on s at the -2, -1, 0, +1, +2 sigma quantiles of n ~ Poisson(b).

    ``counts`` holds the observed counts n_p at which the limits were evaluated.
    """

    minus2: float
    minus1: float
    median: float
    plus1: float
    plus2: float
    counts: tuple[int, int, int, int, int]

    def as_tuple(self) -> tuple[float, float, float, float, float]:
        """(minus2, minus1, median, plus1, plus2)."""
        return (self.minus2, self.minus1, self.median, self.plus1, self.plus2)


def expected_counts(background: float) -> tuple[int, int, int, int, int]:
    """Smallest n with P(N <= n | b) >= p for each band probability p (statistics.md 5).

    >>> expected_counts(10.0)
    (4, 7, 10, 13, 17)
    """
    b = _check_nonnegative("background", background)
    _check_events("background", b)
    n_top = int(poisson.isf(1e-6, b)) + 2 if b > 0.0 else 1
    cdf = poisson.cdf(np.arange(n_top + 1), b)
    idx = np.searchsorted(cdf, np.asarray(BAND_PROBABILITIES), side="left")
    return tuple(int(i) for i in idx)  # type: ignore[return-value]


def expected_limits(
    background: float,
    cl: float = 0.9,
    method: Method = "cls",
    background_uncertainty: float = 0.0,
    signal_uncertainty: float = 0.0,
) -> ExpectedLimits:
    """Expected limits (a "Brazil" band) for background b (statistics.md section 5).

    Each band edge is :func:`darkreach.stats.upper_limit` at the quantile count n_p; the
    limit is computed once per distinct n.

    >>> expected_limits(0.07).as_tuple()[-1] > expected_limits(0.07).median
    True
    """
    check_cl(cl)
    m = _check_method(method)
    _check_nonnegative("background_uncertainty", background_uncertainty)
    _check_nonnegative("signal_uncertainty", signal_uncertainty)
    counts = expected_counts(background)
    limits = {
        n: upper_limit(n, background, cl, m, background_uncertainty, signal_uncertainty)
        for n in sorted(set(counts))
    }
    values = [limits[n] for n in counts]
    return ExpectedLimits(
        minus2=values[0],
        minus1=values[1],
        median=values[2],
        plus1=values[3],
        plus2=values[4],
        counts=counts,
    )
