"""Dark photon and B-L (validation.md MOD-13 to MOD-15)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from darkreach.constants import e_charge, hbarc, m_e
from darkreach.errors import InvalidParameterError
from darkreach.models import (
    BminusLZPrime,
    DarkMatter,
    DarkPhoton,
    Model,
)
from darkreach.models.dark_photon import HADRONIC_THRESHOLD, vmd_coefficients
from darkreach.units import MeV, m


def test_is_a_model() -> None:
    model = DarkPhoton()
    assert isinstance(model, Model)
    assert isinstance(BminusLZPrime(), Model)
    assert (model.name, model.spin, model.coupling_symbol) == ("dark-photon", "vector", "epsilon")
    assert model.fermion_couplings()["e"].vector == pytest.approx(-e_charge)
    assert model.fermion_couplings()["nu_e"].vector == 0.0


def test_mod13_ctau() -> None:
    """MOD-13: c tau = 8.11e-12 m at eps = 1, M = 10 MeV (e+e- only)."""
    ctau = hbarc / float(DarkPhoton().total_width(10 * MeV, 1.0))
    assert ctau / m == pytest.approx(8.11e-12, rel=1e-3)


def test_leptonic_width_formula_and_branching() -> None:
    model = DarkPhoton()
    masses = np.array([1.5, 50.0, 130.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # below the hadronic threshold: no warning
        widths = model.partial_widths(masses, 1e-3)
        brs = model.branching_ratios(masses, 1e-3)
    r = (m_e / masses) ** 2
    expected = 1e-6 * masses / (3 * 137.035999) * (1 + 2 * r) * np.sqrt(1 - 4 * r)
    assert widths["e e"] == pytest.approx(expected, rel=1e-8)
    assert sum(brs.values()) == pytest.approx(np.ones(3), rel=1e-12)
    assert brs["e e"][0] == 1.0


def test_below_two_electron_masses() -> None:
    model = DarkPhoton()
    assert float(model.total_width(1.0, 1e-3)) == 0.0
    assert np.isnan(model.branching_ratios(1.0, 1e-3)["e e"])
    assert float(model.decay_length(1.0, 1e-3, 10.0)) == math.inf
    assert model.decay_length(1.0, 1e-3, np.array([0.0, 5.0])) == pytest.approx([0.0, math.inf])
    dm = DarkPhoton(dark_matter=DarkMatter(mass_ratio=3.0))
    assert float(dm.invisible_fraction(1.0, 1e-3)) == 1.0
    assert dm.invisible_channels == {"chi chi"}


def test_hadronic_channel_without_warning() -> None:
    """The hadronic width is included (issue 10): no warning, a "hadrons" channel for both
    models, zero below m_pi0 and present above."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dp = DarkPhoton().partial_widths(np.array([10.0, 500.0]), 1e-3)
        bl = BminusLZPrime().partial_widths(np.array([HADRONIC_THRESHOLD * 0.99, 800.0]), 1e-3)
        DarkPhoton(warn_hadrons=True).partial_widths(500.0, 1e-3)  # accepted, ignored
    assert dp["hadrons"][0] == 0.0 and dp["hadrons"][1] > 0.0
    assert bl["hadrons"][0] == 0.0 and bl["hadrons"][1] > bl["mu mu"][1]


def test_mod14_b_minus_l_invisible_fraction() -> None:
    """MOD-14: B-L BR(nu nubar) = 0.600 at 10 MeV (FORESEE table 0.598), 5e-3 abs."""
    br = float(BminusLZPrime().invisible_fraction(10 * MeV, 1e-3))
    assert br == pytest.approx(0.600, abs=5e-3)
    assert br == pytest.approx(0.598, abs=5e-3)
    dirac = float(BminusLZPrime(neutrinos="dirac").invisible_fraction(10 * MeV, 1e-3))
    assert dirac == pytest.approx(0.75, abs=1e-3)


def test_mod15_vmd_coefficients() -> None:
    """MOD-15: dark photon (eps e, eps e, -eps e); B-L (0, 2 g, g)."""
    eps_e = 1.7e-3
    dp = vmd_coefficients(2 / 3 * eps_e, -1 / 3 * eps_e, -1 / 3 * eps_e)
    assert dp["rho"] == pytest.approx(eps_e, rel=1e-14)
    assert dp["omega"] == pytest.approx(eps_e, rel=1e-14)
    assert dp["phi"] == pytest.approx(-eps_e, rel=1e-14)
    g = 2e-4
    bl = vmd_coefficients(g / 3, g / 3, g / 3)
    assert bl["rho"] == 0.0
    assert bl["omega"] == pytest.approx(2 * g, rel=1e-14)
    assert bl["phi"] == pytest.approx(g, rel=1e-14)


def test_scaling_and_bad_input() -> None:
    model = DarkPhoton(warn_hadrons=False)
    masses = np.geomspace(2.0, 5000.0, 9)
    w1 = model.partial_widths(masses, 1e-4)
    w2 = model.partial_widths(masses, 1e-3)
    for channel in w1:
        assert w2[channel] == pytest.approx(100 * w1[channel], rel=1e-12)
    with pytest.raises(InvalidParameterError, match="epsilon"):
        model.partial_widths(10.0, -1e-3)
    with pytest.raises(InvalidParameterError, match="mass"):
        model.partial_widths(0.0, 1e-3)
    with pytest.raises(InvalidParameterError, match="dark_matter"):
        DarkPhoton(dark_matter=3.0)  # type: ignore[arg-type]
