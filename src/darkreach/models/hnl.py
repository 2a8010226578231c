"""Heavy neutral lepton N mixing with one active flavour (``hnl-mu``, ``hnl-e``).

Production K+ -> l+ N is in :mod:`darkreach.production.kaon` (handbook kaon_decays.md 7).
The model coupling is the mixing |U_l4|^2 (coupling symbol ``|U_{\\mu 4}|^2``), *not* a gauge
coupling: widths are linear in it.

Decay widths below m_K (only needed for the decay length; the NA62 K -> l N searches assume
tau_N > 50 ns): the standard tree-level formulas for a Dirac HNL, e.g. Gorbunov and
Shaposhnikov, JHEP 10 (2007) 015, arXiv:0705.1729 and Bondarenko et al., JHEP 11 (2018) 032,
arXiv:1805.08567, with G_F, f_pi = 130.2 MeV, |V_ud| = 0.9737 and sin^2 theta_W = 0.2312. These
formulas are NOT in the handbook: unverified, confirm before relying. ``majorana=True`` doubles
every width. N -> nu mu mu (m_N > 2 m_mu) and mass corrections to N -> nu e e are neglected.

Channels: ``"nu nu nu"`` (invisible), ``"nu pi0"``, ``"l pi"``, ``"nu e e"``, and the charged
current ``"l l' nu"`` (N -> mu e nu for both flavours). Masses and widths in MeV.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import G_F, m_e, m_mu, m_pi0, m_pi_charged
from darkreach.errors import InvalidParameterError
from darkreach.models.base import (
    FERMION_KEYS,
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
)
from darkreach.units import MeV

__all__ = ["HeavyNeutralLepton"]

#: pion decay constant (f_pi ~ 130 MeV convention); unverified: confirm before relying.
F_PI = 130.2 * MeV
#: |V_ud|, PDG; unverified: confirm before relying.
V_UD = 0.9737
#: sin^2 theta_W (MS-bar at m_Z); unverified: confirm before relying.
SIN2_W = 0.2312


def _kallen(a: FloatArray, b: FloatArray | float, c: FloatArray | float) -> FloatArray:
    return np.asarray(a * a + b * b + c * c - 2.0 * (a * b + b * c + c * a))


@dataclass(frozen=True)
class HeavyNeutralLepton(WidthModel):
    """HNL N mixing with nu_l, l = ``"mu"`` or ``"e"``; coupling = |U_l4|^2."""

    lepton: Literal["mu", "e"] = "mu"
    majorana: bool = False

    def __post_init__(self) -> None:
        if self.lepton not in ("mu", "e"):
            raise InvalidParameterError("lepton", repr(self.lepton), "'mu' or 'e'")

    @property
    def name(self) -> str:
        """Registry key ``"hnl-mu"`` or ``"hnl-e"``."""
        return f"hnl-{self.lepton}"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        flavour = r"\mu" if self.lepton == "mu" else "e"
        return rf"HNL $N$, $|U_{{{flavour}4}}|^2$"

    @property
    def spin(self) -> Spin:
        """A spin-1/2 fermion (no boson production code accepts HNL models)."""
        return "fermion"

    @property
    def coupling_symbol(self) -> str:
        """``"|U_{\\mu 4}|^2"`` or ``"|U_{e 4}|^2"`` (mathtext)."""
        flavour = r"\mu" if self.lepton == "mu" else "e"
        return f"|U_{{{flavour} 4}}|^2"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """N -> nu nu nu."""
        return frozenset({"nu nu nu"})

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """All zero: an HNL is not a boson coupled to fermions; it mixes with nu_l instead."""
        return dict.fromkeys(FERMION_KEYS, NO_COUPLING)

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Partial widths [MeV] at mass m_N [MeV] and mixing |U_l4|^2 (see module docstring)."""
        m = as_mass(mass)
        u2 = as_coupling(coupling, "mixing")
        m, u2 = np.broadcast_arrays(m, u2)
        factor = 2.0 if self.majorana else 1.0
        ml = m_mu if self.lepton == "mu" else m_e
        base = factor * G_F**2 * m**5 * u2 / (192.0 * math.pi**3)
        widths: dict[str, FloatArray] = {"nu nu nu": base.copy()}
        # N -> nu pi0
        x0 = (m_pi0 / m) ** 2
        widths["nu pi0"] = np.where(
            m > m_pi0,
            factor * G_F**2 * F_PI**2 * m**3 * u2 / (32.0 * math.pi) * (1.0 - x0) ** 2,
            0.0,
        )
        # N -> l- pi+
        xl, xp = (ml / m) ** 2, (m_pi_charged / m) ** 2
        lam = np.clip(_kallen(np.ones_like(m), xp, xl), 0.0, None)
        widths["l pi"] = np.where(
            m > ml + m_pi_charged,
            factor
            * G_F**2
            * F_PI**2
            * V_UD**2
            * m**3
            * u2
            / (16.0 * math.pi)
            * ((1.0 - xl) ** 2 - xp * (1.0 + xl))
            * np.sqrt(lam),
            0.0,
        )
        # N -> nu e+ e- (neutral current, plus charged current for l = e), massless electrons
        sign = 1.0 if self.lepton == "e" else -1.0
        c1 = 0.25 * (1.0 + sign * 4.0 * SIN2_W + 8.0 * SIN2_W**2)
        widths["nu e e"] = np.where(m > 2.0 * m_e, base * c1, 0.0)
        # N -> mu e nu (charged current; one massive lepton)
        x = np.clip((m_mu / m) ** 2, 1e-300, None)
        phase = 1.0 - 8.0 * x + 8.0 * x**3 - x**4 - 12.0 * x**2 * np.log(x)
        widths["l l' nu"] = np.where(m > m_mu + m_e, base * np.clip(phase, 0.0, None), 0.0)
        return widths
