"""Decays in flight and model couplings in the missing-momentum yield, against hand calculations.

The scalar and dark-photon widths and the decay length are written out here from the handbook
(models.md 3.1-3.2 and 4.2; lambda = beta gamma c tau), independently of darkreach.models and
darkreach.physics.decay. The cross section per unit coupling comes from the cross-section
module (it is tested on its own in tests/production).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hepunits import GeV, MeV, cm, m
from scipy.optimize import brentq

from darkreach.constants import N_A, alpha_em, hbarc, m_e, m_mu
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.models.registry import get_model
from darkreach.physics.form_factors import LEAD
from darkreach.production.muon_brem import sigma

E0 = 160 * GeV
E_CUT = 80 * GeV  # na64mu-2022 selection.recoil_energy_max
L_DOWN = 5 * m  # na64mu-2022 target.downstream_length
S_UP = math.log(10.0)  # n = 0 with CLs: s_up = ln 10 for any background (statistics.md ST-2)


def _decay_energy(e0: float, e_cut: float) -> float:
    """X energy at the middle of the selected x range: x in (1 - E_cut/E0, 1)."""
    x_cut = 1.0 - e_cut / e0
    return 0.5 * (1.0 + x_cut) * e0


def _loop_f(mass: float) -> complex:
    """F(tau) of the scalar muon loop (models.md 3.2), tau = 4 m_mu^2 / m^2 >= 1 here."""
    tau = 4.0 * m_mu**2 / mass**2
    assert tau >= 1.0
    f = math.asin(1.0 / math.sqrt(tau)) ** 2
    return 2.0 * tau * (1.0 + (1.0 - tau) * f)


def _scalar_width_per_g2(mass: float) -> float:
    """Gamma(S -> gamma gamma) + Gamma(S -> mu mu) at g_S = 1 [MeV] (models.md 3.1, 3.2)."""
    gamma_gamma = alpha_em**2 * mass**3 / (256.0 * math.pi**3 * m_mu**2) * abs(_loop_f(mass)) ** 2
    beta2 = 1.0 - 4.0 * m_mu**2 / mass**2
    mu_mu = mass / (8.0 * math.pi) * beta2**1.5 if beta2 > 0 else 0.0
    return gamma_gamma + mu_mu


def _lab_decay_length(mass: float, width: float, energy: float) -> float:
    """lambda = beta gamma c tau = (p / m) hbar c / Gamma [mm]."""
    p = math.sqrt(energy**2 - mass**2)
    return p / mass * hbarc / width


def test_loop_amplitude_matches_handbook_table() -> None:
    """The test's own F(tau) reproduces models.md 3.2 (|F| = 1.4102, 1.8319 at 100, 200 MeV)."""
    assert abs(_loop_f(100 * MeV)) == pytest.approx(1.4102, abs=2e-4)
    assert abs(_loop_f(200 * MeV)) == pytest.approx(1.8319, abs=2e-4)
    # handbook: g_S = 1e-3, m_S = 10 MeV: c tau = 185 m
    ctau = hbarc / (1e-6 * _scalar_width_per_g2(10 * MeV))
    assert ctau / m == pytest.approx(185.0, rel=0.01)


@pytest.mark.parametrize("mass", [20.0, 40.0, 70.0, 100.0])
def test_scalar_upper_edge_from_decays_before_the_last_veto(mass: float) -> None:
    """Upper edge of the scalar exclusion: N_1 g^2 exp(-L / lambda(g)) = s_up, solved by hand.

    Below 2 m_mu the scalar decays only to two photons (visible), so the signal probability
    is exp(-L / lambda) with lambda = (p/m) hbar c / (g^2 Gamma_1) at the X energy of the
    middle of the selected x range (E_X = 0.75 E0 = 120 GeV for p' < 80 GeV). N_1 is the
    card's yield per unit g^2 before decay. Agreement required: 2 % (measured < 1e-6).

    Planted bugs, both caught: exp(-L / (2 lambda)) (L/2 for L) moves the edge by 1.44-1.51x;
    the decay length at x_cut/2 instead of mid-range ((1 + x_cut)/2) halves it.
    """
    exp = get_experiment("na64mu-2022")
    (curve,) = [exp.reach(get_model("scalar"), np.array([mass]))]
    assert curve.coupling_upper is not None
    n1 = float(exp.unit_yield("scalar", np.array([mass]))[0])
    energy = _decay_energy(E0, E_CUT)
    assert energy == pytest.approx(120 * GeV)
    # lambda(g) = lambda_1 / g^2; yield(u = g^2) = n1 u exp(-k u), k = L / lambda_1
    k = L_DOWN / _lab_decay_length(mass, _scalar_width_per_g2(mass), energy)

    def log_excess(log_u: float) -> float:
        u = math.exp(log_u)
        return math.log(n1 * u) - k * u - math.log(S_UP)

    peak = math.log(1.0 / k)  # the yield peaks at u = 1/k; the upper edge lies above
    assert log_excess(peak) > 0.0, "no exclusion at this mass"
    upper = math.exp(0.5 * brentq(log_excess, peak, peak + 50.0, xtol=1e-14))
    assert curve.coupling_upper[0] == pytest.approx(upper, rel=0.02)
    # and the lower edge is the decay-free one, g^2 N_1 = s_up (exp(-L/lambda) ~ 1 there)
    assert curve.coupling[0] == pytest.approx(math.sqrt(S_UP / n1), rel=0.02)


def _thin_lead_card(tmp_path: Path) -> Path:
    """na64mu-2022 with one 1 cm Pb layer, no energy loss (x_cut = 1 - 80/160 = 0.5) and
    efficiency 0.1 (constant)."""
    text = card_path("na64mu-2022").read_text()
    old = text[text.index("[efficiency]") : text.index("[statistics]")]
    text = text.replace(
        old,
        '[efficiency]\nconstant = { value = 0.1, source = "test", status = "assumption" }\n\n',
    )
    start = text.index("layers = [")
    end = text.index("\n", text.index("repeat = ")) + 1
    layer = (
        'layers = [ { material = "Pb", thickness = { value = "1 cm", source = "test", '
        'status = "assumption" } } ]\n'
    )
    text = (text[:start] + layer + text[end:]).replace("energy_loss = true", "energy_loss = false")
    path = tmp_path / "thin.toml"
    path.write_text(text)
    return path


def _thin_lead_unit(mass: float, spin: str) -> float:
    """N_MOT eps n_Pb L sigma(x > 0.5) per unit (muon coupling)^2 for the thin card."""
    n_pb = 11.35 * N_A / 207.2 / cm**3
    return 1.98e10 * 0.1 * n_pb * 1 * cm * float(sigma(E0, mass, LEAD, spin, x_min=0.5))  # type: ignore[arg-type]


def _dark_photon_width_per_eps2(mass: float) -> float:
    """Gamma(A' -> e e) + Gamma(A' -> mu mu) at eps = 1: (alpha M / 3)(1 + 2 r) sqrt(1 - 4 r)."""
    total = 0.0
    for lepton in (m_e, m_mu):
        r = (lepton / mass) ** 2
        if 4.0 * r < 1.0:
            total += alpha_em * mass / 3.0 * (1.0 + 2.0 * r) * math.sqrt(1.0 - 4.0 * r)
    return total


@pytest.mark.parametrize(("mass", "eps"), [(0.5, 1e-3), (10.0, 1e-4), (50.0, 1e-4)])
def test_dark_photon_yield_has_eps_e_squared(tmp_path: Path, mass: float, eps: float) -> None:
    """N = N_MOT eps_sig n L sigma_V (eps e)^2 P_unseen, e^2 = 4 pi alpha, by hand.

    The A' without dark matter decays visibly (e+e-, mu+mu-): P_unseen = exp(-L / lambda),
    lambda at E_X = 120 GeV, from the test's own leptonic width (models.md 4.2); below 2 m_e
    it cannot decay (P = 1). Planted bug: the muon coupling entering linearly (e instead of
    e^2) makes the yield 3.3x too small here and fails.
    """
    exp = get_experiment(_thin_lead_card(tmp_path))
    width = eps**2 * _dark_photon_width_per_eps2(mass)
    energy = _decay_energy(E0, E_CUT)
    p_unseen = 1.0 if width == 0.0 else math.exp(-L_DOWN / _lab_decay_length(mass, width, energy))
    expected = _thin_lead_unit(mass, "vector") * eps**2 * 4.0 * math.pi * alpha_em * p_unseen
    got = float(exp.signal_yield(get_model("dark-photon"), np.array([mass]), eps)[0])
    assert got == pytest.approx(expected, rel=1e-4)
    if mass == 10.0:
        assert 0.3 < p_unseen < 0.9  # the decay factor is really tested at this point


def _pseudoscalar_width_per_g2(mass: float) -> float:
    """Gamma(P -> gamma gamma) (F = 2 tau arcsin^2(1/sqrt(tau))) + Gamma(P -> mu mu) (beta^1)."""
    tau = 4.0 * m_mu**2 / mass**2
    loop = 2.0 * tau * math.asin(1.0 / math.sqrt(tau)) ** 2
    gamma_gamma = alpha_em**2 * mass**3 / (256.0 * math.pi**3 * m_mu**2) * loop**2
    beta2 = 1.0 - 4.0 * m_mu**2 / mass**2
    return gamma_gamma + (mass / (8.0 * math.pi) * math.sqrt(beta2) if beta2 > 0 else 0.0)


@pytest.mark.parametrize("mass", [1.0, 30.0, 150.0])
def test_pseudoscalar_yield_by_hand(tmp_path: Path, mass: float) -> None:
    """N = N_MOT eps_sig n L sigma_P g_P^2 P_unseen with the pseudoscalar cross section.

    Independent pieces: sigma(spin="pseudoscalar") from the cross-section module, the muon
    coupling c_P = 1 of L = -i g_P P mubar g5 mu (models.md 3), the gamma gamma width with the
    CP-odd loop F = 2 tau f(tau). Planted bug: using the scalar instead of the pseudoscalar
    cross section fails (sigma_P / sigma_S differs from 1 by > 1 % at these masses).
    """
    exp = get_experiment(_thin_lead_card(tmp_path))
    g = 3e-4
    width = g**2 * _pseudoscalar_width_per_g2(mass)
    p_unseen = math.exp(-L_DOWN / _lab_decay_length(mass, width, _decay_energy(E0, E_CUT)))
    expected = _thin_lead_unit(mass, "pseudoscalar") * g**2 * p_unseen
    got = float(exp.signal_yield(get_model("pseudoscalar"), np.array([mass]), g)[0])
    assert got == pytest.approx(expected, rel=1e-4)


def test_invisible_dark_photon_limit_is_lmu_ltau_over_e() -> None:
    """Below 2 m_e the A' (no dark matter) cannot decay and the Z' decays only to neutrinos:
    both are invisible vectors, so the same event limit needs eps e = g_Z', eps = g / e.

    Planted bug: the muon coupling entering linearly made the A' limit 1.8x too strong.
    """
    masses = np.array([0.3, 0.6, 0.9])
    exp = get_experiment("na64mu-2022")
    dark_photon = exp.reach(get_model("dark-photon"), masses)
    z_prime = exp.reach(get_model("lmu-ltau"), masses)
    e = math.sqrt(4.0 * math.pi * alpha_em)
    np.testing.assert_allclose(dark_photon.coupling / z_prime.coupling, 1.0 / e, rtol=1e-6)
