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
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.bounds import ccfr, gminus2, neff
from darkreach.bounds.base import Bound, BoundCurve
from darkreach.errors import InvalidParameterError
from darkreach.validate import checked_array

__all__ = [
    "BOUNDS",
    "USER_BOUNDS",
    "bound_curve",
    "bounds_for_model",
    "get_bound",
    "list_bounds",
    "user_bound_curve",
]

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
    "na64e-mixing": Bound(
        name="na64e-mixing",
        title="NA64e (Z' through its loop-induced kinetic mixing)",
        models=_LMU,
        kind="computed",
        reference="NA64, PRL 131 (2023) 161801 (arXiv id unverified); card na64e-2016-2022",
        arxiv="2307.02404",
        notes="darkreach's own NA64e reach with eps(q^2) of the L_mu - L_tau loop; the card's "
        "efficiency is calibrated to NA64's invisible dark-photon curve",
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

#: Bounds whose curves darkreach cannot ship (licence: GPL or none; or not public as
#: numbers): download the file named in ``download``, then ``darkreach bounds show NAME --file
#: PATH`` or ``darkreach reach ... --bounds-file NAME=PATH``.
USER_BOUNDS: dict[str, Bound] = {
    b.name: b
    for b in (
        Bound(
            name="babar-4mu",
            title="BaBar e+e- -> mu+ mu- Z', Z' -> mu+ mu-",
            models=_LMU,
            kind="user",
            reference="BaBar, PRD 94 (2016) 011102",
            arxiv="1606.03501",
            notes="BaBar's own g' curve (0.212-10 GeV); DarkCast's raw curve is that g'",
            download="DarkCast (GPL, gitlab.com/darkcast/releases): limits/"
            "BaBar_TheBABAR2016rlg.lmt (mass [GeV], g)",
        ),
        Bound(
            name="borexino",
            title="Borexino (nu-e scattering via loop kinetic mixing)",
            models=("lmu-ltau",),
            kind="user",
            reference="Bauer, Foldenauer, Jaeckel, JHEP 07 (2018) 094",
            arxiv="1803.05466",
            download="DarkCast v2.1 (GPL): recast/limits/Lmu-Ltau_boson/Borexino_Bauer2018onh.lmt "
            "(mass [GeV], g)",
        ),
        Bound(
            name="cms-4mu",
            title="CMS Z -> mu+ mu- Z', Z' -> mu+ mu-",
            models=_LMU,
            kind="user",
            reference="CMS, PLB 792 (2019) 345 (CMS-EXO-18-008)",
            arxiv="1808.03684",
            notes="5-70 GeV; g from 0.004 to 0.3 (abstract)",
            download="the HEPData record of CMS-EXO-18-008 if present (YAML table), else a "
            "digitisation of the paper's coupling figure (CSV mass_MeV,coupling)",
        ),
        Bound(
            name="belle2-invisible",
            title="Belle II e+e- -> mu+ mu- Z', Z' -> invisible",
            models=_LMU,
            kind="user",
            reference="Belle II, PRL 124 (2020) 141801; PRL 130 (2023) 231801",
            arxiv="2212.03066",
            download="a digitisation of the paper's figure (CSV mass_MeV,coupling)",
        ),
        Bound(
            name="na64e",
            title="NA64e invisible dark photon (2016-2018)",
            models=("dark-photon-dm",),
            kind="user",
            reference="NA64, PRL 123 (2019) 121801",
            arxiv="1906.00176",
            download="DarkCast (GPL): limits/NA64_NA642019imj.lmt (mass [GeV], eps)",
        ),
        Bound(
            name="babar-invisible",
            title="BaBar e+e- -> gamma A', A' -> invisible",
            models=("dark-photon-dm",),
            kind="user",
            reference="BaBar, PRL 119 (2017) 131804",
            arxiv="1702.03327",
            download="DarkCast (GPL): limits/BaBar_Lees2017lec.lmt (mass [GeV], eps)",
        ),
        Bound(
            name="argoneut-mcp",
            title="ArgoNeuT milli-charged particles (NuMI, 1e20 POT)",
            models=("millicharge",),
            kind="user",
            reference="ArgoNeuT, PRL 124 (2020) 131801",
            arxiv="1911.07996",
            notes="Q/e from 1e-3 to 1e-1 for m_chi 0.1-3 GeV (abstract); no licensed "
            "numbers found (handbook 4.1 lists none)",
            download="a digitisation of the paper's Q/e figure (CSV mass_MeV,coupling)",
        ),
        Bound(
            name="slac-mq",
            title="SLAC mQ milli-charged particle search",
            models=("millicharge",),
            kind="user",
            reference="Prinz et al., PRL 81 (1998) 1175 (journal and arXiv id from memory: "
            "unverified, confirm before relying)",
            arxiv="hep-ex/9804008",
            download="a digitisation of the paper's Q/e figure (CSV mass_MeV,coupling)",
        ),
    )
}

_LABELS = {
    "ccfr": "CCFR",
    "ccfr-contact": r"CCFR (contact)",
    "neff": r"$N_{\rm eff}$",
    "gminus2": r"$(g-2)_\mu$",
    "na64e-mixing": "NA64e",
    "babar-4mu": r"BaBar $4\mu$",
    "borexino": "Borexino",
    "cms-4mu": r"CMS $4\mu$",
    "belle2-invisible": "Belle II (inv.)",
    "na64e": "NA64e",
    "babar-invisible": "BaBar (inv.)",
    "argoneut-mcp": "ArgoNeuT",
    "slac-mq": "SLAC mQ",
}


def list_bounds() -> list[Bound]:
    """All bounds: the computed ones, then the catalogue of user-supplied files."""
    return [*BOUNDS.values(), *USER_BOUNDS.values()]


def get_bound(name: str) -> Bound:
    """The bound ``name``; unknown names raise InvalidParameterError listing the known ones."""
    known = {**BOUNDS, **USER_BOUNDS}
    try:
        return known[name]
    except KeyError:
        raise InvalidParameterError("bound", repr(name), ", ".join(known)) from None


def bounds_for_model(model_name: str) -> list[Bound]:
    """The bounds (computed and user catalogue) that apply to ``model_name``."""
    return [b for b in list_bounds() if model_name in b.models]


def user_bound_curve(name: str, model: str, path: str | Path) -> BoundCurve:
    """The catalogue bound ``name`` read from the user's downloaded file ``path``.

    The file is read with the catalogue's mass unit (unless the file states one) and labelled
    and cited as the catalogue says; ``model`` must be one the bound applies to.
    """
    from darkreach.bounds.user import load_user_bound

    bound = get_bound(name)
    if bound.kind != "user":
        raise InvalidParameterError("bound", name, "a user bound: " + ", ".join(USER_BOUNDS))
    if model not in bound.models:
        raise InvalidParameterError("model", repr(model), ", ".join(bound.models))
    return load_user_bound(
        path,
        model,
        mass_unit="MeV" if bound.mass_unit == "MeV" else "GeV",
        name=name,
        label=_LABELS[name],
        reference=bound.reference + (f", arXiv:{bound.arxiv}" if bound.arxiv else ""),
    )


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


def _na64e_mixing(
    m: FloatArray, model: str, options: dict[str, Any]
) -> tuple[FloatArray, dict[str, Any]]:
    from darkreach.experiments.registry import get_experiment
    from darkreach.models.registry import get_model

    curve = get_experiment("na64e-2016-2022").reach(get_model(model, **options), m)
    return curve.coupling, {}


_EVALUATORS: dict[
    str, Callable[[FloatArray, str, dict[str, Any]], tuple[FloatArray, dict[str, Any]]]
] = {
    "ccfr": _ccfr,
    "ccfr-contact": _contact,
    "neff": _neff,
    "na64e-mixing": _na64e_mixing,
    "gminus2": _gm2,
}


def bound_curve(name: str, model: str, masses: ArrayLike, **options: Any) -> BoundCurve:
    """Evaluate the bound ``name`` for ``model`` at ``masses`` (MeV).

    ``options`` go to the bound's function (e.g. ``nsigma``, ``limit``, ``reference``);
    unknown options raise InvalidParameterError.
    """
    bound = get_bound(name)
    if bound.kind == "user":
        raise InvalidParameterError(
            "bound", name, f"a computed bound; {name} needs its file ({bound.download})"
        )
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
