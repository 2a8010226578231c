"""physics.decay: escape probabilities against exp(-L/lambda) written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.physics.decay import survival_probability, unseen_probability


def test_survival_is_exp_minus_distance_over_length() -> None:
    """exp(-L / lambda) at L / lambda = 0.1, 1, 3 (planted bug L/2 for L: exp(-0.5) != exp(-1))."""
    lengths = np.array([10.0, 1.0, 1.0 / 3.0])
    got = survival_probability(1.0, lengths)
    np.testing.assert_allclose(got, [math.exp(-0.1), math.exp(-1.0), math.exp(-3.0)], rtol=1e-14)


def test_survival_limits() -> None:
    assert float(survival_probability(0.0, 5.0)) == 1.0  # no distance: nothing decays
    assert float(survival_probability(5.0, np.inf)) == 1.0  # stable
    assert float(survival_probability(5.0, 0.0)) == 0.0  # prompt
    assert float(survival_probability(1e6, 1.0)) == 0.0  # underflow is 0, not NaN


def test_unseen_probability_by_hand() -> None:
    """BR_inv + (1 - BR_inv) exp(-L/lambda) (statistics.md 6.1)."""
    br = np.array([0.0, 0.25, 1.0])
    got = unseen_probability(br, 2.0, 4.0)
    expected = br + (1.0 - br) * math.exp(-0.5)
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    # a model with no open channel (BR NaN) is stable and invisible
    assert float(unseen_probability(np.nan, 2.0, 4.0)) == 1.0
    # fully visible, prompt: never unseen
    assert float(unseen_probability(0.0, 2.0, 0.0)) == 0.0


def test_unseen_probability_broadcasts() -> None:
    got = unseen_probability(np.array([[0.0], [0.5]]), 1.0, np.array([1.0, 2.0, np.inf]))
    assert got.shape == (2, 3)
    assert got[1, 2] == pytest.approx(1.0)
    assert got[0, 0] == pytest.approx(math.exp(-1.0))
