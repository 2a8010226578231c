"""Event sampler for e N -> e N A' in the shower of a missing-energy card (NA64e), and e+ e- -> A'.

The rates are those of the yield (:meth:`MissingEnergy.unit_yield`, electron_and_dump.md
A.1-A.3), event by event:

1. **Channel.** Resonant annihilation with probability f_ann = Y_ann/(Y_brem + Y_ann), the
   annihilation fraction of the yield per particle on target (0 unless the card's
   ``production.annihilation`` is on and E_res = (m^2 - 2 m_e^2)/(2 m_e) lies in
   (E0 - E_cut, E0)); bremsstrahlung otherwise.
2. **Emitter (bremsstrahlung).** Target element e, track-length energy bin j and radiating
   species (e- or e+) are drawn with probability proportional to n_e T_s(E_j)
   sigma_e(E_j, x > (E0 - E_cut)/E_j), the terms the yield sums
   (:meth:`MissingEnergy.brem_sigmas`, :class:`~darkreach.production.shower.TrackLengths`):
   T = primary + secondary for the beam species, secondary for the other. The emitter
   energy is the bin's representative energy E_j (centre in v = ln(E0/E)), as in the yield.
   The incoming particle of the event is that shower particle, not the beam particle.
3. **x** from :func:`~darkreach.production.electron_brem.dsigma_dx` (the card's
   approximation; the function whose integral the yield uses) above the x cut, by inverse CDF
   on 2048 nodes in eta (as :mod:`darkreach.events.mu_brem`).
4. **Angle of A'.** electron_brem has no angular distribution for IWW(-K), so the small-angle
   WW form d sigma/d theta^2 ~ 1/(theta^2 + theta_c^2)^2 is used (the 1/u^2 propagator of the
   Weizsaecker-Williams amplitude), theta_c^2 = (m_e^2 + m^2 (1 - x)/x^2)/E0^2, i.e.
   theta ~ max(m/E0 sqrt(1-x)/x, m_e/E0), truncated at theta_max = 0.3 rad; azimuth uniform.
   This is a stated approximation, not the exact WW theta integrand.
5. **Final state.** E_A' = x E0 along (theta, phi); the recoil electron (positron) balances
   the A' transverse momentum at azimuth phi + pi; **the nuclear transverse kick is
   neglected** (as in the muon sampler); the nucleus (M_A = A x 931.494 MeV) takes the
   remaining four-momentum on shell (:func:`~darkreach.events.mu_brem.recoil_final_state`),
   so every event conserves four-momentum.
6. **Annihilation.** A positron of energy E_res on an atomic electron at rest makes A' of
   mass m along the beam with energy E_res + m_e (narrow width).
7. **Decay of A'** (:mod:`darkreach.events.decay`) when a coupling is given: invisible for
   dark-photon-dm (A' stays a final-state particle), visible two-body otherwise.

The shower model is binned in energy only: the depth of the emission is not sampled, so every
vertex is at the target front on the axis (x = y = z = 0, t = 0); decay vertices are displaced
from there. Weights have mean = the yield per particle on target (A' per EOT before the
efficiency and the decay/escape probability), per unit coupling squared without a coupling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.constants import m_e
from darkreach.errors import InvalidParameterError
from darkreach.events.decay import decay_x
from darkreach.events.inverse_cdf import cumulative, sample_1d
from darkreach.events.kinematics import polar_vectors
from darkreach.events.mu_brem import AMU, X_PDG, _x_of_eta, recoil_final_state, x_eta_grid
from darkreach.events.sample import EventSample, from_slots

__all__ = ["THETA_MAX", "ElectronGroup", "electron_groups", "sample_electron", "theta_c"]

#: upper end of the sampled A' angle [rad] (electron_brem.THETA_MAX)
THETA_MAX = 0.3


@dataclass
class ElectronGroup:
    """x table of one (element, energy bin): d sigma/d eta on an eta grid above the x cut."""

    Z: int
    A: float
    energy: float
    x_cut: float
    eta: FloatArray
    density: FloatArray
    g_min: float


def theta_c(x: FloatArray, e0: FloatArray, m: float) -> FloatArray:
    """Characteristic A' angle theta_c = sqrt(m_e^2 + m^2 (1 - x)/x^2)/E0 [rad]."""
    return np.asarray(np.sqrt(m_e * m_e + (1.0 - x) * m * m / (x * x)) / e0)


def sample_theta(x: FloatArray, e0: FloatArray, m: float, u: FloatArray) -> FloatArray:
    """Inverse CDF of d sigma/d theta^2 ~ 1/(theta^2 + theta_c^2)^2 on [0, THETA_MAX]."""
    c = theta_c(x, e0, m) ** 2
    top = 1.0 / c - 1.0 / (THETA_MAX**2 + c)
    w = 1.0 / (1.0 / c - u * top) - c
    return np.asarray(np.sqrt(np.clip(w, 0.0, THETA_MAX**2)))


def _group(Z: int, A: float, e0: float, x_cut: float, m: float, card: Any) -> ElectronGroup | None:
    from darkreach.physics.form_factors import Nucleus
    from darkreach.production.electron_brem import dsigma_dx

    grid = x_eta_grid(x_cut, m, e0, m_e)
    if grid is None:
        return None
    eta, xs, jac, g_min = grid
    prod = card.production
    dsdx = dsigma_dx(
        xs,
        e0,
        m,
        Nucleus(Z, A),
        "vector",
        prod.approximation,
        inelastic=prod.inelastic,
    )
    density = np.asarray(dsdx) * jac
    if not np.any(density > 0.0):
        return None
    return ElectronGroup(Z, A, e0, x_cut, eta, density, g_min)


def electron_groups(
    experiment: Any, mass: float
) -> tuple[list[ElectronGroup], FloatArray, NDArray[np.int64]]:
    """x tables per (element, bin) and the emitter rates per unit g_e^2 per particle on target.

    Returns (groups, rates [groups, 2] for the (beam species, other species), sum of rates =
    :meth:`MissingEnergy.brem_yield`, species_pdg [2]).
    """
    tl = experiment.track_lengths
    beam = experiment.card.beam.particle
    other = "e+" if beam == "e-" else "e-"
    lengths = np.stack([tl.of(beam, beam), tl.of(other, beam)], axis=-1)  # (bins, 2)
    x_cut = (experiment.beam_energy - experiment.energy_cut) / tl.energy
    groups: list[ElectronGroup] = []
    rows: list[FloatArray] = []
    for Z, A, density, sigma in experiment.brem_sigmas(np.array([mass])):
        for j, e0 in enumerate(tl.energy):
            s = float(sigma[0, j])
            if s <= 0.0:
                continue
            grp = _group(Z, A, float(e0), float(x_cut[j]), mass, experiment.card)
            if grp is None:
                continue
            groups.append(grp)
            rows.append(density * s * lengths[j])
    rates = np.asarray(rows) if rows else np.zeros((0, 2))
    pdg = np.array([11 if p == "e-" else -11 for p in (beam, other)], dtype=np.int64)
    return groups, rates, pdg


def sample_electron(
    experiment: Any,
    model: Any,
    mass: float,
    n: int,
    rng: np.random.Generator,
    coupling: float | None = None,
    weighted: bool = False,
) -> EventSample:
    """``n`` events of e N -> e N A' (+ e+ e- -> A') for a missing-energy card (module doc).

    Weights have mean = the yield per particle on target (bremsstrahlung + annihilation, no
    efficiency, no decay/escape probability), times c_e^2 g^2 when a coupling is given (per
    unit coupling squared otherwise).
    """
    from darkreach.production.electron_brem import electron_coupling_squared

    if not (isinstance(n, (int, np.integer)) and n > 0):
        raise InvalidParameterError("n", n, "an integer number of events > 0")
    spin = experiment._check_model(model)
    if spin != "vector":
        raise InvalidParameterError("model", model.name, "a vector boson (missing-energy)")
    m = float(experiment.check_masses(np.array([mass]))[0])
    groups, rates, species_pdg = electron_groups(experiment, m)
    brem = float(rates.sum())
    ann = 0.0
    if experiment.card.production.annihilation != "none" and m > 2.0 * m_e:
        ann = float(experiment.annihilation_yield(np.array([m]))[0])
    total = brem + ann
    if total <= 0.0:
        raise InvalidParameterError(
            "mass",
            f"{m:g} MeV",
            f"a mass with a non-zero yield above the energy cut of card {experiment.name}",
        )
    c2 = float(electron_coupling_squared(model, np.array([m]))[0])
    scale = c2 * coupling**2 if coupling is not None else 1.0
    yield_mean = total * scale
    f_ann = ann / total

    # 1. channel
    is_ann = rng.uniform(0.0, 1.0, n) < f_ann
    idx_brem = np.flatnonzero(~is_ann)
    nb = idx_brem.size
    e0 = np.empty(n)
    x = np.ones(n)
    theta = np.zeros(n)
    emitter_pdg = np.full(n, -11, dtype=np.int64)
    z_nuc = np.zeros(n, dtype=np.int64)
    a_nuc = np.zeros(n)
    weights = np.full(n, yield_mean)
    if nb:
        # 2. emitter: (group, species)
        flat = rates.ravel()
        cdf = np.cumsum(flat)
        cat = np.minimum(
            np.searchsorted(cdf, rng.uniform(0.0, cdf[-1], nb), side="right"), cdf.size - 1
        )
        group_idx, species = np.divmod(cat, 2)
        emitter_pdg[idx_brem] = species_pdg[species]
        for gi, grp in enumerate(groups):
            local = np.flatnonzero(group_idx == gi)
            k = local.size
            if k == 0:
                continue
            sel = idx_brem[local]
            # 3. x
            if weighted:
                eta = rng.uniform(grp.eta[0], grp.eta[-1], k)
                cdf_g = cumulative(grp.eta, grp.density)
                pdf = np.interp(eta, grp.eta, grp.density) / cdf_g[-1]
                weights[sel] = yield_mean * pdf * (grp.eta[-1] - grp.eta[0])
            else:
                eta = sample_1d(grp.eta, grp.density, rng.uniform(0.0, 1.0, k))
            x[sel] = _x_of_eta(eta, grp.g_min)
            e0[sel] = grp.energy
            z_nuc[sel] = grp.Z
            a_nuc[sel] = grp.A
        # 4. angle
        theta[idx_brem] = sample_theta(x[idx_brem], e0[idx_brem], m, rng.uniform(0.0, 1.0, nb))
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    # 5. bremsstrahlung final state
    p_in4 = np.zeros((n, 4))
    p_target = np.zeros((n, 4))
    p_lepton = np.zeros((n, 4))
    p_nucleus = np.zeros((n, 4))
    p_x = np.zeros((n, 4))
    if nb:
        sb = idx_brem
        e_x = x[sb] * e0[sb]
        k_x = np.sqrt(np.clip(e_x * e_x - m * m, 0.0, None))
        p_x[sb] = polar_vectors(k_x, theta[sb], phi[sb], m)
        p_in4[sb], p_target[sb], p_lepton[sb], p_nucleus[sb] = recoil_final_state(
            e0[sb], m_e, x[sb], theta[sb], phi[sb], p_x[sb], a_nuc[sb] * AMU
        )
    # 6. annihilation: e+ (E_res) e- (at rest) -> A' along z
    sa = np.flatnonzero(is_ann)
    if sa.size:
        e_res = (m * m - 2.0 * m_e * m_e) / (2.0 * m_e)
        p_res = math.sqrt(e_res * e_res - m_e * m_e)
        e0[sa] = e_res
        x[sa] = (e_res + m_e) / e_res
        p_in4[sa, 2], p_in4[sa, 3] = p_res, e_res
        p_target[sa, 3] = m_e
        p_x[sa, 2], p_x[sa, 3] = p_res, e_res + m_e
    vertex = np.zeros((n, 4))
    # 7. decay
    decay = decay_x(rng, model, m, coupling, p_x, vertex)
    dec = decay.decayed
    nuc_pdg = 1_000_000_000 + 10_000 * z_nuc + 10 * np.rint(a_nuc).astype(np.int64)
    target_pdg = np.where(is_ann, 11, nuc_pdg)
    four = [p_in4, p_target, p_lepton, p_nucleus, p_x, decay.p1, decay.p2]
    slots: dict[str, list[Any]] = {
        name: [p[:, i] for p in four] for i, name in enumerate(("px", "py", "pz", "E"))
    }
    for i, name in enumerate(("x", "y", "z", "t")):
        slots[name] = [vertex[:, i]] * 5 + [decay.vertex[:, i]] * 2
    slots["pdg"] = [
        emitter_pdg,
        target_pdg,
        emitter_pdg,
        nuc_pdg,
        X_PDG[spin],
        decay.pdg1,
        decay.pdg2,
    ]
    slots["status"] = [4, 4, 1, 1, np.where(dec, 2, 1), 1, 1]
    slots["production_vertex"] = [-1, -1, 0, 0, 0, 1, 1]
    slots["end_vertex"] = [0, 0, -1, -1, np.where(dec, 1, -1), -1, -1]
    present = np.ones((n, 7), dtype=bool)
    present[:, 2] = ~is_ann
    present[:, 3] = ~is_ann
    present[:, 5] = dec
    present[:, 6] = dec
    prod = experiment.card.production
    unit = "" if coupling is not None else " per unit coupling squared"
    metadata: dict[str, Any] = {
        "generator": "darkreach",
        "darkreach_version": __version__,
        "process": "e N -> e N X" + (" and e+ e- -> X" if ann > 0.0 else ""),
        "channel": "signal",
        "model": model.name,
        "spin": spin,
        "x_pdg": X_PDG[spin],
        "card": experiment.name,
        "mass_MeV": m,
        "coupling": coupling,
        "electron_coupling_squared_per_g2": c2,
        "yield_per_particle_on_target": yield_mean,
        "yield_definition": (
            "X per particle on target (bremsstrahlung in the shower with x > (E0 - E_cut)/E, "
            "plus resonant annihilation), before the efficiency and the decay/escape "
            "probability" + unit
        ),
        "brem_yield_per_particle_on_target": brem * scale,
        "annihilation_yield_per_particle_on_target": ann * scale,
        "annihilation_fraction": f_ann,
        "weight_unit": "X per particle on target (mean weight = yield_per_particle_on_target)",
        "weighted": weighted,
        "n_events": n,
        "beam_particle": experiment.card.beam.particle,
        "beam_energy_MeV": experiment.beam_energy,
        "energy_cut_MeV": experiment.energy_cut,
        "approximations": [
            f"{prod.approximation.upper()} d sigma/dx, t_max = m^2, "
            f"{'elastic+inelastic' if prod.inelastic else 'elastic'} form factor",
            "emitter energy = the shower track-length bin energy (Tsai primary"
            + (" + first-generation e+ e-" if prod.secondaries else "")
            + "); the incoming particle is the radiating shower e- or e+",
            "A' angle: small-angle WW form d sigma/d theta^2 ~ 1/(theta^2 + theta_c^2)^2, "
            "theta_c^2 = (m_e^2 + m^2 (1 - x)/x^2)/E0^2, theta < 0.3 rad (electron_brem has "
            "no IWW angular distribution)",
            "nuclear transverse kick neglected (recoil-angle map); nucleus takes the remaining "
            "four-momentum on shell, M_A = A x 931.494 MeV",
            "annihilation: narrow resonance, e+ of E_res on an electron at rest, X along z",
            "emission depth not sampled (energy-binned shower): vertex at the target front on "
            "the axis, t = 0",
            "X decays: isotropic two-body in its rest frame, exponential decay length"
            if coupling is not None
            else "X not decayed (no --coupling: lifetime unknown)",
        ],
        "branching_ratios": decay.branching,
    }
    return from_slots(slots, present, weights, metadata)
