r"""CCFR neutrino trident bound on the L_mu - L_tau Z' (nu_mu N -> nu_mu N mu+ mu-).

Measurement: CCFR, Mishra et al., PRL 66 (1991) 3117: sigma/sigma_SM = 0.82 +- 0.28
(handbook data_sources.md 5: "unverified: confirm before relying"). Interpretation:
Altmannshofer, Gori, Pospelov, Yavin (AGPY), PRL 113 (2014) 091801, arXiv:1406.2332, at
95 % C.L. (the CL is stated for the AGPY contours in a third-party summary; the handbook reads it
as the two-sided 1.96 sigma upper value R < 0.82 + 1.96 x 0.28 = 1.369, used here by default;
``nsigma`` is an argument).

Heavy Z' (contact limit; handbook bounds_and_new_channels.md 1.4(a)). The SM trident
amplitude is the current-current operator sqrt(2) G_F [nu-bar g^a P_L nu][mu-bar g_a (C_V - C_A
g5) mu] with C_V = 1/2 + 2 s_W^2, C_A = 1/2 (W and Z, Fierzed); a Z' adds g^2/m^2 to the vector
part, i.e. C_V -> C_V + g^2 v^2/m^2 (v = 246 GeV), constructively (AGPY abstract). With sigma
~ C_V^2 + C_A^2:

    R = sigma/sigma_SM = [(1 + 4 s_W^2 + 2 g^2 v^2/m^2)^2 + 1] / [(1 + 4 s_W^2)^2 + 1]

and R < 1.369 gives m/g > 545 GeV for s_W^2 = 0.2312 (543 GeV for 0.2386).

Light Z' (this module's approximation, [DER]). The Z' propagator depends on the momentum
transfer k of the neutrino line, Q^2 = -k^2 >= 0, so C_V -> C_V + Delta(Q^2),
Delta = g^2 v^2/(Q^2 + m^2). The process is treated as deep-inelastic scattering of the
neutrino current on the equivalent photon of the Fe nucleus: nu gamma -> nu mu+ mu-, whose
"structure functions" are the leading-order QED box (point-like photon structure functions,
Budnev et al., Phys. Rept. 15 (1975) 181; as in the PDG structure-function review) with the
muon mass kept:

    F_2/(alpha/pi) = x {[x^2 + (1-x)^2 + x(1-3x) rho - x^2 rho^2/2] ln((1+b)/(1-b))
                        + b [8x(1-x) - 1 - x(1-x) rho]},   rho = 4 m_mu^2/Q^2,
    b = sqrt(1 - rho x/(1-x)) (the muon velocity in the pair frame, W^2 >= 4 m_mu^2),
    F_L/(alpha/pi) = 4 x^2 (1-x) b   (massless-box value times b; mass terms dropped),

    d sigma(nu gamma)/dx dQ^2 ~ (1/x) [(1 - y + y^2/2) F_2 - (y^2/2) F_L],   y = Q^2/(x s),

(F_3 = 0: the muon and antimuon content of the photon are equal). The photon flux of the
nucleus is the equivalent-photon form used for tridents (Belusevic and Smith, PRD 37 (1988)
2419; AGPY; Magill and Plestid, arXiv:1710.08431; [MEM] for the exact prefactor, which cancels):

    sigma(nu N) ~ int ds/s sigma(nu gamma)(s) int_{(s/2E)^2} dq^2/q^2 F_N(q^2)^2

with a Helm nuclear form factor for Fe (default) or the Tsai/Bjorken pole form factor of
:mod:`darkreach.physics.form_factors`. Atomic screening is irrelevant (q >= s/2E >= 0.14 MeV).
This gives a weight w(Q^2) (the SM trident rate per unit Q^2 of the neutrino current), and

    R(m, g) = 1 + [4 a <Delta> + 4 <Delta^2>] / (a^2 + 1),   a = 1 + 4 s_W^2,

with <.> the w-average; for m^2 >> Q^2 it is exactly the contact formula. The bound solves
R = R_max, a quadratic in g^2.

What is approximated, and the expected size:

- The vector and axial parts of the muon current are given the same Q^2 shape (exact for
  m_mu^2 << W^2; the difference is an O(m_mu^2/W^2) effect in the threshold region, which
  carries a few per cent of the rate).
- Equivalent-photon approximation: Ballett et al. (arXiv:1807.10973) find it reasonable for
  coherent dimuon tridents, with deviations of order 10 % in the SM rate; in the ratio R they
  largely cancel.
- Only coherent scattering on Fe (no diffractive/nucleon part, ~10-20 % of the CCFR rate);
  the Z' effect on the incoherent part has a different Q^2 weight.
- CCFR neutrino spectrum: not in the handbook; a single energy E = 160 GeV (the CCFR mean
  quoted in the handbook, data_sources.md 5) is the default (``energies`` and ``flux``
  accept a spectrum). The light-Z' limit depends on it: at m <~ 300 MeV, g changes by
  -15 % / +18 % for E = 80 / 320 GeV (larger E, larger Q^2, weaker bound); the contact limit
  does not depend on E.
- Published light-Z' reference (AGPY curve, as digitised in spinjo/SNforMuTau
  NTPdata.csv; cite only): g = 8.2e-4 (10 MeV), 1.09e-3 (100 MeV), 2.70e-3 (1 GeV),
  1.90e-2 (10 GeV); its heavy end gives m/g = 526-533 GeV. This module (Helm, 160 GeV):
  8.2e-4 at 1 MeV (ref 7.2e-4), 9.3e-4, 1.23e-3, 2.83e-3, 1.86e-2, i.e. 10-14 % weaker
  below 300 MeV, within 5 % above 1 GeV, and m/g = 545 GeV in the contact limit (2-3 %
  above the digitised curve). The Tsai pole form factor gives 3-4 % weaker light-Z' limits.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.bounds.electroweak import HIGGS_VEV, SIN2_THETA_W_MSBAR
from darkreach.constants import m_mu
from darkreach.errors import InvalidParameterError
from darkreach.physics.form_factors import Nucleus, g2_elastic
from darkreach.quadrature import gauss_legendre_on_bins
from darkreach.units import GeV, MeV
from darkreach.validate import checked_array

__all__ = [
    "CCFR_RATIO",
    "CCFR_RATIO_ERROR",
    "IRON",
    "FormFactor",
    "contact_limit",
    "contact_ratio",
    "helm_form_factor2",
    "photon_structure_functions",
    "propagator_moments",
    "ratio_upper",
    "trident_limit",
    "trident_ratio",
]

#: CCFR sigma/sigma_SM (PRL 66 (1991) 3117; handbook: unverified, confirm before relying).
CCFR_RATIO: float = 0.82
CCFR_RATIO_ERROR: float = 0.28
#: Iron (CCFR target), Z = 26, molar mass 55.845 g/mol.
IRON = Nucleus(26, 55.845)
#: Default neutrino energy: the CCFR mean <E_nu> = 160 GeV (handbook data_sources.md 5).
DEFAULT_ENERGY: float = 160.0 * GeV

FormFactor = Literal["helm", "tsai"]
_FORM_FACTORS = ("helm", "tsai")


def ratio_upper(nsigma: float = 1.96) -> float:
    """Upper value of R = sigma/sigma_SM allowed by CCFR: 0.82 + nsigma x 0.28."""
    if not (math.isfinite(nsigma) and nsigma > 0):
        raise InvalidParameterError("nsigma", nsigma, "finite and > 0")
    return CCFR_RATIO + nsigma * CCFR_RATIO_ERROR


def _check_sin2(sin2_theta_w: float) -> float:
    if not (math.isfinite(sin2_theta_w) and 0.0 < sin2_theta_w < 1.0):
        raise InvalidParameterError("sin2_theta_w", sin2_theta_w, "a number in (0, 1)")
    return float(sin2_theta_w)


def _ratio_from_moments(
    kappa: FloatArray, d1: FloatArray, d2: FloatArray, sin2_theta_w: float
) -> FloatArray:
    """R = 1 + [4 a kappa <1/(Q^2+m^2)> + 4 kappa^2 <1/(Q^2+m^2)^2>] / (a^2 + 1)."""
    a = 1.0 + 4.0 * sin2_theta_w
    return np.asarray(1.0 + (4.0 * a * kappa * d1 + 4.0 * kappa**2 * d2) / (a * a + 1.0))


def _limit_from_moments(
    d1: FloatArray, d2: FloatArray, r_max: float, sin2_theta_w: float
) -> FloatArray:
    """Coupling g at which R = r_max: the positive root of the quadratic in kappa = g^2 v^2."""
    a = 1.0 + 4.0 * sin2_theta_w
    c = (r_max - 1.0) * (a * a + 1.0)
    kappa = (-a * d1 + np.sqrt(a * a * d1 * d1 + d2 * c)) / (2.0 * d2)
    return np.asarray(np.sqrt(kappa) / HIGGS_VEV)


def contact_ratio(
    mass: ArrayLike, coupling: ArrayLike, sin2_theta_w: float = SIN2_THETA_W_MSBAR
) -> FloatArray:
    """Heavy-Z' trident ratio R = [(a + 2 g^2 v^2/m^2)^2 + 1]/(a^2 + 1), a = 1 + 4 s_W^2.

    ``mass`` in MeV, ``coupling`` g >= 0 (broadcast). Valid for m^2 >> the Q^2 of the
    process (m >~ 5 GeV at CCFR); see :func:`trident_ratio` for light Z'.
    """
    m = checked_array(mass, "mass", unit="MeV")
    g = checked_array(coupling, "coupling", allow_zero=True)
    s2 = _check_sin2(sin2_theta_w)
    return _ratio_from_moments(g * g * HIGGS_VEV**2, 1.0 / m**2, 1.0 / m**4, s2)


def contact_limit(
    mass: ArrayLike, nsigma: float = 1.96, sin2_theta_w: float = SIN2_THETA_W_MSBAR
) -> FloatArray:
    """Largest allowed g in the contact limit: g = m / Lambda, Lambda = 545 GeV by default."""
    m = checked_array(mass, "mass", unit="MeV")
    s2 = _check_sin2(sin2_theta_w)
    return _limit_from_moments(1.0 / m**2, 1.0 / m**4, ratio_upper(nsigma), s2)


def photon_structure_functions(x: ArrayLike, q2: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """QED-box structure functions (F_2, F_L) of a real photon for muon pairs, per alpha/pi.

    ``x`` in (0, 1), ``q2`` = Q^2 in MeV^2 (broadcast). Zero below the pair threshold
    W^2 = Q^2 (1 - x)/x < 4 m_mu^2. F_2 is the full massive leading-order box; F_L is the
    massless value times the muon velocity b (see the module docstring). At Q^2 -> 0 and fixed
    W, F_2/x tends to the Breit-Wheeler bracket of gamma gamma -> mu+ mu-.
    """
    xs = np.asarray(x, dtype=np.float64)
    q2s = np.asarray(q2, dtype=np.float64)
    rho = 4.0 * m_mu**2 / q2s
    with np.errstate(divide="ignore", invalid="ignore"):
        b2 = 1.0 - rho * xs / (1.0 - xs)
        open_ = (b2 > 0.0) & (xs > 0.0) & (xs < 1.0)
        b = np.sqrt(np.where(open_, b2, 0.0))
        log = np.log1p(2.0 * b / np.where(open_, 1.0 - b, 1.0))
        f2 = xs * (
            (xs**2 + (1.0 - xs) ** 2 + xs * (1.0 - 3.0 * xs) * rho - 0.5 * (xs * rho) ** 2) * log
            + b * (8.0 * xs * (1.0 - xs) - 1.0 - xs * (1.0 - xs) * rho)
        )
        fl = 4.0 * xs**2 * (1.0 - xs) * b
    return np.where(open_, f2, 0.0), np.where(open_, fl, 0.0)


def helm_form_factor2(q2: ArrayLike, mass_number: float) -> FloatArray:
    """Helm nuclear form factor squared F(q^2)^2 (q2 in MeV^2), F(0) = 1.

    F(q) = 3 j_1(q R_1)/(q R_1) exp(-q^2 s^2/2), R_1 = sqrt(c^2 + 7/3 pi^2 a^2 - 5 s^2),
    c = 1.23 A^(1/3) - 0.60 fm, a = 0.52 fm, s = 0.9 fm (Lewin and Smith, Astropart. Phys. 6
    (1996) 87; status: unverified: confirm before relying, standard parameters).
    """
    from hepunits import fermi
    from hepunits.constants import hbarc

    q = np.sqrt(np.asarray(q2, dtype=np.float64)) / hbarc  # 1/mm
    c = (1.23 * mass_number ** (1.0 / 3.0) - 0.60) * fermi
    a, s = 0.52 * fermi, 0.9 * fermi
    r1 = math.sqrt(c * c + 7.0 / 3.0 * math.pi**2 * a * a - 5.0 * s * s)
    z = q * r1
    with np.errstate(divide="ignore", invalid="ignore"):
        small = z < 1e-3
        zz = np.where(small, 1.0, z)
        j1_over = np.where(small, 1.0 - z * z / 10.0, 3.0 * (np.sin(zz) - zz * np.cos(zz)) / zz**3)
    return np.asarray((j1_over * np.exp(-0.5 * (q * s) ** 2)) ** 2)


def _form_factor2(t: FloatArray, form_factor: str) -> FloatArray:
    if form_factor == "helm":
        return helm_form_factor2(t, IRON.A)
    # Tsai/Bjorken elastic G2 per Z^2 (its atomic screening factor is ~1 here)
    return np.asarray(g2_elastic(t, IRON) / IRON.Z**2)


# Quadrature grid of the SM trident weight (ln s, ln Q^2, ln x panels).
_Q2_LOW = 1e-6 * MeV**2  # below this Q^2 the weight ~ Q^2 is negligible for m >= 1 keV
_Q_MAX = 3.0 * GeV  # largest nuclear momentum transfer kept (form factor ~ 0 beyond)
_N_NODES = 8
#: masses per block in :func:`propagator_moments` (memory ~ block x Q^2 nodes x 8 bytes)
_MASS_BLOCK = 32


def _log_rule(low: FloatArray, high: FloatArray, panels: int) -> tuple[FloatArray, FloatArray]:
    """Nodes and weights in ln(v) between low and high (per row), returned as v and v-weights.

    Shapes: low, high (...) -> (..., panels * _N_NODES); the weights integrate f(v) dv.
    """
    u = np.linspace(0.0, 1.0, panels + 1)
    lo, hi = np.log(low)[..., None], np.log(high)[..., None]
    edges = lo + (hi - lo) * u
    nodes, weights = gauss_legendre_on_bins(edges, _N_NODES)
    shape = (*nodes.shape[:-2], panels * _N_NODES)
    v = np.exp(nodes.reshape(shape))
    return v, weights.reshape(shape) * v


def _flux_log(t_min: FloatArray, form_factor: str) -> FloatArray:
    """int_{t_min}^{inf} dt/t F^2(t) for each t_min (MeV^2)."""
    t_top = np.full_like(t_min, (10.0 * _Q_MAX) ** 2)
    t, w = _log_rule(t_min, t_top, 48)
    return np.asarray(np.sum(w / t * _form_factor2(t, form_factor), axis=-1))


@lru_cache(maxsize=32)
def _trident_weights(energy: float, form_factor: str) -> tuple[FloatArray, FloatArray]:
    """(Q^2 nodes, weights) of the SM trident rate dsigma/dQ^2 at one neutrino energy."""
    threshold = 4.0 * m_mu**2
    s_max = 2.0 * energy * _Q_MAX
    s_nodes, s_weights = _log_rule(np.array([threshold * (1.0 + 1e-9)]), np.array([s_max]), 40)
    s_nodes, s_weights = s_nodes[0], s_weights[0]
    flux = _flux_log((s_nodes / (2.0 * energy)) ** 2, form_factor)
    q2_high = s_nodes - threshold
    q2, wq = _log_rule(np.full(s_nodes.size, _Q2_LOW), q2_high, 24)
    s = s_nodes[:, None]
    x_low = q2 / s  # y <= 1
    x_high = q2 / (q2 + threshold)  # W^2 >= 4 m_mu^2
    x, wx = _log_rule(x_low, x_high, 3)
    f2, fl = photon_structure_functions(x, q2[..., None])
    y = q2[..., None] / (x * s[..., None])
    inner = np.sum(wx / x * ((1.0 - y + 0.5 * y * y) * f2 - 0.5 * y * y * fl), axis=-1)
    weights = (s_weights / s_nodes * flux)[:, None] * wq * inner
    return q2.ravel(), weights.ravel()


def _check_form_factor(form_factor: str) -> str:
    if form_factor not in _FORM_FACTORS:
        raise InvalidParameterError("form_factor", form_factor, ", ".join(_FORM_FACTORS))
    return form_factor


def _spectrum(energies: ArrayLike | None, flux: ArrayLike | None) -> tuple[FloatArray, FloatArray]:
    if energies is None:
        if flux is not None:
            raise InvalidParameterError("flux", "given", "only together with energies")
        return np.array([DEFAULT_ENERGY]), np.array([1.0])
    e = np.atleast_1d(checked_array(energies, "energies", unit="MeV"))
    f = np.ones_like(e) if flux is None else np.atleast_1d(checked_array(flux, "flux"))
    if f.shape != e.shape:
        raise InvalidParameterError("flux", f"shape {f.shape}", f"the energies shape {e.shape}")
    if np.any(e < 10.0 * GeV):
        raise InvalidParameterError("energies", float(e.min()), ">= 10 GeV (EPA regime)")
    return e, f


def propagator_moments(
    mass: ArrayLike,
    energies: ArrayLike | None = None,
    flux: ArrayLike | None = None,
    form_factor: FormFactor = "helm",
) -> tuple[FloatArray, FloatArray]:
    """SM-trident averages <1/(Q^2 + m^2)> [MeV^-2] and <1/(Q^2 + m^2)^2> [MeV^-4].

    Q^2 = -k^2 of the neutrino line; the weight is the SM rate (module docstring), folded
    with ``flux`` over ``energies`` (MeV; default a single 160 GeV). m^2 D1 and m^4 D2 tend
    to 1 for heavy Z'.
    """
    m = checked_array(mass, "mass", unit="MeV")
    e, f = _spectrum(energies, flux)
    _check_form_factor(form_factor)
    parts = [_trident_weights(float(ei), form_factor) for ei in e]
    q2 = np.concatenate([p[0] for p in parts])
    # the weights of each energy are its SM rate density: energies add with flux x rate
    w = np.concatenate([fi * p[1] for fi, p in zip(f, parts, strict=True)])
    w = w / np.sum(w)
    flat = m.ravel() ** 2
    d1, d2 = np.empty_like(flat), np.empty_like(flat)
    for start in range(0, flat.size, _MASS_BLOCK):  # bounded memory: ~60k Q^2 nodes per mass
        block = slice(start, start + _MASS_BLOCK)
        inv = 1.0 / (q2[None, :] + flat[block, None])
        d1[block] = inv @ w
        d2[block] = (inv * inv) @ w
    return np.asarray(d1.reshape(m.shape)), np.asarray(d2.reshape(m.shape))


def trident_ratio(
    mass: ArrayLike,
    coupling: ArrayLike,
    energies: ArrayLike | None = None,
    flux: ArrayLike | None = None,
    form_factor: FormFactor = "helm",
    sin2_theta_w: float = SIN2_THETA_W_MSBAR,
) -> FloatArray:
    """sigma/sigma_SM of coherent nu_mu Fe -> nu_mu Fe mu+ mu- with a Z' of any mass.

    Equivalent-photon treatment with the Z' propagator 1/(Q^2 + m^2) (module docstring);
    tends to :func:`contact_ratio` for heavy Z'. ``mass`` in MeV, ``coupling`` g.
    """
    m = checked_array(mass, "mass", unit="MeV")
    g = checked_array(coupling, "coupling", allow_zero=True)
    s2 = _check_sin2(sin2_theta_w)
    m_b, g_b = np.broadcast_arrays(m, g)
    d1, d2 = propagator_moments(m_b, energies, flux, form_factor)
    return _ratio_from_moments(g_b**2 * HIGGS_VEV**2, d1, d2, s2)


def trident_limit(
    mass: ArrayLike,
    nsigma: float = 1.96,
    energies: ArrayLike | None = None,
    flux: ArrayLike | None = None,
    form_factor: FormFactor = "helm",
    sin2_theta_w: float = SIN2_THETA_W_MSBAR,
) -> FloatArray:
    """Coupling g above which CCFR excludes the Z' (R > 0.82 + nsigma x 0.28), any mass.

    Couplings above the returned value are excluded (open region). Heavy limit:
    g = m/545 GeV (s_W^2 = 0.2312, nsigma = 1.96).
    """
    m = checked_array(mass, "mass", unit="MeV")
    s2 = _check_sin2(sin2_theta_w)
    r_max = ratio_upper(nsigma)
    d1, d2 = propagator_moments(m, energies, flux, form_factor)
    return _limit_from_moments(d1, d2, r_max, s2)
