"""Loop-induced kinetic mixing of the L_mu - L_tau Z' with the photon.

Handbook models.md section 2. Muon and tau loops (opposite charges) give the Z' a coupling
``eps(q^2) e Q_f`` to every charged fermion f, with

    eps(q^2) / g = (e / (2 pi^2)) int_0^1 dx x (1 - x)
                   ln[(m_tau^2 - x(1-x) q^2) / (m_mu^2 - x(1-x) q^2)],     q^2 -> q^2 + i0.

Status: the form is verified in DarkCast (models/Lmu-Ltau_boson.py, Eq. 7 of C. A. Amaral
et al., arXiv:2006.11225) and DMG4 (DarkZAnnihilation); the numbers of models.md 2.2 are
cross-check values (independent computation, not published). Low q^2:
``eps(0) = e g ln(m_tau^2 / m_mu^2) / (12 pi^2) = g / 69.29``.

Sign convention (handbook README, choice 3): eps is returned with the sign of the loop
integral above (positive at q^2 = 0, Im eps > 0 between 2 m_mu and 2 m_tau); only abs(eps)
enters rates.

Units: q^2 in MeV^2, masses in MeV (hepunits); eps / g is dimensionless.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach import constants
from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em
from darkreach.errors import InvalidParameterError
from darkreach.validate import checked_array

__all__ = [
    "epsilon_over_g",
    "epsilon_over_g_darkcast",
    "epsilon_over_g_dmg4",
    "epsilon_over_g_zero",
    "loop_epsilon",
]

ComplexArray = NDArray[np.complex128]


def _tanh_sinh(step: float = 1.0 / 16.0, vmax: float = 3.5) -> tuple[FloatArray, ...]:
    """Tanh-sinh rule on [-1, 1]: (1 + t, 1 - t, weights), endpoint distances kept exact."""
    v = np.arange(-vmax, vmax + 0.5 * step, step)
    arg = 0.5 * math.pi * np.sinh(v)
    # 1 - tanh(a) = 2 / (1 + exp(2a)) and 1 + tanh(a) = 2 / (1 + exp(-2a)): no cancellation
    one_minus = 2.0 / (1.0 + np.exp(2.0 * arg))
    one_plus = 2.0 / (1.0 + np.exp(-2.0 * arg))
    weights = step * 0.5 * math.pi * np.cosh(v) / np.cosh(arg) ** 2
    return one_plus, one_minus, weights


_ONE_PLUS, _ONE_MINUS, _WEIGHTS = _tanh_sinh()


_CHUNK = 2048


def _loop_log_integral(z: FloatArray) -> ComplexArray:
    """:func:`_loop_log_chunk` over any shape, in chunks (bounded memory)."""
    flat = np.asarray(z, dtype=np.float64).ravel()
    out = np.empty(flat.shape, dtype=np.complex128)
    for start in range(0, flat.size, _CHUNK):
        out[start : start + _CHUNK] = _loop_log_chunk(flat[start : start + _CHUNK])
    return out.reshape(np.shape(z))


def _loop_log_chunk(z: FloatArray) -> ComplexArray:
    """``K(z) = int_0^1 x(1-x) ln(1 - x(1-x)(z + i0)) dx`` for real z = q^2 / m_l^2.

    Written with ``u = 1/2 - x`` (``x(1-x) = 1/4 - u^2``) as
    ``2 int_0^{1/2} (1/4 - u^2) ln(1 - z/4 + z u^2 - i0) du``. For z > 4 the argument
    vanishes at ``u0 = sqrt(1/4 - 1/z)`` (the kinks x = (1 +- beta)/2 of the handbook):
    the interval is split there, the logarithm is evaluated in factorised form
    ``ln z + ln|u - u0| + ln(u + u0) - i pi Theta(u0 - u)``, and each piece is integrated by
    the tanh-sinh rule, which converges exponentially despite the logarithmic end points.
    """
    z = np.asarray(z, dtype=np.float64)[..., np.newaxis]
    above = z > 4.0
    safe_z = np.where(above, z, 5.0)
    u0 = np.where(above, np.sqrt(0.25 - 1.0 / safe_z), 0.25)  # split point (arbitrary below)

    def piece(a: FloatArray, b: FloatArray, left_is_u0: bool) -> ComplexArray:
        width = b - a
        dist_a = 0.5 * width * _ONE_PLUS  # u - a
        dist_b = 0.5 * width * _ONE_MINUS  # b - u
        u = a + dist_a
        weight = 0.5 * width * _WEIGHTS
        poly = 0.25 - u * u
        # below threshold: 1 - z/4 + z u^2 > 0 (log1p for small |z| keeps precision)
        arg = (1.0 - 0.25 * z) + z * u * u
        small = np.abs(z) < 1.0
        log_below = np.where(
            small,
            np.log1p(np.where(small, z * (u * u - 0.25), 0.0)),
            np.log(np.where(arg > 0, arg, 1.0)),
        )
        # above threshold: z (u - u0)(u + u0) with the exact distance to u0
        dist_u0 = dist_a if left_is_u0 else dist_b
        log_above = np.log(safe_z) + np.log(np.where(dist_u0 > 0, dist_u0, 1e-300)) + np.log(u + u0)
        # ln of a negative argument - i0: -i pi on [0, u0), i.e. between the two kinks
        imag = 0.0 if left_is_u0 else np.where(above, -math.pi, 0.0)
        value = np.where(above, log_above, log_below) + 1j * imag
        return np.asarray(2.0 * np.sum(weight * poly * value, axis=-1), dtype=np.complex128)

    zero = np.zeros_like(u0)
    half = np.full_like(u0, 0.5)
    return piece(zero, u0, left_is_u0=False) + piece(u0, half, left_is_u0=True)


def _electric_charge(alpha: float) -> float:
    if not (math.isfinite(alpha) and alpha > 0.0):
        raise InvalidParameterError("alpha", alpha, "finite and > 0")
    return math.sqrt(4.0 * math.pi * alpha)


def _check_lepton_masses(m_mu: float, m_tau: float) -> None:
    if not (math.isfinite(m_mu) and 0.0 < m_mu < m_tau and math.isfinite(m_tau)):
        raise InvalidParameterError("(m_mu, m_tau)", (m_mu, m_tau), "0 < m_mu < m_tau MeV")


def epsilon_over_g_zero(
    *, m_mu: float = constants.m_mu, m_tau: float = constants.m_tau, alpha: float = alpha_em
) -> float:
    """``eps(0) / g = e ln(m_tau^2 / m_mu^2) / (12 pi^2)`` (~0.014433 = 1/69.29; MOD-6)."""
    _check_lepton_masses(m_mu, m_tau)
    return _electric_charge(alpha) * math.log(m_tau**2 / m_mu**2) / (12.0 * math.pi**2)


def epsilon_over_g(
    q2: ArrayLike,
    *,
    m_mu: float = constants.m_mu,
    m_tau: float = constants.m_tau,
    alpha: float = alpha_em,
) -> ComplexArray:
    """Complex ``eps(q^2) / g`` from the Feynman-parameter integral (models.md 2.1).

    ``q2`` [MeV^2] may be time-like (> 0, with the +i0 prescription) or space-like (<= 0).
    The x-integral is done numerically with complex logarithms, split at the kinks
    ``x = [1 +- sqrt(1 - 4 m_l^2 / q^2)] / 2`` (where the real part of the logarithm has an
    integrable logarithmic singularity) and integrated with a tanh-sinh rule (agrees
    with the closed forms :func:`epsilon_over_g_darkcast` and :func:`epsilon_over_g_dmg4` to
    ~1e-12, MOD-8). Finite (a cusp) at q^2 = 4 m_mu^2.
    """
    _check_lepton_masses(m_mu, m_tau)
    q2_arr = np.asarray(q2, dtype=np.float64)
    if not np.all(np.isfinite(q2_arr)):
        raise InvalidParameterError("q2", q2_arr[~np.isfinite(q2_arr)].flat[0], "finite MeV^2")
    log_ratio = math.log(m_tau**2 / m_mu**2) / 6.0
    integral = (
        log_ratio + _loop_log_integral(q2_arr / m_tau**2) - _loop_log_integral(q2_arr / m_mu**2)
    )
    return np.asarray(_electric_charge(alpha) / (2.0 * math.pi**2) * integral, dtype=np.complex128)


def _darkcast_term(mass: FloatArray, lepton_mass: float) -> ComplexArray:
    """``S arctan(m / S)``, ``S = sqrt(4 m_l^2 - m^2)``, continued with m^2 + i0.

    Above threshold ``S = -i sigma`` (sigma = sqrt(m^2 - 4 m_l^2)) and the product becomes
    ``sigma artanh(sigma / m) - i pi sigma / 2``; it vanishes at m = 2 m_l.
    """
    s2 = 4.0 * lepton_mass**2 - mass**2
    below = s2 > 0.0
    s_b = np.sqrt(np.where(below, s2, 1.0))
    s_a = np.sqrt(np.where(below, 0.0, -s2))
    value_below = s_b * np.arctan(mass / s_b)
    value_above = s_a * np.arctanh(s_a / mass) - 0.5j * math.pi * s_a
    return np.asarray(np.where(below, value_below + 0j, value_above), dtype=np.complex128)


def epsilon_over_g_darkcast(
    mass: ArrayLike,
    *,
    m_mu: float = constants.m_mu,
    m_tau: float = constants.m_tau,
    alpha: float = alpha_em,
) -> ComplexArray:
    """Closed form of ``eps(m^2) / g`` in the DarkCast form (models.md 2.1), for cross-checks.

    ``(e / (12 pi^2 m^3)) [4 m (m_mu^2 - m_tau^2) - 2 (m^2 + 2 m_mu^2) S_mu arctan(m/S_mu)
    + 2 (m^2 + 2 m_tau^2) S_tau arctan(m/S_tau) - m^3 ln(m_mu^2 / m_tau^2)]``,
    ``S_l = sqrt(4 m_l^2 - m^2)`` continued with m^2 + i0 (DarkCast itself takes the modulus).
    Source: DarkCast models/Lmu-Ltau_boson.py (Amaral et al., arXiv:2006.11225 Eq. 7).
    Cancels catastrophically below ~1 MeV; use :func:`epsilon_over_g` there. ``mass`` in MeV.
    """
    _check_lepton_masses(m_mu, m_tau)
    m = checked_array(mass, "mass", allow_zero=False)
    numerator = (
        4.0 * m * (m_mu**2 - m_tau**2)
        - 2.0 * (m**2 + 2.0 * m_mu**2) * _darkcast_term(m, m_mu)
        + 2.0 * (m**2 + 2.0 * m_tau**2) * _darkcast_term(m, m_tau)
        - m**3 * math.log(m_mu**2 / m_tau**2)
    )
    return np.asarray(
        _electric_charge(alpha) / (12.0 * math.pi**2) * numerator / m**3, dtype=np.complex128
    )


def _dmg4_term(r: FloatArray) -> ComplexArray:
    """``(1 + 2 r) b arccoth(b)``, ``b = sqrt(1 - 4 r)``, continued with q^2 + i0.

    Above threshold (r < 1/4) ``b arccoth b = b artanh(b) - i pi b / 2``; below,
    ``b = i beta'`` and ``b arccoth b = beta' arctan(1 / beta')``; zero at r = 1/4.
    """
    b2 = 1.0 - 4.0 * r
    above = b2 > 0.0
    b_a = np.sqrt(np.where(above, b2, 0.25))
    b_b = np.sqrt(np.where(above, 1.0, -b2))
    value_above = b_a * np.arctanh(b_a) - 0.5j * math.pi * b_a
    value_below = b_b * np.arctan(1.0 / np.where(b_b > 0, b_b, 1.0)) * (b_b > 0)
    return np.asarray((1.0 + 2.0 * r) * np.where(above, value_above, value_below + 0j))


def epsilon_over_g_dmg4(
    mass: ArrayLike,
    *,
    m_mu: float = constants.m_mu,
    m_tau: float = constants.m_tau,
    alpha: float = alpha_em,
) -> ComplexArray:
    """Closed form of ``eps(m^2) / g`` in the DMG4 form (models.md 2.1), for cross-checks.

    ``(e / (6 pi^2)) [ln(m_tau^2 / m_mu^2)/2 + 2 (r_mu - r_tau) - (1 + 2 r_mu) b_mu arccoth b_mu
    + (1 + 2 r_tau) b_tau arccoth b_tau]``, ``r_l = m_l^2 / m^2``, ``b_l = sqrt(1 - 4 r_l)``,
    continued with m^2 + i0. Source: PKMuon/DMG4 DarkZAnnihilation. ``mass`` in MeV.
    """
    _check_lepton_masses(m_mu, m_tau)
    m = checked_array(mass, "mass", allow_zero=False)
    r_mu = (m_mu / m) ** 2
    r_tau = (m_tau / m) ** 2
    bracket = (
        0.5 * math.log(m_tau**2 / m_mu**2)
        + 2.0 * (r_mu - r_tau)
        - _dmg4_term(r_mu)
        + _dmg4_term(r_tau)
    )
    return np.asarray(_electric_charge(alpha) / (6.0 * math.pi**2) * bracket, dtype=np.complex128)


def loop_epsilon(
    mass: ArrayLike,
    g: ArrayLike,
    *,
    m_mu: float = constants.m_mu,
    m_tau: float = constants.m_tau,
    alpha: float = alpha_em,
) -> FloatArray:
    """On-shell mixing ``abs(eps(M^2))`` for Z' mass M [MeV] and coupling g (broadcast).

    Handbook models.md 2.4: on-shell production and decay use q^2 = M^2.
    """
    m = checked_array(mass, "mass", allow_zero=False)
    coupling = checked_array(g, "g", allow_zero=True)
    ratio = np.abs(epsilon_over_g(m**2, m_mu=m_mu, m_tau=m_tau, alpha=alpha))
    return np.asarray(coupling * ratio, dtype=np.float64)
