"""Muon-philic scalar and pseudoscalar (validation.md MOD-10 to MOD-12)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.constants import alpha_em, hbarc, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.models import Model, MuonPhilicScalar
from darkreach.models.scalar import photon_loop_amplitude
from darkreach.units import GeV, MeV, m


def test_is_a_model() -> None:
    s = MuonPhilicScalar()
    p = MuonPhilicScalar(parity="pseudoscalar")
    assert isinstance(s, Model)
    assert (s.name, s.spin, s.coupling_symbol) == ("scalar", "scalar", "g_S")
    assert (p.name, p.spin, p.coupling_symbol) == ("pseudoscalar", "pseudoscalar", "g_P")
    assert s.invisible_channels == frozenset()
    assert MuonPhilicScalar(dark_coupling=1.0).invisible_channels == {"chi chi"}
    assert s.fermion_couplings()["mu"].scalar == 1.0
    assert p.fermion_couplings()["mu"].pseudoscalar == 1.0
    assert s.fermion_couplings()["e"].scalar == 0.0


def test_mod10_loop_amplitude() -> None:
    """MOD-10: abs(F) = 1.3333, 1.3340, 1.4102, 1.8319, 2.3020, 0.6127."""
    masses = np.array([1.0, 10.0, 100.0, 200.0, 300.0, 1000.0]) * MeV
    expected = [1.3333, 1.3340, 1.4102, 1.8319, 2.3020, 0.6127]
    assert np.abs(photon_loop_amplitude(masses)) == pytest.approx(expected, rel=1e-4)


def test_loop_amplitude_limits_and_continuity() -> None:
    light = photon_loop_amplitude(np.array([1e-6, 1e-3]))
    assert light == pytest.approx([4 / 3, 4 / 3], rel=1e-6)
    assert photon_loop_amplitude(1e-3, "pseudoscalar") == pytest.approx(2.0, rel=1e-8)
    # the series (tau > 20) and the closed form agree where they meet
    tau_switch = 20.0
    mass_switch = 2 * m_mu / math.sqrt(tau_switch)
    pair = photon_loop_amplitude(mass_switch * np.array([1 - 1e-9, 1 + 1e-9]))
    assert pair[0] == pytest.approx(pair[1], rel=1e-8)
    # continuous through the threshold m = 2 m_mu, where it becomes complex
    near = photon_loop_amplitude(2 * m_mu * np.array([1 - 1e-9, 1 + 1e-9]))
    assert near[0] == pytest.approx(near[1], abs=1e-6)
    assert abs(near[0].imag) < 1e-12
    assert photon_loop_amplitude(1000.0).imag != 0.0
    # heavy scalar: F ~ tau [ln(4/tau)^2 - pi^2]/2 -> 0
    assert abs(photon_loop_amplitude(1e6)) < 1e-3


def test_mod11_diphoton_width() -> None:
    """MOD-11: Gamma(S -> gamma gamma) = 1.0695e-18 GeV at g_S = 1e-3, m_S = 10 MeV."""
    width = float(MuonPhilicScalar().partial_widths(10 * MeV, 1e-3)["gamma gamma"])
    assert width / GeV == pytest.approx(1.0695e-18, rel=1e-3)
    light = alpha_em**2 * 1e-6 * (10 * MeV) ** 3 / (144 * math.pi**3 * m_mu**2)
    assert light / GeV == pytest.approx(1.0683e-18, rel=1e-3)
    # c tau = 185 m (models.md 3.2): long-lived below 2 m_mu
    ctau = hbarc / float(MuonPhilicScalar().total_width(10 * MeV, 1e-3))
    assert ctau / m == pytest.approx(185, rel=5e-3)


def test_mod12_dimuon_width() -> None:
    """MOD-12: Gamma(S -> mu mu) = 4.2689e-9 GeV at 300 MeV, 3.7154e-8 GeV at 1 GeV."""
    widths = MuonPhilicScalar().partial_widths(np.array([300.0, 1000.0]) * MeV, 1e-3)
    assert widths["mu mu"] / GeV == pytest.approx([4.2689e-9, 3.7154e-8], rel=1e-4)


def test_pseudoscalar_widths() -> None:
    model = MuonPhilicScalar(parity="pseudoscalar")
    mass = 300.0
    beta = math.sqrt(1 - 4 * m_mu**2 / mass**2)
    w = model.partial_widths(mass, 1e-3)
    assert float(w["mu mu"]) == pytest.approx(1e-6 * mass / (8 * math.pi) * beta, rel=1e-12)
    light = float(model.partial_widths(1.0, 1e-3)["gamma gamma"])
    assert light == pytest.approx(alpha_em**2 * 1e-6 / (64 * math.pi**3 * m_mu**2), rel=1e-5)


def test_dark_channel_and_branching() -> None:
    model = MuonPhilicScalar(dark_coupling=1e-2, chi_mass_ratio=3.0)
    masses = np.geomspace(1.0, 3000.0, 31)
    brs = model.branching_ratios(masses, 1e-3)
    assert sum(brs.values()) == pytest.approx(np.ones_like(masses), rel=1e-12)
    beta = math.sqrt(1 - 4 / 9)
    w = model.partial_widths(30.0, 1e-3)["chi chi"]
    assert float(w) == pytest.approx(1e-4 * 30.0 / (8 * math.pi) * beta**3, rel=1e-12)
    assert float(model.invisible_fraction(30.0, 1e-3)) > 0.999
    heavy_chi = MuonPhilicScalar(dark_coupling=1e-2, chi_mass_ratio=1.5)
    assert float(heavy_chi.partial_widths(30.0, 1e-3)["chi chi"]) == 0.0
    assert "chi chi" not in MuonPhilicScalar().partial_widths(30.0, 1e-3)


def test_scaling_and_threshold() -> None:
    model = MuonPhilicScalar()
    masses = np.array([10.0, 2 * m_mu, 300.0, 1000.0])
    w1 = model.partial_widths(masses, 1e-4)
    w2 = model.partial_widths(masses, 2e-4)
    for channel in w1:
        assert w2[channel] == pytest.approx(4 * w1[channel], rel=1e-12)
    assert w1["mu mu"][1] == 0.0
    near = model.partial_widths(2 * m_mu * (1 + np.array([1e-6, 1e-4])), 1e-3)["mu mu"]
    assert near[1] / near[0] == pytest.approx(1000.0, rel=2e-3)  # beta^3
    brs = model.branching_ratios(masses, 1e-3)
    assert brs["gamma gamma"][0] == 1.0


def test_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="parity"):
        MuonPhilicScalar(parity="vector")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="dark_coupling"):
        MuonPhilicScalar(dark_coupling=-1.0)
    with pytest.raises(InvalidParameterError, match="chi_mass_ratio"):
        MuonPhilicScalar(chi_mass_ratio=0.0)
    with pytest.raises(InvalidParameterError, match="mass"):
        MuonPhilicScalar().partial_widths(-5.0, 1e-3)
    with pytest.raises(InvalidParameterError, match="coupling"):
        MuonPhilicScalar().partial_widths(5.0, -1e-3)
