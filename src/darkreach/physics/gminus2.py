"""One-loop contribution of a light boson to the muon anomalous magnetic moment.

Handbook gminus2.md. For a boson of mass M coupled to the muon with strength g
(r = M / m_mu):

    Delta a_mu = (g^2 / (8 pi^2)) I(r),   I(r) = int_0^1 dx Q(x) / [x^2 + (1 - x) r^2]

| kind | interaction | Q(x) |
|---|---|---|
| vector | ``g V_a mubar g^a mu`` | ``2 x^2 (1 - x)`` |
| axial | ``g A_a mubar g^a g5 mu`` | ``2 x (1 - x)(x - 4) - 4 x^3 / r^2`` |
| scalar | ``-g S mubar mu`` | ``x^2 (2 - x)`` |
| pseudoscalar | ``-i g P mubar g5 mu`` | ``-x^3`` |

Status: vector verified (Endo, Hamaguchi, Mishima, arXiv:1209.2558 Eq. 6, as coded in DarkCast
limits/AMM.py); scalar and pseudoscalar verified (Leveille, NPB 137 (1978) 63, closed forms in
NMSSMTools magnmu.f); axial: unverified: confirm before relying (Jegerlehner and Nyffeler,
Phys. Rept. 477 (2009) 1, arXiv:0902.3360). Vector and scalar contributions are positive,
axial and pseudoscalar negative.

The module also keeps the reference values of Delta a_mu = a_exp - a_SM (gminus2.md section
2) with their provenance, and draws the coupling band of section 3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

import numpy as np
from numpy.typing import ArrayLike

from darkreach import constants
from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre_on_bins
from darkreach.validate import checked_array

__all__ = [
    "DEFAULT_REFERENCE",
    "REFERENCES",
    "CouplingBand",
    "GMinus2Reference",
    "LoopKind",
    "coupling_band",
    "default_reference",
    "delta_a_mu",
    "get_reference",
    "loop_integral",
]

LoopKind = Literal["vector", "axial", "scalar", "pseudoscalar"]
_KINDS: tuple[str, ...] = get_args(LoopKind)
#: kinds whose contribution to a_mu is negative
_NEGATIVE_KINDS = frozenset({"axial", "pseudoscalar"})


def _geometric_gauss_rule(
    nodes: int = 20, smallest: float = 1e-16, ratio: float = 3.0
) -> tuple[FloatArray, FloatArray]:
    """Composite Gauss-Legendre rule on [0, 1/2] with geometrically growing panels.

    The panels resolve every scale from ``smallest`` to 1/2, so an integrand varying on a
    scale s near an end point is integrated to machine precision for s down to ~1e-15.
    """
    edges = [0.0]
    edge = smallest
    while edge < 0.5:
        edges.append(edge)
        edge *= ratio
    edges.append(0.5)
    points, weights = gauss_legendre_on_bins(np.asarray(edges), nodes)
    return points.ravel(), weights.ravel()


_S, _W = _geometric_gauss_rule()


def loop_integral(r: ArrayLike, kind: LoopKind) -> FloatArray:
    """``I(r) = int_0^1 Q(x) / [x^2 + (1 - x) r^2] dx`` for ``r = M / m_mu > 0`` (vectorised).

    The interval is split at x = 1/2; each half is integrated with a composite
    Gauss-Legendre rule on geometric panels in x (near 0, scale r for light bosons) and in
    1 - x (near 1, scale 1/r^2 for heavy bosons), with 1 - x carried exactly. Accuracy is at
    the level of rounding (~1e-15 relative, checked against 40-digit quadrature) for
    1e-6 <= r <= 1e5, and better than 1e-6 for 1e-4 <= r <= 1e4 as required.

    Limits (gminus2.md 1): r -> 0: V -> 1, S -> 3/2, P -> -1/2, A -> -2/r^2;
    r -> inf: V -> 2/(3 r^2), A -> -10/(3 r^2), S -> (ln r^2 - 7/6)/r^2,
    P -> -(ln r^2 - 11/6)/r^2.
    """
    if kind not in _KINDS:
        raise InvalidParameterError("kind", kind, ", ".join(_KINDS))
    ratio = np.asarray(r, dtype=np.float64)
    bad = ~(np.isfinite(ratio) & (ratio > 0.0))
    if np.any(bad):
        raise InvalidParameterError("r", float(ratio[bad].flat[0]), "finite and > 0 (M / m_mu)")
    flat = ratio.ravel()
    out = np.empty(flat.shape)
    for start in range(0, flat.size, _CHUNK):  # bounded memory for large grids
        out[start : start + _CHUNK] = _integral_chunk(flat[start : start + _CHUNK], kind)
    return out.reshape(ratio.shape)


_CHUNK = 2048


def _integral_chunk(ratio: FloatArray, kind: str) -> FloatArray:
    """:func:`loop_integral` for a 1-d array of validated r."""
    r2 = (ratio * ratio)[:, np.newaxis]
    total = np.zeros(ratio.shape)
    for x, y in ((_S, 1.0 - _S), (1.0 - _S, _S)):  # y = 1 - x, exact on its own half
        denominator = x * x + y * r2
        if kind == "vector":
            numerator = 2.0 * x * x * y
        elif kind == "scalar":
            numerator = x * x * (1.0 + y)
        elif kind == "pseudoscalar":
            numerator = -(x**3)
        else:
            numerator = 2.0 * x * y * (x - 4.0) - 4.0 * x**3 / r2
        total = total + np.sum(_W * (numerator / denominator), axis=-1)
    return total


def delta_a_mu(mass: ArrayLike, coupling: ArrayLike, kind: LoopKind = "vector") -> FloatArray:
    """One-loop ``Delta a_mu = g^2 I(M / m_mu) / (8 pi^2)`` (dimensionless; gminus2.md 1).

    ``mass`` M in MeV, ``coupling`` g >= 0 (broadcast). Only the muon loop is included: for
    the L_mu - L_tau Z' use ``kind="vector"`` (the tau does not enter at one loop). The axial
    formula is unverified: confirm before relying (gminus2.md 1).
    """
    m = checked_array(mass, "mass", allow_zero=False)
    g = checked_array(coupling, "coupling", allow_zero=True)
    return np.asarray(g * g * loop_integral(m / constants.m_mu, kind) / (8.0 * math.pi**2))


@dataclass(frozen=True)
class GMinus2Reference:
    """A value of ``Delta a_mu = a_exp - a_SM`` with its inputs and provenance.

    All a-values are dimensionless (not in units of 1e-11). Errors are one standard
    deviation; ``delta_err`` adds the experimental and theory errors in quadrature unless the
    source quotes it. ``verified`` is True when the delta (quoted, or derived from its inputs)
    was read in the public source named in ``provenance``; the description says which
    numbers are reconstructions.
    """

    label: str
    a_exp: float
    a_exp_err: float
    a_sm: float
    a_sm_err: float
    delta: float
    delta_err: float
    description: str
    provenance: str
    verified: bool

    @property
    def significance(self) -> float:
        """``delta / delta_err`` (number of standard deviations)."""
        return self.delta / self.delta_err


_E11 = 1e-11


def _derived(
    label: str,
    a_exp: float,
    a_exp_err: float,
    a_sm: float,
    a_sm_err: float,
    description: str,
    provenance: str,
    verified: bool,
) -> GMinus2Reference:
    """Reference with Delta derived from (a_exp, a_SM); inputs in units of 1e-11."""
    return GMinus2Reference(
        label=label,
        a_exp=a_exp * _E11,
        a_exp_err=a_exp_err * _E11,
        a_sm=a_sm * _E11,
        a_sm_err=a_sm_err * _E11,
        delta=(a_exp - a_sm) * _E11,  # exact in units of 1e-11, then scaled
        delta_err=math.hypot(a_exp_err, a_sm_err) * _E11,
        description=description,
        provenance=provenance,
        verified=verified,
    )


#: Delta a_mu references of gminus2.md section 2, keyed by name.
REFERENCES: dict[str, GMinus2Reference] = {
    "bnl-talks-2019": GMinus2Reference(
        label="BNL E821 vs SM (talks 2019)",
        a_exp=116592091 * _E11,
        a_exp_err=63 * _E11,
        a_sm=116591818.4 * _E11,
        a_sm_err=49 * _E11,
        delta=273 * _E11,
        delta_err=80 * _E11,
        description=(
            "273(80)e-11 as shown in [T1] (KMRT, arXiv:1902.07715 talk), citing E821 and "
            "Aoyama et al. 2012 (QED), Kurz et al. 2014 (hadronic). Delta is the quoted value. "
            "a_exp, a_SM are a reconstruction (unverified: confirm before relying): E821 "
            "116592091(63) (CODATA-2010 constants) and SM 116591803(49) (PDG 2014) + 12.4 "
            "(NNLO HVP) + 3 (NLO HLbL); they give 272.6(79.8)."
        ),
        provenance="[T1] slides (verified); reconstruction: gminus2.md section 2",
        verified=True,
    ),
    "na64mu-proposal": _derived(
        "BNL vs SM (NA64mu proposal)",
        116592089,
        63,
        116591803,
        49,
        "Values shown in the NA64mu proposal talk [T2] (3.6 sigma); Delta derived = 286(80).",
        "[T2] slides (verified); Delta derived (cross-check)",
        True,
    ),
    "knt18": GMinus2Reference(
        label="BNL vs KNT18",
        a_exp=116592091 * _E11,
        a_exp_err=63.3 * _E11,
        a_sm=116591820.5 * _E11,
        a_sm_err=35.6 * _E11,
        delta=270.5 * _E11,
        delta_err=72.6 * _E11,
        description=(
            "a_SM of KNT18 (arXiv:1802.02995, verified); Delta 270.5(72.6) as quoted by KNT18 "
            "(unverified: not in the abstract). a_exp 116592091(63.3) is inferred."
        ),
        provenance="arXiv:1802.02995 abstract; gminus2.md section 2",
        verified=False,
    ),
    "bodas-coy-king": _derived(
        "BNL (PDG) vs WP20 (DarkCast AMM)",
        116592089,
        63,
        116591810,
        43,
        "BNL-PDG a_exp minus the WP20 SM prediction: 279(76), the band DarkCast draws "
        "(Eq. 1 of arXiv:2102.07781).",
        "DarkCast limits/AMM.py (verified); arXiv:2006.04822 (WP20)",
        True,
    ),
    "fnal2021-wp20": _derived(
        "FNAL 2021 + BNL vs WP20",
        116592061,
        41,
        116591810,
        43,
        "World average after FNAL Run 1 (PRL 126 (2021) 141801) minus WP20: 251(59), 4.2 sigma.",
        "arXiv:2104.03281 (verified); WP20 arXiv:2006.04822 (verified); Delta derived",
        True,
    ),
    "fnal2023-wp20": _derived(
        "FNAL 2023 + BNL vs WP20",
        116592059,
        22,
        116591810,
        43,
        "World average after FNAL Runs 1-3 (0.19 ppm) minus WP20: 249(48), about 5 "
        "sigma. The last comparison with a significant anomaly.",
        "arXiv:2308.06230 (verified); WP20 arXiv:2006.04822 (verified); Delta derived",
        True,
    ),
    "fnal2023-wp25": _derived(
        "FNAL 2023 + BNL vs WP25",
        116592059,
        22,
        116592033,
        62,
        "World average after FNAL Runs 1-3 minus WP25 (lattice LO HVP): 26(66), no anomaly.",
        "arXiv:2505.21476 abstract (verified, quotes 26(66)); arXiv:2308.06230",
        True,
    ),
    "fnal2025-wp25": _derived(
        "FNAL 2025 (final) + BNL vs WP25",
        116592071.5,
        14.5,
        116592033,
        62,
        "Final world average (124 ppb) minus WP25: 38.5(63.7), no significant anomaly. "
        "Central values and errors of the final average: unverified: confirm before relying.",
        "arXiv:2506.03069 (127 ppb verified; values unverified); WP25 arXiv:2505.21476",
        False,
    ),
}

#: Name of the default reference (see :func:`default_reference`).
DEFAULT_REFERENCE = "fnal2023-wp20"


def get_reference(name: str) -> GMinus2Reference:
    """The :data:`REFERENCES` entry ``name``; unknown names raise InvalidParameterError."""
    try:
        return REFERENCES[name]
    except KeyError:
        raise InvalidParameterError("reference", repr(name), ", ".join(REFERENCES)) from None


def default_reference() -> GMinus2Reference:
    """The default band: ``"fnal2023-wp20"``, Delta a_mu = 249(48)e-11.

    It is the last (experiment, theory) pair with a significant anomaly (about 5 sigma), the one
    NA64mu-era plots show. With the lattice-based WP25 prediction the anomaly is gone
    (``"fnal2025-wp25"``: 38.5(63.7)e-11, and ``"fnal2023-wp25"``); a plot of "the g-2 band"
    must say which reference it uses (gminus2.md section 3). Which reference the NA64mu
    2022 papers used is unverified: confirm before relying.
    """
    return REFERENCES[DEFAULT_REFERENCE]


class CouplingBand(NamedTuple):
    """Edges of the g-2 band in the coupling (dimensionless, arrays over mass).

    ``low``: lower edge of the band that explains Delta within n sigma (NaN where there is
    none: Delta - n sigma <= 0, or a negative-contribution kind). ``high``: couplings above it
    are excluded at n sigma (for vector/scalar the upper band edge; for axial/pseudoscalar the
    exclusion edge, 0 when even g -> 0 is excluded, i.e. Delta - n sigma > 0).
    """

    low: FloatArray
    high: FloatArray


def coupling_band(
    mass: ArrayLike,
    reference: str | GMinus2Reference | None = None,
    kind: LoopKind = "vector",
    nsigma: float = 2.0,
) -> CouplingBand:
    """Band of couplings g(M) compatible with Delta a_mu at ``nsigma`` (gminus2.md 3).

    ``mass`` M in MeV; ``reference`` a :data:`REFERENCES` key or a
    :class:`GMinus2Reference` (None: :func:`default_reference`). Positive kinds (vector,
    scalar): ``g_pm = sqrt(8 pi^2 (Delta +- n sigma) / I(M/m_mu))``, ``low`` NaN where
    Delta - n sigma <= 0. Negative kinds (axial, pseudoscalar) cannot explain Delta > 0:
    ``low`` is NaN and ``high = sqrt(8 pi^2 (n sigma - Delta) / abs(I))`` is the edge of the
    exclusion ``Delta a_NP < Delta - n sigma`` (0 where Delta - n sigma > 0).
    """
    if reference is None:
        ref = default_reference()
    elif isinstance(reference, GMinus2Reference):
        ref = reference
    else:
        ref = get_reference(reference)
    if not (math.isfinite(nsigma) and nsigma > 0.0):
        raise InvalidParameterError("nsigma", nsigma, "finite and > 0")
    m = checked_array(mass, "mass", allow_zero=False)
    integral = loop_integral(m / constants.m_mu, kind)
    upper = ref.delta + nsigma * ref.delta_err
    lower = ref.delta - nsigma * ref.delta_err
    factor = 8.0 * math.pi**2
    nan = np.full(m.shape, np.nan)
    if kind in _NEGATIVE_KINDS:
        edge = np.sqrt(factor * max(-lower, 0.0) / np.abs(integral))
        return CouplingBand(nan, np.asarray(edge, dtype=np.float64))
    high = np.sqrt(factor * max(upper, 0.0) / integral)
    low = np.sqrt(factor * lower / integral) if lower > 0.0 else nan
    return CouplingBand(np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64))
