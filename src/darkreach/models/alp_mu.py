"""Axion-like particle coupled to muons only (derivative coupling), issue 13 part 3.

Convention (Bauer, Neubert, Thamm, JHEP 12 (2017) 044, arXiv:1708.00443, Eq. 1 with
g_a mu mu = c_mu mu / Lambda; handbook bounds_and_new_channels.md 4.2):

    L = (g_a mu mu / 2) (d_a a) mubar gamma^a gamma5 mu,      g_a mu mu in GeV^-1.

Integrating by parts and using the muon's equation of motion, d_a(mubar gamma^a g5 mu) =
2 i m_mu mubar g5 mu, this equals at tree level the Yukawa form ``-i g_P a mubar g5 mu`` of the
``pseudoscalar`` model with

    g_P = m_mu g_a mu mu         (m_mu in GeV: g_P = 0.10566 g_a mu mu / GeV^-1).

The handbook marks this equivalence [MEM] "up to a convention factor of 2 that must be checked
against the paper used" (open item 5): with the 1/2 in L above the factor is 1, confirmed here
by the a -> mu mu width m_a m_mu^2 g^2 beta / (8 pi) of Bauer et al. Eq. 9 (c_ll^2/Lambda^2
= g^2), equal to g_P^2 m_a beta/(8 pi). The normalisation used by the NA64mu recast
arXiv:2501.06294 could not be read (abstract only): unverified.

Production (mu N -> mu N a) and a -> mu mu are the same as for the Yukawa pseudoscalar at tree
level. The two-photon decay is not: the field redefinition that removes the derivative also
generates an anomalous a F F~ term, so the muon loop gives (Bauer et al. Eq. 11-12)

    Gamma(a -> gamma gamma) = alpha^2 g^2 m_a^3 |B1(tau)|^2 / (64 pi^3),
    B1(tau) = 1 - tau f(tau),   tau = 4 m_mu^2 / m_a^2,

with f of :mod:`darkreach.models.scalar` (arcsin^2(1/sqrt(tau)) above threshold).
B1 -> -m_a^2/(12 m_mu^2) for m_a << m_mu (the light ALP barely decays to photons) and -> 1
for m_a >> m_mu. The Yukawa pseudoscalar has 2 tau f = 2 - 2 B1 instead of 2 B1 in the
amplitude (limit 2 at low mass): the two differ by the anomaly constant.

Units: masses and widths in MeV; the coupling is the number g_a mu mu in GeV^-1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, m_mu
from darkreach.models.base import (
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
)
from darkreach.models.scalar import photon_loop_amplitude
from darkreach.units import GeV
from darkreach.validate import checked_array

__all__ = [
    "MuonALP",
    "alp_loop_b1",
    "gamumu_from_yukawa",
    "yukawa_from_gamumu",
]

#: m_mu in GeV: the Yukawa coupling per unit g_a mu mu [GeV^-1]
_M_MU_GEV = m_mu / GeV
# arcsin^2(sqrt(u)) = sum_{n>=1} c_n u^n, c_n = 4^n / (2 n^2 C(2n, n)); tau f(tau) = sum c_n u^(n-1)
_N_SERIES = 16
_C = np.array([4.0**n / (2.0 * n * n * math.comb(2 * n, n)) for n in range(1, _N_SERIES + 1)])
_TAU_SERIES = 20.0


def yukawa_from_gamumu(g_amumu: ArrayLike) -> FloatArray:
    """Yukawa g_P (dimensionless) of ``-i g_P a mubar g5 mu`` from g_a mu mu [GeV^-1].

    ``g_P = m_mu g_a mu mu`` for ``L = (g_a mu mu/2) d_a a mubar gamma^a g5 mu`` (module doc).
    """
    return np.asarray(_M_MU_GEV * as_coupling(g_amumu, "g_amumu"), dtype=np.float64)


def gamumu_from_yukawa(g_p: ArrayLike) -> FloatArray:
    """g_a mu mu [GeV^-1] from the Yukawa g_P: the inverse of :func:`yukawa_from_gamumu`."""
    return np.asarray(as_coupling(g_p, "g_P") / _M_MU_GEV, dtype=np.float64)


def alp_loop_b1(mass: ArrayLike) -> NDArray[np.complex128]:
    """B1(tau) = 1 - tau f(tau), tau = 4 m_mu^2/m_a^2 (mass [MeV]); complex above 2 m_mu.

    For tau > 20 the series -sum_{n>=2} c_n tau^(1-n) avoids the cancellation (B1 ~ -1/(3 tau)).
    """
    m = as_mass(mass)
    tau = 4.0 * m_mu**2 / (m * m)
    direct = 1.0 - 0.5 * photon_loop_amplitude(m, "pseudoscalar")  # 2 tau f / 2
    u = 1.0 / np.where(tau > _TAU_SERIES, tau, _TAU_SERIES)
    series = -u * np.polynomial.polynomial.polyval(u, _C[1:])
    return np.asarray(np.where(tau > _TAU_SERIES, series + 0j, direct), dtype=np.complex128)


@dataclass(frozen=True)
class MuonALP(WidthModel):
    """ALP with the derivative muon coupling g_a mu mu [GeV^-1] and no other coupling.

    Channels ``"mu mu"`` and ``"gamma gamma"`` (muon loop, B1 form); no invisible channel:
    below 2 m_mu the ALP escapes only if it decays beyond the last veto, which the experiment
    decides from :meth:`decay_length`. Production reuses the pseudoscalar bremsstrahlung with
    ``fermion_couplings()["mu"].pseudoscalar = m_mu/GeV`` per unit g_a mu mu.
    """

    name: str = "alp-mu"
    label: str = r"ALP $a$ coupled to muons"
    spin: Spin = "pseudoscalar"
    coupling_symbol: str = r"g_{a\mu\mu}\ [\mathrm{GeV}^{-1}]"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """Empty (see the class doc)."""
        return frozenset()

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """mu: pseudoscalar Yukawa m_mu/GeV per unit g_a mu mu [GeV^-1]; others 0."""
        return {
            "e": NO_COUPLING,
            "mu": FermionCoupling(pseudoscalar=_M_MU_GEV),
            "tau": NO_COUPLING,
            "nu_e": NO_COUPLING,
            "nu_mu": NO_COUPLING,
            "nu_tau": NO_COUPLING,
        }

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Partial widths [MeV] at mass m_a [MeV] and g_a mu mu [GeV^-1] (broadcast).

        - ``Gamma(mu mu) = g^2 m_mu^2 m_a beta / (8 pi)``, beta = sqrt(1 - 4 m_mu^2/m_a^2)
          (Bauer et al. 2017 Eq. 9).
        - ``Gamma(gamma gamma) = alpha^2 g^2 m_a^3 |B1|^2 / (64 pi^3)`` (Eq. 11-12 with only
          the muon; unverified: confirm before relying).
        """
        m, g = np.broadcast_arrays(as_mass(mass), checked_array(coupling, "g_amumu", True))
        g_mev = g / GeV  # GeV^-1 -> MeV^-1
        beta = np.sqrt(np.clip(1.0 - 4.0 * (m_mu / m) ** 2, 0.0, None))
        b1 = alp_loop_b1(m)
        return {
            "mu mu": np.asarray(g_mev**2 * m_mu**2 * m * beta / (8.0 * math.pi)),
            "gamma gamma": np.asarray(
                alpha_em**2 * g_mev**2 * m**3 * np.abs(b1) ** 2 / (64.0 * math.pi**3)
            ),
        }
