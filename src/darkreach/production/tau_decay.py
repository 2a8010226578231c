"""Leptonic tau decay tau- -> mu- nu_mu-bar nu_tau: the muon spectrum of a polarised tau, boosted.

Used for the mu -> tau conversion signature at NA64mu / M^3 (docs/mu-tau.md): the tau made in
the target decays to a muon (BR 17.39 %) that must pass the recoil cut, E_mu < E_cut.

Rest-frame spectrum [DER here from the tree-level V-A matrix element, muon mass kept]: with
|M|^2 ~ ((p_tau - m_tau s) . p_nubar)(p_mu . p_nu) and the neutrino pair integrated,
Int dPhi_2 q1^a q2^b ~ Q^2 g^ab + 2 Q^a Q^b (Q = p_tau - p_mu), the muon distribution in its
rest-frame energy E and cos(theta) to the tau spin is

    dGamma/dE dcos ~ p [ A(E) + cos B(E) ],     p = sqrt(E^2 - m_mu^2),
    A = m [ (m^2 - 2 m E + m_mu^2) E + 2 (m - E)(m E - m_mu^2) ],
    B = m p (m^2 - 4 m E + 3 m_mu^2),           m = m_tau,  m_mu <= E <= (m^2 + m_mu^2)/(2 m).

For m_mu -> 0 this is the Michel spectrum x^2 [(3 - 2x) + cos (1 - 2x)], x = 2E/m (rho = 3/4,
xi = 1, delta = 3/4; PDG review "Muon decay parameters", with the tau- sign). A tau- of
longitudinal polarisation P (P = -1: helicity -1, as made by a left-handed current) has
cos = P cos(theta*) with theta* the angle to its flight direction. In the lab the muon energy
is gamma (E + beta p cos theta*); for E_tau >> m_tau the fraction with E_mu < y E_tau is

    F(y) = 5/3 y - y^3 + y^4/3 + P (y/3 - y^3 + 2/3 y^4)     [collinear limit, DER],

e.g. F(1/2) = 0.729 + 0.083 P. The function below integrates the exact expression instead.

Units: MeV.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import m_mu, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre
from darkreach.validate import checked_array

__all__ = [
    "BR_TAU_TO_MU",
    "collinear_fraction_below",
    "muon_fraction_below",
    "rest_frame_weights",
]

#: BR(tau- -> mu- nu_mu-bar nu_tau) = (17.39 +- 0.04) %, PDG 2024 (R. L. Workman et al.,
#: PTEP 2022 083C01 and 2024 update, tau branching fractions)
BR_TAU_TO_MU = 0.1739

#: largest muon energy in the tau rest frame [MeV]
E_STAR_MAX = (m_tau**2 + m_mu**2) / (2.0 * m_tau)
_PANELS, _NODES = 200, 8


def rest_frame_weights(E_star: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """(p A(E), p B(E)) of the module formula at rest-frame muon energy E [MeV] (unnormalised;
    dGamma/dE dcos = p A + cos p B with cos to the tau spin)."""
    e = np.asarray(E_star, dtype=float)
    p = np.sqrt(np.clip(e**2 - m_mu**2, 0.0, None))
    m = m_tau
    a = m * ((m**2 - 2.0 * m * e + m_mu**2) * e + 2.0 * (m - e) * (m * e - m_mu**2))
    b = m * p * (m**2 - 4.0 * m * e + 3.0 * m_mu**2)
    return np.asarray(p * a), np.asarray(p * b)


def _check_polarisation(polarisation: float) -> None:
    if not (np.isfinite(polarisation) and -1.0 <= polarisation <= 1.0):
        raise InvalidParameterError("polarisation", polarisation, "-1 <= P <= 1")


def muon_fraction_below(
    E_tau: ArrayLike, E_cut: ArrayLike, polarisation: float = 0.0
) -> FloatArray:
    """Fraction of tau- -> mu- nu nu decays with lab muon energy below ``E_cut`` [MeV].

    Tau of lab energy ``E_tau`` [MeV] (>= m_tau) and longitudinal polarisation P (-1 <= P <= 1;
    -1 = helicity -1). The cos(theta*) integral is done in closed form (the spectrum is
    linear in cos), the rest-frame energy by Gauss-Legendre (200 panels x 8 nodes; the kinks
    where the cut crosses cos = +-1 limit the accuracy to ~1e-6). Broadcast over E_tau, E_cut.
    """
    _check_polarisation(polarisation)
    e_tau = checked_array(E_tau, "E_tau", unit="MeV")
    if np.any(e_tau < m_tau):
        raise InvalidParameterError("E_tau", float(np.min(e_tau)), f">= m_tau = {m_tau:.6g} MeV")
    cut = checked_array(E_cut, "E_cut", allow_zero=True, unit="MeV")
    e_tau, cut = np.broadcast_arrays(e_tau, cut)
    gamma = e_tau / m_tau
    beta = np.sqrt(np.clip(1.0 - 1.0 / gamma**2, 0.0, None))
    u, w = gauss_legendre(_NODES)
    edges = np.linspace(m_mu, E_STAR_MAX, _PANELS + 1)
    half = 0.5 * (edges[1:] - edges[:-1])
    e_star = ((edges[:-1] + edges[1:]) * 0.5)[:, None] + half[:, None] * u[None, :]
    weight = (half[:, None] * w[None, :]).ravel()
    e_star = e_star.ravel()
    pa, pb = rest_frame_weights(e_star)
    p_star = np.sqrt(np.clip(e_star**2 - m_mu**2, 0.0, None))
    # E_lab < E_cut  <=>  cos(theta*) < (E_cut/gamma - E*)/(beta p*)
    num = cut[..., None] / gamma[..., None] - e_star
    den = beta[..., None] * p_star
    with np.errstate(divide="ignore", invalid="ignore"):
        c_max = np.where(den > 0.0, num / np.where(den > 0.0, den, 1.0), np.sign(num) * 2.0)
    c_max = np.clip(c_max, -1.0, 1.0)
    inside = pa * (c_max + 1.0) + polarisation * pb * 0.5 * (c_max**2 - 1.0)
    total = float(np.sum(2.0 * pa * weight))
    return np.asarray(np.sum(inside * weight, axis=-1) / total)


def collinear_fraction_below(y: ArrayLike, polarisation: float = 0.0) -> FloatArray:
    """F(y) of the module docstring: E_tau >> m_tau and m_mu -> 0, y = E_cut/E_tau in [0, 1]."""
    _check_polarisation(polarisation)
    yy = np.clip(np.asarray(y, dtype=float), 0.0, 1.0)
    f0 = 5.0 / 3.0 * yy - yy**3 + yy**4 / 3.0
    f1 = yy / 3.0 - yy**3 + 2.0 / 3.0 * yy**4
    return np.asarray(f0 + polarisation * f1)
