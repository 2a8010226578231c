"""First-estimate NA64mu / M^3 sensitivity to mu -> tau conversion, coherent part only.

Signature: the muon converts coherently on a target nucleus, mu N -> tau N
(:mod:`darkreach.production.mu_tau`), the tau decays in the target, tau -> mu nu nu
(BR 17.39 %), and the decay muon is soft enough to pass the card's recoil cut; the neutrinos
carry the missing momentum. Events (docs/mu-tau.md):

    N(Lambda) = N_MOT eps BR(tau -> mu nu nu) sum_slices sum_nuclei n_i dz
                sigma_coh,i(E(z); Lambda) f(E(z)),

    f(E) = Int d|t| (d sigma/d|t|) F_P(E_tau(t), E_cut(E)) / sigma,   E_tau = E - |t|/(2 M),

with E(z) the mean muon energy in each target slice (the card's energy loss, as the
missing-momentum yields), E_cut(E) = (1 - x_cut(E)) E the card's recoil cut (NA64mu: 80 GeV;
M^3: E/2), F_P the fraction of decays with E_mu < E_cut (:mod:`darkreach.production.tau_decay`)
for the tau polarisation P the operator gives, and eps the card's efficiency taken at
m = m_tau [assumption: the efficiencies are calibrated on a dark photon of mass m; a tau
decay leaves an invisible nu nu system of mass up to m_tau - m_mu, and the recoil cut is
already in f]. sigma ~ Lambda^-4, so Lambda_90 = Lambda_ref (N(Lambda_ref)/s_up)^(1/4) with
s_up the card's signal limit (observed for data, expected median for projections).

Operators (one scale Lambda, quarks u and d alike; the quark current is vector, the only one
that adds up coherently):

- ``left`` / ``right``: (tau-bar gamma^a P_L,R mu)(q-bar gamma_a P q)/Lambda^2 (handbook 4.3
  form; c_q = 1/2), tau polarisation -1 / +1;
- ``vector``: (tau-bar gamma^a mu)(q-bar gamma_a q)/Lambda^2 (c_q = 1), unpolarised tau;
- ``axial``: (tau-bar gamma^a gamma5 mu)(q-bar gamma_a q)/Lambda^2 (c_q = 1), unpolarised tau.

Polarisations hold for an unpolarised beam at E >> m_tau (helicity conservation of vector and
axial currents; O(m_tau^2/E^2) and the M2 beam polarisation neglected). Coherent only: the
quasi-elastic and deep-inelastic parts are missing, so the Lambda_90 here is a conservative
(low) estimate of the reach. Unverified [DER here]: no published coherent number to compare.
Units: MeV, mm.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from darkreach.array_types import FloatArray
from darkreach.constants import m_tau
from darkreach.errors import InvalidParameterError
from darkreach.experiments.materials import get_material
from darkreach.experiments.missing_momentum import MissingMomentum
from darkreach.physics.form_factors import Nucleus
from darkreach.production import mu_tau
from darkreach.production.tau_decay import BR_TAU_TO_MU, muon_fraction_below
from darkreach.quadrature import gauss_legendre

__all__ = [
    "OPERATORS",
    "REFERENCE_SCALE",
    "MuTauOperator",
    "MuTauReach",
    "coherent_tau_events",
    "mu_tau_reach",
    "tau_fraction_below",
]

#: Lambda at which events are computed before the Lambda^-4 rescaling [MeV]: 1 TeV
REFERENCE_SCALE = 1.0e6


@dataclass(frozen=True)
class MuTauOperator:
    """One four-fermion operator: lepton current, quark vector coupling, tau polarisation."""

    name: str
    lepton: mu_tau.LeptonCurrent
    c_q: float
    polarisation: float
    structure: str


OPERATORS: dict[str, MuTauOperator] = {
    "left": MuTauOperator(
        "left", "left", 0.5, -1.0, "(tau-bar gamma^a P_L mu)(q-bar gamma_a P_q q)/Lambda^2"
    ),
    "right": MuTauOperator(
        "right", "right", 0.5, 1.0, "(tau-bar gamma^a P_R mu)(q-bar gamma_a P_q q)/Lambda^2"
    ),
    "vector": MuTauOperator(
        "vector", "vector", 1.0, 0.0, "(tau-bar gamma^a mu)(q-bar gamma_a q)/Lambda^2"
    ),
    "axial": MuTauOperator(
        "axial", "axial", 1.0, 0.0, "(tau-bar gamma^a gamma5 mu)(q-bar gamma_a q)/Lambda^2"
    ),
}


def get_operator(name: str, field: str = "operator") -> MuTauOperator:
    """The operator called ``name``; InvalidParameterError naming ``field`` otherwise."""
    try:
        return OPERATORS[name]
    except KeyError:
        raise InvalidParameterError(field, repr(name), ", ".join(OPERATORS)) from None


def tau_fraction_below(
    E0: float, E_cut: float, nucleus: Nucleus, operator: MuTauOperator, nodes: int = 64
) -> float:
    """f(E0) of the module docstring: the d sigma/d|t|-weighted fraction of tau -> mu nu nu
    decays with E_mu < E_cut [MeV], tau energy E0 - |t|/(2M) (Gauss-Legendre in ln|t|)."""
    big_m = mu_tau.nucleus_mass(nucleus)
    t_min, t_max = mu_tau._t_range(np.array(E0), big_m)
    t_hi = min(float(t_max), 1e6 * nucleus.t_nuclear + float(t_min))
    u, w = gauss_legendre(nodes)
    lo, hi = math.log(float(t_min)), math.log(t_hi)
    tt = np.exp(lo + (hi - lo) * 0.5 * (u + 1.0))
    dsdt = mu_tau.coherent_dsigma_dt(
        E0, tt, nucleus, REFERENCE_SCALE, operator.c_q, operator.c_q, operator.lepton
    )
    weight = dsdt * tt * w
    e_tau = np.maximum(E0 - tt / (2.0 * big_m), m_tau)
    frac = muon_fraction_below(e_tau, E_cut, operator.polarisation)
    return float(np.sum(weight * frac) / np.sum(weight))


def coherent_tau_events(
    experiment: MissingMomentum, operator: MuTauOperator, scale: float = REFERENCE_SCALE
) -> dict[str, float]:
    """Signal events at Lambda = ``scale`` [MeV] and their factors for a missing-momentum card.

    Returns ``events``, ``tau_per_muon`` (coherent taus per muon on target), ``fraction_below``
    (f averaged over the taus), ``efficiency`` (card efficiency at m_tau) and ``br``.
    """
    if not (math.isfinite(scale) and scale > 0.0):
        raise InvalidParameterError("Lambda", scale, "> 0 MeV")
    nodes, weights = experiment.energy_nodes()
    column: dict[tuple[int, float], FloatArray] = {}
    for (material_name, thickness, _), w in zip(experiment.layer_energies, weights, strict=True):
        for element, density in get_material(material_name).number_densities():
            key = (element.Z, element.A)
            column[key] = column.get(key, np.zeros(nodes.size)) + density * thickness * w
    e_cut = (1.0 - experiment.x_cut(nodes)) * nodes
    taus = 0.0
    passing = 0.0
    for (z, a), col in column.items():
        nucleus = Nucleus(z, a)
        sigma = mu_tau.coherent_sigma(
            nodes,
            nucleus,
            scale,
            operator.c_q,
            operator.c_q,
            operator.lepton,
            below_threshold="zero",
        )
        frac = np.array(
            [
                tau_fraction_below(float(e), float(c), nucleus, operator) if s > 0 else 0.0
                for e, c, s in zip(nodes, e_cut, sigma, strict=True)
            ]
        )
        taus += float(np.sum(sigma * col))
        passing += float(np.sum(sigma * frac * col))
    efficiency = float(experiment.card.efficiency(np.array([m_tau]))[0])
    n_mot = experiment.muons_on_target
    return {
        "events": n_mot * efficiency * BR_TAU_TO_MU * passing,
        "tau_per_muon": taus,
        "fraction_below": passing / taus if taus > 0 else 0.0,
        "efficiency": efficiency,
        "br": BR_TAU_TO_MU,
    }


@dataclass(frozen=True)
class MuTauReach:
    """Lower limit on Lambda of one operator from one card (coherent-only estimate)."""

    card: str
    operator: str
    structure: str
    kind: str  # "observed" (data card) or "expected" (projection, median)
    cl: float
    method: str
    muons_on_target: float
    beam_energy: float  # MeV
    tau_per_muon: float  # at Lambda = REFERENCE_SCALE
    fraction_below: float
    efficiency: float
    br: float
    events_at_reference: float
    signal_limit: float
    lambda_limit: float  # MeV

    def as_dict(self) -> dict[str, object]:
        """JSON-ready values (GeV / TeV units in the keys)."""
        return {
            "card": self.card,
            "operator": self.operator,
            "structure": self.structure,
            "limit_kind": self.kind,
            "cl": self.cl,
            "method": self.method,
            "muons_on_target": self.muons_on_target,
            "beam_energy_GeV": self.beam_energy / 1e3,
            "tau_per_muon_at_1TeV": self.tau_per_muon,
            "br_tau_to_mu_nu_nu": self.br,
            "fraction_below_cut": self.fraction_below,
            "efficiency": self.efficiency,
            "events_at_1TeV": self.events_at_reference,
            "signal_limit": self.signal_limit,
            "lambda_limit_GeV": self.lambda_limit / 1e3,
            "coherent_only": True,
        }


def mu_tau_reach(
    experiment: MissingMomentum,
    operator: str,
    cl: float | None = None,
    method: str | None = None,
) -> MuTauReach:
    """Lambda_90 (or at ``cl``) of ``operator`` from ``experiment``: N(Lambda) = s_up."""
    op = get_operator(operator)
    stats = experiment.card.statistics
    cl_used = stats.cl if cl is None else cl
    method_used = stats.method if method is None else method
    kind, limits = experiment.signal_limits(cl_used, method_used)
    s_up = float(limits["central"])
    parts = coherent_tau_events(experiment, op)
    n_ref = parts["events"]
    lam = REFERENCE_SCALE * (n_ref / s_up) ** 0.25 if n_ref > 0 else 0.0
    return MuTauReach(
        card=experiment.name,
        operator=op.name,
        structure=op.structure,
        kind=kind,
        cl=cl_used,
        method=method_used,
        muons_on_target=experiment.muons_on_target,
        beam_energy=experiment.beam_energy,
        tau_per_muon=parts["tau_per_muon"],
        fraction_below=parts["fraction_below"],
        efficiency=parts["efficiency"],
        br=parts["br"],
        events_at_reference=n_ref,
        signal_limit=s_up,
        lambda_limit=lam,
    )
