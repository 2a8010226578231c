"""Dark matter coupled to a vector mediator: the four spin types and their widths.

Handbook models.md 1.3; currents as in [T2] (NA64mu proposal). The mediator couples to the
dark current with ``g_chi``, ``alpha_D = g_chi^2 / (4 pi)``:

- complex scalar: ``g_chi Z'_a i (chi* d^a chi - chi d^a chi*)``
- Dirac fermion: ``g_chi Z'_a chibar g^a chi``
- Majorana fermion: ``(g_chi / 2) Z'_a chibar g^a g5 chi``
- pseudo-Dirac (chi_1, chi_2): off-diagonal ``g_chi Z'_a (i chibar_1 g^a chi_2)``, the vector
  current of ``chi = (chi_1 + i chi_2)/sqrt2``, normalised so that the splitting -> 0 limit
  is the Dirac width with the same g_chi (handbook README, choice 5). Diagonal couplings
  (suppressed by the splitting) are neglected.

Masses in MeV (hepunits); widths in MeV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.models.base import FermionCoupling, as_mass

__all__ = ["DMKind", "DarkMatter"]

DMKind = Literal["complex-scalar", "majorana", "pseudo-dirac", "dirac"]
_KINDS: tuple[str, ...] = get_args(DMKind)


@dataclass(frozen=True)
class DarkMatter:
    """Dark-matter content of a vector mediator model.

    Parameters
    ----------
    kind
        ``"complex-scalar"``, ``"majorana"``, ``"pseudo-dirac"`` or ``"dirac"``.
    mass_ratio
        ``M / m_chi`` (mediator over the lighter dark state), used when ``m_chi`` is None.
        Default 3, the benchmark of [T4] and the relic-target plots.
    alpha_d
        ``alpha_D = g_chi^2 / (4 pi)``, in (0, 4 pi). Default 0.5. Use :meth:`from_g_chi`
        to give g_chi instead.
    delta
        pseudo-Dirac only: relative splitting ``(m_2 - m_1) / m_1 >= 0``. The "chi mass"
        (``m_chi`` or ``M / mass_ratio``) is always the lighter state m_1.
    m_chi
        fixed mass of the (lighter) dark state in MeV; overrides ``mass_ratio``.
    """

    kind: DMKind = "complex-scalar"
    mass_ratio: float = 3.0
    alpha_d: float = 0.5
    delta: float = 0.0
    m_chi: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise InvalidParameterError("kind", self.kind, ", ".join(_KINDS))
        if not (math.isfinite(self.mass_ratio) and self.mass_ratio > 0.0):
            raise InvalidParameterError("mass_ratio", self.mass_ratio, "finite and > 0")
        if not (math.isfinite(self.alpha_d) and 0.0 < self.alpha_d < 4.0 * math.pi):
            raise InvalidParameterError("alpha_d", self.alpha_d, "0 < alpha_D < 4 pi")
        if not (math.isfinite(self.delta) and self.delta >= 0.0):
            raise InvalidParameterError("delta", self.delta, "finite and >= 0")
        if self.delta != 0.0 and self.kind != "pseudo-dirac":
            raise InvalidParameterError(
                "delta", self.delta, "0 unless kind = 'pseudo-dirac'", f"kind = {self.kind!r}"
            )
        if self.m_chi is not None and not (math.isfinite(self.m_chi) and self.m_chi > 0.0):
            raise InvalidParameterError("m_chi", self.m_chi, "None or finite and > 0 MeV")

    @classmethod
    def from_g_chi(
        cls,
        g_chi: float,
        kind: DMKind = "complex-scalar",
        mass_ratio: float = 3.0,
        delta: float = 0.0,
        m_chi: float | None = None,
    ) -> DarkMatter:
        """Build from the dark coupling g_chi (0 < g_chi < 4 pi, i.e. alpha_D in (0, 4 pi))."""
        if not (math.isfinite(g_chi) and g_chi > 0.0):
            raise InvalidParameterError("g_chi", g_chi, "0 < g_chi < 4 pi")
        return cls(
            kind=kind,
            mass_ratio=mass_ratio,
            alpha_d=g_chi**2 / (4.0 * math.pi),
            delta=delta,
            m_chi=m_chi,
        )

    @property
    def g_chi(self) -> float:
        """Dark coupling ``g_chi = sqrt(4 pi alpha_D)``."""
        return math.sqrt(4.0 * math.pi * self.alpha_d)

    @property
    def label(self) -> str:
        """Short text label, e.g. ``"Majorana, alpha_D = 0.5, M = 3 m_chi"``."""
        names = {
            "complex-scalar": "complex scalar",
            "majorana": "Majorana",
            "pseudo-dirac": "pseudo-Dirac",
            "dirac": "Dirac",
        }
        mass = (
            f"m_chi = {self.m_chi:g} MeV"
            if self.m_chi is not None
            else f"M = {self.mass_ratio:g} m_chi"
        )
        text = f"{names[self.kind]}, alpha_D = {self.alpha_d:g}, {mass}"
        if self.kind == "pseudo-dirac":
            text += f", Delta/m_1 = {self.delta:g}"
        return text

    def fermion_coupling(self) -> FermionCoupling:
        """Structure of the dark current per unit g_chi (see the module docstring).

        Convention of :class:`~darkreach.models.base.FermionCoupling`
        (``g_chi Z'_a chibar g^a (vector - axial g5) chi``): Dirac and pseudo-Dirac (the
        off-diagonal chi_1 chi_2 current) vector = 1; Majorana axial = -1/2; for the
        complex scalar, vector = 1 stands for the scalar current coefficient.
        """
        if self.kind == "majorana":
            return FermionCoupling(axial=-0.5)
        return FermionCoupling(vector=1.0)

    def chi_mass(self, mediator_mass: ArrayLike) -> FloatArray:
        """Mass of the (lighter) dark state m_1 [MeV] for mediator mass M [MeV]."""
        mass = as_mass(mediator_mass, "mediator_mass")
        if self.m_chi is not None:
            return np.full_like(mass, self.m_chi)
        return mass / self.mass_ratio

    def chi_masses(self, mediator_mass: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """(m_1, m_2) [MeV]: equal except for the pseudo-Dirac splitting m_2 = m_1 (1 + delta)."""
        m1 = self.chi_mass(mediator_mass)
        return m1, m1 * (1.0 + self.delta)

    def threshold(self, mediator_mass: ArrayLike) -> FloatArray:
        """Kinematic threshold m_1 + m_2 [MeV] of the mediator decay into dark matter."""
        m1, m2 = self.chi_masses(mediator_mass)
        return m1 + m2

    def width(self, mediator_mass: ArrayLike) -> FloatArray:
        """Width of the mediator (mass M [MeV]) into dark matter [MeV], 0 below threshold.

        Handbook models.md 1.3 (MOD-5), ``beta = sqrt(1 - 4 m_chi^2 / M^2)``:

        - complex scalar ``g_chi^2 M beta^3 / (48 pi)`` (verified: DMG4)
        - Dirac ``(g_chi^2 M / (12 pi)) (1 + 2 m_chi^2/M^2) beta`` (verified: DarkCast)
        - Majorana ``g_chi^2 M beta^3 / (24 pi)`` (cross-check value, not published)
        - pseudo-Dirac ``(g_chi^2 M/(12 pi)) lambda^(1/2)(1, x1, x2)
          [1 - (x1 + x2)/2 - (x1 - x2)^2/2 + 3 sqrt(x1 x2)]``, ``x_i = m_i^2 / M^2``.
          Status: unverified: confirm before relying (the normalisation is fixed so that
          delta -> 0 gives the Dirac width).
        """
        mass = as_mass(mediator_mass, "mediator_mass")
        m1, m2 = self.chi_masses(mass)
        g2 = 4.0 * math.pi * self.alpha_d
        s1 = m1 / mass
        s2 = m2 / mass
        # lambda(1, x1, x2) = (1 - (s1 + s2)^2) (1 - (s1 - s2)^2), clipped at threshold
        lam = np.clip(1.0 - (s1 + s2) ** 2, 0.0, None) * (1.0 - (s1 - s2) ** 2)
        sqrt_lam = np.sqrt(lam)
        pref = g2 * mass / (12.0 * math.pi)
        if self.kind == "complex-scalar":
            width = pref * sqrt_lam**3 / 4.0
        elif self.kind == "majorana":
            width = pref * sqrt_lam**3 / 2.0
        elif self.kind == "dirac":
            width = pref * (1.0 + 2.0 * s1**2) * sqrt_lam
        else:  # pseudo-dirac
            x1 = s1**2
            x2 = s2**2
            shape = 1.0 - 0.5 * (x1 + x2) - 0.5 * (x1 - x2) ** 2 + 3.0 * s1 * s2
            width = pref * sqrt_lam * shape
        return np.asarray(width, dtype=np.float64)
