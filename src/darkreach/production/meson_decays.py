"""Light-meson decays to a new vector X: P -> gamma X and V -> P X (proton-dump production).

Handbook electron_and_dump.md B.3 (production in the NA62 dump) and B.9 (recasting with the
quark charges); models.md sections 2, 4 and 5 (couplings of the dark photon, B-L and the
L_mu-L_tau Z').

**Quark charges.** A vector X couples to the light quarks as ``e x_q qbar g^a q``
(:func:`quark_charges` returns ``x_q`` per unit model coupling, in units of e):

- dark photon: ``x_q = Q_q = (2/3, -1/3, -1/3)`` per unit eps;
- B-L: ``x_q = 1/(3 e)`` per unit g_BL (baryon number 1/3, coupling g/3 = (g/e) e/3);
- L_mu-L_tau: ``x_q = |eps(m^2)|/g Q_q`` through the loop mixing at q^2 = m^2
  (:func:`darkreach.physics.kinetic_mixing.epsilon_over_g`, models.md 2.4: on-shell
  production uses q^2 = M^2; ``eps/g -> 0.01443`` at low mass, ED-6).

**P -> gamma X** (P = pi0, eta, eta')::

    BR(P -> gamma X) = 2 BR(P -> gamma gamma) |sum_q c_q Q_q x_q / sum_q c_q Q_q^2|^2
                       * (1 - m^2/M_P^2)^3

(handbook B.3; the dark-photon form ``2 eps^2 BR(gamma gamma)(1 - m^2/M_P^2)^3`` is verified
in FORESEE and ALPINIST, the general-charge ratio is the handbook's cross-check derivation).
c_q is the quark content of P: pi0 = (u ubar - d dbar)/sqrt2; eta and eta' from the
octet-singlet mixing ``eta = cos t eta_8 - sin t eta_1``, ``eta' = sin t eta_8 + cos t eta_1``
with the default ``t = theta_P = arcsin(-1/3) = -19.47 deg``: eta = (u ubar + d dbar -
s sbar)/sqrt3, eta' = (u ubar + d dbar + 2 s sbar)/sqrt6. This is the generator
``T_eta = diag(1, 1, -1)/sqrt6`` of DarkCast (verified: micha-a-schmidt/darkcast pars.py;
arXiv:1801.04847 App. A) and ALPINIST's ``th_eta_etap = arcsin(-1/3)`` (verified: ALPINIST
exotic_constants.py). With it B-L gives exactly 1/2 (g/e)^2 for the eta, FORESEE's coded 1/2
(handbook B.3); the handbook's "about 0.49 at -20 deg" is the same with t = -20 deg (0.486).
The ratio is the m << m_V limit: DarkCast additionally weights the rho, omega, phi
components with Breit-Wigners at m (arXiv:1801.04847 Eqs. 2.7-2.10), which matters only
for couplings not proportional to Q at m approaching m_eta (not done here).

**V -> P X** (omega -> pi0, phi -> eta, rho0 -> pi0)::

    BR(V -> P X) = |F_X|^2 BR(V -> P gamma) lambda^{3/2}(m_V^2, m_P^2, m^2) / (m_V^2 - m_P^2)^3

The kinematic factor is the handbook's (B.3, marked unverified there). It is the ratio of
the P-wave momenta cubed, ``(|p|(m)/|p|(0))^3``, of the transverse (epsilon-tensor) V -> P
gamma* vertex without a transition form factor, i.e. the Landsberg Dalitz-decay bracket
``[(1 + m^2/(m_V^2 - m_P^2))^2 - 4 m_V^2 m^2/(m_V^2 - m_P^2)^2]^{3/2}`` (cross-check
derivation, not published); it tends to 1 at m -> 0 and vanishes at m = m_V - m_P.
ALPINIST codes ``(m_V^2 - m^2 - m_P^2)^2 lambda^{1/2}(m_V^2, m^2, m_P^2)/(m_V^2 - m^2)^3``
(handbook B.3, verified there), which tends to ``(1 - m_P^2/m_V^2)^3`` at m -> 0, not to 1:
0.913 for omega -> pi0 and 0.360 for phi -> eta; ALPINIST's rates are lower by that factor
at small m (and differ in shape: ``(m_V^2 - m^2 - m_P^2)^2 lambda^{1/2} = lambda^{3/2} +
4 m^2 m_P^2 lambda^{1/2}``).

The coupling factor for general quark charges is a derivation (not published): in the
quark model the V -> P gamma amplitude is a magnetic-dipole transition
``sum_q c^V_q c^P_q Q_q / m_q`` and only one flavour class enters each decay (u, d for omega
-> pi0 and rho0 -> pi0; s for phi -> eta), so the quark masses cancel in the ratio
``F_X = sum_q c^V_q c^P_q x_q / sum_q c^V_q c^P_q Q_q``:
omega -> pi0: ``F_X = x_u - x_d`` (isovector: rho-like photon; zero for B-L);
rho0 -> pi0: ``F_X = 3 (x_u + x_d)`` (isoscalar, omega-like; 4 (g/e)^2 for B-L);
phi -> eta: ``F_X = -3 x_s`` ((g/e)^2 for B-L). The same factors follow from vector-meson
dominance of the V -> P gamma amplitude through the intermediate rho, omega or phi with
the DarkCast weights ``r_V Tr(T_V Q_X)`` (:func:`darkreach.physics.hadrons.vmd_coefficients`),
which the tests check. For the dark photon every F_X = 1.

Constants: BR(P -> gamma gamma) as the handbook B.3 (ALPINIST values: pi0 0.98823, eta
0.3941, eta' 0.0222; these reproduce ED-1/ED-2). BR(omega -> pi0 gamma) = 8.35e-2 and
BR(phi -> eta gamma) = 1.303e-2 are PDG 2024 (the values of
:mod:`darkreach.physics.hadrons`); the handbook's 0.0103 for phi -> eta gamma (copied
correctly from ALPINIST exotic_constants.py) disagrees with the PDG 1.303e-2.
BR(rho0 -> pi0 gamma) = 4.7e-4 (PDG; ALPINIST). Masses from ``particle`` (PDG).

Units: masses in MeV (hepunits). Branching ratios are per unit model coupling squared
(eps^2, g_BL^2 or g^2); they are 0 above threshold (m >= M_P, m >= m_V - m_P).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from particle import Particle

from darkreach.array_types import FloatArray
from darkreach.constants import e_charge
from darkreach.errors import InvalidParameterError
from darkreach.physics.hadrons import BR_OMEGA, BR_PHI
from darkreach.physics.kinetic_mixing import epsilon_over_g
from darkreach.validate import checked_array

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = [
    "BR_TWO_PHOTON",
    "BR_V_TO_P_GAMMA",
    "ETA_MIXING_ANGLE_DEG",
    "MESON_MASS",
    "PRODUCTION_CHANNELS",
    "QUARK_CONTENT",
    "channel_branching_ratio",
    "pseudoscalar_quark_content",
    "pseudoscalar_to_gamma_x",
    "quark_charges",
    "vector_coupling_factor",
    "vector_to_pseudoscalar_x",
]

#: Electric charges of u, d, s.
Q_QUARK: tuple[float, float, float] = (2.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0)

#: eta-eta' octet-singlet mixing angle [deg]: arcsin(-1/3) (DarkCast T_eta, ALPINIST).
ETA_MIXING_ANGLE_DEG: float = math.degrees(math.asin(-1.0 / 3.0))


def _pdg_mass(pdgid: int) -> float:
    value = Particle.from_pdgid(pdgid).mass
    return float(value) if value is not None else math.nan


#: Meson masses [MeV] (``particle``, PDG).
MESON_MASS: dict[str, float] = {
    "pi0": _pdg_mass(111),
    "eta": _pdg_mass(221),
    "eta'": _pdg_mass(331),
    "rho0": _pdg_mass(113),
    "omega": _pdg_mass(223),
    "phi": _pdg_mass(333),
}

#: BR(P -> gamma gamma): handbook B.3 (verified there: ALPINIST exotic_constants.py).
BR_TWO_PHOTON: dict[str, float] = {"pi0": 0.98823, "eta": 0.3941, "eta'": 0.0222}

#: BR(V -> P gamma), keyed by (V, P): PDG 2024 (omega, phi: darkreach.physics.hadrons);
#: rho0 -> pi0 gamma 4.7e-4 (PDG; ALPINIST). Handbook's phi -> eta gamma 0.0103 is not PDG.
BR_V_TO_P_GAMMA: dict[tuple[str, str], float] = {
    ("omega", "pi0"): BR_OMEGA["pi0 gamma"],
    ("phi", "eta"): BR_PHI["eta gamma"],
    ("rho0", "pi0"): 4.7e-4,
}

#: Quark content (u ubar, d dbar, s sbar amplitudes) of the vector mesons (ideal mixing).
QUARK_CONTENT: dict[str, tuple[float, float, float]] = {
    "pi0": (1.0 / math.sqrt(2.0), -1.0 / math.sqrt(2.0), 0.0),
    "rho0": (1.0 / math.sqrt(2.0), -1.0 / math.sqrt(2.0), 0.0),
    "omega": (1.0 / math.sqrt(2.0), 1.0 / math.sqrt(2.0), 0.0),
    "phi": (0.0, 0.0, 1.0),
}

#: Channel name -> (parent meson, recoiling SM particle).
PRODUCTION_CHANNELS: dict[str, tuple[str, str]] = {
    "pi0->gamma X": ("pi0", "gamma"),
    "eta->gamma X": ("eta", "gamma"),
    "eta'->gamma X": ("eta'", "gamma"),
    "omega->pi0 X": ("omega", "pi0"),
    "phi->eta X": ("phi", "eta"),
    "rho0->pi0 X": ("rho0", "pi0"),
}

_PSEUDOSCALARS = ("pi0", "eta", "eta'")
_VECTOR_DAUGHTER = {"omega": "pi0", "phi": "eta", "rho0": "pi0"}
_MODELS_ALLOWED = "dark-photon, b-l or lmu-ltau (a vector with quark couplings or mixing)"

Charge = float | FloatArray


def _resolve_model(model: Model | str) -> Model:
    if isinstance(model, str):
        from darkreach.models.registry import get_model

        return get_model(model)
    return model


def quark_charges(model: Model | str, mass: ArrayLike) -> tuple[Charge, Charge, Charge]:
    """(x_u, x_d, x_s): vector couplings of X to u, d, s per unit model coupling, in units of e.

    ``model`` is a model instance or registry name (``"dark-photon"``, ``"b-l"``,
    ``"lmu-ltau"`` and their ``-dm`` variants). ``mass`` [MeV] > 0; for an array mass the
    three entries are arrays of its shape, for a scalar they are floats. Dark photon
    (2/3, -1/3, -1/3); B-L 1/(3 e) each; L_mu-L_tau |eps(m^2)|/g Q_q (module docstring).
    Any other model (spin 0, HNL) raises InvalidParameterError naming ``model``.
    """
    from darkreach.models.b_minus_l import BminusLZPrime
    from darkreach.models.dark_photon import DarkPhoton
    from darkreach.models.lmu_ltau import LmuLtauZPrime

    resolved = _resolve_model(model)
    m = checked_array(mass, "mass", unit="MeV")
    if isinstance(resolved, DarkPhoton):
        scale = np.ones_like(m)
        values = tuple(q * scale for q in Q_QUARK)
    elif isinstance(resolved, BminusLZPrime):
        values = tuple(np.full_like(m, 1.0 / (3.0 * e_charge)) for _ in range(3))
    elif isinstance(resolved, LmuLtauZPrime):
        ratio = np.abs(epsilon_over_g(m * m))
        values = tuple(q * ratio for q in Q_QUARK)
    else:
        name = getattr(resolved, "name", repr(resolved))
        raise InvalidParameterError("model", name, _MODELS_ALLOWED)
    if m.ndim == 0:
        return float(values[0]), float(values[1]), float(values[2])
    return (
        np.asarray(values[0], dtype=np.float64),
        np.asarray(values[1], dtype=np.float64),
        np.asarray(values[2], dtype=np.float64),
    )


def pseudoscalar_quark_content(
    meson: str, mixing_angle_deg: float = ETA_MIXING_ANGLE_DEG
) -> tuple[float, float, float]:
    """(c_u, c_d, c_s) of pi0, eta or eta' (octet-singlet angle ``mixing_angle_deg``)."""
    if meson == "pi0":
        return QUARK_CONTENT["pi0"]
    if meson not in _PSEUDOSCALARS:
        raise InvalidParameterError("meson", repr(meson), ", ".join(_PSEUDOSCALARS))
    if not (isinstance(mixing_angle_deg, (int, float)) and abs(mixing_angle_deg) <= 90.0):
        raise InvalidParameterError("mixing_angle_deg", mixing_angle_deg, "-90 to 90 deg")
    t = math.radians(mixing_angle_deg)
    octet = np.array([1.0, 1.0, -2.0]) / math.sqrt(6.0)
    singlet = np.array([1.0, 1.0, 1.0]) / math.sqrt(3.0)
    if meson == "eta":
        c = math.cos(t) * octet - math.sin(t) * singlet
    else:
        c = math.sin(t) * octet + math.cos(t) * singlet
    return float(c[0]), float(c[1]), float(c[2])


def _masses(mass: ArrayLike) -> FloatArray:
    return checked_array(mass, "mass", unit="MeV")


def pseudoscalar_to_gamma_x(
    meson: str,
    mass: ArrayLike,
    model: Model | str,
    *,
    mixing_angle_deg: float = ETA_MIXING_ANGLE_DEG,
) -> FloatArray:
    """BR(P -> gamma X) per unit model coupling squared, P in {"pi0", "eta", "eta'"}.

    ``2 BR(P -> gamma gamma) |sum c_q Q_q x_q / sum c_q Q_q^2|^2 (1 - m^2/M_P^2)^3`` (module
    docstring; handbook B.3); 0 for m >= M_P. ``mass`` [MeV] > 0 (array or scalar; the
    result has its shape). ED-1, ED-2: dark photon, eps = 1e-3.
    """
    if meson not in _PSEUDOSCALARS:
        raise InvalidParameterError("meson", repr(meson), ", ".join(_PSEUDOSCALARS))
    m = _masses(mass)
    c = np.array(pseudoscalar_quark_content(meson, mixing_angle_deg))
    q = np.array(Q_QUARK)
    x = quark_charges(model, m)
    numerator = c[0] * q[0] * x[0] + c[1] * q[1] * x[1] + c[2] * q[2] * x[2]
    ratio = numerator / float(np.sum(c * q * q))
    big_m = MESON_MASS[meson]
    phase = np.clip(1.0 - (m / big_m) ** 2, 0.0, None) ** 3
    return np.asarray(2.0 * BR_TWO_PHOTON[meson] * ratio * ratio * phase, dtype=np.float64)


def vector_coupling_factor(
    meson: str, x_u: ArrayLike, x_d: ArrayLike, x_s: ArrayLike
) -> FloatArray:
    """F_X of V -> P X relative to V -> P gamma (quark-model derivation, module docstring).

    ``sum_q c^V_q c^P_q x_q / sum_q c^V_q c^P_q Q_q``: omega -> pi0 ``x_u - x_d``,
    rho0 -> pi0 ``3 (x_u + x_d)``, phi -> eta ``-3 x_s`` (the s sbar amplitude of the eta
    cancels). Equal to 1 for the dark photon.
    """
    if meson not in _VECTOR_DAUGHTER:
        raise InvalidParameterError("meson", repr(meson), ", ".join(_VECTOR_DAUGHTER))
    x = (np.asarray(x_u, dtype=np.float64), np.asarray(x_d, dtype=np.float64))
    xs = np.asarray(x_s, dtype=np.float64)
    cv = QUARK_CONTENT[meson]
    if meson == "phi":
        return np.asarray(xs / Q_QUARK[2], dtype=np.float64)
    cp = QUARK_CONTENT["pi0"]
    num = cv[0] * cp[0] * x[0] + cv[1] * cp[1] * x[1]
    den = cv[0] * cp[0] * Q_QUARK[0] + cv[1] * cp[1] * Q_QUARK[1]
    return np.asarray(num / den, dtype=np.float64)


def vector_to_pseudoscalar_x(meson: str, mass: ArrayLike, model: Model | str) -> FloatArray:
    """BR(V -> P X) per unit model coupling squared: omega -> pi0, phi -> eta, rho0 -> pi0.

    ``|F_X|^2 BR(V -> P gamma) lambda^{3/2}(m_V^2, m_P^2, m^2)/(m_V^2 - m_P^2)^3`` (handbook
    B.3, unverified there; see the module docstring for the m -> 0 limit, the ALPINIST
    normalisation and the derived coupling factor F_X). 0 for m >= m_V - m_P.
    """
    if meson not in _VECTOR_DAUGHTER:
        raise InvalidParameterError("meson", repr(meson), ", ".join(_VECTOR_DAUGHTER))
    m = _masses(mass)
    daughter = _VECTOR_DAUGHTER[meson]
    mv2, mp2 = MESON_MASS[meson] ** 2, MESON_MASS[daughter] ** 2
    m2 = m * m
    lam = (mv2 - mp2 - m2) ** 2 - 4.0 * mp2 * m2
    open_ = m < MESON_MASS[meson] - MESON_MASS[daughter]
    kin = np.where(open_, np.clip(lam, 0.0, None) ** 1.5 / (mv2 - mp2) ** 3, 0.0)
    factor = vector_coupling_factor(meson, *quark_charges(model, m))
    br = BR_V_TO_P_GAMMA[(meson, daughter)]
    return np.asarray(factor * factor * br * kin, dtype=np.float64)


def channel_branching_ratio(channel: str, mass: ArrayLike, model: Model | str) -> FloatArray:
    """BR of a :data:`PRODUCTION_CHANNELS` channel per unit model coupling squared."""
    if channel not in PRODUCTION_CHANNELS:
        raise InvalidParameterError("channel", repr(channel), ", ".join(PRODUCTION_CHANNELS))
    parent, _recoil = PRODUCTION_CHANNELS[channel]
    dispatch: Callable[[str, ArrayLike, Model | str], FloatArray]
    dispatch = pseudoscalar_to_gamma_x if parent in _PSEUDOSCALARS else vector_to_pseudoscalar_x
    return dispatch(parent, mass, model)
