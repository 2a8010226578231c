"""N_eff from an equilibrated L_mu - L_tau Z' (handbook bounds_and_new_channels.md 1.4(c)).

Planted bugs (each made a test here fail, then was undone):
- boson occupation 1/(e^y - 1) -> 1/(e^y + 1): test_thermal_f_massless fails.
- g_Z'/2 = 1.5 -> 3 (degrees of freedom not halved): test_neff_handbook_values fails.
- exponent 4/3 -> 3/4: test_neff_handbook_values and test_thresholds fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.bounds import neff
from darkreach.errors import InvalidParameterError
from darkreach.units import MeV


def test_thermal_f_massless() -> None:
    assert float(neff.thermal_f(0.0, boson=True)) == pytest.approx(8.0 / 7.0, rel=1e-10)
    assert float(neff.thermal_f(0.0, boson=False)) == pytest.approx(1.0, rel=1e-10)


def test_thermal_f_heavy_is_boltzmann() -> None:
    """x >> 1: F -> 30/(7 pi^4) int (4y^2-x^2) sqrt(y^2-x^2) e^-y dy, same for both statistics."""
    x = 30.0
    boson = float(neff.thermal_f(x, True))
    fermion = float(neff.thermal_f(x, False))
    assert boson == pytest.approx(fermion, rel=1e-10)
    assert boson < 1e-8
    # decreasing in x
    xs = np.linspace(0.0, 20.0, 41)
    assert np.all(np.diff(neff.thermal_f(xs, True)) < 0)


def test_neff_handbook_values() -> None:
    """N_eff(10 MeV) = 3.42 (handbook [RUN]); massless Z': 3 (1 + 4/7)^(4/3) = 5.48."""
    assert float(neff.n_eff(10 * MeV)) == pytest.approx(3.42, abs=0.005)
    assert float(neff.n_eff(1e-6 * MeV)) == pytest.approx(3 * (11 / 7) ** (4 / 3), rel=1e-6)
    assert float(neff.n_eff(1e3 * MeV)) == pytest.approx(3.0, abs=1e-6)


@pytest.mark.parametrize(("limit", "mass"), [(3.4, 10.2), (3.2, 12.6)])
def test_thresholds(limit: float, mass: float) -> None:
    """Handbook: N_eff < 3.4 needs m > 10.2 MeV; N_eff < 3.2 needs m > 12.6 MeV."""
    assert neff.mass_threshold(limit) == pytest.approx(mass, abs=0.05)


def test_default_threshold_between() -> None:
    assert 10.2 < neff.mass_threshold() < 12.6  # N_eff < 3.33 (Planck 2018 + BAO)


def test_dark_fermion_adds() -> None:
    assert float(neff.n_eff(10 * MeV, dark_fermion_mass=3.3 * MeV)) > float(neff.n_eff(10 * MeV))


def test_equilibrium_coupling() -> None:
    """g_eq ~ sqrt(m): Gamma = g^2 m/(12 pi) = H(T=m) ~ m^2; order 1e-10-1e-9 (handbook)."""
    g = neff.equilibrium_coupling([1.0, 100.0])
    assert g[1] / g[0] == pytest.approx(10.0)
    hubble = math.sqrt(8 * math.pi**3 * 10.75 / 90) * 1.0 / 1.22089e22  # MeV at T = 1 MeV
    assert g[0] ** 2 / (12 * math.pi) == pytest.approx(hubble, rel=1e-6)
    assert 1e-11 < float(neff.equilibrium_coupling(10.0)) < 1e-8


def test_edge_nan_above_threshold() -> None:
    edge = neff.neff_excluded_edge([1.0, 5.0, 20.0, 100.0])
    assert np.all(np.isfinite(edge[:2])) and np.all(np.isnan(edge[2:]))


def test_bad_limit() -> None:
    with pytest.raises(InvalidParameterError, match="limit"):
        neff.mass_threshold(2.5)
