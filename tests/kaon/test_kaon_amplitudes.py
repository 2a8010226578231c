"""K+ -> mu+ nu X on the amplitude level with explicit Dirac matrices (K-6, shapes of 3.1-3.3).

The amplitudes are built from Feynman rules (SM vertex p_K^a ubar_nu g_a (1 - g5) v_mu, emission
of X from the mu+ line and, for L_mu - L_tau, from the nu_mu line with vertex g g^a P_L), with
the common factor G_F V_us f_K / sqrt(2) dropped. Independently of the NA62 generator formulas
used in darkreach.production.kaon, this checks

* the Ward identity p_X . (M_mu + M_nu) = 0 (handbook kaon_decays.md 1; K-6);
* sum |M|^2 against F_S, F_V and the Carlson-Rislow muon-only vector (normalisations of 3.2):
  d2BR/(ds dt) / BR(K_mu2) = sum |M_reduced|^2 / (64 pi^2 m^2 (M^2 - m^2)^2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.constants import m_K_charged, m_mu
from darkreach.production import kaon

M, m = m_K_charged, m_mu
METRIC = np.diag([1.0, -1.0, -1.0, -1.0])
I2 = np.eye(2)
SIGMA = [np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])]
G0 = np.block([[I2, 0 * I2], [0 * I2, -I2]]).astype(complex)
GAMMA = [G0] + [np.block([[0 * I2, s], [-s, 0 * I2]]).astype(complex) for s in SIGMA]
G5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
ONE = np.eye(4, dtype=complex)
PL = 0.5 * (ONE - G5)


def slash(p: np.ndarray) -> np.ndarray:
    """p_mu gamma^mu with p given with upper indices (E, px, py, pz)."""
    return p[0] * GAMMA[0] - p[1] * GAMMA[1] - p[2] * GAMMA[2] - p[3] * GAMMA[3]


def dot(a: np.ndarray, b: np.ndarray) -> complex:
    return complex(a @ METRIC @ b)


def spinors(p: np.ndarray, mass: float, kind: str) -> list[np.ndarray]:
    """u or v spinors (Dirac representation), normalised to ubar u = 2 m."""
    e = p[0]
    sp = sum(p[i + 1] * SIGMA[i] for i in range(3))
    out = []
    for chi in (np.array([1.0, 0.0]), np.array([0.0, 1.0])):
        if kind == "u":
            out.append(np.concatenate([math.sqrt(e + mass) * chi, sp @ chi / math.sqrt(e + mass)]))
        else:
            out.append(np.concatenate([sp @ chi / math.sqrt(e + mass), math.sqrt(e + mass) * chi]))
    return out


def bar(u: np.ndarray) -> np.ndarray:
    return u.conj() @ GAMMA[0]


def kinematics(s: float, t: float, m_x: float, phi: float = 0.7, tilt: float = 0.4):
    """Momenta (K, mu, nu, X) in the kaon rest frame for given s = m_miss^2, t = (p_mu + p_X)^2."""
    e_mu = (M * M + m * m - s) / (2 * M)
    e_nu = (M * M - t) / (2 * M)
    e_x = M - e_mu - e_nu
    p_mu, p_nu = math.sqrt(e_mu**2 - m * m), e_nu
    p_x2 = e_x**2 - m_x**2
    cos = (p_x2 - p_mu**2 - p_nu**2) / (2 * p_mu * p_nu)
    assert -1.0 <= cos <= 1.0
    sin = math.sqrt(1 - cos * cos)
    mu3 = np.array([0.0, 0.0, p_mu])
    nu3 = p_nu * np.array([sin * math.cos(phi), sin * math.sin(phi), cos])
    # rotate the whole event by an arbitrary angle about the x axis
    c, s_ = math.cos(tilt), math.sin(tilt)
    rot = np.array([[1, 0, 0], [0, c, -s_], [0, s_, c]])
    mu3, nu3 = rot @ mu3, rot @ nu3
    x3 = -mu3 - nu3
    four = lambda e, v: np.concatenate([[e], v])  # noqa: E731
    return four(M, np.zeros(3)), four(e_mu, mu3), four(e_nu, nu3), four(e_x, x3)


def currents(p_k, p_mu, p_nu, p_x, kind: str):
    """Amplitude vectors M^alpha (upper index) for every (nu, mu) spin pair, per diagram.

    Returns (muon-line list, neutrino-line list) of 4-vectors; for the scalar only the muon
    line, as a list of complex numbers.
    """
    u_nu = spinors(p_nu, 0.0, "u")
    v_mu = spinors(p_mu, m, "v")
    kv = slash(p_k) @ (ONE - G5)
    prop_mu = (-slash(p_mu + p_x) + m * ONE) / (dot(p_mu + p_x, p_mu + p_x) - m * m)
    prop_nu = slash(p_nu + p_x) / dot(p_nu + p_x, p_nu + p_x)
    mu_line, nu_line = [], []
    for un in u_nu:
        for vm in v_mu:
            ub = bar(un)
            if kind == "scalar":
                # i (prop) x i g_S: overall -g_S (g_S = 1)
                mu_line.append(-(ub @ kv @ prop_mu @ vm))
                continue
            amp_mu = np.array([-(ub @ kv @ prop_mu @ GAMMA[a] @ vm) for a in range(4)])
            amp_nu = np.array([-(ub @ GAMMA[a] @ PL @ prop_nu @ kv @ vm) for a in range(4)])
            mu_line.append(amp_mu)
            nu_line.append(amp_nu)
    return mu_line, nu_line


def contract(a: np.ndarray, p: np.ndarray) -> complex:
    return complex(a @ METRIC @ p)


POINTS = [(0.03e6, 100.0), (0.09e6, 100.0), (0.05e6, 10.0), (0.14e6, 300.0), (0.02e6, 1.0)]


def _t_points(s: float, m_x: float) -> list[float]:
    t_lo, t_hi = kaon.t_limits(s, m_x)
    return [float(t_lo + f * (t_hi - t_lo)) for f in (0.13, 0.5, 0.91)]


@pytest.mark.parametrize(("s", "m_x"), POINTS)
def test_ward_identity(s: float, m_x: float) -> None:
    """K-6: p_X contracted with the sum of both vector diagrams vanishes; not each alone."""
    for t in _t_points(s, m_x):
        p_k, p_mu, p_nu, p_x = kinematics(s, t, m_x)
        mu_line, nu_line = currents(p_k, p_mu, p_nu, p_x, "vector")
        for a_mu, a_nu in zip(mu_line, nu_line, strict=True):
            one = abs(contract(a_mu, p_x))
            total = abs(contract(a_mu + a_nu, p_x))
            assert one > 1e3  # each diagram alone is not conserved
            assert total <= 1e-10 * one


def _spin_sum(mu_line, nu_line, p_x, m_x, longitudinal: bool) -> float:
    pol = -METRIC + (np.outer(p_x, p_x) / m_x**2 if longitudinal else 0.0)
    # lower both indices: M_a = g_ab M^b; sum M_a M_b^* P^{ab} with P^{ab} = -g^{ab} + p^a p^b/m^2
    total = 0.0
    amps = [a + b for a, b in zip(mu_line, nu_line, strict=True)] if nu_line else mu_line
    for amp in amps:
        low = METRIC @ amp
        total += float(np.real(low @ pol @ low.conj()))
    return total


@pytest.mark.parametrize(("s", "m_x"), POINTS)
def test_vector_spin_sum_matches_f_v(s: float, m_x: float) -> None:
    """sum |M|^2 = 8 m^2 F_V (reduced), and the p p / m_X^2 term of the polarisation sum drops."""
    for t in _t_points(s, m_x):
        p_k, p_mu, p_nu, p_x = kinematics(s, t, m_x)
        mu_line, nu_line = currents(p_k, p_mu, p_nu, p_x, "vector")
        full = _spin_sum(mu_line, nu_line, p_x, m_x, longitudinal=True)
        transverse = _spin_sum(mu_line, nu_line, p_x, m_x, longitudinal=False)
        f_v = float(kaon.shape_function("vector", s, t, m_x))
        assert full == pytest.approx(8.0 * m * m * f_v, rel=1e-9)
        assert full == pytest.approx(transverse, rel=1e-9)


@pytest.mark.parametrize(("s", "m_x"), POINTS)
def test_scalar_spin_sum_matches_f_s(s: float, m_x: float) -> None:
    """sum |M|^2 = 4 F_S (reduced, g_S = 1)."""
    for t in _t_points(s, m_x):
        p_k, p_mu, p_nu, p_x = kinematics(s, t, m_x)
        mu_line, _ = currents(p_k, p_mu, p_nu, p_x, "scalar")
        total = sum(abs(a) ** 2 for a in mu_line)
        f_s = float(kaon.shape_function("scalar", s, t, m_x))
        assert total == pytest.approx(4.0 * f_s, rel=1e-9)


@pytest.mark.parametrize(("s", "m_x"), POINTS[:4])
def test_muon_only_vector_is_carlson_rislow(s: float, m_x: float) -> None:
    """Muon line alone with the full massive polarisation sum = Carlson-Rislow (section 3.3)."""
    for t in _t_points(s, m_x):
        p_k, p_mu, p_nu, p_x = kinematics(s, t, m_x)
        mu_line, _ = currents(p_k, p_mu, p_nu, p_x, "vector")
        total = _spin_sum(mu_line, [], p_x, m_x, longitudinal=True)
        expected = 16.0 * float(kaon.shape_function("vector-muon-only", s, t, m_x))
        assert total == pytest.approx(expected, rel=1e-8)


def test_normalisation_to_dalitz_density() -> None:
    """d2BR/(ds dt) = BR(K_mu2) sum|M_red|^2 / (64 pi^2 m^2 (M^2 - m^2)^2) (section 3.2)."""
    s, m_x = 0.06e6, 50.0
    t = _t_points(s, m_x)[1]
    p_k, p_mu, p_nu, p_x = kinematics(s, t, m_x)
    mu_line, nu_line = currents(p_k, p_mu, p_nu, p_x, "vector")
    msq = _spin_sum(mu_line, nu_line, p_x, m_x, longitudinal=True)
    expected = kaon.BR_K_MU2 * msq / (64 * math.pi**2 * m * m * (M * M - m * m) ** 2)
    assert float(kaon.d2br_dsdt("vector", s, t, m_x, 1.0)) == pytest.approx(expected, rel=1e-9)
