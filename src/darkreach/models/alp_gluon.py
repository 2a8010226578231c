"""ALP a coupled to gluons, treated as escaping (``alp-gluon``); coupling c_GG / Lambda in 1/GeV.

Production K+ -> pi+ a is :func:`darkreach.production.kaon_to_pion.br_k_to_pi_alp` (handbook
bounds_and_new_channels.md 2.3; Bauer et al., arXiv:2110.10698, c_GG only), with the model
coupling the number c_GG / Lambda x GeV (as on ``darkreach kaon br --model alp-gluon``).

Decays are NOT modelled: the gluon coupling induces a -> gamma gamma (and a -> 3 pi above
threshold) through ALP-meson mixing, but the Lagrangian normalisation of c_GG was not re-read
(kaon_to_pion module docstring), so no width is given and a is treated as stable (zero width,
infinite decay length). This is the right limit at the lower edge of the K+ -> pi+ X exclusion,
where c_GG / Lambda ~ 1e-5 / GeV gives c tau of order 100 m and lab decay lengths of tens of km
(a rough estimate with the photon coupling of Bauer et al., arXiv:1708.00443, [MEM]); the upper
edge (a decaying inside the detector) is therefore not computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.models.base import (
    FERMION_KEYS,
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
)

__all__ = ["AlpGluon"]


@dataclass(frozen=True)
class AlpGluon(WidthModel):
    """ALP with c_GG only; coupling = c_GG / Lambda in 1/GeV; decays not modelled (stable)."""

    @property
    def name(self) -> str:
        """Registry key ``"alp-gluon"``."""
        return "alp-gluon"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        return r"ALP $a$ (gluon coupling, escaping)"

    @property
    def spin(self) -> Spin:
        """``"pseudoscalar"``."""
        return "pseudoscalar"

    @property
    def coupling_symbol(self) -> str:
        """``c_{GG}/\\Lambda`` [1/GeV] (mathtext)."""
        return r"c_{GG}/\Lambda\ [\mathrm{GeV}^{-1}]"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """None listed; with zero width the invisible fraction is NaN (counted as escaping)."""
        return frozenset()

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """No tree-level fermion couplings (c_GG only)."""
        return dict.fromkeys(FERMION_KEYS, NO_COUPLING)

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """``{"not modelled": 0}``: the ALP is treated as stable (module docstring)."""
        m, _ = np.broadcast_arrays(as_mass(mass), as_coupling(coupling))
        return {"not modelled": np.zeros(m.shape)}
