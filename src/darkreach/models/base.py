"""The model interface: couplings, partial widths and what follows from them.

A *model* says what the new boson is: its spin, how strongly it couples to each fermion per
unit model coupling, and its partial widths. Everything else (total width, branching ratios,
invisible fraction, lab decay length) follows from :meth:`Model.partial_widths`;
:class:`WidthModel` implements those derived methods once.

Conventions (handbook README.md, "Coupling conventions"):

- A vector-like boson V couples as ``g V_a fbar g^a (c_V - c_A g5) f``; a spin-0 boson S as
  ``-g S fbar (c_S + i c_P g5) f``. :class:`FermionCoupling` stores (c_V, c_A, c_S, c_P) per
  unit model coupling g.
- A left-handed neutrino current ``nubar g^a P_L nu`` with ``P_L = (1 - g5)/2`` is therefore
  ``c_V = c_A = 1/2``; a Dirac neutrino with both helicities charged has ``c_V = 1, c_A = 0``.

Units: masses, widths and momenta in hepunits MeV; decay lengths in mm.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import hbarc
from darkreach.validate import checked_array

__all__ = [
    "BosonSpin",
    "FermionCoupling",
    "FloatArray",
    "Model",
    "Spin",
    "WidthModel",
    "as_coupling",
    "as_mass",
    "two_body_vector_width",
]

#: Spin/parity of a new boson: selects production amplitudes and g-2 loops.
BosonSpin = Literal["vector", "axial", "scalar", "pseudoscalar"]
#: Spin of any new particle of a model (heavy neutral leptons are fermions).
Spin = Literal["vector", "axial", "scalar", "pseudoscalar", "fermion"]

#: Keys of :meth:`Model.fermion_couplings` (``"chi"`` only for models with dark matter).
FERMION_KEYS: tuple[str, ...] = ("e", "mu", "tau", "nu_e", "nu_mu", "nu_tau")


@dataclass(frozen=True)
class FermionCoupling:
    """Coupling of the new boson to one fermion, per unit model coupling g.

    Vector boson: ``g V_a fbar g^a (vector - axial g5) f``. Spin-0 boson:
    ``-g S fbar (scalar + i pseudoscalar g5) f``. Dimensionless.
    """

    vector: float = 0.0
    axial: float = 0.0
    scalar: float = 0.0
    pseudoscalar: float = 0.0


#: Left-handed neutrino current nubar g^a P_L nu (vector = axial = 1/2).
LEFT_HANDED = FermionCoupling(vector=0.5, axial=0.5)
NO_COUPLING = FermionCoupling()


@runtime_checkable
class Model(Protocol):
    """What production, experiments, relic and kaon code may rely on.

    Attributes are read-only: ``name`` (registry key), ``label`` (mathtext plot label),
    ``spin`` (selects production amplitudes), ``coupling_symbol`` (``"g"``, ``"g_S"``,
    ``"epsilon"``) and ``invisible_channels`` (channel names counted as invisible).
    """

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def spin(self) -> Spin: ...

    @property
    def coupling_symbol(self) -> str: ...

    @property
    def invisible_channels(self) -> frozenset[str]: ...

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """Tree-level couplings per unit model coupling, keyed by fermion name."""
        ...

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Channel name -> partial width [MeV]; mass [MeV] and coupling broadcast."""
        ...

    def total_width(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Sum of the partial widths [MeV]."""
        ...

    def branching_ratios(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Channel name -> branching ratio (sums to 1; NaN where the total width is 0)."""
        ...

    def invisible_fraction(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Sum of the branching ratios over ``invisible_channels``."""
        ...

    def decay_length(self, mass: ArrayLike, coupling: ArrayLike, momentum: ArrayLike) -> FloatArray:
        """Lab decay length [mm], (p/m) hbar c / Gamma_tot; momentum p in MeV."""
        ...


def as_mass(mass: ArrayLike, field: str = "mass") -> FloatArray:
    """Convert ``mass`` [MeV] to a float array; raise unless finite and > 0."""
    return checked_array(mass, field, unit="MeV")


def as_coupling(coupling: ArrayLike, field: str = "coupling") -> FloatArray:
    """Convert ``coupling`` to a float array; raise unless finite and >= 0."""
    return checked_array(coupling, field, allow_zero=True)


def two_body_vector_width(
    mass: FloatArray, fermion_mass: float | FloatArray, coupling_sq: FloatArray | float
) -> FloatArray:
    """Width [MeV] of a vector boson to a fermion pair through a vector current.

    ``Gamma = (g^2 M / (12 pi)) (1 + 2 r) sqrt(1 - 4 r)``, ``r = m_f^2/M^2``, zero at and below
    threshold. Handbook models.md 1.2 (verified: DMG4 DMParticleZPrime.cc; DarkCast,
    arXiv:1801.04847 Eq. 2.13).
    """
    r = (np.asarray(fermion_mass, dtype=np.float64) / mass) ** 2
    beta_sq = np.clip(1.0 - 4.0 * r, 0.0, None)
    width = coupling_sq * mass / (12.0 * math.pi) * (1.0 + 2.0 * r) * np.sqrt(beta_sq)
    return np.asarray(width, dtype=np.float64)


class WidthModel(ABC):
    """Base class: implement :meth:`partial_widths`, get the derived quantities.

    Subclasses provide ``name``, ``label``, ``spin``, ``coupling_symbol`` and
    ``invisible_channels`` (as attributes or properties) and :meth:`fermion_couplings`.
    """

    @property
    @abstractmethod
    def invisible_channels(self) -> frozenset[str]:
        """Channel names counted as invisible."""

    @abstractmethod
    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Channel name -> partial width [MeV]; mass [MeV] and coupling broadcast."""

    def total_width(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Total width [MeV]: the sum of :meth:`partial_widths`."""
        widths = self.partial_widths(mass, coupling)
        total = np.zeros(np.broadcast(*widths.values()).shape)
        for width in widths.values():
            total = total + width
        return total

    def branching_ratios(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Channel name -> branching ratio. They sum to 1; NaN where the total width is 0."""
        widths = self.partial_widths(mass, coupling)
        shape = np.broadcast(*widths.values()).shape
        total = np.zeros(shape)
        for width in widths.values():
            total = total + width
        positive = total > 0.0
        safe = np.where(positive, total, 1.0)
        return {
            channel: np.where(positive, np.broadcast_to(width, shape) / safe, np.nan)
            for channel, width in widths.items()
        }

    def invisible_fraction(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Sum of the branching ratios over :attr:`invisible_channels` (NaN if Gamma = 0)."""
        ratios = self.branching_ratios(mass, coupling)
        shape = np.broadcast(*ratios.values()).shape
        fraction = np.zeros(shape)
        for channel, ratio in ratios.items():
            if channel in self.invisible_channels:
                fraction = fraction + ratio
        # keep NaN where the total width vanishes even if no invisible channel is listed
        any_ratio = next(iter(ratios.values()))
        return np.where(np.isnan(any_ratio), np.nan, fraction)

    def decay_length(self, mass: ArrayLike, coupling: ArrayLike, momentum: ArrayLike) -> FloatArray:
        """Lab decay length [mm]: ``(p/m) hbar c / Gamma_tot`` (inf where Gamma_tot = 0).

        ``momentum`` is the lab momentum p [MeV], >= 0; it broadcasts with mass and coupling.
        """
        m = as_mass(mass)
        p = checked_array(momentum, "momentum", allow_zero=True, unit="MeV")
        total = self.total_width(m, coupling)
        ctau = np.where(total > 0.0, hbarc / np.where(total > 0.0, total, 1.0), np.inf)
        boost = np.broadcast_to(p / m, np.broadcast(p / m, ctau).shape)
        # p = 0 gives 0 even for a stable particle (0 * inf would be NaN)
        with np.errstate(invalid="ignore"):
            return np.where(boost > 0.0, boost * ctau, 0.0)
