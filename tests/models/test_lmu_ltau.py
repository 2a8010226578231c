"""L_mu - L_tau Z' widths and branching ratios (validation.md MOD-1 to MOD-4, MOD-9)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.constants import hbarc, m_mu, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.models import DarkMatter, LmuLtauZPrime, Model
from darkreach.units import GeV, MeV, m

NU = ("nu_mu nu_mu", "nu_tau nu_tau")


def test_is_a_model() -> None:
    model = LmuLtauZPrime()
    assert isinstance(model, Model)
    assert model.name == "lmu-ltau"
    assert model.spin == "vector"
    assert model.coupling_symbol == "g"
    assert model.invisible_channels == frozenset(NU)
    assert LmuLtauZPrime(dark_matter=DarkMatter()).name == "lmu-ltau-dm"
    assert "chi chi" in LmuLtauZPrime(dark_matter=DarkMatter()).invisible_channels


def test_mod1_neutrino_width_and_ctau() -> None:
    """MOD-1: g = 1e-3, M = 10 MeV: Gamma(nu nubar) = 2.6526e-10 GeV, c tau = 7.439e-7 m."""
    model = LmuLtauZPrime()
    widths = model.partial_widths(10 * MeV, 1e-3)
    nu = sum(float(widths[c]) for c in NU)
    assert nu / GeV == pytest.approx(2.6526e-10, rel=1e-4)
    assert float(widths["mu mu"]) == 0.0
    ctau = hbarc / float(model.total_width(10 * MeV, 1e-3))
    assert ctau / m == pytest.approx(7.439e-7, rel=1e-4)
    # decay_length at p = m is c tau
    assert float(model.decay_length(10 * MeV, 1e-3, 10 * MeV)) == pytest.approx(ctau, rel=1e-12)


def test_mod2_widths_at_300_mev() -> None:
    """MOD-2: g = 1e-3, M = 300 MeV: 7.9577e-9 / 7.0498e-9 GeV, BR_inv = 0.5302."""
    model = LmuLtauZPrime()
    widths = model.partial_widths(300 * MeV, 1e-3)
    assert sum(float(widths[c]) for c in NU) / GeV == pytest.approx(7.9577e-9, rel=1e-4)
    assert float(widths["mu mu"]) / GeV == pytest.approx(7.0498e-9, rel=1e-4)
    assert float(model.invisible_fraction(300 * MeV, 1e-3)) == pytest.approx(0.5302, rel=1e-4)


def test_mod3_invisible_fraction_high_mass() -> None:
    """MOD-3: BR_inv = 0.5002 at 1 GeV, 0.5000 at 3 GeV (abs 1e-4)."""
    br = LmuLtauZPrime().invisible_fraction(np.array([1000.0, 3000.0]) * MeV, 1e-3)
    assert br == pytest.approx([0.5002, 0.5000], abs=1e-4)


def test_mod4_dirac_neutrinos_two_thirds() -> None:
    """MOD-4: BR_inv -> 2/3 with Dirac neutrinos (1e-3 abs at 3 GeV)."""
    br = float(LmuLtauZPrime(neutrinos="dirac").invisible_fraction(3 * GeV, 1e-3))
    assert br == pytest.approx(2.0 / 3.0, abs=1e-3)
    # and the left-handed default tends to 1/2 (asymptotically, below the tau threshold)
    left = float(LmuLtauZPrime().invisible_fraction(3.5 * GeV, 1e-3))
    assert left == pytest.approx(0.5, abs=1e-4)


def test_invisible_below_dimuon_threshold() -> None:
    masses = np.array([0.1, 1.0, 100.0, 2 * m_mu * (1 - 1e-9)])
    assert LmuLtauZPrime().invisible_fraction(masses, 1e-4) == pytest.approx(1.0, abs=0)


def test_dirac_doubles_neutrino_width() -> None:
    left = LmuLtauZPrime().partial_widths(50.0, 1e-3)
    dirac = LmuLtauZPrime(neutrinos="dirac").partial_widths(50.0, 1e-3)
    for channel in NU:
        assert float(dirac[channel]) == pytest.approx(2 * float(left[channel]), rel=1e-14)


def test_threshold_behaviour() -> None:
    """Gamma(mu mu) vanishes at 2 m_mu like beta; tau tau opens at 2 m_tau."""
    model = LmuLtauZPrime()
    at = model.partial_widths(2 * m_mu, 1e-3)["mu mu"]
    assert float(at) == 0.0
    above = 2 * m_mu * (1 + np.array([1e-8, 1e-6]))
    w = model.partial_widths(above, 1e-3)["mu mu"]
    beta = np.sqrt(1 - (2 * m_mu / above) ** 2)
    expected = 1e-6 * above / (12 * math.pi) * 1.5 * beta
    assert w == pytest.approx(expected, rel=1e-6)
    assert w[1] / w[0] == pytest.approx(10.0, rel=1e-4)  # beta ~ sqrt(excess)
    tau = model.partial_widths(np.array([2 * m_tau * 0.999, 2 * m_tau * 1.01]), 1e-3)["tau tau"]
    assert tau[0] == 0.0
    assert tau[1] > 0.0
    # above 2 m_tau three channels (two halves for nu) share: BR_inv -> 1/3 at M >> m_tau
    assert float(model.invisible_fraction(1e6, 1e-3)) == pytest.approx(1 / 3, abs=1e-5)


def test_widths_scale_with_g_squared() -> None:
    model = LmuLtauZPrime(include_loop_widths=True)
    masses = np.geomspace(1.0, 5000.0, 17)
    w1 = model.partial_widths(masses, 1e-4)
    w2 = model.partial_widths(masses, 3e-4)
    for channel in w1:
        assert w2[channel] == pytest.approx(9 * w1[channel], rel=1e-12)


def test_branching_ratios_sum_to_one() -> None:
    dm = DarkMatter(kind="majorana", alpha_d=0.1)
    masses = np.geomspace(0.5, 8000.0, 41)
    for model in (
        LmuLtauZPrime(),
        LmuLtauZPrime(neutrinos="dirac", include_loop_widths=True),
        LmuLtauZPrime(dark_matter=dm),
    ):
        brs = model.branching_ratios(masses, 3e-4)
        total = sum(brs.values())
        assert total == pytest.approx(np.ones_like(masses), rel=1e-12)


def test_dark_matter_dominates_invisible() -> None:
    """alpha_D >> g^2/(4 pi) and M > 2 m_chi: BR_inv ~ 1 ([T2]); below threshold no chi."""
    model = LmuLtauZPrime(dark_matter=DarkMatter(alpha_d=0.5))
    assert float(model.invisible_fraction(300.0, 1e-4)) == pytest.approx(1.0, abs=1e-6)
    br = model.branching_ratios(300.0, 1e-4)
    assert float(br["chi chi"]) > 0.99
    fixed = LmuLtauZPrime(dark_matter=DarkMatter(m_chi=200.0))
    assert float(fixed.partial_widths(300.0, 1e-4)["chi chi"]) == 0.0


def test_mod9_loop_induced_electron_width() -> None:
    """MOD-9: loop Gamma(e e) = 5.07e-15 GeV at g = 1e-3, M = 10 MeV (1.9e-5 of nu nu)."""
    widths = LmuLtauZPrime(include_loop_widths=True).partial_widths(10 * MeV, 1e-3)
    ee = float(widths["e e"])
    assert ee / GeV == pytest.approx(5.07e-15, rel=1e-3)
    ratio = ee / sum(float(widths[c]) for c in NU)
    assert ratio == pytest.approx(1.9e-5, rel=0.01)
    assert "e e" not in LmuLtauZPrime().partial_widths(10.0, 1e-3)


def test_fermion_couplings() -> None:
    couplings = LmuLtauZPrime().fermion_couplings()
    assert set(couplings) == {"e", "mu", "tau", "nu_e", "nu_mu", "nu_tau"}
    assert couplings["mu"].vector == 1.0
    assert couplings["tau"].vector == -1.0
    assert (couplings["nu_mu"].vector, couplings["nu_mu"].axial) == (0.5, 0.5)
    assert (couplings["nu_tau"].vector, couplings["nu_tau"].axial) == (-0.5, -0.5)
    assert couplings["e"].vector == 0.0
    dirac = LmuLtauZPrime(neutrinos="dirac").fermion_couplings()
    assert (dirac["nu_mu"].vector, dirac["nu_mu"].axial) == (1.0, 0.0)
    with_dm = LmuLtauZPrime(dark_matter=DarkMatter(kind="dirac")).fermion_couplings()
    assert with_dm["chi"].vector == 1.0


def test_broadcasting() -> None:
    model = LmuLtauZPrime()
    masses = np.array([10.0, 300.0, 1000.0])[:, None]
    couplings = np.array([1e-4, 1e-3])
    widths = model.partial_widths(masses, couplings)
    assert all(w.shape == (3, 2) for w in widths.values())
    assert model.total_width(masses, couplings).shape == (3, 2)
    assert model.decay_length(masses, couplings, 1e4).shape == (3, 2)
    assert model.invisible_fraction(masses, couplings).shape == (3, 2)


def test_decay_length_linear_in_momentum() -> None:
    model = LmuLtauZPrime()
    lengths = model.decay_length(300.0, 1e-3, np.array([0.0, 1e3, 2e3]))
    assert lengths[0] == 0.0
    assert lengths[2] == pytest.approx(2 * lengths[1], rel=1e-14)


@pytest.mark.parametrize("mass", [0.0, -1.0, math.nan, math.inf])
def test_bad_mass(mass: float) -> None:
    with pytest.raises(InvalidParameterError, match="mass"):
        LmuLtauZPrime().partial_widths(mass, 1e-3)


def test_bad_coupling_and_options() -> None:
    with pytest.raises(InvalidParameterError, match=r"coupling = -0\.001"):
        LmuLtauZPrime().partial_widths(10.0, np.array([1e-3, -1e-3]))
    with pytest.raises(InvalidParameterError, match="neutrinos"):
        LmuLtauZPrime(neutrinos="majorana")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="momentum"):
        LmuLtauZPrime().decay_length(10.0, 1e-3, -1.0)
    with pytest.raises(InvalidParameterError, match="dark_matter"):
        LmuLtauZPrime(dark_matter="dirac")  # type: ignore[arg-type]


def test_zero_coupling_gives_nan_branching_ratios() -> None:
    model = LmuLtauZPrime()
    assert float(model.total_width(10.0, 0.0)) == 0.0
    assert np.isnan(model.invisible_fraction(10.0, 0.0))
    assert float(model.decay_length(10.0, 0.0, 100.0)) == math.inf


def test_tau_mass_edition_difference_is_negligible() -> None:
    """Handbook m_tau = 1776.86 MeV vs particle's value (4e-5 apart): away from the
    threshold the tau width moves by < 1e-4 (near 2 m_tau the sensitivity grows like 1/beta^2).
    """
    assert abs(m_tau - 1776.86) / 1776.86 < 1e-4
    w = LmuLtauZPrime().partial_widths(10000.0, 1e-3)["tau tau"]
    r = (1776.86 / 10000.0) ** 2
    handbook = 1e-6 * 10000.0 / (12 * math.pi) * (1 + 2 * r) * math.sqrt(1 - 4 * r)
    assert float(w) == pytest.approx(handbook, rel=1e-4)
