"""How surprising an observed count is: Poisson p-value and its Gaussian significance.

Handbook electron_and_dump.md B.7 (ED-3): one event over b = 0.016 has
``P(N >= 1 | b) = 1 - exp(-b) = 1.59 %``, i.e. 2.41 sigma two-sided or 2.15 sigma one-sided.

>>> round(p_value(1, 0.016), 5)
0.01587
>>> round(z_score(p_value(1, 0.016), sided="two"), 2), round(z_score(p_value(1, 0.016)), 2)
(2.41, 2.15)
"""

from __future__ import annotations

from typing import Literal

from scipy.special import gammainc
from scipy.stats import norm

from darkreach.errors import InvalidParameterError

__all__ = ["p_value", "z_score"]


def p_value(n_obs: int, background: float) -> float:
    """P(N >= n_obs | Poisson mean ``background``) (1 for n_obs = 0)."""
    if isinstance(n_obs, bool) or not isinstance(n_obs, int) or n_obs < 0:
        raise InvalidParameterError("n_obs", n_obs, "an integer >= 0")
    if not background >= 0.0:
        raise InvalidParameterError("background", background, ">= 0 events")
    if n_obs == 0:
        return 1.0
    if background == 0.0:
        return 0.0
    # P(N >= n) = regularised lower incomplete gamma P(n, b)
    return float(gammainc(n_obs, background))


def z_score(p: float, sided: Literal["one", "two"] = "one") -> float:
    """Gaussian significance of a p-value: one-sided Phi^-1(1 - p) or two-sided Phi^-1(1 - p/2)."""
    if not 0.0 < p <= 1.0:
        raise InvalidParameterError("p", p, "0 < p <= 1")
    if sided not in ("one", "two"):
        raise InvalidParameterError("sided", sided, "one, two")
    return float(norm.isf(p / 2.0 if sided == "two" else p))
