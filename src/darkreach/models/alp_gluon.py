"""ALP a coupled to gluons and decaying invisibly (``alp-gluon``); coupling c_GG / Lambda in 1/GeV.

Production K+ -> pi+ a is :func:`darkreach.production.kaon_to_pion.br_k_to_pi_alp` (handbook
bounds_and_new_channels.md 2.3; Bauer et al., arXiv:2110.10698, c_GG only), with the model
coupling the number c_GG / Lambda x GeV (as on ``darkreach kaon br --model alp-gluon``).

Decays: the benchmark of an ALP that escapes the detector. a decays to a pair of dark fermions
chi (massless), ``Gamma(a -> chi chi) = g_chi^2 m_a / (8 pi)`` (pseudoscalar Yukawa
``-i g_chi a chibar g5 chi``; ``dark_coupling`` g_chi, default 1), counted as invisible. The
visible a -> gamma gamma induced by c_GG through ALP-meson mixing is NOT included: the
Lagrangian normalisation of c_GG was not re-read (kaon_to_pion module docstring), so its size
relative to chi chi is not known here. At the lower edge of the K+ -> pi+ X exclusion
(c_GG / Lambda ~ 1e-5 / GeV) a would escape even if it decayed only to photons (c tau of order
100 m, lab decay lengths of tens of km, a rough estimate with the photon coupling of Bauer et
al., arXiv:1708.00443, [MEM]); no upper edge is computed. The visible twin with that photon
width is ``alp-gluon-visible`` (:mod:`darkreach.models.alp_gluon_visible`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
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

__all__ = ["AlpGluon", "GluonALPBase"]


class GluonALPBase(WidthModel):
    """What every ALP with c_GG only shares: spin, coupling (c_GG / Lambda in 1/GeV), no
    tree-level couplings to SM fermions. Subclasses give the name, label and decays."""

    @property
    def spin(self) -> Spin:
        """``"pseudoscalar"``."""
        return "pseudoscalar"

    @property
    def coupling_symbol(self) -> str:
        """``c_{GG}/\\Lambda`` [1/GeV] (mathtext)."""
        return r"c_{GG}/\Lambda\ [\mathrm{GeV}^{-1}]"

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """No tree-level couplings to SM fermions (c_GG only)."""
        return dict.fromkeys(FERMION_KEYS, NO_COUPLING)


@dataclass(frozen=True)
class AlpGluon(GluonALPBase):
    """ALP with c_GG only; coupling = c_GG / Lambda in 1/GeV; a -> chi chi (invisible)."""

    dark_coupling: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.dark_coupling) and self.dark_coupling > 0.0):
            raise InvalidParameterError("dark_coupling", self.dark_coupling, "finite and > 0")

    @property
    def name(self) -> str:
        """Registry key ``"alp-gluon"``."""
        return "alp-gluon"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        return r"ALP $a$ ($c_{GG}$), $a\to\chi\bar\chi$"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """``{"chi chi"}``."""
        return frozenset({"chi chi"})

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """``{"chi chi": g_chi^2 m_a / (8 pi)}`` [MeV] (independent of c_GG)."""
        m, _ = np.broadcast_arrays(as_mass(mass), as_coupling(coupling))
        return {"chi chi": np.asarray(self.dark_coupling**2 * m / (8.0 * math.pi))}
