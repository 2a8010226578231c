"""Dark scalar S mixing with the Higgs boson (``dark-scalar``); model coupling sin^2 theta.

S inherits the Higgs couplings scaled by sin theta: Yukawa ``sin theta m_f / v`` to every
fermion (v = 246.2 GeV from :data:`darkreach.production.kaon_to_pion.V_HIGGS`). Production
K+ -> pi+ S is in :mod:`darkreach.production.kaon_to_pion` (handbook
bounds_and_new_channels.md 2.2). Widths are linear in the coupling sin^2 theta.

Decay widths (NOT in the handbook: standard Higgs-like formulas, e.g. Bezrukov and Gorbunov,
arXiv:0912.0390; Djouadi, Phys. Rept. 457 (2008) 1, arXiv:hep-ph/0503172; unverified: confirm
before relying)::

    Gamma(S -> l+ l-) = sin^2 theta G_F m_l^2 m_S / (4 sqrt(2) pi) beta_l^3
    beta_l = sqrt(1 - 4 m_l^2 / m_S^2)
    Gamma(S -> gamma gamma) = alpha^2 sin^2 theta m_S^3 / (256 pi^3 v^2) |A|^2
    A = sum_f N_c Q_f^2 F(tau_f) + A_W,   tau_f = 4 m_f^2 / m_S^2

The lepton width is handbook models.md 3.1 with g_S = sin theta m_l / v (G_F / sqrt 2 =
1 / (2 v^2)); the photon width is models.md 3.2 with g_S / m_mu -> sin theta / v, F(tau) the
same fermion-loop function (:func:`darkreach.models.scalar.photon_loop_amplitude`), summed over
e, mu, tau and the heavy quarks c, b, t (N_c = 3; masses of kaon_to_pion.QUARK_MASS), plus the W
loop in its heavy-W limit A_W = -7 (valid for m_S << m_W). The light quarks u, d, s are left out:
their loop is non-perturbative below ~1 GeV, so the two-photon width is a leading-order estimate.

**Incomplete above 2 m_pi**: S -> pi pi (and the hadronic corrections to S -> gamma gamma) are
not in the handbook and are not included, so above :data:`WIDTH_COMPLETE_BELOW` = 2 m_pi+ =
279 MeV the total width is underestimated and the lifetime overestimated.

Channels: ``"e e"``, ``"mu mu"``, ``"gamma gamma"``; no invisible channel (whether S escapes is
decided by the experiment from :meth:`DarkScalar.decay_length`). Masses and widths in MeV.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.constants import G_F, alpha_em, m_e, m_mu, m_pi_charged, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.models.base import (
    FERMION_KEYS,
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_mass,
)
from darkreach.models.scalar import photon_loop_amplitude
from darkreach.production.kaon_to_pion import QUARK_MASS, V_HIGGS

__all__ = ["WIDTH_COMPLETE_BELOW", "DarkScalar", "photon_amplitude_sum"]

#: Above this mass (2 m_pi+) S -> pi pi is missing: the total width is incomplete.
WIDTH_COMPLETE_BELOW: float = 2.0 * m_pi_charged
#: W-loop amplitude of S -> gamma gamma in the heavy-W limit (Djouadi's A_1 -> -7).
A_W_HEAVY: float = -7.0

# (mass, N_c Q^2) of the fermions in the photon loop
_LOOP_FERMIONS: tuple[tuple[float, float], ...] = (
    (m_e, 1.0),
    (m_mu, 1.0),
    (m_tau, 1.0),
    (QUARK_MASS["c"], 3.0 * 4.0 / 9.0),
    (QUARK_MASS["b"], 3.0 * 1.0 / 9.0),
    (QUARK_MASS["t"], 3.0 * 4.0 / 9.0),
)


def photon_amplitude_sum(mass: ArrayLike) -> NDArray[np.complex128]:
    """``sum_f N_c Q_f^2 F(4 m_f^2 / m_S^2) + A_W`` of S -> gamma gamma (module docstring).

    F(tau) of a fermion of mass m_f at m_S equals the muon-loop function at m_S m_mu / m_f.
    For m_S -> 0 every F -> 4/3: ``3 (4/3) + (4/3)(4/3 + 1/3 + 4/3) - 7 = 1``.
    """
    m = as_mass(mass)
    total = np.full(m.shape, A_W_HEAVY, dtype=np.complex128)
    for m_f, weight in _LOOP_FERMIONS:
        total = total + weight * photon_loop_amplitude(m * m_mu / m_f, "scalar")
    return total


def _check_mixing(coupling: ArrayLike) -> FloatArray:
    arr = np.asarray(coupling, dtype=np.float64)
    bad = ~(np.isfinite(arr) & (arr >= 0.0) & (arr <= 1.0))
    if np.any(bad):
        raise InvalidParameterError("sin2_theta", float(arr[bad].flat[0]), "0 <= sin^2 theta <= 1")
    return arr


@dataclass(frozen=True)
class DarkScalar(WidthModel):
    """Higgs-mixed dark scalar S; coupling = sin^2 theta (0 <= sin^2 theta <= 1)."""

    @property
    def name(self) -> str:
        """Registry key ``"dark-scalar"``."""
        return "dark-scalar"

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        return r"Higgs-mixed scalar $S$"

    @property
    def spin(self) -> Spin:
        """``"scalar"``."""
        return "scalar"

    @property
    def coupling_symbol(self) -> str:
        """``\\sin^2\\theta`` (mathtext)."""
        return r"\sin^2\theta"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """None: S decays visibly; long-lived S escape (experiment side)."""
        return frozenset()

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """All zero: the Yukawa sin theta m_f / v is not linear in the model coupling sin^2
        theta, so the per-unit-coupling vertices of the bremsstrahlung productions do not
        apply (and no production code treats S as muon-philic)."""
        return dict.fromkeys(FERMION_KEYS, NO_COUPLING)

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Partial widths [MeV] at m_S [MeV] and sin^2 theta (module docstring)."""
        m, s2 = np.broadcast_arrays(as_mass(mass), _check_mixing(coupling))
        widths: dict[str, FloatArray] = {}
        for channel, m_l in (("e e", m_e), ("mu mu", m_mu)):
            beta2 = np.clip(1.0 - 4.0 * (m_l / m) ** 2, 0.0, None)
            widths[channel] = np.asarray(
                s2 * G_F * m_l**2 * m / (4.0 * math.sqrt(2.0) * math.pi) * beta2**1.5
            )
        amp = photon_amplitude_sum(m)
        widths["gamma gamma"] = np.asarray(
            alpha_em**2 * s2 * m**3 / (256.0 * math.pi**3 * V_HIGGS**2) * np.abs(amp) ** 2
        )
        return widths
