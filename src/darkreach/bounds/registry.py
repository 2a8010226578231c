"""The computed bounds by name: ``list_bounds()``, ``get_bound``, ``bound_curve``.

| name | models | what |
|---|---|---|
| ``ccfr`` | lmu-ltau, lmu-ltau-dm | CCFR neutrino trident, light-Z' EPA ratio (:mod:`.ccfr`) |
| ``ccfr-contact`` | lmu-ltau, lmu-ltau-dm | the same in the heavy-Z' (contact) limit |
| ``neff`` | lmu-ltau | N_eff from a Z' in equilibrium with neutrinos (:mod:`.neff`) |
| ``gminus2`` | lmu-ltau(-dm), b-l, dark-photon, scalar, pseudoscalar | Delta a_mu overshoot |

User files: :func:`darkreach.bounds.user.load_user_bound`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.bounds import ccfr, gminus2, neff
from darkreach.bounds.base import Bound, BoundCurve
from darkreach.errors import InvalidParameterError
from darkreach.validate import checked_array

__all__ = ["BOUNDS", "bound_curve", "bounds_for_model", "get_bound", "list_bounds"]

_LMU = ("lmu-ltau", "lmu-ltau-dm")

BOUNDS: dict[str, Bound] = {
    "ccfr": Bound(
        name="ccfr",
        title="CCFR neutrino trident",
        models=_LMU,
        kind="computed",
        reference=(
            "CCFR, PRL 66 (1991) 3117; Altmannshofer, Gori, Pospelov, Yavin, PRL 113 (2014) 091801"
        ),
        arxiv="1406.2332",
        notes="EPA on Fe, Z' propagator in the neutrino-current Q^2, E_nu = 160 GeV; 95 % CL",
    ),
    "ccfr-contact": Bound(
        name="ccfr-contact",
        title="CCFR neutrino trident (contact limit)",
        models=_LMU,
        kind="computed",
        reference="CCFR, PRL 66 (1991) 3117; Altmannshofer et al., PRL 113 (2014) 091801",
        arxiv="1406.2332",
        notes="m/g > 545 GeV; valid for m_Z' >~ 5 GeV only",
    ),
    "neff": Bound(
        name="neff",
        title="N_eff (Z' in equilibrium with neutrinos)",
        models=("lmu-ltau",),
        kind="computed",
        reference=(
            "Escudero, Hooper, Krnjaic, Pierre, JHEP 03 (2019) 071; Planck 2018, A&A 641 (2020) A6"
        ),
        arxiv="1901.02010",
        notes="instantaneous decoupling at 2.3 MeV; N_eff < 3.33; lower edge g_eq approximate",
    ),
    "gminus2": Bound(
        name="gminus2",
        title="muon g-2 (Delta a_mu above +2 sigma)",
        models=tuple(gminus2.MODEL_LOOPS),
        kind="computed",
        reference="Delta a_mu reference of darkreach.physics.gminus2 (default fnal2023-wp20)",
        arxiv="2308.06230",
        notes="one-loop contribution; the band itself is in extra band_low/band_high",
    ),
}

_LABELS = {
    "ccfr": "CCFR",
    "ccfr-contact": r"CCFR (contact)",
    "neff": r"$N_{\rm eff}$",
    "gminus2": r"$(g-2)_\mu$",
}


def list_bounds() -> list[Bound]:
    """All registered computed bounds."""
    return list(BOUNDS.values())


def get_bound(name: str) -> Bound:
    """The bound ``name``; unknown names raise InvalidParameterError listing the known ones."""
    try:
        return BOUNDS[name]
    except KeyError:
        raise InvalidParameterError("bound", repr(name), ", ".join(BOUNDS)) from None


def bounds_for_model(model_name: str) -> list[Bound]:
    """The computed bounds that apply to ``model_name``."""
    return [b for b in BOUNDS.values() if model_name in b.models]


def _ccfr(m: FloatArray, model: str, options: dict[str, Any]) -> tuple[FloatArray, dict[str, Any]]:
    return ccfr.trident_limit(m, **options), {}


def _contact(
    m: FloatArray, model: str, options: dict[str, Any]
) -> tuple[FloatArray, dict[str, Any]]:
    return ccfr.contact_limit(m, **options), {}


def _neff(m: FloatArray, model: str, options: dict[str, Any]) -> tuple[FloatArray, dict[str, Any]]:
    return neff.neff_excluded_edge(m, **options), {}


def _gm2(m: FloatArray, model: str, options: dict[str, Any]) -> tuple[FloatArray, dict[str, Any]]:
    low, high = gminus2.gminus2_band(m, model, **options)
    edge = gminus2.gminus2_exclusion(m, model, **options)
    return edge, {"band_low": low, "band_high": high}


_EVALUATORS: dict[
    str, Callable[[FloatArray, str, dict[str, Any]], tuple[FloatArray, dict[str, Any]]]
] = {"ccfr": _ccfr, "ccfr-contact": _contact, "neff": _neff, "gminus2": _gm2}


def bound_curve(name: str, model: str, masses: ArrayLike, **options: Any) -> BoundCurve:
    """Evaluate the bound ``name`` for ``model`` at ``masses`` (MeV).

    ``options`` go to the bound's function (e.g. ``nsigma``, ``limit``, ``reference``);
    unknown options raise InvalidParameterError.
    """
    bound = get_bound(name)
    if model not in bound.models:
        raise InvalidParameterError("model", repr(model), ", ".join(bound.models))
    m = np.atleast_1d(checked_array(masses, "masses", unit="MeV"))
    if m.ndim != 1:
        raise InvalidParameterError("masses", f"shape {m.shape}", "a 1-d array")
    try:
        coupling, extra = _EVALUATORS[name](m, model, dict(options))
    except TypeError as exc:
        detail = str(exc).split(" got ")[-1]
        raise InvalidParameterError("option", detail, "see the bound's function") from None
    return BoundCurve(
        name=name,
        label=_LABELS[name],
        model=model,
        mass_MeV=m,
        coupling=coupling,
        coupling_upper=None,
        reference=bound.reference + (f", arXiv:{bound.arxiv}" if bound.arxiv else ""),
        notes=bound.notes,
        extra=extra,
    )
