"""The coupling solver against closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from darkreach.solve import coupling_interval


def test_pure_g_squared_scaling_matches_closed_form() -> None:
    unit = np.array([1e6, 1e8, 1e10, 1e12])
    low, high = coupling_interval(lambda g: g**2 * unit, 2.303, unit.size)
    np.testing.assert_allclose(low, np.sqrt(2.303 / unit), rtol=1e-9)
    assert np.all(np.isnan(high))


def test_interval_for_lifetime_suppression() -> None:
    # N = g^2 N1 exp(-(g/g0)^2): excluded between two edges solvable in closed form
    n1, g0, s = 1e10, 1e-2, 2.3
    low, high = coupling_interval(lambda g: g**2 * n1 * np.exp(-((g / g0) ** 2)), s, 1)
    for edge in (low[0], high[0]):
        assert edge**2 * n1 * np.exp(-((edge / g0) ** 2)) == pytest.approx(s, rel=1e-8)
    assert low[0] < g0 < high[0]


def test_no_sensitivity_is_nan() -> None:
    low, high = coupling_interval(lambda g: g**2 * 1e-3, 2.3, 1)
    assert np.isnan(low[0]) and np.isnan(high[0])
