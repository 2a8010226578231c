"""Electron/positron track lengths in a thick target, and resonant e+ e- -> X annihilation.

Handbook: ``electron_and_dump.md`` A.3.

Track-length model (stated approximation)
-----------------------------------------
Depth t in radiation lengths, b = 4/3, v = ln(E0/E).

- **Primary** (the beam particle): Tsai's approximation (Tsai 1974; Bjorken et al. 2009;
  handbook A.3, unverified: confirm before relying) for the energy distribution after t
  radiation lengths, I_e(E0, E, t) = (1/E0) [ln(E0/E)]^{bt - 1}/Gamma(bt): in v it is a Gamma(bt)
  distribution, so the track length in an energy bin is exactly
  X0 integral_0^T dt [P(bt, v_hi) - P(bt, v_lo)] with P the regularised incomplete gamma
  function (Gauss-Legendre in t). Summed over all energies it is T X0.
- **Secondaries** (first generation): photons radiated by the primary with the complete-
  screening spectrum (1/k)(4/3 - 4/3 y + y^2), y = k/E, per X0, absorbed by pair production at
  7/9 per X0; each photon converts into e+ e- with the complete-screening sharing
  1 - (4/3) u (1 - u), u = E/k; each secondary then degrades by the same Tsai distribution
  over the remaining depth. Later generations are neglected: the signal needs particles above
  E0 - E_cut (0.5 E0 for NA64e), where they are strongly suppressed; below ~E0/4 this model
  underestimates the full shower. For a thin target secondaries vanish like T^2 relative to
  the primary.

Everything is binned in v on [0, v_low], v_low = ln(E0/E_low), with a finer first bin (the
primary sits at v ~ 0 for small t); the representative energy of a bin is its centre in v.
Lengths in hepunits (mm); energies in MeV.

Resonant annihilation (handbook A.3): sigma(e+ e- -> X -> f) = 12 pi Gamma_ee Gamma_f /
((s - M^2)^2 + M^2 Gamma^2), s = 2 m_e^2 + 2 m_e E+; narrow width:
integral dE+ sigma = 6 pi^2 Gamma_ee BR_f/(m_e M) = (pi/2) g^2 BR_f/m_e for a vector coupling g
to the electron (Gamma_ee = g^2 M/(12 pi), m_e << M), = 2 pi^2 alpha eps^2 BR_f/m_e for a dark
photon. Peak at E+ = (M^2 - 2 m_e^2)/(2 m_e), full width at half maximum M Gamma/m_e in E+.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import gammainc

from darkreach.array_types import FloatArray
from darkreach.constants import hbarc2, m_e
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre

__all__ = [
    "B_TSAI",
    "TrackLengths",
    "annihilation_integral",
    "annihilation_sigma",
    "primary_energy_distribution",
    "primary_track_length",
    "resonance_energy",
    "resonance_mass",
    "track_lengths",
]

#: b = 4/3 of Tsai's energy-loss distribution (complete screening)
B_TSAI = 4.0 / 3.0
#: pair-production probability per radiation length (complete screening)
PAIR_PER_X0 = 7.0 / 9.0
#: Gauss-Legendre nodes per depth panel; panels split at these depths [X0]
_T_NODES = 12
_T_BREAKS = (0.0, 0.5, 2.0, 6.0)
#: number of energy bins and the relative size of the first bin in v
N_BINS = 48
_FIRST_BIN = 2.0e-3

Particle = Literal["e-", "e+"]


def _check_positive(value: float, field: str, allowed: str) -> float:
    if not (isinstance(value, (int, float, np.floating)) and math.isfinite(value) and value > 0):
        raise InvalidParameterError(field, value, allowed)
    return float(value)


def primary_energy_distribution(E0: float, E: ArrayLike, t: float) -> FloatArray:
    """Tsai's I_e(E0, E, t) = (1/E0) [ln(E0/E)]^{4t/3 - 1}/Gamma(4t/3) [1/MeV], 0 < E < E0."""
    e0 = _check_positive(E0, "E0", "> 0 MeV")
    tt = _check_positive(t, "t", "> 0 radiation lengths")
    e = np.asarray(E, dtype=np.float64)
    if np.any((e <= 0) | (e >= e0)):
        raise InvalidParameterError("E", float(np.min(e)), "0 < E < E0")
    v = np.log(e0 / e)
    bt = B_TSAI * tt
    return np.asarray(np.exp((bt - 1.0) * np.log(v) - math.lgamma(bt)) / e0)


def _depth_rule(t_total: float) -> tuple[FloatArray, FloatArray]:
    breaks = [b for b in _T_BREAKS if b < t_total] + [t_total]
    nodes, weights = [], []
    for lo, hi in itertools.pairwise(breaks):
        n, w = gauss_legendre(_T_NODES, lo, hi)
        nodes.append(n)
        weights.append(w)
    return np.concatenate(nodes), np.concatenate(weights)


def _bin_probability(bt: FloatArray, v_edges: FloatArray) -> FloatArray:
    """P(Gamma(bt) in each v bin); bt (..., 1), v_edges (..., n + 1) increasing (>= 0)."""
    cdf = np.where(v_edges > 0, gammainc(bt, np.maximum(v_edges, 1e-300)), 0.0)
    return np.asarray(np.diff(cdf, axis=-1))


def primary_track_length(
    E0: float, energy_edges: ArrayLike, thickness: float, radiation_length: float
) -> FloatArray:
    """Track length [mm] of the primary in each energy bin (edges descending from <= E0).

    ``thickness`` in radiation lengths, ``radiation_length`` X0 in mm. An edge of 0 stands for
    "all energies below"; summed over bins covering (0, E0] the result is thickness X0.
    """
    e0 = _check_positive(E0, "E0", "> 0 MeV")
    t_total = _check_positive(thickness, "thickness", "> 0 radiation lengths")
    x0 = _check_positive(radiation_length, "radiation_length", "> 0 mm (X0 must be known)")
    edges = np.asarray(energy_edges, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) >= 0) or edges[0] > e0:
        raise InvalidParameterError("energy_edges", edges.tolist()[:3], "descending, <= E0")
    v = np.where(edges > 0, np.log(e0 / np.maximum(edges, 1e-300)), np.inf)
    t, w = _depth_rule(t_total)
    prob = _bin_probability(B_TSAI * t[:, None], v[None, :])
    return np.asarray(x0 * np.sum(w[:, None] * prob, axis=0))


@dataclass(frozen=True)
class TrackLengths:
    """Binned track lengths [mm] in a thick target for a beam of ``E0``.

    ``edges`` descending energy bin edges [MeV] from E0 to E_low; ``energy`` the
    representative energy of each bin; ``primary`` the beam particle; ``secondary`` one
    species of the first-generation pairs (e- and e+ alike).
    """

    E0: float
    edges: FloatArray
    energy: FloatArray
    primary: FloatArray
    secondary: FloatArray

    def of(self, particle: Particle, beam: Particle) -> FloatArray:
        """Track length of ``particle`` (e- or e+) for a ``beam`` of e- or e+."""
        if particle not in ("e-", "e+") or beam not in ("e-", "e+"):
            raise InvalidParameterError("particle", repr(particle), "e- or e+")
        if particle == beam:
            return np.asarray(self.primary + self.secondary)
        return self.secondary

    def density(self, particle: Particle, beam: Particle) -> FloatArray:
        """Differential track length dT/dE [mm/MeV] at ``energy``."""
        return np.asarray(self.of(particle, beam) / -np.diff(self.edges))


def _v_edges(v_low: float, n: int) -> FloatArray:
    inner = np.geomspace(_FIRST_BIN * v_low, v_low, n)
    return np.concatenate([[0.0], inner])


def _photon_rate(e_rep: FloatArray, k_edges: FloatArray) -> FloatArray:
    """R[i, j]: photons per X0 into k bin i from an electron of energy e_rep[j].

    integral over the bin (k < E) of (1/k)(4/3 - 4/3 y + y^2), y = k/E.
    """
    k_hi = np.minimum(k_edges[:-1, None], e_rep[None, :])  # edges descending
    k_lo = np.minimum(k_edges[1:, None], e_rep[None, :])
    e = e_rep[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        val = (
            (4.0 / 3.0) * np.log(k_hi / k_lo)
            - (4.0 / 3.0) * (k_hi - k_lo) / e
            + (k_hi**2 - k_lo**2) / (2.0 * e * e)
        )
    return np.asarray(np.where(k_hi > k_lo, val, 0.0))


def _pair_rate(e_edges: FloatArray, k_rep: FloatArray) -> FloatArray:
    """Q[l, i]: one species per X0 into energy bin l from a photon of energy k_rep[i]."""

    def anti(u: FloatArray) -> FloatArray:
        return np.asarray(u - (2.0 / 3.0) * u**2 + (4.0 / 9.0) * u**3)

    u_hi = np.minimum(e_edges[:-1, None] / k_rep[None, :], 1.0)
    u_lo = np.minimum(e_edges[1:, None] / k_rep[None, :], 1.0)
    return np.asarray(anti(u_hi) - anti(u_lo))


def track_lengths(
    E0: float,
    thickness: float,
    radiation_length: float,
    E_low: float,
    n_bins: int = N_BINS,
    secondaries: bool = True,
) -> TrackLengths:
    """Binned primary and first-generation secondary track lengths (see module docstring).

    ``E0`` beam energy, ``E_low`` < E0 the lowest energy of interest [MeV]; ``thickness`` in
    radiation lengths (> 0), ``radiation_length`` X0 [mm] (> 0: a target whose X0 is unknown
    cannot be used). ~20 ms for 48 bins.
    """
    e0 = _check_positive(E0, "E0", "> 0 MeV")
    t_total = _check_positive(thickness, "thickness", "> 0 radiation lengths")
    x0 = _check_positive(radiation_length, "radiation_length", "> 0 mm (X0 must be known)")
    e_low = _check_positive(E_low, "E_low", "0 < E_low < E0")
    if not e_low < e0:
        raise InvalidParameterError("E_low", E_low, f"0 < E_low < E0 = {e0:g} MeV")
    if not (isinstance(n_bins, int) and 4 <= n_bins <= 1000):
        raise InvalidParameterError("n_bins", n_bins, "an integer in [4, 1000]")
    v_edges = _v_edges(math.log(e0 / e_low), n_bins)
    edges = e0 * np.exp(-v_edges)
    v_rep = 0.5 * (v_edges[:-1] + v_edges[1:])
    e_rep = e0 * np.exp(-v_rep)
    t, w = _depth_rule(t_total)
    p_bins = _bin_probability(B_TSAI * t[:, None], v_edges[None, :])  # (nt, n)
    primary = x0 * np.sum(w[:, None] * p_bins, axis=0)
    secondary = np.zeros(n_bins)
    if secondaries:
        secondary = _secondaries(t_total, x0, t, w, p_bins, edges, e_rep, v_rep)
    return TrackLengths(e0, edges, e_rep, np.asarray(primary), np.asarray(secondary))


def _secondaries(
    t_total: float,
    x0: float,
    t: FloatArray,
    w: FloatArray,
    p_bins: FloatArray,
    edges: FloatArray,
    e_rep: FloatArray,
    v_rep: FloatArray,
) -> FloatArray:
    rate = _photon_rate(e_rep, edges)  # (k bins, e bins)
    # photon source per X0 at each depth node: (nt, k)
    source = p_bins @ rate.T
    # photons at depth t_a: integral_0^{t_a} dt' exp(-7/9 (t_a - t')) source(t')
    photons = np.zeros_like(source)
    for a, ta in enumerate(t):
        tn, tw = _depth_rule(float(ta))
        # the primary distribution at inner depths, by bins (same edges)
        p_inner = _bin_probability(
            B_TSAI * tn[:, None],
            np.log(edges[0] / edges)[None, :],
        )
        src = p_inner @ rate.T
        photons[a] = np.sum((tw * np.exp(-PAIR_PER_X0 * (ta - tn)))[:, None] * src, axis=0)
    pairs = photons @ _pair_rate(edges, e_rep).T  # (nt, l): one species per X0 per bin
    # each secondary born at depth t_a in bin l degrades over the remaining T - t_a
    v_edges = np.log(edges[0] / edges)
    out = np.zeros(e_rep.size)
    for a, ta in enumerate(t):
        remaining = t_total - float(ta)
        if remaining <= 0:
            continue
        sn, sw = _depth_rule(remaining)
        # v relative to the birth energy of bin l: edges of target bins m
        rel = v_edges[None, :] - v_rep[:, None]  # (l, m + 1)
        prob = _bin_probability(
            B_TSAI * sn[:, None, None], np.maximum(rel, 0.0)[None, :, :]
        )  # (ns, l, m)
        length = x0 * np.einsum("s,slm->lm", sw, prob)
        out += w[a] * pairs[a] @ length
    return out


# ---------------------------------------------------------------------------------------
# resonant annihilation


def resonance_energy(m: ArrayLike) -> FloatArray:
    """Positron energy E+ [MeV] of the e+ e- -> X resonance on electrons at rest.

    E+ = (M^2 - 2 m_e^2)/(2 m_e), i.e. M ~ sqrt(2 m_e E+).
    """
    mm = np.asarray(m, dtype=np.float64)
    if np.any(~np.isfinite(mm) | (mm <= 2 * m_e)):
        raise InvalidParameterError("m", float(np.min(mm)), "> 2 m_e")
    return np.asarray((mm * mm - 2.0 * m_e * m_e) / (2.0 * m_e))


def resonance_mass(E_positron: ArrayLike) -> FloatArray:
    """Mass [MeV] resonating with a positron of energy E+ on an electron at rest."""
    e = np.asarray(E_positron, dtype=np.float64)
    if np.any(~np.isfinite(e) | (e <= 0)):
        raise InvalidParameterError("E_positron", float(np.min(e)), "> 0 MeV")
    return np.asarray(np.sqrt(2.0 * m_e * m_e + 2.0 * m_e * e))


def annihilation_sigma(
    E_positron: ArrayLike, m: float, width: float, coupling_sq: float = 1.0, br: float = 1.0
) -> FloatArray:
    """Breit-Wigner sigma(e+ e- -> X -> f) [mm^2] for a vector X with coupling^2 ``coupling_sq``
    to the electron (Gamma_ee = coupling_sq M/(12 pi)), total width ``width`` [MeV], BR_f."""
    mm = _check_positive(m, "m", "> 2 m_e")
    gam = _check_positive(width, "width", "> 0 MeV")
    s = 2.0 * m_e * m_e + 2.0 * m_e * np.asarray(E_positron, dtype=np.float64)
    gamma_ee = coupling_sq * mm / (12.0 * math.pi)
    return np.asarray(
        12.0 * math.pi * gamma_ee * br * gam / ((s - mm * mm) ** 2 + (mm * gam) ** 2) * hbarc2
    )


def annihilation_integral(coupling_sq: float = 1.0, br: float = 1.0) -> float:
    """Narrow-width integral dE+ sigma [mm^2 MeV] = (pi/2) coupling_sq BR/m_e (handbook A.3)."""
    return 0.5 * math.pi * coupling_sq * br / m_e * hbarc2
