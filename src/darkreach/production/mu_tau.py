"""Lepton-flavour-violating mu -> tau conversion on a nucleus: the coherent part, mu N -> tau N.

Operators (handbook bounds_and_new_channels.md 4.3; Gninenko, Kovalenko, Kuleshov,
Lyubovitskij, Zhevlakov, PRD 98 (2018) 015007 for the deep-inelastic case):

    L = (1/Lambda^2) sum_q (tau-bar gamma^a P_l mu)(q-bar gamma_a P_q q) + h.c.

with chiral projectors P (the handbook's form; lepton current vector, left or right handed)
and one scale Lambda for every quark flavour q = u, d. Only the quark *vector* current adds up
coherently over the nucleus: with P_q = P_L or P_R its vector part is 1/2 per flavour, so the
nucleus couples with the weak-charge-like sum

    Q_V = Z (2 c_u + c_d) + N (c_u + 2 c_d),      c_q = vector coupling of flavour q (1/2 default).

Cross section [DER here, unverified: no published coherent mu -> tau number was found to check
it against]. For a spin-0 nucleus of mass M, <N'| q-bar gamma_a q |N> = (p + p')_a F(t) and

    d sigma/dt = Q_V^2 F(t)^2 / (16 pi Lambda^4 lambda(s, m_mu^2, M^2)) * T,
    T_vector = (s - u)^2 - (4 M^2 - t) ((m_tau - m_mu)^2 - t),
    T_axial  = (s - u)^2 - (4 M^2 - t) ((m_tau + m_mu)^2 - t)    (lepton current gamma^a gamma5),
    T_chiral = [(s - u)^2 - (4 M^2 - t) (m_tau^2 + m_mu^2 - t)] / 2,

(t < 0 here; s + t + u = 2 M^2 + m_mu^2 + m_tau^2). For E >> m_tau this is
Q_V^2 F^2/(4 pi Lambda^4) (vector), i.e. sigma ~ Q_V^2 d/(4 pi Lambda^4) with
|t|_min = ((m_tau^2 - m_mu^2)/(2 E))^2 cutting in below E ~ 50 GeV for lead.
F(t) = 1/(1 + |t|/d), d = 0.164 A^{-2/3} GeV^2, the nuclear form factor of
muon_bremsstrahlung.md section 3 (charge distribution; neutrons assumed distributed like
protons).

What is missing: the quasi-elastic scattering on single nucleons (needs the nucleon's vector
*and* axial form factors and Pauli blocking) and the deep-inelastic part mu N -> tau X, which
needs parton distributions q(x, Q^2) that no darkreach dependency ships (the handbook's DIS
formula is [MEM]). The coherent part is enhanced by Q_V^2 ~ A^2 but cut off at
|t| ~ d; the deep-inelastic part is not: per nucleon ~ s <x q>/(8 pi Lambda^4) with
<x (q + q-bar)> ~ 0.5, i.e. ~ 2.5e4 GeV^2/(8 pi Lambda^4) for Pb at 160 GeV against
Q_V^2 d = 450 GeV^2/(8 pi Lambda^4) coherent, ~50 x larger in total (~5 x at 15 GeV, where
s-hat ~ m_tau^2 suppresses it) [DER estimate, unverified; an earlier version of this note
called the coherent part the leading one, which its own numbers did not support]. A DIS
event leaves the hadronic energy y E in the target, so for a missing-momentum selection only
its small-y tail adds to the coherent signal (docs/mu-tau.md). The tau -> mu nu nu decay and
the acceptance: :mod:`darkreach.experiments.mu_tau_reach`.

Independent check: the lab-frame cross section from explicit Dirac matrices (spin sum as a
numerical trace, d sigma/d Omega integrated over the tau angle) agrees to 1e-7 at 3, 15 and
160 GeV for the vector, axial and chiral currents (tests/production/test_mu_tau_cli.py). This
checks the algebra, not the model (form factor, coherence): still no published number.

Units: energies, masses and Lambda in MeV; t in MeV^2; cross sections in mm^2.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import atomic_mass_unit, hbarc2, m_mu, m_tau
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.physics.form_factors import Nucleus
from darkreach.quadrature import gauss_legendre
from darkreach.validate import checked_array

__all__ = [
    "LeptonCurrent",
    "coherent_charge",
    "coherent_dsigma_dt",
    "coherent_sigma",
    "threshold_energy",
]

LeptonCurrent = Literal["vector", "axial", "left", "right"]
_PANELS, _NODES = 12, 16


def _check_lepton(lepton: str) -> None:
    if lepton not in ("vector", "axial", "left", "right"):
        raise InvalidParameterError("lepton", repr(lepton), "'vector', 'axial', 'left' or 'right'")


def _check_scale(scale: ArrayLike) -> FloatArray:
    return checked_array(scale, "Lambda", unit="MeV")


def nucleus_mass(nucleus: Nucleus) -> float:
    """Nuclear mass [MeV]: A (g/mol) times the atomic mass unit (electrons and binding < 1e-3)."""
    return float(nucleus.A) * atomic_mass_unit


def coherent_charge(nucleus: Nucleus, c_u: float = 0.5, c_d: float = 0.5) -> float:
    """Q_V = Z (2 c_u + c_d) + N (c_u + 2 c_d), N = round(A) - Z (the coherent vector charge)."""
    for name, c in (("c_u", c_u), ("c_d", c_d)):
        if not math.isfinite(c):
            raise InvalidParameterError(name, c, "finite")
    n = round(float(nucleus.A)) - nucleus.Z
    return nucleus.Z * (2.0 * c_u + c_d) + n * (c_u + 2.0 * c_d)


def threshold_energy(nucleus: Nucleus) -> float:
    """Lab muon energy [MeV] above which mu N -> tau N is open: s = (M + m_tau)^2."""
    big_m = nucleus_mass(nucleus)
    return ((big_m + m_tau) ** 2 - big_m**2 - m_mu**2) / (2.0 * big_m)


def _kinematics(E0: FloatArray, big_m: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    """s [MeV^2], lambda(s, m_mu^2, M^2) and lambda(s, m_tau^2, M^2) [MeV^4]."""
    s = big_m**2 + m_mu**2 + 2.0 * big_m * E0
    lam_in = (s - m_mu**2 - big_m**2) ** 2 - 4.0 * m_mu**2 * big_m**2
    return s, lam_in, np.asarray((s - m_tau**2 - big_m**2) ** 2 - 4.0 * m_tau**2 * big_m**2)


def _t_range(E0: FloatArray, big_m: float) -> tuple[FloatArray, FloatArray]:
    """(|t|_min, |t|_max) [MeV^2] of mu N -> tau N at lab energy E0 (above threshold)."""
    s, lam_in, lam_out = _kinematics(E0, big_m)
    p_in, p_out = np.sqrt(lam_in / (4.0 * s)), np.sqrt(np.clip(lam_out, 0.0, None) / (4.0 * s))
    e_in = (s + m_mu**2 - big_m**2) / (2.0 * np.sqrt(s))
    e_out = (s + m_tau**2 - big_m**2) / (2.0 * np.sqrt(s))
    # |t| = 2 (E1 E3 - p1 p3 cos) - m_mu^2 - m_tau^2; at cos = 1 use
    # E1 E3 - p1 p3 = (m1^2 p3^2 + m3^2 p1^2 + m1^2 m3^2)/(E1 E3 + p1 p3) (no cancellation
    # of E1 E3 ~ s against p1 p3)
    t_max = 2.0 * (e_in * e_out + p_in * p_out) - m_mu**2 - m_tau**2
    small = (m_mu**2 * p_out**2 + m_tau**2 * p_in**2 + m_mu**2 * m_tau**2) / (
        e_in * e_out + p_in * p_out
    )
    t_min = 2.0 * small - m_mu**2 - m_tau**2
    return np.asarray(t_min), np.asarray(t_max)


def coherent_dsigma_dt(
    E0: ArrayLike,
    abs_t: ArrayLike,
    nucleus: Nucleus,
    scale: ArrayLike,
    c_u: float = 0.5,
    c_d: float = 0.5,
    lepton: LeptonCurrent = "left",
) -> FloatArray:
    """d sigma/d|t| [mm^2/MeV^2] of coherent mu N -> tau N (module formula), 0 outside the
    physical |t| range. E0 (lab muon energy), |t| and Lambda in MeV / MeV^2; broadcast."""
    _check_lepton(lepton)
    e0 = checked_array(E0, "E0", unit="MeV")
    tt = checked_array(abs_t, "|t|", allow_zero=True, unit="MeV^2")
    lam = _check_scale(scale)
    big_m = nucleus_mass(nucleus)
    q_v = coherent_charge(nucleus, c_u, c_d)
    open_ = e0 > threshold_energy(nucleus)
    e_safe = np.where(open_, e0, 2.0 * threshold_energy(nucleus))
    s, lam_in, _ = _kinematics(e_safe, big_m)
    t = -tt  # Mandelstam t < 0
    u = 2.0 * big_m**2 + m_mu**2 + m_tau**2 - s - t
    if lepton == "vector":
        trace = (s - u) ** 2 - (4.0 * big_m**2 - t) * ((m_tau - m_mu) ** 2 - t)
    elif lepton == "axial":  # gamma5 (k + m_mu) gamma5 = -(k - m_mu): m_mu -> -m_mu
        trace = (s - u) ** 2 - (4.0 * big_m**2 - t) * ((m_tau + m_mu) ** 2 - t)
    else:
        trace = 0.5 * ((s - u) ** 2 - (4.0 * big_m**2 - t) * (m_tau**2 + m_mu**2 - t))
    form = 1.0 / (1.0 + tt / nucleus.t_nuclear)
    val = q_v**2 * form**2 * trace / (16.0 * math.pi * lam**4 * lam_in)
    t_min, t_max = _t_range(e_safe, big_m)
    inside = open_ & (tt >= t_min) & (tt <= t_max)
    return np.asarray(np.where(inside, val, 0.0) * hbarc2)


def coherent_sigma(
    E0: ArrayLike,
    nucleus: Nucleus,
    scale: ArrayLike,
    c_u: float = 0.5,
    c_d: float = 0.5,
    lepton: LeptonCurrent = "left",
    below_threshold: Literal["raise", "zero"] = "raise",
) -> FloatArray:
    """sigma(mu N -> tau N) [mm^2], coherent part only, at lab muon energy E0 [MeV] and scale
    Lambda [MeV] (broadcast).

    Gauss-Legendre in ln|t| over [|t|_min, |t|_max] (12 x 16 nodes; relative accuracy ~1e-6).
    ``below_threshold="raise"`` (default) raises KinematicallyForbiddenError below
    :func:`threshold_energy` (~1.79 GeV for Pb); ``"zero"`` returns 0 there.
    """
    _check_lepton(lepton)
    e0 = checked_array(E0, "E0", unit="MeV")
    lam = _check_scale(scale)
    e_thr = threshold_energy(nucleus)
    open_ = e0 > e_thr
    if below_threshold == "raise" and not np.all(open_):
        bad = float(np.ravel(np.broadcast_to(e0, open_.shape)[~open_])[0])
        raise KinematicallyForbiddenError(
            "E0", f"{bad:.6g} MeV", f"> {e_thr:.6g} MeV (tau threshold on Z = {nucleus.Z})"
        )
    if below_threshold not in ("raise", "zero"):
        raise InvalidParameterError("below_threshold", repr(below_threshold), "'raise' or 'zero'")
    e0, lam = np.broadcast_arrays(e0, lam)
    e_safe = np.where(open_, e0, 2.0 * e_thr)
    t_min, t_max = _t_range(e_safe, nucleus_mass(nucleus))
    # the tail beyond 1e8 d is d/(1e8 d) = 1e-8 of the integral (F^2 ~ d^2/t^2)
    t_hi = np.minimum(t_max, 1e8 * nucleus.t_nuclear + t_min)
    u, w = gauss_legendre(_NODES)
    edges = np.linspace(0.0, 1.0, _PANELS + 1)
    frac = np.concatenate(
        [edges[i] + (edges[i + 1] - edges[i]) * 0.5 * (u + 1.0) for i in range(_PANELS)]
    )
    weight = np.tile(0.5 * w / _PANELS, _PANELS)
    log_lo, log_hi = np.log(t_min), np.log(t_hi)
    log_t = log_lo[..., None] + (log_hi - log_lo)[..., None] * frac
    tt = np.exp(log_t)
    dsdt = coherent_dsigma_dt(e_safe[..., None], tt, nucleus, lam[..., None], c_u, c_d, lepton)
    total = np.sum(dsdt * tt * weight * (log_hi - log_lo)[..., None], axis=-1)
    return np.asarray(np.where(open_, total, 0.0))
