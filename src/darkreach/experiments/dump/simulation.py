"""Seeded, vectorised Monte Carlo of X production in the dump, decay and track acceptance.

For one X mass and one production mechanism (handbook electron_and_dump.md B.3/B.4):

1. parents are drawn from the mechanism's lab spectrum per proton on target: neutral mesons
   from :mod:`darkreach.production.meson_spectra`, decaying P -> gamma X or V -> P X
   isotropically in their rest frame; or X directly from proton bremsstrahlung
   (:mod:`darkreach.production.proton_brem`);
2. X flies in a straight line from the beam spot on the dump; at K decay positions ``z_k``
   spanning the decay volume, its two daughters (one isotropic rest-frame direction per X,
   shared by the K positions) are propagated through the card's detector planes
   (:mod:`.geometry`);
3. the accepted weight is accumulated per X momentum bin and node: ``W[b, k] = sum_i w_i
   A_ik`` (mesons or X per POT, per unit production branching ratio or coupling^2).

A model then turns ``W`` into events analytically in the decay length
(:mod:`.decay_integral`), so one table serves every coupling and every model that shares the
kinematics (vector bosons decaying to a lepton pair). The table is deterministic: its random
stream is seeded by the card seed and the mechanism, so one mass gives the same
table whatever grid it belongs to. The decay length along z is taken as the decay length
along the flight path (X angles are a few mrad: cos theta - 1 < 1e-4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from particle import Particle

from darkreach.array_types import FloatArray
from darkreach.events.kinematics import (
    boost_to_lab,
    isotropic,
    momentum_in_rest_frame,
    polar_vectors,
    two_body_decay,
)
from darkreach.experiments.dump.geometry import DetectorPlane, DumpGeometry, tracks_accepted

__all__ = [
    "MECHANISMS",
    "AcceptanceTable",
    "FinalState",
    "SimulationSettings",
    "simulate_mass",
]

#: production mechanism -> (parent meson, recoil particle, meson_decays channel name);
#: ``proton-brem`` has no parent
MECHANISMS: dict[str, tuple[str, str, str] | None] = {
    "pi0": ("pi0", "gamma", "pi0->gamma X"),
    "eta": ("eta", "gamma", "eta->gamma X"),
    "eta'": ("eta'", "gamma", "eta'->gamma X"),
    "omega": ("omega", "pi0", "omega->pi0 X"),
    "phi": ("phi", "eta", "phi->eta X"),
    "proton-brem": None,
}

_PDG = {"pi0": 111, "eta": 221, "eta'": 331, "omega": 223, "phi": 333, "gamma": 22}


def particle_mass(name: str) -> float:
    """PDG mass [MeV] of a meson (or 0 for the photon) from ``particle``."""
    if name == "gamma":
        return 0.0
    mass = Particle.from_pdgid(_PDG[name]).mass
    assert mass is not None
    return float(mass)


@dataclass(frozen=True)
class FinalState:
    """A visible decay channel: model channel name (``"mu mu"``), daughter mass, planes."""

    channel: str
    daughter_mass: float
    planes: tuple[DetectorPlane, ...]


@dataclass(frozen=True)
class SimulationSettings:
    """Monte Carlo settings of a card (all have card defaults)."""

    samples: int = 10_000
    seed: int = 20210
    decay_nodes: int = 7
    momentum_bins: int = 300
    momentum_range: tuple[float, float] = (500.0, 400_000.0)  # MeV
    max_parent_angle: float = 0.1  # rad
    #: generation cuts: X outside them is never accepted (measured loss < 0.5 %, tests)
    min_x_momentum: float = 5_000.0  # MeV
    max_x_angle: float = 0.05  # rad
    meson_source: str = "pythia8"
    brem_z_range: tuple[float, float] = (0.1, 0.9)
    brem_pt_max: float = 1000.0  # MeV
    beam_energy: float = 400_000.0  # MeV


@dataclass(frozen=True)
class AcceptanceTable:
    """Accepted X weight per momentum bin and decay node, for one mass.

    ``weights[(mechanism, channel)]`` has shape (bins, nodes): X per POT per unit production
    strength (branching ratio of the parent decay per unit coupling^2, or eps_p^2 for proton
    bremsstrahlung) times the two-track acceptance at ``z_nodes``. ``moments`` hold the sum
    and sum of squares of the per-X long-lifetime values (weight x node-averaged acceptance):
    their ratio gives the Monte Carlo error of the lower coupling edge.
    """

    mass: float
    z_nodes: FloatArray
    momentum: FloatArray
    weights: Mapping[tuple[str, str], FloatArray]
    moments: Mapping[tuple[str, str], tuple[float, float]] = field(default_factory=dict)


def _stream(seed: int, tag: str) -> np.random.Generator:
    """A random stream fixed by the card seed and a tag (mechanism, final state).

    The mass is deliberately not part of the seed: every mass sees the same parent mesons and
    the same rest-frame decay angles (common random numbers), so the Monte Carlo noise is
    correlated from mass to mass and the contour is smooth; one mass still gives the same
    table whatever grid it belongs to.
    """
    code = sum(ord(c) * 131**i for i, c in enumerate(tag)) % (2**32)
    return np.random.default_rng([seed, code])


def _produce(
    mechanism: str, mass: float, settings: SimulationSettings, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    """X four-vectors (n, 4) [MeV], weights per POT per unit strength and one isotropic unit
    vector per X (its daughters' rest-frame direction, shape (n, 3)); None if closed.

    The rest-frame direction is drawn with the parent, before any cut, so that every mass
    sees the same random numbers for the same parent (common random numbers).
    """
    produced = produce_with_parents(mechanism, mass, settings, rng)
    return None if produced is None else produced[:3]


def produce_with_parents(
    mechanism: str, mass: float, settings: SimulationSettings, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None, FloatArray | None] | None:
    """As :func:`_produce` (same random numbers), plus the parent meson and its recoil
    four-vectors (n, 4) [MeV] (None for proton bremsstrahlung): used by the event samples."""
    spec = MECHANISMS[mechanism]
    n = settings.samples
    if spec is None:
        from darkreach.production.proton_brem import sample_proton_brem

        if mass >= settings.beam_energy:
            return None
        p, theta, weight = sample_proton_brem(
            mass,
            n,
            rng,
            beam_energy=settings.beam_energy,
            z_range=settings.brem_z_range,
            pt_max=settings.brem_pt_max,
            form_factor="none",  # a model-dependent form factor multiplies the strength
        )
        phi = rng.uniform(0.0, 2.0 * math.pi, p.size)
        direction = isotropic(rng, p.size)
        x = polar_vectors(p, theta, phi, mass)
        keep = _passes_generation_cuts(x, settings)
        return x[keep], np.asarray(weight, dtype=np.float64)[keep], direction[keep], None, None
    parent, recoil, _ = spec
    m_parent = particle_mass(parent)
    m_recoil = particle_mass(recoil)
    if mass + m_recoil >= m_parent:
        return None
    from darkreach.production.meson_spectra import load_spectrum, sample_mesons

    spectrum = load_spectrum(parent, settings.meson_source)
    kept_x: list[FloatArray] = []
    kept_w: list[FloatArray] = []
    kept_d: list[FloatArray] = []
    kept_m: list[FloatArray] = []
    kept_r: list[FloatArray] = []
    drawn = kept = 0
    # draw batches until n X pass the generation cuts (or 64 n parents were drawn)
    while kept < n and drawn < 64 * n:
        p, theta, weight = sample_mesons(spectrum, n, rng, max_angle=settings.max_parent_angle)
        phi = rng.uniform(0.0, 2.0 * math.pi, p.size)
        mother = polar_vectors(p, theta, phi, m_parent)
        x, other = two_body_decay(rng, mother, m_parent, mass, m_recoil)
        direction = isotropic(rng, p.size)
        keep = _passes_generation_cuts(x, settings)
        kept_x.append(x[keep])
        kept_d.append(direction[keep])
        kept_m.append(mother[keep])
        kept_r.append(other[keep])
        kept_w.append(np.asarray(weight, dtype=np.float64)[keep] * n)  # weight x batch size
        drawn += n
        kept += int(np.count_nonzero(keep))
    # each kept X carries (mesons per POT within max_angle) / (all parents drawn)
    return (
        np.concatenate(kept_x),
        np.concatenate(kept_w) / drawn,
        np.concatenate(kept_d),
        np.concatenate(kept_m),
        np.concatenate(kept_r),
    )


def _passes_generation_cuts(x: FloatArray, settings: SimulationSettings) -> NDArray[np.bool_]:
    """X forward within ``max_x_angle`` and above ``min_x_momentum`` (tracked further)."""
    p = np.sqrt(np.sum(x[:, :3] ** 2, axis=1))
    forward = x[:, 2] > 0.0
    cos_max = math.cos(settings.max_x_angle)
    passed: NDArray[np.bool_] = forward & (p >= settings.min_x_momentum) & (x[:, 2] >= cos_max * p)
    return passed


def decay_along(
    x: FloatArray, mass: float, daughter_mass: float, direction: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """X (n, 4) -> two daughters of equal mass, the first along ``direction`` (n, 3) in the X
    rest frame; both boosted to the lab [MeV]."""
    pstar = float(momentum_in_rest_frame(mass, daughter_mass, daughter_mass))
    energy = math.sqrt(pstar * pstar + daughter_mass * daughter_mass)
    first = np.empty((x.shape[0], 4))
    first[:, :3] = pstar * direction
    first[:, 3] = energy
    second = first.copy()
    second[:, :3] = -first[:, :3]
    return boost_to_lab(first, x, mass), boost_to_lab(second, x, mass)


def momentum_edges(settings: SimulationSettings) -> FloatArray:
    """Log-spaced X momentum bin edges [MeV]."""
    return np.geomspace(*settings.momentum_range, settings.momentum_bins + 1)


def simulate_mass(
    mass: float,
    geometry: DumpGeometry,
    final_states: Sequence[FinalState],
    mechanisms: Sequence[str],
    settings: SimulationSettings,
) -> AcceptanceTable:
    """The acceptance table of one X mass [MeV] for the given mechanisms and final states."""
    z_nodes = np.linspace(geometry.z_start, geometry.z_end, settings.decay_nodes)
    edges = momentum_edges(settings)
    centres = np.sqrt(edges[:-1] * edges[1:])
    bins = settings.momentum_bins
    weights: dict[tuple[str, str], FloatArray] = {}
    moments: dict[tuple[str, str], tuple[float, float]] = {}
    for mechanism in mechanisms:
        rng = _stream(settings.seed, mechanism)
        produced = _produce(mechanism, mass, settings, rng)
        for state in final_states:
            key = (mechanism, state.channel)
            weights[key] = np.zeros((bins, settings.decay_nodes))
            moments[key] = (0.0, 0.0)
        if produced is None:
            continue
        x, w, direction = produced
        pz = x[:, 2]
        forward = pz > 0.0
        x, w = x[forward], w[forward]
        p = np.sqrt(np.sum(x[:, :3] ** 2, axis=1))
        tx = x[:, 0] / x[:, 2]
        ty = x[:, 1] / x[:, 2]
        flight = z_nodes - geometry.z_dump  # (K,)
        vertex = np.empty((x.shape[0], z_nodes.size, 3))
        vertex[..., 0] = geometry.beam_x + tx[:, None] * flight
        vertex[..., 1] = geometry.beam_y + ty[:, None] * flight
        vertex[..., 2] = z_nodes
        index = np.clip(np.searchsorted(edges, p) - 1, 0, bins - 1)
        for state in final_states:
            key = (mechanism, state.channel)
            if mass <= 2.0 * state.daughter_mass:
                continue
            plus, minus = decay_along(x, mass, state.daughter_mass, direction)
            accepted = tracks_accepted(
                vertex, plus[:, None, :3], 1.0, state.planes, geometry
            ) & tracks_accepted(vertex, minus[:, None, :3], -1.0, state.planes, geometry)
            weighted = accepted * w[:, None]
            table = np.empty((bins, settings.decay_nodes))
            for k in range(settings.decay_nodes):
                table[:, k] = np.bincount(index, weights=weighted[:, k], minlength=bins)
            weights[key] = table
            per_x = np.mean(weighted, axis=1)
            moments[key] = (float(per_x.sum()), float(np.sum(per_x * per_x)))
    return AcceptanceTable(
        mass=mass, z_nodes=z_nodes, momentum=centres, weights=weights, moments=moments
    )
