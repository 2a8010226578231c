"""Absolute normalisation of the relic density against independent references (3 % level).

References (not the code's own output):

- Steigman, Dasgupta, Beacom (SDB), PRD 86 (2012) 023506, arXiv:1204.3622, Fig. 5: the
  thermally averaged s-wave cross section (constant in x) a self-conjugate (Majorana) WIMP needs
  for the observed density. Abstract (verified): 2.2e-26 cm^3/s with feeble mass dependence
  above 10 GeV, a maximum of 5.2e-26 cm^3/s near 0.3 GeV. Values at 0.25-decade steps, two
  significant figures, as transcribed from their figure in TjarkMiener/likelihood_combiner
  (Fermi-LAT/HAWC/... dwarf combination plotting code). SDB normalise to the WMAP-7 era
  Omega_DM h^2 = 0.11 (unverified: confirm before relying; the 0.12 of Planck 2018 needs
  ~9 % less cross section, which is the bulk of the +3.8 % "offset" the old 10 % check at
  10 GeV showed: it compared the 0.12 result with the >10 GeV plateau value 2.2e-26 instead
  of the 10 GeV value 2.5e-26 at 0.11).
- Analytic limits of the equilibrium yield (Maxwell-Boltzmann statistics, relic.md 3.1):
  Y_eq -> 45 g/(2 pi^4 h_eff) for x -> 0, and the asymptotic series of K_2 for x >> 1.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.physics.relic import boltzmann as bz
from darkreach.physics.relic.annihilation import sigma_v_to_cm3_per_s
from darkreach.physics.relic.dof import h_eff
from darkreach.units import GeV

CM3_PER_S = float(sigma_v_to_cm3_per_s(1.0))  # cm^3/s per MeV^-2

#: SDB Fig. 5 (see module docstring): m_chi [GeV] and <sigma v> [cm^3/s] for Omega h^2 = 0.11
SDB_MASS_GEV = (
    0.1, 0.178, 0.316, 0.562, 1.0, 1.78, 3.16, 5.62, 10.0, 17.8, 31.6, 56.2, 100.0,
    178.0, 316.0, 562.0, 1000.0, 1780.0, 3160.0, 5620.0, 10000.0,
)  # fmt: skip
SDB_SIGMA_V = (
    4.8e-26, 4.9e-26, 5.1e-26, 5.0e-26, 4.7e-26, 4.5e-26, 3.9e-26, 2.8e-26, 2.5e-26, 2.3e-26,
    2.2e-26, 2.2e-26, 2.2e-26, 2.3e-26, 2.3e-26, 2.3e-26, 2.3e-26, 2.3e-26, 2.3e-26, 2.3e-26,
    2.4e-26,
)  # fmt: skip
SDB_OMEGA_H2 = 0.11


def required_constant_sigma_v(masses_mev: np.ndarray, kind: str, omega_h2: float) -> np.ndarray:
    """<sigma v> [cm^3/s], constant in x, giving ``omega_h2`` (per DM pair, before the
    kind's bookkeeping factor: for Dirac this is <sigma v>_{chi chibar})."""
    cfg = bz.SolverSettings()
    states = bz.dark_states(kind)
    xs = cfg.sigma_v_grid()
    sv = np.full_like(xs, 1e-26) / CM3_PER_S * states.sigma_v_factor(xs)
    prob = bz.BoltzmannProblem.build(
        masses_mev, xs, np.tile(sv, (masses_mev.size, 1)), cfg.ode_grid(), states
    )
    scale, ok = prob.solve_scale(omega_h2)
    assert ok.all()
    return np.asarray(1e-26 * scale)


def test_required_s_wave_cross_section_matches_steigman_dasgupta_beacom() -> None:
    """Majorana, constant s-wave <sigma v>, Omega h^2 = 0.11: every SDB point within 3 % (the
    table's two-digit rounding is up to 2.3 %, and SDB use another g*(T) table), and the mean
    over 0.1 GeV-10 TeV within 1 % (guards the absolute normalisation: Y_eq x2 or the
    freeze-out rate x1.15 move it by 3-5 % and 13 %)."""
    masses = np.array(SDB_MASS_GEV) * GeV
    ours = required_constant_sigma_v(masses, "majorana", SDB_OMEGA_H2)
    ratio = ours / np.array(SDB_SIGMA_V)
    assert np.all(np.abs(ratio - 1.0) < 0.03), np.round(ratio - 1.0, 3).tolist()
    assert abs(float(np.mean(ratio)) - 1.0) < 0.01


def test_planck_target_needs_nine_percent_less_than_wmap() -> None:
    """Omega ~ x_f/<sigma v>: 0.11 -> 0.12 lowers <sigma v> by 0.11/0.12 = 0.917 times
    (1 - ln(0.12/0.11)/x_f) ~ 0.9956, x_f ~ 20 (Kolb and Turner, The Early Universe, ch. 5)."""
    masses = np.array([1.0, 100.0]) * GeV
    ratio = required_constant_sigma_v(masses, "majorana", 0.12) / required_constant_sigma_v(
        masses, "majorana", 0.11
    )
    assert ratio == pytest.approx(0.11 / 0.12 * (1 - math.log(0.12 / 0.11) / 20), rel=2e-3)


def test_dirac_needs_twice_the_majorana_cross_section_plus_the_log() -> None:
    """Dirac (g = 4, chi and chibar) needs 2x the Majorana <sigma v> (SDB), times
    1 + ln 2 / x_f from the doubled equilibrium density in x_f (Kolb and Turner eq. 5.43;
    x_f ~ 16-23 here, bounds for 14-26)."""
    masses = np.array([0.3, 10.0, 1000.0]) * GeV
    ratio = required_constant_sigma_v(masses, "dirac", 0.12) / required_constant_sigma_v(
        masses, "majorana", 0.12
    )
    assert np.all((ratio > 2.0 * (1 + math.log(2) / 26)) & (ratio < 2.0 * (1 + math.log(2) / 14)))


@pytest.mark.parametrize("kind", ["majorana", "dirac", "pseudo-dirac"])
def test_equilibrium_yield_analytic_limits(kind: str) -> None:
    """Y_eq = n_eq/s: relativistic limit 45 g/(2 pi^4 h_eff) and the non-relativistic series
    45 g/(4 pi^4 h_eff) sqrt(pi/2) x^1.5 e^-x (1 + 15/(8x) + 105/(128x^2) - 315/(1024x^3))
    (K_2 asymptotic series, Abramowitz-Stegun 9.7.2; next term 0.32/x^4)."""
    states = bz.dark_states(kind)
    g = {"majorana": 2.0, "dirac": 4.0, "pseudo-dirac": 4.0}[kind]
    m = 100.0  # MeV
    x_small = np.array([1e-4])
    y_rel = bz.equilibrium_yield(x_small, m, states)
    assert y_rel[0] == pytest.approx(
        45.0 * g / (2.0 * math.pi**4 * h_eff(m / x_small)[0]), rel=1e-6
    )
    x = np.array([30.0, 60.0])
    series = 1 + 15 / (8 * x) + 105 / (128 * x**2) - 315 / (1024 * x**3)
    nr = (
        45.0 * g / (4.0 * math.pi**4 * h_eff(m / x))
        * math.sqrt(math.pi / 2) * x**1.5 * np.exp(-x) * series
    )  # fmt: skip
    assert bz.equilibrium_yield(x, m, states) == pytest.approx(nr, rel=1e-5, abs=0)
