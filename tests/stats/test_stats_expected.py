"""Expected limits and bands: validation.md ST-7 and statistics.md section 5."""

from __future__ import annotations

import dataclasses

import pytest
from scipy.stats import poisson

from darkreach.errors import InvalidParameterError
from darkreach.stats import (
    BAND_PROBABILITIES,
    ExpectedLimits,
    cls_upper_limit,
    expected_counts,
    expected_limits,
    feldman_cousins_upper_limit,
)

ST7 = {
    0.07: ((0, 0, 0, 0, 1), (2.303, 2.303, 2.303, 2.303, 3.823)),
    0.5: ((0, 0, 0, 1, 2), (2.303, 2.303, 2.303, 3.508, 4.843)),
    2.0: ((0, 1, 2, 3, 5), (2.303, 2.995, 3.877, 4.926, 7.306)),
    10.0: ((4, 7, 10, 13, 17), (3.340, 4.647, 6.630, 9.333, 13.648)),
}


@pytest.mark.parametrize("b", sorted(ST7))
def test_st7_cls_bands(b: float) -> None:
    counts, values = ST7[b]
    band = expected_limits(b)
    assert band.counts == counts
    assert band.as_tuple() == pytest.approx(values, abs=1e-3)


def test_band_probabilities() -> None:
    probabilities = BAND_PROBABILITIES
    assert probabilities == pytest.approx((0.0228, 0.1587, 0.5, 0.8413, 0.9772), abs=1e-4)


@pytest.mark.parametrize("b", [0.3, 2.0, 6.5, 25.0])
def test_counts_are_smallest_n_reaching_each_probability(b: float) -> None:
    for n, p in zip(expected_counts(b), BAND_PROBABILITIES, strict=True):
        assert poisson.cdf(n, b) >= p
        assert n == 0 or poisson.cdf(n - 1, b) < p


def test_band_collapses_at_zero_background() -> None:
    band = expected_limits(0.0)
    assert band.counts == (0, 0, 0, 0, 0)
    assert band.minus2 == band.plus2 == pytest.approx(2.302585, abs=1e-6)


def test_fields_and_tuple_order() -> None:
    band = expected_limits(2.0)
    assert band.as_tuple() == (band.minus2, band.minus1, band.median, band.plus1, band.plus2)
    assert list(band.as_tuple()) == sorted(band.as_tuple())
    with pytest.raises(dataclasses.FrozenInstanceError):
        band.median = 1.0  # type: ignore[misc]
    assert isinstance(band, ExpectedLimits)


def test_options_are_passed_through() -> None:
    band = expected_limits(2.0, cl=0.95, method="fc", background_uncertainty=0.5)
    assert band.counts == (0, 1, 2, 3, 5)  # counts stay Poisson at the nominal b
    assert band.plus1 == pytest.approx(
        feldman_cousins_upper_limit(3, 2.0, cl=0.95, background_uncertainty=0.5)
    )
    cls_band = expected_limits(2.0, background_uncertainty=0.5, signal_uncertainty=0.1)
    assert cls_band.median == pytest.approx(
        cls_upper_limit(2, 2.0, background_uncertainty=0.5, signal_uncertainty=0.1)
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"background": -1.0}, "background"),
        ({"background": 1.0, "cl": 1.5}, "cl"),
        ({"background": 1.0, "method": "cl"}, "method"),
        ({"background": 1.0, "background_uncertainty": -1.0}, "background_uncertainty"),
    ],
)
def test_invalid_input(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        expected_limits(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_expected_limits_refuse_overflowing_background() -> None:
    """b = 7e306 failed with "cannot convert float NaN to integer"; 1e9 ran for minutes."""
    from darkreach.errors import InvalidParameterError

    for b in (7e306, 1e9):
        with pytest.raises(InvalidParameterError, match="background"):
            expected_limits(b)
    band = expected_limits(0.5, background_uncertainty=1e-300)
    assert band.as_tuple() == expected_limits(0.5).as_tuple()
