"""Bremsstrahlung of a new boson by an electron (or positron) beam, e N -> e N X.

Handbook: ``electron_and_dump.md`` A.2 (with ``muon_bremsstrahlung.md`` sections 1-4 and
m_mu -> m_e). X is a vector (dark photon, B-L, L_mu-L_tau through eps(q^2)); the scalar,
pseudoscalar and axial amplitudes of the muon handbook's table (section 2.1) are available with
m_mu -> m_e in the WW and IWW approximations only (the handbook gives K-factors for the vector
alone).

Conventions (as :mod:`darkreach.production.muon_brem`)
------------------------------------------------------
- Energies and masses in hepunits (MeV). Cross sections are per unit coupling squared of a
  vector (or scalar) coupling g to the electron: the dark-photon prefactor eps^2 alpha^3 is
  replaced by g^2 alpha^2/(4 pi) (g = eps e for the dark photon). They are areas in hepunits
  (mm^2); divide by ``hepunits.picobarn`` for pb.
- x = E_X/E0 in m/E0 < x < 1 - m_e/E0.
- Photon flux chi with the elastic (atomic screening + nuclear) form factor of
  :mod:`darkreach.physics.form_factors`, optionally + inelastic; for electrons
  t_min = m^4/(4 E0^2) and t_max = m^2 (handbook A.2; "E0^2" selectable).

Approximations (``approximation``)
----------------------------------
- ``"iww-k"`` (default, the field's standard for electrons, DMG4): the leading-log IWW total
  sigma_LL = (4/3) [alpha^2/(4 pi)] chi beta ln(1/delta^2)/m^2, delta = max(m_e/m, m/E0),
  beta = sqrt(1 - m^2/E0^2), divided by the K-factor K(m, E0) = sigma_IWW/sigma_ETL (DMG4
  KFactors table, 1 MeV-1 GeV x 20-160 GeV, with the grid bug fixed: the masses 0.3, 0.4 GeV
  at entries 8-9 are the intended 0.03, 0.04 GeV, as the names of the rows state). Outside
  the table K is clamped to its edge (as DMG4 does). The x spectrum is the IWW d sigma/dx
  shape normalised to that total: sigma(x > x_cut) = sigma_LL/K * F(x_cut).
- ``"iww"``: the integral of the IWW d sigma/dx closed form (handbook A.2).
- ``"ww"``: phase-space WW, flux at t_min(u~) inside the angular integral (theta < 0.3 rad).

Numerics: Gauss-Legendre in eta = arccosh[(x/(1-x))/(x_min/(1-x_min))] (logarithmic at both
ends of x) and, for WW, in rho = ln(1 + theta^2/theta_c^2); whole mass x energy grids in one
numpy pass (:func:`sigma_above`). :func:`sigma_reference` integrates adaptively (scipy quad).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, hbarc2, m_e
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.physics import form_factors
from darkreach.physics.form_factors import Nucleus
from darkreach.production.lepton_brem import amplitude_jk
from darkreach.quadrature import gauss_legendre
from darkreach.units import GeV, MeV

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = [
    "K_ENERGIES",
    "K_MASSES",
    "K_TABLE",
    "Approximation",
    "Spin",
    "dsigma_dx",
    "electron_coupling_squared",
    "kfactor",
    "sigma",
    "sigma_above",
    "sigma_leading_log",
    "sigma_reference",
    "x_range",
]

Spin = Literal["vector", "scalar", "pseudoscalar", "axial"]
Approximation = Literal["iww-k", "iww", "ww"]
TMax = Literal["m^2", "E0^2"]
BelowThreshold = Literal["raise", "zero"]

#: eps^2 alpha^3 -> g^2 alpha^2/(4 pi): prefactor per unit coupling squared.
_PREFACTOR = alpha_em**2 / (4.0 * math.pi)
#: largest X emission angle of the WW integral [rad] (DMG4 default, as for muons)
THETA_MAX = 0.3

# ---------------------------------------------------------------------------------------
# K-factors sigma_IWW(leading log)/sigma_ETL for the vector on Pb (numbers of PKMuon/DMG4
# src/DarkMatter/KFactors.code, verified in the handbook A.2; masses with the grid bug fixed)

#: masses of the K table [MeV] (DMG4 lists 300, 400 MeV at entries 8-9: the 30, 40 MeV rows)
K_MASSES: FloatArray = (
    np.array(
        np.r_[1, 2, 4, 6, 8, 10:101:10, 200:1001:100],
        dtype=np.float64,
    )
    * MeV
)
#: beam energies of the K table [MeV]
K_ENERGIES: FloatArray = np.array([20, 40, 60, 80, 100, 120, 140, 160], dtype=np.float64) * GeV
#: K(m, E0), rows = K_MASSES, columns = K_ENERGIES
K_TABLE: FloatArray = np.array(
    [
        [0.606286, 0.605283, 0.604929, 0.60474, 0.604626, 0.604549, 0.604485, 0.604527],
        [0.837599, 0.83442, 0.833288, 0.832704, 0.832335, 0.832088, 0.831908, 0.831281],
        [0.969624, 0.960278, 0.956935, 0.955195, 0.954116, 0.95338, 0.952846, 0.952438],
        [1.04025, 1.02264, 1.01628, 1.01296, 1.0109, 1.00949, 1.00846, 1.00767],
        [1.09678, 1.06925, 1.0592, 1.05392, 1.05064, 1.04838, 1.04674, 1.04549],
        [1.14791, 1.10876, 1.09496, 1.0874, 1.08268, 1.07945, 1.07708, 1.07527],
        [1.37278, 1.27614, 1.23623, 1.21422, 1.20018, 1.19038, 1.18313, 1.17754],
        [1.54771, 1.41733, 1.3544, 1.31719, 1.29257, 1.27496, 1.26174, 1.25144],
        [1.67437, 1.53055, 1.45506, 1.40683, 1.37324, 1.34847, 1.32944, 1.31436],
        [1.77288, 1.61665, 1.53582, 1.48201, 1.44284, 1.4129, 1.38925, 1.37014],
        [1.85602, 1.68401, 1.59904, 1.54266, 1.50082, 1.46799, 1.4415, 1.4195],
        [1.92991, 1.74007, 1.64994, 1.5915, 1.5483, 1.51409, 1.486, 1.46248],
        [1.99782, 1.78938, 1.69307, 1.63207, 1.58764, 1.5526, 1.52374, 1.49944],
        [2.0617, 1.83451, 1.73141, 1.66729, 1.6213, 1.58541, 1.55599, 1.53126],
        [2.12278, 1.87693, 1.76675, 1.69911, 1.65122, 1.61423, 1.58415, 1.55903],
        [2.06543, 1.99617, 1.97534, 1.96104, 1.88813, 1.83371, 1.79096, 1.75693],
        [2.11679, 1.99508, 1.94777, 1.92431, 1.91109, 1.90242, 1.89753, 1.8933],
        [2.20752, 2.03888, 1.96707, 1.92846, 1.90484, 1.8891, 1.87848, 1.8697],
        [2.31917, 2.10361, 2.00917, 1.95564, 1.92204, 1.89876, 1.88227, 1.86935],
        [2.44447, 2.18024, 2.06445, 1.99649, 1.95258, 1.92186, 1.89907, 1.88231],
        [2.5793, 2.26485, 2.1282, 2.04634, 1.9922, 1.9539, 1.92531, 1.90398],
        [2.72069, 2.35541, 2.19782, 2.10255, 2.03836, 1.9924, 1.95799, 1.93186],
        [2.86596, 2.45069, 2.27181, 2.16346, 2.08944, 2.03584, 1.99582, 1.96446],
        [3.01242, 2.54971, 2.34923, 2.22797, 2.14436, 2.08319, 2.03674, 2.00084],
    ]
)

# ---------------------------------------------------------------------------------------
# validation


def _first_bad(arr: FloatArray, bad: NDArray[np.bool_]) -> float:
    return float(np.broadcast_to(arr, bad.shape)[bad].flat[0])


def _check_choice(value: object, field: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise InvalidParameterError(field, repr(value), ", ".join(allowed))


def _check_process(spin: str, nucleus: object, approximation: str, t_max: str) -> None:
    _check_choice(spin, "spin", get_args(Spin))
    _check_choice(approximation, "approximation", get_args(Approximation))
    _check_choice(t_max, "t_max", get_args(TMax))
    if not isinstance(nucleus, Nucleus):
        raise InvalidParameterError("nucleus", repr(nucleus), "a darkreach Nucleus(Z, A)")
    if approximation == "iww-k" and spin != "vector":
        raise InvalidParameterError(
            "approximation", "'iww-k'", "iww or ww for a non-vector X (K-factors: vector only)"
        )


def _masses_energies(
    E0: ArrayLike, m: ArrayLike, below_threshold: BelowThreshold = "raise"
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    mm = np.asarray(m, dtype=np.float64)
    bad_m = ~np.isfinite(mm) | (mm <= 0.0)
    if np.any(bad_m):
        raise InvalidParameterError("m", _first_bad(mm, bad_m), "finite mass > 0 MeV")
    e0 = np.asarray(E0, dtype=np.float64)
    bad_e = ~np.isfinite(e0) | (e0 <= 0.0)
    if np.any(bad_e):
        raise InvalidParameterError("E0", _first_bad(e0, bad_e), "finite energy > 0 MeV")
    _check_choice(below_threshold, "below_threshold", get_args(BelowThreshold))
    open_ = np.asarray(e0 > mm + m_e)
    if below_threshold == "raise" and not np.all(open_):
        closed = ~open_
        e_bad = _first_bad(np.broadcast_to(e0, closed.shape), closed)
        m_bad = _first_bad(np.broadcast_to(mm, closed.shape), closed)
        raise KinematicallyForbiddenError(
            "E0", e_bad, f"E0 > m + m_e = {m_bad + m_e:.6g} MeV", f"m = {m_bad:.6g} MeV"
        )
    return e0, mm, open_


def x_range(E0: ArrayLike, m: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Kinematic range of x = E_X/E0: (m/E0, 1 - m_e/E0). E0, m in MeV."""
    e0, mm, _ = _masses_energies(E0, m)
    return np.asarray(mm / e0), np.asarray(1.0 - m_e / e0)


# ---------------------------------------------------------------------------------------
# K-factor, flux, leading-log total


def kfactor(m: ArrayLike, E0: ArrayLike) -> FloatArray:
    """K(m, E0) = sigma_IWW(leading log)/sigma_ETL for the vector on Pb (handbook A.2).

    Bilinear interpolation of :data:`K_TABLE` in (ln m, E0); m and E0 are clamped to the table
    (1 MeV-1 GeV, 20-160 GeV), as DMG4 clamps. The table is for lead; DMG4 applies it to every
    target, and so does darkreach (stated).
    """
    mm = np.clip(np.asarray(m, dtype=np.float64), K_MASSES[0], K_MASSES[-1])
    ee = np.clip(np.asarray(E0, dtype=np.float64), K_ENERGIES[0], K_ENERGIES[-1])
    mm, ee = np.broadcast_arrays(mm, ee)
    lm = np.log(K_MASSES)
    i = np.clip(np.searchsorted(lm, np.log(mm), side="right") - 1, 0, lm.size - 2)
    j = np.clip(np.searchsorted(K_ENERGIES, ee, side="right") - 1, 0, K_ENERGIES.size - 2)
    fm = (np.log(mm) - lm[i]) / (lm[i + 1] - lm[i])
    fe = (ee - K_ENERGIES[j]) / (K_ENERGIES[j + 1] - K_ENERGIES[j])
    k00, k01 = K_TABLE[i, j], K_TABLE[i, j + 1]
    k10, k11 = K_TABLE[i + 1, j], K_TABLE[i + 1, j + 1]
    return np.asarray((1 - fm) * ((1 - fe) * k00 + fe * k01) + fm * ((1 - fe) * k10 + fe * k11))


def _t_max(e0: FloatArray, m: FloatArray, t_max: TMax) -> FloatArray:
    return np.asarray(m * m if t_max == "m^2" else e0 * e0 + 0.0 * m)


def _chi_iww(
    e0: FloatArray, m: FloatArray, nucleus: Nucleus, t_max: TMax, inelastic: bool
) -> FloatArray:
    """chi over t_min = m^4/(4 E0^2) .. t_max (handbook A.2)."""
    tmin = (m * m / (2.0 * e0)) ** 2
    return form_factors._flux(tmin, _t_max(e0, m, t_max), nucleus, inelastic=inelastic)


def _sigma_ll(e0: FloatArray, m: FloatArray, chi: FloatArray) -> FloatArray:
    """Leading-log IWW total [MeV^-2] per unit g^2 (handbook A.2, DMG4 form)."""
    delta = np.maximum(m_e / m, m / e0)
    beta = np.sqrt(np.maximum(1.0 - (m / e0) ** 2, 0.0))
    return np.asarray((4.0 / 3.0) * _PREFACTOR * chi * beta * np.log(1.0 / delta**2) / (m * m))


def sigma_leading_log(
    E0: ArrayLike,
    m: ArrayLike,
    nucleus: Nucleus,
    t_max: TMax = "m^2",
    inelastic: bool = False,
) -> FloatArray:
    """Leading-log IWW total sigma_LL [mm^2] per unit g^2 (handbook A.2), before K."""
    _check_process("vector", nucleus, "iww", t_max)
    e0, mm, _ = _masses_energies(E0, m)
    return _sigma_ll(e0, mm, _chi_iww(e0, mm, nucleus, t_max, inelastic)) * hbarc2


# ---------------------------------------------------------------------------------------
# amplitudes and differential cross sections


def _coefficients(
    x: FloatArray, omx: FloatArray, m: FloatArray, spin: Spin
) -> tuple[FloatArray, FloatArray]:
    """J and K of |A|^2 = J + K (u x + C)/u^2 (muon handbook 2.1 with m_mu -> m_e); omx = 1 - x."""
    return amplitude_jk(x, omx, m, m_e, spin)


def _iww_shape(
    x: FloatArray, omx: FloatArray, e0: FloatArray, m: FloatArray, spin: Spin
) -> FloatArray:
    """IWW d sigma/dx / (prefactor chi) [MeV^-2]: (k/E0) [J (1-x)/C - K x^2 (1-x)/(6 C^2)].

    For the vector this is the handbook A.2 closed form
    (2/3)[x^2 m_e^2 (3x^2 - 4x + 4) + 2 m^2 (1-x)(x^2 - 3x + 3)]/C^2 times k/E0.
    """
    c = m * m * omx + m_e * m_e * x * x
    j, k = _coefficients(x, omx, m, spin)
    kin = np.sqrt(np.maximum((x - m / e0) * (x + m / e0), 0.0))
    return np.asarray(kin * (j * omx / c - k * x * x * omx / (6.0 * c * c)))


def _ww_dsdx(
    x: FloatArray,
    omx: FloatArray,
    e0: FloatArray,
    m: FloatArray,
    nucleus: Nucleus,
    spin: Spin,
    t_max: TMax,
    inelastic: bool,
    n_rho: int,
) -> FloatArray:
    """WW d sigma/dx [MeV^-2] by Gauss-Legendre in rho (2 panels of n_rho nodes)."""
    thc2 = (m * m * omx / (x * x) + m_e * m_e) / (e0 * e0)
    tmax = _t_max(e0, m, t_max)
    # the flux vanishes where |u~| >= 2 E0 (1 - x) sqrt(t_max); and theta <= THETA_MAX
    rho_flux = np.log(np.maximum(2.0 * e0 * omx * np.sqrt(tmax) / (x * e0 * e0 * thc2), 1.0))
    rho_end = np.minimum(np.log1p(THETA_MAX**2 / thc2), rho_flux)
    u01, w01 = gauss_legendre(n_rho, 0.0, 1.0)
    nodes = np.concatenate([0.5 * u01, 0.5 + 0.5 * u01])
    wts = np.concatenate([0.5 * w01, 0.5 * w01])
    rho = rho_end[..., None] * nodes
    w = rho_end[..., None] * wts
    xb, omxb, e0b, mb, thc2b = (a[..., None] for a in (x, omx, e0, m, thc2))
    theta2 = thc2b * np.expm1(rho)
    theta = np.sqrt(theta2)
    u = -xb * e0b * e0b * (theta2 + thc2b)
    j, k = _coefficients(xb, omxb, mb, spin)
    amp2 = j - k * xb * xb * e0b * e0b * theta2 / (u * u)
    chi = form_factors._flux(
        (u / (2.0 * e0b * omxb)) ** 2, tmax[..., None], nucleus, inelastic=inelastic
    )
    # sin(theta) dtheta / u^2 = sin(theta)/theta * thc2 e^rho drho / (2 x^2 E0^4 (theta^2+thc2)^2)
    sinc = np.where(theta > 0, np.sin(theta) / np.where(theta > 0, theta, 1.0), 1.0)
    integrand = sinc * amp2 * chi * np.exp(-rho) / (2.0 * xb * xb * e0b**4 * thc2b)
    kin = np.sqrt(np.maximum((x - m / e0) * (x + m / e0), 0.0))
    return np.asarray(2.0 * _PREFACTOR * e0 * e0 * kin * omx * np.sum(integrand * w, axis=-1))


def dsigma_dx(
    x: ArrayLike,
    E0: ArrayLike,
    m: ArrayLike,
    nucleus: Nucleus,
    spin: Spin = "vector",
    approximation: Approximation = "iww-k",
    t_max: TMax = "m^2",
    inelastic: bool = False,
) -> FloatArray:
    """d sigma/dx [mm^2] per unit g^2; x = E_X/E0 (broadcast with E0, m in MeV).

    ``iww``: the handbook A.2 closed form; ``iww-k``: the same shape normalised to
    sigma_LL/K; ``ww``: theta integral of the WW integrand. Zero outside m/E0 < x < 1 - m_e/E0.
    """
    _check_process(spin, nucleus, approximation, t_max)
    xx = np.asarray(x, dtype=np.float64)
    bad = ~np.isfinite(xx) | (xx <= 0.0) | (xx >= 1.0)
    if np.any(bad):
        raise InvalidParameterError("x", _first_bad(xx, bad), "0 < x < 1 (x = E_X/E0)")
    e0, mm, _ = _masses_energies(E0, m)
    xx, e0, mm = np.broadcast_arrays(xx, e0, mm)
    inside = (xx > mm / e0) & (xx < 1.0 - m_e / e0)
    xs = np.where(inside, xx, 0.5 * (mm / e0 + 1.0 - m_e / e0))
    omx = 1.0 - xs
    if approximation == "ww":
        val = _ww_dsdx(xs, omx, e0, mm, nucleus, spin, t_max, inelastic, 24)
    else:
        chi = _chi_iww(e0, mm, nucleus, t_max, inelastic)
        val = _PREFACTOR * chi * _iww_shape(xs, omx, e0, mm, spin)
        if approximation == "iww-k":
            total = _sigma_gl(
                mm.ravel(),
                e0.ravel(),
                np.full(mm.size, -np.inf),
                nucleus,
                spin,
                "iww",
                t_max,
                inelastic,
            ).reshape(mm.shape)
            val = val * _sigma_ll(e0, mm, chi) / kfactor(mm, e0) / total
    return np.asarray(np.where(inside, val, 0.0) * hbarc2)


# ---------------------------------------------------------------------------------------
# integrated cross sections

#: x rule of :func:`sigma_above`: panels x Gauss-Legendre nodes in eta
_X_PANELS = 4
_X_NODES = 16
#: rho nodes per panel (2 panels) of the WW theta integral in sigma_above
_RHO_NODES = 12
#: points per vectorised block (bounds memory)
_BLOCK = 1024


def _eta_rule(
    x_min: FloatArray, x_lo: FloatArray, omx_max: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, NDArray[np.bool_]]:
    """x nodes, 1 - x nodes and weights (incl. Jacobian) for x in (x_lo, 1 - omx_max)."""
    g_min = x_min / (1.0 - x_min)
    g_max = (1.0 - omx_max) / omx_max
    x_lo = np.maximum(x_lo, x_min)
    open_ = x_lo < 1.0 - omx_max
    g_lo = np.where(open_, x_lo / (1.0 - x_lo), g_min)
    eta0 = np.arccosh(np.maximum(g_lo / g_min, 1.0))
    eta1 = np.arccosh(g_max / g_min)
    u, w = gauss_legendre(_X_NODES, 0.0, 1.0)
    edges = np.linspace(0.0, 1.0, _X_PANELS + 1)
    span = eta1 - eta0
    eta = np.concatenate(
        [
            (eta0 + span * edges[i])[:, None] + (span / _X_PANELS)[:, None] * u
            for i in range(_X_PANELS)
        ],
        axis=-1,
    )
    weta = np.tile(w, _X_PANELS)[None, :] * (span / _X_PANELS)[:, None]
    g = g_min[:, None] * np.cosh(eta)
    omx = 1.0 / (1.0 + g)
    x = g * omx
    jac = g_min[:, None] * np.sinh(eta) * omx * omx
    return x, omx, weta * jac, open_


def _sigma_gl(
    m: FloatArray,
    e0: FloatArray,
    x_lo: FloatArray,
    nucleus: Nucleus,
    spin: Spin,
    approximation: Approximation,
    t_max: TMax,
    inelastic: bool,
) -> FloatArray:
    """sigma(x > x_lo) [MeV^-2] on 1-d arrays of open channels."""
    x, omx, w, open_ = _eta_rule(m / e0, x_lo, m_e / e0)
    e0b = np.broadcast_to(e0[:, None], x.shape)
    mb = np.broadcast_to(m[:, None], x.shape)
    if approximation == "ww":
        dsdx = _ww_dsdx(x, omx, e0b, mb, nucleus, spin, t_max, inelastic, _RHO_NODES)
        return np.asarray(np.where(open_, np.sum(dsdx * w, axis=-1), 0.0))
    chi = _chi_iww(e0, m, nucleus, t_max, inelastic)
    shape = _iww_shape(x, omx, e0b, mb, spin)
    above = np.where(open_, np.sum(shape * w, axis=-1), 0.0)
    if approximation == "iww":
        return np.asarray(_PREFACTOR * chi * above)
    xa, omxa, wa, _ = _eta_rule(m / e0, np.full(m.shape, -np.inf), m_e / e0)
    whole = np.sum(_iww_shape(xa, omxa, e0b, mb, spin) * wa, axis=-1)
    return np.asarray(_sigma_ll(e0, m, chi) / kfactor(m, e0) * above / whole)


def sigma_above(
    m: ArrayLike,
    E0: ArrayLike,
    x_cut: ArrayLike,
    nucleus: Nucleus,
    spin: Spin = "vector",
    approximation: Approximation = "iww-k",
    t_max: TMax = "m^2",
    inelastic: bool = False,
    below_threshold: BelowThreshold = "raise",
) -> FloatArray:
    """Fast sigma(x > x_cut) [mm^2] per unit g^2 on broadcast m, E0 [MeV], x_cut grids.

    4 x 16 Gauss-Legendre nodes in x (and 2 x 12 in theta for WW) per point, one numpy pass.
    x_cut <= m/E0 means the whole range; x_cut >= 1 - m_e/E0 gives 0. ``below_threshold``:
    ``"raise"`` (default) or ``"zero"`` where E0 <= m + m_e.
    """
    _check_process(spin, nucleus, approximation, t_max)
    e0, mm, open_ = _masses_energies(E0, m, below_threshold)
    xc = np.asarray(x_cut, dtype=np.float64)
    bad = np.isnan(xc) | (xc >= 1.0)
    if np.any(bad):
        raise InvalidParameterError("x_cut", _first_bad(xc, bad), "x_cut < 1")
    e0_b, m_b, xc_b, open_b = np.broadcast_arrays(e0, mm, xc, open_)
    out = np.zeros(e0_b.shape)
    idx = np.flatnonzero(open_b)
    m_f, e_f, x_f = m_b.ravel()[idx], e0_b.ravel()[idx], xc_b.ravel()[idx]
    flat = np.zeros(idx.size)
    for start in range(0, idx.size, _BLOCK):
        sl = slice(start, start + _BLOCK)
        flat[sl] = _sigma_gl(
            m_f[sl], e_f[sl], x_f[sl], nucleus, spin, approximation, t_max, inelastic
        )
    out.ravel()[idx] = flat * hbarc2
    return out


def sigma(
    E0: ArrayLike,
    m: ArrayLike,
    nucleus: Nucleus,
    spin: Spin = "vector",
    x_min: ArrayLike | None = None,
    approximation: Approximation = "iww-k",
    t_max: TMax = "m^2",
    inelastic: bool = False,
    below_threshold: BelowThreshold = "raise",
) -> FloatArray:
    """sigma(x > x_min) [mm^2] per unit g^2 (argument order of ``muon_brem.sigma``).

    ``x_min=None`` integrates the whole range. Same rule as :func:`sigma_above` (agrees with
    :func:`sigma_reference` to < 2e-4, WW < 1e-3).
    """
    cut = -np.inf if x_min is None else x_min
    return sigma_above(m, E0, cut, nucleus, spin, approximation, t_max, inelastic, below_threshold)


def sigma_reference(
    E0: float,
    m: float,
    nucleus: Nucleus,
    spin: Spin = "vector",
    x_min: float | None = None,
    approximation: Approximation = "iww-k",
    t_max: TMax = "m^2",
    inelastic: bool = False,
    epsrel: float = 1.0e-9,
) -> float:
    """High-precision sigma(x > x_min) [mm^2] by adaptive quadrature (scalar inputs, slow).

    scipy ``quad`` in ln x (x < 1/2) and ln(1 - x) (x > 1/2) of the IWW closed form; for WW a
    nested ``quad`` in ln(theta) of the WW integrand; for iww-k the ratio of the two IWW
    integrals times sigma_LL/K. Independent of the Gauss-Legendre path of :func:`sigma_above`.
    """
    _check_process(spin, nucleus, approximation, t_max)
    e0a, ma, _ = _masses_energies(float(E0), float(m))
    e0, mm = float(e0a), float(ma)
    one = np.ones(1)
    tmax = float(_t_max(one * e0, one * mm, t_max)[0])
    chi_iww = float(_chi_iww(one * e0, one * mm, nucleus, t_max, inelastic)[0])

    def iww(x: float) -> float:
        return float(_iww_shape(one * x, one * (1.0 - x), one * e0, one * mm, spin)[0])

    def ww(x: float) -> float:
        omx = 1.0 - x
        base = mm * mm * omx / x + m_e * m_e * x
        thc = math.sqrt(base / x) / e0
        j_a, k_a = _coefficients(one * x, one * omx, one * mm, spin)
        j, k = float(j_a[0]), float(k_a[0])

        def f(s: float) -> float:
            th = math.exp(s)
            u = -(x * e0 * e0 * th * th + base)
            tmin = (u / (2.0 * e0 * omx)) ** 2
            if tmin >= tmax:
                return 0.0
            chi = float(form_factors._flux(one * tmin, one * tmax, nucleus, inelastic=inelastic)[0])
            amp2 = j - k * x * x * e0 * e0 * th * th / (u * u)
            return math.sin(th) * amp2 / (u * u) * chi * th

        hi = math.log(THETA_MAX)
        pts = [p for p in (math.log(thc),) if math.log(thc) - 30 < p < hi]
        val = integrate.quad(
            f,
            math.log(thc) - 30.0,
            hi,
            points=pts or None,
            epsabs=0.0,
            epsrel=0.1 * epsrel,
            limit=400,
        )[0]
        kin = math.sqrt(max((x - mm / e0) * (x + mm / e0), 0.0))
        return float(2.0 * e0 * e0 * kin * omx * val)

    def integral(func: Callable[[float], float], lo: float) -> float:
        x_hi = 1.0 - m_e / e0
        total = 0.0
        x_mid = min(max(lo, 0.5), x_hi)
        if x_mid > lo:
            total += integrate.quad(
                lambda s: func(math.exp(s)) * math.exp(s),
                math.log(lo),
                math.log(x_mid),
                epsabs=0.0,
                epsrel=epsrel,
                limit=400,
            )[0]
        if x_hi > x_mid:
            pts = [math.log(p) for p in (m_e**2 / mm**2, 1e-3) if m_e / e0 < p < 1 - x_mid]
            total += integrate.quad(
                lambda s: func(1.0 - math.exp(s)) * math.exp(s),
                math.log(m_e / e0),
                math.log(1.0 - x_mid),
                points=pts or None,
                epsabs=0.0,
                epsrel=epsrel,
                limit=400,
            )[0]
        return total

    lo_kin = mm / e0
    lo = lo_kin if x_min is None else max(lo_kin, float(x_min))
    if lo >= 1.0 - m_e / e0:
        return 0.0
    if approximation == "ww":
        return _PREFACTOR * integral(ww, lo) * hbarc2
    above = integral(iww, lo)
    if approximation == "iww":
        return _PREFACTOR * chi_iww * above * hbarc2
    whole = integral(iww, lo_kin)
    ll = float(_sigma_ll(one * e0, one * mm, one * chi_iww)[0])
    return ll / float(kfactor(mm, e0)) * above / whole * hbarc2


def electron_coupling_squared(model: Model, masses: ArrayLike) -> FloatArray:
    """Squared coupling of ``model``'s boson to the electron per unit model coupling squared.

    Tree level from :meth:`Model.fermion_couplings` (dark photon: e^2; B-L: 1) in the
    component matching the boson spin (vector bosons: vector^2 + axial^2, the axial part
    radiated with the vector amplitude, a stated approximation for m >> m_e). Models with no
    tree-level electron coupling but an ``eps(q^2)`` loop mixing (L_mu - L_tau, handbook A.5)
    get (e abs(eps(m^2))/g)^2. ``masses`` in MeV; returns an array of their shape.
    """
    from darkreach.models.lmu_ltau import LmuLtauZPrime
    from darkreach.physics.kinetic_mixing import epsilon_over_g

    m = np.asarray(masses, dtype=np.float64)
    c = model.fermion_couplings().get("e")
    value = 0.0
    if c is not None:
        if model.spin in ("vector", "axial"):
            value = c.vector**2 + c.axial**2
        elif model.spin == "scalar":
            value = c.scalar**2
        elif model.spin == "pseudoscalar":
            value = c.pseudoscalar**2
    if value == 0.0 and isinstance(model, LmuLtauZPrime):
        e2 = 4.0 * math.pi * alpha_em
        return np.asarray(e2 * np.abs(epsilon_over_g(m * m)) ** 2)
    return np.full(m.shape, float(value))
