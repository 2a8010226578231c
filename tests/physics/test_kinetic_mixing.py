"""Loop-induced kinetic mixing of the L_mu - L_tau Z' (validation.md MOD-6 to MOD-8)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.constants import m_mu, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.physics.kinetic_mixing import (
    epsilon_over_g,
    epsilon_over_g_darkcast,
    epsilon_over_g_dmg4,
    epsilon_over_g_zero,
    loop_epsilon,
)
from darkreach.units import GeV, MeV

HANDBOOK = {"m_mu": 105.6583755, "m_tau": 1776.86, "alpha": 1 / 137.036}

MOD7_MASSES = [50, 100, 200, 2 * 105.6583755, 300, 500, 1000, 2000, 3000, 5000, 10000]
MOD7_RATIOS = [1.008, 1.035, 1.259, 1.472, 1.209, 0.968, 0.748, 0.593, 0.559, 0.1943, 0.03792]


def test_mod6_low_q2_value() -> None:
    """MOD-6: eps(0)/g = 0.014433 = 1/69.29 with alpha = 1/137.035999."""
    for m_tau_value in (1776.86, m_tau):  # handbook and particle's tau mass
        value = epsilon_over_g_zero(m_tau=m_tau_value, alpha=1 / 137.035999)
        assert value == pytest.approx(0.014433, rel=1e-4)
        assert 1 / value == pytest.approx(69.29, rel=1e-4)
    assert epsilon_over_g_zero() == pytest.approx(0.014433, rel=1e-4)
    # the integral reproduces it at q^2 -> 0, from both sides
    eps = epsilon_over_g(np.array([-1e-6, 0.0, 1e-6]))
    assert eps.real == pytest.approx(epsilon_over_g_zero(), rel=1e-12)
    assert np.all(eps.imag == 0.0)


@pytest.mark.parametrize("inputs", ["handbook", "particle"])
def test_mod7_ratio_table(inputs: str) -> None:
    """MOD-7: abs(eps(m^2))/eps(0), 50 MeV - 10 GeV, tolerance 2e-3."""
    kwargs = HANDBOOK if inputs == "handbook" else {}
    masses = np.array(MOD7_MASSES) * MeV
    ratio = np.abs(epsilon_over_g(masses**2, **kwargs)) / epsilon_over_g_zero(**kwargs)
    assert ratio == pytest.approx(MOD7_RATIOS, rel=2e-3)


def test_mod8_closed_forms_agree() -> None:
    """MOD-8: integral vs DarkCast vs DMG4 closed forms, 10 MeV - 3 GeV: identical to 1e-8.

    The comparison is on the complex values (same +i0 branch), which implies the moduli.
    """
    masses = np.geomspace(10 * MeV, 3 * GeV, 301)
    integral = epsilon_over_g(masses**2)
    darkcast = epsilon_over_g_darkcast(masses)
    dmg4 = epsilon_over_g_dmg4(masses)
    scale = np.abs(integral)
    assert np.max(np.abs(integral - darkcast) / scale) < 1e-8
    assert np.max(np.abs(integral - dmg4) / scale) < 1e-8
    assert np.abs(darkcast) == pytest.approx(np.abs(integral), rel=1e-8)


def test_closed_forms_at_and_near_thresholds() -> None:
    """The closed forms are 0/0 at 2 m_l if evaluated naively; here they take the limit."""
    for threshold in (2 * m_mu, 2 * m_tau):
        q = threshold * np.array([1 - 1e-7, 1.0, 1 + 1e-7])
        integral = epsilon_over_g(q**2)
        assert epsilon_over_g_darkcast(q) == pytest.approx(integral, rel=1e-8)
        assert epsilon_over_g_dmg4(q) == pytest.approx(integral, rel=1e-8)
        assert np.all(np.isfinite(integral))


def test_analytic_structure() -> None:
    """Real below 2 m_mu and space-like; Im > 0 between the thresholds (q^2 + i0)."""
    below = epsilon_over_g(np.array([-1e8, -1e4, 100.0, (2 * m_mu * 0.99) ** 2]))
    assert np.all(below.imag == 0.0)
    between = epsilon_over_g(np.array([300.0, 1000.0, 3000.0]) ** 2)
    assert np.all(between.imag > 0.0)
    # imaginary part between thresholds: (e/(2 pi^2)) pi beta (3 - beta^2)/12 (muon cut only)
    q = 1000.0
    beta = math.sqrt(1 - 4 * m_mu**2 / q**2)
    e = math.sqrt(4 * math.pi / 137.035999)
    expected = e / (2 * math.pi**2) * math.pi * beta * (3 - beta**2) / 12
    assert float(epsilon_over_g(q**2).imag) == pytest.approx(expected, rel=1e-12)
    # far above both thresholds eps -> 0 (both logs approach ln(-x(1-x) q^2))
    assert abs(complex(epsilon_over_g(1e12))) < 1e-7


def test_against_high_precision_quadrature() -> None:
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 25

    def reference(q2: float) -> complex:
        q2m = mpmath.mpf(q2)

        def integrand(x: object) -> object:
            s = x * (1 - x)  # type: ignore[operator]
            return s * (
                mpmath.log(m_tau**2 - s * q2m - 1e-40j) - mpmath.log(m_mu**2 - s * q2m - 1e-40j)
            )

        points = [mpmath.mpf(0), mpmath.mpf(1) / 2]
        for mass in (m_mu, m_tau):
            if q2 > 4 * mass**2:
                points.append((1 - mpmath.sqrt(1 - 4 * mass**2 / q2m)) / 2)
        total = 2 * mpmath.quad(integrand, sorted(points))
        return complex(mpmath.sqrt(4 * mpmath.pi / 137.035999) / (2 * mpmath.pi**2) * total)

    for q2 in (-1e6, 2.5e3, (2 * m_mu) ** 2, 9e4, 4e6, (2 * m_tau) ** 2, 2.5e7):
        value = complex(epsilon_over_g(q2))
        assert abs(value - reference(q2)) < 1e-11 * abs(reference(q2))


def test_loop_epsilon() -> None:
    masses = np.array([1.0, 10.0, 2 * m_mu, 1000.0])
    eps = loop_epsilon(masses, 1e-3)
    assert eps == pytest.approx(1e-3 * np.abs(epsilon_over_g(masses**2)), rel=1e-14)
    assert loop_epsilon(10.0, 2e-3) == pytest.approx(2 * loop_epsilon(10.0, 1e-3), rel=1e-14)
    assert loop_epsilon(masses[:, None], np.array([1e-4, 1e-3])).shape == (4, 2)
    # ED-6: low-mass recast factor eps/g = 0.01443
    assert float(loop_epsilon(1.0, 1.0)) == pytest.approx(0.01443, rel=1e-3)


def test_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="mass"):
        loop_epsilon(0.0, 1e-3)
    with pytest.raises(InvalidParameterError, match="g"):
        loop_epsilon(10.0, -1e-3)
    with pytest.raises(InvalidParameterError, match="q2"):
        epsilon_over_g(math.nan)
    with pytest.raises(InvalidParameterError, match="m_mu"):
        epsilon_over_g(1.0, m_mu=2000.0)
    with pytest.raises(InvalidParameterError, match="alpha"):
        epsilon_over_g_zero(alpha=-1.0)
    with pytest.raises(InvalidParameterError, match="mass"):
        epsilon_over_g_darkcast(-10.0)
