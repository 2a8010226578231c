"""K+ -> mu+ nu X (X a muon-philic scalar or vector) and K+ -> l+ N (heavy neutral lepton).

Handbook kaon_decays.md sections 2, 3, 7 and 9. Notation: M = m_K+, m = m_mu, m_X the mass of
X, ``s = m_miss^2 = (P_K - P_mu)^2 = (p_nu + p_X)^2`` and ``t = (p_mu + p_X)^2``.

Shapes (section 3.1; verified: NA62 MC generators kch2munuXscal.cc / kch2munuXvec.cc, which
cite KMRT, arXiv:1902.07715)::

    F_S = {M^2 [(t + m^2)^2 - m^2 m_X^2] - t [s (t - m^2) + (t + m^2)^2 - t m_X^2]} / (t - m^2)^2
    F_V = 2 - (m_X^2/s^2)(M^2 - m^2) + (t - 2M^2 + m^2)/s + (m^2 - M^2)(m_X^2 + 2m^2)/(t - m^2)^2
          + (s - 2M^2 + 2m^2)/(t - m^2) + 2[m_X^2 m^2 + (M^2 - m^2)^2]/[s (t - m^2)]

normalised to the *measured* K_mu2 width (section 3.2)::

    d2Gamma_S/(ds dt) = Gamma(K_mu2) g_S^2 F_S / [16 pi^2 m^2 (M^2 - m^2)^2]
    d2Gamma_V/(ds dt) = Gamma(K_mu2) g^2   F_V / [ 8 pi^2      (M^2 - m^2)^2]

"vector" is the L_mu - L_tau boson (emission from the muon *and* the nu_mu line; the sum obeys
the Ward identity, so there is no 1/m_X^2 growth). "vector-muon-only" is the Carlson-Rislow
vector coupled to the muon line only (section 3.3; PRD 86 (2012) 035013, arXiv:1206.3587), whose
longitudinal part grows as 1/m_X^2; it is kept for comparison (K-7), not as a physics default.

At fixed s every shape is a cubic polynomial in u = t - m^2 divided by u^2, so the t integral
is done in closed form (:func:`dbr_dm2miss`); the s integral uses fixed Gauss-Legendre nodes
in a variable that is logarithmic at the lower end and removes the square-root end point at
s = (M - m)^2 (:func:`branching_ratio`).

Units: hepunits (MeV); s, t in MeV^2; dBR/ds in MeV^-2.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike
from particle import Particle

from darkreach.array_types import FloatArray
from darkreach.constants import G_F, m_e, m_K_charged, m_mu
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.quadrature import gauss_legendre
from darkreach.units import GeV, MeV
from darkreach.validate import masses_in_window

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = [
    "BR_K_E2",
    "BR_K_MU2",
    "GAMMA_K",
    "SHAPES",
    "Shape",
    "branching_ratio",
    "d2br_dsdt",
    "dbr_dm2miss",
    "hnl_branching_ratio",
    "kinematic_limits",
    "kmu2_width_tree",
    "m2miss_max",
    "mass_max",
    "rho_hnl",
    "shape_for_model",
    "t_limits",
]


Shape = Literal["scalar", "vector", "vector-muon-only"]
SHAPES: tuple[str, ...] = get_args(Shape)

#: BR(K+ -> mu+ nu), PDG 0.6356 +- 0.0011. Status: unverified: confirm before relying
#: (kaon_decays.md section 9; KLOE 0.6366(17) verified, hep-ex/0509045).
BR_K_MU2: float = 0.6356
#: BR(K+ -> e+ nu), PDG 1.582e-5. Status: unverified: confirm before relying (section 9).
BR_K_E2: float = 1.582e-5

_K = Particle.from_pdgid(321)
#: Total K+ width [MeV] = hbar / tau_K from the ``particle`` PDG table (5.317e-14 MeV,
#: kaon_decays.md section 9, K-11).
GAMMA_K: float = float(_K.width) * MeV if _K.width else float("nan")

_M = m_K_charged
_m = m_mu
_M2 = _M * _M
_m2 = _m * _m
_D = _M2 - _m2  # M^2 - m^2

#: Gauss-Legendre nodes of the s integral in :func:`branching_ratio` (converged to < 1e-9 at 40).
BR_NODES = 64


def mass_max() -> float:
    """Kinematic end point m_K - m_mu [MeV] of K+ -> mu+ nu X (388.0 MeV)."""
    return _M - _m


def m2miss_max() -> float:
    """Largest m_miss^2 = (m_K - m_mu)^2 [MeV^2] (0.15056 GeV^2, K-11)."""
    return (_M - _m) ** 2


def _check_shape(shape: str) -> Shape:
    if shape not in SHAPES:
        raise InvalidParameterError("shape", repr(shape), ", ".join(SHAPES))
    return shape  # type: ignore[return-value]


def _check_mass(m_X: ArrayLike, field: str = "mass") -> FloatArray:
    top = mass_max()
    allowed = f"0 < {field} < m_K - m_mu = {top:.2f} MeV"
    return masses_in_window(m_X, 0.0, top, allowed, field).reshape(np.shape(m_X))


def _check_coupling(coupling: ArrayLike, field: str = "coupling") -> FloatArray:
    arr = np.asarray(coupling, dtype=np.float64)
    bad = ~(np.isfinite(arr) & (arr >= 0.0))
    if np.any(bad):
        raise InvalidParameterError(field, float(arr[bad].flat[0]), "finite and >= 0")
    return arr


def shape_for_model(model: Model) -> Shape:
    """The production shape of a model: spin "scalar" -> scalar, "vector" -> L_mu-L_tau vector.

    Only models whose X couples to the muon (and, for a vector, to the left-handed nu_mu with
    the same g, as L_mu - L_tau does) are supported; the muon coupling per unit g must be 1.
    """
    couplings = model.fermion_couplings()
    mu = couplings.get("mu")
    if model.spin == "scalar" and mu is not None and abs(mu.scalar - 1.0) < 1e-12:
        return "scalar"
    if model.spin == "vector" and mu is not None and abs(mu.vector - 1.0) < 1e-12:
        # the W vertex produces a left-handed nu_mu, which couples with c_V + c_A: 1 both for
        # P_L (1/2, 1/2) and for a Dirac neutrino (1, 0), so both give the same shape
        nu = couplings.get("nu_mu")
        if nu is not None and abs(nu.vector + nu.axial - 1.0) < 1e-12:
            return "vector"
    raise InvalidParameterError(
        "model",
        model.name,
        "a muon-philic scalar (g_S mubar mu) or the L_mu-L_tau vector (K -> mu nu X shapes)",
    )


# --------------------------------------------------------------------------- kinematics


def _lambda_kmu(s: FloatArray) -> FloatArray:
    """Kallen lambda(M^2, s, m^2), clipped at 0 [MeV^4]."""
    a = _D - s
    return np.clip(a * a - 4.0 * s * _m2, 0.0, None)


def kinematic_limits(m_X: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Range m_X^2 <= s <= (M - m)^2 of m_miss^2 [MeV^2] (section 2)."""
    mx = _check_mass(m_X)
    return mx * mx, np.full_like(mx, m2miss_max())


def _u_limits(s: FloatArray, mx2: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """u_pm = t_pm - m^2 and their difference, free of cancellations; s > 0."""
    a = _D - s  # M^2 - s - m^2
    root = np.sqrt(_lambda_kmu(s))
    apr = a + root
    # u_- = m_X^2 + [(s + m_X^2) a - (s - m_X^2) root] / (2s), rewritten without cancellation
    u_minus = mx2 + 2.0 * s * _m2 / apr + mx2 * apr / (2.0 * s)
    delta = np.clip(s - mx2, 0.0, None) * root / s  # t_+ - t_-
    return u_minus, u_minus + delta, delta


def t_limits(m2miss: ArrayLike, m_X: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """t_- and t_+ [MeV^2] at fixed s = m_miss^2 (section 2); NaN outside the s range."""
    s = np.asarray(m2miss, dtype=np.float64)
    mx = _check_mass(m_X)
    mx2 = mx * mx
    inside = (s >= mx2) & (s <= m2miss_max())
    ss = np.where(inside, s, m2miss_max())
    um, up, _ = _u_limits(ss, np.broadcast_to(mx2, ss.shape))
    return np.where(inside, um + _m2, np.nan), np.where(inside, up + _m2, np.nan)


# --------------------------------------------------------------------------- shapes


def _coefficients(
    shape: Shape, s: FloatArray, mx2: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, float]:
    """F = p0/u^2 + p1/u + p2 + p3 u (u = t - m^2) and the normalisation factor.

    The normalisation c is such that d2BR/(ds dt) = BR(K_mu2) g^2 c F. Coefficients derived
    from the section-3 formulas by polynomial division (checked against direct evaluation in
    the tests).
    """
    if shape == "scalar":
        p0 = _m2 * _D * (4.0 * _m2 - mx2)
        p1 = _m2 * (4.0 * _M2 - 8.0 * _m2 + 2.0 * mx2 - s)
        p2 = _M2 - 5.0 * _m2 + mx2 - s
        p3 = -np.ones_like(s)
        norm = 1.0 / (16.0 * math.pi**2 * _m2 * _D**2)
    elif shape == "vector":
        p0 = -_D * (2.0 * _m2 + mx2) * np.ones_like(s)
        p1 = (2.0 * _D**2 - 2.0 * s * _D + 2.0 * _m2 * mx2 + s * s) / s
        p2 = (-_D * mx2 - 2.0 * s * _D + 2.0 * s * s) / (s * s)
        p3 = 1.0 / s
        norm = 1.0 / (8.0 * math.pi**2 * _D**2)
    else:  # vector-muon-only (Carlson-Rislow), d2BR/dsdt = dBR/(dE_mu dE_nu) / (4 M^2)
        p0 = -0.5 * _m2 * _D * (2.0 * _m2 + mx2) * np.ones_like(s)
        p1 = -0.5 * _m2 * (2.0 * _M2 - 4.0 * _m2 - 2.0 * mx2 + s)
        p2 = (
            _M2 * _m2
            + _M2 * mx2
            - _m2 * _m2
            + 2.0 * _m2 * mx2
            + _m2 * s
            + 2.0 * mx2 * mx2
            - 2.0 * mx2 * s
        ) / (4.0 * mx2)
        p3 = (s - _m2 - 2.0 * mx2) / (4.0 * mx2)
        norm = 1.0 / (4.0 * math.pi**2 * _m2 * _D**2)
    return p0, p1, p2, p3, norm


def shape_function(shape: str, m2miss: ArrayLike, t: ArrayLike, m_X: ArrayLike) -> FloatArray:
    """The unnormalised shape F(s, t) of section 3 (F_S in MeV^2; F_V dimensionless).

    For "vector-muon-only" the Carlson-Rislow curly bracket divided by 4 pi^2 m^2 (M^2 - m^2)^2
    is replaced by the same normalisation convention as the others: F_CR = (t - m^2)^-2 * {...}
    * M^2 / (4 M^2) (section 3.3). No kinematic check: evaluate inside the Dalitz region.
    """
    sh = _check_shape(shape)
    s = np.asarray(m2miss, dtype=np.float64)
    mx = np.asarray(m_X, dtype=np.float64)
    mx2 = mx * mx
    u = np.asarray(t, dtype=np.float64) - _m2
    p0, p1, p2, p3, _ = _coefficients(sh, np.broadcast_to(s, np.broadcast(s, u, mx2).shape), mx2)
    return np.asarray(p0 / (u * u) + p1 / u + p2 + p3 * u, dtype=np.float64)


def d2br_dsdt(
    shape: str,
    m2miss: ArrayLike,
    t: ArrayLike,
    m_X: ArrayLike,
    coupling: ArrayLike,
    br_kmu2: float = BR_K_MU2,
) -> FloatArray:
    """d2BR(K+ -> mu+ nu X)/(ds dt) [MeV^-4] at (s, t); zero outside the Dalitz region."""
    sh = _check_shape(shape)
    mx = _check_mass(m_X)
    g = _check_coupling(coupling)
    s = np.asarray(m2miss, dtype=np.float64)
    tt = np.asarray(t, dtype=np.float64)
    s, tt, mx, g = np.broadcast_arrays(s, tt, mx, g)
    mx2 = mx * mx
    inside = (s > mx2) & (s < m2miss_max())
    ss = np.where(inside, s, 0.5 * (mx2 + m2miss_max()))
    um, up, _ = _u_limits(ss, mx2)
    u = tt - _m2
    inside &= (u >= um) & (u <= up)
    uu = np.where(inside, u, 0.5 * (um + up))
    p0, p1, p2, p3, norm = _coefficients(sh, ss, mx2)
    f = p0 / (uu * uu) + p1 / uu + p2 + p3 * uu
    return np.where(inside, br_kmu2 * g * g * norm * f, 0.0)


def _t_integral(shape: Shape, s: FloatArray, mx2: FloatArray) -> tuple[FloatArray, float]:
    """Closed-form integral of F over t at fixed s (zero outside the s range)."""
    inside = (s > mx2) & (s < m2miss_max())
    ss = np.where(inside, s, 0.5 * (mx2 + m2miss_max()))
    um, up, delta = _u_limits(ss, mx2)
    p0, p1, p2, p3, norm = _coefficients(shape, ss, mx2)
    integral = (
        p0 * delta / (um * up)
        + p1 * np.log1p(delta / um)
        + p2 * delta
        + p3 * delta * (um + up) * 0.5
    )
    return np.where(inside, integral, 0.0), norm


def dbr_dm2miss(
    shape: str,
    m2miss: ArrayLike,
    m_X: ArrayLike,
    coupling: ArrayLike = 1.0,
    br_kmu2: float = BR_K_MU2,
) -> FloatArray:
    """dBR(K+ -> mu+ nu X)/dm_miss^2 [MeV^-2] (section 3.2; K-2), X decay not included.

    Zero outside m_X^2 < m_miss^2 < (m_K - m_mu)^2; it vanishes at both end points.
    ``m2miss`` [MeV^2], ``m_X`` [MeV] and ``coupling`` broadcast.
    """
    sh = _check_shape(shape)
    mx = _check_mass(m_X)
    g = _check_coupling(coupling)
    s = np.asarray(m2miss, dtype=np.float64)
    s, mx, g = np.broadcast_arrays(s, mx, g)
    integral, norm = _t_integral(sh, s, mx * mx)
    return np.asarray(br_kmu2 * g * g * norm * integral, dtype=np.float64)


def _s_nodes(mx: FloatArray, n: int = BR_NODES) -> tuple[FloatArray, FloatArray]:
    """Nodes s [..., n] and weights ds for integrals over m_X^2 < s < (M - m)^2."""
    return _s_nodes_above(mx * mx, n)


def _s_nodes_above(smin: FloatArray, n: int = BR_NODES) -> tuple[FloatArray, FloatArray]:
    """Nodes s [..., n] and weights ds for integrals over smin < s < (M - m)^2.

    s = s_min (s_max/s_min)^w with w = 1 - (1 - v)^2, v Gauss-Legendre on [0, 1]: logarithmic
    near s_min (the vector spectrum varies on the scale m_X^2 there), and the sqrt end point at
    s_max becomes smooth.
    """
    v, wv = gauss_legendre(n, 0.0, 1.0)
    lo = np.asarray(smin, dtype=np.float64)[..., None]
    log_ratio = np.log(m2miss_max() / lo)
    w = 1.0 - (1.0 - v) ** 2
    s = lo * np.exp(w * log_ratio)
    ds = s * log_ratio * 2.0 * (1.0 - v) * wv
    return s, ds


def branching_ratio(
    shape: str,
    m_X: ArrayLike,
    coupling: ArrayLike = 1.0,
    m2miss_min: float | None = None,
    br_kmu2: float = BR_K_MU2,
) -> FloatArray:
    """BR(K+ -> mu+ nu X) (X decay not included), optionally only for m_miss^2 > m2miss_min.

    Handbook kaon_decays.md 3.2, 3.4 (K-1, K-5, K-7). Proportional to g^2.
    ``m_X`` [MeV] and ``coupling`` broadcast; ``m2miss_min`` [MeV^2] is a scalar.
    """
    sh = _check_shape(shape)
    mx = _check_mass(m_X)
    g = _check_coupling(coupling)
    mx, g = np.broadcast_arrays(mx, g)
    if m2miss_min is None:
        s, ds = _s_nodes(mx)
        integral, norm = _t_integral(sh, s, np.broadcast_to((mx * mx)[..., None], s.shape))
        total = np.sum(integral * ds, axis=-1)
    else:
        cut = float(m2miss_min)
        if not (0.0 <= cut <= m2miss_max()):
            raise InvalidParameterError(
                "m2miss_min",
                f"{cut / GeV**2:g} GeV2",
                f"0 <= m2miss_min <= (m_K - m_mu)^2 = {m2miss_max() / GeV**2:.5f} GeV2",
            )
        lo = np.maximum(mx * mx, cut)
        total = np.zeros(mx.shape)
        open_ = lo < m2miss_max()
        if np.any(open_):
            # same mapping, starting at max(m_X^2, cut)
            s, ds = _s_nodes_above(np.where(open_, lo, 0.5 * m2miss_max()))
            integral, norm = _t_integral(sh, s, np.broadcast_to((mx * mx)[..., None], s.shape))
            total = np.where(open_, np.sum(integral * ds, axis=-1), 0.0)
        else:
            norm = 1.0
    return np.asarray(br_kmu2 * g * g * norm * total, dtype=np.float64)


def mean_m2miss(shape: str, m_X: ArrayLike) -> FloatArray:
    """Mean m_miss^2 [MeV^2] of the signal spectrum (K-3)."""
    sh = _check_shape(shape)
    mx = _check_mass(m_X)
    s, ds = _s_nodes(mx)
    integral, _ = _t_integral(sh, s, np.broadcast_to((mx * mx)[..., None], s.shape))
    return np.asarray(np.sum(s * integral * ds, -1) / np.sum(integral * ds, -1))


# --------------------------------------------------------------------------- K_mu2 width


def kmu2_width_tree(f_K: float = 155.7 * MeV, V_us: float = 0.2243) -> float:
    """Tree-level Gamma(K+ -> mu+ nu) = G_F^2 |V_us|^2 f_K^2 M m^2 (1 - m^2/M^2)^2/(8 pi) [MeV].

    Section 3.2 (K-13). Defaults f_K = 155.7 MeV (FLAG) and |V_us| = 0.2243 (PDG 2022) are
    unverified: confirm before relying. About 2 % below the measured width (radiative
    corrections), which is why rates are normalised to the measured BR(K_mu2).
    """
    return float(G_F**2 * V_us**2 * f_K**2 * _M * _m2 * (1.0 - _m2 / _M2) ** 2 / (8.0 * math.pi))


# --------------------------------------------------------------------------- HNL


def _lepton_mass(lepton: str) -> float:
    if lepton == "mu":
        return float(m_mu)
    if lepton == "e":
        return float(m_e)
    raise InvalidParameterError("lepton", repr(lepton), "'e' or 'mu'")


def hnl_mass_max(lepton: str) -> float:
    """Kinematic end point m_K - m_l [MeV] of K+ -> l+ N."""
    return _M - _lepton_mass(lepton)


def rho_hnl(lepton: str, m_N: ArrayLike) -> FloatArray:
    """Helicity and phase-space factor rho_l(m_N) of K+ -> l+ N (section 7; K-10).

    rho = [(x + y) - (x - y)^2] / [x (1 - x)^2] * lambda^{1/2}(1, x, y), x = (m_l/m_K)^2,
    y = (m_N/m_K)^2; rho(0) = 1 and rho = 0 at m_N = m_K - m_l (lambda clipped at 0).
    Verified: NA62, PLB 807 (2020) 135599, Eqs. 1-2. ``m_N`` [MeV] in [0, m_K - m_l].
    """
    ml = _lepton_mass(lepton)
    mn = np.asarray(m_N, dtype=np.float64)
    top = _M - ml
    bad = ~(np.isfinite(mn) & (mn >= 0.0) & (mn <= top))
    if np.any(bad):
        value = float(mn[bad].flat[0])
        allowed = f"0 <= m_N <= m_K - m_{lepton} = {top:.2f} MeV"
        err = KinematicallyForbiddenError if value > top else InvalidParameterError
        raise err("mass", f"{value:g} MeV", allowed)
    x = (ml / _M) ** 2
    y = (mn / _M) ** 2
    # lambda(1, x, y) factorised in mass differences, so that it is exactly 0 at the end point
    # m_N = m_K - m_l (the 1/x prefactor amplifies rounding by ~1e6 for electrons)
    lam = np.clip(
        ((_M - ml) - mn) * (_M + ml + mn) * ((_M + ml) - mn) * (_M - ml + mn) / _M**4, 0.0, None
    )
    rho = ((x + y) - (x - y) ** 2) / (x * (1.0 - x) ** 2) * np.sqrt(lam)
    return np.asarray(rho, dtype=np.float64)


def hnl_branching_ratio(lepton: str, m_N: ArrayLike, mixing: ArrayLike) -> FloatArray:
    """BR(K+ -> l+ N) = BR(K+ -> l+ nu) rho_l(m_N) |U_l4|^2 (section 7).

    ``mixing`` is |U_l4|^2 (>= 0). BR(K_l2) from :data:`BR_K_MU2` / :data:`BR_K_E2`
    (unverified: confirm before relying).
    """
    u2 = _check_coupling(mixing, "mixing")
    br_l2 = BR_K_MU2 if lepton == "mu" else BR_K_E2
    return np.asarray(br_l2 * rho_hnl(lepton, m_N) * u2, dtype=np.float64)
