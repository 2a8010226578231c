"""ALP a coupled to gluons, decaying to two photons (``alp-gluon-visible``); c_GG/Lambda in 1/GeV.

The visible twin of :class:`darkreach.models.alp_gluon.AlpGluon` (which stays invisible,
a -> chi chi): same production (K+ -> pi+ a of Bauer et al., arXiv:2110.10698, c_GG only,
handbook bounds_and_new_channels.md 2.3), but a decays through the photon coupling that c_GG
induces below the QCD scale (chiral rotation of the quark fields plus a-pi0 mixing). In the
normalisation ``c_GG (alpha_s / 4 pi) (a / Lambda) G G~`` of kaon_to_pion (and
``c_gg (alpha / 4 pi) (a / Lambda) F F~`` for photons)::

    Gamma(a -> gamma gamma) = alpha^2 m_a^3 |c_gg^eff|^2 / ((4 pi)^3 Lambda^2)
    c_gg^eff = -c_GG [ 1.92 + m_a^2 / (m_pi0^2 - m_a^2) (m_d - m_u) / (m_d + m_u) ]

(Bauer, Neubert, Thamm, JHEP 12 (2017) 044, arXiv:1708.00443, the chiral effective photon
coupling for m_a below ~1 GeV, c_GG = 16 pi^2 C_GG of their normalisation; the width formula is
the one coded in ALPaca@3f98273 ``decay_width_2gamma``.) The number 1.92 (+- 0.04) and the
pi0-pole term are **[MEM] in darkreach, unverified: the handbook gives no a -> gamma gamma
formula**; (m_d - m_u)/(m_d + m_u) = 0.367 from the quark masses of kaon_to_pion.QUARK_MASS
(ALPINIST). Cross-check: FORESEE@HEAD ``Models/ALP-g/model/ctau.txt`` (MIT; from the data-driven
widths of arXiv:1811.03474 via ALPINIST, coupling g_agg with ``-(g_s^2/8) g_agg a G G~``, i.e.
c_GG / Lambda = 2 pi^2 g_agg) agrees with this width to 10 % below 3 m_pi0 away from the pi0
pole (tests/kaon/test_kaon_pion_visible.py). Limits: m_a -> 0 gives Gamma = alpha^2 m_a^3
(1.92 c_GG/Lambda)^2 / (4 pi)^3; the width has a pole at m_a = m_pi0 (the mixing formula is
not valid within a few MeV of it).

Other channels are left out: a -> 3 pi opens at 3 m_pi0 = 405 MeV (above m_K - m_pi), and
a -> pi+ pi- gamma (above 2 m_pi+) is small (FORESEE ``br_Pi+Pi-Gamma``). So
BR(a -> gamma gamma) = 1 and ``invisible_channels`` is empty. Masses and widths in MeV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, m_pi0
from darkreach.models.alp_gluon import GluonALPBase
from darkreach.models.base import as_coupling, as_mass
from darkreach.production.kaon_to_pion import QUARK_MASS
from darkreach.units import GeV

__all__ = ["CHIRAL_GLUON_TO_PHOTON", "ISOSPIN_BREAKING", "AlpGluonVisible", "photon_coupling"]

#: -c_gg^eff / c_GG at m_a -> 0 (Bauer et al. arXiv:1708.00443, 1.92 +- 0.04; [MEM], unverified)
CHIRAL_GLUON_TO_PHOTON: float = 1.92
#: (m_d - m_u) / (m_d + m_u) with the ALPINIST quark masses (0.367)
ISOSPIN_BREAKING: float = (QUARK_MASS["d"] - QUARK_MASS["u"]) / (QUARK_MASS["d"] + QUARK_MASS["u"])


def photon_coupling(mass: ArrayLike) -> FloatArray:
    """c_gg^eff / c_GG (dimensionless) at ALP mass [MeV]: ``-[1.92 + m^2/(m_pi0^2 - m^2) d]``."""
    m = as_mass(mass)
    with np.errstate(divide="ignore"):
        pole = m * m / (m_pi0**2 - m * m)
    return np.asarray(-(CHIRAL_GLUON_TO_PHOTON + pole * ISOSPIN_BREAKING), dtype=np.float64)


@dataclass(frozen=True)
class AlpGluonVisible(GluonALPBase):
    """ALP with c_GG only; coupling = c_GG / Lambda in 1/GeV; a -> gamma gamma (module doc)."""

    @property
    def name(self) -> str:
        """Registry key ``"alp-gluon-visible"``."""
        return "alp-gluon-visible"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        return r"ALP $a$ ($c_{GG}$), $a\to\gamma\gamma$"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """Empty: a -> gamma gamma is visible."""
        return frozenset()

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """``{"gamma gamma": alpha^2 m^3 |c_gg^eff|^2 / ((4 pi)^3 Lambda^2)}`` [MeV];
        ``coupling`` is c_GG / Lambda in 1/GeV."""
        m, g = np.broadcast_arrays(as_mass(mass), as_coupling(coupling))
        c_eff = photon_coupling(m) * g / GeV
        width = alpha_em**2 * m**3 * c_eff**2 / (4.0 * math.pi) ** 3
        return {"gamma gamma": np.asarray(width, dtype=np.float64)}
