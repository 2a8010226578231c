"""The gauged L_mu - L_tau Z' (handbook models.md sections 1 and 2).

Interaction (after diagonalisation), coupling g:

    L = g Z'_a [mubar g^a mu - taubar g^a tau + nubar_mu g^a P_L nu_mu - nubar_tau g^a P_L nu_tau]

(anomaly free with the SM content; R. Foot, Mod. Phys. Lett. A 6 (1991) 527, journal details
unverified). The Z' reaches electrons and quarks only through loop-induced kinetic mixing
eps(M^2) ~ g/69 (:mod:`darkreach.physics.kinetic_mixing`).

Masses and widths in MeV (hepunits).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, m_e, m_mu, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.models.base import (
    LEFT_HANDED,
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
    two_body_vector_width,
)
from darkreach.models.dark_matter import DarkMatter
from darkreach.physics.kinetic_mixing import loop_epsilon

__all__ = ["LmuLtauZPrime", "NeutrinoKind", "neutrino_width"]

NeutrinoKind = Literal["left", "dirac"]
_NEUTRINO_KINDS = ("left", "dirac")


def neutrino_width(mass: FloatArray, coupling: FloatArray, neutrinos: NeutrinoKind) -> FloatArray:
    """Width [MeV] into one neutrino flavour for a vector boson with unit charge.

    Left-handed neutrinos (default, only one helicity charged): ``g^2 M / (24 pi)``.
    Light Dirac neutrinos (nu_R also charged): ``g^2 M / (12 pi)``. Handbook models.md 1.2
    and README choice 1 (public codes differ: DMG4 and DarkCast <= v2.0 count 1/2, DarkCast
    v2.1 and SNforMuTau the full Dirac width).
    """
    divisor = 24.0 if neutrinos == "left" else 12.0
    return np.asarray(coupling**2 * mass / (divisor * math.pi), dtype=np.float64)


def _check_neutrinos(neutrinos: str) -> None:
    if neutrinos not in _NEUTRINO_KINDS:
        raise InvalidParameterError("neutrinos", repr(neutrinos), "'left', 'dirac'")


@dataclass(frozen=True)
class LmuLtauZPrime(WidthModel):
    """L_mu - L_tau Z', optionally decaying to dark matter.

    Parameters
    ----------
    neutrinos
        ``"left"`` (default): only left-handed neutrinos, ``g^2 M/(24 pi)`` per flavour, so
        BR_inv -> 1/2 well above 2 m_mu. ``"dirac"``: light Dirac neutrinos,
        ``g^2 M/(12 pi)`` per flavour, BR_inv -> 2/3.
    dark_matter
        :class:`~darkreach.models.dark_matter.DarkMatter` the Z' also decays to (channel
        ``"chi chi"``; for pseudo-Dirac it is chi_1 chi_2). Its width does not scale with g.
    include_loop_widths
        add the loop-induced ``"e e"`` channel,
        ``abs(eps(M^2))^2 (alpha M / 3)(1 + 2 r_e) sqrt(1 - 4 r_e)`` (models.md 2.4, MOD-9;
        ~2e-5 of the neutrino width). The loop-induced hadronic width is not implemented
        (negligible, eps^2 ~ (g/69)^2). Tree-level muon and tau widths are not corrected for
        the mixing.

    Channels: ``"nu_mu nu_mu"``, ``"nu_tau nu_tau"``, ``"mu mu"``, ``"tau tau"``, plus
    ``"chi chi"`` and ``"e e"`` when enabled. Invisible: the neutrinos and ``"chi chi"``.
    """

    neutrinos: NeutrinoKind = "left"
    dark_matter: DarkMatter | None = None
    include_loop_widths: bool = False

    def __post_init__(self) -> None:
        _check_neutrinos(self.neutrinos)
        if self.dark_matter is not None and not isinstance(self.dark_matter, DarkMatter):
            raise InvalidParameterError(
                "dark_matter", repr(self.dark_matter), "None or a DarkMatter instance"
            )

    @property
    def name(self) -> str:
        """Registry key: ``"lmu-ltau"``, or ``"lmu-ltau-dm"`` with dark matter."""
        return "lmu-ltau" if self.dark_matter is None else "lmu-ltau-dm"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        if self.dark_matter is None:
            return r"$L_\mu - L_\tau$ $Z'$"
        return r"$L_\mu - L_\tau$ $Z' \to \chi\bar\chi$"

    @property
    def spin(self) -> Spin:
        """A vector boson."""
        return "vector"

    @property
    def coupling_symbol(self) -> str:
        """``"g"``."""
        return "g"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """Neutrinos, and dark matter when present."""
        channels = {"nu_mu nu_mu", "nu_tau nu_tau"}
        if self.dark_matter is not None:
            channels.add("chi chi")
        return frozenset(channels)

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """Tree-level couplings per unit g (convention of :mod:`darkreach.models.base`).

        mu: vector +1; tau: vector -1; nu_mu, nu_tau: +-(1/2, 1/2) (left-handed, ``P_L``) or
        +-(1, 0) (Dirac switch); e, nu_e: 0 (e only through the loop, eps(q^2) e Q_e).
        ``"chi"`` (with dark matter) is per unit g_chi, not per unit g.
        """
        nu = LEFT_HANDED if self.neutrinos == "left" else FermionCoupling(vector=1.0)
        couplings = {
            "e": NO_COUPLING,
            "mu": FermionCoupling(vector=1.0),
            "tau": FermionCoupling(vector=-1.0),
            "nu_e": NO_COUPLING,
            "nu_mu": nu,
            "nu_tau": FermionCoupling(vector=-nu.vector, axial=-nu.axial),
        }
        if self.dark_matter is not None:
            couplings["chi"] = self.dark_matter.fermion_coupling()
        return couplings

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Partial widths [MeV] for Z' mass M [MeV] and coupling g (broadcast).

        ``Gamma(l+ l-) = (g^2 M/(12 pi)) (1 + 2 r_l) sqrt(1 - 4 r_l)`` (models.md 1.2,
        verified: DMG4, DarkCast), neutrinos as :func:`neutrino_width`, dark matter as
        :meth:`DarkMatter.width` (models.md 1.3).
        """
        m, g = np.broadcast_arrays(as_mass(mass), as_coupling(coupling))
        g2 = g * g
        nu = neutrino_width(m, g, self.neutrinos)
        widths = {
            "nu_mu nu_mu": nu,
            "nu_tau nu_tau": nu.copy(),
            "mu mu": two_body_vector_width(m, m_mu, g2),
            "tau tau": two_body_vector_width(m, m_tau, g2),
        }
        if self.dark_matter is not None:
            widths["chi chi"] = np.broadcast_to(self.dark_matter.width(m), m.shape).copy()
        if self.include_loop_widths:
            eps = loop_epsilon(m, g)
            e2 = 4.0 * math.pi * alpha_em * eps * eps  # (eps e)^2
            widths["e e"] = two_body_vector_width(m, m_e, e2)
        return widths
