"""Decay of X in an event sample: channel by branching ratio, decay vertex, two-body products.

Visible two-body channels ("mu mu", "e e", "tau tau", "gamma gamma") decay isotropically in
the X rest frame (spin-averaged: X is produced unpolarised in this treatment, an approximation
for a vector) and are boosted to the lab. Invisible channels (neutrinos, dark matter) leave X
as an invisible final-state particle (status 1). The decay point is drawn from the exponential
law with the lab decay length (p/m) c tau of the model at the given coupling. Taus are left
undecayed (status 1) for the detector simulation's decayer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from darkreach.array_types import FloatArray
from darkreach.constants import m_e, m_mu, m_tau
from darkreach.events.kinematics import two_body_decay

__all__ = ["CHANNELS", "C_MM_PER_NS", "DecayResult", "decay_x"]

#: speed of light [mm/ns]
C_MM_PER_NS = 299.792458
#: visible two-body channels: name -> (pdg 1, pdg 2, daughter mass [MeV])
CHANNELS: dict[str, tuple[int, int, float]] = {
    "mu mu": (13, -13, m_mu),
    "e e": (11, -11, m_e),
    "tau tau": (15, -15, m_tau),
    "gamma gamma": (22, 22, 0.0),
}


@dataclass
class DecayResult:
    """Per event: decayed?, daughter pdgs and four-momenta, decay vertex (x, y, z, t)."""

    decayed: NDArray[np.bool_]
    pdg1: NDArray[np.int64]
    pdg2: NDArray[np.int64]
    p1: FloatArray
    p2: FloatArray
    vertex: FloatArray
    branching: dict[str, float]


def decay_x(
    rng: np.random.Generator,
    model: Any,
    mass: float,
    coupling: float | None,
    p_x: FloatArray,
    origin: FloatArray,
) -> DecayResult:
    """Decay X (four-momenta ``p_x`` (n, 4), produced at ``origin`` (n, 4) = x, y, z, t).

    Without a coupling the lifetime is unknown: X is left undecayed (``decayed`` all False).
    """
    n = p_x.shape[0]
    decayed = np.zeros(n, dtype=bool)
    pdg1 = np.zeros(n, dtype=np.int64)
    pdg2 = np.zeros(n, dtype=np.int64)
    p1 = np.zeros((n, 4))
    p2 = np.zeros((n, 4))
    vertex = np.array(origin, dtype=float, copy=True)
    if coupling is None or coupling <= 0.0:
        return DecayResult(decayed, pdg1, pdg2, p1, p2, vertex, {})
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. hadronic widths not implemented (stated in docs)
        ratios = {
            k: float(np.nan_to_num(np.asarray(v, dtype=float)))
            for k, v in model.branching_ratios(mass, coupling).items()
        }
    names = list(ratios)
    probs = np.array([max(ratios[k], 0.0) for k in names])
    if probs.sum() <= 0.0:
        return DecayResult(decayed, pdg1, pdg2, p1, p2, vertex, ratios)
    choice = rng.choice(len(names), size=n, p=probs / probs.sum())
    momentum = np.sqrt(np.sum(p_x[:, :3] ** 2, axis=-1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        length = np.asarray(model.decay_length(mass, coupling, momentum), dtype=float)
    distance = rng.exponential(1.0, n) * np.where(np.isfinite(length), length, 0.0)
    direction = p_x[:, :3] / momentum[:, None]
    beta = momentum / p_x[:, 3]
    for k, name in enumerate(names):
        if name not in CHANNELS:
            continue  # invisible or not modelled as products: X stays a final-state particle
        sel = choice == k
        if not np.any(sel):
            continue
        a, b, md = CHANNELS[name]
        d1, d2 = two_body_decay(rng, p_x[sel], mass, md, md)
        decayed[sel] = True
        pdg1[sel], pdg2[sel] = a, b
        p1[sel], p2[sel] = d1, d2
    move = decayed & (distance > 0.0)
    vertex[move, :3] += distance[move, None] * direction[move]
    vertex[move, 3] += distance[move] / (beta[move] * C_MM_PER_NS)
    return DecayResult(decayed, pdg1, pdg2, p1, p2, vertex, ratios)
