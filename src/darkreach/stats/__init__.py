"""Statistics: Poisson upper limits, expected bands and sensitivity criteria.

See ../shared/physics/statistics.md. The public API is re-exported here:

>>> from darkreach.stats import upper_limit, expected_limits
>>> round(upper_limit(1, 0.5, method="cls"), 3)
3.508
>>> expected_limits(0.5).counts
(0, 0, 0, 1, 2)
"""

from darkreach.stats.expected import (
    BAND_PROBABILITIES,
    ExpectedLimits,
    expected_counts,
    expected_limits,
)
from darkreach.stats.poisson import (
    METHODS,
    Method,
    classical_upper_limit,
    cls_upper_limit,
    feldman_cousins_interval,
    feldman_cousins_upper_limit,
    upper_limit,
)
from darkreach.stats.sensitivity import (
    OPTIMAL_GAUSSIAN_HALF_WIDTH,
    BackgroundDensity,
    BinnedSpectrum,
    BumpWindow,
    asimov_lambda,
    binned_lambda,
    binned_likelihood_min_signal,
    coupling_from_yield,
    cut_and_count_min_signal,
    sliding_window_bump_hunt,
)
from darkreach.stats.significance import p_value, z_score

__all__ = [
    "BAND_PROBABILITIES",
    "METHODS",
    "OPTIMAL_GAUSSIAN_HALF_WIDTH",
    "BackgroundDensity",
    "BinnedSpectrum",
    "BumpWindow",
    "ExpectedLimits",
    "Method",
    "asimov_lambda",
    "binned_lambda",
    "binned_likelihood_min_signal",
    "classical_upper_limit",
    "cls_upper_limit",
    "coupling_from_yield",
    "cut_and_count_min_signal",
    "expected_counts",
    "expected_limits",
    "feldman_cousins_interval",
    "feldman_cousins_upper_limit",
    "p_value",
    "sliding_window_bump_hunt",
    "upper_limit",
    "z_score",
]
