"""Dark photon A' (handbook models.md section 4): leptonic widths only, for now.

Interaction after diagonalisation: ``eps e A'_a J^a_em``, ``J_em = sum_f Q_f fbar g^a f``
(verified: [T4]). Only the leptonic widths are implemented. **The hadronic width is
missing**: it opens with pi0 gamma (via omega) at m_pi0 and becomes important with
pi+ pi- at 2 m_pi = 279 MeV (below about 700 MeV leptons still dominate, verified: [T3]).
Above :data:`HADRONIC_THRESHOLD` the total width is therefore underestimated and branching
ratios are wrong; the model warns there (:class:`HadronicWidthMissingWarning`). The
vector-meson-dominance coefficients needed for the hadronic width are in
:func:`vmd_coefficients` (models.md 4.3).

Masses and widths in MeV (hepunits).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, e_charge, m_e, m_mu, m_pi0, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.models.base import (
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
    two_body_vector_width,
)
from darkreach.models.dark_matter import DarkMatter

__all__ = [
    "HADRONIC_THRESHOLD",
    "DarkPhoton",
    "HadronicWidthMissingWarning",
    "vmd_coefficients",
]

#: Mass [MeV] above which hadronic final states exist (pi0 gamma) and widths are incomplete.
HADRONIC_THRESHOLD: float = m_pi0


class HadronicWidthMissingWarning(UserWarning):
    """Widths are evaluated above the hadronic threshold without the hadronic channels."""


def warn_if_hadronic(mass: FloatArray, model: str) -> None:
    """Warn once per call if any mass is above :data:`HADRONIC_THRESHOLD`."""
    if np.any(mass > HADRONIC_THRESHOLD):
        warnings.warn(
            f"{model}: hadronic widths are not implemented; widths above "
            f"{HADRONIC_THRESHOLD:.1f} MeV are leptonic only (total width underestimated)",
            HadronicWidthMissingWarning,
            stacklevel=3,
        )


#: r_V of the DarkCast VMD decomposition (models.md 4.3; verified: DarkCast model.py).
_R_V = {"rho": 2.0, "omega": 6.0, "phi": 3.0 * math.sqrt(2.0)}
#: generators T_V as the diagonals (u, d, s).
_T_V = {
    "rho": (0.5, -0.5, 0.0),
    "omega": (0.5, 0.5, 0.0),
    "phi": (0.0, 0.0, 1.0 / math.sqrt(2.0)),
}


def vmd_coefficients(x_u: float, x_d: float, x_s: float) -> dict[str, float]:
    """``r_V Tr(T_V Q_X)`` for V = rho, omega, phi, with ``Q_X = diag(x_u, x_d, x_s)``.

    The X couplings to u, d, s are absolute (coupling included). Handbook models.md 4.3
    (DarkCast, arXiv:1801.04847 Eqs. 2.15-2.18; MOD-15): the dark photon,
    ``eps e (2/3, -1/3, -1/3)``, gives ``(eps e, eps e, -eps e)``; B-L, ``g (1/3, 1/3, 1/3)``,
    gives ``(0, 2 g, g)``.
    """
    q = (x_u, x_d, x_s)
    return {v: _R_V[v] * sum(t * x for t, x in zip(_T_V[v], q, strict=True)) for v in _R_V}


@dataclass(frozen=True)
class DarkPhoton(WidthModel):
    """Kinetically mixed dark photon, leptonic widths (and dark matter) only.

    Parameters
    ----------
    dark_matter
        optional dark sector (channel ``"chi chi"``, invisible), coupled with g_chi.
    warn_hadrons
        warn (:class:`HadronicWidthMissingWarning`) when widths are requested above
        :data:`HADRONIC_THRESHOLD`, where the missing hadronic width matters.

    Channels ``"e e"``, ``"mu mu"``, ``"tau tau"``:
    ``Gamma(l+ l-) = (eps^2 alpha M / 3)(1 + 2 r_l) sqrt(1 - 4 r_l)`` (models.md 4.2, verified:
    DMG4; c tau(10 MeV, eps = 1) = 8.11e-12 m, MOD-13). Below 2 m_e the visible widths
    vanish: without dark matter the total width is 0 there (branching ratios NaN, infinite
    decay length).
    """

    dark_matter: DarkMatter | None = None
    warn_hadrons: bool = True

    def __post_init__(self) -> None:
        if self.dark_matter is not None and not isinstance(self.dark_matter, DarkMatter):
            raise InvalidParameterError(
                "dark_matter", repr(self.dark_matter), "None or a DarkMatter instance"
            )

    @property
    def name(self) -> str:
        """Registry key: ``"dark-photon"``, or ``"dark-photon-dm"`` with dark matter."""
        return "dark-photon" if self.dark_matter is None else "dark-photon-dm"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        return r"dark photon $A'$" if self.dark_matter is None else r"$A' \to \chi\bar\chi$"

    @property
    def spin(self) -> Spin:
        """A vector boson."""
        return "vector"

    @property
    def coupling_symbol(self) -> str:
        """``"epsilon"``."""
        return "epsilon"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """``{"chi chi"}`` with dark matter, else empty."""
        return frozenset({"chi chi"}) if self.dark_matter is not None else frozenset()

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """Per unit eps: charged leptons vector ``e Q = -e``; neutrinos 0; chi per unit g_chi."""
        lepton = FermionCoupling(vector=-e_charge)
        couplings = {
            "e": lepton,
            "mu": lepton,
            "tau": lepton,
            "nu_e": NO_COUPLING,
            "nu_mu": NO_COUPLING,
            "nu_tau": NO_COUPLING,
        }
        if self.dark_matter is not None:
            couplings["chi"] = self.dark_matter.fermion_coupling()
        return couplings

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Leptonic (and dark-matter) widths [MeV] for mass M [MeV] and eps (broadcast)."""
        m, eps = np.broadcast_arrays(as_mass(mass), as_coupling(coupling, "epsilon"))
        if self.warn_hadrons:
            warn_if_hadronic(m, "DarkPhoton")
        e2 = 4.0 * math.pi * alpha_em * eps * eps  # (eps e)^2
        widths = {
            "e e": two_body_vector_width(m, m_e, e2),
            "mu mu": two_body_vector_width(m, m_mu, e2),
            "tau tau": two_body_vector_width(m, m_tau, e2),
        }
        if self.dark_matter is not None:
            widths["chi chi"] = np.broadcast_to(self.dark_matter.width(m), m.shape).copy()
        return widths
