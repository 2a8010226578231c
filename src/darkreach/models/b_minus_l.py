"""B-L gauge boson: leptonic and hadronic widths (handbook models.md section 5).

Interaction: ``g_BL Z'_a sum [(1/3) qbar g^a q - lbar g^a l - nubar g^a nu]`` (verified: [T4];
DarkCast models/B-L_boson.py). Charged leptons as models.md 1.2 with g -> g_BL; three
neutrino flavours, left-handed (default) or Dirac. Hadrons (channel ``"hadrons"``) through
the vector-meson-dominance formula of models.md 4.3 with ``Q_X = g_BL diag(1/3, 1/3, 1/3)``
(:mod:`darkreach.physics.hadrons`): the rho does not couple (``c_rho = 0``, no pi+ pi-), the
omega (``c_omega = 2 g``, 3 pi and pi0 gamma) and phi (``c_phi = g``, K Kbar) do, and c, b
add perturbatively. It starts with pi0 gamma at m_pi0. With ``dark_matter`` (registry
name ``"b-l-dm"``)
the Z' also decays to chi chi with the widths of
:class:`~darkreach.models.dark_matter.DarkMatter` (models.md 1.3), an invisible channel.

Masses and widths in MeV (hepunits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import m_e, m_mu, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.models.base import (
    LEFT_HANDED,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
    two_body_vector_width,
)
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.lmu_ltau import NeutrinoKind, _check_neutrinos, neutrino_width
from darkreach.physics.hadrons import QuarkCouplings, hadronic_width

#: B-L quark couplings per unit g_BL (baryon number 1/3 for every quark).
_BL_QUARKS = QuarkCouplings(1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3)

__all__ = ["BminusLZPrime"]


@dataclass(frozen=True)
class BminusLZPrime(WidthModel):
    """B-L Z' with widths ``"e e"``, ``"mu mu"``, ``"tau tau"``, ``"hadrons"`` and
    ``"nu_e nu_e"``, ``"nu_mu nu_mu"``, ``"nu_tau nu_tau"`` (invisible).

    ``warn_hadrons`` is ignored (kept for compatibility; the hadronic width used to be
    missing).

    With left-handed neutrinos BR(nu nubar) = 0.600 at 10 MeV (MOD-14; FORESEE's table
    gives 0.598).
    """

    neutrinos: NeutrinoKind = "left"
    warn_hadrons: bool = False
    dark_matter: DarkMatter | None = None

    def __post_init__(self) -> None:
        _check_neutrinos(self.neutrinos)
        if self.dark_matter is not None and not isinstance(self.dark_matter, DarkMatter):
            raise InvalidParameterError(
                "dark_matter", repr(self.dark_matter), "None or a DarkMatter instance"
            )

    @property
    def name(self) -> str:
        """Registry key ``"b-l"``, or ``"b-l-dm"`` with dark matter."""
        return "b-l" if self.dark_matter is None else "b-l-dm"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        if self.dark_matter is None:
            return r"$B-L$ $Z'$"
        return r"$B-L$ $Z' \to \chi\bar\chi$"

    @property
    def spin(self) -> Spin:
        """A vector boson."""
        return "vector"

    @property
    def coupling_symbol(self) -> str:
        """``"g_BL"``."""
        return "g_BL"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """The three neutrino channels (and chi chi with dark matter)."""
        channels = {"nu_e nu_e", "nu_mu nu_mu", "nu_tau nu_tau"}
        if self.dark_matter is not None:
            channels.add("chi chi")
        return frozenset(channels)

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """Per unit g_BL: charged leptons vector -1; neutrinos -(1/2, 1/2) or -(1, 0)."""
        if self.neutrinos == "left":
            nu = FermionCoupling(vector=-LEFT_HANDED.vector, axial=-LEFT_HANDED.axial)
        else:
            nu = FermionCoupling(vector=-1.0)
        lepton = FermionCoupling(vector=-1.0)
        couplings = {
            "e": lepton,
            "mu": lepton,
            "tau": lepton,
            "nu_e": nu,
            "nu_mu": nu,
            "nu_tau": nu,
        }
        if self.dark_matter is not None:
            couplings["chi"] = self.dark_matter.fermion_coupling()
        return couplings

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Leptonic and hadronic widths [MeV] for mass M [MeV] and g_BL (broadcast)."""
        m, g = np.broadcast_arrays(as_mass(mass), as_coupling(coupling, "g_BL"))
        g2 = g * g
        nu = neutrino_width(m, g, self.neutrinos)
        widths = {
            "e e": two_body_vector_width(m, m_e, g2),
            "mu mu": two_body_vector_width(m, m_mu, g2),
            "tau tau": two_body_vector_width(m, m_tau, g2),
            "hadrons": hadronic_width(m, _BL_QUARKS) * g2,
            "nu_e nu_e": nu,
            "nu_mu nu_mu": nu.copy(),
            "nu_tau nu_tau": nu.copy(),
        }
        if self.dark_matter is not None:
            widths["chi chi"] = np.broadcast_to(self.dark_matter.width(m), m.shape).copy()
        return widths
