"""Coherent mu N -> tau N through (tau-bar gamma P mu)(q-bar gamma P q)/Lambda^2 (issue 13 part 4).

References: the static-nucleus limit d sigma/dt = Q_V^2 F^2/(4 pi Lambda^4) integrated in
closed form with F = 1/(1 + |t|/d), an adaptive scipy integral of d sigma/dt in ln|t|, the
threshold s = (M + m_tau)^2 and the coherent-charge counting.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hepunits import picobarn
from scipy import integrate

from darkreach.constants import hbarc2, m_mu, m_tau
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.physics.form_factors import LEAD, TUNGSTEN
from darkreach.production import mu_tau

TEV = 1.0e6  # MeV


def _static_limit(E0: float, lepton_factor: float) -> float:
    """Q_V^2 d^2/((d + |t|_min) 4 pi Lambda^4) at Lambda = 1 TeV, |t|_min = (dm^2/2E)^2, mm^2."""
    d = LEAD.t_nuclear
    t_min = ((m_tau**2 - m_mu**2) / (2.0 * E0)) ** 2
    q_v = mu_tau.coherent_charge(LEAD)
    return lepton_factor * q_v**2 * d * d / (d + t_min) / (4.0 * math.pi * TEV**4) * hbarc2


@pytest.mark.parametrize(("lepton", "factor"), [("vector", 1.0), ("left", 0.5), ("right", 0.5)])
def test_high_energy_static_nucleus_limit(lepton: str, factor: float) -> None:
    """At 160 GeV on Pb: sigma = Q_V^2 d^2/((d + t_min) 4 pi Lambda^4) (x 1/2 for a chiral
    lepton current) up to O(m_tau^2/(M E)) ~ 1e-4. Catches 16 pi for 4 pi, Lambda^2 for
    Lambda^4, a chiral factor 1/4, and a wrong |t|_min."""
    got = float(mu_tau.coherent_sigma(160e3, LEAD, TEV, lepton=lepton))  # type: ignore[arg-type]
    assert got == pytest.approx(_static_limit(160e3, factor), rel=5e-4, abs=0)


def test_t_min_suppression_at_m3_like_energy() -> None:
    """At 15 GeV |t|_min = (dm^2/2E)^2 = 0.0110 GeV^2 > d(Pb) = 0.0047 GeV^2: the coherent
    cross section drops to ~30 % of its high-energy value (the closed form within 1 %).
    Catches a t_min taken at the wrong end of the angular range."""
    got = float(mu_tau.coherent_sigma(15e3, LEAD, TEV, lepton="vector"))
    assert got == pytest.approx(_static_limit(15e3, 1.0), rel=1e-2, abs=0)
    assert got / float(mu_tau.coherent_sigma(160e3, LEAD, TEV, lepton="vector")) < 0.35


def test_quadrature_against_adaptive_integral() -> None:
    """The 12 x 16 Gauss-Legendre rule in ln|t| against scipy quad of d sigma/d|t| near
    threshold and at 160 GeV. Catches a missing Jacobian |t| of the log map."""
    big_m = mu_tau.nucleus_mass(TUNGSTEN)
    for e0 in (3e3, 160e3):
        t_min, t_max = mu_tau._t_range(np.array(e0), big_m)

        def integrand(x: float, e0: float = e0) -> float:
            t = math.exp(x)
            return t * float(mu_tau.coherent_dsigma_dt(e0, t, TUNGSTEN, TEV, lepton="vector"))

        ref, _ = integrate.quad(
            integrand, math.log(float(t_min)), math.log(float(t_max)), limit=500, epsrel=1e-10
        )
        got = float(mu_tau.coherent_sigma(e0, TUNGSTEN, TEV, lepton="vector"))
        assert got == pytest.approx(ref, rel=1e-6, abs=0)


def test_threshold_and_charge_counting() -> None:
    """Threshold E = m_tau + (m_tau^2 - m_mu^2)/(2M) + ...; sigma scales as Lambda^-4 and as
    Q_V^2 = (Z(2c_u + c_d) + N(c_u + 2c_d))^2. Catches proton/neutron charges swapped."""
    e_thr = mu_tau.threshold_energy(LEAD)
    big_m = mu_tau.nucleus_mass(LEAD)
    assert e_thr == pytest.approx(m_tau + (m_tau**2 - m_mu**2) / (2 * big_m), rel=1e-9)
    assert float(mu_tau.coherent_sigma(0.99 * e_thr, LEAD, TEV, below_threshold="zero")) == 0.0
    up = float(mu_tau.coherent_sigma(100e3, LEAD, TEV, c_u=1.0, c_d=0.0))
    down = float(mu_tau.coherent_sigma(100e3, LEAD, TEV, c_u=0.0, c_d=1.0))
    z, n = 82, 207 - 82
    assert up / down == pytest.approx(((2 * z + n) / (z + 2 * n)) ** 2, rel=1e-12)
    ratio = float(mu_tau.coherent_sigma(100e3, LEAD, TEV)) / float(
        mu_tau.coherent_sigma(100e3, LEAD, 2 * TEV)
    )
    assert ratio == pytest.approx(16.0, rel=1e-12)


def test_magnitude_at_na64mu() -> None:
    """Lambda = 1 TeV, left-handed operators (c_q = 1/2), Pb, 160 GeV: 6.85e-3 pb
    (= Q_V^2 d/(8 pi Lambda^4) with Q_V = 310.5, d = 4.68e-3 GeV^2). Catches unit slips."""
    got = float(mu_tau.coherent_sigma(160e3, LEAD, TEV)) / picobarn
    assert got == pytest.approx(6.85e-3, rel=2e-3)


def test_bad_input() -> None:
    with pytest.raises(KinematicallyForbiddenError, match="tau threshold"):
        mu_tau.coherent_sigma(1.0e3, LEAD, TEV)
    with pytest.raises(InvalidParameterError, match="Lambda"):
        mu_tau.coherent_sigma(160e3, LEAD, 0.0)
    with pytest.raises(InvalidParameterError, match="lepton"):
        mu_tau.coherent_sigma(160e3, LEAD, TEV, lepton="scalar")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="below_threshold"):
        mu_tau.coherent_sigma(160e3, LEAD, TEV, below_threshold="nan")  # type: ignore[arg-type]
