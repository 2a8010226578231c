"""The muon g-2 as a bound: couplings whose one-loop Delta a_mu overshoots the measurement.

Wraps :func:`darkreach.physics.gminus2.coupling_band` (handbook gminus2.md section 3). For a
positive contribution (vector: L_mu - L_tau, B-L, dark photon; scalar) the excluded region is
Delta a_NP > Delta + n sigma, i.e. all couplings above the upper edge of the n-sigma band
(open upwards). For a negative contribution (pseudoscalar) the exclusion is
Delta a_NP < Delta - n sigma, whose edge the same function returns. The band itself (the
region that explains Delta within n sigma) is returned separately in ``extra`` as
``band_low`` and ``band_high`` (``band_low`` is NaN where Delta - n sigma <= 0, e.g. with the
WP25 references): plots draw it as a band; the bound is the line above it.

Muon couplings: g for lmu-ltau, lmu-ltau-dm and b-l; eps e for the dark photon (the curve is
returned in eps); g_S, g_P for the scalar and pseudoscalar.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import e_charge
from darkreach.errors import InvalidParameterError
from darkreach.physics.gminus2 import (
    GMinus2Reference,
    LoopKind,
    coupling_band,
    default_reference,
    get_reference,
)
from darkreach.validate import checked_array

__all__ = ["MODEL_LOOPS", "gminus2_band", "gminus2_exclusion"]

#: Loop kind and muon-coupling factor (g_mu = factor x model coupling) per model name.
MODEL_LOOPS: dict[str, tuple[LoopKind, float]] = {
    "lmu-ltau": ("vector", 1.0),
    "lmu-ltau-dm": ("vector", 1.0),
    "b-l": ("vector", 1.0),
    "dark-photon": ("vector", e_charge),
    "dark-photon-dm": ("vector", e_charge),
    "scalar": ("scalar", 1.0),
    "pseudoscalar": ("pseudoscalar", 1.0),
}


def _loop(model: str) -> tuple[LoopKind, float]:
    try:
        return MODEL_LOOPS[model]
    except KeyError:
        raise InvalidParameterError("model", repr(model), ", ".join(MODEL_LOOPS)) from None


def _reference(reference: str | GMinus2Reference | None) -> GMinus2Reference:
    if reference is None:
        return default_reference()
    if isinstance(reference, GMinus2Reference):
        return reference
    return get_reference(reference)


def gminus2_exclusion(
    mass: ArrayLike,
    model: str = "lmu-ltau",
    reference: str | GMinus2Reference | None = None,
    nsigma: float = 2.0,
) -> FloatArray:
    """Model coupling above which Delta a_mu(NP) > Delta + nsigma sigma (pseudoscalar: < ...).

    ``mass`` in MeV. Default reference: :func:`darkreach.physics.gminus2.default_reference`.
    """
    kind, factor = _loop(model)
    m = checked_array(mass, "mass", unit="MeV")
    band = coupling_band(m, _reference(reference), kind, nsigma)
    return np.asarray(band.high / factor)


def gminus2_band(
    mass: ArrayLike,
    model: str = "lmu-ltau",
    reference: str | GMinus2Reference | None = None,
    nsigma: float = 2.0,
) -> tuple[FloatArray, FloatArray]:
    """(low, high) edges of the band explaining Delta a_mu within nsigma, in model coupling."""
    kind, factor = _loop(model)
    if not math.isfinite(factor):  # pragma: no cover - constants are finite
        raise InvalidParameterError("model", model, "a finite muon coupling factor")
    m = checked_array(mass, "mass", unit="MeV")
    band = coupling_band(m, _reference(reference), kind, nsigma)
    return np.asarray(band.low / factor), np.asarray(band.high / factor)
