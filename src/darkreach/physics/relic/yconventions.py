"""The variable y of the thermal-relic plane and its three conventions (handbook relic.md 2).

With g_SM the mediator's coupling to the muon (g for the L_mu-L_tau Z', eps e for the dark
photon), alpha_D = g_chi^2/(4 pi) and r = m_chi/M, relic.md 2 lists three conventions:

- ``"a"``: ``y = g_SM^2 alpha_D r^4``
- ``"b"``: ``y = g_SM^2 alpha_D r^4 / (4 pi alpha)`` (for the dark photon exactly the standard
  ``y = eps^2 alpha_D r^4``, verified: [T1], [T4], [T5])
- ``"c"``: ``y = g_SM^2 g_chi^2 r^4`` (NA64mu talks [T2], [T5], verified; M^3 y curves)

with y_c = 4 pi y_a and y_b = y_a/(4 pi alpha) (validation RE-6).

**Default: convention (b).** Reasons: (1) for the dark photon it *is* the standard y of the
literature, so one definition serves both mediators and L_mu-L_tau curves can be overlaid on
dark-photon y-plots (NA64e, ESPP PPG) without rescaling; (2) sigma v ~ 16 pi^2 alpha y/m^2
depends on y only, so an L_mu-L_tau target with neutrino final states coincides with the
dark-photon target with e+e- only (relic.md 2, validation RE-4) and targets of different
mediators are directly comparable; (3) it differs from the NA64mu convention (c) by only
16 pi^2 alpha = 1.152, whereas (a) differs by 4 pi. Convention (b) for the L_mu-L_tau Z' has
no pinned primary source (relic.md 2: unverified: confirm before relying); every plot prints
the convention on its axis, and all three values are returned.

y, couplings and alpha_D are dimensionless; ``ratio`` = M/m_chi (a ratio of masses).

>>> float(y_from_coupling(1e-4, mediator="dark-photon", alpha_d=0.1, ratio=3.0) * 81 / 0.1)
1e-08
"""

from __future__ import annotations

import math
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em
from darkreach.errors import InvalidParameterError

__all__ = [
    "DEFAULT_Y_CONVENTION",
    "MEDIATORS",
    "Y_CONVENTIONS",
    "Mediator",
    "YConvention",
    "coupling_from_y",
    "y_axis_label",
    "y_definition",
    "y_from_coupling",
]

Mediator = Literal["lmu-ltau", "dark-photon"]
MEDIATORS: tuple[str, ...] = get_args(Mediator)
YConvention = Literal["a", "b", "c"]
Y_CONVENTIONS: tuple[str, ...] = get_args(YConvention)
#: The default y convention (see the module docstring for the reasons).
DEFAULT_Y_CONVENTION: YConvention = "b"


def _check_mediator(mediator: str) -> None:
    if mediator not in MEDIATORS:
        raise InvalidParameterError("mediator", repr(mediator), ", ".join(MEDIATORS))


def _check_convention(convention: str) -> None:
    if convention not in Y_CONVENTIONS:
        raise InvalidParameterError("y convention", repr(convention), "a, b, c (relic.md 2)")


def _check_alpha_d(alpha_d: float) -> None:
    if not (math.isfinite(alpha_d) and 0.0 < alpha_d < 4.0 * math.pi):
        raise InvalidParameterError("alpha_D", alpha_d, "0 < alpha_D < 4 pi")


def _check_ratio(ratio: float) -> None:
    if not (math.isfinite(ratio) and ratio > 0.0):
        raise InvalidParameterError("ratio", ratio, "m_mediator/m_chi finite and > 0")


def _sm_coupling_sq(coupling: FloatArray, mediator: str) -> FloatArray:
    """g_SM^2: g^2 (L_mu-L_tau) or (eps e)^2 = 4 pi alpha eps^2 (dark photon)."""
    if mediator == "dark-photon":
        return np.asarray(4.0 * math.pi * alpha_em * coupling * coupling, dtype=np.float64)
    return np.asarray(coupling * coupling, dtype=np.float64)


def _y_per_g_sm_sq(alpha_d: float, ratio: float, convention: str) -> float:
    r4 = ratio**-4
    if convention == "a":
        return alpha_d * r4
    if convention == "b":
        return alpha_d * r4 / (4.0 * math.pi * alpha_em)
    return 4.0 * math.pi * alpha_d * r4


def y_from_coupling(
    coupling: ArrayLike,
    *,
    mediator: str,
    alpha_d: float,
    ratio: float,
    convention: str = DEFAULT_Y_CONVENTION,
) -> FloatArray:
    """y from the mediator coupling (g or eps) in convention a, b or c (relic.md 2).

    ``ratio`` = M/m_chi (so r = 1/ratio). Dimensionless in and out.
    """
    _check_mediator(mediator)
    _check_convention(convention)
    _check_alpha_d(alpha_d)
    _check_ratio(ratio)
    g = np.asarray(coupling, dtype=np.float64)
    return np.asarray(
        _sm_coupling_sq(g, mediator) * _y_per_g_sm_sq(alpha_d, ratio, convention),
        dtype=np.float64,
    )


def coupling_from_y(
    y: ArrayLike,
    *,
    mediator: str,
    alpha_d: float,
    ratio: float,
    convention: str = DEFAULT_Y_CONVENTION,
) -> FloatArray:
    """Inverse of :func:`y_from_coupling`: g (L_mu-L_tau) or eps (dark photon)."""
    _check_mediator(mediator)
    _check_convention(convention)
    _check_alpha_d(alpha_d)
    _check_ratio(ratio)
    g_sm_sq = np.asarray(y, dtype=np.float64) / _y_per_g_sm_sq(alpha_d, ratio, convention)
    if mediator == "dark-photon":
        g_sm_sq = g_sm_sq / (4.0 * math.pi * alpha_em)
    return np.asarray(np.sqrt(g_sm_sq), dtype=np.float64)


def y_definition(mediator: str, convention: str = DEFAULT_Y_CONVENTION) -> str:
    """Plain-text definition of y, e.g. ``"y = g^2 alpha_D (m_chi/m_Z')^4 / (4 pi alpha)"``."""
    _check_mediator(mediator)
    _check_convention(convention)
    coupling, med = ("(eps e)^2", "m_A'") if mediator == "dark-photon" else ("g^2", "m_Z'")
    if mediator == "dark-photon" and convention == "b":
        return "y = eps^2 alpha_D (m_chi/m_A')^4  [convention (b)]"
    body = {
        "a": f"{coupling} alpha_D (m_chi/{med})^4",
        "b": f"{coupling} alpha_D (m_chi/{med})^4 / (4 pi alpha)",
        "c": f"{coupling} g_chi^2 (m_chi/{med})^4",
    }[convention]
    return f"y = {body}  [convention ({convention})]"


def y_axis_label(mediator: str, convention: str = DEFAULT_Y_CONVENTION) -> str:
    """Axis label (mathtext) stating the y definition, e.g. for plots."""
    _check_mediator(mediator)
    _check_convention(convention)
    if mediator == "dark-photon":
        coupling, med = r"(\epsilon e)^2", "A'"
        if convention == "b":
            return r"$y = \epsilon^2\,\alpha_D\,(m_\chi/m_{A'})^4$  [convention (b)]"
    else:
        coupling, med = "g^2", "Z'"
    ratio = rf"(m_\chi/m_{{{med}}})^4"
    if convention == "a":
        body = rf"{coupling}\,\alpha_D\,{ratio}"
    elif convention == "b":
        body = rf"\frac{{{coupling}}}{{4\pi\alpha}}\,\alpha_D\,{ratio}"
    else:
        body = rf"{coupling}\,g_\chi^2\,{ratio}"
    return rf"$y = {body}$  [convention ({convention})]"
