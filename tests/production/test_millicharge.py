"""Milli-charged pair production mu N -> mu N chi chi-bar (issue 13 part 2).

References are independent of the implementation's eta quadrature: the photon's logarithm at
m_chi -> 0, the threshold (Beta-function) limit at high mass, an adaptive scipy integral in s
over the vector cross section, and the A' -> f f-bar width (models.md 1.2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hepunits import picobarn
from scipy import integrate
from scipy.special import beta as beta_fn

from darkreach.constants import alpha_em, m_mu
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.models.base import two_body_vector_width
from darkreach.physics.form_factors import Nucleus
from darkreach.production import millicharge, muon_brem

PB = Nucleus(82, 207.2)
W = Nucleus(74, 183.84)
E2 = 4.0 * math.pi * alpha_em  # muon coupling e^2 to the virtual photon


def test_pair_density_is_the_width_over_pi_s2() -> None:
    """rho(s) = sqrt(s) Gamma(V -> chi chi, eps -> Q)(sqrt s)/(pi s^2).

    Catches a wrong 3 pi, a missing (1 + 2 m^2/s) or beta in the density (handbook 4.1).
    """
    m_chi, q = 40.0, 0.3
    s = np.array([100.0**2, 300.0**2, 2000.0**2])
    big_m = np.sqrt(s)
    width = two_body_vector_width(big_m, m_chi, q * q * E2)
    expected = big_m * width / (math.pi * s * s)
    assert np.allclose(millicharge.pair_density(s, m_chi, q), expected, rtol=1e-12, atol=0.0)
    assert float(millicharge.pair_density(70.0**2, m_chi, q)) == 0.0  # below 2 m_chi


def test_small_mass_grows_with_the_photon_logarithm() -> None:
    """For m_chi << m_mu: sigma(m1) - sigma(m2) = (2 alpha/3 pi) e^2 sigma_V(M -> 0) ln(m2/m1).

    Catches a wrong normalisation of rho (factor 2, missing e^2 = 4 pi alpha) and a wrong
    Jacobian ds = 2 M dM, which change the slope.
    """
    m1, m2 = 1.0e-3, 1.0e-2  # MeV
    diff = float(millicharge.sigma(160e3, m1, PB, x_min=0.5)) - float(
        millicharge.sigma(160e3, m2, PB, x_min=0.5)
    )
    sigma_v0 = float(muon_brem.sigma(160e3, 1.0e-3, PB, "vector", x_min=0.5))
    slope = 2.0 * alpha_em / (3.0 * math.pi) * E2 * sigma_v0
    assert diff == pytest.approx(slope * math.log(m2 / m1), rel=2e-3, abs=0.0)


@pytest.mark.parametrize(
    ("E0", "m_chi", "nucleus", "rtol"), [(160e3, 3000.0, PB, 0.02), (15e3, 500.0, W, 0.03)]
)
def test_high_mass_is_made_near_threshold(
    E0: float, m_chi: float, nucleus: Nucleus, rtol: float
) -> None:
    """sigma_V ~ M^-p: sigma = (alpha/3pi) e^2 sigma_V(2m) [B(p/2,3/2) + B(p/2+1,3/2)/2].

    p is measured from the vector cross section between 2 m_chi and 2.6 m_chi. Catches a lost
    (1 + 2 m^2/s) term (-27 % here), a beta^3 for beta, and a wrong lower limit of M.
    """
    sv2 = float(muon_brem.sigma(E0, 2.0 * m_chi, nucleus, "vector"))
    sv3 = float(muon_brem.sigma(E0, 2.6 * m_chi, nucleus, "vector"))
    p = -math.log(sv3 / sv2) / math.log(1.3)
    shape = beta_fn(p / 2, 1.5) + 0.5 * beta_fn(p / 2 + 1, 1.5)
    expected = alpha_em / (3.0 * math.pi) * E2 * sv2 * shape
    assert float(millicharge.sigma(E0, m_chi, nucleus)) == pytest.approx(
        expected, rel=rtol, abs=0.0
    )


@pytest.mark.slow
def test_against_adaptive_integral_over_the_vector_cross_section() -> None:
    """The M integral by scipy quad in ln s (no eta map) over muon_brem.sigma at each s.

    Catches Jacobian and end-point errors of the eta rule (e.g. L/2 for L in the panels).
    """
    E0, m_chi, x_min = 160e3, 20.0, 0.5

    def integrand(log_s: float) -> float:
        s = math.exp(log_s)
        sv = float(muon_brem.sigma(E0, math.sqrt(s), PB, "vector", x_min=x_min))
        return E2 * sv * float(millicharge.pair_density(s, m_chi)) * s

    lo, hi = math.log(4 * m_chi**2 * (1 + 1e-12)), math.log((E0 - m_mu) ** 2)
    ref, _ = integrate.quad(
        integrand,
        lo,
        hi,
        epsrel=1e-6,
        limit=200,
        points=[math.log(4 * m_chi**2 * 1.5), math.log(4 * m_mu**2)],
    )
    assert float(millicharge.sigma(E0, m_chi, PB, x_min=x_min)) == pytest.approx(
        ref, rel=1e-3, abs=0.0
    )


def test_fast_rule_agrees_with_precise() -> None:
    """sigma_above (reach scans) within 1e-3 of sigma from 1 keV to 10 GeV. Catches a
    mis-ordered argument of the fast path (m and E0 swapped gives a different number)."""
    masses = np.array([1e-3, 0.5, 30.0, 400.0, 10_000.0])
    fast = millicharge.sigma_above(masses, 160e3, 0.5, PB)
    precise = millicharge.sigma(160e3, masses, PB, x_min=0.5)
    assert np.allclose(fast, precise, rtol=1e-3, atol=0.0)


def test_order_of_magnitude_at_the_issue_point() -> None:
    """m_chi = 10 MeV, Pb, 160 GeV, x > 0.5: between the vector at M = 2 m_chi times
    alpha/(3 pi) e^2 (near-threshold lower end) and that times ln((E0)^2/(4 m^2)).
    Catches gross unit slips (pb vs mm^2, GeV vs MeV)."""
    value = float(millicharge.sigma(160e3, 10.0, PB, x_min=0.5)) / picobarn
    sv = float(muon_brem.sigma(160e3, 20.0, PB, "vector", x_min=0.5)) / picobarn
    base = alpha_em / (3.0 * math.pi) * E2 * sv
    assert base < value < base * math.log(160e3**2 / 400.0)


def test_bad_input() -> None:
    """Q outside (0, 1), m_chi beyond (E0 - m_mu)/2, x_min >= 1: one-line errors."""
    for q in (0.0, -0.1, 1.0, 2.0, math.nan):
        with pytest.raises(InvalidParameterError, match="0 < Q/e < 1"):
            millicharge.check_charge(q)
    assert float(millicharge.check_charge(0.5)) == 0.5
    with pytest.raises(KinematicallyForbiddenError, match=r"m_chi .*\(E0 - m_mu\)/2"):
        millicharge.sigma(160e3, 80e3, PB)
    assert float(millicharge.sigma(160e3, 80e3, PB, below_threshold="zero")) == 0.0
    with pytest.raises(InvalidParameterError, match="m_chi"):
        millicharge.sigma(160e3, -1.0, PB)
    with pytest.raises(InvalidParameterError, match="x_min"):
        millicharge.sigma(160e3, 10.0, PB, x_min=1.0)
    assert millicharge.max_chi_mass(160e3) == pytest.approx(0.5 * (160e3 - m_mu))
