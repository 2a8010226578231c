"""Where X from K+ -> pi+ X in flight goes: lab momenta and the escape probability.

Handbook kaon_decays.md section 8 (``P_escape = exp(-L / lambda)``, ``lambda = (p / m) c tau``)
and bounds_and_new_channels.md 2.1. The K+ flies along z with momentum ``P_K`` (75 GeV/c at
NA62, experiments.md 3.1). In the kaon rest frame X and pi+ are back to back with momentum
p* = lambda^{1/2}(m_K^2, m_pi^2, m_X^2) / (2 m_K); the decay is isotropic (spin-0 kaon), so the
cosine c of the X direction to the kaon flight is uniform in [-1, 1]. Boosting to the lab::

    p_z(X)  = gamma p* c + beta gamma E*_X,     p_z(pi) = -gamma p* c + beta gamma E*_pi
    p_T     = p* sqrt(1 - c^2) for both,        gamma = E_K / m_K, beta gamma = P_K / m_K

The search selects the pi+ lab momentum in a window ``[p_min, p_max]``; the escape probability
is averaged over the decays passing it::

    P_escape(m_X, c tau) = < exp(-L m_X / (|p_X| c tau)) >_{c : p_min <= |p_pi| <= p_max}

The pi+ lab energy is linear in c, so the window is an interval of c, integrated with
Gauss-Legendre nodes (:data:`NODES`). Units: MeV, mm (hepunits).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import m_K_charged, m_pi_charged
from darkreach.errors import InvalidParameterError
from darkreach.physics.decay import survival_probability
from darkreach.production import kaon_to_pion

__all__ = ["NODES", "LabKinematics", "escape_probability"]

#: Gauss-Legendre nodes in cos(theta*) for the average over the decay angle
NODES = 48


@lru_cache(maxsize=4)
def _nodes(n: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (computed once)."""
    c, w = np.polynomial.legendre.leggauss(n)
    return np.asarray(c), np.asarray(w)


@dataclass(frozen=True)
class LabKinematics:
    """Kaon beam momentum and pi+ momentum window of a K+ -> pi+ X search (MeV)."""

    beam_momentum: float
    pion_momentum_min: float
    pion_momentum_max: float

    def __post_init__(self) -> None:
        if not (np.isfinite(self.beam_momentum) and self.beam_momentum > 0.0):
            raise InvalidParameterError("beam_momentum", self.beam_momentum, "finite and > 0 MeV")
        if not (0.0 <= self.pion_momentum_min < self.pion_momentum_max <= self.beam_momentum):
            raise InvalidParameterError(
                "pion_momentum_min/max",
                f"{self.pion_momentum_min:g}, {self.pion_momentum_max:g} MeV",
                "0 <= min < max <= beam momentum",
            )

    def lab_momenta(self, masses: ArrayLike) -> tuple[FloatArray, FloatArray]:
        """(|p_X| [MeV], weight) at Gauss-Legendre nodes in c, shape [n_mass, NODES].

        The pi+ lab energy ``E_pi = gamma E*_pi - beta gamma p* c`` is linear in c, so the
        momentum window is an interval [c_lo, c_hi]; the nodes cover it and the weights sum
        to 1 per mass (all zero if no decay passes the window).
        """
        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        x, w = _nodes(NODES)
        ok = m > 0.0
        p_star = np.full(m.shape, (m_K_charged**2 - m_pi_charged**2) / (2.0 * m_K_charged))
        if np.any(ok):
            p_star[ok] = kaon_to_pion.momentum(m[ok])
        e_x = np.sqrt(p_star**2 + m**2)
        e_pi = np.sqrt(p_star**2 + m_pi_charged**2)
        bg = self.beam_momentum / m_K_charged
        gamma = np.sqrt(1.0 + bg * bg)

        def c_at(p_pi: float) -> FloatArray:
            energy = np.sqrt(p_pi**2 + m_pi_charged**2)
            with np.errstate(divide="ignore", invalid="ignore"):
                c = (gamma * e_pi - energy) / (bg * p_star)
            return np.asarray(np.clip(np.nan_to_num(c, nan=-1.0), -1.0, 1.0))

        c_lo, c_hi = c_at(self.pion_momentum_max), c_at(self.pion_momentum_min)
        half = 0.5 * (c_hi - c_lo)
        cc = 0.5 * (c_hi + c_lo)[:, None] + half[:, None] * x[None, :]
        ps = p_star[:, None]
        p_x = np.sqrt(ps**2 * (1.0 - cc**2) + (gamma * ps * cc + bg * e_x[:, None]) ** 2)
        weight = np.where(half[:, None] > 0.0, 0.5 * w[None, :], 0.0)
        return np.asarray(p_x), np.asarray(weight)


def escape_probability(
    kinematics: LabKinematics, masses: ArrayLike, ctau: ArrayLike, length: float
) -> FloatArray:
    """P(X does not decay within ``length`` of the kaon decay) for proper decay length
    ``ctau`` [mm] (broadcast with ``masses`` [MeV]; ``inf`` for a stable X; ``0`` decays at once).

    ``< exp(-L m / (|p_X| c tau)) >`` over the decays passing the pi+ momentum window
    (module docstring). m = 0 escapes always.

    >>> kin = LabKinematics(75e3, 15e3, 35e3)
    >>> float(escape_probability(kin, 100.0, np.inf, 1e5)[0])
    1.0
    """
    m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
    ct = np.broadcast_to(np.asarray(ctau, dtype=np.float64), m.shape)
    if np.any(np.isnan(ct) | (ct < 0.0)):
        bad = float(ct[np.isnan(ct) | (ct < 0.0)][0])
        raise InvalidParameterError("ctau", f"{bad:g} mm", ">= 0 mm (inf for a stable X)")
    p_x, weight = kinematics.lab_momenta(m)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(m[:, None] > 0.0, p_x / m[:, None] * ct[:, None], np.inf)
    lam = np.where(np.isnan(lam), np.inf, lam)
    return np.asarray(np.sum(weight * survival_probability(length, lam), axis=1))
