"""Event sampler for p N -> X (+ anything) in a proton dump, X -> l+ l- in the decay volume.

The events are what a ``beam-dump`` card counts (:mod:`darkreach.experiments.dump`,
handbook electron_and_dump.md B.3/B.4, docs/dump.md "Event samples"), at one mass and one
coupling:

1. **Pool of X.** For each production mechanism of the card (pi0, eta, eta' -> gamma X;
   omega -> pi0 X; phi -> eta X; proton bremsstrahlung) a pool of X is drawn with the card's
   own production code (:func:`~darkreach.experiments.dump.simulation.produce_with_parents`:
   the card's meson spectra, isotropic parent decays, generation cuts), each with its weight
   w_i (X per POT per unit production strength). The pool is max(n, 100 000) X per
   mechanism, capped at 250 000: a larger sample reuses each X about n/250 000 times, with a
   fresh decay point and lepton directions each time (speed: 1e6 events in seconds).
2. **Candidate rate.** Per candidate and visible channel c: q_i = S_mech g^2 w_i BR_c P_i,
   with S_mech the card's :meth:`BeamDump.production_strength`, BR_c the model's branching
   ratio and P_i = exp(-L1/lambda_z) - exp(-L2/lambda_z) the exact probability to decay
   inside the fiducial volume, lambda_z = (p_z/m) c tau (the decay length projected on z).
3. **Events.** Candidates are drawn with probability q_i / sum q (so mechanisms and channels
   enter in proportion to their rate), the decay z from the exponential truncated to the
   volume (exact inverse CDF, not the card's nodes), the rest-frame lepton direction
   isotropically; the two leptons are propagated through the channel's planes
   (:func:`~darkreach.experiments.dump.geometry.tracks_accepted`: STRAW 1 and 4, CHOD, LKr,
   MUV3 for muons) and the event is **kept only if both are accepted; rejected draws are
   resampled** (fresh candidate, z and direction) until n events are kept. Unweighted: all
   weights equal the accepted rate. ``weighted=True`` draws candidates uniformly from the
   pool instead and gives each kept event the weight q_i, scaled so that the weights' mean
   is the same rate R.
4. **Rate.** The accepted rate per POT, R = sum_i q_i a_i, with a_i the acceptance of one
   independent (z, direction) draw per pool candidate; its Monte Carlo error is
   sqrt(sum (q_i a_i)^2) (metadata ``yield_relative_error``). R x POT is the card's
   :meth:`BeamDump.signal_yield` divided by the channel's selection efficiency (the
   efficiency is **not** applied to the events: a detector simulation applies its own).

Each event: the incoming proton (status 4, beam energy along z) at the beam spot on the dump;
for a meson mechanism the parent meson (status 2) and its recoil photon or meson (status 1),
both made and decayed at the beam spot (prompt decays); X (status 2) made there; the two
leptons (status 1, l- then l+) at the X decay vertex. Vertices: beam spot (x, y, z_dump) at
t = 0; the decay vertex on X's straight line at the drawn z, t = flight/(beta c). The
"anything" of p N -> X + anything (the rest of the proton-nucleus collision) is not in the
event: four-momentum is conserved in the decays only. Approximations are those of the card
(no beam divergence or spot size, thin-lens magnet kick, X unpolarised: isotropic decay).
Units: MeV, mm, ns.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.constants import hbarc, m_proton
from darkreach.errors import InvalidParameterError
from darkreach.events.decay import C_MM_PER_NS, CHANNELS
from darkreach.events.kinematics import isotropic
from darkreach.events.mu_brem import X_PDG
from darkreach.events.sample import EventSample, from_slots
from darkreach.experiments.dump.geometry import tracks_accepted
from darkreach.experiments.dump.simulation import (
    _PDG,
    MECHANISMS,
    _stream,
    decay_along,
    produce_with_parents,
)
from darkreach.physics.decay import decay_in_volume_probability

__all__ = ["POOL_MAX", "POOL_MIN", "sample_dump", "truncated_exponential"]

#: X per mechanism in the candidate pool: max(n, POOL_MIN), at most POOL_MAX
POOL_MIN = 100_000
POOL_MAX = 250_000
#: resampling stops (one-line error) after this many tries per requested event
MAX_TRIES_PER_EVENT = 1000
_CHUNK = 200_000


@dataclasses.dataclass
class _Pool:
    """Candidates of all mechanisms and channels (one row each)."""

    x: FloatArray  # (N, 4) X four-vectors [MeV]
    mother: FloatArray  # (N, 4) parent meson (zeros for brem)
    recoil: FloatArray  # (N, 4)
    mother_pdg: NDArray[np.int64]  # 0 for brem
    recoil_pdg: NDArray[np.int64]
    channel: NDArray[np.int64]  # index into the card's final states
    mechanism: NDArray[np.int64]  # index into the card's mechanisms
    rate: FloatArray  # q_i: accepted-before-acceptance rate per POT
    decay_length_z: FloatArray  # lambda_z [mm]


def truncated_exponential(
    rng: np.random.Generator, decay_length: FloatArray, z_start: float, z_end: float, z0: float
) -> FloatArray:
    """Decay z [mm] from exp(-(z - z0)/lambda) truncated to [z_start, z_end] (exact inverse
    CDF, stable for lambda much shorter or much longer than the volume)."""
    lam = np.asarray(decay_length, dtype=np.float64)
    length = z_end - z_start
    u = rng.uniform(0.0, 1.0, lam.size)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        span = -np.expm1(-length / lam)  # 1 - exp(-L/lambda)
        d = -lam * np.log1p(-u * span)
    del z0  # the truncated law does not depend on where the exponential starts
    return np.asarray(np.clip(z_start + d, z_start, z_end))


def _pool(
    experiment: Any, model: Any, mass: float, coupling: float, size: int, seed: int
) -> tuple[_Pool, dict[str, float]]:
    """The candidate pool and each channel's branching ratio."""
    import warnings

    geometry = experiment.geometry
    settings = dataclasses.replace(experiment.settings, samples=size)
    mechanisms = list(experiment.card.production.mechanisms)
    strengths = experiment.production_strength(model, np.array([mass]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gamma = float(np.asarray(model.total_width(mass, coupling)))
        ratios = {
            k: float(np.nan_to_num(np.asarray(v, dtype=float)))
            for k, v in model.branching_ratios(mass, coupling).items()
        }
    ctau = hbarc / gamma if gamma > 0.0 else math.inf
    parts: list[_Pool] = []
    for j, mechanism in enumerate(mechanisms):
        strength = float(strengths[mechanism][0]) * coupling * coupling
        if strength <= 0.0:
            continue
        produced = produce_with_parents(
            mechanism, mass, settings, _stream(seed, "events " + mechanism)
        )
        if produced is None:
            continue
        x, w, _, mother, recoil = produced
        n = x.shape[0]
        lam = x[:, 2] / mass * ctau
        prob = decay_in_volume_probability(
            geometry.distance_to_start, geometry.distance_to_end, lam
        )
        spec = MECHANISMS[mechanism]
        for c, state in enumerate(experiment.final_states):
            br = ratios.get(state.channel, 0.0)
            if br <= 0.0 or mass <= 2.0 * state.daughter_mass:
                continue
            parts.append(
                _Pool(
                    x=x,
                    mother=np.zeros((n, 4)) if mother is None else mother,
                    recoil=np.zeros((n, 4)) if recoil is None else recoil,
                    mother_pdg=np.full(n, 0 if spec is None else _PDG[spec[0]], dtype=np.int64),
                    recoil_pdg=np.full(n, 0 if spec is None else _PDG[spec[1]], dtype=np.int64),
                    channel=np.full(n, c, dtype=np.int64),
                    mechanism=np.full(n, j, dtype=np.int64),
                    rate=strength * w * br * prob,
                    decay_length_z=lam,
                )
            )
    if not parts:
        empty = np.zeros(0)
        return _Pool(
            np.zeros((0, 4)), np.zeros((0, 4)), np.zeros((0, 4)), empty.astype(np.int64),
            empty.astype(np.int64), empty.astype(np.int64), empty.astype(np.int64), empty,
            empty,
        ), ratios  # fmt: skip
    joined = _Pool(
        **{
            f.name: np.concatenate([getattr(p, f.name) for p in parts])
            for f in dataclasses.fields(_Pool)
        }
    )
    return joined, ratios


def _try(
    experiment: Any, pool: _Pool, index: NDArray[np.int64], mass: float, rng: np.random.Generator
) -> tuple[NDArray[np.bool_], FloatArray, FloatArray, FloatArray]:
    """Decay candidates ``index``: (accepted, decay vertex (n, 3), l+ (n, 4), l- (n, 4))."""
    geometry = experiment.geometry
    x = pool.x[index]
    z = truncated_exponential(
        rng, pool.decay_length_z[index], geometry.z_start, geometry.z_end, geometry.z_dump
    )
    direction = isotropic(rng, index.size)
    flight = z - geometry.z_dump
    vertex = np.empty((index.size, 3))
    vertex[:, 0] = geometry.beam_x + x[:, 0] / x[:, 2] * flight
    vertex[:, 1] = geometry.beam_y + x[:, 1] / x[:, 2] * flight
    vertex[:, 2] = z
    accepted = np.zeros(index.size, dtype=bool)
    plus = np.zeros((index.size, 4))
    minus = np.zeros((index.size, 4))
    channels = pool.channel[index]
    for c, state in enumerate(experiment.final_states):
        sel = channels == c
        if not sel.any():
            continue
        p, m = decay_along(x[sel], mass, state.daughter_mass, direction[sel])
        plus[sel], minus[sel] = p, m
        accepted[sel] = tracks_accepted(
            vertex[sel], p[:, :3], 1.0, state.planes, geometry
        ) & tracks_accepted(vertex[sel], m[:, :3], -1.0, state.planes, geometry)
    return accepted, vertex, plus, minus


def sample_dump(
    experiment: Any,
    model: Any,
    mass: float,
    n: int,
    rng: np.random.Generator,
    coupling: float | None,
    weighted: bool = False,
) -> EventSample:
    """``n`` signal events of a ``beam-dump`` card at ``mass`` [MeV] and ``coupling``.

    Weights: accepted X -> l+ l- decays per proton on target (before the selection
    efficiency); their mean is ``metadata["yield_per_particle_on_target"]``. Raises
    :class:`InvalidParameterError` for a mass outside the card's range, a missing coupling,
    or a coupling at which nothing decays in the volume with accepted tracks.
    """
    if not (isinstance(n, (int, np.integer)) and n > 0):
        raise InvalidParameterError("n", n, "an integer number of events > 0")
    experiment.require_model(model)
    low, high = experiment.mass_range()
    if not low < mass < high:
        raise InvalidParameterError(
            "mass", f"{mass:g} MeV", f"{low:.4g} < m < {high:.4g} MeV for card {experiment.name}"
        )
    if coupling is None or not (math.isfinite(coupling) and coupling > 0.0):
        raise InvalidParameterError(
            "coupling", coupling, f"> 0 (the lifetime fixes the decays) for card {experiment.name}"
        )
    size = min(max(int(n), POOL_MIN), POOL_MAX)
    seed = int(rng.integers(0, 2**31 - 1))
    pool, ratios = _pool(experiment, model, mass, coupling, size, seed)
    total = float(pool.rate.sum())
    if not total > 0.0:
        raise InvalidParameterError(
            "coupling",
            f"{coupling:g}",
            f"a coupling at which X of {mass:g} MeV reaches the decay volume of card "
            f"{experiment.name} (none decays inside at this coupling)",
        )
    # the rate: one independent decay per pool candidate
    accepted_rate = np.zeros(pool.rate.size)
    for start in range(0, pool.rate.size, _CHUNK):
        index = np.arange(start, min(start + _CHUNK, pool.rate.size))
        live = index[pool.rate[index] > 0.0]
        ok, *_ = _try(experiment, pool, live, mass, rng)
        accepted_rate[live] = pool.rate[live] * ok
    rate = float(accepted_rate.sum())
    if not rate > 0.0:
        raise InvalidParameterError(
            "coupling",
            f"{coupling:g}",
            f"a coupling with accepted X -> l l decays in card {experiment.name} at "
            f"{mass:g} MeV (none of {pool.rate.size} candidates accepted)",
        )
    error = float(np.sqrt(np.sum(accepted_rate**2))) / rate
    # events: draw candidates, resample until accepted
    live_index = np.flatnonzero(pool.rate > 0.0)
    cdf = np.cumsum(pool.rate[live_index])
    kept_idx: list[NDArray[np.int64]] = []
    kept_vtx: list[FloatArray] = []
    kept_plus: list[FloatArray] = []
    kept_minus: list[FloatArray] = []
    kept = tried = 0
    # accepted fraction of draws by q: rate/total (draws uniform in the pool: estimate 1/2)
    fraction = 0.5 if weighted else rate / total
    batch = int(min(max(1024, 1.05 * n / fraction), 4_000_000))
    while kept < n:
        if tried > MAX_TRIES_PER_EVENT * n + 1_000_000:
            raise InvalidParameterError(
                "coupling", f"{coupling:g}", "a coupling with a measurable accepted rate"
            )
        if weighted:
            pick = live_index[rng.integers(0, live_index.size, batch)]
        else:
            pick = live_index[
                np.minimum(np.searchsorted(cdf, rng.uniform(0.0, cdf[-1], batch)), cdf.size - 1)
            ]
        ok, vtx, plus, minus = _try(experiment, pool, pick, mass, rng)
        tried += batch
        take = np.flatnonzero(ok)[: n - kept]
        kept_idx.append(pick[take])
        kept_vtx.append(vtx[take])
        kept_plus.append(plus[take])
        kept_minus.append(minus[take])
        kept += take.size
        if take.size < batch:  # estimate what is still missing
            frac = max(int(np.count_nonzero(ok)), 1) / batch
            batch = int(min(max(1024, 1.2 * (n - kept) / frac), 4_000_000))
    index = np.concatenate(kept_idx)
    vertex = np.concatenate(kept_vtx)
    plus = np.concatenate(kept_plus)
    minus = np.concatenate(kept_minus)
    if weighted:
        # kept events follow the acceptance only: weight q_i, scaled to the mean R
        weights = pool.rate[index] * (rate / float(pool.rate[index].mean()))
    else:
        weights = np.full(n, rate)
    sample = _assemble(experiment, pool, index, vertex, plus, minus, model, weights)
    mechanisms = list(experiment.card.production.mechanisms)
    by_mechanism = {
        mech: float(accepted_rate[pool.mechanism == j].sum()) for j, mech in enumerate(mechanisms)
    }
    sample.metadata.update(
        {
            "generator": "darkreach",
            "darkreach_version": __version__,
            "process": "p N -> X (+ anything), X -> l+ l- in the decay volume, both accepted",
            "channel": "signal",
            "model": model.name,
            "spin": model.spin,
            "x_pdg": X_PDG.get(model.spin, 32),
            "card": experiment.name,
            "mass_MeV": mass,
            "coupling": coupling,
            "cross_section_pb": None,
            "yield_per_particle_on_target": rate,
            "yield_relative_error": error,
            "yield_definition": (
                "accepted X -> l+ l- decays per proton on target (decay in the fiducial volume, "
                "both tracks in the card's planes), BEFORE the selection efficiency; x pot = the "
                "card's signal yield / efficiency"
            ),
            "pot": experiment.pot,
            "signal_events_before_efficiency": rate * experiment.pot,
            "yield_by_mechanism_per_pot": by_mechanism,
            "weight_unit": "accepted decays per proton on target (mean weight = "
            "yield_per_particle_on_target)",
            "weighted": weighted,
            "n_events": n,
            "pool_per_mechanism": size,
            "acceptance": "resampled until both leptons are accepted",
            "acceptance_fraction_of_tries": kept / tried,
            "branching_ratios": ratios,
            "beam_energy_MeV": experiment.settings.beam_energy,
            "approximations": [
                "the card's production: meson spectra "
                f"{experiment.settings.meson_source}, isotropic parent decays, "
                "Bluemlein-Brunner proton bremsstrahlung; generation cuts p_X > 5 GeV, "
                "theta_X < 50 mrad",
                "parent mesons decay promptly at the beam spot; the rest of the p N collision "
                "is not in the event",
                "X flies straight from the beam spot (no spot size, no divergence); decay z "
                "exact truncated exponential; X unpolarised (isotropic l+ l-)",
                "tracks: straight lines with a thin-lens magnet kick; no multiple scattering, "
                "no selection efficiency",
            ],
        }
    )
    return sample


def _assemble(
    experiment: Any,
    pool: _Pool,
    index: NDArray[np.int64],
    vertex: FloatArray,
    plus: FloatArray,
    minus: FloatArray,
    model: Any,
    weights: FloatArray,
) -> EventSample:
    """One row per particle: proton, [meson, recoil], X, l-, l+ (see the module doc)."""
    geometry = experiment.geometry
    n = index.size
    x = pool.x[index]
    meson = pool.mother_pdg[index] != 0
    e_beam = experiment.settings.beam_energy
    proton = np.zeros((n, 4))
    proton[:, 2] = math.sqrt(max(e_beam * e_beam - m_proton * m_proton, 0.0))
    proton[:, 3] = e_beam
    p_x = np.sqrt(np.sum(x[:, :3] ** 2, axis=1))
    flight = np.sqrt(np.sum((vertex - [geometry.beam_x, geometry.beam_y, geometry.z_dump]) ** 2, 1))
    t_decay = flight / (p_x / x[:, 3] * C_MM_PER_NS)
    channels = [experiment.final_states[c].channel for c in pool.channel[index]]
    minus_pdg = np.array([CHANNELS[c][0] for c in channels], dtype=np.int64)
    four = [proton, pool.mother[index], pool.recoil[index], x, minus, plus]
    slots: dict[str, list[Any]] = {
        name: [p[:, i] for p in four] for i, name in enumerate(("px", "py", "pz", "E"))
    }
    spot = (geometry.beam_x, geometry.beam_y, geometry.z_dump, 0.0)
    decay_point = (vertex[:, 0], vertex[:, 1], vertex[:, 2], t_decay)
    for i, name in enumerate(("x", "y", "z", "t")):
        slots[name] = [spot[i]] * 4 + [decay_point[i]] * 2
    slots["pdg"] = [
        2212,
        pool.mother_pdg[index],
        pool.recoil_pdg[index],
        X_PDG.get(model.spin, 32),
        minus_pdg,
        -minus_pdg,
    ]
    slots["status"] = [4, 2, 1, 2, 1, 1]
    x_vertex = np.where(meson, 1, 0)
    slots["production_vertex"] = [-1, 0, 1, x_vertex, x_vertex + 1, x_vertex + 1]
    slots["end_vertex"] = [0, 1, -1, x_vertex + 1, -1, -1]
    present = np.ones((n, 6), dtype=bool)
    present[:, 1] = meson
    present[:, 2] = meson
    return from_slots(slots, present, weights, {})
