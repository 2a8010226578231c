"""Event sampler for mu N -> mu N X in the thick target of a missing-momentum card.

The rates are those of the yield (:meth:`MissingMomentum.unit_yield`, muon_bremsstrahlung.md
section 8), event by event:

1. **Interaction point.** The target is cut into the same slices as the yield (mean energy
   loss along the target); slice s, nucleus species e and energy node j are drawn with
   probability proportional to n_e L_s w_sj sigma_e(E_j, x > x_cut(E_j)), where w_sj are the
   yield's linear-interpolation weights of the slice's mean energy on the energy nodes E_j and
   sigma is :func:`~darkreach.production.muon_brem.sigma_above`. The point is uniform inside
   the slice (slices are at most 5 mm long). The incoming muon energy of the event is the node
   energy E_j: the mixture over j reproduces the linear interpolation in energy the yield uses
   (the event's energy differs from the slice's mean energy by at most the node spacing,
   < 0.2 % at NA64mu).
2. **x** from d sigma/dx (:func:`~darkreach.production.muon_brem.dsigma_dx`, the function the
   yield integrates) above the card's x cut, by inverse CDF on 2048 nodes in
   eta = arccosh[(x/(1-x))/(x_min/(1-x_min))] (the production module's smooth variable).
3. **X angle theta** from d sigma/(dx dtheta) at that x
   (:func:`~darkreach.production.muon_brem.dsigma_dx_dtheta`), inverse CDF in the unit
   variable v = ln(1 + theta^2/theta_c^2) / ln(1 + theta_max^2/theta_c^2) on 96 x-rows times
   192 nodes (row chosen stochastically between the two x-rows around the event's x, so the
   table is interpolated linearly in x); azimuth phi uniform.
4. **Final state.** E_X = x E0, |p_X| = sqrt(E_X^2 - m^2) along (theta, phi). The recoil muon
   has azimuth phi + pi and the transverse momentum of X (the recoil-angle map of section 6,
   x theta ~ (1 - x) psi, made exact: |p'| sin psi = |p_X| sin theta): **the nuclear
   transverse kick is neglected** (the flux integral over t is not sampled). The nucleus takes
   the remaining four-momentum q = p_mu - p_mu' - p_X on its mass shell,
   E_N = sqrt(M_A^2 + q^2), M_A = A x 931.494 MeV; the recoil muon energy is
   (1 - x) E0 minus the nuclear recoil energy (fixed-point iteration), so every event
   conserves four-momentum exactly (to rounding).
5. **Decay of X** (:mod:`darkreach.events.decay`) when a coupling is given.

The vertex is on the beam axis (no beam profile or divergence), z = 0 at the target's front
face, t = z/c. Weighted samples (``weighted=True``) draw eta uniformly and carry the weight
sigma x (d sigma/d eta normalised)/(flat density); the angle is always drawn from its
conditional distribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.constants import m_mu
from darkreach.errors import InvalidParameterError
from darkreach.events.decay import C_MM_PER_NS, decay_x
from darkreach.events.inverse_cdf import cumulative, sample_1d, sample_rows
from darkreach.events.kinematics import polar_vectors
from darkreach.events.sample import EventSample, from_slots

__all__ = [
    "X_PDG",
    "BremGroup",
    "brem_groups",
    "nucleus_pdg",
    "recoil_final_state",
    "sample_mu_brem",
]

#: PDG-style ids used for X: Z' (32) for vectors, H0 (35) for the scalar, A0 (36) for the
#: pseudoscalar (generator convention; X is not a PDG particle).
X_PDG = {"vector": 32, "axial": 32, "scalar": 35, "pseudoscalar": 36}
#: atomic mass unit [MeV] (nuclear mass M_A ~ A u; binding and electrons neglected)
AMU = 931.494
X_NODES = 2048
ANGLE_ROWS = 96
ANGLE_NODES = 192


def nucleus_pdg(Z: int, A: float) -> int:
    """PDG nuclear code 10LZZZAAAI for a ground-state nucleus (A rounded)."""
    return 1_000_000_000 + 10_000 * int(Z) + 10 * round(A)


@dataclass
class BremGroup:
    """Tables for one (nucleus, energy node): x grid in eta and the angular table."""

    Z: int
    A: float
    energy: float
    x_cut: float
    sigma: float  # sigma(x > x_cut) per unit coupling^2 [mm^2] (sigma_above)
    eta: FloatArray
    density: FloatArray  # d sigma/d eta on eta
    g_min: float
    row_eta: FloatArray
    angle_table: FloatArray  # (rows, nodes) densities in v


def _x_of_eta(eta: FloatArray, g_min: float) -> FloatArray:
    g = g_min * np.cosh(eta)
    return np.asarray(g / (1.0 + g))


def _theta_c(x: FloatArray, e0: float, m: float) -> FloatArray:
    return np.asarray(np.sqrt(m_mu**2 + (1.0 - x) * m * m / (x * x)) / e0)


def _rho_max(x: FloatArray, e0: float, m: float, theta_max: float) -> FloatArray:
    return np.asarray(np.log1p((theta_max / _theta_c(x, e0, m)) ** 2))


def x_eta_grid(
    x_cut: float, m: float, e0: float, lepton_mass: float
) -> tuple[FloatArray, FloatArray, FloatArray, float] | None:
    """The sampling grid in eta of x above ``x_cut`` for a boson m radiated by a lepton of E0.

    x = g / (1 + g) with g = g_min cosh(eta) spreads the nodes over the peak of d sigma/dx at
    x ~ m/E0 and its tail to 1 - m_l/E0. Returns (eta, x clipped inside the open range,
    dx/deta, g_min), or None when no x above the cut is open. Shared by the muon and
    electron samplers.
    """
    x_min = m / e0
    x_max = 1.0 - lepton_mass / e0
    lo = max(x_cut, x_min)
    if lo >= x_max:
        return None
    g_min = x_min / (1.0 - x_min)
    eta0 = math.acosh(max(lo / (1.0 - lo) / g_min, 1.0))
    eta1 = math.acosh(x_max / (1.0 - x_max) / g_min)
    eta = np.linspace(eta0, eta1, X_NODES)
    x = _x_of_eta(eta, g_min)
    xs = np.clip(x, np.nextafter(x_min, 1.0), np.nextafter(x_max, 0.0))
    jac = g_min * np.sinh(eta) / (1.0 + g_min * np.cosh(eta)) ** 2
    return eta, np.asarray(xs), np.asarray(jac), g_min


def _theta_of_v(v: FloatArray, x: FloatArray, e0: float, m: float, theta_max: float) -> FloatArray:
    th = _theta_c(x, e0, m) * np.sqrt(np.expm1(v * _rho_max(x, e0, m, theta_max)))
    return np.asarray(np.minimum(th, theta_max))


def _group(
    Z: int, A: float, e0: float, x_cut: float, m: float, spin: str, settings: Any
) -> BremGroup | None:
    from darkreach.physics.form_factors import Nucleus
    from darkreach.production.muon_brem import dsigma_dx, dsigma_dx_dtheta, sigma_above

    nucleus = Nucleus(Z, A)
    sig = float(
        np.asarray(
            sigma_above(m, e0, x_cut, nucleus, spin, settings, below_threshold="zero")  # type: ignore[arg-type]
        )
    )
    grid = x_eta_grid(x_cut, m, e0, m_mu)
    if sig <= 0.0 or grid is None:
        return None
    eta, xs, jac, g_min = grid
    eta0, eta1 = float(eta[0]), float(eta[-1])
    density = np.asarray(dsigma_dx(xs, e0, m, nucleus, spin, settings)) * jac  # type: ignore[arg-type]
    # angular table: rows at cell centres of a coarser eta grid
    edges = np.linspace(eta0, eta1, ANGLE_ROWS + 1)
    row_eta = 0.5 * (edges[1:] + edges[:-1])
    rx = _x_of_eta(row_eta, g_min)
    v = np.linspace(0.0, 1.0, ANGLE_NODES)
    v_eval = np.maximum(v, 1e-9)
    theta_max = float(settings.theta_max)
    rho_max = _rho_max(rx, e0, m, theta_max)[:, None]
    thc = _theta_c(rx, e0, m)[:, None]
    ex = np.exp(v_eval[None, :] * rho_max)
    theta = np.minimum(thc * np.sqrt(ex - 1.0), theta_max)
    dtheta_dv = thc * rho_max * ex / (2.0 * np.sqrt(ex - 1.0))
    table = (
        np.asarray(dsigma_dx_dtheta(rx[:, None], theta, e0, m, nucleus, spin, settings))  # type: ignore[arg-type]
        * dtheta_dv
    )
    return BremGroup(Z, A, e0, x_cut, sig, eta, density, g_min, row_eta, np.nan_to_num(table))


def brem_groups(
    experiment: Any, spin: str, mass: float
) -> tuple[list[BremGroup], FloatArray, FloatArray, FloatArray]:
    """Tables per (nucleus, node) and the category rates of the interaction point.

    Returns (groups, rates [slices, groups] per unit coupling^2 per muon, slice_start [mm],
    slice_length [mm]); categories are (slice, group) pairs flattened slice-major.
    """
    from darkreach.experiments.materials import get_material
    from darkreach.production.muon_brem import BremSettings

    prod = experiment.card.production
    settings = BremSettings(
        approximation=prod.approximation,
        theta_max=prod.theta_max,
        t_max=prod.t_max,
        inelastic=prod.inelastic,
    )
    layers = experiment.layer_energies
    nodes, weights = experiment.energy_nodes()
    nodes = np.maximum(nodes, 1e-3)
    x_cuts = experiment.x_cut(nodes)
    species: dict[tuple[int, float], int] = {}
    for material_name, _, _ in layers:
        for element, _density in get_material(material_name).number_densities():
            species.setdefault((element.Z, element.A), len(species))
    groups: list[BremGroup] = []
    group_of: dict[tuple[int, int], int] = {}
    for (Z, A), e_idx in species.items():
        for j, (e0, xc) in enumerate(zip(nodes, x_cuts, strict=True)):
            grp = _group(Z, A, float(e0), float(xc), mass, spin, settings)
            if grp is not None:
                group_of[(e_idx, j)] = len(groups)
                groups.append(grp)
    lengths = np.array([step for _, step, _ in layers])
    starts = np.concatenate([[0.0], np.cumsum(lengths)[:-1]])
    rates = np.zeros((len(layers), max(len(groups), 1)))
    for s, (material_name, step, _) in enumerate(layers):
        for element, density in get_material(material_name).number_densities():
            e_idx = species[(element.Z, element.A)]
            for j in range(nodes.size):
                gi = group_of.get((e_idx, j))
                if gi is not None:
                    rates[s, gi] += density * step * weights[s, j] * groups[gi].sigma
    return groups, rates, starts, lengths


def _column_densities(experiment: Any) -> dict[tuple[int, float], float]:
    from darkreach.experiments.materials import get_material

    out: dict[tuple[int, float], float] = {}
    for material_name, step, _ in experiment.layer_energies:
        for element, density in get_material(material_name).number_densities():
            key = (element.Z, element.A)
            out[key] = out.get(key, 0.0) + density * step
    return out


def recoil_final_state(
    e0: FloatArray,
    m_lep: float,
    x: FloatArray,
    theta: FloatArray,
    phi: FloatArray,
    p_x: FloatArray,
    m_nuc: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Beam, target, recoil lepton and recoil nucleus four-momenta of l N -> l N X (step 4).

    The lepton (mass ``m_lep``, energy ``e0`` along +z) recoils at azimuth phi + pi with the
    transverse momentum of X (``p_x`` at polar angle ``theta``, azimuth ``phi``, energy
    x e0); the nucleus (mass ``m_nuc``, at rest) takes the remaining four-momentum on shell,
    the lepton energy solved by fixed-point iteration, so four-momentum is conserved exactly.
    """
    n = e0.size
    e_x = x * e0
    k_x = np.sqrt(np.sum(p_x[:, :3] ** 2, axis=-1))
    p_in = np.sqrt(e0 * e0 - m_lep * m_lep)
    pt = k_x * np.sin(theta)
    e_mu = (1.0 - x) * e0
    for _ in range(30):  # converges by a factor ~q/M_A per pass (~0.1 for hydrogen)
        previous = e_mu
        e_mu = np.maximum(e_mu, m_lep)
        p_mu = np.sqrt(e_mu * e_mu - m_lep * m_lep)
        sin_psi = np.where(p_mu > 0.0, np.minimum(pt / np.where(p_mu > 0.0, p_mu, 1.0), 1.0), 0.0)
        pz_mu = p_mu * np.sqrt(1.0 - sin_psi * sin_psi)
        pt_mu = p_mu * sin_psi
        qx = -p_x[:, 0] + pt_mu * np.cos(phi)  # lepton at phi + pi: -pt_mu cos(phi)
        qy = -p_x[:, 1] + pt_mu * np.sin(phi)
        qz = p_in - p_x[:, 2] - pz_mu
        e_n = np.sqrt(m_nuc * m_nuc + qx * qx + qy * qy + qz * qz)
        e_mu = e0 + m_nuc - e_x - e_n
        if np.max(np.abs(e_mu - previous)) < 1e-12 * np.max(e0):
            break
    e_mu = np.maximum(e_mu, m_lep)
    p_mu = np.sqrt(e_mu * e_mu - m_lep * m_lep)
    sin_psi = np.where(p_mu > 0.0, np.minimum(pt / np.where(p_mu > 0.0, p_mu, 1.0), 1.0), 0.0)
    p_muon = np.empty((n, 4))
    p_muon[:, 0] = -p_mu * sin_psi * np.cos(phi)
    p_muon[:, 1] = -p_mu * sin_psi * np.sin(phi)
    p_muon[:, 2] = p_mu * np.sqrt(1.0 - sin_psi * sin_psi)
    p_muon[:, 3] = e_mu
    p_beam = np.zeros((n, 4))
    p_beam[:, 2], p_beam[:, 3] = p_in, e0
    p_target = np.zeros((n, 4))
    p_target[:, 3] = m_nuc
    p_nucleus = p_beam + p_target - p_muon - p_x
    p_nucleus[:, 3] = np.sqrt(m_nuc * m_nuc + np.sum(p_nucleus[:, :3] ** 2, axis=-1))
    return p_beam, p_target, p_muon, p_nucleus


def sample_mu_brem(
    experiment: Any,
    model: Any,
    mass: float,
    n: int,
    rng: np.random.Generator,
    coupling: float | None = None,
    weighted: bool = False,
) -> EventSample:
    """``n`` events of mu N -> mu N X for a missing-momentum card (see the module doc).

    Weights have mean = the cross section [pb]: sum over the target of n L sigma divided by the
    total column density (per target nucleus, x > x_cut), times c_mu^2 g^2 when a coupling is
    given (per unit coupling squared otherwise).
    """
    from hepunits import picobarn

    if not (isinstance(n, (int, np.integer)) and n > 0):
        raise InvalidParameterError("n", n, "an integer number of events > 0")
    spin = experiment._check_model(model)
    if model.spin == "fermion":  # millicharge: a pair, not a single X (issue 13)
        raise InvalidParameterError("model", model.name, "a single-boson model for event samples")
    m = float(experiment.check_masses(np.array([mass]))[0])
    groups, rates, starts, lengths = brem_groups(experiment, spin, m)
    total_rate = float(rates.sum())
    if not groups or total_rate <= 0.0:
        raise InvalidParameterError(
            "mass",
            f"{m:g} MeV",
            f"a mass with a non-zero cross section above the x cut of card {experiment.name}",
        )
    columns = _column_densities(experiment)
    c2 = experiment._muon_coupling_squared(model, spin)
    scale = c2 * coupling**2 if coupling is not None else 1.0
    sigma_mean = total_rate / sum(columns.values()) * scale / picobarn
    by_nucleus = {}
    for (Z, A), col in columns.items():
        part = sum(float(rates[:, gi].sum()) for gi, g in enumerate(groups) if (g.Z, g.A) == (Z, A))
        by_nucleus[f"Z={Z},A={A:g}"] = part / col * scale / picobarn

    # 1. interaction point and group
    cdf = np.cumsum(rates.ravel())
    cat = np.searchsorted(cdf, rng.uniform(0.0, cdf[-1], n), side="right")
    cat = np.minimum(cat, cdf.size - 1)
    n_groups = rates.shape[1]
    slice_idx, group_idx = np.divmod(cat, n_groups)
    z = starts[slice_idx] + rng.uniform(0.0, 1.0, n) * lengths[slice_idx]
    e0 = np.empty(n)
    x = np.empty(n)
    theta = np.empty(n)
    weights = np.full(n, sigma_mean)
    z_nuc = np.empty(n, dtype=np.int64)
    a_nuc = np.empty(n)
    for gi, grp in enumerate(groups):
        sel = np.flatnonzero(group_idx == gi)
        k = sel.size
        if k == 0:
            continue
        # 2. x
        if weighted:
            eta = rng.uniform(grp.eta[0], grp.eta[-1], k)
            cdf_g = cumulative(grp.eta, grp.density)
            pdf = np.interp(eta, grp.eta, grp.density) / cdf_g[-1]
            weights[sel] = sigma_mean * pdf * (grp.eta[-1] - grp.eta[0])
        else:
            eta = sample_1d(grp.eta, grp.density, rng.uniform(0.0, 1.0, k))
        xg = _x_of_eta(eta, grp.g_min)
        # 3. angle: row mixing between the two rows around eta
        pos = np.clip(
            (eta - grp.row_eta[0]) / (grp.row_eta[1] - grp.row_eta[0]), 0.0, ANGLE_ROWS - 1.0
        )
        low = np.minimum(pos.astype(np.int64), ANGLE_ROWS - 2)
        row = low + (rng.uniform(0.0, 1.0, k) < (pos - low)).astype(np.int64)
        v = sample_rows(
            np.linspace(0.0, 1.0, ANGLE_NODES), grp.angle_table, row, rng.uniform(0.0, 1.0, k)
        )
        theta[sel] = _theta_of_v(v, xg, grp.energy, m, float(experiment.card.production.theta_max))
        x[sel] = xg
        e0[sel] = grp.energy
        z_nuc[sel] = grp.Z
        a_nuc[sel] = grp.A
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    # 4. final state with the nucleus recoil
    e_x = x * e0
    k_x = np.sqrt(np.clip(e_x * e_x - m * m, 0.0, None))
    p_x = polar_vectors(k_x, theta, phi, m)
    m_nuc = a_nuc * AMU
    p_beam, p_target, p_muon, p_nucleus = recoil_final_state(e0, m_mu, x, theta, phi, p_x, m_nuc)
    vertex = np.zeros((n, 4))
    vertex[:, 2], vertex[:, 3] = z, z / C_MM_PER_NS
    # 5. decay of X
    decay = decay_x(rng, model, m, coupling, p_x, vertex)
    beam_pdg = 13 if experiment.card.beam.particle == "mu-" else -13
    nuc_pdg = 1_000_000_000 + 10_000 * z_nuc + 10 * np.rint(a_nuc).astype(np.int64)
    dec = decay.decayed
    four = [p_beam, p_target, p_muon, p_nucleus, p_x, decay.p1, decay.p2]
    slots: dict[str, list[Any]] = {
        name: [p[:, i] for p in four] for i, name in enumerate(("px", "py", "pz", "E"))
    }
    for i, name in enumerate(("x", "y", "z", "t")):
        slots[name] = [vertex[:, i]] * 5 + [decay.vertex[:, i]] * 2
    slots["pdg"] = [beam_pdg, nuc_pdg, beam_pdg, nuc_pdg, X_PDG[spin], decay.pdg1, decay.pdg2]
    slots["status"] = [4, 4, 1, 1, np.where(dec, 2, 1), 1, 1]
    slots["production_vertex"] = [-1, -1, 0, 0, 0, 1, 1]
    slots["end_vertex"] = [0, 0, -1, -1, np.where(dec, 1, -1), -1, -1]
    present = np.ones((n, 7), dtype=bool)
    present[:, 5] = dec
    present[:, 6] = dec
    prod = experiment.card.production
    metadata: dict[str, Any] = {
        "generator": "darkreach",
        "darkreach_version": __version__,
        "process": "mu N -> mu N X",
        "channel": "signal",
        "model": model.name,
        "spin": spin,
        "x_pdg": X_PDG[spin],
        "card": experiment.name,
        "mass_MeV": m,
        "coupling": coupling,
        "muon_coupling_squared_per_g2": c2,
        "cross_section_pb": sigma_mean,
        "cross_section_definition": (
            "sum over the target of n L sigma(x > x_cut) / total column density (per target "
            "nucleus)" + ("" if coupling is not None else ", per unit coupling squared")
        ),
        "cross_section_by_nucleus_pb": by_nucleus,
        "emission_probability_per_muon": total_rate * scale,
        "weight_unit": "pb (mean weight = cross_section_pb)",
        "weighted": weighted,
        "n_events": n,
        "beam_energy_MeV": experiment.beam_energy,
        "approximations": [
            f"{experiment.card.production.approximation.upper()} d sigma/dx and d sigma/dx dtheta "
            f"(theta_max = {experiment.card.production.theta_max} rad, t_max = "
            f"{experiment.card.production.t_max}, "
            f"{'elastic+inelastic' if prod.inelastic else 'elastic'} form factor)",
            "incoming muon energy = the yield's energy node (mean energy loss, no straggling)",
            "nuclear transverse kick neglected (recoil-angle map); nucleus takes the remaining "
            "four-momentum on shell, M_A = A x 931.494 MeV",
            "vertex on the beam axis, no beam spread; z = 0 at the target front, t = z/c",
            "X decays: isotropic two-body in its rest frame, exponential decay length"
            if coupling is not None
            else "X not decayed (no --coupling: lifetime unknown)",
        ],
        "branching_ratios": decay.branching,
    }
    return from_slots(slots, present, weights, metadata)
