"""Hadronic widths: VMD traces, R(s) limits, dark-photon branching ratios (issue 10 part 1)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.constants import alpha_em, e_charge, hbarc, m_mu, m_pi0, m_pi_charged
from darkreach.models import BminusLZPrime, DarkPhoton
from darkreach.physics import hadrons as h
from darkreach.units import MeV, m


def test_vmd_traces_handbook_values() -> None:
    """MOD-15: r_V Tr(T_V Q_X) = (eps e, eps e, -eps e) for the dark photon, (0, 2 g, g) for
    B-L; with the pQCD weights the sum reproduces 3 sum_q x_q^2 for any couplings."""
    eps_e = 0.7 * e_charge
    q = h.dark_photon_quarks(0.7)
    c = h.vmd_coefficients(q.u, q.d, q.s)
    assert (c["rho"], c["omega"], c["phi"]) == pytest.approx((eps_e, eps_e, -eps_e), rel=1e-14)
    g = 3e-4
    bl = h.vmd_coefficients(g / 3, g / 3, g / 3)
    assert bl["rho"] == pytest.approx(0.0, abs=1e-20)
    assert (bl["omega"], bl["phi"]) == pytest.approx((2 * g, g), rel=1e-14)
    for x in ((0.3, -1.1, 0.4), (1.0, 1.0, 0.0), (0.0, 0.0, 2.0)):
        cv = h.vmd_coefficients(*x)
        total = sum(cv[v] ** 2 * h.PQCD_WEIGHTS[v] for v in cv)
        assert total == pytest.approx(3 * sum(xi * xi for xi in x), rel=1e-13)


def test_r_ratio_limits() -> None:
    """R = 0 below m_pi0, negligible (pi0 gamma tail) below 2 m_pi, pQCD above 2 GeV."""
    assert h.r_ratio(np.array([1.0, 50.0, 0.999 * m_pi0])) == pytest.approx(0.0, abs=0.0)
    below = h.r_ratio(np.linspace(1.001 * m_pi0, 0.999 * 2 * m_pi_charged, 20))
    assert np.all(below >= 0.0) and below.max() < 1e-4
    for sqrt_s in (2000.0, 2500.0, 3500.0):
        a_s = float(h.alpha_s(sqrt_s))
        assert float(h.r_ratio(sqrt_s)) == pytest.approx(2.0 * (1 + a_s / math.pi), rel=1e-12)
    # alpha_s(2 GeV) = 0.30; charm adds 4/3 (1 + alpha_s/pi) far above threshold
    assert float(h.alpha_s(2000.0)) == pytest.approx(0.30, rel=1e-12)
    r_high = float(h.r_ratio(40_000.0))
    a_s = float(h.alpha_s(40_000.0))
    assert r_high == pytest.approx((2 + 4 / 3 + 1 / 3) * (1 + a_s / math.pi), rel=0.03)


def test_r_ratio_resonance_peaks() -> None:
    """Peak values 9 B_ee B_F/alpha^2 of the narrow omega and phi (PDG) on top of the rho
    continuum, and |F_pi|^2 at the rho mass: 44 from the Gounaris-Sakurai rho and rho' alone,
    51 with the rho-omega mixing factor (measured |F_pi|^2 peaks near 45: our unfitted form
    factor is ~10-15 % high there, hence the 20 % tolerance of the BRs at 0.70-0.80 GeV)."""
    comp = h.r_components(np.array([h.M_OMEGA, h.M_PHI]))
    omega_peak = 9 * h.BR_OMEGA["ee"] * (h.BR_OMEGA["3pi"] + h.BR_OMEGA["pi0 gamma"]) / alpha_em**2
    assert float(comp["omega"][0]) == pytest.approx(omega_peak, rel=1e-3)
    phi_other = h.BR_PHI["K+K-"] + h.BR_PHI["KLKS"] + h.BR_PHI["3pi"] + h.BR_PHI["eta gamma"]
    assert float(comp["phi"][1]) == pytest.approx(
        9 * h.BR_PHI["ee"] * phi_other / alpha_em**2, rel=0.02
    )
    ff = abs(complex(h.pion_form_factor(np.array(h.M_RHO**2))[()])) ** 2
    assert ff == pytest.approx(50.8, rel=0.01)


#: Dark-photon BR(A' -> mu mu) from DeLiVeR (Foguel, Reimitz, Plehn, arXiv:2201.01788;
#: DarkCast-based VMD fits to e+e- data) as tabulated by KlingFelix/FORESEE
#: Models/DarkPhoton/model/br/bfrac_muon.txt (commit 97fa192), at the grid masses m + 0.022 MeV.
#: Quoted numbers, not shipped data. Tolerance 5 % away from the rho-omega region; 20 % at
#: 0.70-0.80 GeV, where our F_pi (unfitted Gounaris-Sakurai, PDG width) is ~15 % above the
#: fitted one and the narrow omega shifts the ratio rapidly.
DELIVER_BR_MUMU = {
    300.0: (0.4653, 0.05),
    400.0: (0.4484, 0.05),
    607.0: (0.2931, 0.05),
    700.0: (0.1468, 0.20),
    775.0: (0.0728, 0.20),
    900.0: (0.2674, 0.05),
    1000.0: (0.3189, 0.05),
    1200.0: (0.3438, 0.08),
    1500.0: (0.2467, 0.08),
}


@pytest.mark.parametrize(("mass", "ref"), DELIVER_BR_MUMU.items())
def test_dark_photon_br_mumu_against_deliver(mass: float, ref: tuple[float, float]) -> None:
    value, tol = ref
    br = DarkPhoton().branching_ratios(mass + 0.022, 1e-4)
    assert float(br["mu mu"]) == pytest.approx(value, rel=tol)
    # hadrons = 1 - leptons, consistently
    assert float(br["hadrons"] + br["e e"] + br["mu mu"] + br["tau tau"]) == pytest.approx(1.0)


def test_dark_photon_br_hadrons_against_deliver() -> None:
    """BR(A' -> hadrons) = 1 - BR(ee) - BR(mu mu) of the same table (the two lepton widths
    differ by the mass factor only): 0.090 at 400 MeV, 0.86 at 775 MeV, 0.51 at 1.5 GeV."""
    for mass, br_mumu, tol in ((400.0, 0.4484, 0.05), (775.0, 0.0728, 0.05), (1500.0, 0.2467, 0.1)):
        r = (m_mu / mass) ** 2
        br_ee = br_mumu / ((1 + 2 * r) * math.sqrt(1 - 4 * r))
        ref = 1.0 - br_mumu - br_ee
        value = float(DarkPhoton().branching_ratios(mass + 0.022, 1e-4)["hadrons"])
        assert value == pytest.approx(ref, rel=tol if ref > 0.5 else 0.12)


def test_ctau_at_10_mev_unchanged() -> None:
    """MOD-13 still holds: no hadronic width at 10 MeV."""
    model = DarkPhoton()
    assert float(model.partial_widths(10 * MeV, 1.0)["hadrons"]) == 0.0
    ctau = hbarc / float(model.total_width(10 * MeV, 1.0))
    assert ctau / m == pytest.approx(8.11e-12, rel=1e-3)


def test_dark_photon_width_is_r_ratio() -> None:
    masses = np.array([300.0, 782.66, 1019.46, 1700.0, 3000.0])
    width = DarkPhoton().partial_widths(masses, 2e-3)["hadrons"]
    expected = (2e-3) ** 2 * alpha_em * masses / 3 * h.r_ratio(masses)
    assert width == pytest.approx(expected, rel=1e-12)


def test_b_minus_l_hadrons() -> None:
    """B-L: no rho (no pi+ pi-), omega with (2 g)^2, phi with g^2, omega-phi interference;
    far above 2 GeV the width is (g^2 m/(12 pi)) 3 * 3 (1/3)^2 (1 + alpha_s/pi) for u, d, s."""
    g = 1e-3
    model = BminusLZPrime()
    assert float(model.partial_widths(500.0, g)["hadrons"]) < 1e-2 * float(
        DarkPhoton().partial_widths(500.0, g / e_charge)["hadrons"]
    )
    comp = h.r_components(np.array([h.M_OMEGA]))
    expected = (
        h.M_OMEGA
        / (12 * math.pi)
        * (4 * g * g * comp["omega"] + g * g * comp["phi"] + 4 * g * g * comp["omega-phi"])
    )
    assert model.partial_widths(h.M_OMEGA, g)["hadrons"] == pytest.approx(expected, rel=1e-12)
    a_s = float(h.alpha_s(2500.0))
    pqcd = g * g * 2500.0 / (12 * math.pi) * 3 * 3 / 9 * (1 + a_s / math.pi)
    assert float(model.partial_widths(2500.0, g)["hadrons"]) == pytest.approx(pqcd, rel=1e-12)
    # the omega peak dominates B-L there: BR(hadrons) > 0.9
    assert float(model.branching_ratios(h.M_OMEGA, g)["hadrons"]) > 0.9


#: B-L BR(Z' -> mu mu), left-handed neutrinos, from KlingFelix/FORESEE
#: Models/U(1)B-L/model/br/mu_mu.txt (commit f3953ff; a coarse, not monotonic mass grid,
#: values to ~1 %). Quoted numbers, not shipped data. m [MeV] -> (BR, tolerance). Below the
#: omega the hadrons are negligible (1 %); at 0.9-1.2 GeV the table has a larger omega/phi
#: tail and "other" share than our VMD + duality model (5-12 % in BR(mu mu), 15 % allowed at
#: 1.2 GeV); from 1.4 GeV on, 5 %.
FORESEE_BL_BR_MUMU = {
    495.44: (0.2833, 0.01),
    603.22: (0.2840, 0.01),
    903.28: (0.2661, 0.07),
    973.0: (0.2697, 0.07),
    1175.0: (0.2344, 0.15),
    1384.0: (0.2401, 0.05),
    1634.0: (0.2179, 0.05),
    2153.0: (0.2155, 0.05),
    3018.0: (0.2255, 0.05),
}


@pytest.mark.parametrize(("mass", "ref"), FORESEE_BL_BR_MUMU.items())
def test_b_minus_l_br_mumu_against_foresee(mass: float, ref: tuple[float, float]) -> None:
    value, tol = ref
    br = BminusLZPrime().branching_ratios(mass, 1e-4)
    assert float(br["mu mu"]) == pytest.approx(value, rel=tol)
