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
from darkreach.validate import check_cl

DEFAULT_MASS_RANGE = (1.0 * MeV, 3.0 * GeV)
DEFAULT_MASS_POINTS = 200
#: limit / sensitivity methods: Poisson limits for every type; the [T1] sensitivity criteria
#: (cut-and-count with systematics, binned likelihood) for the kaon types
METHODS = ("cls", "fc", "classical", "cut-and-count", "likelihood")


def default_masses(points: int = DEFAULT_MASS_POINTS) -> FloatArray:
    """The default mass grid: ``points`` log-spaced masses from 1 MeV to 3 GeV (in MeV)."""
    return np.geomspace(*DEFAULT_MASS_RANGE, points)


def masses_for(experiments: Sequence[Any], points: int = DEFAULT_MASS_POINTS) -> FloatArray:
    """Default grid for these experiments: their kinematic ranges, within 1 MeV - 3 GeV.

    An experiment type that knows its range (``mass_range()``, MeV) narrows the grid, so a
    kaon card alone gets 1 MeV up to its kinematic end point; an overlay spans the union.
    """
    if experiments and all(hasattr(e, "default_masses") for e in experiments):
        # cards with published mass regions (kaon-pion-invisible): grids inside them only
        grid: FloatArray = np.unique(
            np.concatenate([e.default_masses(points) for e in experiments])
        )
        return grid
    lows, highs = [], []
    for experiment in experiments:
        mass_range = getattr(experiment, "mass_range", None)
        if mass_range is None:
            return default_masses(points)
        low, high = mass_range()
        lows.append(low)
        highs.append(high)
    low = max(DEFAULT_MASS_RANGE[0], min(lows))
    high = min(DEFAULT_MASS_RANGE[1], max(highs))
    if not low < high:
        return default_masses(points)
    # stay strictly inside open kinematic ranges
    return np.geomspace(low * (1.0 + 1e-6), high * (1.0 - 1e-6), points)


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

    ``masses`` in MeV (default :func:`masses_for` the cards); ``cl`` and ``method`` default to
    each card's own statistics section.
    """
    if not cards:
        raise InvalidParameterError("cards", "[]", "at least one card name or path")
    if method is not None and method not in METHODS:
        raise InvalidParameterError("method", method, ", ".join(METHODS))
    if cl is not None:
        check_cl(cl)
    model_obj = resolve_model(model, model_options)
    experiments = [get_experiment(card) for card in cards]
    grid = masses_for(experiments) if masses is None else np.asarray(masses, dtype=float)
    return [exp.reach(model_obj, grid, cl=cl, method=method) for exp in experiments]
