"""Nuclear form factors and the effective photon flux chi of a nucleus.

Handbook: ``muon_bremsstrahlung.md`` section 3 (Tsai 1974; Bjorken et al. 2009, App. A;
Kirpichnikov et al. 2021, Eq. 26). All momentum transfers ``t`` are in hepunits (MeV^2);
``chi`` is dimensionless.

    chi(t_min, t_max) = integral_{t_min}^{t_max} dt (t - t_min)/t^2 G2(t),   G2 = G2_el (+ G2_inel)

Handbook rule: ``chi = 0`` where ``t_min >= t_max``. The printed closed form of the elastic
flux cancels catastrophically for t_min >> t_d (off by 0.7 % at t_min = 100 GeV^2 at
t_max = (160 GeV)^2); :func:`photon_flux` therefore uses an algebraically identical,
cancellation-reduced rearrangement below ``100 t_d`` and Gauss-Legendre quadrature in
``w = t_min/t`` above (relative accuracy ~1e-10 everywhere).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.polynomial import Polynomial
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import m_e, m_proton, mu_proton
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre
from darkreach.units import GeV

__all__ = [
    "LEAD",
    "TUNGSTEN",
    "Nucleus",
    "elastic_flux",
    "elastic_flux_analytic",
    "g2_elastic",
    "g2_inelastic",
    "inelastic_flux",
    "photon_flux",
]

_T = TypeVar("_T", float, FloatArray)

#: Screening constants of the atomic form factors (Tsai 1974; handbook section 3,
#: verified: rikab/MuonBeamDump, DMG4): a = 111 Z^{-1/3}/m_e, a' = 773 Z^{-2/3}/m_e.
_SCREENING_ELASTIC = 111.0
_SCREENING_INELASTIC = 773.0
#: Nuclear-size parameter d = 0.164 A^{-2/3} GeV^2 (handbook section 3).
_NUCLEAR_SIZE = 0.164 * GeV**2
#: Proton dipole scale 0.71 GeV^2 of the inelastic form factor (handbook section 3).
_DIPOLE = 0.71 * GeV**2

#: Above t_min = _SWITCH_EL * t_d (elastic) or _SWITCH_INEL * 0.71 GeV^2 (inelastic) the
#: flux is integrated numerically in w = t_min/t instead of the closed forms (accuracy of
#: both sides checked against high-precision quadrature: tests/physics/test_form_factors.py).
_SWITCH_EL = 100.0
_SWITCH_INEL = 0.5
_N_GL_LARGE_T = 16


@dataclass(frozen=True)
class Nucleus:
    """A target nucleus: atomic number ``Z`` and molar mass ``A`` in g/mol.

    ``A`` enters the nuclear-size parameter d = 0.164 A^{-2/3} GeV^2 (handbook section 3,
    where the mass number is used; the molar mass differs from it by < 0.5 %, as in DMG4).
    """

    Z: int
    A: float

    def __post_init__(self) -> None:
        if isinstance(self.Z, bool) or not isinstance(self.Z, (int, np.integer)) or self.Z < 1:
            raise InvalidParameterError("Z", self.Z, "an integer >= 1")
        if not (isinstance(self.A, (int, float, np.floating)) and math.isfinite(self.A)) or (
            self.A <= 0
        ):
            raise InvalidParameterError("A", self.A, "a finite molar mass > 0 g/mol")

    @property
    def t_screening(self) -> float:
        """Elastic atomic-screening scale t_a = 1/a^2 [MeV^2], a = 111 Z^{-1/3}/m_e."""
        return float((m_e / (_SCREENING_ELASTIC * self.Z ** (-1.0 / 3.0))) ** 2)

    @property
    def t_screening_inelastic(self) -> float:
        """Inelastic screening scale t_a' = 1/a'^2 [MeV^2], a' = 773 Z^{-2/3}/m_e."""
        return float((m_e / (_SCREENING_INELASTIC * self.Z ** (-2.0 / 3.0))) ** 2)

    @property
    def t_nuclear(self) -> float:
        """Nuclear-size scale t_d = d = 0.164 A^{-2/3} GeV^2, in MeV^2."""
        return float(_NUCLEAR_SIZE * float(self.A) ** (-2.0 / 3.0))


#: Lead, handbook section 7 inputs.
LEAD = Nucleus(82, 207.2)
#: Tungsten, handbook section 7 inputs.
TUNGSTEN = Nucleus(74, 183.84)


def _as_t(value: ArrayLike, field: str) -> FloatArray:
    arr = np.asarray(value, dtype=np.float64)
    bad = ~np.isfinite(arr) | (arr < 0.0)
    if np.any(bad):
        raise InvalidParameterError(field, arr[bad].flat[0], "finite values >= 0 MeV^2")
    return arr


def _g2_elastic(t: FloatArray, nucleus: Nucleus) -> FloatArray:
    ta, td = nucleus.t_screening, nucleus.t_nuclear
    return np.asarray(nucleus.Z**2 * (t / (ta + t)) ** 2 * (td / (td + t)) ** 2)


def _g2_inelastic(t: FloatArray, nucleus: Nucleus) -> FloatArray:
    ta = nucleus.t_screening_inelastic
    proton = (1.0 + t * (mu_proton**2 - 1.0) / (4.0 * m_proton**2)) / (1.0 + t / _DIPOLE) ** 4
    return np.asarray(nucleus.Z * (t / (ta + t)) ** 2 * proton**2)


def g2_elastic(t: ArrayLike, nucleus: Nucleus) -> FloatArray:
    """Elastic form factor squared G2_el(t) (dimensionless), t in MeV^2.

    G2_el = Z^2 [a^2 t/(1 + a^2 t)]^2 [1/(1 + t/d)]^2 (handbook section 3; Bjorken et al.
    2009, Eq. A18; verified: rikab/MuonBeamDump, DMG4).
    """
    return _g2_elastic(_as_t(t, "t"), nucleus)


def g2_inelastic(t: ArrayLike, nucleus: Nucleus) -> FloatArray:
    """Inelastic (quasi-free proton) form factor squared G2_inel(t), t in MeV^2.

    G2_inel = Z [a'^2 t/(1 + a'^2 t)]^2 [(1 + t (mu_p^2 - 1)/(4 m_p^2))/(1 + t/0.71 GeV^2)^4]^2
    (handbook section 3; Bjorken et al. 2009, Eq. A19; verified: rikab/MuonBeamDump).
    """
    return _g2_inelastic(_as_t(t, "t"), nucleus)


def elastic_flux_analytic(t_min: ArrayLike, t_max: ArrayLike, nucleus: Nucleus) -> FloatArray:
    """The printed closed-form elastic flux, Z^2 [chi~(t_max) - chi~(t_min)] (no clipping).

    Kirpichnikov et al. 2021, Eq. 26, as written in handbook section 3 (verified form:
    CrossSectionsIceCube, DMG4). Kept for cross-checks only: it is wrong for
    ``t_min >= t_max`` (spurious positive value) and cancels catastrophically for
    t_min >~ 0.1 GeV^2. Use :func:`photon_flux`.
    """
    tmin = _as_t(t_min, "t_min")
    tmax = _as_t(t_max, "t_max")
    ta, td = nucleus.t_screening, nucleus.t_nuclear

    def chi_tilde(t: FloatArray) -> FloatArray:
        return np.asarray(
            td**2
            / (ta - td) ** 3
            * (
                (ta - td) * (ta + tmin) / (t + ta)
                + (ta - td) * (td + tmin) / (t + td)
                + (ta + td + 2.0 * tmin) * np.log((t + td) / (t + ta))
            )
        )

    return np.asarray(nucleus.Z**2 * (chi_tilde(tmax) - chi_tilde(tmin)))


def _gl_unit(n: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre nodes and weights on [0, 1] (the shared darkreach.quadrature rule)."""
    return gauss_legendre(n, 0.0, 1.0)


_GL_LARGE_T = _gl_unit(_N_GL_LARGE_T)


def _flux_large_t(
    tmin: FloatArray, tmax: FloatArray, nucleus: Nucleus, inelastic: bool
) -> FloatArray:
    """chi by Gauss-Legendre in w = t_min/t on [t_min/t_max, 1] (for t_min >> form-factor scales).

    chi = integral dw (1 - w)/w G2(t_min/w); for t_min above the switch scales the integrand is
    a smooth rational function of w with its poles at w <= -4, so 16 nodes reach ~1e-14.
    """
    u, wts = _GL_LARGE_T
    w0 = tmin / tmax
    w = w0[:, None] + (1.0 - w0)[:, None] * u
    t = tmin[:, None] / w
    ff = _g2_inelastic(t, nucleus) if inelastic else _g2_elastic(t, nucleus)
    return np.asarray(((1.0 - w) / w * ff * wts).sum(axis=-1) * (1.0 - w0))


def _elastic_closed(tmin: FloatArray, tmax: FloatArray, nucleus: Nucleus) -> FloatArray:
    """Closed-form elastic flux, rearranged to limit cancellation (requires tmin < tmax).

    See :func:`_elastic_closed_per_z2`.
    """
    per_z2 = _elastic_closed_per_z2(tmin, tmax, nucleus.t_screening, nucleus.t_nuclear)
    return np.asarray(nucleus.Z**2 * per_z2)


def _elastic_closed_per_z2(tmin: _T, tmax: _T, ta: float, td: float) -> _T:
    """chi_el/Z^2 in closed form for t_min < t_max (floats or arrays alike).

    With alpha = t_min + t_a, beta = t_min + t_d, delta = t_d - t_a, S = t_max - t_min
    (partial fractions of the integrand of handbook section 3):

        chi/Z^2 = t_d^2/delta^3 [ (alpha + beta) log1p(z) - delta (S/(S + alpha) + S/(S + beta)) ],
        z = delta S / (alpha (beta + S)).

    Algebraically identical to Eq. 26 of Kirpichnikov et al. 2021; the relative rounding error
    grows like 1e-16 (t_min/t_d)^2 instead of the printed form's (t_min/t_d)^3 or worse.
    """
    alpha = tmin + ta
    beta = tmin + td
    delta = td - ta
    span = tmax - tmin
    z = delta * span / (alpha * (beta + span))
    bracket = (alpha + beta) * np.log1p(z) - delta * (span / (span + alpha) + span / (span + beta))
    result: _T = td**2 / delta**3 * bracket
    return result


def _proton_polynomials() -> tuple[Polynomial, Polynomial, float]:
    """Antiderivative pieces of the proton part of the inelastic flux (constants only).

    In y = t/(t + 0.71 GeV^2) the proton factor is P^2 = (1 + (b - 1) y)^2 (1 - y)^6 with
    b = 0.71 GeV^2 (mu_p^2 - 1)/(4 m_p^2). With q = (P^2 - 1)/y, r = (q - q(1))/(y - 1),
    s = (q - q(0))/y, returns (R, S, q(0)) with R' = r, S' = s, R(0) = S(0) = 0.
    They depend on physical constants only and are evaluated once at import.
    """
    b = _DIPOLE * (mu_proton**2 - 1.0) / (4.0 * m_proton**2)
    d_poly = Polynomial([1.0, b - 1.0]) ** 2 * Polynomial([1.0, -1.0]) ** 6 - 1.0
    q = Polynomial(d_poly.coef[1:])
    r = (q - q(1.0)) // Polynomial([-1.0, 1.0])
    s = Polynomial(q.coef[1:])
    return r.integ(), s.integ(), float(q.coef[0])


_PROTON_R, _PROTON_S, _PROTON_Q0 = _proton_polynomials()


def _inelastic_closed(tmin: FloatArray, tmax: FloatArray, nucleus: Nucleus) -> FloatArray:
    """Closed-form inelastic flux (requires tmin < tmax, t_min < ~ 1 GeV^2).

    Uses G2_inel/Z = A^2 P^2 ~= A^2 + P^2 - 1 (A: atomic factor, P: proton factor). The
    neglected term (1 - A^2)(1 - P^2) <= 2 t_a' (8/0.71 GeV^2) ~ 3e-9 for Pb, i.e. a relative
    error of chi_inel of order 1e-8. Both pieces are then elementary:
    integral (t - t_min)/(t + t_a')^2 dt, and a polynomial + logarithms in y = t/(t + 0.71 GeV^2)
    (derivation: this module; cross-checked against quadrature of G2_inel in the tests).
    """
    ta = nucleus.t_screening_inelastic
    lam = _DIPOLE
    big_r, big_s, q0 = _PROTON_R, _PROTON_S, _PROTON_Q0
    span = tmax - tmin
    # atomic part and the two logarithms of the proton part, grouped so that the
    # t_max -> infinity growth cancels analytically.
    logs = np.log((tmax + ta) / (tmax + lam)) + np.log((tmin + lam) / (tmin + ta))
    atomic = logs - span / (tmax + ta)
    y_lo = tmin / (tmin + lam)
    y_hi = tmax / (tmax + lam)
    tau = tmin / lam
    with np.errstate(divide="ignore", invalid="ignore"):
        log_ratio = np.where(
            tmin > 0.0,
            np.log(tmax * (tmin + lam) / np.where(tmin > 0, tmin, 1.0) / (tmax + lam)),
            0.0,
        )
    proton = -(big_r(y_hi) - big_r(y_lo)) - tau * (big_s(y_hi) - big_s(y_lo)) - tau * q0 * log_ratio
    return np.asarray(nucleus.Z * (atomic + proton))


def _flux(
    tmin: FloatArray,
    tmax: FloatArray,
    nucleus: Nucleus,
    *,
    elastic: bool = True,
    inelastic: bool = False,
    switch_el: float = _SWITCH_EL,
    switch_inel: float = _SWITCH_INEL,
) -> FloatArray:
    """Unvalidated flux on broadcast float arrays (shared with the production code).

    ``switch_el`` (units of t_d) and ``switch_inel`` (units of 0.71 GeV^2) set where the closed
    forms give way to quadrature; the defaults keep chi accurate to ~1e-10 (elastic). The
    cross-section code raises them where its integrand weight is negligible (speed).
    """
    tmin_b, tmax_b = np.broadcast_arrays(np.asarray(tmin, dtype=np.float64), tmax)
    out = np.zeros(tmin_b.shape)
    open_ = tmin_b < tmax_b
    parts: list[tuple[bool, float]] = []
    if elastic:
        parts.append((False, switch_el * nucleus.t_nuclear))
    if inelastic:
        parts.append((True, switch_inel * _DIPOLE))
    for is_inel, switch in parts:
        closed_form = _inelastic_closed if is_inel else _elastic_closed
        small = open_ & (tmin_b < switch)
        if small.all():
            out += closed_form(tmin_b, tmax_b, nucleus)
            continue
        large = open_ & ~small
        if np.any(small):
            out[small] += closed_form(tmin_b[small], tmax_b[small], nucleus)
        if np.any(large):
            out[large] += _flux_large_t(tmin_b[large], tmax_b[large], nucleus, is_inel)
    return np.maximum(out, 0.0)


def elastic_flux(t_min: ArrayLike, t_max: ArrayLike, nucleus: Nucleus) -> FloatArray:
    """Elastic photon flux chi_el(t_min, t_max) (dimensionless); t in MeV^2, broadcast.

    Handbook section 3 (Kirpichnikov et al. 2021, Eq. 26 in a cancellation-reduced form;
    quadrature in w = t_min/t for t_min >= 100 t_d). ``chi = 0`` where t_min >= t_max.
    """
    return _flux(_as_t(t_min, "t_min"), _as_t(t_max, "t_max"), nucleus)


def inelastic_flux(t_min: ArrayLike, t_max: ArrayLike, nucleus: Nucleus) -> FloatArray:
    """Inelastic (quasi-free proton) photon flux chi_inel(t_min, t_max); t in MeV^2.

    Handbook section 3 (G2_inel verified: rikab/MuonBeamDump). Closed form below
    t_min = 0.5 x 0.71 GeV^2 (relative error <~1e-7, see :func:`_inelastic_closed`), quadrature
    in w = t_min/t above. ``chi = 0`` where t_min >= t_max.
    """
    return _flux(
        _as_t(t_min, "t_min"), _as_t(t_max, "t_max"), nucleus, elastic=False, inelastic=True
    )


def photon_flux(
    t_min: ArrayLike, t_max: ArrayLike, nucleus: Nucleus, inelastic: bool = False
) -> FloatArray:
    """Effective photon flux chi(t_min, t_max) = integral (t - t_min)/t^2 G2 dt (dimensionless).

    ``t_min``, ``t_max`` in MeV^2 (broadcast against each other). G2 = G2_el, plus G2_inel if
    ``inelastic``. Handbook section 3 (Tsai 1974; Bjorken et al. 2009, App. A); ``chi = 0``
    where t_min >= t_max (handbook implementation rule). Robust for large t_min (see module
    docstring); relative accuracy ~1e-10 (elastic), ~1e-8 (inelastic part).
    """
    return _flux(
        _as_t(t_min, "t_min"), _as_t(t_max, "t_max"), nucleus, elastic=True, inelastic=inelastic
    )
