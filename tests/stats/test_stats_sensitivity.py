"""Sensitivity criteria: validation.md ST-8, ST-9, ST-10 and statistics.md sections 3, 4, 6.1."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar
from scipy.special import erf

from darkreach.errors import InvalidParameterError
from darkreach.stats import (
    OPTIMAL_GAUSSIAN_HALF_WIDTH,
    BinnedSpectrum,
    asimov_lambda,
    binned_lambda,
    binned_likelihood_min_signal,
    coupling_from_yield,
    cut_and_count_min_signal,
    sliding_window_bump_hunt,
)

# --- ST-8, ST-9, ST-10 ------------------------------------------------------------------------


def test_st8_asimov_one_bin() -> None:
    s_min = binned_likelihood_min_signal([1.0], [100.0])
    assert s_min == pytest.approx(21.35, rel=5e-3)
    assert asimov_lambda(s_min, [1.0], [100.0]) == pytest.approx(4.0, rel=1e-10)
    assert s_min > 20.0  # the leading-order S / sqrt(B) = 2


def test_st9_cut_and_count() -> None:
    assert cut_and_count_min_signal(1e6, kappa=1e-3, z=2.0) == pytest.approx(2828.4, rel=1e-4)


def test_st10_coupling_scaling() -> None:
    assert coupling_from_yield(2.303, 10.0, 1e-3) == pytest.approx(4.799e-4, rel=1e-4)


# --- section 3 --------------------------------------------------------------------------------


def test_cut_and_count_vectorised_and_limits() -> None:
    b = np.array([0.0, 1.0, 100.0, 1e4])
    assert cut_and_count_min_signal(b, kappa=0.0) == pytest.approx(2.0 * np.sqrt(b))
    assert cut_and_count_min_signal(b, kappa=0.1, z=3.0).shape == (4,)
    big = cut_and_count_min_signal(1e12, kappa=1e-3)
    assert big / 1e12 == pytest.approx(2.0 * 1e-3, rel=1e-5)  # saturation S/B -> z kappa


# --- section 4 --------------------------------------------------------------------------------


@pytest.mark.parametrize("s", [0.01, 0.1, 1.0])
def test_asimov_lambda_small_signal(s: float) -> None:
    eps = np.array([0.2, 0.5, 0.3])
    b = np.array([40.0, 100.0, 10.0])
    gaussian = s**2 * np.sum(eps**2 / b)
    ratio = asimov_lambda(s, eps, b) / gaussian
    assert ratio == pytest.approx(1.0, abs=float(np.max(s * eps / b)))
    assert ratio < 1.0  # next order: -(2/3) S eps / B


def test_general_lambda_reduces_to_asimov() -> None:
    eps = np.array([0.1, 0.6, 0.3])
    b = np.array([5.0, 50.0, 0.0])
    s = np.array([0.5, 3.0, 30.0])
    assert binned_lambda(s, eps, b) == pytest.approx(asimov_lambda(s, eps, b), rel=1e-12)
    assert binned_lambda(s, eps, b, data=b) == pytest.approx(asimov_lambda(s, eps, b), rel=1e-12)
    assert binned_lambda(s, eps, b, kappa=1e-9) == pytest.approx(asimov_lambda(s, eps, b))


def test_zero_background_bins_contribute_linearly() -> None:
    assert asimov_lambda(3.0, [1.0], [0.0]) == pytest.approx(6.0)
    assert binned_likelihood_min_signal([1.0], [0.0]) == pytest.approx(2.0)


def _profiled_lambda_brute(
    s: float, eps: np.ndarray, b: np.ndarray, d: np.ndarray, kappa: float
) -> float:
    def nll(theta: float, sig: float) -> float:
        mu = sig * eps + b * (1.0 + kappa * theta)
        return float(2.0 * np.sum(mu - np.where(d > 0, d * np.log(mu), 0.0)) + theta**2)

    bounds = (-1.0 / kappa + 1e-9, 50.0)
    opts = {"xatol": 1e-12}
    num = minimize_scalar(nll, bounds=bounds, args=(s,), method="bounded", options=opts).fun
    den = minimize_scalar(nll, bounds=bounds, args=(0.0,), method="bounded", options=opts).fun
    return float(num - den)


def test_profiled_lambda_against_scalar_minimisation() -> None:
    rng = np.random.default_rng(7)
    for _ in range(10):
        nb = int(rng.integers(1, 7))
        eps = rng.random(nb)
        eps /= eps.sum()
        b = rng.random(nb) * 40.0 + 0.5
        d = rng.poisson(b).astype(float)
        kappa = float(rng.choice([0.05, 0.2, 0.5]))
        s = float(rng.random() * 25.0)
        expected = _profiled_lambda_brute(s, eps, b, d, kappa)
        assert binned_lambda(s, eps, b, data=d, kappa=kappa) == pytest.approx(expected, abs=1e-7)


def test_min_signal_with_data_and_nuisance_against_root_finding() -> None:
    eps = np.array([0.2, 0.5, 0.3])
    b = np.array([10.0, 40.0, 5.0])
    d = np.array([12.0, 35.0, 9.0])
    expected = brentq(lambda s: _profiled_lambda_brute(s, eps, b, d, 0.2) - 4.0, 1.0, 200.0)
    assert binned_likelihood_min_signal(eps, b, data=d, kappa=0.2) == pytest.approx(
        expected, rel=1e-7
    )


def test_one_bin_kappa_zero_is_st8_and_matches_cut_and_count_at_large_b() -> None:
    assert binned_likelihood_min_signal([1.0], [100.0], kappa=0.0) == pytest.approx(
        21.355, abs=1e-3
    )
    # Gaussian regime: Lambda = 4 <=> S / sqrt(B + kappa^2 B^2) = 2, up to O(S/B)
    for b, kappa in [(1e6, 1e-3), (1e8, 1e-2)]:
        s_min = binned_likelihood_min_signal([1.0], [b], kappa=kappa)
        assert s_min == pytest.approx(cut_and_count_min_signal(b, kappa), rel=s_min / b)


@pytest.mark.parametrize("kappa", [1e-3, 1e-2, 0.1])
def test_saturation_with_correlated_systematic(kappa: float) -> None:
    b = 1e12
    s_min = binned_likelihood_min_signal([0.5, 0.5], [b / 2, b / 2], kappa=kappa)
    assert s_min / b == pytest.approx(2.0 * kappa, rel=1e-4)


def test_shape_information_helps() -> None:
    # the same totals in one bin (cut and count) versus a peaked signal over a falling background
    eps = np.array([0.7, 0.2, 0.1])
    b = np.array([5.0, 30.0, 65.0])
    binned = binned_likelihood_min_signal(eps, b)
    single = binned_likelihood_min_signal([1.0], [b.sum()])
    assert binned < 0.8 * single
    # the same shape for signal and background carries no information
    flat = binned_likelihood_min_signal(b / b.sum(), b)
    assert flat == pytest.approx(single, rel=1e-9)


def test_data_deficit_strengthens_and_excess_weakens() -> None:
    eps, b = [0.5, 0.5], [20.0, 20.0]
    asimov = binned_likelihood_min_signal(eps, b)
    assert binned_likelihood_min_signal(eps, b, data=[14.0, 15.0]) < asimov
    assert binned_likelihood_min_signal(eps, b, data=[28.0, 26.0]) > asimov


def test_no_signal_gives_infinity() -> None:
    out = binned_likelihood_min_signal([[0.0, 0.0], [0.3, 0.7]], [10.0, 10.0])
    assert math.isinf(out[0]) and math.isfinite(out[1])


def test_batch_equals_loop_and_is_fast() -> None:
    x = np.linspace(0.0, 1.0, 50)
    masses = np.linspace(0.1, 0.9, 200)
    eps = np.exp(-0.5 * ((x[None, :] - masses[:, None]) / 0.03) ** 2)
    eps /= eps.sum(axis=1, keepdims=True)
    b = 1e4 * np.exp(-3.0 * x)
    for kappa in (0.0, 1e-2):
        start = time.perf_counter()
        loop = np.array([binned_likelihood_min_signal(row, b, kappa=kappa) for row in eps])
        elapsed = time.perf_counter() - start
        batch = binned_likelihood_min_signal(eps, b, kappa=kappa)
        assert batch == pytest.approx(loop, rel=1e-9)
        assert binned_lambda(batch, eps, b, kappa=kappa) == pytest.approx(4.0, rel=1e-9)
        assert elapsed < 0.5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"signal_fractions": [-0.1, 1.0]}, "signal_fractions"),
        ({"backgrounds": [1.0, -1.0]}, "backgrounds"),
        ({"backgrounds": [1.0, 2.0, 3.0]}, "signal_fractions/backgrounds"),
        ({"kappa": -0.1}, "kappa"),
        ({"threshold": 0.0}, "threshold"),
        ({"data": [1.0, 2.0, 3.0]}, "data"),
        ({"backgrounds": [0.0, 1.0], "data": [1.0, 1.0]}, "data"),
    ],
)
def test_binned_invalid_input(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"signal_fractions": [0.5, 0.5], "backgrounds": [1.0, 2.0]}
    args.update(kwargs)
    with pytest.raises(InvalidParameterError) as info:
        binned_likelihood_min_signal(**args)  # type: ignore[call-overload]
    assert info.value.field == field


def test_cut_and_count_invalid_input() -> None:
    with pytest.raises(InvalidParameterError, match="background"):
        cut_and_count_min_signal([-1.0], kappa=0.1)
    with pytest.raises(InvalidParameterError, match="kappa"):
        cut_and_count_min_signal(1.0, kappa=-0.1)
    with pytest.raises(InvalidParameterError, match="z"):
        cut_and_count_min_signal(1.0, kappa=0.1, z=0.0)


# --- bump hunt windows ------------------------------------------------------------------------


def test_default_half_width_is_optimal_for_flat_background() -> None:
    k = np.linspace(0.5, 3.0, 2501)
    figure_of_merit = erf(k / math.sqrt(2.0)) / np.sqrt(2.0 * k)
    assert k[np.argmax(figure_of_merit)] == pytest.approx(OPTIMAL_GAUSSIAN_HALF_WIDTH, abs=2e-3)
    window = sliding_window_bump_hunt(300.0, 3.0, lambda x: np.full_like(x, 7.0))
    assert float(window.signal_fraction) == pytest.approx(0.8385, abs=1e-4)
    assert float(window.background) == pytest.approx(7.0 * 2.0 * 1.4 * 3.0, rel=1e-12)


def test_window_with_binned_spectrum() -> None:
    edges = np.array([0.0, 10.0, 20.0, 30.0])
    spectrum = BinnedSpectrum(edges=edges, counts=np.array([100.0, 50.0, 10.0]))
    w = sliding_window_bump_hunt(np.array([10.0, 25.0, 100.0]), 2.0, spectrum, half_width=2.5)
    # [5, 15] takes half of bin 0 and half of bin 1; [20, 30] is bin 2; outside the range: 0
    assert w.background == pytest.approx([75.0, 10.0, 0.0])
    assert w.low == pytest.approx([5.0, 20.0, 95.0])
    assert w.high == pytest.approx([15.0, 30.0, 105.0])


def test_window_with_density_is_vectorised_and_exact_for_polynomials() -> None:
    masses = np.array([200.0, 250.0, 300.0])
    sigma = np.array([1.0, 2.0, 4.0])
    w = sliding_window_bump_hunt(masses, sigma, lambda x: 3.0 * x**2)
    expected = w.high**3 - w.low**3  # integral of 3 x^2
    assert w.background == pytest.approx(expected, rel=1e-12)
    assert w.signal_fraction.shape == (3,)


def test_window_invalid_input() -> None:
    with pytest.raises(InvalidParameterError, match="resolution"):
        sliding_window_bump_hunt(100.0, 0.0, lambda x: x)
    with pytest.raises(InvalidParameterError, match="half_width"):
        sliding_window_bump_hunt(100.0, 1.0, lambda x: x, half_width=-1.0)
    with pytest.raises(InvalidParameterError, match="edges"):
        BinnedSpectrum(edges=np.array([0.0, 0.0, 1.0]), counts=np.array([1.0, 1.0]))
    with pytest.raises(InvalidParameterError, match="background"):
        sliding_window_bump_hunt(100.0, 1.0, "flat")  # type: ignore[arg-type]


# --- section 6.1 ------------------------------------------------------------------------------


def test_coupling_scaling_law_is_self_consistent() -> None:
    n1 = np.array([1e3, 5e4, 2e6, 0.0])  # yields at unit coupling over masses
    g_ref = 1e-3
    g = coupling_from_yield(2.303, n1 * g_ref**2, g_ref)
    assert g[:3] ** 2 * n1[:3] == pytest.approx(2.303, rel=1e-12)
    assert math.isinf(g[3])
    per_mass_limit = coupling_from_yield(np.array([2.303, 3.89]), np.array([10.0, 10.0]), g_ref)
    assert per_mass_limit[1] / per_mass_limit[0] == pytest.approx(math.sqrt(3.89 / 2.303))


def test_coupling_invalid_input() -> None:
    with pytest.raises(InvalidParameterError, match="yield_at_ref"):
        coupling_from_yield(2.3, -1.0, 1e-3)
    with pytest.raises(InvalidParameterError, match="coupling_ref"):
        coupling_from_yield(2.3, 1.0, 0.0)
    with pytest.raises(InvalidParameterError, match="signal_limit"):
        coupling_from_yield(-2.3, 1.0, 1e-3)
