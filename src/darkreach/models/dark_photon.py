"""Dark photon A' (handbook models.md section 4): leptonic and hadronic widths.

Interaction after diagonalisation: ``eps e A'_a J^a_em``, ``J_em = sum_f Q_f fbar g^a f``
(verified: [T4]). Leptonic widths as models.md 4.2; the hadronic width (channel
``"hadrons"``) is ``(eps^2 alpha M/3) R(M^2)`` with R from the vector-meson-dominance and
perturbative-QCD model of :mod:`darkreach.physics.hadrons` (models.md 4.3; accuracy stated
there). It opens with pi0 gamma (via omega) at m_pi0 and matters from pi+ pi- at
2 m_pi = 279 MeV on (below about 700 MeV leptons still dominate, verified: [T3]).
The vector-meson-dominance coefficients are :func:`vmd_coefficients` (models.md 4.3).

Masses and widths in MeV (hepunits).
"""

from __future__ import annotations

import math
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
from darkreach.physics.hadrons import dark_photon_quarks, hadronic_width, vmd_coefficients

__all__ = [
    "HADRONIC_THRESHOLD",
    "DarkPhoton",
    "vmd_coefficients",
]

#: Mass [MeV] above which hadronic final states exist (pi0 gamma via omega).
HADRONIC_THRESHOLD: float = m_pi0


@dataclass(frozen=True)
class DarkPhoton(WidthModel):
    """Kinetically mixed dark photon: leptonic, hadronic (and dark-matter) widths.

    Parameters
    ----------
    dark_matter
        optional dark sector (channel ``"chi chi"``, invisible), coupled with g_chi.
    warn_hadrons
        ignored; kept for compatibility (the hadronic width used to be missing and this
        switched a warning on).

    Channels ``"e e"``, ``"mu mu"``, ``"tau tau"``:
    ``Gamma(l+ l-) = (eps^2 alpha M / 3)(1 + 2 r_l) sqrt(1 - 4 r_l)`` (models.md 4.2, verified:
    DMG4; c tau(10 MeV, eps = 1) = 8.11e-12 m, MOD-13). Channel ``"hadrons"``:
    ``(eps^2 alpha M/3) R(M^2)`` (models.md 4.3, :mod:`darkreach.physics.hadrons`), zero
    below m_pi0. Below 2 m_e the visible widths
    vanish: without dark matter the total width is 0 there (branching ratios NaN, infinite
    decay length).
    """

    dark_matter: DarkMatter | None = None
    warn_hadrons: bool = False

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
        """Leptonic, hadronic (and dark-matter) widths [MeV] for mass M [MeV] and eps."""
        m, eps = np.broadcast_arrays(as_mass(mass), as_coupling(coupling, "epsilon"))
        e2 = 4.0 * math.pi * alpha_em * eps * eps  # (eps e)^2
        widths = {
            "e e": two_body_vector_width(m, m_e, e2),
            "mu mu": two_body_vector_width(m, m_mu, e2),
            "tau tau": two_body_vector_width(m, m_tau, e2),
            "hadrons": hadronic_width(m, dark_photon_quarks(1.0)) * eps * eps,
        }
        if self.dark_matter is not None:
            widths["chi chi"] = np.broadcast_to(self.dark_matter.width(m), m.shape).copy()
        return widths
