"""Milli-charged Dirac fermion chi (charge Q e, mass m_chi); bounds_and_new_channels.md 4.1.

The model coupling is Q = "Q/e" (0 < Q < 1), the mass is m_chi [MeV]. chi couples to the
photon only (``L = -Q e chi-bar gamma^a chi A_a``); it is stable, so a pair made in the target
escapes. Production (mu N -> mu N chi chi-bar through a virtual photon) is
:mod:`darkreach.production.millicharge`.

Invisibility assumption (stated in every reach's notes): each chi deposits about Q^2 times a
minimum-ionising particle's dE/dx (Bethe-Bloch ~ z^2). For Q <= 0.1 that is <= 1 % of a MIP
per chi, far below the calorimeter thresholds of NA64mu or M^3 (a MIP in NA64mu's ECAL is
~0.3 GeV deposited, [DER] from experiments.md's 22.5 cm of Pb at 12.7 MeV/cm), so the pair
is invisible. The assumption breaks for Q >~ 0.1-0.3, where the pair can fire the vetoes or
the HCAL (2 Q^2 ~ 0.02-0.2 MIP): limits above Q = 0.1 are outside its validity (unverified
threshold: confirm with the experiment's veto thresholds before relying).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.models.base import NO_COUPLING, FermionCoupling, Spin, as_coupling, as_mass
from darkreach.validate import checked_array

__all__ = ["INVISIBLE_MAX_CHARGE", "MilliChargedParticle"]

#: largest Q/e for which the chi pair is taken as invisible (see the module docstring)
INVISIBLE_MAX_CHARGE = 0.1


@dataclass(frozen=True)
class MilliChargedParticle:
    """A stable milli-charged Dirac fermion; coupling Q/e, mass m_chi [MeV].

    Implements the :class:`~darkreach.models.base.Model` protocol: no decays (one
    pseudo-channel ``"stable"`` of width 0 and branching ratio 1), ``invisible_fraction`` 1
    (the pair escapes), infinite decay length. ``fermion_couplings()["chi"]`` is the
    photon's vector coupling per unit Q (in units of e); the muon has no direct coupling.
    """

    name: str = "millicharge"
    label: str = r"milli-charged $\chi$"
    spin: Spin = "fermion"
    coupling_symbol: str = "Q/e"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """``{"stable"}``: the pseudo-channel of a particle that does not decay."""
        return frozenset({"stable"})

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """Photon couplings per unit Q (units of e): chi vector 1; SM fermions none here."""
        return {
            "e": NO_COUPLING,
            "mu": NO_COUPLING,
            "tau": NO_COUPLING,
            "nu_e": NO_COUPLING,
            "nu_mu": NO_COUPLING,
            "nu_tau": NO_COUPLING,
            "chi": FermionCoupling(vector=1.0),
        }

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """``{"stable": 0}`` [MeV]: chi does not decay (mass and coupling are validated)."""
        return {"stable": self.total_width(mass, coupling)}

    def total_width(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """0 [MeV]: chi is stable."""
        shape = np.broadcast(as_mass(mass), as_coupling(coupling)).shape
        return np.zeros(shape)

    def branching_ratios(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """``{"stable": 1}``: a stable particle stays itself with probability 1."""
        return {"stable": self.invisible_fraction(mass, coupling)}

    def invisible_fraction(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """1: the pair escapes (valid for Q <= :data:`INVISIBLE_MAX_CHARGE`, see the module)."""
        shape = np.broadcast(as_mass(mass), as_coupling(coupling)).shape
        return np.ones(shape)

    def decay_length(self, mass: ArrayLike, coupling: ArrayLike, momentum: ArrayLike) -> FloatArray:
        """Infinite [mm]: chi is stable."""
        p = checked_array(momentum, "momentum", allow_zero=True, unit="MeV")
        shape = np.broadcast(as_mass(mass), as_coupling(coupling), p).shape
        return np.full(shape, np.inf)
