"""K+ -> pi+ X: a Higgs-mixed dark scalar S, an axion-like particle a, or any X you bring.

Handbook bounds_and_new_channels.md sections 2.2, 2.3 and 2.6; kaon_decays.md sections 8-9.
Every rate is a two-body width divided by the K+ width :data:`GAMMA_K` (shared with
:mod:`darkreach.production.kaon`)::

    Gamma(K+ -> pi+ X) = |A|^2 / (16 pi m_K^3) lambda^{1/2}(m_K^2, m_pi^2, m_X^2)

**Dark scalar** (section 2.2; as coded in ALPINIST@53441e5 ``K_pi_S``, ``M_KP`` [SRC]), mixing
angle theta with the Higgs, amplitude ``A = C_sd theta M_KP``::

    C_sd = 3 m_s g_W^2 / (64 pi^2 v m_W^2) sum_{q=u,c,t} V_qs V_qd m_q^2,   v = 2 m_W / g_W
    M_KP = (m_K^2 - m_pi^2) / (2 (m_s - m_d)) f_0,   f_0 = 0.96

with ALPINIST's CKM moduli and quark masses (:data:`CKM`, :data:`QUARK_MASS`). This gives
C_sd = 1.240e-9, M_KP = 1.2185 GeV and ``BR = 1.731e-3 theta^2 (2 p_S / m_K)`` [RUN in the
handbook]. The model coupling is sin^2 theta, used for theta^2 (small mixing: the formula is
first order in theta). The often-quoted "2e-3 theta^2 (2 p_S/m_K)" (Bezrukov and Gorbunov,
arXiv:0912.0390; [MEM] in the handbook) is ~15 % higher; the difference is in the constants
(top-charm relative sign, f_0, m_s). ``f0`` and ``charm_sign`` are therefore options:
``charm_sign=+1`` (default, ALPINIST: moduli added, charm and top loops add) or ``-1``
(charm term subtracted: -7 % in the amplitude, -13 % in the BR); ``f0=1`` gives +8.5 %.

**ALP** (section 2.3; ALPINIST ``A_K_pi_a``, from Bauer, Neubert, Renner, Schnubel, Thamm,
arXiv:2110.10698, "Flavor probes of axion-like particles" [SRC code])::

    A = 1/(2 Lambda) { (N_8/2) [ 16 c_GG (m_K^2-m_pi^2)(m_K^2-m_a^2)/(4m_K^2-m_pi^2-3m_a^2)
                                 + (2c_uu+c_dd+c_ss)(m_K^2-m_pi^2) - (2c_uu+c_dd-3c_ss) m_a^2
                                 + 6(c_uu+c_dd-2c_ss) m_a^2 (m_K^2-m_pi^2)/(4m_K^2-m_pi^2-3m_a^2) ]
                       - (m_K^2 - m_pi^2) c_sd },   N_8 = 1.53e-7 (phase delta_8 dropped)

Coupling convention: the Wilson coefficients c_GG, c_uu, c_dd, c_ss (flavour diagonal) and c_sd
(flavour violating) over the scale Lambda, as in Bauer et al. (their c_GG multiplies
``(alpha_s / 4 pi) (a / Lambda) G G~``: [MEM], Lagrangian normalisation not re-read; ALPINIST
notes its own ``c_GG = C_GG (4 pi)^2``). Only the ratios ``c / Lambda`` enter. The default of
:func:`br_k_to_pi_alp` and of ``darkreach kaon br --model alp-gluon`` is c_GG only, with the
coupling ``c_GG / Lambda`` [1/MeV in code, 1/GeV on the CLI].

**Any X**: :func:`br_k_to_pi_x` takes a user-supplied |A|^2 or partial width.

Masses in MeV (hepunits); 0 < m_X < m_K - m_pi (one-line KinematicallyForbiddenError outside).
The decay of X (lifetime, escape probability) is not included here.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import m_K_charged, m_pi_charged
from darkreach.errors import InvalidParameterError
from darkreach.production.kaon import GAMMA_K
from darkreach.units import GeV
from darkreach.validate import checked_array, masses_in_window

__all__ = [
    "CKM",
    "F0",
    "N8",
    "QUARK_MASS",
    "amplitude_k_to_pi_alp",
    "br_k_to_pi_alp",
    "br_k_to_pi_scalar",
    "br_k_to_pi_x",
    "c_sd",
    "m_kp",
    "mass_max",
    "momentum",
    "width_k_to_pi_scalar",
]

_M = m_K_charged
_MPI = m_pi_charged

#: CKM moduli used by ALPINIST@53441e5 ``exotic_constants.py`` (handbook 2.2 [SRC]), real and
#: positive: (V_us, V_ud), (V_cs, V_cd), (V_ts, V_td).
CKM: dict[str, tuple[float, float]] = {
    "u": (0.2265, 0.974),
    "c": (0.9732, 0.2263),
    "t": (0.03978, 0.0085),
}
#: Quark masses [MeV] of ALPINIST (handbook 2.2 [SRC]): u, d, s, c, b, t.
QUARK_MASS: dict[str, float] = {
    "u": 2.16e-3 * GeV,
    "d": 4.67e-3 * GeV,
    "s": 0.093 * GeV,
    "c": 1.275 * GeV,
    "b": 4.18 * GeV,
    "t": 173.0 * GeV,
}
#: SU(2) coupling g_W and W mass of ALPINIST (handbook 2.2 [SRC]).
G_W: float = 0.652905
M_W: float = 80.379 * GeV
#: Higgs vacuum expectation value v = 2 m_W / g_W (246.2 GeV).
V_HIGGS: float = 2.0 * M_W / G_W
#: Scalar form factor f_0 of K -> pi (ALPINIST; handbook 2.2 [SRC]).
F0: float = 0.96
#: Octet coupling N_8 of the weak chiral Lagrangian (ALPINIST ``A_K_pi_a``, phase dropped).
N8: float = 1.53e-7


def mass_max() -> float:
    """Kinematic end point m_K - m_pi [MeV] of K+ -> pi+ X (354.1 MeV)."""
    return float(_M - _MPI)


def _check_mass(m_X: ArrayLike) -> FloatArray:
    top = mass_max()
    allowed = f"0 < mass < m_K - m_pi = {top:.2f} MeV"
    return masses_in_window(m_X, 0.0, top, allowed, "mass").reshape(np.shape(m_X))


def _lambda_sqrt(mx: FloatArray) -> FloatArray:
    """lambda^{1/2}(m_K^2, m_pi^2, m_X^2) [MeV^2], factorised so that it is 0 at the end point."""
    lam = (_M - _MPI - mx) * (_M + _MPI + mx) * (_M + _MPI - mx) * (_M - _MPI + mx)
    return np.asarray(np.sqrt(np.clip(lam, 0.0, None)), dtype=np.float64)


def momentum(m_X: ArrayLike) -> FloatArray:
    """Momentum p_X [MeV] of X in the K+ rest frame, lambda^{1/2} / (2 m_K)."""
    return np.asarray(_lambda_sqrt(_check_mass(m_X)) / (2.0 * _M), dtype=np.float64)


def br_k_to_pi_x(
    m_X: ArrayLike,
    *,
    amplitude_sq: ArrayLike | None = None,
    width: ArrayLike | None = None,
) -> FloatArray:
    """BR(K+ -> pi+ X) for any X of mass m_X [MeV]: give exactly one of

    - ``amplitude_sq``: the spin-summed |A|^2 [MeV^2] (constant over the two-body phase space),
      ``BR = |A|^2 lambda^{1/2}(m_K^2, m_pi^2, m_X^2) / (16 pi m_K^3 Gamma_K)``;
    - ``width``: the partial width Gamma(K+ -> pi+ X) [MeV], ``BR = Gamma / Gamma_K``.

    Both must be finite and >= 0; arrays broadcast with ``m_X``. The X lifetime does not enter
    the production rate; it decides only whether X escapes (experiment side).

    >>> float(br_k_to_pi_x(100.0, width=GAMMA_K * 1e-3))
    0.001
    """
    mx = _check_mass(m_X)
    if (amplitude_sq is None) == (width is None):
        raise InvalidParameterError("amplitude_sq/width", "both or neither", "exactly one")
    if width is not None:
        gamma = checked_array(width, "width", allow_zero=True, unit="MeV")
        return np.asarray(np.broadcast_to(gamma, np.broadcast(mx, gamma).shape) / GAMMA_K)
    assert amplitude_sq is not None
    amp2 = checked_array(amplitude_sq, "amplitude_sq", allow_zero=True, unit="MeV^2")
    gamma = amp2 * _lambda_sqrt(mx) / (16.0 * math.pi * _M**3)
    return np.asarray(gamma / GAMMA_K, dtype=np.float64)


# --------------------------------------------------------------------------- dark scalar


def _check_sign(charm_sign: float) -> float:
    if charm_sign not in (1.0, -1.0):
        raise InvalidParameterError("charm_sign", charm_sign, "+1 or -1")
    return float(charm_sign)


def c_sd(charm_sign: float = 1.0) -> float:
    """Effective s -> d S coupling C_sd (dimensionless; 1.240e-9 with the defaults).

    ``3 m_s g_W^2 / (64 pi^2 v m_W^2) sum_q V_qs V_qd m_q^2`` (handbook 2.2, ALPINIST
    ``K_pi_S``); ``charm_sign`` multiplies the charm term (see the module docstring).
    """
    sign = _check_sign(charm_sign)
    terms = {q: CKM[q][0] * CKM[q][1] * QUARK_MASS[q] ** 2 for q in ("u", "c", "t")}
    total = terms["u"] + sign * terms["c"] + terms["t"]
    prefactor = 3.0 * QUARK_MASS["s"] * G_W**2 / (64.0 * math.pi**2 * V_HIGGS * M_W**2)
    return float(prefactor * total)


def m_kp(f0: float = F0) -> float:
    """Hadronic matrix element M_KP = (m_K^2 - m_pi^2) / (2 (m_s - m_d)) f_0 [MeV] (1218.5)."""
    if not (math.isfinite(f0) and f0 > 0.0):
        raise InvalidParameterError("f0", f0, "finite and > 0")
    return float((_M**2 - _MPI**2) / (2.0 * (QUARK_MASS["s"] - QUARK_MASS["d"])) * f0)


def _check_mixing(sin2_theta: ArrayLike) -> FloatArray:
    arr = np.asarray(sin2_theta, dtype=np.float64)
    bad = ~(np.isfinite(arr) & (arr >= 0.0) & (arr <= 1.0))
    if np.any(bad):
        raise InvalidParameterError("sin2_theta", float(arr[bad].flat[0]), "0 <= sin^2 theta <= 1")
    return arr


def width_k_to_pi_scalar(
    m_S: ArrayLike, sin2_theta: ArrayLike = 1.0, *, f0: float = F0, charm_sign: float = 1.0
) -> FloatArray:
    """Gamma(K+ -> pi+ S) [MeV] = |C_sd M_KP|^2 theta^2 lambda^{1/2} / (16 pi m_K^3).

    ``m_S`` [MeV] and ``sin2_theta`` (used as theta^2, 0 <= sin^2 theta <= 1) broadcast.
    """
    mx = _check_mass(m_S)
    s2 = _check_mixing(sin2_theta)
    amp2 = (c_sd(charm_sign) * m_kp(f0)) ** 2
    return np.asarray(amp2 * s2 * _lambda_sqrt(mx) / (16.0 * math.pi * _M**3), dtype=np.float64)


def br_k_to_pi_scalar(
    m_S: ArrayLike, sin2_theta: ArrayLike = 1.0, *, f0: float = F0, charm_sign: float = 1.0
) -> FloatArray:
    """BR(K+ -> pi+ S) for a Higgs-mixed scalar: 1.731e-3 sin^2 theta (2 p_S / m_K).

    Handbook 2.2 / 2.6: 1.59e-3, 1.51e-3, 1.25e-3, 7.5e-4 times sin^2 theta at m_S = 0, 100,
    200, 300 MeV. S decays are not included.

    >>> round(float(br_k_to_pi_scalar(100.0, 1.0)), 5)
    0.00151
    """
    return np.asarray(
        width_k_to_pi_scalar(m_S, sin2_theta, f0=f0, charm_sign=charm_sign) / GAMMA_K,
        dtype=np.float64,
    )


# --------------------------------------------------------------------------- ALP


def amplitude_k_to_pi_alp(
    m_a: ArrayLike,
    c_gg: ArrayLike = 1.0,
    *,
    c_uu: float = 0.0,
    c_dd: float = 0.0,
    c_ss: float = 0.0,
    c_sd: float = 0.0,
    scale: float = 1.0,
) -> FloatArray:
    """Amplitude A(K+ -> pi+ a) [MeV] of handbook 2.3 (Bauer et al., arXiv:2110.10698).

    ``c_gg`` broadcasts with ``m_a`` [MeV]; ``scale`` is Lambda [MeV]. With the defaults
    (scale = 1 MeV) ``c_gg`` is c_GG / Lambda in 1/MeV. Real: the phase delta_8 is dropped.
    """
    ma = _check_mass(m_a)
    cg = np.asarray(c_gg, dtype=np.float64)
    if not np.all(np.isfinite(cg)):
        raise InvalidParameterError("c_GG", float(cg[~np.isfinite(cg)].flat[0]), "finite")
    for name, value in (("c_uu", c_uu), ("c_dd", c_dd), ("c_ss", c_ss), ("c_sd", c_sd)):
        if not math.isfinite(value):
            raise InvalidParameterError(name, value, "finite")
    if not (math.isfinite(scale) and scale > 0.0):
        raise InvalidParameterError("scale", scale, "finite and > 0 MeV")
    mk2, mp2, ma2 = _M**2, _MPI**2, ma * ma
    dkp = mk2 - mp2
    den = 4.0 * mk2 - mp2 - 3.0 * ma2
    bracket = (
        16.0 * cg * dkp * (mk2 - ma2) / den
        + (2.0 * c_uu + c_dd + c_ss) * dkp
        - (2.0 * c_uu + c_dd - 3.0 * c_ss) * ma2
        + 6.0 * (c_uu + c_dd - 2.0 * c_ss) * ma2 * dkp / den
    )
    return np.asarray((0.5 * N8 * bracket - dkp * c_sd) / (2.0 * scale), dtype=np.float64)


def br_k_to_pi_alp(
    m_a: ArrayLike,
    c_gg: ArrayLike = 1.0,
    *,
    c_uu: float = 0.0,
    c_dd: float = 0.0,
    c_ss: float = 0.0,
    c_sd: float = 0.0,
    scale: float = 1.0,
) -> FloatArray:
    """BR(K+ -> pi+ a) = |A|^2 lambda^{1/2} / (16 pi m_K^3 Gamma_K), A of
    :func:`amplitude_k_to_pi_alp` (same arguments). Default: c_GG only, ``c_gg`` = c_GG/Lambda
    in 1/MeV. a decays are not included.
    """
    amp = amplitude_k_to_pi_alp(m_a, c_gg, c_uu=c_uu, c_dd=c_dd, c_ss=c_ss, c_sd=c_sd, scale=scale)
    return br_k_to_pi_x(m_a, amplitude_sq=amp * amp)
