"""Dark-matter annihilation through an s-channel vector mediator, and its thermal average.

Handbook relic.md sections 1, 3.1 and 5. For ``chi chi -> V* -> f fbar`` (V = L_mu-L_tau Z' or
dark photon A'), exact in the Mandelstam variable s (natural units):

    sigma v_Mol(s) = g_chi^2 K(s) / (6 pi [(s - M^2)^2 + M^2 Gamma^2])
                     * sum_f [c_V^2 (1 + 2 m_f^2/s) beta_f + c_A^2 beta_f^3] g^2

with ``beta_f = sqrt(1 - 4 m_f^2/s)``, (c_V, c_A) the fermion couplings per unit model
coupling g (``FermionCoupling``), ``Gamma`` the total mediator width, and

- complex scalar, Majorana: ``K(s) = s - 4 m_chi^2`` (p-wave),
- Dirac, pseudo-Dirac: ``K(s) = s + 2 m_chi^2`` (s-wave).

Status: cross-check derivation with explicit Dirac traces (relic.md 1, not published); agrees
with spinjo/SNforMuTau sigma0_Ann_V (verified per relic.md). The axial term c_A^2 beta^3 is
used for massless fermions only (left-handed neutrinos, ``c_V = c_A = 1/2``, giving the factor
1/2 per flavour of relic.md 1); an axial coupling to a massive fermion would need the
longitudinal mediator term and is refused. Majorana is normalised as ``(g_chi/2) chibar g g5
chi`` (handbook README choice 5), so its sigma equals the complex-scalar one.

Pseudo-Dirac (chi_1, chi_2 with m_2 = m_1 (1 + delta)): only chi_1 chi_2 annihilate (the
off-diagonal current). **Mass-splitting assumption**: the chi_1 chi_2 cross section and its
thermal average are evaluated with equal-mass kinematics at the mean mass
``m_bar = m_1 (1 + delta/2)`` (exact at delta = 0, where it is the Dirac result; the
neglected kinematic terms are O(delta^2), unverified beyond that statement). The splitting
enters the relic density through the equilibrium fractions of chi_1 and chi_2
(:mod:`darkreach.physics.relic.boltzmann`).

Width in the propagator: either the constant on-shell width (``M Gamma`` as in relic.md 1) or,
when ``width`` is a callable of sqrt(s), the energy-dependent form ``M Gamma -> sqrt(s)
Gamma(sqrt(s))``, i.e. the absorptive part of the one-loop self-energy (optical theorem) with
every channel's partial width evaluated at mass sqrt(s). Both agree at the pole. They differ
away from it: the dark-matter channel's absorptive part vanishes at the annihilation
threshold s = 4 m_chi^2, so the running width does not suppress sigma v there, whereas a
constant width of a broad mediator does (Dirac, alpha_D = 0.5, M = 3 m_chi: 8 % in the relic
y; cross-check value (independent computation, not published)).

Thermal average: Gondolo-Gelmini one-dimensional integral (Nucl. Phys. B 360 (1991) 145;
verified form per relic.md 3.1), written in ``u = (s - 4 m^2)/(4 m^2)``:

    <sigma v>(x) = 2 x int_0^inf du sigma v_Mol(s) sqrt(u) (1 + u) K_1(2 x sqrt(1+u)) / K_2(x)^2

with exponentially scaled Bessel functions. The integral is done by composite Gauss-Legendre
panels in the logarithm of the distance to every feature (u = 0, each threshold, the
resonance), so that sqrt thresholds and a Breit-Wigner of any width are resolved; the
innermost resonance core ``|u - u_R| < c`` (c ~ 1e-8 of the feature scale) is integrated
analytically with the Lorentzian exact and the rest frozen. Valid across the resonance.

Units: masses, widths and sqrt(s) in MeV (hepunits); sigma v in MeV^-2 (natural units);
:func:`sigma_v_to_cm3_per_s` converts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from hepunits import cm, s
from hepunits.constants import c_light
from numpy.typing import ArrayLike
from scipy.special import kve

from darkreach.array_types import FloatArray
from darkreach.constants import hbarc, m_e, m_mu, m_pi_charged, m_tau
from darkreach.errors import InvalidParameterError
from darkreach.models.base import FermionCoupling
from darkreach.physics.hadrons import (
    M_OMEGA,
    M_PHI,
    M_RHO,
    QuarkCouplings,
    hadronic_width,
)
from darkreach.quadrature import gauss_legendre_on_bins

__all__ = [
    "DM_KINDS",
    "FERMION_MASSES",
    "DMKind",
    "FinalState",
    "HadronicFinalState",
    "Width",
    "dm_kinematic_factor",
    "final_states_from_couplings",
    "hadronic_final_state",
    "resonance_position",
    "s_from_velocity",
    "sigma_v",
    "sigma_v_nonrelativistic",
    "sigma_v_to_cm3_per_s",
    "thermal_average",
]

#: A mediator width [MeV]: constant, or a function of sqrt(s) [MeV] (energy-dependent width).
Width = float | Callable[[FloatArray], FloatArray]
DMKind = Literal["complex-scalar", "majorana", "pseudo-dirac", "dirac"]
DM_KINDS: tuple[str, ...] = get_args(DMKind)

#: Fermion masses [MeV] for the keys of ``Model.fermion_couplings()`` (particle package).
FERMION_MASSES: dict[str, float] = {
    "e": m_e,
    "mu": m_mu,
    "tau": m_tau,
    "nu_e": 0.0,
    "nu_mu": 0.0,
    "nu_tau": 0.0,
}

_P_WAVE = frozenset({"complex-scalar", "majorana"})

#: (hbar c)^2 c converts sigma v from MeV^-2 to a volume per time in hepunits.
_SIGMA_V_UNIT = hbarc * hbarc * float(c_light)


def sigma_v_to_cm3_per_s(sigma_v_natural: ArrayLike) -> FloatArray:
    """Convert sigma v from MeV^-2 (natural units) to cm^3/s."""
    value = np.asarray(sigma_v_natural, dtype=np.float64) * _SIGMA_V_UNIT
    return np.asarray(value / (cm**3 / s), dtype=np.float64)


def _check_kind(kind: str) -> None:
    if kind not in DM_KINDS:
        raise InvalidParameterError("dm kind", repr(kind), ", ".join(DM_KINDS))


@dataclass(frozen=True)
class FinalState:
    """An SM fermion pair the mediator annihilates into.

    ``mass`` in MeV; ``vector``, ``axial`` are the couplings per unit model coupling
    (``g V_a fbar g^a (vector - axial g5) f``).
    """

    name: str
    mass: float
    vector: float
    axial: float = 0.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.mass) and self.mass >= 0.0):
            raise InvalidParameterError(f"{self.name} mass", self.mass, "finite and >= 0 MeV")
        if self.axial != 0.0 and self.mass > 0.0:
            raise InvalidParameterError(
                f"{self.name} axial coupling",
                self.axial,
                "0 for a massive fermion (axial couplings only for neutrinos)",
            )

    def weight(self, s: ArrayLike) -> FloatArray:
        """``c_V^2 (1 + 2 r) beta + c_A^2 beta^3``, r = m_f^2/s; 0 below threshold.

        Dimensionless; ``s`` in MeV^2.
        """
        s_arr = np.asarray(s, dtype=np.float64)
        r = self.mass * self.mass / s_arr
        beta_sq = np.clip(1.0 - 4.0 * r, 0.0, None)
        beta = np.sqrt(beta_sq)
        out = self.vector**2 * (1.0 + 2.0 * r) * beta + self.axial**2 * beta_sq * beta
        return np.asarray(out, dtype=np.float64)

    def features(self) -> tuple[float, ...]:
        """sqrt(s) [MeV] of the thresholds and peaks the thermal quadrature must resolve."""
        return (2.0 * self.mass,) if self.mass > 0.0 else ()


_NO_QUARKS = QuarkCouplings(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class HadronicFinalState(FinalState):
    """Hadrons through the quark couplings (models.md 4.3, :mod:`darkreach.physics.hadrons`).

    ``quarks`` are the vector couplings to u, d, s, c, b per unit model coupling; the weight is
    ``12 pi Gamma_had(sqrt s)/sqrt(s)`` per unit coupling^2, which for the dark photon
    (``eps e Q_q``) is ``e^2 R(s)``: the quark sum of relic.md 1 replaced by ``g_mu^2 R(s)``
    (relic.md 1). ``mass`` is m_pi+ (threshold of pi+ pi-); ``vector`` is unused.
    """

    quarks: QuarkCouplings = _NO_QUARKS

    def weight(self, s: ArrayLike) -> FloatArray:
        """``12 pi Gamma_had(sqrt s)/sqrt(s)`` per unit coupling^2 (0 below m_pi0)."""
        root = np.sqrt(np.asarray(s, dtype=np.float64))
        return np.asarray(12.0 * math.pi * hadronic_width(root, self.quarks) / root)

    def features(self) -> tuple[float, ...]:
        """The pi+ pi- threshold and the rho, omega and phi peaks."""
        return (2.0 * m_pi_charged, M_RHO, M_OMEGA, M_PHI)


def hadronic_final_state(quarks: QuarkCouplings) -> HadronicFinalState:
    """The ``"hadrons"`` final state for quark couplings per unit model coupling."""
    return HadronicFinalState("hadrons", m_pi_charged, 0.0, quarks=quarks)


def final_states_from_couplings(couplings: Mapping[str, FermionCoupling]) -> tuple[FinalState, ...]:
    """Final states from ``Model.fermion_couplings()`` (the ``"chi"`` entry is skipped).

    Fermions with zero vector and axial coupling are dropped; scalar couplings are refused
    (this module covers vector mediators only).
    """
    states = []
    for name, coupling in couplings.items():
        if name == "chi":
            continue
        if name not in FERMION_MASSES:
            raise InvalidParameterError("fermion", repr(name), ", ".join(FERMION_MASSES))
        if coupling.scalar != 0.0 or coupling.pseudoscalar != 0.0:
            raise InvalidParameterError(
                f"{name} coupling", coupling, "vector/axial couplings (vector mediators only)"
            )
        if coupling.vector == 0.0 and coupling.axial == 0.0:
            continue
        states.append(FinalState(name, FERMION_MASSES[name], coupling.vector, coupling.axial))
    return tuple(states)


def dm_kinematic_factor(kind: str, s: ArrayLike, m_chi: float) -> FloatArray:
    """K(s) [MeV^2] of relic.md 1: ``s - 4 m^2`` (scalar, Majorana) or ``s + 2 m^2``."""
    _check_kind(kind)
    s_arr = np.asarray(s, dtype=np.float64)
    if kind in _P_WAVE:
        return np.asarray(s_arr - 4.0 * m_chi * m_chi, dtype=np.float64)
    return np.asarray(s_arr + 2.0 * m_chi * m_chi, dtype=np.float64)


def _channel_sum(s: FloatArray, final_states: Sequence[FinalState]) -> FloatArray:
    total = np.zeros_like(s)
    for state in final_states:
        total = total + state.weight(s)
    return total


def _width_term(width: Width, s: FloatArray, mediator_mass: float) -> FloatArray:
    """(M Gamma)^2 for a constant width, (sqrt(s) Gamma(sqrt(s)))^2 for a callable."""
    if callable(width):
        root = np.sqrt(s)
        value = np.asarray(width(root), dtype=np.float64)
        if np.any(~(value >= 0.0)) or not np.all(np.isfinite(value)):
            raise InvalidParameterError("width", "callable", "finite and >= 0 MeV")
        return np.asarray((root * value) ** 2, dtype=np.float64)
    if not (math.isfinite(width) and width >= 0.0):
        raise InvalidParameterError("width", width, "finite and >= 0 MeV")
    return np.full_like(s, (mediator_mass * width) ** 2)


def _pole_width(width: Width, mediator_mass: float) -> float:
    if callable(width):
        return float(np.asarray(width(np.array([mediator_mass])), dtype=np.float64)[0])
    return float(width)


def _kinematic_mass(m_chi: float, kind: str, delta: float) -> float:
    if delta < 0.0 or not math.isfinite(delta):
        raise InvalidParameterError("delta", delta, "finite and >= 0")
    if delta != 0.0 and kind != "pseudo-dirac":
        raise InvalidParameterError("delta", delta, "0 unless kind = 'pseudo-dirac'")
    return m_chi * (1.0 + 0.5 * delta)


def sigma_v(
    s: ArrayLike,
    m_chi: float,
    *,
    kind: str,
    alpha_d: float,
    mediator_mass: float,
    width: Width,
    final_states: Sequence[FinalState],
    coupling: float = 1.0,
    delta: float = 0.0,
) -> FloatArray:
    """sigma v_Mol(s) [MeV^-2] for ``chi chi -> V* -> f fbar``, exact in s (relic.md 1).

    ``s`` [MeV^2] (0 below ``4 m^2``), ``m_chi`` the (lighter) DM mass [MeV], ``width`` the total
    mediator width [MeV] (constant) or a function of sqrt(s) [MeV] (energy dependent, see the
    module docstring), ``coupling`` the mediator coupling g (or eps). For pseudo-Dirac,
    ``delta = (m_2 - m_1)/m_1`` and the equal-mass approximation of the module docstring.
    """
    _check_kind(kind)
    if not (0.0 < alpha_d < 4.0 * math.pi):
        raise InvalidParameterError("alpha_d", alpha_d, "0 < alpha_D < 4 pi")
    m = _kinematic_mass(m_chi, kind, delta)
    s_arr = np.asarray(s, dtype=np.float64)
    above = s_arr > 4.0 * m * m
    s_safe = np.where(above, s_arr, 4.0 * m * m * (1.0 + 1e-300))
    g_chi_sq = 4.0 * math.pi * alpha_d
    denom = (s_safe - mediator_mass**2) ** 2 + _width_term(width, s_safe, mediator_mass)
    value = (
        g_chi_sq
        * coupling**2
        * dm_kinematic_factor(kind, s_safe, m)
        * _channel_sum(s_safe, final_states)
        / (6.0 * math.pi * denom)
    )
    return np.asarray(np.where(above, value, 0.0), dtype=np.float64)


def s_from_velocity(v_rel: ArrayLike, m_chi: float) -> FloatArray:
    """s [MeV^2] for CM relative (Moller) velocity ``v_rel = 2 beta_chi``: ``4 m^2/(1 - v^2/4)``."""
    v = np.asarray(v_rel, dtype=np.float64)
    if np.any((v < 0) | (v >= 2)):
        raise InvalidParameterError("v_rel", float(np.max(v)), "0 <= v_rel < 2")
    return np.asarray(4.0 * m_chi * m_chi / (1.0 - 0.25 * v * v), dtype=np.float64)


def sigma_v_nonrelativistic(
    v_rel: ArrayLike,
    m_chi: float,
    *,
    kind: str,
    alpha_d: float,
    mediator_mass: float,
    coupling_sq_sum: float,
) -> FloatArray:
    """Heavy-mediator, non-relativistic limit of relic.md 1 (massless f), MeV^-2.

    ``coupling_sq_sum`` is ``sum_f g_f^2 N_f`` (e.g. g^2 for two half-weight neutrinos).
    Scalar/Majorana ``g_chi^2 g_f^2 m^2 v^2/(6 pi M^4)``, Dirac
    ``g_chi^2 g_f^2 m^2/(pi M^4)``, each times ``[1 - 4 m^2/M^2]^-2``; orientation only.
    """
    _check_kind(kind)
    v = np.asarray(v_rel, dtype=np.float64)
    g_chi_sq = 4.0 * math.pi * alpha_d
    base = g_chi_sq * coupling_sq_sum * m_chi**2 / mediator_mass**4
    base /= (1.0 - 4.0 * m_chi**2 / mediator_mass**2) ** 2
    if kind in _P_WAVE:
        return np.asarray(base * v * v / (6.0 * math.pi), dtype=np.float64)
    return np.asarray(base / math.pi + 0.0 * v, dtype=np.float64)


def resonance_position(ratio: float, kind: str = "dirac", delta: float = 0.0) -> float:
    """u_R = M^2/(4 m_bar^2) - 1 for ``M = ratio * m_1`` (negative: no physical resonance)."""
    m_bar = _kinematic_mass(1.0, kind, delta)
    return ratio * ratio / (4.0 * m_bar * m_bar) - 1.0


# --- Gondolo-Gelmini integral -------------------------------------------------------------

#: Gauss-Legendre order per panel (rule from darkreach.quadrature) and panel length in
#: ln(distance); with 8 nodes a Lorentzian (poles pi/2 away in the log variable) is
#: integrated to ~1e-8 per panel.
_GL_ORDER = 8
_PANEL = 2.0

# asymptotic expansion of exp(z) K_1(z): prod_j (4 - (2j-1)^2) / (k! 8^k)
_K1_ASYMPTOTIC = (
    1.0,
    0.375,
    -0.1171875,
    0.1025390625,
    -0.144195556640625,
    0.27757644653320312,
    -0.6765925884246826,
)
_K1_SWITCH = 25.0
# exp(z) K_1(z) sqrt(z) tabulated in ln z on [ln 2, ln 25], linear interpolation (error < 1e-7)
_K1_TABLE_LNZ = np.linspace(math.log(2.0), math.log(_K1_SWITCH), 4001)
_K1_TABLE = np.log(kve(1, np.exp(_K1_TABLE_LNZ)) * np.exp(0.5 * _K1_TABLE_LNZ))


def _kve1(z: FloatArray) -> FloatArray:
    """exp(z) K_1(z): asymptotic series above z = 25 (error < 1e-9), an interpolated table
    for 2 <= z < 25 (error < 1e-7), scipy below."""
    out = np.empty_like(z)
    big = z >= _K1_SWITCH
    t = 1.0 / z[big]
    series = np.zeros_like(t)
    for coeff in reversed(_K1_ASYMPTOTIC):
        series = series * t + coeff
    out[big] = np.sqrt(0.5 * math.pi * t) * series
    mid = ~big & (z >= 2.0)
    zm = z[mid]
    lnz = np.log(zm)
    out[mid] = np.exp(np.interp(lnz, _K1_TABLE_LNZ, _K1_TABLE) - 0.5 * lnz)
    small = z < 2.0
    if np.any(small):
        out[small] = kve(1, z[small])
    return out


def _bessel_kernel(x: FloatArray, u: FloatArray) -> FloatArray:
    """2 x sqrt(u) (1+u) K_1(2 x sqrt(1+u)) / K_2(x)^2, shape (len(x), len(u))."""
    xx = x[:, None]
    root = np.sqrt(1.0 + u)[None, :]
    z = 2.0 * xx * root
    # z - 2x = 2 x u / (1 + sqrt(1+u)), no cancellation at small u
    shift = 2.0 * xx * (u[None, :] / (1.0 + root))
    k2 = kve(2, x)[:, None]
    kernel = 2.0 * xx * np.sqrt(u)[None, :] * (1.0 + u)[None, :] * _kve1(z) * np.exp(-shift)
    return np.asarray(kernel / (k2 * k2), dtype=np.float64)


@dataclass(frozen=True)
class _Pieces:
    u: FloatArray  # nodes
    weight: FloatArray  # quadrature weights in u
    offset: FloatArray  # u - u_R, exact near the resonance
    core: float  # half-width c of the analytic resonance core (0 if none)


def _log_piece(d_lo: float, d_hi: float) -> tuple[FloatArray, FloatArray]:
    """Distances d in [d_lo, d_hi] and weights for int dd, GL panels in ln d."""
    v_lo, v_hi = math.log(d_lo), math.log(d_hi)
    count = max(1, math.ceil((v_hi - v_lo) / _PANEL))
    nodes, weights = gauss_legendre_on_bins(np.linspace(v_lo, v_hi, count + 1), _GL_ORDER)
    d = np.exp(nodes.ravel())
    return d, weights.ravel() * d


def _quadrature(u_hi: float, thresholds: Sequence[float], u_res: float, x_max: float) -> _Pieces:
    """Composite rule on [0, u_hi] with breakpoints at 0, thresholds and the resonance u_res
    (a breakpoint only if 0 < u_res < u_hi); ``offset`` = u - u_res, exact near it."""
    resonance = 0.0 < u_res < u_hi
    points = {0.0}
    points.update(t for t in thresholds if 0.0 < t < u_hi)
    if resonance:
        # a threshold within 1e-9 of the resonance is merged into it
        points = {p for p in points if abs(p - u_res) > 1e-9 * u_res}
        points.add(u_res)
    breaks = sorted(points)
    floor = 1e-8 / x_max
    core = 0.0
    if resonance:
        i = breaks.index(u_res)
        gaps = [u_res - breaks[i - 1]]
        gaps.append((breaks[i + 1] if i + 1 < len(breaks) else u_hi) - u_res)
        core = min(1e-8 * min(gaps), floor)
    nodes: list[FloatArray] = []
    weights: list[FloatArray] = []
    offsets: list[FloatArray] = []
    for i, anchor in enumerate(breaks):
        last = i + 1 == len(breaks)
        right = u_hi if last else breaks[i + 1]
        length = right - anchor if last else 0.5 * (right - anchor)
        # piece anchored at `anchor`, going right
        sides = [(anchor, 1.0, length)]
        if not last:
            sides.append((right, -1.0, length))
        for point, direction, extent in sides:
            is_res = resonance and point == u_res
            d_lo = core if is_res else min(1e-9 * extent, floor)
            d, w = _log_piece(d_lo, extent)
            u = point + direction * d
            nodes.append(u)
            weights.append(w)
            offsets.append(direction * d if is_res else u - u_res)
    return _Pieces(
        u=np.concatenate(nodes),
        weight=np.concatenate(weights),
        offset=np.concatenate(offsets),
        core=core,
    )


def thermal_average(
    x: ArrayLike,
    m_chi: float,
    *,
    kind: str,
    alpha_d: float,
    mediator_mass: float,
    width: Width,
    final_states: Sequence[FinalState],
    coupling: float = 1.0,
    delta: float = 0.0,
) -> FloatArray:
    """<sigma v_Mol>(x) [MeV^-2], Gondolo-Gelmini integral (relic.md 3.1), ``x = m_chi/T``.

    Same arguments as :func:`sigma_v`; ``x`` is an array (> 0). Valid across the resonance
    and thresholds (see the module docstring for the quadrature). For pseudo-Dirac this is
    <sigma v>_12 at ``T = m_1/x`` with the equal-mass approximation at m_bar.
    """
    _check_kind(kind)
    if not (0.0 < alpha_d < 4.0 * math.pi):
        raise InvalidParameterError("alpha_d", alpha_d, "0 < alpha_D < 4 pi")
    x_arr = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if np.any(~(x_arr > 0)) or not np.all(np.isfinite(x_arr)):
        raise InvalidParameterError("x", float(np.min(x_arr)), "finite and > 0")
    m = _kinematic_mass(m_chi, kind, delta)
    x_kin = x_arr * (m / m_chi)
    x_min, x_max = float(x_kin.min()), float(x_kin.max())
    # Boltzmann factor exp(-2 x (sqrt(1+u) - 1)) < exp(-40) beyond u_hi at the smallest x
    u_hi = (1.0 + 20.0 / x_min) ** 2 - 1.0
    four_m2 = 4.0 * m * m
    u_res = mediator_mass**2 / four_m2 - 1.0
    thresholds = [e * e / four_m2 - 1.0 for fs in final_states for e in fs.features()]
    rule = _quadrature(u_hi, thresholds, u_res, x_max)

    s_nodes = four_m2 * (1.0 + rule.u)
    pole_width = _pole_width(width, mediator_mass)
    if not (math.isfinite(pole_width) and pole_width >= 0.0):
        raise InvalidParameterError("width", pole_width, "finite and >= 0 MeV")
    if rule.core > 0.0 and pole_width <= 0.0:
        raise InvalidParameterError(
            "width", pole_width, "> 0 MeV when the resonance (M > 2 m_chi) is physical"
        )
    w_res = mediator_mass * pole_width / four_m2
    # width term of the denominator in units of (4 m^2)^2, like offset^2
    width_sq = _width_term(width, s_nodes, mediator_mass) / (four_m2 * four_m2)
    offset = rule.offset
    numerator = (
        4.0
        * math.pi
        * alpha_d
        * coupling**2
        * dm_kinematic_factor(kind, s_nodes, m)
        * _channel_sum(s_nodes, final_states)
        / (6.0 * math.pi)
    )
    values = numerator / (four_m2 * four_m2 * (offset * offset + width_sq))
    kernel = _bessel_kernel(x_kin, rule.u)
    result = kernel @ (rule.weight * values)
    if rule.core > 0.0:
        s_res = np.array([mediator_mass**2])
        num_res = (
            4.0
            * math.pi
            * alpha_d
            * coupling**2
            * dm_kinematic_factor(kind, s_res, m)
            * _channel_sum(s_res, final_states)
            / (6.0 * math.pi)
        )[0]
        lorentz = 2.0 * math.atan(rule.core / w_res) / w_res
        k_res = _bessel_kernel(x_kin, np.array([u_res]))[:, 0]
        result = result + k_res * num_res * lorentz / (four_m2 * four_m2)
    return np.asarray(result, dtype=np.float64)
