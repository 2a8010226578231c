"""Standard-Model backgrounds of the NA62 K+ -> mu+ nu X searches.

1. K+ -> mu+ nu gamma inner bremsstrahlung (IB) with the photon undetected, the dominant
   background of the invisible search (handbook kaon_decays.md section 4; verified: NA62 MC
   kch2lnug.F after Bijnens-Ecker-Gasser hep-ph/9209261 and Chen-Geng-Lih arXiv:0710.2971).
   With x = 2 E_gamma/m_K, y = 2 E_mu/m_K, r = m_mu^2/m_K^2 (kaon rest frame)::

       d2Gamma/(dx dy) = Gamma(K_mu2) (alpha/(2 pi)) / (1 - r)^2 f_IB(x, y)
       f_IB = (1 - y + r)/(x^2 (x + y - 1 - r))
              * [x^2 + 2 (1 - x)(1 - r) - 2 x r (1 - r)/(x + y - 1 - r)]

   and m_miss^2 = m_K^2 (1 - y + r). The x integral at fixed m_miss^2 is done in closed form
   (partial fractions), the m_miss^2 integral with fixed Gauss-Legendre nodes.
2. K+ -> mu+ nu mu+ mu-, the irreducible background of the di-muon search (section 6): its
   rate is a stated parameter with two disagreeing, unverified values, and its di-muon mass
   shape a labelled modelling assumption (:func:`dimuon_background_cdf`).

Units: hepunits (MeV); m_miss^2 in MeV^2, densities per MeV^2 or per MeV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, m_K_charged, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.production.kaon import BR_K_MU2, m2miss_max
from darkreach.quadrature import gauss_legendre
from darkreach.units import GeV

__all__ = [
    "DIMUON_SHAPES",
    "K_MU_NU_MU_MU",
    "DimuonShape",
    "SourcedRate",
    "dimuon_background_cdf",
    "dimuon_background_density",
    "ib_branching_ratio",
    "ib_dbr_dm2miss",
    "k_mu_nu_mu_mu_branching_ratio",
]


_M = m_K_charged
_M2 = _M * _M
_r = (m_mu / m_K_charged) ** 2

#: Gauss-Legendre nodes of the m_miss^2 integral in :func:`ib_branching_ratio`.
IB_NODES = 96


def _ib_x_integral(sigma: FloatArray) -> FloatArray:
    """Integral of f_IB over the photon energy x at fixed sigma = m_miss^2/m_K^2 (in (0, smax)).

    With z = x - sigma: f = sigma/z + 2 sigma (1 - r)(1 - x)/(x^2 z) - 2 sigma r (1 - r)/(x z^2),
    integrated term by term. ``d = ln(z+/x+) - ln(z-/x-)`` is formed with log1p because its
    leading terms cancel against the 1/x terms for small sigma.
    """
    r = _r
    y = 1.0 + r - sigma
    h = np.sqrt(np.clip(0.25 * y * y - r, 0.0, None))
    # x_- = 1 - y/2 - h, computed without cancellation: (1 - y/2)^2 - h^2 = 1 - y + r = sigma
    x_plus = 1.0 - 0.5 * y + h
    x_minus = sigma / x_plus  # (1 - y/2)^2 - h^2 = sigma, so x_+ x_- = sigma
    one_minus_x_plus = r / (0.5 * y + h)  # = y/2 - h without cancellation
    z_plus = x_plus - sigma
    z_minus = sigma * one_minus_x_plus / x_plus  # = x_- - sigma > 0
    ln_z = np.log(z_plus / z_minus)
    # d = ln(z+/x+) - ln(z-/x-), with z-/x- = 1 - x+
    d = np.log1p(-sigma / x_plus) - np.log(one_minus_x_plus)
    inv_x = 1.0 / x_minus - 1.0 / x_plus
    inv_z = 1.0 / z_minus - 1.0 / z_plus
    # term 1
    t1 = sigma * ln_z
    # term 2: 2 sigma (1 - r) [ c (ln_z - ln_x) + b inv_x ], c = (1 - sigma)/sigma^2, b = -1/sigma
    t2 = 2.0 * sigma * (1.0 - r) * ((1.0 - sigma) / sigma**2 * d - inv_x / sigma)
    # term 3: -2 sigma r (1 - r) [ (ln_x - ln_z)/sigma^2 + inv_z/sigma ]
    t3 = -2.0 * sigma * r * (1.0 - r) * (-d / sigma**2 + inv_z / sigma)
    return np.asarray(t1 + t2 + t3, dtype=np.float64)


def ib_dbr_dm2miss(
    m2miss: ArrayLike, br_kmu2: float = BR_K_MU2, alpha: float = alpha_em
) -> FloatArray:
    """dBR(K+ -> mu+ nu gamma, IB)/dm_miss^2 [MeV^-2] (kaon_decays.md section 4; K-8).

    Diverges as m_miss^2 -> 0 (soft photons), vanishes at m_miss^2 = (m_K - m_mu)^2; zero
    outside (0, (m_K - m_mu)^2). No photon-veto or acceptance factor is included.
    """
    s = np.asarray(m2miss, dtype=np.float64)
    sigma = s / _M2
    inside = (s > 0.0) & (s < m2miss_max())
    safe = np.where(inside, sigma, 0.5 * m2miss_max() / _M2)
    value = br_kmu2 * alpha / (2.0 * math.pi) / (1.0 - _r) ** 2 * _ib_x_integral(safe) / _M2
    return np.where(inside, value, 0.0)


def ib_branching_ratio(
    m2miss_min: ArrayLike,
    m2miss_upper: float | None = None,
    br_kmu2: float = BR_K_MU2,
    alpha: float = alpha_em,
) -> FloatArray:
    """BR of the IB spectrum with m2miss_min < m_miss^2 < m2miss_upper (K-9).

    ``m2miss_min`` [MeV^2] must lie in (0, (m_K - m_mu)^2] (the spectrum diverges at 0);
    ``m2miss_upper`` defaults to the end point. Vectorised over ``m2miss_min``.
    """
    lo = np.asarray(m2miss_min, dtype=np.float64)
    top = m2miss_max() if m2miss_upper is None else float(m2miss_upper)
    bad = ~(np.isfinite(lo) & (lo > 0.0) & (lo <= m2miss_max()))
    if np.any(bad):
        raise InvalidParameterError(
            "m2miss_min",
            f"{float(lo[bad].flat[0]) / GeV**2:g} GeV2",
            f"0 < m2miss_min <= (m_K - m_mu)^2 = {m2miss_max() / GeV**2:.5f} GeV2",
        )
    if not (0.0 < top <= m2miss_max()):
        raise InvalidParameterError(
            "m2miss_max",
            f"{top / GeV**2:g} GeV2",
            f"0 < m2miss_max <= (m_K - m_mu)^2 = {m2miss_max() / GeV**2:.5f} GeV2",
        )
    hi = np.full_like(lo, top)
    lo_c = np.minimum(lo, hi)
    v, wv = gauss_legendre(IB_NODES, 0.0, 1.0)
    # logarithmic in s near the lower limit; the sqrt end point at s_max is smoothed by
    # w = 1 - (1 - v)^2 (only needed when the upper limit is the kinematic end point)
    log_ratio = np.log(hi / lo_c)[..., None]
    w = 1.0 - (1.0 - v) ** 2
    s = lo_c[..., None] * np.exp(w * log_ratio)
    ds = s * log_ratio * 2.0 * (1.0 - v) * wv
    total = np.sum(ib_dbr_dm2miss(s, br_kmu2, alpha) * ds, axis=-1)
    return np.asarray(total, dtype=np.float64)


# --------------------------------------------------------------------------- K -> mu nu mu mu


@dataclass(frozen=True)
class SourcedRate:
    """A branching ratio with its source and verification status."""

    value: float
    source: str
    status: Literal["verified", "cross-check", "unverified", "assumption"]
    note: str = ""


#: SM BR(K+ -> mu+ nu mu+ mu-): the two values in circulation (kaon_decays.md section 6).
#: Both unverified: confirm before relying; they disagree by a factor ~5.
K_MU_NU_MU_MU: dict[str, SourcedRate] = {
    "kmrt": SourcedRate(
        7e-8,
        "[T1] D. Redigolo talk on KMRT, arXiv:1902.07715 (source of the number not given)",
        "unverified",
        "disagrees with the ChPT value; confirm against PDG before relying",
    ),
    "chpt": SourcedRate(
        1.35e-8,
        "Bijnens, Ecker, Gasser, hep-ph/9209261 (ChPT), as recalled in kaon_decays.md 6",
        "unverified",
        "disagrees with the [T1] value; confirm before relying",
    ),
}


def k_mu_nu_mu_mu_branching_ratio(source: str = "kmrt") -> SourcedRate:
    """The SM BR(K+ -> mu+ nu mu+ mu-) with its source ("kmrt" 7e-8 or "chpt" 1.35e-8)."""
    if source not in K_MU_NU_MU_MU:
        raise InvalidParameterError("source", repr(source), ", ".join(K_MU_NU_MU_MU))
    return K_MU_NU_MU_MU[source]


DimuonShape = Literal["kroll-wada", "phase-space", "flat"]
DIMUON_SHAPES: tuple[str, ...] = get_args(DimuonShape)

_DIMUON_TABLE = 2048


def _dimuon_weight(m: FloatArray, shape: DimuonShape) -> FloatArray:
    """Unnormalised density in the opposite-sign di-muon mass m (2 m_mu < m < m_K - m_mu).

    "phase-space": K -> mu+ nu (gamma* of mass m) three-body phase space times the
    two-body phase space beta of gamma* -> mu+ mu-, i.e. a constant matrix element;
    "kroll-wada": that times the virtual-photon factor (2/m)(1 + 2 m_mu^2/m^2) of the
    Kroll-Wada relation (a gamma* -> mu mu conversion); "flat": uniform in m.
    All three are modelling assumptions (no published spectrum, kaon_decays.md 6).
    """
    if shape == "flat":
        return np.ones_like(m)
    beta = np.sqrt(np.clip(1.0 - 4.0 * m_mu**2 / (m * m), 0.0, None))
    # Phi3(m) = int_{m^2}^{(M - m_mu)^2} ds (s - m^2)/s lambda^{1/2}(M^2, s, m_mu^2)
    v, wv = gauss_legendre(48, 0.0, 1.0)
    lo = (m * m)[..., None]
    hi = m2miss_max()
    s = hi - (hi - lo) * (1.0 - v) ** 2  # sqrt end point at hi
    ds = 2.0 * (hi - lo) * (1.0 - v) * wv
    lam = np.clip((_M2 - m_mu**2 - s) ** 2 - 4.0 * s * m_mu**2, 0.0, None)
    phi3 = np.sum((s - lo) / s * np.sqrt(lam) * ds, axis=-1)
    weight = beta * phi3
    if shape == "kroll-wada":
        weight = weight * (2.0 / m) * (1.0 + 2.0 * m_mu**2 / (m * m))
    return np.asarray(weight, dtype=np.float64)


def _dimuon_table(shape: DimuonShape) -> tuple[FloatArray, FloatArray]:
    lo, hi = 2.0 * m_mu, _M - m_mu
    # u in [0, 1] -> m with square-root behaviour resolved at both ends
    u = np.linspace(0.0, 1.0, _DIMUON_TABLE)
    m = lo + (hi - lo) * (1.0 - np.cos(math.pi * u)) / 2.0
    dm_du = (hi - lo) * math.pi * np.sin(math.pi * u) / 2.0
    f = _dimuon_weight(np.clip(m, lo * (1 + 1e-15), hi), shape) * dm_du
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(u))])
    return m, cdf / cdf[-1]


def _check_dimuon_shape(shape: str) -> DimuonShape:
    if shape not in DIMUON_SHAPES:
        raise InvalidParameterError("shape", repr(shape), ", ".join(DIMUON_SHAPES))
    return shape  # type: ignore[return-value]


def dimuon_background_cdf(m_mumu: ArrayLike, shape: str = "kroll-wada") -> FloatArray:
    """Cumulative distribution of the K -> mu nu mu mu opposite-sign di-muon mass [0..1].

    ``m_mumu`` [MeV]; 0 below 2 m_mu and 1 above m_K - m_mu. Shapes: see
    :func:`_dimuon_weight` (modelling assumptions, status "assumption").
    """
    sh = _check_dimuon_shape(shape)
    m_tab, cdf = _dimuon_table(sh)
    return np.asarray(np.interp(np.asarray(m_mumu, dtype=np.float64), m_tab, cdf))


def dimuon_background_density(m_mumu: ArrayLike, shape: str = "kroll-wada") -> FloatArray:
    """Normalised density [MeV^-1] of the di-muon mass of K -> mu nu mu mu (assumption)."""
    sh = _check_dimuon_shape(shape)
    m = np.asarray(m_mumu, dtype=np.float64)
    m_tab, _ = _dimuon_table(sh)
    lo, hi = 2.0 * m_mu, _M - m_mu
    inside = (m > lo) & (m < hi)
    safe = np.where(inside, m, 0.5 * (lo + hi))
    norm = np.trapezoid(
        _dimuon_weight(m_tab[1:-1], sh), m_tab[1:-1]
    )  # endpoints are zeros of beta / phase space
    return np.where(inside, _dimuon_weight(safe, sh) / norm, 0.0)
