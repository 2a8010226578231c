"""From cards and a model to reach curves: the main job of darkreach.

>>> from darkreach.reach import compute_reach, default_masses
>>> curve, = compute_reach(["na64mu-2022"], "lmu-ltau", default_masses(20))
>>> curve.coupling.shape
(20,)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from hepunits import GeV, MeV
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.registry import get_experiment
from darkreach.results import ReachCurve

DEFAULT_MASS_RANGE = (1.0 * MeV, 3.0 * GeV)
DEFAULT_MASS_POINTS = 200
#: limit / sensitivity methods: Poisson limits for every type; the [T1] sensitivity criteria
#: (cut-and-count with systematics, binned likelihood) for the kaon types
METHODS = ("cls", "fc", "classical", "cut-and-count", "likelihood")


def default_masses(points: int = DEFAULT_MASS_POINTS) -> FloatArray:
    """The default mass grid: ``points`` log-spaced masses from 1 MeV to 3 GeV (in MeV)."""
    return np.geomspace(*DEFAULT_MASS_RANGE, points)


def resolve_model(model: str | Any, options: Mapping[str, Any] | None = None) -> Any:
    """A model object from a registry name (with options) or the object itself."""
    if isinstance(model, str):
        from darkreach.models.registry import get_model

        return get_model(model, **dict(options or {}))
    return model


def compute_reach(
    cards: Sequence[str | Path],
    model: str | Any,
    masses: ArrayLike | None = None,
    *,
    cl: float | None = None,
    method: str | None = None,
    model_options: Mapping[str, Any] | None = None,
) -> list[ReachCurve]:
    """Reach curves for each card (by name or path) and one model.

    ``masses`` in MeV (default :func:`default_masses`); ``cl`` and ``method`` default to
    each card's own statistics section.
    """
    if not cards:
        raise InvalidParameterError("cards", "[]", "at least one card name or path")
    grid = default_masses() if masses is None else np.asarray(masses, dtype=float)
    if method is not None and method not in METHODS:
        raise InvalidParameterError("method", method, ", ".join(METHODS))
    if cl is not None and not 0.0 < cl < 1.0:
        raise InvalidParameterError("cl", cl, "0 < cl < 1")
    model_obj = resolve_model(model, model_options)
    experiments = [get_experiment(card) for card in cards]
    return [exp.reach(model_obj, grid, cl=cl, method=method) for exp in experiments]
